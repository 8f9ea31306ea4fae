#!/usr/bin/env python3
"""Runs a scoring sweep and writes raw JSON: one record per run, with the environment.

Every run scores the same input with the same model; each record keeps the run's own metrics
(pairs/s, tokens/s, padding, time split) and a correctness field: the largest absolute
difference of its scores from the reference run (ours, fp32, one rank) of the same model and input.

    python3 experiments/bench/sweep.py --profile cpu --out out/bench/cpu.json
    python3 experiments/bench/sweep.py --profile gpu --out $OUT/gpu.json   # on the GPU machine
    python3 experiments/bench/sweep.py --profile workloads --pairs 4096 --out out/bench/workloads.json
    python3 experiments/bench/sweep.py --profile modes --pairs 4096 --out out/bench/modes.json
    python3 experiments/bench/sweep.py --profile scaling --pairs 4096 --repeats 5 --out out/bench/scaling.json

Profiles are lists of runs below. Env: MGEO_BIN (default build/bin/mgeo-dist), MGEO_MPIRUN
(default "mpirun --oversubscribe", plus --allow-run-as-root as root), MGEO_PY (baseline Python).
experiments/bench/report.py turns the JSON into RESULTS.md tables.
"""
import argparse
import csv
import datetime
import json
import os
import platform
import random
import shlex
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("MGEO_BIN", os.path.join(ROOT, "build", "bin", "mgeo-dist"))
PY = os.environ.get("MGEO_PY", sys.executable)
MPIRUN = shlex.split(os.environ.get("MGEO_MPIRUN", "mpirun --oversubscribe" + (" --allow-run-as-root" if os.getuid() == 0 else "")))


def ours(name, model, data, ranks=1, **opts):
    """A run of `mgeo-dist score`; opts become --key value options ("" for a bare flag)."""
    return {"name": name, "impl": "mgeo-dist", "model": model, "data": data, "ranks": ranks, "opts": opts}


def hf(name, model, data, **opts):
    """A run of the eager HF transformers baseline (experiments/baseline/hf_eager.py)."""
    return {"name": name, "impl": "hf_eager", "model": model, "data": data, "ranks": 1, "opts": opts}


def cpu_profile(n):
    m, big, small = "default", f"synth{n}", f"synth{n // 5}"
    runs = [ours("ref", m, big, threads=1, **{"batch-size": 64})]
    # the baseline next to ours, on equal cores
    runs += [hf("hf b64 t1", m, big, threads=1, **{"batch-size": 64}),
             hf("hf b64 t2", m, big, threads=2, **{"batch-size": 64}),
             ours("ours b64 t2", m, big, threads=2, **{"batch-size": 64}),
             ours("ours b64 2x1", m, big, ranks=2, threads=1, **{"batch-size": 64})]
    # ranks x threads on 2 cores, strong scaling
    runs += [ours("ours b128 t1", m, big, threads=1, **{"batch-size": 128}),
             ours("ours b128 2x1", m, big, ranks=2, threads=1, **{"batch-size": 128})]
    # batch size, token budget, bucketing, length cap
    runs += [ours(f"ours b{b}", m, small, threads=1, **{"batch-size": b}) for b in (1, 8, 32, 128, 512)]
    runs += [ours("ours budget4096", m, small, threads=1, **{"batch-size": 512, "token-budget": 4096}),
             ours("ours unsorted b64", m, small, threads=1, **{"batch-size": 64, "no-sort": ""}),
             ours("ours maxlen64 b64", m, small, threads=1, **{"batch-size": 64, "max-length": 64})]
    return runs, [big, small]


def workloads_profile(n):
    """Inputs with repeated pairs and with skewed lengths (CPU, default model, 2 cores)."""
    m, rep, skew = "default", f"repeats{n}", f"skewed{n}"
    runs = [ours("ref repeats", m, rep, threads=1, **{"batch-size": 64, "no-dedup": ""}),
            ours("ours repeats dedup", m, rep, threads=1, **{"batch-size": 64}),
            ours("ours repeats dedup w4096", m, rep, threads=1, **{"batch-size": 64, "sort-window": 4096}),
            hf("hf repeats b64 t1", m, rep, threads=1, **{"batch-size": 64})]
    # 2 ranks on a length-sorted input: contiguous shards give rank 0 the long half
    runs += [ours("ref skewed", m, skew, threads=1, **{"batch-size": 64}),
             ours("ours skewed contiguous 2x1", m, skew, ranks=2, threads=1, sharding="contiguous",
                  **{"batch-size": 64}),
             ours("ours skewed cyclic w256 c256 2x1", m, skew, ranks=2, threads=1,
                  **{"batch-size": 64, "chunk-rows": 256, "sort-window": 256}),
             ours("ours skewed cyclic 2x1", m, skew, ranks=2, threads=1, **{"batch-size": 64}),
             ours("ours skewed dynamic 2x1", m, skew, ranks=2, threads=1, sharding="dynamic", **{"batch-size": 64})]
    return runs, [rep, skew]


