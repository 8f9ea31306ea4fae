#!/usr/bin/env python3
"""Splink (DuckDB backend) as a peer for `mgeo-dist link` and dedupe, on the tool's synth link sets.

    python splink_link.py --mode link   --dir /tmp/linkset-20k --json link.json
    python splink_link.py --mode dedupe --dir /tmp/linkset-20k --json dedupe.json

Link mode reads D/master.csv, D/queries.csv and D/truth.csv and writes D/splink_links.csv
(query_id, master_id, score, best_id) for `mgeo-dist eval-link --links`. Dedupe mode reads
D/dedupe.csv and D/dedupe_truth.csv (or builds them from the link set when absent) and
writes D/splink_clusters.csv (id, cluster_id) for `mgeo-dist eval-link --clusters`.

Feature engineering is done in Python before Splink sees the data (see README.md for the
reasons): NFKC, Chinese numerals before 号/栋/单元/室 to digits, a gazetteer of province,
city, district and town names read from the reference rows with regexes, a road, house
number, building, unit and room pulled out with regexes, and the set of character
bigrams and trigrams of the normalised address.
"""
from __future__ import annotations

import argparse
import csv
import json
import math
import os
import platform
import re
import resource
import sys
import time
import unicodedata
import zlib
from collections import Counter, defaultdict

# ----------------------------------------------------------------------------------------
# Normalisation

_CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNIT = {"十": 10, "百": 100, "千": 1000}
_CN_NUM = re.compile(r"([零〇一二两三四五六七八九十百千]+)(?=号|栋|幢|座|单元|室|层|楼)")


def cn_to_int(s: str) -> int | None:
    """一百零五 -> 105, 十八 -> 18, 二十 -> 20, 三零一 -> 301 (digit by digit)."""
    if not any(c in _CN_UNIT for c in s):  # digit string: 三零一
        return int("".join(str(_CN_DIGIT[c]) for c in s)) if all(c in _CN_DIGIT for c in s) else None
    total, digit = 0, None
    for c in s:
        if c in _CN_DIGIT:
            digit = _CN_DIGIT[c]
        elif c in _CN_UNIT:
            total += (1 if digit is None else digit) * _CN_UNIT[c]
            digit = None
        else:
            return None
    return total + (digit or 0)


def normalise(s: str) -> str:
    """NFKC (full-width digits and letters to ASCII), upper case, Chinese numerals before a
    number word to digits, whitespace runs to one space (kept: it separates parts)."""
    s = unicodedata.normalize("NFKC", s).upper()
    s = _CN_NUM.sub(lambda m: str(v) if (v := cn_to_int(m.group(1))) is not None else m.group(1), s)
    return re.sub(r"\s+", " ", s).strip()


# ----------------------------------------------------------------------------------------
# Gazetteer of administrative names, read from the reference rows with regexes

_MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")
RE_PROV = re.compile(r"^(北京市|天津市|上海市|重庆市|.{2,3}?省|.{2,9}?自治区)")
RE_CITY = re.compile(r"^(.{2,14}?(?:自治州|地区|盟|市))")
RE_DIST = re.compile(r"^(.{2,16}?(?:自治县|自治旗|林区|特区|区|县|市|旗)|.[区县旗])")
RE_TOWN = re.compile(r"^(.{1,14}?(?:街道|镇|乡|苏木))")
# Ethnic names as they appear inside autonomous area names (for short forms).
_ETHNIC = re.compile(
    r"(?:蒙古|回|藏|维吾尔|苗|彝|壮|布依|朝鲜|满|侗|瑶|白|土家|哈尼|哈萨克|傣|黎|傈僳|佤|畲|拉祜|水|东乡|纳西|景颇|"
    r"柯尔克孜|土|达斡尔|仫佬|羌|布朗|撒拉|毛南|仡佬|锡伯|阿昌|普米|塔吉克|怒|乌孜别克|俄罗斯|鄂温克|德昂|保安|裕固|"
    r"京|塔塔尔|独龙|鄂伦春|赫哲|门巴|珞巴|基诺)族?$"
)



def short_forms(name: str, level: int) -> set[str]:
    """The written forms of an administrative name: full, and without its type word."""
    out = {name}
    base = name
    for suf in ("自治区", "自治州", "自治县", "自治旗"):
        if base.endswith(suf):
            base = base[: -len(suf)]
            while (m := _ETHNIC.search(base)) and len(base) - len(m.group(0)) >= 2:
                base = base[: m.start()]
            out.add(base)
            out.add(base + "州" if suf == "自治州" else base)
            return {f for f in out if len(f) >= 2}
    if level == 3:
        return out  # towns only in full
    for suf in ("地区", "林区", "特区", "省", "市", "区", "县", "旗", "盟"):
        if base.endswith(suf) and len(base) - len(suf) >= 2:
            out.add(base[: -len(suf)])
            break
    return out


