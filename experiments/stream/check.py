#!/usr/bin/env python3
"""Checks the outputs of experiments/stream/run.sh and tabulates their peak memory.

    python3 experiments/stream/check.py --input PAIRS.csv --reference REF.csv --work DIR --out RESULT.json NAME...

For each run NAME (DIR/NAME.csv, DIR/NAME.h5 or DIR/NAME.parquet, its .metrics.json and DIR/NAME.maxrss from GNU time): the output
must hold one row per input row, ids in input order, and probabilities equal to the reference
run's within 1e-6. Prints a Markdown table and writes the raw figures with the environment.
"""
import argparse
import csv
import datetime
import importlib.metadata
import json
import math
import os
import platform
import subprocess
import sys


BLOCK = 65536  # rows per HDF5 read: the check streams too


def h5_rows(path, names):
    import h5py
    with h5py.File(path, "r") as f:
        n = f[names[0]].shape[0]
        for a in range(0, n, BLOCK):
            cols = [f[k][a:a + BLOCK] for k in names]
            yield from zip(*cols)


def parquet_rows(path, names):
    import pyarrow.parquet as pq
    for batch in pq.ParquetFile(path).iter_batches(batch_size=BLOCK, columns=names):
        yield from zip(*(batch.column(k).to_pylist() for k in names))


def as_text(x):
    return x.decode() if isinstance(x, bytes) else str(x)


def ids_of(path):
    if path.endswith(".h5"):
        yield from (as_text(row[0]) for row in h5_rows(path, ["id"]))
        return
    if path.endswith(".parquet"):
        yield from (as_text(row[0]) for row in parquet_rows(path, ["id"]))
        return
    with open(path, newline="", encoding="utf-8") as f:
        r = csv.reader(f)
        col = next(r).index("id")
        for row in r:
            yield row[col]


def scores_of(path):
    """(id, [probabilities, None where unscored]) per output row, CSV, HDF5 or Parquet."""
    if path.endswith(".h5"):
        for i, p in h5_rows(path, ["id", "probs"]):
            yield as_text(i), [None if math.isnan(x) else float(x) for x in p]
        return
    if path.endswith(".parquet"):
        import pyarrow.parquet as pq
        names = ["id"] + [n for n in pq.read_schema(path).names if n.startswith("prob_")]
        for row in parquet_rows(path, names):
            yield row[0], list(row[1:])
        return
    with open(path, newline="", encoding="utf-8") as f:
        r = csv.reader(f)
        header = next(r)
        probs = [i for i, h in enumerate(header) if h.startswith("prob_")]
        for row in r:
            yield row[0], [float(row[i]) if row[i] else None for i in probs]


def check(path, input_path, ref_path):
    """Rows, whether ids follow the input in order, and the largest |prob difference| to the reference."""
    rows, in_order, diff = 0, True, 0.0
    out, ref = scores_of(path), scores_of(ref_path)
    for want_id, (got_id, p), (_, q) in zip(ids_of(input_path), out, ref):
        rows += 1
        in_order &= got_id == want_id
        for x, y in zip(p, q):
            if x is None or y is None:
                diff = max(diff, 0.0 if x is y else float("inf"))
            else:
                diff = max(diff, abs(x - y))
    rows += sum(1 for _ in out)
    return rows, in_order, diff


def version_of(package):
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--input", required=True)
    ap.add_argument("--reference", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("runs", nargs="+")
    a = ap.parse_args()
    n_input = sum(1 for _ in ids_of(a.input))
    results = []
    for name in a.runs:
        path = next((os.path.join(a.work, name + ext) for ext in (".csv", ".h5", ".parquet")
                     if os.path.exists(os.path.join(a.work, name + ext))), os.path.join(a.work, name + ".csv"))
        m = json.load(open(path + ".metrics.json"))
        rows, in_order, diff = check(path, m["input"], a.reference)
        maxrss_kib = int(open(os.path.join(a.work, name + ".maxrss")).read().split()[-1])
        results.append({
            "run": name, "ranks": m["world"], "sharding": m["sharding"], "rounds": m["rounds"],
            "chunk_rows": m["chunk_rows"], "input_rows": n_input, "output_rows": rows,
            "ids_in_order": in_order, "max_abs_diff_vs_ref": diff, "seconds": m["seconds"],
            "pairs_per_s": m["pairs_per_s"],
            "peak_rss_mb_per_rank": [r["peak_rss_mb"] for r in m["ranks"]],
            "start_rss_mb_per_rank": [r.get("start_rss_mb", 0) for r in m["ranks"]],
            "time_maxrss_mb": maxrss_kib / 1024,
            "wait_s_per_rank": [r["wait_s"] for r in m["ranks"]],
        })
    idle_path = os.path.join(a.work, "idle.maxrss")
    idle_mb = int(open(idle_path).read().split()[-1]) / 1024 if os.path.exists(idle_path) else None
    env = {
        "host_cpu": next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), ""),
        "cores": os.cpu_count(), "python": platform.python_version(),
        "torch": version_of("torch"), "h5py": version_of("h5py"), "pyarrow": version_of("pyarrow"),
        "mpirun": subprocess.run(["mpirun", "--version"], capture_output=True, text=True).stdout.splitlines()[0],
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d"),
        "command": "bash experiments/stream/run.sh " + str(n_input),
        "idle_time_maxrss_mb": idle_mb,  # GNU time's figure for `mgeo-dist --help`: no job at all
    }
    json.dump({"env": env, "runs": results}, open(a.out, "w"), indent=1)
    print(f"Machine: {env['host_cpu']}, {env['cores']} cores; torch (libtorch) {env['torch']}; {env['mpirun']}; "
          f"Python {env['python']}, h5py {env['h5py']}; {env['date']}.  ")
    print(f"Command: `{env['command']}` (raw: `{os.path.relpath(a.out)}`)\n")
    print("| run | ranks | sharding | rounds | chunk rows | rows out / in | ids in order | max abs diff vs 1 rank | "
          "RSS at start → peak per rank, MiB | GNU time max RSS, MiB | pairs/s | wait s per rank |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    ok = True
    for r in results:
        ok &= r["output_rows"] == r["input_rows"] and r["ids_in_order"] and r["max_abs_diff_vs_ref"] <= 1e-6
        print(f"| {r['run']} | {r['ranks']} | {r['sharding']} | {r['rounds']} | {r['chunk_rows']:,} | "
              f"{r['output_rows']:,} / {r['input_rows']:,} | {'yes' if r['ids_in_order'] else 'NO'} | "
              f"{r['max_abs_diff_vs_ref']:.1e} | {' / '.join(f'{s:.0f} → {x:.0f}' for s, x in zip(r['start_rss_mb_per_rank'], r['peak_rss_mb_per_rank']))} | "
              f"{r['time_maxrss_mb']:.0f} | {r['pairs_per_s']:,.0f} | "
              f"{' / '.join(f'{x:.1f}' for x in r['wait_s_per_rank'])} |")
    if idle_mb is not None:
        print(f"\nGNU time's max RSS of `mgeo-dist --help` (no job): {idle_mb:.0f} MiB.")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
