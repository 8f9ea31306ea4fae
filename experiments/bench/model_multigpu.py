#!/usr/bin/env python3
"""Models scoring time on 1-64 GPUs from one GPU's MEASURED sweep (the JSON of experiments/bench/sweep.py).

    python3 experiments/bench/model_multigpu.py SWEEP.json [--out MODEL.json] [--config base/fp32 ...|all]
        [--nvlink-gbs 300] [--ib-gbs 40] [--alpha-nvlink-us 10] [--alpha-ib-us 5] [--algo tree|ring] ...

No GPU beyond the one in the sweep was used: every multi-GPU figure printed is MODELLED. The only
inputs are the measured single-GPU numbers below and the stated link assumptions (all flags).

MEASURED (read from the JSON; one H100, one node; per (model, precision)):
  r        compute rate of one rank on one GPU = pairs / (tokenize_s + forward_s) of the single-rank
           mgeo-dist run with the highest such rate. (A run's end-to-end pairs/s also counts model
           load, gather and write, which the model adds separately; using it as r would count them twice.)
  r2       per-GPU compute rate with 2 ranks sharing one GPU = pairs / max over ranks (tokenize_s +
           forward_s), where the sweep has such a run (one process leaves the GPU host/launch-bound).
  t_start  read_s (model load, tokenizer, input open and shard read) + untimed rest (seconds minus the
           sum of the split), median over that model's single-rank runs; every rank pays it in parallel,
           taken as independent of G and N (at 5k and 50k pairs it does not change).
  t_launch wall_s - seconds (mpirun, MPI init, report, exit), median over single-rank runs.
  w        write seconds per pair (rank 0 alone writes the CSV), median over single-rank runs.
  m        rank-0 merge seconds per pair (id de-duplication after the gather), estimated as
           (rank 0's end - rank 1's end) / pairs in the 2-rank run; one 50k-pair run, so rough
           (--merge-us-per-pair overrides it to test the sensitivity).
  t_init   NCCL communicator set-up, paid once per job when G > 1: gather_s of the single-rank runs
           (they built a communicator to gather with themselves) minus pairs * m, median.

ASSUMED (flags; not measured here):
  bytes to rank 0  B = N * (4 * labels + 8 + id_bytes + 1): fp32 probabilities, the int64 id length and
                   the id characters (Communicator::gather_strings), one status byte; labels = 3,
                   id_bytes = 9 ("p%08d" ids of `mgeo-dist synth`).
  links            8 GPUs per node; NVLink 4 inside a node, ~300 GB/s effective per direction for an NCCL
                   gather; InfiniBand NDR 400 Gb/s between nodes, ~40 GB/s effective (rank 0's GPU's NIC);
                   latency alpha per step ~10 us NVLink, ~5 us IB; 5 collectives per gather (counts,
                   id lengths, id bytes, probabilities, status).

MODEL (N pairs, G GPUs, one rank per GPU, perfect static balance):
  T(N, G)   = t_launch + t_start + N / (G r) + T_gather(N, G) + N w
  T_gather  = N m                                                   for G = 1 (host copy, no network)
            = t_init + c * lat(G) + B_nv / bw_nv + B_ib / bw_ib + N m   for G > 1
  with g = min(G, 8) GPUs on rank 0's node, nodes = ceil(G / 8), c = collectives per gather, and the
  gather-to-rank-0 bottleneck: rank 0's incoming links carry (G - 1) / G of B,
            B_nv = B (g - 1) / G over NVLink,  B_ib = B (G - g) / G over rank 0's IB link
            (summed, not overlapped: conservative). Any gather algorithm must move these bytes into
            rank 0; tree or ring only changes the latency:
            lat_tree(G) = ceil(log2 g) alpha_nv + ceil(log2 nodes) alpha_ib
            lat_ring(G) = (G - 1) * (alpha_ib if nodes > 1 else alpha_nv)
  pairs/s = N / T;  speed-up S = T(N, 1) / T(N, G);  efficiency = S / G;  gather share = T_gather / T.
  2 ranks per GPU (column "2r/GPU"): r -> r2, 2G ranks (16 per node) in lat and B split, no t_init
  (NCCL refuses two ranks on one GPU, so that run gathered with MPI, as measured).
Not modelled: node-to-node skew, a shared file system's load on t_start, multi-node launch cost
(t_launch is one node's), disk bandwidth for very large outputs (w is from 5k-50k-pair files).
"""
import argparse
import json
import math
import os
import statistics
import sys

