#!/usr/bin/env bash
# Peak memory of a large scoring job: 5M synthetic pairs scored with the streamed (cyclic)
# output on 1 and 2 ranks, against one gather of contiguous shards on 2 ranks; each
# output is checked complete, in input order, and equal to the 1-rank scores. The last runs read
# and write HDF5 and Parquet (the same pairs), in blocks (Parquet: row groups).
# The model is the small test model (data/models/tiny-random) with --max-length 24, so
# that 5M pairs score in minutes on 2 cores: memory is what is measured, not speed.
# usage: bash experiments/stream/run.sh [PAIRS]   (default 5000000; writes out/stream/,
#        prints the table and writes experiments/results/stream-<host>-<pairs>-<date>.json)
# Env: MGEO_BIN (default build/bin/mgeo-dist), MGEO_PY (default ~/.mgeo-dist-venv/bin/python),
#      MGEO_STREAM_RUNS (space-separated run names to do, default all; keep cyclic-np1, the reference).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
pairs=${1:-5000000}
bin=${MGEO_BIN:-build/bin/mgeo-dist}
py=${MGEO_PY:-$HOME/.mgeo-dist-venv/bin/python}
mpirun=(mpirun --oversubscribe); [[ $(id -u) -ne 0 ]] || mpirun+=(--allow-run-as-root)
work=out/stream
mkdir -p "$work"
input=$work/pairs-$pairs.csv
[[ -s $input ]] || "$bin" synth --pairs "$pairs" --seed 55 --output "$input"
input_h5=$work/pairs-$pairs.h5  # the same pairs (same seed) as HDF5
[[ -s $input_h5 ]] || "$bin" synth --pairs "$pairs" --seed 55 --output "$input_h5"
input_parquet=$work/pairs-$pairs.parquet  # and as Parquet
[[ -s $input_parquet ]] || "$bin" synth --pairs "$pairs" --seed 55 --output "$input_parquet"
common=(score --model data/models/tiny-random --max-length 24 --batch-size 64 --threads 1 --progress 60)
# The process alone: libraries loaded and torn down, no job.
/usr/bin/time -f "%M" -o "$work/idle.maxrss" "$bin" --help >/dev/null
runs=()
run() {  # name ranks format extra-args...   (format: csv, h5 or parquet, for both input and output)
  local name=$1 np=$2 format=$3; shift 3
  [[ -z ${MGEO_STREAM_RUNS:-} || " $MGEO_STREAM_RUNS " == *" $name "* ]] || return 0
  local in=$input out=$work/$name.$format
  [[ $format != h5 ]] || in=$input_h5
  [[ $format != parquet ]] || in=$input_parquet
  echo "+ ${mpirun[*]} -np $np $bin ${common[*]} --input $in --output $out $*"
  /usr/bin/time -f "%M" -o "$work/$name.maxrss" "${mpirun[@]}" -np "$np" "$bin" "${common[@]}" --input "$in" --output "$out" "$@"
  runs+=("$name")
}
run cyclic-np1 1 csv
run cyclic-np2 2 csv
run contiguous-np2 2 csv --sharding contiguous
run cyclic-np2-small-chunks 2 csv --chunk-rows 8192
run h5-cyclic-np2 2 h5
run parquet-cyclic-np2 2 parquet
"$py" experiments/stream/check.py --input "$input" --reference "$work/cyclic-np1.csv" --work "$work" \
  --out "experiments/results/stream-$(hostname -s)-$pairs-$(date -u +%F).json" "${runs[@]}"
