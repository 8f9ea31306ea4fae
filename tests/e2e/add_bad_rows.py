#!/usr/bin/env python3
"""Copies a pairs CSV and appends rows each reader policy must flag (not drop)."""
import sys

src, dst = sys.argv[1], sys.argv[2]
with open(src, "rb") as f:
    data = f.read()
bad = [
    b'bad-empty,"",\xe5\x8c\x97\xe4\xba\xac\xe5\xb8\x82,not_match\n',        # empty addr1
    b"bad-utf8,\xff\xfe\xe5\x8c\x97,\xe5\x8c\x97\xe4\xba\xac,not_match\n",    # invalid UTF-8
    b"bad-nul,abc\x00def,\xe5\x8c\x97\xe4\xba\xac,not_match\n",               # NUL byte
    b"bad-fields,only-two-fields\n",                                          # wrong field count
    b"bad-long," + b"a" * 3_000_000 + b",x,not_match\n",                     # a 3 MB field
]
lines = data.splitlines(keepends=True)
dup = lines[1]  # the first data row again: a duplicate id
with open(dst, "wb") as f:
    f.write(b"".join(lines[:200]) + bad[0] + b"".join(lines[200:]) + b"".join(bad[1:]) + dup)
