"""Reads the Parquet files our writers make with pyarrow and compares them with the same
tables written as CSV (score files: floats to the last bit, unscored rows null).

usage: check_parquet_written.py MGEO_IO_TESTS_BINARY OUT_DIR
Runs ParquetWritten.ForPyarrow of the binary with MGEO_PARQUET_OUT=OUT_DIR first.
"""
import csv
import os
import subprocess
import sys

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def main():
    binary, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    env = dict(os.environ, MGEO_PARQUET_OUT=out)
    subprocess.run([binary, "--gtest_filter=ParquetWritten.ForPyarrow"], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    # scores
    rows = read_csv(os.path.join(out, "scores.csv"))
    header, rows = rows[0], rows[1:]
    t = pq.read_table(os.path.join(out, "scores.parquet"))
    assert t.column_names == header, (t.column_names, header)
    for name in header:
        col = t.column(name)
        want_type = pa.float32() if name == "score" or name.startswith("prob_") else pa.string()
        assert col.type == want_type, (name, col.type)
        got = col.to_pylist()
        for i, row in enumerate(rows):
            text = row[header.index(name)]
            if want_type == pa.float32():
                if text == "":
                    assert got[i] is None, (name, i, got[i])
                else:
                    a = np.float32(text).view(np.uint32)
                    b = np.float32(got[i]).view(np.uint32)
                    assert a == b, (name, i, text, got[i])
            elif name == "label" and text == "":
                assert got[i] is None, (name, i, got[i])
            else:
                assert got[i] == text, (name, i, got[i], text)
    meta = pq.ParquetFile(os.path.join(out, "scores.parquet")).metadata
    codec = meta.row_group(0).column(0).compression
    assert codec in ("ZSTD", "SNAPPY"), codec
    # a text table over two row groups
    rows = read_csv(os.path.join(out, "table.csv"))
    f = pq.ParquetFile(os.path.join(out, "table.parquet"))
    assert f.metadata.num_row_groups == 2, f.metadata.num_row_groups
    t = f.read()
    assert t.column_names == rows[0]
    for j, name in enumerate(rows[0]):
        assert t.column(name).to_pylist() == [r[j] for r in rows[1:]], name
    print(f"check_parquet_written: ok ({len(rows) - 1} table rows, scores {codec})")


if __name__ == "__main__":
    main()
