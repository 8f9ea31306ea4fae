#!/usr/bin/env python3
"""Where a scoring run's time goes, batch by batch: host staging, host launch, device time, idle gaps.

Runs `mgeo-dist score` on synthetic pairs with the engine's per-batch profile on
(MGEO_PROFILE_BATCHES, src/pipeline/batch_profile.cpp: CUDA events around the H2D copies,
forward and softmax; host clocks around staging, launch and the D2H wait) once per
precision, then prints a per-batch table and a summary per precision:

  stage    building the pinned int64 inputs on the host
  launch   H2D + forward + softmax calls returning on the host (on CUDA they only queue work)
  sync     the D2H copy of the probabilities, waiting for the device
  device   the GPU's span from the first H2D copy to softmax's end (CUDA events; CPU: empty)
  host gap the caller's time between two batches (planning, result copies, next piece, gathers)
  dev gap  the GPU idle between one batch's softmax and the next batch's H2D copy
  busy     device time / wall time (the first batch, with CUDA/cuBLAS warm-up, is left out of
           the "steady" figures)

With --kernels, a second run per precision (on --kernel-pairs pairs) has the libtorch (Kineto)
profiler on too (MGEO_PROFILE_KERNELS=1): kernels and CPU ops per batch, time in kernels, and a
chrome trace (gzipped into --out). Its host times are inflated by the profiler, so they are not
compared.

    python3 experiments/gpu/profile_forward.py --out $OUT/profile --device cuda --model base --kernels
    python3 experiments/gpu/profile_forward.py --out out/profile-cpu --device cpu --model tiny \\
        --pairs 500 --precisions fp32 --batch-size 32      # the CPU path (device column empty)

Env: MGEO_BIN (default build/bin/mgeo-dist), MGEO_MPIRUN (CUDA runs go through it with -np 1, as
experiments/bench/sweep.py's do), MGEO_PY (the Python with torch + transformers that makes the
BERT-base-shaped model). Writes <out>/profile.json (environment, per-run summary and batches),
the raw JSONL files and the score logs.
"""
import argparse
import datetime
import gzip
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("MGEO_BIN", os.path.join(ROOT, "build", "bin", "mgeo-dist"))
PY = os.environ.get("MGEO_PY", sys.executable)
MPIRUN = shlex.split(os.environ.get("MGEO_MPIRUN", "mpirun --oversubscribe" + (" --allow-run-as-root" if os.getuid() == 0 else "")))
MODELS = {"default": os.path.join(ROOT, "data", "models", "default"),
          "tiny": os.path.join(ROOT, "data", "models", "tiny-random")}
ENV_VARS = ("MGEO_PROFILE_BATCHES", "MGEO_PROFILE_KERNELS")


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=60).stdout.strip()
    except Exception as e:  # noqa: BLE001
        return f"unavailable: {e}"


def env_record(a):
    return {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "host_cpu": sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").strip(), "cores": os.cpu_count(),
            "gpu": sh("nvidia-smi --query-gpu=name,driver_version,clocks.max.sm --format=csv,noheader 2>/dev/null"),
            "torch": sh(f"{shlex.quote(PY)} -c 'import torch; print(torch.__version__, torch.version.cuda)' 2>/dev/null"),
            "mgeo_dist": sh(f"{shlex.quote(BIN)} --version 2>/dev/null || {shlex.quote(BIN)} --help | head -1"),
            "python": platform.python_version(),
            "command": " ".join([os.path.relpath(sys.argv[0], ROOT)] + sys.argv[1:]),
            "device": a.device, "model": a.model, "pairs": a.pairs, "batch_size": a.batch_size}


def model_dir(name, work):
    if name in MODELS:
        return MODELS[name]
    if name == "base":
        d = os.path.join(work, "base-random")
        if not os.path.exists(os.path.join(d, "config.json")):
            subprocess.run([PY, os.path.join(ROOT, "experiments", "baseline", "make_base_model.py"), "--out", d],
                           check=True)
        return d
    return name  # a model directory


def synth(n, work):
    path = os.path.join(work, f"synth{n}.csv")
    if not os.path.exists(path):
        subprocess.run([BIN, "synth", "--pairs", str(n), "--seed", "7", "--output", path], check=True,
                       stdout=subprocess.DEVNULL)
    return path


def read_jsonl(path):
    batches, summary = [], None
    with open(path, encoding="utf-8") as f:
        for line in f:
            j = json.loads(line)
            if j.get("summary"):
                summary = j
            else:
                batches.append(j)
    return batches, summary


