#!/usr/bin/env python3
"""Checks the hand-written address set (addresses.tsv) against the division data.

usage: check_set.py [addresses.tsv] [divisions_dir]

Defaults: addresses.tsv next to this script and data/divisions at the repository root.
Checks the header, the column count of every row, that every province/city/district/town
named exists in provinces.csv / cities.csv / areas.csv / streets.csv and that they fit one
another (municipalities: city = the province's name; county-level cities directly under a
province: city empty), the resolution value and its consistency with the division fields,
the format of the number/building/unit/floor/room fields, and that every road, poi, number,
building, unit, floor and room value can be found in the text once it is written in the
normalized form (full-width to ASCII, spaces dropped, '#' to 号, Chinese numerals before
号/栋/幢/座/单元/室/楼/层/弄/组 to digits). Prints the row count per '#' section and exits
non-zero when anything fails. Standard library only.
"""
import collections
import csv
import os
import re
import sys

HEADER = ["text", "province", "city", "district", "town", "road", "number", "poi",
          "building", "unit", "floor", "room", "resolution"]
RESOLUTIONS = {"resolved", "ambiguous", "none"}
MUNICIPALITY_CITY_ROWS = {"市辖区", "县"}
DIRECT_SUFFIX = "直辖县级行政区划"


class Divisions:
    def __init__(self, d):
        def rows(name):
            with open(os.path.join(d, name), encoding="utf-8", newline="") as f:
                return list(csv.DictReader(f))

        self.prov = {r["code"]: r["name"] for r in rows("provinces.csv")}
        self.prov_by_name = {n: c for c, n in self.prov.items()}
        self.cities = {r["code"]: r for r in rows("cities.csv")}
        self.areas = {r["code"]: r for r in rows("areas.csv")}
        self.areas_by_name = collections.defaultdict(list)
        for r in self.areas.values():
            self.areas_by_name[r["name"]].append(r)
        self.streets_by_area = collections.defaultdict(set)
        self.street_names = set()
        for r in rows("streets.csv"):
            self.streets_by_area[r["areaCode"]].add(r["name"])
            self.street_names.add(r["name"])
        # The city name an address carries for each cities.csv row.
        self.city_label = {}
        for code, r in self.cities.items():
            if r["name"] in MUNICIPALITY_CITY_ROWS:
                self.city_label[code] = self.prov[r["provinceCode"]]
            elif r["name"].endswith(DIRECT_SUFFIX):
                self.city_label[code] = ""
            else:
                self.city_label[code] = r["name"]
        self.city_names = collections.defaultdict(set)  # label -> province names
        for code, r in self.cities.items():
            if self.city_label[code]:
                self.city_names[self.city_label[code]].add(self.prov[r["provinceCode"]])

    def reading(self, area):
        """(province, city, district) an address in this area carries."""
        return (self.prov[area["provinceCode"]], self.city_label[area["cityCode"]], area["name"])

    def candidates(self, district, province="", city=None):
        out = []
        for a in self.areas_by_name.get(district, []):
            p, c, _ = self.reading(a)
            if province and p != province:
                continue
            if city is not None and c != city:
                continue
            out.append(a)
        return out


# --- a small normalizer, enough to find the expected values in the text -----------------
CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}
MARKERS = "号|栋|幢|座|单元|室|楼|层|弄|组"
NUMERAL_RUN = re.compile(r"第?([零〇一二两三四五六七八九十百千]+)(?=" + MARKERS + ")")


def cn_value(run):
    if not any(ch in CN_UNITS for ch in run):
        return int("".join(str(CN_DIGITS[ch]) for ch in run))
    total, cur = 0, 0
    for ch in run:
        if ch in CN_DIGITS:
            cur = CN_DIGITS[ch]
        else:
            total += (cur or 1) * CN_UNITS[ch]
            cur = 0
    return total + cur


def normalize(text):
    out = []
    for ch in text:
        o = ord(ch)
        if 0xFF01 <= o <= 0xFF5E:
            ch = chr(o - 0xFEE0)
        elif ch == "\u3000":
            ch = " "
        out.append(ch)
    s = "".join(out)
    s = re.sub(r"(?<=\d)[－–—](?=\d)", "-", s)
    s = re.sub(r"\s+", lambda m: " " if (
        m.start() > 0 and m.end() < len(s)
        and re.match(r"[A-Za-z0-9]", s[m.start() - 1]) and re.match(r"[A-Za-z0-9]", s[m.end()])
    ) else "", s)
    s = s.replace("#", "号")
    s = NUMERAL_RUN.sub(lambda m: str(cn_value(m.group(1))), s)
    return s


