#!/usr/bin/env python3
"""What the part-by-part comparison says about a model's errors on generated pairs.

Makes labelled pairs with `mgeo-dist synth` (or reads --input), scores them with `mgeo-dist score --explain`
(the shipped default model unless --model), and reports, for the pairs the model calls
exact_match but whose label is not_match (its false matches), how many have each part in
conflict; then the binary F1 (exact_match against the rest) of the model alone and of the
model with one rule: a pair whose district, road, number or building conflicts is not a
match. Prints JSON; --out writes it too.

    python experiments/address/explain_errors.py --build build --pairs 4000 \
        --out experiments/results/address-explain-errors-2026-12-02.json
"""
import argparse
import csv
import datetime
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PARTS = ["province", "city", "district", "town", "road", "number", "poi", "building", "unit", "floor", "room"]
VETO = ["district", "road", "number", "building"]


def f1(pairs, predict):
    tp = sum(1 for p in pairs if predict(p) and p["truth"] == "exact_match")
    fp = sum(1 for p in pairs if predict(p) and p["truth"] != "exact_match")
    fn = sum(1 for p in pairs if not predict(p) and p["truth"] == "exact_match")
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": round(prec, 4), "recall": round(rec, 4),
            "f1": round(2 * prec * rec / (prec + rec), 4) if prec + rec else 0.0}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--model", default="")
    ap.add_argument("--input", default="", help="labelled pairs (id,addr1,addr2,label) instead of synth ones")
    ap.add_argument("--pairs", type=int, default=4000)
    ap.add_argument("--seed", type=int, default=4242)
    ap.add_argument("--ranks", type=int, default=2)
    ap.add_argument("--out", default="")
    args = ap.parse_args()
    exe = os.path.join(args.build, "bin", "mgeo-dist")
    tmp = tempfile.mkdtemp(prefix="mgeo-explain-")
    pairs_csv, scores_csv = os.path.join(tmp, "pairs.csv"), os.path.join(tmp, "scores.csv")
    if args.input:
        pairs_csv = args.input
    else:
        subprocess.run([exe, "synth", "--pairs", str(args.pairs), "--seed", str(args.seed), "--output", pairs_csv],
                       check=True, capture_output=True)
    cmd = ["mpirun", "--oversubscribe", "-np", str(args.ranks)]
    if os.geteuid() == 0:
        cmd.append("--allow-run-as-root")
    cmd += [exe, "score", "--input", pairs_csv, "--output", scores_csv, "--explain", "--threads", "1",
            "--progress", "0"]
    if args.model:
        cmd += ["--model", args.model]
    subprocess.run(cmd, check=True, capture_output=True)
    with open(pairs_csv, encoding="utf-8") as f:
        truth = {r["id"]: r["label"] for r in csv.DictReader(f)}
    with open(scores_csv, encoding="utf-8") as f:
        pairs = [dict(r, truth=truth[r["id"]]) for r in csv.DictReader(f) if r["status"] == "ok"]

    def model(p):
        return p["label"] == "exact_match"

    def with_veto(p):
        return model(p) and not any(p["cmp_" + part] == "conflict" for part in VETO)

    false_matches = [p for p in pairs if p["truth"] == "not_match" and model(p)]
    exact = [p for p in pairs if p["truth"] == "exact_match"]
    result = {
        "env": {"date": datetime.date.today().isoformat(), "command": " ".join(sys.argv),
                "model": args.model or "data/models/default", "pairs": len(pairs),
                "input": args.input or f"synth --pairs {args.pairs} --seed {args.seed}"},
        "false_matches": len(false_matches),
        "false_matches_with_conflict": {part: sum(p["cmp_" + part] == "conflict" for p in false_matches)
                                        for part in PARTS},
        "false_matches_with_any_veto_conflict": sum(any(p["cmp_" + v] == "conflict" for v in VETO)
                                                    for p in false_matches),
        "exact_match_pairs_with_veto_conflict": sum(any(p["cmp_" + v] == "conflict" for v in VETO) for p in exact),
        "exact_match_pairs": len(exact),
        "binary": {"model": f1(pairs, model), "model_with_veto": f1(pairs, with_veto)},
        "veto_parts": VETO,
    }
    text = json.dumps(result, ensure_ascii=False, indent=1)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
