#!/usr/bin/env python3
"""mgeo-dist score against its CPU peers, interleaved: same pairs, same weights, same batches.

Contenders (--contenders):
  mgeo-fp32   build/bin/mgeo-dist score (the reference of every ratio and score difference)
  mgeo-int8   the same with --precision int8, when `mgeo-dist score --help` lists it (else skipped)
  ort-fp32    ONNX Runtime on the model exported by experiments/cpu/onnx_export.py (fused BERT graph)
  ort-int8    the same graph through onnxruntime.quantization.quantize_dynamic (QInt8, per channel)
  torch-int8  transformers' model through torch.ao.quantization.quantize_dynamic on nn.Linear
  hf-fp32     transformers' BertForSequenceClassification, eager PyTorch, fp32
The Python peers (experiments/cpu/peer_worker.py) batch as mgeo-dist does: the same sort
window (explicit, --sort-window, passed to mgeo-dist too), stable length sort, --batch-size
rows, --max-length tokens.

Thread configs (--configs, RANKSxTHREADS): 1x1, 1x2 and 2x1 by default. mgeo-dist runs 2x1 as
2 MPI ranks x --threads 1 (under mpirun); a Python peer as two processes, each on its half of
the windows with 1 thread, handed their requests at the same moment: its time is the span
from the first start to the last end. Every run gets OMP_NUM_THREADS,
MKL_NUM_THREADS and RAYON_NUM_THREADS = threads per rank, TOKENIZERS_PARALLELISM true only
with more than one thread; torch.set_num_threads / ORT intra_op_num_threads in the workers.

The Python peers run in worker processes kept for the whole benchmark (one per contender x
threads x rank slot; --fresh-processes starts one per run): torch and transformers take 6-7 s
to import here, which a run does not count (nor does mgeo-dist's `seconds` count its process
start), but which would otherwise take most of the benchmark's time. Every run loads its model
afresh. A new worker first scores a few rows (discarded): a process's first ORT session or
torch model costs 1-2 s of one-off set-up, which would otherwise fall on one repeat only.

Timing: `seconds` is the job from model load to written scores (mgeo-dist's metrics `seconds`;
the workers time the same span). `score_s` leaves the model load out: for mgeo-dist, seconds
less the slowest rank's `read_s` (which counts the model load, the input's opening and its
reads); for a peer, from the moment its last process had its model loaded. Each repeat runs
every model x config x contender once (the contender order rotated by one each repeat); every
ratio is taken within one repeat against mgeo-fp32 of the same model and config, then
summarised by median and range: side by side beats absolute times on a shared machine.
Correctness: max |score - mgeo-fp32's score| (score: probability of --score-label) and the
count of rows whose argmax label differs from mgeo-fp32's.

    ~/.mgeo-dist-venv/bin/python experiments/cpu/peers.py              # defaults: about 12 min on 2 cores
    ~/.mgeo-dist-venv/bin/python experiments/cpu/peers.py --models tiny --pairs 64 --repeats 1 --out /tmp/p.json
    ~/.mgeo-dist-venv/bin/python experiments/cpu/peers.py --report experiments/results/cpu-peers-DATE.json

Models (--models): default (data/models/default), base (BERT-base shape: 12 layers, hidden 768,
12 heads, intermediate 3072, random weights over the default model's vocab, made once by
experiments/baseline/make_base_model.py under --work), tiny (data/models/tiny-random), or
NAME=DIR. Env: MGEO_BIN (default build/bin/mgeo-dist), MGEO_MPIRUN (default "mpirun
--oversubscribe", plus --allow-run-as-root as root), MGEO_PY (the workers' Python; default this one).
Writes the JSON after every group of runs and prints a Markdown table at the end.
"""
import argparse
import csv
import datetime
import json
import os
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BIN = os.environ.get("MGEO_BIN", os.path.join(ROOT, "build", "bin", "mgeo-dist"))
PY = os.environ.get("MGEO_PY", sys.executable)
MPIRUN = shlex.split(os.environ.get("MGEO_MPIRUN", "mpirun --oversubscribe" + (" --allow-run-as-root" if os.getuid() == 0 else "")))
CONTENDERS = ["mgeo-fp32", "mgeo-int8", "ort-fp32", "ort-int8", "torch-int8", "hf-fp32"]
REF = "mgeo-fp32"
MODELS = {"default": os.path.join(ROOT, "data", "models", "default"), "tiny": os.path.join(ROOT, "data", "models", "tiny-random")}
WARMUP_ROWS = 8  # a Python worker's first request, discarded


