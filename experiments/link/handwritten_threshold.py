#!/usr/bin/env python3
"""Binary F1 on the hand-written pairs against the link threshold, with and without the
link vetoes (a district, road, number or building conflict stops a link).

Scores data/eval/handwritten.csv with `score --explain` (the default model unless --model)
and, for each threshold, counts a pair as linked when its score passes and (with vetoes)
no vetoed part conflicts: the decision `link` makes for one candidate.

usage: experiments/link/handwritten_threshold.py --build build [--model DIR] [--out FILE.json]
"""
import argparse
import csv
import json
import os
import subprocess
import tempfile

VETOED = ("cmp_province", "cmp_city", "cmp_district", "cmp_road", "cmp_number", "cmp_building")
THRESHOLDS = (0.1, 0.2, 0.27, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


def f1_at(rows, truth, t, veto):
    tp = fp = fn = 0
    for r in rows:
        if r["status"] != "ok":
            continue
        positive = truth[r["id"]] == "exact_match"
        vetoed = veto and any(r[c] == "conflict" for c in VETOED)
        linked = float(r["score"]) >= t and not vetoed
        tp += linked and positive
        fp += linked and not positive
        fn += (not linked) and positive
    return {"threshold": t, "f1": 2 * tp / max(1, 2 * tp + fp + fn), "tp": tp, "fp": fp, "fn": fn}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--model", default=None)
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    pairs = os.path.join(root, "data/eval/handwritten.csv")
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "scores.csv")
        cmd = [os.path.join(args.build, "bin/mgeo-dist"), "score", "--input", pairs, "--output", out, "--explain", "--quiet"]
        if args.model:
            cmd += ["--model", args.model]
        subprocess.run(cmd, check=True)
        rows = list(csv.DictReader(open(out, encoding="utf-8")))
    truth = {r["id"]: r["label"] for r in csv.DictReader(open(pairs, encoding="utf-8"))}
    result = {"pairs": len(rows), "model": args.model or "default",
              "with_vetoes": [f1_at(rows, truth, t, True) for t in THRESHOLDS],
              "without_vetoes": [f1_at(rows, truth, t, False) for t in THRESHOLDS]}
    print("threshold  F1 with vetoes  F1 without")
    for a, b in zip(result["with_vetoes"], result["without_vetoes"]):
        print(f"{a['threshold']:9}  {a['f1']:.4f} (fp {a['fp']}, fn {a['fn']})  {b['f1']:.4f} (fp {b['fp']}, fn {b['fn']})")
    if args.out:
        json.dump(result, open(args.out, "w"), indent=2)


if __name__ == "__main__":
    main()