_ADMIN_END = re.compile(r"(?:自治县|自治旗|林区|特区|区|县|市|旗)$")
_TOWN_ROAD = re.compile(r"^(?:.{1,14}?(?:街道|镇|乡|苏木))?[^\d]{2,8}(?:大道|路|街|巷|道)[东西南北中]?$")


def district_candidates(rest: str):
    """Ways to read a district off the head of `rest`: a name ending in a type word that
    leaves a (town and) road behind."""
    out = []
    for end in range(2, min(len(rest), 18) + 1):
        head, tail = rest[:end], rest[end:]
        if _ADMIN_END.search(head) and (not tail or _TOWN_ROAD.match(tail)):
            out.append((head, tail))
    return out


def split_district(rest: str, known: Counter | None = None):
    """The district at the head of `rest`. Where several readings fit (红旗 + 区小店镇, or
    红旗区 + 小店镇), the name seen alone most often in the other rows wins, then the
    shortest that is not followed by another type word."""
    cands = district_candidates(rest)
    if cands:
        def rank(c):
            head, tail = c
            return (-(known or {}).get(head, 0), bool(tail) and tail[0] in "区县市旗", len(head))
        return min(cands, key=rank)
    m = RE_DIST.match(rest)
    return (m.group(1), rest[m.end():]) if m else (None, rest)


def split_full(prefix: str, known: Counter | None = None):
    """Province, city, district, town of a prefix written in full (a reference row)."""
    parts = [None, None, None, None]
    rest = prefix
    if m := RE_PROV.match(rest):
        parts[0], rest = m.group(1), rest[m.end():]
    if parts[0] not in _MUNICIPALITIES and (m := RE_CITY.match(rest)):
        parts[1], rest = m.group(1), rest[m.end():]
    parts[2], rest = split_district(rest, known)
    if m := RE_TOWN.match(rest):
        parts[3], rest = m.group(1), rest[m.end():]
    return parts, rest


class Gazetteer:
    """Surface form -> candidates (level, canonical full name, province, city)."""

    def __init__(self):
        self.forms: dict[str, set[tuple]] = defaultdict(set)
        self.lengths: list[int] = []

    def add_full(self, parts):
        prov, city, dist, town = parts
        for level, name in enumerate(parts):
            if not name:
                continue
            key = (level, name, prov, city if level >= 2 else None, dist if level == 3 else None)
            for f in short_forms(name, level):
                self.forms[f].add(key)

    def finish(self):
        self.lengths = sorted({len(f) for f in self.forms}, reverse=True)

    def scan(self, text: str):
        """Administrative parts of `text` (no spaces), as canonical full names, and where
        the last accepted part ends. Greedy longest match left to right; a part is kept
        only when it is of a lower level than the one before (so a road named after a
        province, 北京路 after the district, is left alone)."""
        parts = [None, None, None, None]
        last_level, end, i = -1, 0, 0
        n = len(text)
        while i < n:
            hit = None
            for L in self.lengths:
                if i + L <= n and (cands := self.forms.get(text[i : i + L])):
                    ok = [c for c in cands if c[0] > last_level]
                    if ok:
                        hit = (L, ok)
                        break
            if not hit:
                i += 1
                continue
            L, ok = hit

            def fit(c):  # agreement with the parts already found
                s = 0
                if c[2] and parts[0] and c[2] == parts[0]:
                    s += 2
                if c[3] and parts[1] and c[3] == parts[1]:
                    s += 2
                if c[4] and parts[2] and c[4] == parts[2]:
                    s += 2
                return (s, -c[0])  # then the highest level (province before city ...)

            c = max(ok, key=fit)
            parts[c[0]] = c[1]
            if c[0] <= 1 and c[2] and not parts[0]:
                parts[0] = c[2]
            if c[0] >= 2 and c[3] and not parts[1]:
                parts[1] = c[3]
            last_level, i, end = c[0], i + L, i + L
        return parts, end


# ----------------------------------------------------------------------------------------
# Address parts

RE_NUMBER = re.compile(r"(\d+)号(?!楼)")
RE_ROAD = re.compile(r"([^\d\s]{1,8}?(?:大道|路|街|巷|道|弄|胡同)(?:[东西南北中])?(?:[一二三四五六七八九十\d]+段)?)$")
RE_ADMIN_WORD = re.compile(r"省|自治区|自治州|地区|盟|市|区|县|旗|街道|镇|乡|苏木")
RE_BUILDING = re.compile(r"(?<![0-9A-Z])([A-Z]|\d{1,3})(?:号楼|栋|幢|座)")
RE_UNIT = re.compile(r"(\d{1,2})单元")
RE_ROOM = re.compile(r"(\d{3,5})室?$")