# ---------------------------------------------------------------------------------------------
# setup: models, pairs, ONNX files, environment record

def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=60, cwd=ROOT).stdout.strip()
    except Exception as e:  # noqa: BLE001
        return f"unavailable: {e}"


def machine():
    info = dict(line.split(":", 1) for line in sh("LC_ALL=C lscpu").splitlines() if ":" in line)
    info = {k.strip(): v.strip() for k, v in info.items()}
    flags = set(info.get("Flags", "").split())
    return {"model_name": info.get("Model name", ""), "cpus": os.cpu_count(),
            "affinity": len(os.sched_getaffinity(0)), "threads_per_core": info.get("Thread(s) per core", ""),
            "cores_per_socket": info.get("Core(s) per socket", ""), "sockets": info.get("Socket(s)", ""),
            "isa": sorted(flags & {"avx2", "avx512f", "avx512_vnni", "avx_vnni", "avx512_bf16", "amx_int8",
                                   "amx_bf16", "amx_tile"}),
            "mem": sh("free -g | awk '/Mem:/ {print $2 \" GiB\"}'")}


def versions():
    code = ("import json, numpy, onnx, onnxruntime, tokenizers, torch, transformers;"
            "print(json.dumps({m.__name__: m.__version__ for m in (torch, onnxruntime, onnx, transformers, tokenizers, numpy)}"
            " | {'torch_quantized_engine': torch.backends.quantized.engine}))")
    p = subprocess.run([PY, "-c", code], capture_output=True, text=True)
    v = json.loads(p.stdout) if p.returncode == 0 else {"error": p.stderr[-400:]}
    v |= {"python": sh(f"{shlex.quote(PY)} -c 'import platform; print(platform.python_version())'"),
          "mpirun": sh(f"{MPIRUN[0]} --version | head -1"),
          "mgeo_dist_git": sh("git rev-parse --short HEAD"),
          "mgeo_dist_binary_mtime": datetime.datetime.fromtimestamp(os.path.getmtime(BIN), datetime.timezone.utc)
          .isoformat(timespec="seconds") if os.path.exists(BIN) else "missing",
          "git_uncommitted": sh("git status --porcelain -- src include CMakeLists.txt").splitlines()}
    return v


def mgeo_precisions():
    """Precisions `mgeo-dist score --help` lists for --precision (int8 is detected, not assumed)."""
    text = subprocess.run([BIN, "score", "--help"], capture_output=True, text=True).stdout
    block = re.search(r"--precision\b.*?(?=\n\s*-|\Z)", text, re.S)  # the option and its wrapped description
    return re.findall(r"\b(fp32|fp16|bf16|int8)\b", block.group(0)) if block else []


def resolve_models(spec, work):
    out = {}
    for item in spec.split(","):
        name, _, path = item.partition("=")
        if path:
            out[name] = os.path.abspath(path)
        elif name == "base":
            out[name] = os.path.join(work, "base-random")
            if not os.path.exists(os.path.join(out[name], "model.safetensors")):
                subprocess.run([PY, os.path.join(ROOT, "experiments", "baseline", "make_base_model.py"), "--out",
                                out[name], "--vocab", os.path.join(MODELS["default"], "vocab.txt")], check=True)
        elif name in MODELS:
            out[name] = MODELS[name]
        else:
            raise SystemExit(f"peers: unknown model '{name}' (default, base, tiny or NAME=DIR)")
    return out


