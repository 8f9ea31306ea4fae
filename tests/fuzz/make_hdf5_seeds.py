"""Writes the seeds of corpus/hdf5: small pair files that the HDF5 reader accepts, in the
layouts other tools write (h5py's variable-length strings, fixed-length strings with each
padding, chunked and compressed datasets, integer ids and labels). Each stays under the
harness's -max_len (8192 bytes).

Usage: ~/.mgeo-dist-venv/bin/python tests/fuzz/make_hdf5_seeds.py
"""
import pathlib

import h5py
import numpy as np

CORPUS = pathlib.Path(__file__).resolve().parent / "corpus" / "hdf5"
MAX_BYTES = 8192

IDS = ["p0", "p1", "p2"]
ADDR1 = ["浙江省杭州市余杭区文一西路969号", "北京市海淀区中关村大街1号", "上海市浦东新区世纪大道100号"]
ADDR2 = ["杭州 余杭 文一西路 969号", "海淀 中关村 1号", "  "]  # the last is flagged empty_address


def new_file(name):
    return h5py.File(CORPUS / name, "w", libver=("v110", "v110"))  # readable by HDF5 1.10


def fixed_strings(f, name, values, width, pad):
    tid = h5py.h5t.C_S1.copy()
    tid.set_size(width)
    tid.set_strpad(pad)
    tid.set_cset(h5py.h5t.CSET_UTF8)
    space = h5py.h5s.create_simple((len(values),))
    ds = h5py.h5d.create(f.id, name.encode(), tid, space)
    fill = b" " if pad == h5py.h5t.STR_SPACEPAD else b"\0"
    data = np.array([v.encode().ljust(width, fill) for v in values], dtype=f"S{width}")
    ds.write(h5py.h5s.ALL, h5py.h5s.ALL, data, mtype=tid)


def main():
    CORPUS.mkdir(parents=True, exist_ok=True)
    text = h5py.string_dtype()
    with new_file("vlen.h5") as f:  # h5py's default: contiguous variable-length UTF-8
        for name, values in (("id", IDS), ("addr1", ADDR1), ("addr2", ADDR2)):
            f.create_dataset(name, data=values, dtype=text)
    with new_file("chunked_gzip.h5") as f:  # chunked, shuffled, deflated columns beside contiguous ones
        f.create_dataset("id", data=IDS, dtype=text)
        f.create_dataset("addr1", data=ADDR1, dtype=text, chunks=(2,), maxshape=(None,), compression="gzip",
                         shuffle=True)
        f.create_dataset("addr2", data=ADDR2, dtype=text)
        f.create_dataset("label", data=np.array([2, 0, 1], dtype=np.int64), chunks=(2,), compression="gzip")
    with new_file("fixed.h5") as f:  # fixed-length strings, one padding each, uint64 ids
        f.create_dataset("id", data=np.array([2**63 + 1, 7, 2**64 - 1], dtype=np.uint64))
        fixed_strings(f, "addr1", ADDR1, 48, h5py.h5t.STR_NULLPAD)
        fixed_strings(f, "addr2", ADDR2, 40, h5py.h5t.STR_SPACEPAD)
        fixed_strings(f, "note", ["a", "b", "c"], 4, h5py.h5t.STR_NULLTERM)
    with new_file("flagged.h5") as f:  # rows the reader flags: a NUL in a fixed string, bad UTF-8
        f.create_dataset("id", data=np.array([b"a", b"b\xff", b"c"], dtype="S4"))
        f.create_dataset("addr1", data=np.array([b"x\0y", b"x", b"x"], dtype="S4"))
        f.create_dataset("addr2", data=np.array([b"z", b"z", b""], dtype="S4"))
    for path in sorted(CORPUS.iterdir()):
        size = path.stat().st_size
        assert size <= MAX_BYTES, f"{path.name}: {size} bytes, more than {MAX_BYTES}"
        print(f"{path.name}: {size} bytes")


if __name__ == "__main__":
    main()
