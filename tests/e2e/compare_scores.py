#!/usr/bin/env python3
"""Checks score files: equal to a reference run (atol 1e-6) and to HF transformers (atol 1e-4)."""
import argparse
import csv
import json
import math
import os
import sys

import numpy as np


def load(path):
    if path.endswith(".h5"):
        import h5py
        with h5py.File(path, "r") as f:
            ids = [x.decode() if isinstance(x, bytes) else x for x in f["id"][:]]
            status = [x.decode() if isinstance(x, bytes) else x for x in f["status"][:]]
            return ids, np.asarray(f["probs"][:], dtype=np.float64), status
    csv.field_size_limit(1 << 30)
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    labels = [c[len("prob_"):] for c in rows[0] if c.startswith("prob_")]
    probs = np.array([[float(r["prob_" + l]) if r["prob_" + l] else math.nan for l in labels] for r in rows])
    return [r["id"] for r in rows], probs, [r["status"] for r in rows]


def check_same(ref, other, name):
    ids, probs, status = other
    assert ids == ref[0], f"{name}: ids or their order differ from the reference"
    assert status == ref[2], f"{name}: statuses differ from the reference"
    diff = np.nanmax(np.abs(probs - ref[1]))
    assert np.array_equal(np.isnan(probs), np.isnan(ref[1])), f"{name}: scored rows differ"
    assert diff <= 1e-6, f"{name}: max |prob diff| {diff:.3g} > 1e-6"
    print(f"{name}: {len(ids)} rows equal to the reference (max diff {diff:.2g})")


def check_hf(ref, pairs_path, model_dir):
    import torch
    from transformers import BertForSequenceClassification

    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "reference"))
    import make_vocab

    csv.field_size_limit(1 << 30)
    with open(pairs_path, newline="", encoding="utf-8", errors="replace") as f:
        pairs = list(csv.DictReader(f))
    tok = make_vocab.hf_tokenizer(f"{model_dir}/vocab.txt")
    model = BertForSequenceClassification.from_pretrained(model_dir).eval()
    ok = [i for i, s in enumerate(ref[2]) if s in ("ok", "duplicate_id")]
    a = [pairs[i]["addr1"] for i in ok]
    b = [pairs[i]["addr2"] for i in ok]
    with torch.no_grad():
        enc = tok(a, b, truncation="longest_first", max_length=128, padding=True, return_tensors="pt")
        probs = torch.softmax(model(**enc).logits, dim=1).double().numpy()
    labels = [model.config.id2label[i] for i in range(probs.shape[1])]
    assert probs.shape == ref[1][ok].shape, (probs.shape, ref[1][ok].shape)
    diff = np.abs(probs - ref[1][ok]).max()
    assert diff <= 1e-4, f"HF transformers disagrees: max |prob diff| {diff:.3g} (labels {labels})"
    print(f"HF transformers: {len(ok)} scored rows agree (max diff {diff:.2g})")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reference", required=True)
    ap.add_argument("others", nargs="*")
    ap.add_argument("--pairs")
    ap.add_argument("--model")
    ap.add_argument("--metrics")
    ap.add_argument("--skip-bad-row-checks", action="store_true", help="the pairs hold no planted bad rows")
    args = ap.parse_args()
    ref = load(args.reference)
    want = {} if args.skip_bad_row_checks else {"bad-empty": "empty_address", "bad-utf8": "invalid_utf8", "bad-nul": "nul_byte",
            "bad-fields": "malformed_row", "bad-long": "field_too_long"}
    got = dict(zip(ref[0], ref[2]))
    for rid, st in want.items():
        assert got.get(rid) == st, f"row {rid}: status {got.get(rid)!r}, want {st!r}"
    if not args.skip_bad_row_checks:
        assert ref[2][-1] == "duplicate_id", f"last row (a repeated id) has status {ref[2][-1]!r}"
    for path in args.others:
        check_same(ref, load(path), path)
    if args.metrics:
        m = json.load(open(args.metrics))
        assert m["world"] == 2 and len(m["ranks"]) == 2, m
        assert m["rows"] == len(ref[0]), (m["rows"], len(ref[0]))
        assert sum(m["status_counts"].values()) == len(ref[0]), m["status_counts"]
        scored = sum(1 for s in ref[2] if s in ("ok", "duplicate_id"))
        assert m["pairs"] == scored, (m["pairs"], scored)
        print(f"metrics: {m['pairs']} pairs, padding {m['padding_fraction']:.3f}, {m['status_counts']}")
    if args.model:
        check_hf(ref, args.pairs, args.model)
    print("e2e: all checks passed")


if __name__ == "__main__":
    sys.exit(main())
