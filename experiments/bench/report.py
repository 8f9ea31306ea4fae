#!/usr/bin/env python3
"""Turns a sweep's raw JSON (experiments/bench/sweep.py) into the Markdown tables of RESULTS.md.

    python3 experiments/bench/report.py experiments/results/gpu-h100-2026-11-23.json

Columns: pairs/s over the whole run (read to write) and over the forward passes alone; tokens/s
(real tokens); padding (share of padded positions); the time split of the slowest rank;
achieved TFLOP/s (2 x non-embedding parameters + attention, per real token, over the whole
run); speed-up over the eager HF baseline of the same model, precision, input, CPU threads in all
(on a CPU) and batch size (else its batch-64 run); and the
largest |score difference| from the reference run (ours, fp32, batch 64, one rank).
"""
import argparse
import json
import os
import statistics

SHAPES = {  # layers, hidden, intermediate of the models the sweeps use
    "base": (12, 768, 3072),
    "default": (4, 256, 1024),
}


def flops_per_token(model, avg_len):
    layers, h, inter = SHAPES[model]
    dense = layers * (4 * h * h + 2 * h * inter) + h * h  # attention projections, FFN, pooler
    attention = layers * 2 * h * avg_len  # QK^T and AV, per token
    return 2 * (dense + attention)


def fmt_split(s):
    return "/".join(f"{s[k]:.1f}" for k in ("read", "tokenize", "forward", "gather", "write")) if s else "-"


def ratio_values(d):
    """Each ratio of a repeated sweep ("ratios" in its JSON), computed within every repeat:
    (label, factor, values over the whole run, values over the forward passes alone)."""
    runs = [r for r in d["runs"] if "error" not in r]
    repeats = max(r.get("repeat", 0) for r in runs) + 1
    rate = {(r["name"], r.get("repeat", 0)): r["pairs_per_s"] for r in runs}
    # the forward passes alone: each rank's pairs over its forward seconds, summed over ranks
    fwd_rate = {(r["name"], r.get("repeat", 0)): sum(p / f for p, f in zip(r["rank_pairs"], r["rank_forward_s"]) if f > 0)
                for r in runs if r.get("rank_pairs")}

    def per_repeat(table, run, base, factor):
        return [table[(run, k)] / (factor * table[(base, k)]) for k in range(repeats)
                if (run, k) in table and (base, k) in table]

    return [(label, factor, per_repeat(rate, run, base, factor), per_repeat(fwd_rate, run, base, factor))
            for label, run, base, factor in d.get("ratios", [])]