def weights_stamp(model_dir):
    st = [(f, os.path.getsize(os.path.join(model_dir, f)), int(os.path.getmtime(os.path.join(model_dir, f))))
          for f in sorted(os.listdir(model_dir)) if f in ("config.json", "model.safetensors", "pytorch_model.bin")]
    return {"model": os.path.abspath(model_dir), "files": st}


def export_onnx(name, model_dir, work, a):
    """ONNX files of one model (made by onnx_export.py; kept while model files and options match)."""
    out = os.path.join(work, "onnx", name)
    stamp = weights_stamp(model_dir) | {"fusion": a.ort_fusion, "per_channel": not a.ort_no_per_channel,
                                        "reduce_range": a.ort_reduce_range}
    stamp_path = os.path.join(out, "stamp.json")
    if not (os.path.exists(stamp_path) and json.load(open(stamp_path)) == json.loads(json.dumps(stamp))
            and os.path.exists(os.path.join(out, "export.json"))):
        shutil.rmtree(out, ignore_errors=True)
        cmd = [PY, os.path.join(HERE, "onnx_export.py"), "--model", model_dir, "--out", out, "--fusion", a.ort_fusion]
        cmd += ["--no-per-channel"] if a.ort_no_per_channel else []
        cmd += ["--reduce-range"] if a.ort_reduce_range else []
        p = subprocess.run(cmd, capture_output=True, text=True)
        if p.returncode != 0:
            raise SystemExit(f"peers: ONNX export of {model_dir} failed:\n{p.stderr[-2000:]}")
        with open(stamp_path, "w") as f:
            json.dump(stamp, f)
    return out, json.load(open(os.path.join(out, "export.json")))


def make_pairs(n, seed, work):
    path = os.path.join(work, f"pairs-{n}-seed{seed}.csv")
    if not os.path.exists(path):
        subprocess.run([BIN, "synth", "--pairs", str(n), "--seed", str(seed), "--output", path], check=True,
                       capture_output=True)
    return path


