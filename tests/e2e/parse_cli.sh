#!/usr/bin/env bash
# End-to-end: `mgeo-dist parse` on plain lines (stdin and --input), on a CSV with id,address,
# with --normalize, with several threads, and its errors.
# usage: parse_cli.sh MGEO_DIST WORK_DIR PYTHON
set -euo pipefail
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") work=$2 python=$3
rm -rf "$work" && mkdir -p "$work"
cd "$work"

fail() { echo "FAIL: $*" >&2; exit 1; }

# Six lines: an address, an empty line, CRLF, invalid UTF-8, blanks, and a last line without \n.
printf '北京市朝阳区建国路八号3号楼\n\n广州市天河区体育西路1号\r\n\xff\xfe坏地址\n  \n浙江省杭州市西湖区文三路388号' > lines.txt
"$bin" parse < lines.txt > stdin.jsonl 2> stdin.err
"$bin" parse --input lines.txt --output file.jsonl --threads 2 2> file.err
cmp stdin.jsonl file.jsonl || fail "stdin and --input/--output differ"
grep -q '^parse: 6 lines (empty_address 2, invalid_utf8 1, ok 3)' stdin.err || fail "summary: $(cat stdin.err)"
test -z "$(find . -name '.*.tmp*')" || fail "temporary files left behind"

"$python" - stdin.jsonl <<'EOF'
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
assert lines[-1] == "", "output must end with a line break"
rows = [json.loads(l) for l in lines[:-1]]
assert len(rows) == 6, len(rows)
fields = ["province", "city", "district", "town", "road", "number", "poi", "building", "unit", "floor", "room"]
for r in rows:
    assert list(r)[:12] == ["text"] + fields, list(r)
    assert {"code", "resolution", "inferred", "status"} <= set(r), r
assert [r["status"] for r in rows] == ["ok", "empty_address", "ok", "invalid_utf8", "empty_address", "ok"], rows
a = rows[0]
assert (a["province"], a["district"], a["road"], a["number"], a["building"]) == ("北京市", "朝阳区", "建国路", "8", "3"), a
assert a["code"] == "110105" and a["resolution"] == "resolved", a
assert rows[2]["text"] == "广州市天河区体育西路1号" and rows[2]["district"] == "天河区", rows[2]  # \r stripped
assert rows[3]["text"].endswith("坏地址") and rows[3]["district"] == "", rows[3]
assert rows[5]["number"] == "388", rows[5]
EOF

# --normalize: the text only, one line per input line; invalid UTF-8 unchanged.
"$bin" parse --normalize < lines.txt > norm.txt 2> norm.err
printf '北京市朝阳区建国路8号3栋\n\n广州市天河区体育西路1号\n\xff\xfe坏地址\n\n浙江省杭州市西湖区文三路388号\n' > norm.want
cmp norm.txt norm.want || fail "--normalize output: $(od -c norm.txt | head)"
grep -q '^parse: 6 lines normalized (empty_address 2, invalid_utf8 1, ok 3)' norm.err || fail "summary: $(cat norm.err)"
printf '３号楼 ２单元 ５０１室\n建国路１２＃\n第三栋\n' | "$bin" parse --normalize 2>/dev/null > norm2.txt
printf '3栋2单元501室\n建国路12号\n3栋\n' | cmp - norm2.txt || fail "--normalize forms: $(cat norm2.txt)"

# A CSV with id,address (a BOM, another column, quotes, CRLF, a malformed row): "id" comes first.
printf '\xef\xbb\xbfaddress,note,id\r\n"北京市朝阳区建国路八号3号楼",x,a1\r\n"广州市天河区体育西路1号, 近地铁","y ""q""",a2\r\n,z,a3\r\nonly-one-field\r\n\xff,w,a5\r\n' > rows.csv
"$bin" parse --input rows.csv > rows.jsonl 2> rows.err
grep -q '^parse: 5 rows' rows.err || fail "summary: $(cat rows.err)"
"$python" - rows.jsonl <<'EOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
assert [r["id"] for r in rows] == ["a1", "a2", "a3", "", "a5"], rows
assert all(list(r)[:2] == ["id", "text"] for r in rows), rows
assert [r["status"] for r in rows] == ["ok", "ok", "empty_address", "malformed_row", "invalid_utf8"], rows
assert rows[0]["number"] == "8" and rows[0]["building"] == "3", rows[0]
assert rows[1]["text"] == "广州市天河区体育西路1号, 近地铁" and rows[1]["road"] == "体育西路", rows[1]
EOF
"$bin" parse --input rows.csv --normalize --output rows-norm.csv 2>/dev/null
printf 'id,address\na1,北京市朝阳区建国路8号3栋\na2,"广州市天河区体育西路1号,近地铁"\na3,\n,\na5,\xff\n' > rows-norm.want
cmp rows-norm.csv rows-norm.want || fail "--normalize CSV: $(cat rows-norm.csv)"
printf 'id\taddress\nt1\t３＃楼\n' > rows.tsv
"$bin" parse --input rows.tsv --normalize 2>/dev/null | cmp - <(printf 'id\taddress\nt1\t3栋\n') || fail "--normalize TSV"

# Several threads: the same lines in the same order.
for i in $(seq 1 3000); do echo "上海市浦东新区张江路${i}号${i}室"; done > many.txt
"$bin" parse --input many.txt --threads 1 > many1.jsonl 2>/dev/null
"$bin" parse --input many.txt --threads 3 > many3.jsonl 2>/dev/null
cmp many1.jsonl many3.jsonl || fail "--threads 3 differs from --threads 1"
test "$(wc -l < many3.jsonl)" -eq 3000 || fail "3000 lines in, $(wc -l < many3.jsonl) out"

# Errors name the file (and line) and leave no output.
if "$bin" parse --input missing.txt --output out.jsonl 2> err.txt; then fail "a missing file was accepted"; fi
grep -q 'missing.txt' err.txt || fail "error: $(cat err.txt)"
printf 'id,addr\n1,x\n' > nocol.csv
if "$bin" parse --input nocol.csv --output out.jsonl 2> err.txt; then fail "a CSV without address was accepted"; fi
grep -q 'nocol.csv:1: header lacks column(s) address' err.txt || fail "error: $(cat err.txt)"
printf 'id,address\n1,"open\n' > quote.csv
if "$bin" parse --input quote.csv --output out.jsonl 2> err.txt; then fail "an unterminated quote was accepted"; fi
grep -q 'quote.csv:2' err.txt || fail "error: $(cat err.txt)"
if "$bin" parse --input lines.txt --divisions nowhere --output out.jsonl 2> err.txt; then fail "missing divisions accepted"; fi
grep -q 'nowhere' err.txt || fail "error: $(cat err.txt)"
test ! -e out.jsonl || fail "a failed run left out.jsonl"
test -z "$(find . -name '.*.tmp*')" || fail "temporary files left behind"
echo "parse_cli: ok"