def ngrams(s: str) -> list[str]:
    return sorted({s[i : i + 2] for i in range(len(s) - 1)} | {s[i : i + 3] for i in range(len(s) - 2)})


def gram_ids(grams: list[str]) -> list[int]:
    """The n-gram set as 31-bit ints (crc32): DuckDB intersects int lists faster than text."""
    return sorted({zlib.crc32(g.encode("utf-8")) & 0x7FFFFFFF for g in grams})


def gram_vector(grams: list[str], dim: int):
    """The n-gram set hashed into `dim` buckets, L2-normalised (for cosine similarity)."""
    import numpy as np

    v = np.zeros(dim, dtype=np.float32)
    for g in grams:
        v[zlib.crc32(g.encode("utf-8")) % dim] = 1.0
    n = float(np.linalg.norm(v))
    return v / n if n else v


def canonical(s: str) -> str:
    """The normalised address for n-grams: no spaces, one building word (栋)."""
    s = s.replace(" ", "")
    return re.sub(r"(?<=[0-9A-Z])(号楼|幢|座)", "栋", s)


def parse(raw: str, gaz: Gazetteer) -> dict:
    s = normalise(raw)
    flat = s.replace(" ", "")
    out = {"addr": canonical(s)}
    m = RE_NUMBER.search(flat)
    pre = flat[: m.start()] if m else flat
    ms = RE_NUMBER.search(s)  # the same number in the spaced text: "SOHO E栋" keeps its space
    post = s[ms.end():].strip() if ms else ""
    out["house_number"] = m.group(1) if m else None
    admin, end = gaz.scan(pre)
    out["province"], out["city"], out["district"], out["town"] = admin
    # The area: the district, or the city for a county-level city with no district under it.
    out["area"] = admin[2] or admin[1]
    if not admin[2]:
        # A district the reference rows never name (the gazetteer cannot know it): read it
        # with the regexes when the text writes it in full, so it disagrees rather than
        # being missing.
        rest = pre[end:]
        if admin[1] is None and not admin[0]:
            parts, _ = split_full(rest)
            d = parts[2]
        else:
            d, _ = split_district(rest)
        if d and d != rest and len(d) <= 12:
            out["district"] = out["area"] = d
    road_text = pre[end:]
    if not m:  # no number: the road is the last road word in the text
        r = re.search(r"([^\d]{2,8}?(?:大道|路|街|巷|道))", flat[end:])
        road_text = r.group(1) if r else ""
    cut = [m.end() for m in RE_ADMIN_WORD.finditer(road_text) if len(road_text) - m.end() >= 3]
    if cut:
        road_text = road_text[cut[-1]:]
    r = RE_ROAD.search(road_text)
    road = r.group(1) if r else (road_text[-6:] or None)
    out["road"] = road
    out["road_first"] = road[0] if road else None
    b = RE_BUILDING.search(post)
    out["building"] = b.group(1) if b else None
    u = RE_UNIT.search(post)
    out["unit"] = u.group(1) if u else None
    tail = post[b.end():] if b else post
    rm = RE_ROOM.search(tail.replace(" ", ""))
    out["room"] = rm.group(1) if rm and (b or u or "室" in rm.group(0)) else None
    out["rest"] = canonical(post) or None  # complex, building, unit, room: what follows the number
    out["grams"] = ngrams(out["addr"])
    out["rest_grams"] = ngrams(out["rest"] or "")
    return out


def frame(rows, gaz, args):
    import pandas as pd

    recs = []
    for r in rows:
        p = parse(r["address"], gaz)
        g = p.pop("grams")
        rg = p.pop("rest_grams")
        if args.gram_text == "rest":
            g = rg
        if args.grams == "jaccard":
            p["grams"] = gram_ids(g) if g else None
        else:
            p["gvec"] = gram_vector(g, args.gram_dim) if g else None
        recs.append({"id": r["id"], **p})
    return pd.DataFrame(recs)


def register(con, db_api, df, name, args):
    """Into DuckDB with the column types Splink's SQL needs (FLOAT[dim] for the cosine)."""
    con.register(f"{name}_pd", df)
    cast = f"gvec::FLOAT[{args.gram_dim}] AS gvec" if args.grams == "cosine" else "grams::INTEGER[] AS grams"
    drop = "gvec" if args.grams == "cosine" else "grams"
    con.execute(f"CREATE TABLE {name}_in AS SELECT * EXCLUDE ({drop}), {cast} FROM {name}_pd")
    con.unregister(f"{name}_pd")
    return db_api.register(f"{name}_in", dataset_display_name=name)