def modes_profile(n):
    """single vs DataParallel-style (dp) vs DDP-style (ranks) on 2 cores, default model, batch 64."""
    m, d, b = "default", f"synth{n}", {"batch-size": 64}
    return [ours("ref", m, d, threads=1, **b),
            hf("hf b64 t1", m, d, threads=1, **b),
            hf("hf b64 t2", m, d, threads=2, **b),
            ours("single t2 (intra-op threads)", m, d, threads=2, **b),
            ours("dp 2 slices x 1 thread", m, d, threads=2, dp=2, **b),
            ours("ddp 2 ranks x 1 thread", m, d, ranks=2, threads=1, **b),
            ours("ddp 2 ranks dynamic", m, d, ranks=2, threads=1, sharding="dynamic", **b)], [d]


def scaling_profile(n):
    """Strong and weak scaling over 2 cores, and every 2-way mode against the eager baseline; meant to
    be run with --repeats, so that each ratio is read per repeat (runs of one repeat sit side by side
    in time) and summarised by its median and range."""
    m, d, half, b = "default", f"synth{n}", f"synth{n // 2}", {"batch-size": 64}
    runs = [ours("ref", m, d, threads=1, **b),
            ours("ref half", m, half, threads=1, **b),
            ours("1 rank x 2 threads", m, d, threads=2, **b),
            ours("dp 2 slices x 1 thread", m, d, threads=2, dp=2, **b),
            ours("2 ranks x 1 thread", m, d, ranks=2, threads=1, **b),
            ours("2 ranks x 1 thread dynamic", m, d, ranks=2, threads=1, sharding="dynamic", **b),
            hf("hf b64 t1", m, d, threads=1, **b),
            hf("hf b64 t2", m, d, threads=2, **b)]
    # (label, run, base run, factor): run's pairs/s over factor x base's, per repeat
    ratios = [("strong, 2 ranks x 1 thread vs 2 x (1 rank x 1 thread)", "2 ranks x 1 thread", "ref", 2),
              ("strong, 2 ranks dynamic vs 2 x (1 rank x 1 thread)", "2 ranks x 1 thread dynamic", "ref", 2),
              ("strong, 1 rank x 2 threads vs 2 x (1 rank x 1 thread)", "1 rank x 2 threads", "ref", 2),
              ("strong, dp 2 x 1 thread vs 2 x (1 rank x 1 thread)", "dp 2 slices x 1 thread", "ref", 2),
              (f"weak, 2 ranks on {n} vs 2 x (1 rank on {n // 2})", "2 ranks x 1 thread", "ref half", 2),
              ("ours 1 thread vs HF eager 1 thread", "ref", "hf b64 t1", 1),
              ("ours 2 ranks x 1 thread vs HF eager 2 threads", "2 ranks x 1 thread", "hf b64 t2", 1),
              ("ours 1 rank x 2 threads vs HF eager 2 threads", "1 rank x 2 threads", "hf b64 t2", 1)]
    return runs, [d, half], ratios


