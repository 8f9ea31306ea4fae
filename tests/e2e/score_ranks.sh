#!/usr/bin/env bash
# End-to-end: score one synthetic file (with deliberately bad rows) on 1, 2 and 3 ranks (in
# rounds of chunks, small and large, in contiguous shards and with dynamic sharding),
# check every output against the single-rank one (1e-6) and against HF transformers (1e-4),
# and that --explain --normalize writes the same bytes on 1 and 3 ranks.
# usage: score_ranks.sh MGEO_DIST FIXTURE_DIR WORK_DIR "MPIRUN..." PYTHON
set -euo pipefail
bin=$1 fixtures=$2 work=$3 mpirun=$4 python=$5
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
model=$fixtures/models/hf-safetensors
rm -rf "$work" && mkdir -p "$work"

"$bin" synth --pairs 500 --seed 11 --output "$work/synth.csv"
"$python" "$here/add_bad_rows.py" "$work/synth.csv" "$work/pairs.csv"

common=(score --model "$model" --input "$work/pairs.csv" --batch-size 16 --sort-window 64 --threads 1 --quiet)
"$bin" "${common[@]}" --output "$work/plain.csv"
for np in 1 2 3; do
  $mpirun -np $np "$bin" "${common[@]}" --output "$work/np$np.csv"
done
$mpirun -np 2 "$bin" "${common[@]}" --output "$work/np2.h5"
# Many rounds of small chunks (streamed output; also read ahead on a thread), one gather of
# contiguous shards, dynamic sharding.
$mpirun -np 3 "$bin" "${common[@]}" --chunk-rows 64 --output "$work/np3-rounds.csv"
$mpirun -np 2 "$bin" "${common[@]}" --chunk-rows 64 --prefetch on --output "$work/np2-prefetch.csv"
$mpirun -np 2 "$bin" "${common[@]}" --sharding contiguous --output "$work/np2-contiguous.h5"
$mpirun -np 3 "$bin" "${common[@]}" --sharding dynamic --output "$work/np3-dynamic.csv"
# --explain and --normalize: the same file, comparison columns included, on 1 and 3 ranks.
"$bin" "${common[@]}" --explain --normalize --output "$work/explain-np1.csv"
$mpirun -np 3 "$bin" "${common[@]}" --explain --normalize --sharding dynamic --output "$work/explain-np3.csv"
cmp "$work/explain-np1.csv" "$work/explain-np3.csv"
head -1 "$work/explain-np1.csv" | grep -q ',status,cmp_province,cmp_city,cmp_district,.*,cmp_room$'
ls "$work"
test -z "$(find "$work" -name '*.tmp*')" || { echo "temporary files left behind"; exit 1; }

"$python" "$here/compare_scores.py" --reference "$work/plain.csv" \
  "$work/np1.csv" "$work/np2.csv" "$work/np3.csv" "$work/np2.h5" "$work/np3-rounds.csv" "$work/np2-contiguous.h5" \
  "$work/np3-dynamic.csv" "$work/np2-prefetch.csv" \
  --pairs "$work/pairs.csv" --model "$model" --metrics "$work/np2.csv.metrics.json"