def check(tsv, divdir):
    dv = Divisions(divdir)
    errors = []
    sections = collections.OrderedDict()
    section = "(no section)"
    res_counts = collections.Counter()
    rows = 0
    seen = {}
    with open(tsv, encoding="utf-8", newline="") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines or lines[0].split("\t") != HEADER:
        errors.append("line 1: header must be: " + "\\t".join(HEADER))
    for ln, line in enumerate(lines[1:], start=2):
        if line.startswith("#"):
            section = line.lstrip("#").strip()
            sections.setdefault(section, 0)
            continue
        if not line.strip():
            continue
        cells = line.split("\t")

        def err(msg):
            errors.append(f"line {ln}: {msg}: {line[:60]}")

        if len(cells) != len(HEADER):
            err(f"{len(cells)} columns, want {len(HEADER)}")
            continue
        r = dict(zip(HEADER, cells))
        rows += 1
        sections[section] = sections.get(section, 0) + 1
        res_counts[r["resolution"]] += 1
        for k, v in r.items():
            if v != v.strip() or '"' in v or "\r" in v:
                err(f"{k}: stray whitespace or quote")
        if r["text"] in seen:
            err(f"duplicate text (also line {seen[r['text']]})")
        seen[r["text"]] = ln
        text = r["text"]
        if not text:
            err("empty text")
        prov, city, dist, town, res = (r["province"], r["city"], r["district"], r["town"],
                                       r["resolution"])
        if res not in RESOLUTIONS:
            err(f"resolution {res!r} not in {sorted(RESOLUTIONS)}")
            continue

        # Every name exists.
        if prov and prov not in dv.prov_by_name:
            err(f"unknown province {prov}")
        if city and city not in dv.city_names:
            err(f"unknown city {city}")
        if dist and dist not in dv.areas_by_name:
            err(f"unknown district {dist}")
        if town and town not in dv.street_names:
            err(f"unknown town {town}")
        if town and town not in text:
            err(f"town {town} is not written in full in the text")

        if res == "none":
            if prov or city or dist or town:
                err("resolution none with a division filled")
        elif res == "resolved":
            if not prov:
                err("resolved without a province")
            if city and prov and prov not in dv.city_names.get(city, ()):
                err(f"city {city} is not in {prov}")
            if town and not dist:
                err("town without its district")
            if dist:
                cands = dv.candidates(dist, prov, city)
                if len(cands) != 1:
                    err(f"district {dist} under {prov}/{city or '(none)'}: {len(cands)} matches")
                else:
                    a = cands[0]
                    if town and town not in dv.streets_by_area[a["code"]]:
                        err(f"town {town} is not in {dist} ({a['code']})")
                    if len(dv.areas_by_name[dist]) > 1:
                        hints = [prov[:2], city[:2] if city else "", town]
                        if not any(h and h in text for h in hints):
                            err(f"{dist} exists {len(dv.areas_by_name[dist])} times and the "
                                "text names no province, city or town to choose one")
                    if dist not in text and dist[:2] not in text and not town:
                        err(f"district {dist} is neither written nor implied by a town")
        else:  # ambiguous
            if town:
                err("ambiguous row with a town")
            if dist:
                # Readings: the district under the province written (when one is).
                cands = dv.candidates(dist, prov)
                if len(cands) < 2:
                    err(f"ambiguous but {dist} has {len(cands)} reading(s)"
                        + (f" in {prov}" if prov else ""))
                else:
                    readings = [dv.reading(a) for a in cands]
                    provs = {p for p, _, _ in readings}
                    cities = {c for _, c, _ in readings}
                    want_prov = provs.pop() if len(provs) == 1 else ""
                    want_city = cities.pop() if len(cities) == 1 else ""
                    if prov != want_prov:
                        err(f"province should be {want_prov!r} (shared by all readings)")
                    if city != want_city:
                        err(f"city should be {want_city!r} (shared by all readings)")
            elif city:
                err("ambiguous row without a district but with a city")

        # Field formats.
        if r["number"] and not re.fullmatch(r"\d+(-\d+)?", r["number"]):
            err(f"number {r['number']!r} is not digits[-digits]")
        for k in ("building", "unit", "floor", "room"):
            if r[k] and not re.fullmatch(r"[0-9A-Z]+", r[k]):
                err(f"{k} {r[k]!r} is not upper-case letters and digits")
        if re.search(r"[a-z]", r["poi"]):
            err("poi has lower-case ASCII letters")
        if re.search(r"[()（）]", r["poi"]):
            err("poi has parentheses")

        # The values can be found in the normalized text.
        norm = normalize(text).upper()
        for k in ("road", "poi", "number", "building", "unit", "floor", "room"):
            v = r[k].upper()
            if v and v not in norm:
                err(f"{k} {r[k]!r} not found in normalized text {norm!r}")
        if r["number"] and not re.search(re.escape(r["number"]) + "号", norm):
            err(f"number {r['number']} is not followed by 号 in the text")

    return rows, sections, res_counts, errors


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.normpath(os.path.join(here, "..", "..", ".."))
    tsv = argv[1] if len(argv) > 1 else os.path.join(here, "addresses.tsv")
    divdir = argv[2] if len(argv) > 2 else os.path.join(repo, "data", "divisions")
    rows, sections, res_counts, errors = check(tsv, divdir)
    width = max([len(s) for s in sections] + [10])
    print(f"{tsv}: {rows} rows")
    for s, n in sections.items():
        print(f"  {s.ljust(width)}  {n:4d}")
    print("  resolution: " + ", ".join(f"{k} {res_counts[k]}" for k in sorted(res_counts)))
    for e in errors:
        print("ERROR " + e)
    if errors:
        print(f"FAILED: {len(errors)} error(s)")
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