GPUS = (1, 2, 4, 8, 16, 32, 64)
SIZES = (100_000, 5_000_000, 50_000_000)
SPLIT = ("read", "tokenize", "forward", "gather", "write")
# Published reference (others' measurements, RTX 4090D, BERT-base-sized MGeo, 100k pairs): name, GPUs, seconds
PUBLISHED = (("1 card", 1, 14 * 60 + 23), ("2 cards, DataParallel", 2, 12 * 60 + 51), ("2 cards, DDP", 2, 11 * 60 + 7))
PUBLISHED_PAIRS = 100_000


def measured_inputs(runs):
    """Per (model, precision): the measured quantities of the docstring."""
    ours = [r for r in runs if r.get("impl") == "mgeo-dist" and "error" not in r and r.get("split_s")]
    one = [r for r in ours if r["ranks"] == 1]
    two = [r for r in ours if r["ranks"] == 2]

    def rest(r):  # untimed part of the rank's total: scorer set-up, batch planning
        return max(0.0, r["seconds"] - sum(r["split_s"][k] for k in SPLIT))

    def rate(r):
        return r["pairs"] / (r["split_s"]["tokenize"] + r["split_s"]["forward"])

    launch = statistics.median(r["wall_s"] - r["seconds"] for r in one)
    write = statistics.median(r["split_s"]["write"] / r["pairs"] for r in one)
    merge = statistics.median(max(0.0, (r["rank_seconds"][0] - max(r["rank_seconds"][1:])) / r["pairs"])
                              for r in two) if two else 0.0
    init = statistics.median(max(0.0, r["split_s"]["gather"] - r["pairs"] * merge) for r in one)
    out = {}
    for key in sorted({(r["model"], r["precision"]) for r in one}):
        model_runs = [r for r in one if r["model"] == key[0]]
        cands = [r for r in one if (r["model"], r["precision"]) == key]
        best = max(cands, key=rate)
        c = {"model": key[0], "precision": key[1], "best_run": best["name"], "best_run_pairs": best["pairs"],
             "best_run_batch_size": best["batch_size"], "best_run_pairs_per_s_end_to_end": best["pairs_per_s"],
             "best_run_wall_s": best["wall_s"], "best_run_gather_s": best["split_s"]["gather"],
             "r_pairs_per_s": rate(best),
             "t_start_s": statistics.median(r["split_s"]["read"] + rest(r) for r in model_runs),
             "t_launch_s": launch, "write_s_per_pair": write, "merge_s_per_pair": merge, "t_init_s": init,
             "r2_pairs_per_s_per_gpu": None, "r2_run": None}
        pair = [r for r in two if (r["model"], r["precision"]) == key]
        if pair:
            p = max(pair, key=lambda r: r["pairs"] / (r["split_s"]["tokenize"] + r["split_s"]["forward"]))
            c["r2_pairs_per_s_per_gpu"] = p["pairs"] / (p["split_s"]["tokenize"] + p["split_s"]["forward"])
            c["r2_run"], c["r2_run_wall_s"], c["r2_run_pairs"] = p["name"], p["wall_s"], p["pairs"]
        out[f"{key[0]}/{key[1]}"] = c
    return out


