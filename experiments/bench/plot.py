#!/usr/bin/env python3
"""Draws RESULTS.md's plots from the raw JSON of the sweeps (sweep.py) and the multi-GPU model.

    python3 experiments/bench/plot.py --gpu experiments/results/gpu-h100-2026-11-23.json \
        --cpu experiments/results/cpu-2core-2026-11-23.json \
        --multigpu experiments/results/multigpu-model-h100-2026-11-23.json --out experiments/results/plots

Writes batch-sweep.png (pairs/s against batch size: ours and the eager HF loop on the H100 and
on the CPU, with the published RTX 4090D figures for context), multigpu-model.png (modelled
parallel efficiency against GPUs, per job size; marked as modelled) and, with --scaling JSON
(a sweep run with --repeats), scaling-repeats.png (every repeat's parallel efficiency per mode,
its median, and the 90% target). Needs matplotlib.
"""
import argparse
import json
import os
import statistics
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

# Published batch sweep (RTX 4090D, BERT-base-sized MGeo, 10,000 pairs): not measured here.
PUBLISHED = {1: 8.3, 8: 35.7, 16: 55.6, 32: 83.3, 64: 100.0}


def batch_series(runs, prefix, data=None):
    pts = sorted((r["batch_size"], r["pairs_per_s"]) for r in runs
                 if r["name"].startswith(prefix) and "error" not in r and (data is None or r["data"] == data)
                 and r["name"][len(prefix):].lstrip("b").isdigit())
    return [p[0] for p in pts], [p[1] for p in pts]


def plot_batches(gpu, cpu, out):
    fig, ax = plt.subplots(figsize=(8, 5))
    if gpu:
        g = json.load(open(gpu))
        for prefix, style, label in (("ours base fp32 b", "o-", "ours, H100, BERT-base size, fp32"),
                                     ("hf base fp32 b", "s--", "eager HF loop, H100, same model")):
            x, y = batch_series(g["runs"], prefix, data=min(r["data"] for r in g["runs"] if r["name"] == "ours base fp32 b1"))
            if x:
                ax.plot(x, y, style, label=label)
    if cpu:
        c = json.load(open(cpu))
        x, y = batch_series(c["runs"], "ours b")
        if x:
            ax.plot(x, y, "^-", label="ours, 2-core CPU, default model, 1 thread")
    ax.plot(list(PUBLISHED), list(PUBLISHED.values()), "x:", color="grey",
            label="published: RTX 4090D, MGeo base (not measured here)")
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xlabel("batch size (pairs)")
    ax.set_ylabel("pairs/s")
    ax.set_title("Scoring throughput against batch size")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    path = os.path.join(out, "batch-sweep.png")
    fig.savefig(path, dpi=110)
    return path


def plot_multigpu(multigpu, out, config="base/fp32"):
    m = json.load(open(multigpu))
    fig, ax = plt.subplots(figsize=(8, 5))
    for pairs in sorted({r["pairs"] for r in m["model"]}):
        rows = sorted((r["gpus"], r["efficiency"]) for r in m["model"] if r["config"] == config and r["pairs"] == pairs)
        ax.plot([g for g, _ in rows], [100 * e for _, e in rows], "o-", label=f"{pairs:,} pairs")
    ax.set_xscale("log", base=2)
    ax.set_ylim(0, 105)
    ax.set_xlabel("GPUs (8 per node)")
    ax.set_ylabel("parallel efficiency, %")
    ax.set_title(f"MODELLED from one measured H100 ({config}); no run used more than one GPU", fontsize=10)
    ax.grid(True, alpha=0.3)
    ax.legend()
    fig.tight_layout()
    path = os.path.join(out, "multigpu-model.png")
    fig.savefig(path, dpi=110)
    return path


def plot_scaling(scaling, out):
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from report import ratio_values  # the same per-repeat ratios as the tables
    d = json.load(open(scaling))
    eff = [(label, v) for label, factor, v, _ in ratio_values(d) if factor > 1 and v]
    fig, ax = plt.subplots(figsize=(9, 4.5))
    for i, (label, v) in enumerate(eff):
        ax.plot([100 * x for x in v], [i] * len(v), "o", alpha=0.5, color="tab:blue")
        ax.plot([100 * statistics.median(v)], [i], "D", color="tab:red", markersize=8)
    ax.axvline(90, color="gray", linestyle="--", label="target 90%")
    ax.plot([], [], "o", color="tab:blue", alpha=0.5, label="one repeat")
    ax.plot([], [], "D", color="tab:red", label="median")
    ax.set_yticks(range(len(eff)))
    ax.set_yticklabels([label.replace(" vs ", "\nvs ") for label, _ in eff], fontsize=8)
    ax.set_xlabel("parallel efficiency, % (2 cores)")
    ax.set_title(f"{d['env']['host_cpu']}, {d['env']['cores']} cores, {d['env']['date'][:10]}: "
                 f"{max(r.get('repeat', 0) for r in d['runs']) + 1} interleaved repeats", fontsize=10)
    ax.grid(True, axis="x", alpha=0.3)
    ax.legend(fontsize=8, loc="lower left")
    fig.tight_layout()
    path = os.path.join(out, "scaling-repeats.png")
    fig.savefig(path, dpi=110)
    return path


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gpu")
    ap.add_argument("--cpu")
    ap.add_argument("--multigpu")
    ap.add_argument("--scaling")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    if a.gpu or a.cpu:
        print(plot_batches(a.gpu, a.cpu, a.out))
    if a.multigpu:
        print(plot_multigpu(a.multigpu, a.out))
    if a.scaling:
        print(plot_scaling(a.scaling, a.out))


if __name__ == "__main__":
    main()