def build_gazetteer(addresses) -> Gazetteer:
    """Admin names of the rows whose prefix reads as written in full (a province and a
    district or city found by the regexes). Two passes: the first counts the district
    names that are the only reading of their row, the second settles ambiguous rows
    with those counts."""
    prefixes = []
    for raw in addresses:
        flat = normalise(raw).replace(" ", "")
        m = RE_NUMBER.search(flat)
        prefixes.append(flat[: m.start()] if m else flat)
    known = Counter()
    for pre in set(prefixes):
        parts, _ = split_full(pre)
        if parts[0] and parts[2]:
            rest = pre[len(parts[0]) + len(parts[1] or ""):]
            if len(district_candidates(rest)) == 1:
                known[parts[2]] += 1
    gaz = Gazetteer()
    for pre in set(prefixes):
        parts, rest = split_full(pre, known)
        if parts[0] and (parts[1] or parts[2]) and rest:
            gaz.add_full(parts)
    gaz.finish()
    return gaz


# ----------------------------------------------------------------------------------------
# IO, timing, memory

def read_csv(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def peak_rss_mb() -> float:
    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round((self_kb + kids_kb) / 1024.0, 1)


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


class Stages:
    def __init__(self):
        self.t0 = time.perf_counter()
        self.seconds = {}
        self._name = None
        self._start = None

    def start(self, name):
        self.stop()
        self._name, self._start = name, time.perf_counter()
        print(f"[{time.perf_counter() - self.t0:8.1f}s] {name} ...", file=sys.stderr, flush=True)

    def stop(self):
        if self._name:
            self.seconds[self._name] = round(self.seconds.get(self._name, 0) + time.perf_counter() - self._start, 3)
            self._name = None

    def total(self):
        self.stop()
        return round(time.perf_counter() - self.t0, 3)


# ----------------------------------------------------------------------------------------
# Splink model

FEATURES = ["province", "city", "district", "area", "town", "road", "road_first", "house_number", "building", "unit",
            "room"]


def jaccard_sql(t: float) -> str:
    # |A n B| / |A u B| >= t  <=>  |A n B| * (1 + t) >= t * (|A| + |B|): one intersection.
    return f"len(list_intersect(grams_l, grams_r)) * {1 + t} >= {t} * (len(grams_l) + len(grams_r))"


def settings(link_type: str, args):
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    same = "addr" if args.gram_text == "full" else "rest"
    if args.grams == "jaccard":
        grams = cl.CustomComparison(
            output_column_name="grams",
            comparison_description="Jaccard of the character bigram+trigram sets of the normalised address",
            comparison_levels=[
                cll.CustomLevel("grams_l IS NULL OR grams_r IS NULL OR len(grams_l) = 0 OR len(grams_r) = 0",
                                label_for_charts="null").configure(is_null_level=True),
                cll.CustomLevel(f"{same}_l = {same}_r", label_for_charts=f"same {same}"),
                *[cll.CustomLevel(jaccard_sql(t), label_for_charts=f"jaccard >= {t}") for t in args.gram_levels],
                cll.ElseLevel(),
            ],
        )
    else:  # Splink's own cosine comparison over hashed n-gram vectors
        grams = cl.CustomComparison(
            output_column_name="grams",
            comparison_description="Cosine of the hashed character bigram+trigram vectors of the normalised address",
            comparison_levels=[
                cll.NullLevel("gvec"),
                cll.CustomLevel(f"{same}_l = {same}_r", label_for_charts=f"same {same}"),
                *[cll.CosineSimilarityLevel("gvec", t) for t in args.gram_levels],
                cll.ElseLevel(),
            ],
        )

    def exact(col):
        """Exact match; with --m-prior COL=M its m is fixed from domain knowledge (EM keeps it)."""
        if col not in args.m_prior:
            return cl.ExactMatch(col)
        m = args.m_prior[col]
        return cl.CustomComparison(
            output_column_name=col,
            comparison_levels=[
                cll.NullLevel(col),
                cll.ExactMatchLevel(col).configure(m_probability=m, fix_m_probability=True),
                cll.ElseLevel().configure(m_probability=1 - m, fix_m_probability=True),
            ],
        )

    comparisons = [
        exact("house_number"),
        cl.JaroWinklerAtThresholds("road", [0.9, 0.8]).configure(term_frequency_adjustments=True),
        exact("area"),
        exact("building"),
        grams,
    ]
    blocking = [
        block_on("house_number", "road_first"),
        block_on("area", "road"),
    ]
    return SettingsCreator(
        link_type=link_type,
        unique_id_column_name="id",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=blocking,
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
        additional_columns_to_retain=[],
        max_iterations=args.em_iterations,
    )


def train(linker, args, stages, info):
    from splink import block_on

    stages.start("train_prior")
    # Deterministic rule: same area, road and number; these rarely disagree for a true pair
    # and rarely agree for a false one (the near miss with another building does).
    linker.training.estimate_probability_two_random_records_match(
        [block_on("area", "road", "house_number")], recall=args.prior_recall)
    stages.start("train_u")
    linker.training.estimate_u_using_random_sampling(max_pairs=args.u_max_pairs, seed=args.seed)
    stages.start("train_em")
    # Two EM passes, as the docs recommend, so each comparison is estimated at least once
    # outside its own blocking rule. Each rule keeps true pairs a sizeable share of its
    # pairs (same road of the same area: a handful of numbers; same number: tens of
    # places). Blocking on the area alone made EM's "match" class "same road", not "same
    # place" (house-number m of 0.06).
    em = [block_on("area", "road"), block_on("house_number")]
    for br in em:
        linker.training.estimate_parameters_using_expectation_maximisation(br, max_pairs=args.em_max_pairs)
    stages.stop()
    info["em_blocking_rules"] = ["area AND road", "house_number"]


def model_summary(linker):
    s = linker._settings_obj
    out = {"probability_two_random_records_match": s._probability_two_random_records_match, "comparisons": {}}
    for c in s.comparisons:
        levels = []
        for lv in c.comparison_levels:
            if lv.is_null_level:
                continue
            levels.append({"label": lv.label_for_charts,
                           "m": None if lv.m_probability is None else round(lv.m_probability, 6),
                           "u": None if lv.u_probability is None else round(lv.u_probability, 8),
                           "bayes_factor": None if not lv._has_estimated_values else round(lv._bayes_factor, 4)})
        out["comparisons"][c.output_column_name] = levels
    return out


def make_db(args):
    import duckdb
    from splink.backends.duckdb import DuckDBAPI

    con = duckdb.connect(":memory:")
    con.execute(f"SET threads = {args.threads}")
    if args.memory_limit:
        con.execute(f"SET memory_limit = '{args.memory_limit}'")
    return DuckDBAPI(connection=con), con


def env_info(args):
    import duckdb
    import pandas
    import splink

    return {
        "splink": splink.__version__, "duckdb": duckdb.__version__, "pandas": pandas.__version__,
        "python": platform.python_version(), "nproc": os.cpu_count(), "cpu": cpu_model(),
        "duckdb_threads": args.threads, "machine": platform.machine(),
        "date": time.strftime("%Y-%m-%d"), "loadavg_at_start": [round(x, 2) for x in os.getloadavg()],
    }


# ----------------------------------------------------------------------------------------
# Link mode

def f1_of(tp, fp, with_master):
    fn = with_master - tp
    return {"tp": tp, "fp": fp, "fn": fn, "precision": tp / (tp + fp) if tp + fp else 0.0,
            "recall": tp / with_master if with_master else 0.0,
            "f1": 2 * tp / (2 * tp + fp + fn) if (2 * tp + fp + fn) else 0.0}


def prob_of(w):
    return 1.0 / (1.0 + 2.0 ** -w) if w > -1000 else 0.0


def weight_of(p):
    return math.log2(p / (1 - p))


def sweep_links(best, truth):
    """best: query -> (match_weight, probability, best_id). Same counting as `mgeo-dist
    eval-link`: a query is linked when its best pair's score >= t; TP when linked to its true
    master. Swept on the match weight: probabilities round to 1.0 above about 53 bits, and
    many pairs here score that high."""
    with_master = sum(1 for v in truth.values() if v)
    scored = sorted(((w, bid == truth[q] and bool(truth[q])) for q, (w, p, bid) in best.items() if bid), reverse=True)
    curve, tp, fp, i = [], 0, 0, 0
    while i < len(scored):
        s = scored[i][0]
        while i < len(scored) and scored[i][0] == s:
            tp, fp = tp + scored[i][1], fp + (not scored[i][1])
            i += 1
        curve.append((s, tp, fp))
    best_pt = max(curve, key=lambda p: (f1_of(p[1], p[2], with_master)["f1"], -p[0])) if curve else (0.0, 0, 0)

    def at(w):
        tp = sum(1 for s, ok in scored if s >= w and ok)
        fp = sum(1 for s, ok in scored if s >= w and not ok)
        return {"match_weight": w, "probability": prob_of(w), **f1_of(tp, fp, with_master)}

    return {
        "with_master": with_master,
        "best_id_recall": sum(1 for q, (w, p, b) in best.items() if b and b == truth[q]) / with_master,
        "f1_optimal": at(best_pt[0]),
        "at_0.5": at(0.0),
        "sweep": [at(weight_of(p)) for p in (0.1, 0.5, 0.9, 0.99, 0.999, 1 - 1e-6, 1 - 1e-9, 1 - 1e-12)]
                 + [at(w) for w in (45, 50, 55, 60)],
    }


def run_link(args, stages, info):
    from splink import Linker

    d = args.dir
    stages.start("read")
    masters = read_csv(os.path.join(d, "master.csv"))
    queries = read_csv(os.path.join(d, "queries.csv"))
    truth = {r["query_id"]: r["master_id"] for r in read_csv(os.path.join(d, "truth.csv"))}
    info["sizes"] = {"masters": len(masters), "queries": len(queries),
                     "queries_with_master": sum(1 for v in truth.values() if v)}

    stages.start("features")
    gaz = build_gazetteer(r["address"] for r in masters)  # the master list is the reference
    info["gazetteer_forms"] = len(gaz.forms)
    mdf = frame(masters, gaz, args)
    qdf = frame(queries, gaz, args)
    info["feature_fill"] = {"masters": {c: round(float(mdf[c].notna().mean()), 4) for c in FEATURES},
                            "queries": {c: round(float(qdf[c].notna().mean()), 4) for c in FEATURES}}

    stages.start("register")
    db_api, con = make_db(args)
    sm = register(con, db_api, mdf, "master", args)
    sq = register(con, db_api, qdf, "queries", args)
    linker = Linker([sm, sq], settings("link_only", args), log_level=args.log_level)
    train(linker, args, stages, info)
    info["model"] = model_summary(linker)

    stages.start("predict")
    pred = linker.inference.predict(threshold_match_probability=args.predict_floor)
    t = pred.physical_name
    # Best master per query (ties: higher weight, then lower master id).
    best_sql = f"""
        WITH p AS (
          SELECT CASE WHEN source_dataset_l = 'queries' THEN id_l ELSE id_r END AS query_id,
                 CASE WHEN source_dataset_l = 'queries' THEN id_r ELSE id_l END AS master_id,
                 match_probability, match_weight FROM {t})
        SELECT query_id, master_id AS best_id, match_probability AS score, match_weight FROM p
        QUALIFY row_number() OVER (PARTITION BY query_id ORDER BY match_weight DESC, master_id) = 1"""
    bdf = con.execute(best_sql).df()
    info["predicted_pairs"] = int(con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0])
    stages.stop()

    best = {q: (None, None, "") for q in truth}
    for r in bdf.itertuples(index=False):
        best[r.query_id] = (float(r.match_weight), float(r.score), r.best_id)
    info["queries_without_candidate"] = sum(1 for v in best.values() if not v[2])
    metrics = sweep_links(best, truth)
    metrics["candidate_recall"] = (
        _candidate_recall(con, t, truth) if args.candidate_recall else None)
    info["metrics"] = metrics
    # The links file's threshold, as a match weight: the F1-optimal one (chosen on the truth:
    # an oracle, reported beside the default 0.5) unless --threshold (a probability) is given.
    thr = metrics["f1_optimal"]["match_weight"] if args.threshold is None else weight_of(args.threshold)
    info["written_threshold"] = {"match_weight": thr, "probability": prob_of(thr)}

    out = os.path.join(d, "splink_links.csv")
    with open(out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["query_id", "master_id", "score", "best_id", "match_weight"])
        for r in queries:
            wt, p, b = best[r["id"]]
            w.writerow([r["id"], b if b and wt >= thr else "", "" if p is None else repr(p), b,
                        "" if wt is None else f"{wt:.6f}"])
    info["links_csv"] = out
    if args.errors:
        write_errors(args.errors, masters, queries, truth, best, thr, mdf, qdf)