def score(a, model, data, precision, out, tag, kernels):
    """One `mgeo-dist score` run with the batch profile on; returns its record."""
    profile = os.path.join(out, f"profile-{tag}.jsonl")
    scores = os.path.join(a.work, f"scores-{tag}.csv")
    cmd = [BIN, "score", "--model", model, "--input", data, "--output", scores, "--device", a.device,
           "--precision", precision, "--batch-size", str(a.batch_size), "--progress", "0", "--no-journal"]
    if a.threads:
        cmd += ["--threads", str(a.threads)]
    cmd += a.score_args
    env = dict(os.environ, MGEO_PROFILE_BATCHES=profile)
    env.pop("MGEO_PROFILE_KERNELS", None)
    if kernels:
        env["MGEO_PROFILE_KERNELS"] = "1"
    if a.device == "cuda":  # as sweep.py: CUDA runs under mpirun; -x hands the profile variables to the rank
        xs = [x for v in ENV_VARS if v in env for x in ("-x", v)] if "mpirun" in os.path.basename(MPIRUN[0]) else []
        cmd = MPIRUN + ["-np", "1"] + xs + cmd
    t0 = time.perf_counter()
    p = subprocess.run(cmd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    with open(os.path.join(out, f"score-{tag}.log"), "w", encoding="utf-8") as f:
        f.write(" ".join(shlex.quote(c) for c in cmd) + "\n" + p.stdout + p.stderr)
    rec = {"tag": tag, "precision": precision, "kernels_run": kernels, "process_wall_s": wall, "rc": p.returncode}
    if p.returncode != 0 or not os.path.exists(profile):
        rec["error"] = (p.stderr or p.stdout)[-1500:] or "no profile written"
        return rec
    batches, summary = read_jsonl(profile)
    rec |= {"summary": summary, "batches": batches}
    try:
        m = json.load(open(scores + ".metrics.json"))
        rec["metrics"] = {k: m[k] for k in ("pairs", "seconds", "pairs_per_s", "tokens", "padded_tokens",
                                            "padding_fraction", "device", "precision") if k in m}
        rec["metrics"]["rank0"] = {k: v for k, v in m["ranks"][0].items() if k.endswith("_s")}
    except (OSError, ValueError, KeyError, IndexError) as e:
        rec["metrics_error"] = str(e)
    trace = profile + ".trace.json"
    if os.path.exists(trace):
        with open(trace, "rb") as src, gzip.open(trace + ".gz", "wb") as dst:
            shutil.copyfileobj(src, dst)
        os.remove(trace)
    for f in (scores, scores + ".metrics.json"):
        if os.path.exists(f):
            os.remove(f)
    return rec


def ms(v):
    return "" if v is None else f"{1e3 * v:.2f}"


def table(batches, limit):
    cols = ["batch", "rows", "len", "tokens", "stage ms", "launch ms", "sync ms", "device ms", "host gap ms",
            "dev gap ms"]
    lines = ["  " + " ".join(f"{c:>11}" for c in cols)]
    shown = batches if len(batches) <= limit else batches[: limit - limit // 3] + [None] + batches[-(limit // 3):]
    for b in shown:
        if b is None:
            lines.append(f"  {'...':>11}")
            continue
        vals = [b["batch"], b["rows"], b["len"], b["tokens"], ms(b["stage_s"]), ms(b["launch_s"]), ms(b["sync_s"]),
                ms(b["device_s"]), ms(b["host_gap_s"]), ms(b["device_gap_s"])]
        lines.append("  " + " ".join(f"{v:>11}" for v in vals))
    return lines


def steady(batches):
    """Figures over the batches after the first (which carries CUDA/cuBLAS warm-up)."""
    bs = batches[1:] if len(batches) > 1 else batches
    if not bs:
        return {}
    wall = bs[-1]["t_s"] + bs[-1]["host_s"] - bs[0]["t_s"]
    dev = [b["device_s"] for b in bs if b["device_s"] is not None]
    gaps = [b["device_gap_s"] for b in bs if b["device_gap_s"] is not None]
    s = {"batches": len(bs), "rows": sum(b["rows"] for b in bs), "wall_s": wall}
    for k in ("stage_s", "launch_s", "sync_s", "host_s", "host_gap_s"):
        s[k] = sum(b[k] for b in bs)
        s["median_" + k] = statistics.median(b[k] for b in bs)
    s["device_s"] = sum(dev) if dev else None
    s["median_device_s"] = statistics.median(dev) if dev else None
    s["device_gap_s"] = sum(gaps) if gaps else None
    s["device_busy_fraction"] = sum(dev) / wall if dev and wall > 0 else None
    s["launch_fraction"] = s["launch_s"] / wall if wall > 0 else None
    s["rows_per_s"] = s["rows"] / wall if wall > 0 else None
    return s


def verdict(s):
    """A first reading of the steady figures (a heuristic; the trace is the evidence)."""
    if not s or s.get("device_s") is None:
        return "no device timing (CPU run): forward time is launch + sync on the host"
    ld, dd = s["median_launch_s"], s["median_device_s"]
    busy = s["device_busy_fraction"] or 0
    if busy > 0.9:
        return f"device-bound: GPU busy {busy:.0%}; speed-ups must come from the kernels (precision, fusion, padding)"
    if ld >= 0.8 * dd:
        return (f"launch-bound: the host takes {1e3 * ld:.2f} ms to queue a batch the GPU runs in {1e3 * dd:.2f} ms; "
                "fewer/larger launches (bigger batches, CUDA graphs, fused attention) would help")
    return (f"gap-bound: GPU busy {busy:.0%}, idle {1e3 * (s['device_gap_s'] or 0) / max(1, s['batches']):.2f} ms "
            "per batch between batches (host gaps: staging, result copies, waiting for the next piece)")


def summary_lines(rec):
    s = rec["summary"]
    st = rec["steady"]
    out = [f"  all {s['batches']} batches: wall {s['wall_s']:.3f}s  stage {s['stage_s']:.3f}s  "
           f"launch {s['launch_s']:.3f}s  sync {s['sync_s']:.3f}s  host gaps {s['host_gap_s']:.3f}s  "
           + (f"device {s['device_s']:.3f}s  device gaps {s['device_gap_s']:.3f}s  busy {s['device_busy_fraction']:.1%}"
              if s["device_s"] is not None else "device -")]
    if st:
        out.append(f"  steady ({st['batches']} batches, first left out): {st['rows_per_s']:.0f} rows/s; per batch "
                   f"median stage {ms(st['median_stage_s'])} ms, launch {ms(st['median_launch_s'])} ms, "
                   f"sync {ms(st['median_sync_s'])} ms, device {ms(st['median_device_s']) or '-'} ms, "
                   f"host gap {ms(st['median_host_gap_s'])} ms; launch/wall {st['launch_fraction']:.1%}"
                   + (f", device busy {st['device_busy_fraction']:.1%}" if st["device_busy_fraction"] is not None
                      else ""))
    if "metrics" in rec:
        m = rec["metrics"]
        r0 = m.get("rank0", {})
        out.append(f"  job: {m.get('pairs_per_s', 0):.0f} pairs/s over {m.get('seconds', 0):.2f}s "
                   f"(read {r0.get('read_s', 0):.2f}s incl. model load, tokenize {r0.get('tokenize_s', 0):.2f}s, "
                   f"forward {r0.get('forward_s', 0):.2f}s); padding {m.get('padding_fraction', 0):.1%}")
    out.append("  reading: " + verdict(st))
    return out


def kernel_lines(rec):
    k = (rec.get("summary") or {}).get("kernels")
    if not k or "error" in k:
        return ["  kernels: " + ((k or {}).get("error") or rec.get("error", "not reported"))[-300:]]
    return [f"  kernels: {k['kernels']} ({k['kernels_per_batch']:.1f}/batch, {k['kernel_s']:.3f}s in kernels), "
            f"{k['memcpys']} memcpys ({k['memcpy_s']:.3f}s), {k['cuda_runtime_calls']} CUDA runtime calls, "
            f"{k['cpu_ops_per_batch']:.0f} ATen ops/batch; trace {os.path.basename(k['trace'])}.gz"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True, help="directory for profile.json, the JSONL files and logs")
    ap.add_argument("--device", default="cuda", choices=["cuda", "cpu"])
    ap.add_argument("--model", default="base", help="base (BERT-base-shaped, random), default, tiny or a directory")
    ap.add_argument("--pairs", type=int, default=20000)
    ap.add_argument("--precisions", default="fp32,fp16,bf16")
    ap.add_argument("--batch-size", type=int, default=256)
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--kernels", action="store_true", help="also a run per precision under the Kineto profiler")
    ap.add_argument("--kernel-pairs", type=int, default=4000,
                    help="pairs of the --kernels runs (their traces grow with it; default 4000)")
    ap.add_argument("--table-rows", type=int, default=15, help="batches shown per run (first and last)")
    ap.add_argument("--work", default=os.path.join(ROOT, "out", "profile-forward"))
    ap.add_argument("score_args", nargs="*", help="after --: more `mgeo-dist score` options")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    os.makedirs(a.work, exist_ok=True)

    env = env_record(a)
    print("# profile_forward", json.dumps(env, ensure_ascii=False))
    model = model_dir(a.model, a.work)
    data = synth(a.pairs, a.work)
    kernel_data = synth(min(a.pairs, a.kernel_pairs), a.work) if a.kernels else None
    runs = []
    for prec in a.precisions.split(","):
        for kernels in ([False, True] if a.kernels else [False]):
            tag = f"{os.path.basename(model.rstrip('/'))}-{prec}" + ("-kernels" if kernels else "")
            rec = score(a, model, kernel_data if kernels else data, prec, a.out, tag, kernels)
            runs.append(rec)
            n = min(a.pairs, a.kernel_pairs) if kernels else a.pairs
            print(f"\n== {tag}: {a.device}, batch {a.batch_size}, {n} pairs (rc {rec['rc']}, "
                  f"{rec['process_wall_s']:.1f}s)")
            if "error" in rec:
                print("  FAILED: " + rec["error"].strip().replace("\n", "\n  "))
                continue
            rec["steady"] = steady(rec["batches"])
            if kernels:
                print("\n".join(kernel_lines(rec)))
                continue
            print("\n".join(table(rec["batches"], a.table_rows)))
            print("\n".join(summary_lines(rec)))
    path = os.path.join(a.out, "profile.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"env": env, "runs": runs}, f, indent=1)
    print(f"\nwrote {path}")
    failed = [r["tag"] for r in runs if "error" in r and not r["kernels_run"]]
    if failed:
        print("failed runs: " + ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
