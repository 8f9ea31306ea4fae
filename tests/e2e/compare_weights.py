#!/usr/bin/env python3
"""Compares two safetensors files tensor by tensor: same keys and shapes, max |a - b| <= atol.

With --differs-from C, also checks that A is not C (training moved the weights)."""
import argparse
import sys

import numpy as np
from safetensors.numpy import load_file


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("a")
    ap.add_argument("b")
    ap.add_argument("--atol", type=float, default=0.0)
    ap.add_argument("--differs-from")
    args = ap.parse_args()
    a, b = load_file(args.a), load_file(args.b)
    assert sorted(a) == sorted(b), f"keys differ: {sorted(set(a) ^ set(b))[:5]}"
    worst, where = 0.0, ""
    for k in a:
        assert a[k].shape == b[k].shape, f"{k}: shape {a[k].shape} vs {b[k].shape}"
        d = float(np.abs(a[k].astype(np.float64) - b[k].astype(np.float64)).max()) if a[k].size else 0.0
        if d > worst:
            worst, where = d, k
    assert worst <= args.atol, f"{args.a} vs {args.b}: max |diff| {worst:.3g} at {where} > {args.atol}"
    print(f"{args.a} vs {args.b}: {len(a)} tensors, max |diff| {worst:.3g} (atol {args.atol})")
    if args.differs_from:
        c = load_file(args.differs_from)
        moved = max(float(np.abs(a[k] - c[k]).max()) for k in a)
        assert moved > 1e-4, f"{args.a} equals {args.differs_from}: training did not move the weights"
        print(f"{args.a} vs {args.differs_from}: max |diff| {moved:.3g} (training moved the weights)")


if __name__ == "__main__":
    sys.exit(main())
