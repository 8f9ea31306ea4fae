#!/usr/bin/env bash
# The nightly job at full size: QUERIES typed queries against a MASTERS-row master list
# (default 100,000 x 500,000, synth seed 909, 30% near misses), linked with the default
# model on 1 rank x 2 threads and on 2 ranks x 1 thread; each run's metrics JSON (stage
# seconds and peak memory), its evaluation against the truth, and a check that both runs
# wrote the same bytes. Writes OUT/summary.json.
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
cmp "$out/links-np1.csv" "$out/links-np2.csv" && same=true || same=false
python3 - "$out" "$same" "$masters" "$queries" <<'PY'
import json, sys, platform, os
out, same, masters, queries = sys.argv[1], sys.argv[2] == "true", int(sys.argv[3]), int(sys.argv[4])
runs = {}
for np in (1, 2):
    m = json.load(open(f"{out}/links-np{np}.csv.metrics.json"))
    e = json.load(open(f"{out}/eval-np{np}/eval_link.json"))
    runs[f"np{np}"] = {"stages": m["stages"], "ranks": m["ranks"], "wall_s": m["wall_s"],
                       "pairs": m["candidates"]["pairs"], "index_bytes_per_row": m["masters"]["index_bytes_per_row"],
                       "score_pairs_per_s": sum(r["pairs"] for r in m["score"]["ranks"]) / m["score"]["wall_s"],
                       "reasons": m["reasons"], "f1": e["f1"], "precision": e["precision"], "recall": e["recall"],
                       "best_threshold": e["best_threshold"], "candidate_recall": e["candidates"]["recall"],
                       "recall_at": e["candidates"]["recall_at"], "per_query": e["candidates"]["mean_per_query"]}
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
json.dump({"masters": masters, "queries": queries, "seed": 909, "cpu": cpu, "cores": os.cpu_count(),
           "same_bytes_np1_np2": same, "runs": runs}, open(f"{out}/summary.json", "w"), indent=2)
print(json.dumps(runs, indent=1)[:3000])
PY