def gather_s(n, ranks, per_node, a, merge, init):
    """Seconds of the gather to rank 0 (see the docstring), split into its terms."""
    if ranks == 1:
        return {"init": 0.0, "latency": 0.0, "transfer": 0.0, "merge": n * merge}
    g, nodes = min(ranks, per_node), math.ceil(ranks / per_node)
    b = n * (4 * a.labels + 8 + a.id_bytes + 1)
    b_nv, b_ib = b * (g - 1) / ranks, b * (ranks - g) / ranks
    alpha_nv, alpha_ib = a.alpha_nvlink_us * 1e-6, a.alpha_ib_us * 1e-6
    if a.algo == "tree":
        lat = math.ceil(math.log2(g)) * alpha_nv + (math.ceil(math.log2(nodes)) * alpha_ib if nodes > 1 else 0.0)
    else:
        lat = (ranks - 1) * (alpha_ib if nodes > 1 else alpha_nv)
    return {"init": init, "latency": a.collectives * lat,
            "transfer": b_nv / (a.nvlink_gbs * 1e9) + b_ib / (a.ib_gbs * 1e9), "merge": n * merge}


def job_time(c, n, gpus, a, two_per_gpu=False):
    r = c["r2_pairs_per_s_per_gpu"] if two_per_gpu else c["r_pairs_per_s"]
    ranks, per_node = (2 * gpus, 2 * a.gpus_per_node) if two_per_gpu else (gpus, a.gpus_per_node)
    init = 0.0 if two_per_gpu else c["t_init_s"]
    g = gather_s(n, ranks, per_node, a, c["merge_s_per_pair"], init)
    parts = {"launch": c["t_launch_s"], "startup": c["t_start_s"], "compute": n / (gpus * r),
             "gather": sum(g.values()), "write": n * c["write_s_per_pair"]}
    return sum(parts.values()), parts, g


def model_rows(c, a):
    rows = []
    for n in SIZES:
        t1, _, _ = job_time(c, n, 1, a)
        t1_two = job_time(c, n, 1, a, True)[0] if c["r2_pairs_per_s_per_gpu"] else None
        for gpus in GPUS:
            t, parts, g = job_time(c, n, gpus, a)
            row = {"config": f"{c['model']}/{c['precision']}", "pairs": n, "gpus": gpus,
                   "nodes": math.ceil(gpus / a.gpus_per_node), "seconds": t, "pairs_per_s": n / t,
                   "speed_up": t1 / t, "efficiency": t1 / t / gpus, "gather_share": parts["gather"] / t,
                   "rank0_serial_share": (g["merge"] + parts["write"]) / t, "parts_s": parts, "gather_parts_s": g,
                   "status": "MODELLED (compute rate r MEASURED)" if gpus == 1 else "MODELLED"}
            if t1_two:
                t2 = job_time(c, n, gpus, a, True)[0]
                row |= {"two_per_gpu_seconds": t2, "two_per_gpu_pairs_per_s": n / t2,
                        "two_per_gpu_efficiency": t1_two / t2 / gpus}
            rows.append(row)
    return rows


def fmt_n(n):
    return f"{n // 1_000_000}M" if n >= 1_000_000 else f"{n // 1000}k"