def _candidate_recall(con, t, truth):
    rows = con.execute(f"""SELECT CASE WHEN source_dataset_l = 'queries' THEN id_l ELSE id_r END,
                                  CASE WHEN source_dataset_l = 'queries' THEN id_r ELSE id_l END FROM {t}""").fetchall()
    found = sum(1 for q, m in rows if truth.get(q) == m)
    return found / max(1, sum(1 for v in truth.values() if v))


def write_errors(path, masters, queries, truth, best, thr, mdf, qdf):
    maddr = {r["id"]: r["address"] for r in masters}
    qaddr = {r["id"]: r["address"] for r in queries}
    mf = mdf.set_index("id")
    qf = qdf.set_index("id")
    cols = ["area", "road", "house_number", "building"]
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["kind", "query_id", "match_weight", "query", "linked_or_best", "true_master", "query_parts", "best_parts",
                    "true_parts"])
        for q, want in truth.items():
            s, _, b = best[q]
            linked = b if b and s >= thr else ""
            if linked == want:
                continue
            kind = ("fp_no_master" if not want else "fp_wrong_master") if linked else "fn_unlinked"
            parts = lambda df, i: "|".join(str(df.at[i, c]) for c in cols) if i else ""
            w.writerow([kind, q, s, qaddr[q], maddr.get(b, ""), maddr.get(want, ""), parts(qf, q), parts(mf, b),
                        parts(mf, want)])


