#!/usr/bin/env bash
# End-to-end: Parquet tables through every command that reads or writes one.
#  - score: the same pairs as .csv and as .parquet (many row groups, dictionary-encoded
#    addresses, int64-free string ids), to .csv and .parquet, on 1 and 2 ranks: every
#    output equals the CSV-in, CSV-out, 1-rank one to the last bit (read with pyarrow);
#  - synth --output x.parquet holds the rows synth writes as .csv;
#  - parse reads a .parquet table (same JSON as from .csv) and writes one with --normalize;
#  - link and dedupe read .parquet tables and write .parquet links, candidates, clusters
#    equal to their CSV runs;
#  - no temporary file is left behind.
# usage: parquet.sh MGEO_DIST FIXTURE_DIR WORK_DIR "MPIRUN..." PYTHON
set -euo pipefail
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") fixtures=$2 work=$3 mpirun=$4 python=$5
model=$fixtures/models/hf-safetensors
rm -rf "$work" && mkdir -p "$work"
cd "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }

# synth: .parquet and .csv of the same seed hold the same rows
"$bin" synth --pairs 300 --seed 23 --output pairs.csv 2>/dev/null
"$bin" synth --pairs 300 --seed 23 --output synth.parquet 2>/dev/null
"$python" - <<'PY'
import csv, pyarrow.parquet as pq
rows = list(csv.reader(open("pairs.csv", encoding="utf-8", newline="")))
t = pq.read_table("synth.parquet")
assert t.column_names == rows[0], t.column_names
assert [list(r.values()) for r in t.to_pylist()] == rows[1:], "synth .parquet differs from .csv"
# the pairs again as Parquet: row groups of 37 rows, dictionary-encoded addresses
import pyarrow as pa
cols = {n: pa.array([r[j] for r in rows[1:]]) for j, n in enumerate(rows[0])}
cols["addr1"] = cols["addr1"].dictionary_encode()
pq.write_table(pa.table(cols), "pairs.parquet", row_group_size=37)
print("synth: ok")
PY

# score: csv/parquet in, csv/parquet out, 1 and 2 ranks
common=(score --model "$model" --batch-size 16 --sort-window 64 --threads 1 --quiet)
"$bin" "${common[@]}" --input pairs.csv --output ref.csv
"$bin" "${common[@]}" --input pairs.parquet --output p1.csv
"$bin" "${common[@]}" --input pairs.parquet --output p1.parquet
"$bin" "${common[@]}" --input pairs.csv --output c1.parquet
$mpirun -np 2 "$bin" "${common[@]}" --input pairs.parquet --output p2.csv
$mpirun -np 2 "$bin" "${common[@]}" --input pairs.parquet --output p2.parquet --chunk-rows 50
$mpirun -np 2 "$bin" "${common[@]}" --input pairs.csv --output c2.parquet --explain
"$python" - <<'PY'
import csv, numpy as np, pyarrow.parquet as pq
def load(path):
    if path.endswith(".csv"):
        rows = list(csv.reader(open(path, encoding="utf-8", newline="")))
        return rows[0], [dict(zip(rows[0], r)) for r in rows[1:]]
    t = pq.read_table(path)
    return t.column_names, t.to_pylist()
head, ref = load("ref.csv")
assert len(ref) == 300
for path in ["p1.csv", "p1.parquet", "c1.parquet", "p2.csv", "p2.parquet", "c2.parquet"]:
    cols, rows = load(path)
    assert cols[:len(head)] == head, (path, cols)
    assert len(rows) == len(ref), path
    for i, (a, b) in enumerate(zip(ref, rows)):
        for c in head:
            x, y = a[c], b[c]
            if c == "score" or c.startswith("prob_"):
                y = "" if y is None else y
                if x == "" or y == "":
                    assert x == "" and y == "", (path, i, c, x, y)
                    continue
                assert np.float32(x).view(np.uint32) == np.float32(y).view(np.uint32), (path, i, c, x, y)
            else:
                assert x == ("" if y is None else y), (path, i, c, x, y)
