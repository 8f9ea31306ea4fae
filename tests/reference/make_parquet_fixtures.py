"""Parquet files written by pyarrow for tests/io/parquet_test.cpp, and what reading them must give.

usage: make_parquet_fixtures.py --out DIR
Writes DIR/<case>.parquet and DIR/expected.json: for each readable case its rows as
[id, addr1, addr2, status] (addresses "" on flagged rows, as pairs.h says) and its extra
columns; for each bad case the words its error message must contain.
"""
import argparse
import json
import os

import pyarrow as pa
import pyarrow.parquet as pq

LONG = "路" * 2000  # 6000 bytes: more than max_field_bytes (4096)


def table(ids, a1, a2, id_type=pa.string(), addr_type=pa.string(), extra=None):
    cols = {"id": pa.array(ids, id_type), "addr1": pa.array(a1, addr_type), "addr2": pa.array(a2, addr_type)}
    for k, v in (extra or {}).items():
        cols[k] = v
    return pa.table(cols)


def write(out, name, t, **kw):
    pq.write_table(t, os.path.join(out, name + ".parquet"), **kw)


def ok_rows(ids, a1, a2):
    return [[str(i), x, y, "ok"] for i, x, y in zip(ids, a1, a2)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    out = ap.parse_args().out
    os.makedirs(out, exist_ok=True)
    exp = {"good": {}, "bad": {}}

    # 1000 rows in row groups of 97 (the last one shorter), plain encoding, an extra column
    n = 1000
    ids = [f"p{i}" for i in range(n)]
    a1 = [f"浙江省杭州市西湖区文三路{i}号" for i in range(n)]
    a2 = [f"杭州西湖文三路{i}号" for i in range(n)]
    label = pa.array(["exact_match" if i % 3 else "not_match" for i in range(n)])
    write(out, "plain", table(ids, a1, a2, extra={"label": label}), row_group_size=97, use_dictionary=False)
    exp["good"]["plain"] = {"rows": ok_rows(ids, a1, a2), "extra": ["label"],
                            "label": label.to_pylist(), "row_groups": 11}

    # dictionary-typed columns (Arrow dictionary<int32, string>), int64 ids, 3 row groups
    ids = [-(2**63), 0, 7, 2**63 - 1, 42, 43, 44]
    a1 = ["北京市朝阳区", "北京市朝阳区", "上海市", "上海市", "北京市朝阳区", "天津市", "上海市"]
    a2 = ["朝阳区", "海淀区", "上海", "上海", "朝阳", "天津", "上海市"]
    t = pa.table({"id": pa.array(ids, pa.int64()),
                  "addr1": pa.array(a1).dictionary_encode(), "addr2": pa.array(a2).dictionary_encode()})
    write(out, "dict", t, row_group_size=3)
    exp["good"]["dict"] = {"rows": ok_rows(ids, a1, a2), "extra": []}

    # large_string addresses, uint64 ids up to 2^64 - 1, parquet dictionary pages
    ids = [2**64 - 1, 1, 18446744073709551614, 3]
    a1 = ["广东省深圳市", "广东省广州市", "四川省成都市", "湖北省武汉市"]
    a2 = ["深圳市", "广州市", "成都", "武汉"]
    write(out, "large", table(ids, a1, a2, pa.uint64(), pa.large_string()), row_group_size=2)
    exp["good"]["large"] = {"rows": ok_rows(ids, a1, a2), "extra": []}

    # int32 ids, string_view addresses
    ids = [-5, 2147483647]
    a1, a2 = ["江苏省南京市", "江苏省苏州市"], ["南京", "苏州"]
    write(out, "int32_view", table(ids, a1, a2, pa.int32(), pa.string_view()))
    exp["good"]["int32_view"] = {"rows": ok_rows(ids, a1, a2), "extra": []}

    # binary / large_binary columns holding UTF-8, bad bytes, NUL, long and blank values
    ids = [b"b0", b"b1", b"b2", b"b3", b"b4", b"\xffbad-id"]
    a1 = ["河南省郑州市".encode(), b"\xff\xfe", "a\0b".encode(), LONG.encode(), "　 ".encode(), "x".encode()]
    a2 = ["郑州".encode(), "y".encode(), "y".encode(), "y".encode(), "y".encode(), b"\xc3"]
    write(out, "binary", table(ids, a1, a2, pa.binary(), pa.large_binary()))
    exp["good"]["binary"] = {"rows": [["b0", "河南省郑州市", "郑州", "ok"], ["b1", "", "", "invalid_utf8"],
                                      ["b2", "", "", "nul_byte"], ["b3", "", "", "field_too_long"],
                                      ["b4", "", "", "empty_address"], ["\ufffdbad-id", "", "", "invalid_utf8"]],
                             "extra": []}

    # nulls in each of id, addr1, addr2 (string and dictionary columns), over 2 row groups
    ids = ["n0", None, "n2", "n3", "n4"]
    a1 = ["福建省厦门市", "福建省福州市", None, "福建省泉州市", "福建省漳州市"]
    a2 = ["厦门", "福州", "泉州", None, "漳州"]
    t = pa.table({"id": pa.array(ids), "addr1": pa.array(a1), "addr2": pa.array(a2).dictionary_encode(),
                  "note": pa.array(["x", None, "z", "w", "v"])})
    write(out, "nulls", t, row_group_size=2)
    exp["good"]["nulls"] = {"rows": [["n0", "福建省厦门市", "厦门", "ok"], ["", "", "", "null_value"],
                                     ["n2", "", "", "null_value"], ["n3", "", "", "null_value"],
                                     ["n4", "福建省漳州市", "漳州", "ok"]],
                            "extra": ["note"], "note": ["x", "", "z", "w", "v"]}

    # no rows at all
    write(out, "empty", table([], [], []))
    exp["good"]["empty"] = {"rows": [], "extra": []}

    # bad files: wrong types, missing columns, damaged or not Parquet at all
    write(out, "float_addr", pa.table({"id": ["a"], "addr1": pa.array([1.5]), "addr2": ["x"]}))
    exp["bad"]["float_addr"] = ["float_addr.parquet", "'addr1'", "double"]
    write(out, "float_id", pa.table({"id": pa.array([1.5]), "addr1": ["x"], "addr2": ["y"]}))
    exp["bad"]["float_id"] = ["float_id.parquet", "'id'", "double"]
    write(out, "missing", pa.table({"id": ["a"], "addr1": ["x"], "address": ["y"]}))
    exp["bad"]["missing"] = ["missing.parquet", "missing column 'addr2'"]
    write(out, "nested", pa.table({"id": ["a"], "addr1": [["x"]], "addr2": ["y"]}))
    exp["bad"]["nested"] = ["nested.parquet", "column 'addr1' has type list"]
    plain = open(os.path.join(out, "plain.parquet"), "rb").read()
    open(os.path.join(out, "truncated.parquet"), "wb").write(plain[: len(plain) // 2])
    exp["bad"]["truncated"] = ["truncated.parquet", "not a readable Parquet file"]
    open(os.path.join(out, "text.parquet"), "wb").write(b"id,addr1,addr2\n1,a,b\n")
    exp["bad"]["text"] = ["text.parquet", "not a readable Parquet file"]
    # the footer intact but the data pages damaged: an error when the row group is read
    damaged = bytearray(plain)
    for i in range(8, len(plain) // 3):
        damaged[i] = (damaged[i] * 7 + 13) & 0xFF
    open(os.path.join(out, "damaged.parquet"), "wb").write(bytes(damaged))
    exp["bad"]["damaged_read"] = ["damaged.parquet", "row group 0"]

    with open(os.path.join(out, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(exp, f, ensure_ascii=False)
    print(f"parquet fixtures: {len(exp['good'])} readable, {len(exp['bad'])} bad -> {out}")


if __name__ == "__main__":
    main()
