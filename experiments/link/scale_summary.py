#!/usr/bin/env python3
"""Summary of experiments/link/scale.sh: per run (1 rank x 2 threads, 2 ranks x 1 thread) the
stage seconds and peak memory, scoring rate, link quality, and whether both runs decided
the same. usage: scale_summary.py OUT_DIR MASTERS QUERIES"""
import csv
import json
import os
import sys


def main():
    out, masters, queries = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    runs = {}
    for np in (1, 2):
        m = json.load(open(f"{out}/links-np{np}.csv.metrics.json"))
        e = json.load(open(f"{out}/eval-np{np}/eval_link.json"))
        sweep = {round(p["threshold"], 2): p for p in e["sweep"]}
        runs[f"np{np}"] = {
            "stages": m["stages"], "wall_s": m["wall_s"], "pairs": m["candidates"]["pairs"],
            "index_bytes_per_row": m["masters"]["index_bytes_per_row"],
            "score_pairs_per_s": m["score"]["pairs_per_s"], "reasons": m["reasons"],
            "threshold": m.get("options", {}).get("threshold", m.get("threshold")),
            "f1": e["f1"], "precision": e["precision"], "recall": e["recall"],
            "f1_at_0.3": sweep[0.3]["f1"], "f1_at_0.5": sweep[0.5]["f1"], "best_threshold": e["best_threshold"],
            "candidate_recall": e["candidates"]["recall"], "recall_at": e["candidates"]["recall_at"],
            "candidates_per_query": e["candidates"]["mean_per_query"]}
    rows = [list(csv.DictReader(open(f"{out}/links-np{np}.csv", encoding="utf-8"))) for np in (1, 2)]
    keys = ("query_id", "master_id", "second_id", "best_id", "reason")
    same = all(all(a[k] == b[k] for k in keys) for a, b in zip(*rows)) and len(rows[0]) == len(rows[1])
    diff = max((abs(float(a["score"]) - float(b["score"])) for a, b in zip(*rows) if a["score"] and b["score"]), default=0)
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    summary = {"masters": masters, "queries": queries, "seed": 909, "cpu": cpu, "cores": os.cpu_count(),
               "same_decisions_np1_np2": same, "max_score_diff_np1_np2": diff, "runs": runs}
    json.dump(summary, open(f"{out}/summary.json", "w"), indent=2)
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