# ----------------------------------------------------------------------------------------
# Dedupe mode

def pairs(n):
    return n * (n - 1) // 2


def pairwise_metrics(cluster_of: dict, entity_of: dict):
    cells, csize, esize = Counter(), Counter(), Counter()
    for i, e in entity_of.items():
        c = cluster_of.get(i, ("singleton", i))
        cells[(c, e)] += 1
        csize[c] += 1
        esize[e] += 1
    tp = sum(pairs(n) for n in cells.values())
    pred = sum(pairs(n) for n in csize.values())
    true = sum(pairs(n) for n in esize.values())
    p = tp / pred if pred else 0.0
    r = tp / true if true else 0.0
    return {"tp_pairs": tp, "predicted_pairs": pred, "true_pairs": true, "precision": p, "recall": r,
            "f1": 2 * p * r / (p + r) if p + r else 0.0, "clusters": len(csize), "entities": len(esize)}


def dedupe_inputs(d):
    dd, dt = os.path.join(d, "dedupe.csv"), os.path.join(d, "dedupe_truth.csv")
    if os.path.exists(dd) and os.path.exists(dt):
        return read_csv(dd), {r["id"]: r["entity_id"] for r in read_csv(dt)}, "dedupe.csv"
    masters = read_csv(os.path.join(d, "master.csv"))
    queries = read_csv(os.path.join(d, "queries.csv"))
    truth = {r["query_id"]: r["master_id"] for r in read_csv(os.path.join(d, "truth.csv"))}
    rows = masters + queries
    ent = {r["id"]: r["id"] for r in masters}
    ent.update({q: (m or q) for q, m in truth.items()})
    return rows, ent, "built from master.csv + queries.csv"


