#!/usr/bin/env bash
# What the HDF5 pre-check (a child process reading the whole input first) costs: the same
# read-everything job (`mgeo-dist vocab --input pairs.h5 --no-divisions`) with the check on
# and with MGEO_HDF5_CHECK=0, interleaved, REPEATS times, on a synthetic pair file of ROWS
# rows written by `mgeo-dist synth` (variable-length strings).
# usage: hdf5_check_cost.sh [ROWS=1000000] [REPEATS=3] [OUT=experiments/results/hdf5-check-cost.json]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bin=$root/build/bin/mgeo-dist
rows=${1:-1000000} repeats=${2:-3} out=${3:-$root/experiments/results/hdf5-check-cost.json}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" synth --pairs "$rows" --seed 31 --output "$work/pairs.h5" 2>/dev/null
runs=()
for r in $(seq "$repeats"); do
  for mode in check off; do
    start=$(date +%s.%N)
    if [[ $mode == off ]]; then
      MGEO_HDF5_CHECK=0 "$bin" vocab --input "$work/pairs.h5" --no-divisions --output "$work/v.txt" 2>/dev/null
    else
      "$bin" vocab --input "$work/pairs.h5" --no-divisions --output "$work/v.txt" 2>/dev/null
    fi
    s=$(python3 -c "print($(date +%s.%N) - $start)")
    runs+=("{\"repeat\": $r, \"mode\": \"$mode\", \"seconds\": $s}")
  done
done
python3 - "$out" "$rows" "$(stat -c %s "$work/pairs.h5")" "$(nproc)" "$(lscpu | sed -n 's/^Model name: *//p')" \
  "${runs[@]}" <<'PY'
import json, statistics, sys
out, rows, size, cores, cpu = sys.argv[1:6]
runs = [json.loads(r) for r in sys.argv[6:]]
extra = []
for r in sorted({x["repeat"] for x in runs}):
    by = {x["mode"]: x["seconds"] for x in runs if x["repeat"] == r}
    extra.append(by["check"] - by["off"])
res = {"command": "bash experiments/reliability/hdf5_check_cost.sh " + rows, "rows": int(rows), "file_bytes": int(size),
       "machine": f"{cpu}, {cores} cores", "runs": runs, "extra_seconds_per_repeat": extra,
       "median_extra_seconds": statistics.median(extra)}
json.dump(res, open(out, "w"), indent=1)
print(json.dumps({k: v for k, v in res.items() if k != "runs"}))
PY