def print_tables(d, configs, measured, rows, a):
    env = d["env"]
    print(f"Input (MEASURED): `{os.path.relpath(a.json)}` — {env.get('gpu') or env.get('host_cpu')}, "
          f"{env.get('cores')} CPU cores, {env.get('date')}; sweep command `{env.get('command')}`.  ")
    print(f"Command: `{a.command}`  ")
    print("Every row of the model tables is MODELLED; only the per-GPU compute rate r at G=1 (and its "
          "inputs below) is MEASURED, on one GPU. No run used more than one GPU.\n")
    print("Measured inputs (one H100, from the sweep's per-rank time split):\n")
    print("| model/precision | best single-rank run | batch | end-to-end pairs/s | r: compute pairs/s "
          "(tokenize+forward) | r2: per GPU, 2 ranks/1 GPU | t_start s | t_launch s | write us/pair | "
          "merge us/pair | NCCL init s |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for k, c in measured.items():
        r2 = f"{c['r2_pairs_per_s_per_gpu']:,.0f} ({c['r2_run']})" if c["r2_pairs_per_s_per_gpu"] else "-"
        print(f"| {k} | {c['best_run']} ({c['best_run_pairs']:,} pairs) | {c['best_run_batch_size']} | "
              f"{c['best_run_pairs_per_s_end_to_end']:,.0f} | {c['r_pairs_per_s']:,.0f} | {r2} | "
              f"{c['t_start_s']:.2f} | {c['t_launch_s']:.2f} | {c['write_s_per_pair'] * 1e6:.2f} | "
              f"{c['merge_s_per_pair'] * 1e6:.2f} | {c['t_init_s']:.2f} |")
    print("\nConsistency check (not an independent test: the inputs come from these runs): the model at the "
          "best run's size on one GPU, plus the NCCL self-gather that run still paid, against its measured wall time:")
    for k, c in measured.items():
        t = job_time(c, c["best_run_pairs"], 1, a)[0] + c["t_init_s"]
        line = f"{k}: {t:.2f} s modelled, {c['best_run_wall_s']:.2f} s measured"
        if c["r2_pairs_per_s_per_gpu"]:
            t2 = job_time(c, c["r2_run_pairs"], 1, a, True)[0]
            line += f"; 2 ranks/1 GPU: {t2:.2f} s modelled, {c['r2_run_wall_s']:.2f} s measured"
        print(f"- {line}")
    print(f"\nAssumed links (flags): {a.gpus_per_node} GPUs/node; NVLink {a.nvlink_gbs:g} GB/s, alpha "
          f"{a.alpha_nvlink_us:g} us; IB {a.ib_gbs:g} GB/s, alpha {a.alpha_ib_us:g} us; {a.algo} latency, "
          f"{a.collectives} collectives/gather; {4 * a.labels + 8 + a.id_bytes + 1} bytes/pair to rank 0.")
    for k in configs:
        c, rs = measured[k], [x for x in rows if x["config"] == k]
        print(f"\n**{k}** (r = {c['r_pairs_per_s']:,.0f} pairs/s/GPU MEASURED; all else MODELLED). "
              "Per job size: pairs/s, speed-up over 1 GPU, parallel efficiency, share of time in the gather"
              + (", and pairs/s with 2 ranks per GPU (r2)" if c["r2_pairs_per_s_per_gpu"] else "") + ".\n")
        two = c["r2_pairs_per_s_per_gpu"] is not None
        head = ["GPUs", "nodes"]
        for n in SIZES:
            head += [f"{fmt_n(n)} pairs/s", "speed-up", "eff.", "gather"] + (["2r/GPU pairs/s"] if two else [])
        print("| " + " | ".join(head) + " |")
        print("| " + " | ".join("---" for _ in head) + " |")
        for gpus in GPUS:
            cells = [str(gpus), str(math.ceil(gpus / a.gpus_per_node))]
            for n in SIZES:
                x = next(x for x in rs if x["gpus"] == gpus and x["pairs"] == n)
                cells += [f"{x['pairs_per_s']:,.0f}", f"{x['speed_up']:.1f}x", f"{100 * x['efficiency']:.0f}%",
                          f"{100 * x['gather_share']:.0f}%"]
                if two:
                    cells.append(f"{x['two_per_gpu_pairs_per_s']:,.0f}")
            print("| " + " | ".join(cells) + " |")
        print()
        for n in SIZES[1:]:
            big = next(x for x in rs if x["gpus"] == GPUS[-1] and x["pairs"] == n)
            p, g = big["parts_s"], big["gather_parts_s"]
            print(f"- {fmt_n(n)} pairs on {GPUS[-1]} GPUs: {big['seconds']:.1f} s = launch {p['launch']:.1f} + "
                  f"startup {p['startup']:.1f} + compute {p['compute']:.1f} + gather {p['gather']:.1f} (NCCL init "
                  f"{g['init']:.1f}, latency {g['latency'] * 1e3:.2f} ms, transfer {g['transfer'] * 1e3:.1f} ms, "
                  f"merge {g['merge']:.1f}) + write {p['write']:.1f}.")
        print(f"- Rank 0's serial merge + write bound any G to under "
              f"{1 / (c['merge_s_per_pair'] + c['write_s_per_pair']):,.0f} pairs/s.")
    print(f"\nPublished reference (others' measurements, not ours: RTX 4090D, BERT-base-sized MGeo, "
          f"{PUBLISHED_PAIRS:,} pairs):\n")
    print("| setup | GPUs | time | pairs/s | speed-up | efficiency |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, gpus, s in PUBLISHED:
        print(f"| {name} | {gpus} | {s // 60}m{s % 60:02d}s | {PUBLISHED_PAIRS / s:.0f} | "
              f"{PUBLISHED[0][2] / s:.2f}x | {100 * PUBLISHED[0][2] / s / gpus:.0f}% |")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("json", help="raw sweep JSON (experiments/bench/sweep.py --profile gpu)")
    ap.add_argument("--out", help="also write the inputs, assumptions and every modelled row here")
    ap.add_argument("--config", action="append", help="model/precision to print (repeatable, or 'all'); "
                    "default base/fp32 and base/bf16; the JSON gets all")
    ap.add_argument("--gpus-per-node", type=int, default=8)
    ap.add_argument("--nvlink-gbs", type=float, default=300.0, help="NVLink 4 effective GB/s per direction (assumed)")
    ap.add_argument("--ib-gbs", type=float, default=40.0, help="IB NDR 400 Gb/s effective GB/s (assumed)")
    ap.add_argument("--alpha-nvlink-us", type=float, default=10.0, help="latency per step inside a node (assumed)")
    ap.add_argument("--alpha-ib-us", type=float, default=5.0, help="latency per step between nodes (assumed)")
    ap.add_argument("--algo", choices=["tree", "ring"], default="tree", help="latency model of the gather")
    ap.add_argument("--collectives", type=int, default=5, help="collective calls per gather")
    ap.add_argument("--labels", type=int, default=3)
    ap.add_argument("--merge-us-per-pair", type=float, help="override the measured rank-0 merge cost m")
    ap.add_argument("--id-bytes", type=float, default=9.0, help="average id length (synth ids: p%%08d)")
    a = ap.parse_args()
    a.command = " ".join(["python3", os.path.relpath(sys.argv[0])] + sys.argv[1:])

    d = json.load(open(a.json))
    measured = measured_inputs(d["runs"])
    if a.merge_us_per_pair is not None:  # an override is an assumption, not a measurement: say so in the JSON
        for c in measured.values():
            c["merge_s_per_pair"], c["merge_overridden"] = a.merge_us_per_pair * 1e-6, True
    configs = a.config or ["base/fp32", "base/bf16"]
    if "all" in configs:
        configs = list(measured)
    configs = [k for k in configs if k in measured] or list(measured)
    rows = [x for c in measured.values() for x in model_rows(c, a)]
    print_tables(d, configs, measured, rows, a)
    if a.out:
        assumptions = {k: getattr(a, k) for k in ("gpus_per_node", "nvlink_gbs", "ib_gbs", "alpha_nvlink_us",
                                                  "alpha_ib_us", "algo", "collectives", "labels", "id_bytes",
                                                  "merge_us_per_pair")}
        with open(a.out, "w") as f:
            json.dump({"input": os.path.relpath(a.json), "input_env": d["env"], "command": a.command,
                       "note": "rows are MODELLED; 'measured' holds the MEASURED single-GPU inputs",
                       "assumptions": assumptions, "measured": measured, "model": rows,
                       "published_reference": [{"setup": n, "gpus": g, "pairs": PUBLISHED_PAIRS, "seconds": s,
                                                "pairs_per_s": PUBLISHED_PAIRS / s} for n, g, s in PUBLISHED]},
                      f, indent=1)


if __name__ == "__main__":
    main()
