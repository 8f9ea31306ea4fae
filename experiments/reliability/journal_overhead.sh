#!/usr/bin/env bash
# The journal's cost: the same score job with and without --no-journal, interleaved,
# REPEATS times, one rank and one thread, on the shipped default model. Prints a JSON line
# per run and the median ratio; also the journal's size against the output's.
# usage: journal_overhead.sh [PAIRS=6000] [REPEATS=3] [OUT=experiments/results/journal-overhead.json]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bin=$root/build/bin/mgeo-dist
pairs=${1:-6000} repeats=${2:-3} out=${3:-$root/experiments/results/journal-overhead.json}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" synth --pairs "$pairs" --seed 21 --output "$work/pairs.csv" 2>/dev/null
common=(score --input "$work/pairs.csv" --threads 1 --quiet)
runs=()
for r in $(seq "$repeats"); do
  for mode in journal none; do
    extra=(); [[ $mode == none ]] && extra=(--no-journal)
    "$bin" "${common[@]}" --output "$work/$mode.csv" "${extra[@]}"
    s=$(python3 -c "import json;print(json.load(open('$work/$mode.csv.metrics.json'))['seconds'])")
    runs+=("{\"repeat\": $r, \"mode\": \"$mode\", \"seconds\": $s}")
  done
  cmp "$work/journal.csv" "$work/none.csv"
done
# The journal's size: a run stopped before its commit leaves it; measure it from a resume copy.
"$bin" "${common[@]}" --output "$work/size.csv" --chunk-rows 512 --sort-window 512 &
job=$!
while [[ ! -e "$work/.size.csv.journal" ]]; do sleep 0.05; done
while kill -0 $job 2>/dev/null; do cp "$work/.size.csv.journal" "$work/journal.copy" 2>/dev/null || true; sleep 0.05; done
wait $job
python3 - "$out" "$pairs" "$(stat -c %s "$work/journal.copy")" "$(stat -c %s "$work/size.csv")" "$(nproc)" \
  "$(lscpu | sed -n 's/^Model name: *//p')" "${runs[@]}" <<'PY'
import json, statistics, sys
out, pairs, jbytes, obytes, cores, cpu = sys.argv[1:7]
runs = [json.loads(r) for r in sys.argv[7:]]
ratios = []
for r in sorted({x["repeat"] for x in runs}):
    by = {x["mode"]: x["seconds"] for x in runs if x["repeat"] == r}
    ratios.append(by["journal"] / by["none"])
res = {"command": "bash experiments/reliability/journal_overhead.sh " + pairs, "pairs": int(pairs),
       "machine": f"{cpu}, {cores} cores", "runs": runs, "ratio_journal_over_none": ratios,
       "median_ratio": statistics.median(ratios),
       "journal_bytes_last_copy": int(jbytes), "output_bytes": int(obytes)}
json.dump(res, open(out, "w"), indent=1)
print(json.dumps({k: v for k, v in res.items() if k != "runs"}))
PY