print("score: 6 outputs equal ref.csv to the last bit")
PY

# parse: a .parquet table in (JSON lines out, as from .csv), and a normalized .parquet out
"$python" - <<'PY'
import csv, pyarrow as pa, pyarrow.parquet as pq
rows = list(csv.reader(open("pairs.csv", encoding="utf-8", newline="")))[1:]
ids = [r[0] for r in rows] + ["null-address"]
addrs = [r[1] for r in rows] + [None]
pq.write_table(pa.table({"id": ids, "address": addrs}), "addresses.parquet", row_group_size=64)
with open("addresses.csv", "w", encoding="utf-8", newline="") as f:
    csv.writer(f, lineterminator="\n").writerows([["id", "address"]] + [[i, a or ""] for i, a in zip(ids, addrs)])
PY
"$bin" parse --input addresses.csv --output parsed-csv.jsonl 2>/dev/null
"$bin" parse --input addresses.parquet --output parsed-parquet.jsonl 2>/dev/null
cmp parsed-csv.jsonl parsed-parquet.jsonl || fail "parse of .parquet differs from .csv"
"$bin" parse --normalize --input addresses.csv --output norm.csv 2>/dev/null
"$bin" parse --normalize --input addresses.parquet --output norm.parquet 2>/dev/null
if "$bin" parse --input addresses.parquet --output bad.parquet 2>err.txt; then fail "parse wrote JSON to .parquet"; fi
grep -q "needs --normalize" err.txt || fail "parse: no clear error for a JSON .parquet output"

# link and dedupe: .parquet tables in and out, equal to the CSV runs
"$bin" synth --link --master 300 --queries 60 --seed 907 --output-dir set 2>/dev/null
"$python" - <<'PY'
import csv, pyarrow as pa, pyarrow.parquet as pq
for name in ["master", "queries", "dedupe"]:
    rows = list(csv.reader(open(f"set/{name}.csv", encoding="utf-8", newline="")))
    pq.write_table(pa.table({c: [r[j] for r in rows[1:]] for j, c in enumerate(rows[0])}), f"set/{name}.parquet",
                   row_group_size=50)
PY
link=(link --top-k 10 --threads 1 --batch-size 32 --sort-window 64 --quiet)
"$bin" "${link[@]}" --master set/master.csv --queries set/queries.csv --output links.csv --candidates-output cand.csv
$mpirun -np 2 "$bin" "${link[@]}" --master set/master.parquet --queries set/queries.parquet \
  --output links.parquet --candidates-output cand.parquet
dedupe=(dedupe --top-k 10 --threads 1 --batch-size 32 --sort-window 64 --quiet)
"$bin" "${dedupe[@]}" --input set/dedupe.csv --output clusters.csv --pairs-output dpairs.csv
"$bin" "${dedupe[@]}" --input set/dedupe.parquet --output clusters.parquet --pairs-output dpairs.parquet
"$python" - <<'PY'
import csv, pyarrow.parquet as pq
def same(a, b):
    rows = list(csv.reader(open(a, encoding="utf-8", newline="")))
    t = pq.read_table(b)
    assert t.column_names == rows[0], (b, t.column_names, rows[0])
    got = [[v for v in r.values()] for r in t.to_pylist()]
    assert got == rows[1:], f"{b} differs from {a}"
    return len(got)
n = same("norm.csv", "norm.parquet")
print(f"parse --normalize: {n} rows")
for a, b in [("links.csv", "links.parquet"), ("cand.csv", "cand.parquet"), ("clusters.csv", "clusters.parquet"),
             ("dpairs.csv", "dpairs.parquet")]:
    print(f"{b}: {same(a, b)} rows equal {a}")
PY
test -z "$(find . -name '.*.tmp*' -o -name '.*.lock')" || fail "temporary files left behind"
echo "parquet e2e: ok"