def make_workload(name, src, dst):
    """repeatsN: N rows drawn at random (seed 7) from N/3 distinct pairs, so about 2/3 of the rows repeat
    an earlier pair (the published cache hit rate was 63%); skewedN: N pairs sorted by length, longest
    first."""
    with open(src, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    if name.startswith("repeats"):
        n = len(rows)
        distinct = rows[: max(1, n // 3)]
        rng = random.Random(7)
        out = [dict(distinct[rng.randrange(len(distinct))], id=f"r{i:08d}") for i in range(n)]
    else:
        out = sorted(rows, key=lambda r: -(len(r["addr1"]) + len(r["addr2"])))
    with open(dst, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerows(out)


def gpu_profile(n):
    big, small = f"synth{n}", f"synth{n // 10}"
    runs = [ours("ref", "base", big, device="cuda", **{"batch-size": 64}),
            hf("hf base fp32 b64", "base", big, device="cuda", **{"batch-size": 64}),
            hf("hf base fp16 b64", "base", big, device="cuda", precision="fp16", **{"batch-size": 64})]
    runs += [ours(f"ours base {p} b256", "base", big, device="cuda", precision=p, **{"batch-size": 256})
             for p in ("fp32", "fp16", "bf16")]
    runs += [ours("ours base bf16 budget32k", "base", big, device="cuda", precision="bf16",
                  **{"batch-size": 1024, "token-budget": 32768}),
             ours("ours base bf16 unsorted b256", "base", big, device="cuda", precision="bf16",
                  **{"batch-size": 256, "no-sort": ""}),
             ours("ours base bf16 b256 2 ranks/1 GPU", "base", big, ranks=2, device="cuda", precision="bf16",
                  gather="mpi", **{"batch-size": 256}),
             # read-ahead on its own thread (on by default on CUDA) against none; dynamic sharding
             ours("ours base bf16 b256 no prefetch", "base", big, device="cuda", precision="bf16", prefetch="off",
                  **{"batch-size": 256}),
             ours("ours base bf16 b256 2 ranks/1 GPU dynamic", "base", big, ranks=2, device="cuda", precision="bf16",
                  sharding="dynamic", **{"batch-size": 256})]
    # the shipped default model (4 layers, hidden 256)
    runs += [ours("ref default", "default", big, device="cuda", **{"batch-size": 64}),
             hf("hf default fp32 b64", "default", big, device="cuda", **{"batch-size": 64}),
             ours("ours default bf16 b512", "default", big, device="cuda", precision="bf16", **{"batch-size": 512})]
    # the published batch sweep (BERT-base size, fp32), ours and the baseline
    runs += [ours(f"ours base fp32 b{b}", "base", small, device="cuda", **{"batch-size": b})
             for b in (1, 8, 16, 32, 64, 128, 256, 512)]
    runs += [hf(f"hf base fp32 b{b}", "base", small, device="cuda", **{"batch-size": b}) for b in (8, 16, 64, 256)]
    return runs, [big, small]


def env_record(profile):
    def sh(cmd):
        try:
            return subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=60).stdout.strip()
        except Exception as e:  # noqa: BLE001
            return f"unavailable: {e}"
    torch_v = sh(f"{shlex.quote(PY)} -c 'import torch, transformers; print(torch.__version__, transformers.__version__)'")
    return {"profile": profile, "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "host_cpu": sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").strip(), "cores": os.cpu_count(),
            "gpu": sh("nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null"),
            "torch_transformers": torch_v, "mpirun": sh(f"{MPIRUN[0]} --version | head -1"),
            "python": platform.python_version(), "command": " ".join([os.path.relpath(sys.argv[0], ROOT)] + sys.argv[1:])}


def read_scores(path, col="score"):
    with open(path, encoding="utf-8", newline="") as f:
        return {r["id"]: float(r[col]) for r in csv.DictReader(f) if r.get(col, "") != ""}


def run_one(r, paths, work):
    out = os.path.join(work, r["name"].replace(" ", "_").replace("/", "-") + ".csv")
    model, data = paths[r["model"]], paths[r["data"]]
    if r["impl"] == "mgeo-dist":
        cmd = [BIN, "score", "--model", model, "--input", data, "--output", out, "--progress", "0", "--quiet"]
        for k, v in r["opts"].items():
            cmd += [f"--{k}"] + ([str(v)] if v != "" else [])  # "": a flag
        if r["ranks"] > 1 or r["opts"].get("device") == "cuda":
            cmd = MPIRUN + ["-np", str(r["ranks"])] + cmd
    else:
        cmd = [PY, os.path.join(ROOT, "experiments", "baseline", "hf_eager.py"), "--model", model, "--input", data,
               "--scores", out]
        for k, v in r["opts"].items():
            cmd += [f"--{k}", str(v)]
    load_1m = os.getloadavg()[0]  # other work on the machine just before the run
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    rec = {k: r[k] for k in ("name", "impl", "model", "data", "ranks")} | {"opts": r["opts"], "wall_s": wall,
                                                                           "load_1m_before": load_1m,
                                                                           "command": " ".join(cmd[-12:])}
    if p.returncode != 0:
        rec["error"] = (p.stderr or p.stdout)[-800:]
        return rec, None
    if r["impl"] == "mgeo-dist":
        m = json.load(open(out + ".metrics.json"))
        rec |= {k: m[k] for k in ("pairs", "seconds", "pairs_per_s", "tokens", "padded_tokens", "padding_fraction",
                                  "threads_per_rank", "precision", "batch_size", "device") if k in m}
        rec["tokens_per_s"] = m["tokens"] / m["seconds"]
        rec["split_s"] = {k: max(rk.get(k + "_s", 0) for rk in m["ranks"])
                          for k in ("read", "tokenize", "forward", "wait", "gather", "write")}
        rec["rank_seconds"] = [rk["seconds"] for rk in m["ranks"]]
        rec["rank_forward_s"] = [rk["forward_s"] for rk in m["ranks"]]
        rec["rank_pairs"] = [rk["pairs"] for rk in m["ranks"]]
        rec["repeats"] = m.get("repeats", 0)
        rec["sharding"] = m.get("sharding", "")
        rec["rounds"] = m.get("rounds", 0)
        rec["peak_rss_mb"] = m.get("peak_rss_mb", 0)
    else:
        rec |= json.loads(p.stdout.strip().splitlines()[-1])
    return rec, read_scores(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--profile", choices=["cpu", "gpu", "workloads", "modes", "scaling"], required=True)
    ap.add_argument("--out", required=True, help="JSON file to write")
    ap.add_argument("--pairs", type=int, default=0, help="pairs in the main input (default: 20000 cpu, 100000 gpu)")
    ap.add_argument("--repeats", type=int, default=1,
                    help="run the whole list this many times, interleaved (each record keeps its repeat)")
    ap.add_argument("--only", default="", help="comma-separated run names to keep (and ref)")
    ap.add_argument("--work", default=os.path.join(ROOT, "out", "bench"))
    a = ap.parse_args()

    n = a.pairs or (20000 if a.profile == "cpu" else 100000)
    runs, data, *rest = {"cpu": cpu_profile, "gpu": gpu_profile, "workloads": workloads_profile,
                         "modes": modes_profile, "scaling": scaling_profile}[a.profile](n)
    ratios = rest[0] if rest else []
    if a.only:
        keep = set(a.only.split(",")) | {"ref", "ref default"}
        runs = [r for r in runs if r["name"] in keep]
    work = os.path.join(a.work, a.profile)
    os.makedirs(work, exist_ok=True)
    paths = {"default": os.path.join(ROOT, "data", "models", "default"), "base": os.path.join(work, "base-random")}
    if any(r["model"] == "base" for r in runs) and not os.path.exists(os.path.join(paths["base"], "config.json")):
        subprocess.run([PY, os.path.join(ROOT, "experiments", "baseline", "make_base_model.py"), "--out", paths["base"]],
                       check=True)
    for d in data:
        paths[d] = os.path.join(work, d + ".csv")
        if os.path.exists(paths[d]):
            continue
        count = d.lstrip("abcdefghijklmnopqrstuvwxyz")
        synth = os.path.join(work, f"synth{count}.csv")
        if not os.path.exists(synth):
            subprocess.run([BIN, "synth", "--pairs", count, "--seed", "303", "--output", synth], check=True,
                           capture_output=True)
        if not d.startswith("synth"):
            make_workload(d, synth, paths[d])

    env, records, refs = env_record(a.profile), [], {}
    for repeat, r in ((k, r) for k in range(a.repeats) for r in runs):
        rec, scores = run_one(r, paths, work)
        rec["repeat"] = repeat
        key = (r["model"], r["data"])
        if r["name"].startswith("ref"):
            refs[key] = scores
        ref = refs.get(key) or refs.get((r["model"], data[0]))
        if scores is not None and ref is not None:
            common = [k for k in scores if k in ref]
            rec["compared"] = len(common)
            rec["max_abs_diff"] = max((abs(scores[k] - ref[k]) for k in common), default=None)
        records.append(rec)
        pps = rec.get("pairs_per_s")
        print(f"{r['name']:<40} {'ERROR ' + rec['error'][-200:] if 'error' in rec else f'{pps:10.1f} pairs/s'}"
              f"  diff {rec.get('max_abs_diff', '-')}", flush=True)
        with open(a.out, "w") as f:  # rewritten after every run: a killed sweep keeps what it measured
            json.dump({"env": env, "runs": records, "ratios": ratios}, f, indent=1)


if __name__ == "__main__":
    main()
