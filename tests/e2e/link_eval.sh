#!/usr/bin/env bash
# End-to-end: `mgeo-dist synth --link` writes the link and dedupe sets, and `mgeo-dist
# eval-link` scores a perfect linker, perfect candidates and a perfect clustering at F1 1.
# usage: link_eval.sh MGEO_DIST WORK_DIR PYTHON
set -euo pipefail
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") work=$2 python=$3
rm -rf "$work" && mkdir -p "$work"
cd "$work"

fail() { echo "FAIL: $*" >&2; exit 1; }

"$bin" synth --link --master 200 --queries 50 --seed 7 --output-dir set 2> synth.err || fail "synth: $(cat synth.err)"
for f in master.csv queries.csv truth.csv dedupe.csv dedupe_truth.csv; do test -s "set/$f" || fail "no set/$f"; done
test "$(wc -l < set/dedupe.csv)" -eq 251 || fail "dedupe.csv has $(wc -l < set/dedupe.csv) lines"
test "$(wc -l < set/dedupe_truth.csv)" -eq 251 || fail "dedupe_truth.csv has $(wc -l < set/dedupe_truth.csv) lines"
test -z "$(find set -name '.*.tmp*')" || fail "temporary files left behind"

# The dedupe set holds the same rows as master.csv + queries.csv; entities follow truth.csv.
"$python" - set <<'EOF2'
import csv, sys
d = sys.argv[1]
rows = lambda f: list(csv.DictReader(open(f"{d}/{f}", encoding="utf-8", newline="")))
master, queries, truth = rows("master.csv"), rows("queries.csv"), rows("truth.csv")
dedupe, entity = rows("dedupe.csv"), rows("dedupe_truth.csv")
assert [(r["id"], r["address"]) for r in dedupe] == [(r["id"], r["address"]) for r in master + queries]
want = {r["id"]: r["id"] for r in master}
want.update({t["query_id"]: t["master_id"] or t["query_id"] for t in truth})
assert {r["id"]: r["entity_id"] for r in entity} == want
assert [r["id"] for r in entity] == [r["id"] for r in dedupe]
EOF2

# A perfect linker, from the truth: master_id = best_id = the true master, score 0.9.
"$python" - set/truth.csv links.csv cands.tsv clusters.csv set/dedupe_truth.csv <<'EOF2'
import csv, sys
truth = list(csv.DictReader(open(sys.argv[1], encoding="utf-8", newline="")))
with open(sys.argv[2], "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["query_id", "master_id", "score", "best_id", "reason", "status"])
    for t in truth:
        m = t["master_id"]
        w.writerow([t["query_id"], m, "0.9", m, "linked" if m else "no_candidate", "ok"])
with open(sys.argv[3], "w") as f:  # the true master at rank 2, behind a decoy
    f.write("query_id\tmaster_id\trank\n")
    for t in truth:
        f.write(f"{t['query_id']}\tdecoy\t1\n")
        if t["master_id"]:
            f.write(f"{t['query_id']}\t{t['master_id']}\t2\n")
entities = list(csv.DictReader(open(sys.argv[5], encoding="utf-8", newline="")))
with open(sys.argv[4], "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["cluster_id", "id"])
    for e in entities:
        w.writerow(["c-" + e["entity_id"], e["id"]])
EOF2

"$bin" eval-link --links links.csv --truth set/truth.csv --candidates cands.tsv 2> links.err || fail "eval-link: $(cat links.err)"
test -s links.csv.eval/eval_link.png || fail "no eval_link.png"
grep -q '^eval-link: 50 queries' links.err || fail "summary: $(cat links.err)"
"$python" - links.csv.eval/eval_link.json <<'EOF2'
import json, sys
j = json.load(open(sys.argv[1]))
assert j["queries"] == 50, j["queries"]
assert j["f1"] == 1 and j["precision"] == 1 and j["recall"] == 1 and j["accuracy"] == 1, j
assert j["best_threshold"]["threshold"] == 0.9 and j["best_threshold"]["f1"] == 1, j["best_threshold"]
assert len(j["sweep"]) == 19 and j["sweep"][17]["f1"] == 1 and j["sweep"][18]["f1"] == 0, j["sweep"]
c = j["candidates"]
assert c["recall"] == 1 and c["recall_at"]["1"] == 0 and c["recall_at"]["5"] == 1, c
assert c["max_per_query"] == 2, c
assert j["inputs"]["candidates"] == "cands.tsv", j["inputs"]
EOF2

"$bin" eval-link --clusters clusters.csv --truth set/dedupe_truth.csv --output-dir dedupe-eval 2> clusters.err \
  || fail "eval-link --clusters: $(cat clusters.err)"
"$python" - dedupe-eval/eval_clusters.json <<'EOF2'
import json, sys
j = json.load(open(sys.argv[1]))
assert j["rows"] == 250 and j["f1"] == 1 and j["predicted_pairs"] == j["true_pairs"] == j["correct_pairs"], j
assert j["entities"] == j["clusters"], j
EOF2

# Errors: both modes at once; a missing column, named.
if "$bin" eval-link --links links.csv --clusters clusters.csv --truth set/truth.csv 2> both.err; then
  fail "--links with --clusters was accepted"
fi
if "$bin" eval-link --links set/truth.csv --truth set/truth.csv --output-dir bad 2> bad.err; then
  fail "a links file without score/best_id was accepted"
fi
grep -q "truth.csv:1: no column 'score'" bad.err || fail "error: $(cat bad.err)"
test ! -e bad/eval_link.json || fail "a failed run wrote output"
echo "link_eval: ok"
