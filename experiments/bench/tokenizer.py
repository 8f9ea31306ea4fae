#!/usr/bin/env python3
"""Compares our C++ tokenizer with HuggingFace tokenizers on one thread; writes raw JSON.

The same address pairs go through three encoders, each best-of --repeat passes after one
warm-up pass, timing only the encoding:
  ours            build-tok/bin/mgeo-tokenizer-bench (BertTokenizer::encode_pair per pair)
  hf encode_batch tokenizers.Tokenizer.encode_batch over all pairs (the batched fast path)
  hf encode       tokenizers.Tokenizer.encode per pair (what an eager pipeline does)
HF is BertTokenizerFast(vocab=vocab.txt, do_lower_case=True)'s backend tokenizer, truncation
longest_first to --max-length, no padding, with RAYON_NUM_THREADS=1 and
TOKENIZERS_PARALLELISM=false set before tokenizers is imported. Every pair's input_ids must be
equal across all three; mismatches are counted and the first few shown.

    ~/.mgeo-dist-venv/bin/python experiments/bench/tokenizer.py --bin build-tok/bin/mgeo-tokenizer-bench \
        --out experiments/results/tokenizer-cpu-2core-2026-11-23.json

Default input: out/tok-bench.csv, made by `mgeo-dist synth --pairs 200000 --seed 7` when missing
(env MGEO_BIN names mgeo-dist, default build/bin/mgeo-dist). Prints a Markdown table.
"""
import os

os.environ["RAYON_NUM_THREADS"] = "1"  # before tokenizers is imported: its rayon pool reads these once
os.environ["TOKENIZERS_PARALLELISM"] = "false"

import argparse  # noqa: E402
import csv  # noqa: E402
import datetime  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import shlex  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

import tokenizers  # noqa: E402
import transformers  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DIST_BIN = os.environ.get("MGEO_BIN", os.path.join(ROOT, "build", "bin", "mgeo-dist"))
SHOW_MISMATCHES = 5


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=60, cwd=ROOT).stdout.strip()
    except Exception as e:  # noqa: BLE001
        return f"unavailable: {e}"


def env_record(args):
    return {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "host_cpu": sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").strip(), "cores": os.cpu_count(),
            "affinity": sorted(os.sched_getaffinity(0)), "python": platform.python_version(),
            "tokenizers": tokenizers.__version__, "transformers": transformers.__version__,
            "rayon_num_threads": os.environ["RAYON_NUM_THREADS"],
            "tokenizers_parallelism": os.environ["TOKENIZERS_PARALLELISM"],
            "git": sh("git rev-parse --short HEAD"),
            "git_uncommitted": sh("git status --porcelain -- src/text include/mgeo/text bench CMakeLists.txt").splitlines(),
            "load_avg_start": os.getloadavg(),
            "command": " ".join([os.path.relpath(sys.argv[0], ROOT)] + [shlex.quote(a) for a in sys.argv[1:]])}


def read_pairs(path):
    with open(path, encoding="utf-8", newline="") as f:
        return [(r["addr1"], r["addr2"]) for r in csv.DictReader(f)]


def summary(name, secs, pairs, nbytes, total_ids):
    best = min(secs)
    return {"impl": name, "pairs": len(pairs), "total_ids": total_ids, "input_bytes": nbytes,
            "seconds_best": best, "seconds_median": statistics.median(secs), "seconds_all": secs,
            "pairs_per_s": len(pairs) / best, "mb_per_s": nbytes / 1e6 / best}


def run_ours(args, path, ids_path):
    cmd = [args.bin, "--vocab", args.vocab, "--input", path, "--max-length", str(args.max_length),
           "--repeat", str(args.repeat), "--ids-out", ids_path]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({p.returncode}): {p.stderr.strip()}")
    rec = json.loads(p.stdout.strip().splitlines()[-1])
    rec["impl"] = "ours (mgeo-tokenizer-bench)"
    rec["command"] = " ".join(shlex.quote(c) for c in cmd)
    with open(ids_path) as f:
        ids = [list(map(int, line.split())) for line in f]
    return rec, ids


def hf_tokenizer(args):
    # transformers 5 silently ignores vocab_file= (every id becomes [UNK]); vocab= takes the path.
    fast = transformers.BertTokenizerFast(vocab=args.vocab, do_lower_case=True)
    tok = fast.backend_tokenizer
    with open(args.vocab, encoding="utf-8") as f:
        n = sum(1 for _ in f)
    assert tok.get_vocab_size(with_added_tokens=True) == n, f"{args.vocab}: vocab not loaded by HF"
    tok.no_padding()
    tok.enable_truncation(max_length=args.max_length, strategy="longest_first")
    return tok


def run_hf_batch(tok, pairs, nbytes, repeat):
    ids = [e.ids for e in tok.encode_batch(pairs)]  # warm-up; its ids are the ones checked
    secs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = tok.encode_batch(pairs)
        secs.append(time.perf_counter() - t0)
        del out
    return summary("hf tokenizers encode_batch", secs, pairs, nbytes, sum(map(len, ids))), ids