def run_dedupe(args, stages, info):
    from splink import Linker

    d = args.dir
    stages.start("read")
    rows, entity_of, source = dedupe_inputs(d)
    info["dedupe_source"] = source
    info["sizes"] = {"rows": len(rows), "entities": len(set(entity_of.values())),
                     "true_pairs": sum(pairs(n) for n in Counter(entity_of.values()).values())}

    stages.start("features")
    # No reference list here: the gazetteer is read from every row whose prefix parses
    # in full (province ... district with their type words).
    gaz = build_gazetteer(r["address"] for r in rows)
    info["gazetteer_forms"] = len(gaz.forms)
    df = frame(rows, gaz, args)
    info["feature_fill"] = {c: round(float(df[c].notna().mean()), 4) for c in FEATURES}

    stages.start("register")
    db_api, con = make_db(args)
    sdf = register(con, db_api, df, "rows", args)
    linker = Linker(sdf, settings("dedupe_only", args), log_level=args.log_level)
    train(linker, args, stages, info)
    info["model"] = model_summary(linker)

    stages.start("predict")
    pred = linker.inference.predict(threshold_match_probability=args.predict_floor)
    info["predicted_pairs"] = int(con.execute(f"SELECT count(*) FROM {pred.physical_name}").fetchall()[0][0])

    stages.start("clustering")
    sweep = {}

    def cluster_at(t):
        if t in sweep:
            return
        cl = linker.clustering.cluster_pairwise_predictions_at_threshold(pred, threshold_match_weight=t)
        rows_ = con.execute(f"SELECT id, cluster_id FROM {cl.physical_name}").fetchall()
        sweep[t] = ({"match_weight": t, "probability": prob_of(t),
                     **pairwise_metrics({i: c for i, c in rows_}, entity_of)}, rows_)
        cl.drop_table_from_database_and_remove_from_cache()

    for t in args.cluster_weights:  # a coarse grid, then whole weights around its best
        cluster_at(float(t))
    t0 = max(sweep.values(), key=lambda v: v[0]["f1"])[0]["match_weight"]
    step = min((b - a for a, b in zip(sorted(args.cluster_weights), sorted(args.cluster_weights)[1:])), default=0)
    for k in range(-int(step) + 1, int(step)):
        cluster_at(t0 + k)
    best = max(sweep.values(), key=lambda v: (v[0]["f1"], -v[0]["match_weight"]))
    sweep = [sweep[t][0] for t in sorted(sweep)]
    stages.stop()
    info["metrics"] = {"sweep": sweep, "f1_optimal": best[0],
                       "at_0.5": next((m for m in sweep if m["match_weight"] == 0), None)}
    out = os.path.join(d, "splink_clusters.csv")
    with open(out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "cluster_id"])
        w.writerows(best[1])
    info["clusters_csv"] = out
    info["written_threshold"] = {"match_weight": best[0]["match_weight"], "probability": best[0]["probability"]}


