#!/usr/bin/env python3
"""Address parsing: mgeo-address-bench against cpca, side by side on one machine.

Speed: both parse the same generated addresses (the addr1 and addr2 of `mgeo-dist synth`
pairs), one thread, interleaved over --repeats; each repeat's ratio is ours / cpca.
Accuracy: province, city and district of the hand-written set and the held-out set
(tests/address/data/*.tsv) for both; a field counts when it equals the expected value,
and a "confident wrong" field is one filled with a wrong value (for an ambiguous row,
any province or city at all). cpca (PyPI, `pip install cpca==0.5.5`) runs in the Python
given by --cpca-python, kept out of the project's venv; without it only ours is run.

    python experiments/bench/address.py --build build --cpca-python /tmp/cpcavenv/bin/python \
        --out experiments/results/address-cpu-2core-2026-12-02.json
"""
import argparse
import csv
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SETS = {"handwritten": "tests/address/data/addresses.tsv", "heldout": "tests/address/data/heldout.tsv"}
DIVISIONS = ("province", "city", "district")

CPCA_SCRIPT = r"""
import json, sys, time
import cpca
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")[:-1]
t = time.perf_counter()
df = cpca.transform(lines)
s = time.perf_counter() - t
rows = []
for p, c, d in zip(df["省"], df["市"], df["区"]):
    rows.append([x if isinstance(x, str) else "" for x in (p, c, d)])
json.dump({"seconds": s, "rows": rows, "version": cpca.__version__ if hasattr(cpca, "__version__") else ""},
          open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
"""


def read_set(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            cells = line.split("\t")
            cells += [""] * (len(header) - len(cells))
            rows.append(dict(zip(header, cells)))
    return rows


def write_lines(path, lines):
    with open(path, "w", encoding="utf-8") as f:
        for line in lines:
            f.write(line + "\n")


def run_ours(bench, lines_path, repeat=1, parsed_out=None):
    cmd = [bench, "--input", lines_path, "--repeat", str(repeat)]
    if parsed_out:
        cmd += ["--parsed-out", parsed_out]
    return json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)


def run_cpca(python, lines_path, out_path):
    subprocess.run([python, "-c", CPCA_SCRIPT, lines_path, out_path], check=True, capture_output=True, text=True)
    with open(out_path, encoding="utf-8") as f:
        return json.load(f)


def score(rows, got):
    """Per-field right and confident-wrong counts of `got` (dicts of province/city/district)."""
    out = {f: {"right": 0, "confident_wrong": 0} for f in DIVISIONS}
    for row, g in zip(rows, got):
        for f in DIVISIONS:
            if g[f] == row[f]:
                out[f]["right"] += 1
            elif g[f]:
                out[f]["confident_wrong"] += 1
    for f in DIVISIONS:
        out[f]["accuracy"] = round(out[f]["right"] / len(rows), 4)
    return out


def cpca_fields(row, municipalities):
    """cpca's answer in this project's conventions, so that only real differences count."""
    p, c, d = row
    if c in ("市辖区", "县") and p in municipalities:  # a municipality's city is its own name
        c = p
    if c.endswith("直辖县级行政区划"):  # a county-level city under its province has no city
        c = ""
    if not d and c in ("东莞市", "中山市", "嘉峪关市", "儋州市"):  # cities that are their own district
        d = c
    return {"province": p, "city": c, "district": d}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--cpca-python", default="")
    ap.add_argument("--pairs", type=int, default=50000, help="generated pairs (2 addresses each)")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--out", default="")
    args = ap.parse_args()
    bench = os.path.join(args.build, "bin", "mgeo-address-bench")
    mgeo = os.path.join(args.build, "bin", "mgeo-dist")
    tmp = tempfile.mkdtemp(prefix="mgeo-address-bench-")
    municipalities = {"北京市", "天津市", "上海市", "重庆市"}

    pairs = os.path.join(tmp, "pairs.csv")
    subprocess.run([mgeo, "synth", "--pairs", str(args.pairs), "--seed", "1", "--output", pairs], check=True,
                   capture_output=True)
    with open(pairs, encoding="utf-8") as f:
        lines = [a for r in csv.DictReader(f) for a in (r["addr1"], r["addr2"])]
    lines_path = os.path.join(tmp, "synth.txt")
    write_lines(lines_path, lines)

    result = {
        "env": {"date": datetime.date.today().isoformat(), "machine": platform.machine(),
                "cpu": next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), ""),
                "python": platform.python_version(), "command": " ".join(sys.argv)},
        "speed": [], "accuracy": {},
    }
    for r in range(args.repeats):
        ours = run_ours(bench, lines_path)
        row = {"repeat": r, "addresses": len(lines), "ours_parse_per_s": ours["parse"]["per_s"],
               "ours_normalize_per_s": ours["normalize"]["per_s"]}
        if args.cpca_python:
            c = run_cpca(args.cpca_python, lines_path, os.path.join(tmp, "cpca.json"))
            row["cpca_per_s"] = round(len(lines) / c["seconds"])
            row["ratio"] = round(row["ours_parse_per_s"] / row["cpca_per_s"], 1)
        result["speed"].append(row)
        print(json.dumps(row, ensure_ascii=False), file=sys.stderr)
    result["dictionary"] = {k: ours[k] for k in ("names", "trie_nodes", "divisions_load_s", "dictionary_build_s")}

    for name, rel in SETS.items():
        path = os.path.join(ROOT, rel)
        if not os.path.exists(path):
            continue
        rows = read_set(path)
        texts = os.path.join(tmp, name + ".txt")
        write_lines(texts, [r["text"] for r in rows])
        parsed = os.path.join(tmp, name + ".jsonl")
        run_ours(bench, texts, 1, parsed)
        with open(parsed, encoding="utf-8") as f:
            ours = [json.loads(l) for l in f]
        acc = {"rows": len(rows), "ours": score(rows, ours)}
        fields = [f for f in rows[0] if f not in ("text", "resolution")]
        acc["ours_all_fields"] = {f: round(sum(o[f] == r[f] for o, r in zip(ours, rows)) / len(rows), 4) for f in fields}
        if args.cpca_python:
            c = run_cpca(args.cpca_python, texts, os.path.join(tmp, name + "-cpca.json"))
            acc["cpca"] = score(rows, [cpca_fields(x, municipalities) for x in c["rows"]])
        result["accuracy"][name] = acc
        print(name, json.dumps(acc, ensure_ascii=False), file=sys.stderr)

    text = json.dumps(result, ensure_ascii=False, indent=1)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
