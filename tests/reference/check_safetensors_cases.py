#!/usr/bin/env python3
"""Checks tests/model/data/safetensors_cases.json against the safetensors library.

    python tests/reference/check_safetensors_cases.py tests/model/data/safetensors_cases.json

For every case, writes the file (8-byte little-endian header length, the header, then
data_bytes zero bytes) and loads it with safetensors.torch.load_file: a case with a
reference_error must fail with a message containing it, one without must load. Exits 1
listing the cases that disagree, so the table's claims about the reference stay true.
"""
import json
import os
import struct
import sys
import tempfile

import safetensors
from safetensors.torch import load_file


def check(case, path):
    header = case["header"].encode()
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(header)) + header + b"\0" * case["data_bytes"])
    expected = case["reference_error"]
    try:
        load_file(path)
    except Exception as e:  # the library raises SafetensorError
        if expected is None:
            return f"refused ({e}), the table says it loads"
        if expected not in str(e):
            return f"refused with '{e}', the table says '{expected}'"
        return None
    return None if expected is None else f"loaded, the table says it fails with '{expected}'"


def main():
    cases = json.load(open(sys.argv[1], encoding="utf-8"))["cases"]
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        for i, case in enumerate(cases):
            problem = check(case, os.path.join(tmp, f"case{i}.safetensors"))
            print(f"{'FAIL' if problem else 'ok  '} {case['name']}" + (f": {problem}" if problem else ""))
            if problem:
                failures.append(case["name"])
    print(f"safetensors {safetensors.__version__}: {len(cases) - len(failures)}/{len(cases)} cases as the table says")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