def repeated_report(d):
    """Runs repeated with --repeats: each run's median and range, then each ratio of the profile
    computed within every repeat (its runs ran minutes apart) and summarised."""
    runs = [r for r in d["runs"] if "error" not in r]
    names = list(dict.fromkeys(r["name"] for r in runs))
    repeats = max(r.get("repeat", 0) for r in runs) + 1
    print(f"{repeats} repeats, interleaved: every repeat runs the whole list once, in this order.\n")
    print("| run | ranks x threads | pairs | median pairs/s | min–max pairs/s | max abs diff vs ref |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name in names:
        rs = [r for r in runs if r["name"] == name]
        v = [r["pairs_per_s"] for r in rs]
        threads = rs[0].get("threads_per_rank", rs[0].get("threads", 1))
        diffs = [r["max_abs_diff"] for r in rs if r.get("max_abs_diff") is not None]
        print(f"| {name} | {rs[0]['ranks']} x {threads} | {rs[0]['pairs']} | {statistics.median(v):.0f} | "
              f"{min(v):.0f}–{max(v):.0f} | {f'{max(diffs):.1e}' if diffs else '-'} |")
    if not d.get("ratios"):
        return
    print("\n| ratio (per repeat) | median | min–max | per repeat | forward passes alone: median |")
    print("| --- | --- | --- | --- | --- |")
    for label, factor, v, f in ratio_values(d):
        if not v:
            continue
        show = (lambda x: f"{x:.0%}") if factor > 1 else (lambda x: f"{x:.2f}x")
        print(f"| {label} | {show(statistics.median(v))} | {show(min(v))}–{show(max(v))} | "
              f"{', '.join(show(x) for x in v)} | {show(statistics.median(f)) if f else '-'} |")
    loads = [r["load_1m_before"] for r in d["runs"] if "load_1m_before" in r]
    if loads:
        print(f"\nLoad average (1 min) before each run: {min(loads):.1f}–{max(loads):.1f}.")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("json")
    a = ap.parse_args()
    d = json.load(open(a.json))
    env = d["env"]
    print(f"Machine: {env['gpu'] or env['host_cpu']}, {env['cores']} CPU cores; torch/transformers "
          f"{env['torch_transformers']}; {env['mpirun']}; Python {env['python']}; {env['date']}.  ")
    print(f"Command: `{env['command']}` (raw: `{os.path.relpath(a.json)}`)\n")
    if any(r.get("repeat", 0) > 0 for r in d["runs"]):
        repeated_report(d)
        for r in d["runs"]:
            if "error" in r:
                print(f"\nFailed: {r['name']} (repeat {r.get('repeat', 0)}): {r['error'][-300:]!r}")
        return
    runs = [r for r in d["runs"] if "error" not in r]
    def cores(r):  # CPU threads in use; on a GPU the comparison ignores them
        if r.get("device", "cpu") != "cpu":
            return 0
        return r["threads"] if r["impl"] == "hf_eager" else r.get("threads_per_rank", 1) * r["ranks"]

    base = {}
    for r in runs:
        if r["impl"] == "hf_eager":
            base.setdefault((r["model"], r["data"], r.get("precision", "fp32"), cores(r), r["batch_size"]),
                            r["pairs_per_s"])
    print("| run | model | ranks | pairs | pairs/s | forward-only pairs/s | tokens/s | padding | "
          "read/tok/fwd/gather/write s | TFLOP/s | vs HF eager (same batch, else b64) | max abs diff vs ref |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in runs:
        prec = r.get("precision", r["opts"].get("precision", "fp32"))
        avg_len = r["tokens_per_s"] / r["pairs_per_s"]
        tflops = r["tokens_per_s"] * flops_per_token(r["model"], avg_len) / 1e12
        fwd = r["pairs"] / r["split_s"]["forward"] if r.get("split_s") else None
        key = (r["model"], r["data"], prec, cores(r))
        ref = base.get(key + (r.get("batch_size"),)) or base.get(key + (64,))
        vs = f"{r['pairs_per_s'] / ref:.2f}x" if ref and r["impl"] != "hf_eager" else "-"
        diff = r.get("max_abs_diff")
        print(f"| {r['name']} | {r['model']} | {r['ranks']} | {r['pairs']} | {r['pairs_per_s']:.0f} | "
              f"{f'{fwd:.0f}' if fwd else '-'} | {r['tokens_per_s']:.0f} | {r['padding_fraction']:.3f} | "
              f"{fmt_split(r.get('split_s'))} | {tflops:.2f} | {vs} | {'-' if diff is None else f'{diff:.1e}'} |")
    work = [r for r in runs if r["impl"] != "hf_eager" and not r["data"].startswith("synth")]
    if work:
        print("\nRepeated pairs and skewed lengths (from the same JSON):\n")
        print("| run | input | ranks | sharding, rounds | pairs/s | repeats reused | forward s per rank | "
              "wait s per rank (max) | max abs diff vs ref |")
        print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
        for r in work:
            diff = r.get("max_abs_diff")
            fwd = " / ".join(f"{x:.1f}" for x in r.get("rank_forward_s", []))
            print(f"| {r['name']} | {r['data']} | {r['ranks']} | {r.get('sharding', '')}, {r.get('rounds', '')} | "
                  f"{r['pairs_per_s']:.0f} | {r.get('repeats', 0)} ({r.get('repeats', 0) / max(1, r['pairs']):.0%}) | "
                  f"{fwd} | {r['split_s'].get('wait', 0):.1f} | {'-' if diff is None else f'{diff:.1e}'} |")
    for r in d["runs"]:
        if "error" in r:
            print(f"\nFailed: {r['name']}: {r['error'][-300:]!r}")


if __name__ == "__main__":
    main()
