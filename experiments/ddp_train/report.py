#!/usr/bin/env python3
"""Markdown table of an experiments/ddp_train run, from its raw files (no typed numbers)."""
import argparse
import datetime
import json
import os
import platform
import subprocess


def steps_to(log, target):
    for rec in log:
        if rec["loss"] <= target:
            return rec["step"]
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--pairs", type=int)
    ap.add_argument("--cores", type=int)
    ap.add_argument("--target-loss", type=float, default=0.6)
    args = ap.parse_args()
    rows = []
    for np_ in (1, 2):
        d = os.path.join(args.out, f"np{np_}")
        if not os.path.exists(os.path.join(d, "train_metrics.json")):
            continue
        m = json.load(open(os.path.join(d, "train_metrics.json")))
        log = [json.loads(l) for l in open(os.path.join(d, "train_log.jsonl"))]
        ev = json.load(open(os.path.join(d, "eval", "eval.json")))["metrics"]
        rows.append((np_, m, log, ev))
    try:
        torch_version = subprocess.run(["python3", "-c", "import torch; print(torch.__version__)"],
                                       capture_output=True, text=True).stdout.strip()
    except OSError:
        torch_version = "?"
    print(f"Machine: {platform.node()}, {args.cores} CPU cores, {platform.platform()}; "
          f"date {datetime.date.today()}; {args.pairs} training pairs, "
          f"global batch {rows[0][1]['batch_size']}, {rows[0][1]['steps']} steps, device {rows[0][1]['device']}\n")
    print(f"| ranks x threads | s / epoch | pairs/s | allreduce s (rank 0) | steps to loss <= {args.target_loss} "
          f"| final train loss | held-out accuracy | held-out binary F1 | ROC-AUC |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for np_, m, log, ev in rows:
        epoch_s = sum(m["epoch_seconds"]) / len(m["epoch_seconds"])
        b = ev["binary"]
        print(f"| {np_} x {args.cores // np_} | {epoch_s:.1f} | {m['steps'] * m['batch_size'] / sum(m['epoch_seconds']):.0f} "
              f"| {m['allreduce_seconds_rank0']:.2f} | {steps_to(log, args.target_loss)} | {log[-1]['loss']:.4f} "
              f"| {ev['accuracy']:.4f} | {b['at_model']['f1']:.4f} | {b['roc_auc']:.4f} |")


if __name__ == "__main__":
    main()
