#!/usr/bin/env bash
# The nightly job at full size: QUERIES typed queries against a MASTERS-row master list
# (default 100,000 x 500,000, synth seed 909, 30% near misses), linked with the default
# model on 1 rank x 2 threads and on 2 ranks x 1 thread; each run's metrics JSON (stage
# seconds and peak memory), its evaluation against the truth, and a check that both runs
# made the same decisions (scores agree to 1e-6: 2 threads and 1 thread sum in another order).
# Writes OUT/summary.json (experiments/link/scale_summary.py).
# usage: experiments/link/scale.sh OUT_DIR [MASTERS QUERIES]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out=$1 masters=${2:-500000} queries=${3:-100000}
bin=${MGEO_BIN:-$root/build/bin/mgeo-dist}
mpirun=(mpirun --oversubscribe)
[[ $(id -u) -ne 0 ]] || mpirun+=(--allow-run-as-root)
mkdir -p "$out"
[[ -f "$out/set/truth.csv" ]] || "$bin" synth --link --master "$masters" --queries "$queries" --seed 909 --output-dir "$out/set"
for np in 1 2; do
  threads=$((2 / np))
  /usr/bin/time -v "${mpirun[@]}" -np $np "$bin" link --master "$out/set/master.csv" --queries "$out/set/queries.csv" \
    --output "$out/links-np$np.csv" --candidates-output "$out/cands-np$np.csv" --threads $threads --progress 60 \
    2> "$out/link-np$np.log"
  "$bin" eval-link --links "$out/links-np$np.csv" --truth "$out/set/truth.csv" --candidates "$out/cands-np$np.csv" \
    --output-dir "$out/eval-np$np" 2>> "$out/link-np$np.log"
done
python3 "$root/experiments/link/scale_summary.py" "$out" "$masters" "$queries"