# ----------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mode", choices=["link", "dedupe"], required=True)
    ap.add_argument("--dir", required=True, help="synth --link output directory")
    ap.add_argument("--json", help="write the run's figures here")
    ap.add_argument("--seed", type=int, default=7, help="the set's seed (recorded) and the u-sampling seed")
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 1, help="DuckDB threads")
    ap.add_argument("--memory-limit", default=None, help="DuckDB memory_limit, e.g. 16GB")
    ap.add_argument("--u-max-pairs", type=float, default=1e7)
    ap.add_argument("--em-max-pairs", type=float, default=None, help="cap EM training pairs (large sets)")
    ap.add_argument("--em-iterations", type=int, default=25)
    ap.add_argument("--prior-recall", type=float, default=0.9)
    ap.add_argument("--predict-floor", type=float, default=0.001,
                    help="predict() keeps pairs with match_probability >= this (the sweep starts here)")
    ap.add_argument("--threshold", type=float, default=None,
                    help="link mode: threshold for master_id in splink_links.csv (default: the F1-optimal one)")
    ap.add_argument("--cluster-weights", type=float, nargs="+",
                    default=[0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60],
                    help="dedupe: match weights to cluster at (0 = probability 0.5; weights, since "
                         "probabilities round to 1 above about 53)")
    ap.add_argument("--candidate-recall", action="store_true", help="link mode: recall of the predicted pairs")
    ap.add_argument("--errors", help="link mode: write the wrong and missing links to this CSV")
    ap.add_argument("--grams", choices=["jaccard", "cosine"], default="jaccard",
                    help="n-gram comparison: exact Jaccard of the gram sets (list_intersect), or Splink's "
                         "CosineSimilarityAtThresholds-style levels on hashed gram vectors")
    ap.add_argument("--gram-levels", type=float, nargs="+", default=None,
                    help="similarity thresholds of the n-gram levels (default 0.8 0.6 0.4 for Jaccard, "
                         "0.9 0.75 0.6 for cosine)")
    ap.add_argument("--gram-text", choices=["full", "rest"], default="full",
                    help="n-grams of the full normalised address, or of what follows the house number")
    ap.add_argument("--gram-dim", type=int, default=256, help="cosine: hashed vector size")
    ap.add_argument("--m-prior", action="append", default=None, metavar="COL=M",
                    help="fix the m probability of COL's exact level at M instead of letting EM estimate it "
                         "(default: house_number=0.999 building=0.99 area=0.99; see README)")
    ap.add_argument("--em-only", action="store_true", help="no fixed m: EM estimates every m")
    ap.add_argument("--log-level", default="WARNING")
    args = ap.parse_args()
    if args.m_prior is None:
        args.m_prior = [] if args.em_only else ["house_number=0.999", "building=0.99", "area=0.99"]
    args.m_prior = {k: float(v) for k, v in (x.split("=", 1) for x in args.m_prior)}
    if args.gram_levels is None:
        args.gram_levels = [0.8, 0.6, 0.4] if args.grams == "jaccard" else [0.9, 0.75, 0.6]

    stages = Stages()
    info = {"tool": "splink", "mode": args.mode, "dir": args.dir, "seed": args.seed, "env": env_info(args),
            "config": {k: v for k, v in vars(args).items() if k not in ("json", "dir", "mode")}}
    (run_link if args.mode == "link" else run_dedupe)(args, stages, info)
    info["seconds"] = {"total": stages.total(), **stages.seconds}
    info["seconds"]["training"] = round(sum(v for k, v in stages.seconds.items() if k.startswith("train")), 3)
    info["peak_rss_mb"] = peak_rss_mb()
    info["env"]["loadavg_at_end"] = [round(x, 2) for x in os.getloadavg()]
    m = info["metrics"]
    print(json.dumps({"mode": args.mode, "f1_optimal": m["f1_optimal"], "at_0.5": m["at_0.5"],
                      "seconds": info["seconds"], "peak_rss_mb": info["peak_rss_mb"]}, indent=1, default=str))
    if args.json:
        os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(info, f, indent=1, ensure_ascii=False, default=str)


if __name__ == "__main__":
    main()