def auto_window(pairs, configs, cap=1024):
    """mgeo-dist's chunks start on multiples of the sort window, so 2 ranks need 2 windows or more:
    with 2-rank configs the window is half the pairs (at most `cap`), else `cap`."""
    ranks = max(r for r, _ in configs)
    return max(1, min(cap, -(-pairs // ranks)))


def halves(pairs, window, ranks):
    """Row ranges [start, end) per process: whole windows, the first processes taking one more."""
    windows = -(-pairs // window)
    bounds, start = [], 0
    for k in range(ranks):
        w = windows // ranks + (1 if k < windows % ranks else 0)
        end = min(pairs, start + w * window)
        bounds.append((start, end))
        start = end
    return bounds


# ---------------------------------------------------------------------------------------------
# one run

def thread_env(threads):
    env = dict(os.environ)
    env |= {"OMP_NUM_THREADS": str(threads), "MKL_NUM_THREADS": str(threads), "RAYON_NUM_THREADS": str(threads),
            "TOKENIZERS_PARALLELISM": "true" if threads > 1 else "false"}
    return env


def run_mgeo(precision, model_dir, pairs_path, out, ranks, threads, a, window):
    cmd = [BIN, "score", "--model", model_dir, "--input", pairs_path, "--output", out, "--threads", str(threads),
           "--batch-size", str(a.batch_size), "--max-length", str(a.max_length), "--sort-window", str(window),
           "--precision", precision, "--score-label", a.score_label, "--progress", "0", "--quiet"]
    if ranks > 1:
        cmd = MPIRUN + ["-np", str(ranks)] + cmd
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True, env=thread_env(threads))
    rec = {"wall_s": time.perf_counter() - t0, "command": " ".join(os.path.relpath(c, ROOT) if c.startswith(ROOT)
                                                                   else c for c in cmd)}
    if p.returncode != 0:
        return rec | {"error": (p.stderr or p.stdout)[-800:]}
    m = json.load(open(out + ".metrics.json"))
    load_s = max(r["read_s"] for r in m["ranks"])  # read_s counts the model load, then the input's pieces
    return rec | {"pairs": m["pairs"], "seconds": m["seconds"], "load_s": load_s, "score_s": m["seconds"] - load_s,
                  "tokens": m["tokens"], "padded_tokens": m["padded_tokens"], "repeats_reused": m.get("repeats", 0),
                  "threads_per_rank": m["threads_per_rank"], "precision": m["precision"],
                  "rank_pairs": [r["pairs"] for r in m["ranks"]], "rank_seconds": [r["seconds"] for r in m["ranks"]],
                  "forward_s": max(r["forward_s"] for r in m["ranks"])}


class Workers:
    """Python peer processes (peer_worker.py), one per contender x threads x rank slot, kept: their
    imports are paid once (start() spawns several at once, so that they import side by side).
    `fresh` ends each after one request. first_use() is true once per process (the caller then
    warms it up)."""

    def __init__(self, logs, fresh=False):
        self.logs, self.fresh, self.procs, self.ready, self.warm = logs, fresh, {}, set(), set()

    def start(self, keys):
        for key in keys:
            if key in self.procs and self.procs[key].poll() is None:
                continue
            contender, threads, slot = key
            log = open(os.path.join(self.logs, f"worker-{contender}-t{threads}-{slot}.log"), "a")
            cmd = [PY, os.path.join(HERE, "peer_worker.py"), "--threads", str(threads),
                   "--libs", "ort" if contender.startswith("ort") else "torch"]
            p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, text=True,
                                 env=thread_env(threads))
            p.log = log.name
            log.close()
            self.procs[key] = p
            self.ready.discard(key)
            self.warm.discard(key)

    def wait_ready(self):
        for key in list(self.procs):
            self.get(*key)

    def first_use(self, *key):
        new = key not in self.warm
        self.warm.add(key)
        return new

    def get(self, contender, threads, slot):
        key = (contender, threads, slot)
        self.start([key])
        p = self.procs[key]
        if key not in self.ready:
            line = p.stdout.readline()
            if line.strip() != "READY":
                raise RuntimeError(f"peer_worker did not start ({line!r}); see {p.log}")
            self.ready.add(key)
        return p

    def done(self, contender, threads, slot):
        if self.fresh:
            key = (contender, threads, slot)
            self.ready.discard(key)
            self.warm.discard(key)
            self.close(self.procs.pop(key))

    @staticmethod
    def close(p):
        p.stdin.close()
        p.wait()

    def close_all(self):
        for p in self.procs.values():
            self.close(p)
        self.procs, self.ready, self.warm = {}, set(), set()


def run_py(workers, contender, onnx, model_dir, pairs_path, out, ranks, threads, a, window, n):
    """Sends one request per rank (its windows) to the workers at once, merges their CSVs into `out`."""
    slots = halves(n, window, ranks)
    parts = [f"{out}.part{k}" for k in range(len(slots))]
    impl = "ort" if contender.startswith("ort") else contender

    def request(p, part, start, end):
        req = {"impl": impl, "model": model_dir, "onnx": onnx, "input": pairs_path, "start": start, "end": end,
               "output": part, "batch_size": a.batch_size, "max_length": a.max_length, "sort_window": window,
               "score_label": a.score_label}
        p.stdin.write(json.dumps(req) + "\n")
        p.stdin.flush()

    def answer(p):
        line = p.stdout.readline()
        return json.loads(line) if line.strip() else {"error": f"worker ended; see {p.log}"}

    procs = []
    for k, (start, end) in enumerate(slots):
        p = workers.get(contender, threads, k)
        if workers.first_use(contender, threads, k):  # warm-up, discarded: a process's first ORT session or torch model pays a one-off 1-2 s
            request(p, parts[k] + ".warmup", start, min(end, start + WARMUP_ROWS))
            answer(p)
        procs.append(p)
    t0 = time.perf_counter()
    for p, part, (start, end) in zip(procs, parts, slots):  # all sent before any answer is read
        request(p, part, start, end)
    recs = [answer(p) for p in procs]
    wall = time.perf_counter() - t0
    for k in range(len(slots)):
        workers.done(contender, threads, k)
    command = f"peer_worker.py --threads {threads} ({contender}, {ranks} process{'es' if ranks > 1 else ''})"
    if any("error" in r for r in recs):
        return {"wall_s": wall, "command": command, "error": " | ".join(r["error"] for r in recs if "error" in r)}
    with open(out, "w", encoding="utf-8", newline="") as f:
        for k, part in enumerate(parts):
            with open(part, encoding="utf-8") as g:
                lines = g.readlines()
            f.writelines(lines if k == 0 else lines[1:])
    seconds = max(r["end_epoch"] for r in recs) - min(r["start_epoch"] for r in recs)
    score_s = max(r["end_epoch"] for r in recs) - max(r["loaded_epoch"] for r in recs)
    return {"wall_s": wall, "command": command, "pairs": sum(r["pairs"] for r in recs), "seconds": seconds,
            "load_s": max(r["load_s"] for r in recs), "score_s": score_s,
            "tokens": sum(r["tokens"] for r in recs), "padded_tokens": sum(r["padded_tokens"] for r in recs),
            "threads_per_rank": threads, "rank_pairs": [r["pairs"] for r in recs],
            "rank_seconds": [r["seconds"] for r in recs], "forward_s": max(r["forward_s"] for r in recs),
            "start_skew_s": max(r["start_epoch"] for r in recs) - min(r["start_epoch"] for r in recs),
            "worker": {k: v for k, v in recs[0].items() if k not in ("pairs", "start_epoch", "loaded_epoch",
                                                                      "end_epoch")}}


def read_scores(path):
    """id -> (score, argmax label) of the scored rows of a scores CSV (mgeo-dist's layout)."""
    with open(path, encoding="utf-8", newline="") as f:
        return {r["id"]: (float(r["score"]), r["label"]) for r in csv.DictReader(f) if r.get("score", "") != ""}


def compare(scores, ref):
    common = [k for k in ref if k in scores]
    return {"compared": len(common), "missing": len(ref) - len(common),
            "max_abs_diff": max((abs(scores[k][0] - ref[k][0]) for k in common), default=None),
            "label_changes": sum(scores[k][1] != ref[k][1] for k in common)}


# ---------------------------------------------------------------------------------------------
# report

def ratios(runs, key="seconds"):
    """(model, config, contender) -> [its pairs/s over mgeo-fp32's, one per repeat with both], from
    `pairs / key` (seconds: the whole job; score_s: model load left out)."""
    rate = {(r["model"], r["config"], r["contender"], r["repeat"]): r["pairs"] / r[key]
            for r in runs if "error" not in r and r.get(key)}
    out = {}
    for (m, c, name, k), v in rate.items():
        ref = rate.get((m, c, REF, k))
        if ref:
            out.setdefault((m, c, name), []).append(v / ref)
    return out


def fmt_ratio(v):
    if not v:
        return "-"
    med = f"{statistics.median(v):.2f}x"
    return med if len(v) == 1 else f"{med} ({min(v):.2f}–{max(v):.2f})"


def table(d):
    """Markdown lines: a row per model x config x contender, in run order."""
    runs = [r for r in d["runs"] if "error" not in r]
    job, score = ratios(runs), ratios(runs, "score_s")
    lines = ["| model | ranks x threads | contender | pairs | pairs/s, median (min–max) | vs mgeo-dist fp32, "
             "per repeat: median (min–max) | same, model load left out | max \\|Δ score\\| vs mgeo-dist fp32 | "
             "argmax labels changed |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for key in dict.fromkeys((r["model"], r["config"], r["contender"]) for r in runs):
        rs = [r for r in runs if (r["model"], r["config"], r["contender"]) == key]
        pps = [r["pairs"] / r["seconds"] for r in rs]
        diffs = [r["vs_ref"]["max_abs_diff"] for r in rs if r.get("vs_ref", {}).get("max_abs_diff") is not None]
        changes = [r["vs_ref"]["label_changes"] for r in rs if "vs_ref" in r]
        compared = max((r["vs_ref"]["compared"] for r in rs if "vs_ref" in r), default=0)
        if key[2] == REF:
            vs = ["1", "1", "-", "-"]
        else:
            vs = [fmt_ratio(job.get(key)), fmt_ratio(score.get(key)), f"{max(diffs):.1e}" if diffs else "-",
                  f"{max(changes)} of {compared}" if changes else "-"]
        lines.append(f"| {key[0]} | {key[1]} | {key[2]} | {rs[0]['pairs']} | {statistics.median(pps):.1f} "
                     f"({min(pps):.1f}–{max(pps):.1f}) | " + " | ".join(vs) + " |")
    return lines


def notes(d):
    """Lines under the table: the model load each contender pays (median seconds), and whether every
    contender fed its model the same batches (equal real and padded token counts)."""
    runs = [r for r in d["runs"] if "error" not in r]
    out = []
    for model in dict.fromkeys(r["model"] for r in runs):
        rs = [r for r in runs if r["model"] == model]
        load = {c: statistics.median(r["load_s"] for r in rs if r["contender"] == c)
                for c in dict.fromkeys(r["contender"] for r in rs)}
        tokens = {(r["tokens"], r["padded_tokens"]) for r in rs}
        same = (f"every run fed the model the same batches ({next(iter(tokens))[0]} tokens, "
                f"{next(iter(tokens))[1]} with padding)" if len(tokens) == 1
                else f"token counts differ between runs: {sorted(tokens)}")
        out.append(f"- {model}: model load, median s (mgeo-dist: its read_s, model load and input reads): "
                   + ", ".join(f"{c} {v:.2f}" for c, v in load.items()) + f"; {same}.")
    return out


def report(d, json_path):
    env = d["env"]
    m, v = env["machine"], env["versions"]
    print(f"Machine: {m['model_name']}, {m['cpus']} CPUs ({m['cores_per_socket']} cores/socket x "
          f"{m['threads_per_core']} threads/core; {', '.join(m['isa'])}). torch {v.get('torch')}, onnxruntime "
          f"{v.get('onnxruntime')}, onnx {v.get('onnx')}, transformers {v.get('transformers')}, tokenizers "
          f"{v.get('tokenizers')}; mgeo-dist {v.get('mgeo_dist_git')}; {env['date']}.  ")
    print(f"Command: `{env['command']}` (raw: `{os.path.relpath(json_path, ROOT)}`)  ")
    s = d["settings"]
    print(f"{s['repeats']} repeats, interleaved; batch {s['batch_size']}, max length {s['max_length']}; "
          + "; ".join(f"{k}: {x['pairs']} pairs, sort window {x['sort_window']}" for k, x in d["models"].items())
          + (f"; skipped: {', '.join(s['skipped'])}" if s.get("skipped") else "") + ".\n")
    print("\n".join(table(d)))
    print()
    print("\n".join(notes(d)))
    loads = [r["load_1m_before"] for r in d["runs"] if "load_1m_before" in r]
    if loads:
        print(f"\nLoad average (1 min) before each run: {min(loads):.1f}–{max(loads):.1f}.")
    for r in d["runs"]:
        if "error" in r:
            print(f"\nFailed: {r['model']} {r['config']} {r['contender']} (repeat {r['repeat']}): {r['error'][-300:]!r}")


# ---------------------------------------------------------------------------------------------

def parse_configs(text):
    out = []
    for c in text.split(","):
        r, _, t = c.partition("x")
        out.append((int(r), int(t)))
    return out


def main():
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so that `finally` closes the workers
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--models", default="default,base", help="comma-separated: default, base, tiny, NAME=DIR")
    ap.add_argument("--pairs", type=int, default=512, help="pairs for every model but base")
    ap.add_argument("--base-pairs", type=int, default=64, help="pairs for the BERT-base-shaped model")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--configs", default="1x1,1x2,2x1", help="RANKSxTHREADS, comma-separated")
    ap.add_argument("--contenders", default=",".join(CONTENDERS))
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--max-length", type=int, default=128)
    ap.add_argument("--sort-window", type=int, default=0,
                    help="rows length-sorted together, for every contender (0: half the pairs with 2 ranks, at most 1024)")
    ap.add_argument("--seed", type=int, default=303, help="mgeo-dist synth seed of the pairs")
    ap.add_argument("--score-label", default="exact_match", help="label whose probability is the score")
    ap.add_argument("--ort-fusion", choices=["bert", "none"], default="bert")
    ap.add_argument("--ort-no-per-channel", action="store_true")
    ap.add_argument("--ort-reduce-range", action="store_true")
    ap.add_argument("--fresh-processes", action="store_true",
                    help="a new Python worker for every run (default: one per contender x threads x rank, kept)")
    ap.add_argument("--work", default=os.path.join(ROOT, "out", "cpu-peers"), help="scratch dir (models, pairs, scores)")
    ap.add_argument("--out", default="", help="JSON (default experiments/results/cpu-peers-<date>.json)")
    ap.add_argument("--report", metavar="JSON", help="only print the table of an earlier run's JSON")
    a = ap.parse_args()
    if a.report:
        report(json.load(open(a.report)), a.report)
        return
    if not os.access(BIN, os.X_OK):
        raise SystemExit(f"peers: {BIN} is not built (MGEO_BIN names another)")

    date = datetime.datetime.now(datetime.timezone.utc)
    out_json = a.out or os.path.join(ROOT, "experiments", "results", f"cpu-peers-{date:%Y-%m-%d}.json")
    configs = parse_configs(a.configs)
    contenders = [c for c in a.contenders.split(",") if c]
    unknown = set(contenders) - set(CONTENDERS)
    if unknown or REF not in contenders:
        raise SystemExit(f"peers: contenders are {', '.join(CONTENDERS)}, {REF} included (got {a.contenders})")
    skipped = []
    if "mgeo-int8" in contenders and "int8" not in mgeo_precisions():
        contenders.remove("mgeo-int8")
        skipped.append("mgeo-int8 (mgeo-dist score --help lists no int8 precision)")
    os.makedirs(a.work, exist_ok=True)
    scores_dir = os.path.join(a.work, "scores")
    os.makedirs(scores_dir, exist_ok=True)

    models = {}
    for name, path in resolve_models(a.models, a.work).items():
        n = a.base_pairs if name == "base" else a.pairs
        window = a.sort_window or auto_window(n, configs)
        rec = {"dir": os.path.relpath(path, ROOT), "pairs": n, "sort_window": window,
               "pairs_file": os.path.relpath(make_pairs(n, a.seed, a.work), ROOT),
               "config": {k: v for k, v in json.load(open(os.path.join(path, "config.json"))).items()
                          if k in ("num_hidden_layers", "hidden_size", "num_attention_heads", "intermediate_size",
                                   "vocab_size", "max_position_embeddings")}}
        if any(c.startswith("ort") for c in contenders):
            onnx_dir, rec["onnx_export"] = export_onnx(name, path, a.work, a)
            rec["onnx_dir"] = os.path.relpath(onnx_dir, ROOT)
        models[name] = rec | {"path": path}
    env = {"date": date.isoformat(timespec="seconds"), "machine": machine(), "versions": versions(),
           "command": " ".join([os.path.relpath(os.path.abspath(sys.argv[0]), ROOT)] + sys.argv[1:])}
    settings = {"repeats": a.repeats, "configs": a.configs, "contenders": contenders, "skipped": skipped,
                "batch_size": a.batch_size, "max_length": a.max_length, "seed": a.seed, "reference": REF,
                "score_label": a.score_label,
                "python_workers": "fresh per run" if a.fresh_processes else "kept per contender x threads x rank",
                "timing": "seconds: model load to written scores; score_s: without the model load (mgeo-dist: "
                          "seconds less the slowest rank's read_s, which counts the model load and the input's "
                          "reads); Python 2x1: span from the first worker's start to the last one's end"}
    result = {"env": env, "settings": settings,
              "models": {k: {x: y for x, y in v.items() if x != "path"} for k, v in models.items()}, "runs": []}

    workers = Workers(a.work, fresh=a.fresh_processes)
    try:
        if not a.fresh_processes:  # every worker the runs will need, importing side by side
            workers.start([(c, t, k) for c in contenders if not c.startswith("mgeo") for r, t in configs
                           for k in range(r)])
            workers.wait_ready()  # no run starts while they import
        run_all(a, models, contenders, configs, workers, scores_dir, result, out_json)
    finally:
        workers.close_all()
    print()
    report(result, out_json)


def run_all(a, models, contenders, configs, workers, scores_dir, result, out_json):
    for repeat in range(a.repeats):
        order = contenders[repeat % len(contenders):] + contenders[:repeat % len(contenders)]
        for name, mod in models.items():
            pairs_path = os.path.join(ROOT, mod["pairs_file"])
            for ranks, threads in configs:
                cfg = f"{ranks}x{threads}"
                group = {}
                for c in order:
                    out = os.path.join(scores_dir, f"{name}-{cfg}-{c}.csv")
                    for stale in (out, out + ".metrics.json"):
                        if os.path.exists(stale):
                            os.remove(stale)
                    load1 = os.getloadavg()[0]
                    if c.startswith("mgeo"):
                        rec = run_mgeo(c.split("-")[1], mod["path"], pairs_path, out, ranks, threads, a,
                                       mod["sort_window"])
                    else:
                        onnx = (os.path.join(ROOT, mod["onnx_dir"], c.split("-")[1] + ".onnx")
                                if c.startswith("ort") else None)
                        rec = run_py(workers, c, onnx, mod["path"], pairs_path, out, ranks, threads, a,
                                     mod["sort_window"], mod["pairs"])
                    rec = {"model": name, "config": cfg, "ranks": ranks, "threads": threads, "contender": c,
                           "repeat": repeat, "load_1m_before": load1} | rec
                    group[c] = (rec, None if "error" in rec else read_scores(out))
                ref = group[REF][1]
                for c in contenders:  # in the table's order
                    rec, scores = group[c]
                    if scores is not None and ref is not None:
                        rec["vs_ref"] = compare(scores, ref)
                        rec["ratio_vs_ref"] = (rec["pairs"] / rec["seconds"]) / (group[REF][0]["pairs"] /
                                                                                group[REF][0]["seconds"])
                    result["runs"].append(rec)
                    pps = f"{rec['pairs'] / rec['seconds']:9.1f} pairs/s" if "error" not in rec else "ERROR"
                    print(f"r{repeat} {name:<8} {cfg} {c:<10} {pps}  x{rec.get('ratio_vs_ref', float('nan')):.2f}  "
                          f"diff {rec.get('vs_ref', {}).get('max_abs_diff')}  "
                          f"labels {rec.get('vs_ref', {}).get('label_changes')}"
                          + (f"  {rec['error'][-300:]!r}" if "error" in rec else ""), flush=True)
                os.makedirs(os.path.dirname(os.path.abspath(out_json)), exist_ok=True)
                with open(out_json, "w") as f:  # after every group: a killed run keeps what it measured
                    json.dump(result, f, indent=1)


if __name__ == "__main__":
    main()