def run_hf_loop(tok, pairs, nbytes, repeat):
    encode = tok.encode
    ids = [encode(a, b).ids for a, b in pairs]  # warm-up
    secs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for a, b in pairs:
            encode(a, b)
        secs.append(time.perf_counter() - t0)
    return summary("hf tokenizers encode (per pair)", secs, pairs, nbytes, sum(map(len, ids))), ids


def compare(ids, ref, pairs):
    """Mismatch count of ids against ref, with the first few shown."""
    bad = [i for i in range(max(len(ids), len(ref))) if i >= len(ids) or i >= len(ref) or ids[i] != ref[i]]
    shown = [{"row": i, "addr1": pairs[i][0] if i < len(pairs) else None, "addr2": pairs[i][1] if i < len(pairs) else None,
              "ids": ids[i] if i < len(ids) else None, "hf": ref[i] if i < len(ref) else None}
             for i in bad[:SHOW_MISMATCHES]]
    return {"compared": min(len(ids), len(ref)), "mismatches": len(bad), "first_mismatches": shown}


def print_table(result, path):
    env, runs = result["env"], result["runs"]
    pairs, nbytes = runs[0]["pairs"], runs[0]["input_bytes"]
    print(f"{env['host_cpu']}, {env['cores']} cores; tokenizers {env['tokenizers']}; Python {env['python']}; "
          f"{env.get('date', '')}; {pairs} pairs, {nbytes / 1e6:.1f} MB, max_length {result['max_length']}, "
          f"best of {result['repeat']}; one thread.  ")
    print(f"Command: `{env.get('command', '')}` (raw: `{os.path.relpath(path, ROOT)}`)\n")
    print("| implementation | pairs/s | MB/s | vs HF encode_batch | vs HF per-pair encode | ids equal |")
    print("| --- | --- | --- | --- | --- | --- |")
    for r in runs:
        c = r["ids_vs_hf"]
        eq = "reference" if c.get("reference") else ("yes" if c["mismatches"] == 0 else f"NO ({c['mismatches']} differ)")
        print(f"| {r['impl']} | {r['pairs_per_s']:.0f} | {r['mb_per_s']:.2f} | {r['vs_hf_encode_batch']:.2f}x | "
              f"{r['vs_hf_encode_per_pair']:.2f}x | {eq} |")
    for r in runs:
        for m in r["ids_vs_hf"]["first_mismatches"]:
            print(f"\nmismatch ({r['impl']}) row {m['row']}: {m['addr1']!r} / {m['addr2']!r}\n  ours {m['ids']}\n  hf   {m['hf']}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", default=os.path.join(ROOT, "build", "bin", "mgeo-tokenizer-bench"))
    ap.add_argument("--vocab", default=os.path.join(ROOT, "data", "models", "default", "vocab.txt"))
    ap.add_argument("--pairs", type=int, default=200000, help="pairs in the generated input")
    ap.add_argument("--input", default="", help="CSV id,addr1,addr2[,label] (default: out/tok-bench[-N].csv)")
    ap.add_argument("--max-length", type=int, default=128)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--out", help="JSON file to write")
    ap.add_argument("--report", help="print the table of an existing JSON and exit")
    a = ap.parse_args()
    if a.report:
        print_table(json.load(open(a.report)), a.report)
        return
    if not a.out:
        ap.error("--out is required (or --report)")

    path = a.input or os.path.join(ROOT, "out", "tok-bench.csv" if a.pairs == 200000 else f"tok-bench-{a.pairs}.csv")
    if not os.path.exists(path):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        subprocess.run([DIST_BIN, "synth", "--pairs", str(a.pairs), "--seed", "7", "--output", path], check=True)
    pairs = read_pairs(path)
    nbytes = sum(len(x.encode()) + len(y.encode()) for x, y in pairs)
    env = env_record(a)

    with tempfile.TemporaryDirectory() as tmp:
        ours, ours_ids = run_ours(a, path, os.path.join(tmp, "ids.txt"))
    tok = hf_tokenizer(a)
    batch, batch_ids = run_hf_batch(tok, pairs, nbytes, a.repeat)
    loop, loop_ids = run_hf_loop(tok, pairs, nbytes, a.repeat)

    assert ours["pairs"] == len(pairs) and ours["input_bytes"] == nbytes, "C++ and Python read different inputs"
    ours["ids_vs_hf"] = compare(ours_ids, batch_ids, pairs)
    loop["ids_vs_hf"] = compare(loop_ids, batch_ids, pairs)
    batch["ids_vs_hf"] = {"compared": len(batch_ids), "mismatches": 0, "first_mismatches": [], "reference": True}
    runs = [ours, batch, loop]
    for r in runs:
        r["vs_hf_encode_batch"] = r["pairs_per_s"] / batch["pairs_per_s"]
        r["vs_hf_encode_per_pair"] = r["pairs_per_s"] / loop["pairs_per_s"]
    env["load_avg_end"] = os.getloadavg()
    result = {"env": env, "input": os.path.relpath(path, ROOT), "vocab": os.path.relpath(a.vocab, ROOT),
              "max_length": a.max_length, "repeat": a.repeat, "runs": runs}
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    with open(a.out, "w") as f:
        json.dump(result, f, indent=1)

    print_table(result, a.out)
    if any(r["ids_vs_hf"]["mismatches"] for r in runs):
        sys.exit(1)


if __name__ == "__main__":
    main()
