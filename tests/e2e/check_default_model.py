#!/usr/bin/env python3
"""Checks an eval of the default model on the hand-written pairs.

The cases the model must get right are judged on the binary question "same place?":
a match pair must be predicted exact_match, a non-match pair must not be."""
import argparse
import csv
import json
import sys

MUST = [
    ("上海市浦东新区张江路123号", "上海浦东张江路123号", True),
    ("杭州市西湖区文三路456号万塘大厦B座", "杭州西湖文三路456号万塘大厦B栋", True),
    ("北京市海淀区中关村大街８号", "北京市海淀区中关村大街8号", True),
    ("广州市天河区体育西路1号", "广州市越秀区体育西路1号", False),
    ("北京市朝阳区建国路8号", "北京市朝阳区建国路88号", False),
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--eval-dir", required=True)
    ap.add_argument("--pairs", required=True)
    ap.add_argument("--min-roc-auc", type=float, required=True)
    ap.add_argument("--must-cases", choices=["assert", "report"], default="assert",
                    help="report: print the named cases the model misses without failing")
    args = ap.parse_args()
    with open(args.pairs, encoding="utf-8", newline="") as f:
        pairs = {(r["addr1"], r["addr2"]): r["id"] for r in csv.DictReader(f)}
    with open(f"{args.eval_dir}/scores.csv", encoding="utf-8", newline="") as f:
        scores = {r["id"]: r for r in csv.DictReader(f)}
    failures, missed = [], []
    for a, b, same in MUST:
        rid = pairs.get((a, b))
        assert rid, f"must-have case missing from {args.pairs}: {a} / {b}"
        got = scores[rid]["label"]
        if (got == "exact_match") != same:
            missed.append(f"{rid}: {a} ~ {b}: predicted {got} (p_exact {scores[rid]['score']}), want "
                            f"{'exact_match' if same else 'not exact_match'}")
        else:
            print(f"ok {rid}: {a} ~ {b}: {got} (p_exact {float(scores[rid]['score']):.3f})")
    m = json.load(open(f"{args.eval_dir}/eval.json"))
    metrics = m.get("metrics", m)
    f1, auc = metrics["binary"]["at_model"]["f1"], metrics["binary"]["roc_auc"]
    print(f"hand-written set: accuracy {metrics['accuracy']:.3f}, binary F1 {f1:.3f}, ROC-AUC {auc:.3f}")
    if auc < args.min_roc_auc:
        failures.append(f"binary ROC-AUC {auc:.3f} < {args.min_roc_auc}")
    for m in missed:
        print(("MISSED " if args.must_cases == "report" else "") + m)
    if args.must_cases == "assert":
        failures += missed
    assert not failures, "\n".join(failures)


if __name__ == "__main__":
    sys.exit(main())
