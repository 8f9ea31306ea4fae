#!/usr/bin/env python3
"""Reference cases for the C++ BERT tokenizer, computed by HuggingFace tokenizers.

    python tests/reference/make_tokenizer_cases.py --out DIR

Writes into DIR:
  vocab.txt        the test vocab (make_vocab.py)
  cases.jsonl      one case per line: {"cat", "a" | "a_hex", optional "b" | "b_hex",
                   "max_length", "options": {"lowercase", "strip_accents"}, "input_ids",
                   "token_type_ids"}, the ids from transformers.BertTokenizerFast with
                   truncation="longest_first". *_hex fields hold raw (possibly invalid)
                   UTF-8 bytes; their reference is the tokenization of
                   bytes.decode("utf-8", "replace").
  codepoints.jsonl one line per option set: {"options": {...}, "placeholder", "runs":
                   [[first, last, words], ...]}: the words HF's BertNormalizer +
                   BertPreTokenizer make of "a" + chr(c) + "a" for c in [first, last],
                   with chr(c) written as the placeholder.
  stamp            inputs of this run; a rerun with the same inputs does nothing.

Everything is deterministic (fixed seed).
"""
import argparse
import csv
import gzip
import hashlib
import io
import json
import os
import random
import sys

import tokenizers
import transformers
from tokenizers import normalizers, pre_tokenizers

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import make_vocab  # noqa: E402

SEED = 20240611
MAX_LENGTHS = (16, 32, 128, 512)
OPTION_SETS = (  # (weight, options)
    (70, {"lowercase": True, "strip_accents": None}),
    (20, {"lowercase": False, "strip_accents": None}),
    (5, {"lowercase": True, "strip_accents": False}),
    (5, {"lowercase": False, "strip_accents": True}),
)
PLACEHOLDER = "\uffff"

# ---------------------------------------------------------------- text material

ROAD_SUFFIX = ["路", "街", "大道", "巷", "弄", "胡同", "大街", "东路", "西路", "南路", "北路", "中路"]
BUILDINGS = ["SOHO现代城", "万达广场", "国际大厦", "科技园", "金融中心", "花园小区", "Tower A", "Plaza",
             "创业大厦", "世纪公寓", "soho尚都", "CBD中心", "IFS国金中心", "银泰centre", "汇丰大厦"]
UNITS = ["号楼", "栋", "幢", "座", "单元", "层", "室", "号", "户", "F", "楼"]
ENGLISH = ["SOHO", "Tower A", "Room 1203", "Building 5", "Floor 12", "Unit 3B", "No.88", "Block C",
           "Beijing", "Shanghai", "China", "Road", "St.", "Rd", "Apt #5", "Suite 100", "east",
           "WEST", "North Gate", "soho", "sohoing", "towers", "buildings", "center", "centre"]
EMOJI = ["😀", "🏠", "🏢", "📍", "🚇", "👍🏽", "👨\u200d👩\u200d👧", "🇨🇳", "1\ufe0f\u20e3", "❤️", "🥰",
         "🫨", "✈", "☕", "🀄", "\U0001fae8", "🏙️", "🔥🔥"]
ACCENTED = ["café", "Ã", "naïve", "Ångström", "İstanbul", "ΟΔΟΣ", "Straße", "ﬁle", "Ǆ", "ǅungla",
            "Ὠιδή", "\u212b", "\u2126", "São Paulo", "Zürich", "Crème Brûlée", "ÉCOLE", "ŁÓDŹ",
            "Ḱ", "ǰ", "ẞ", "Σίσυφος", "ÀÉÎÕÜ", "résumé", "Ñandú", "e\u0301", "A\u030a", "ﬀ", "Ⅻ",
            "Ǳ", "ŉ", "ΐ", "Ω", "К", "Москва", "Ärger", "ÇA", "İ", "ı", "ǈ"]
KOREAN_JAPANESE = ["서울특별시", "강남구", "테헤란로", "가나다", "ひらがな", "カタカナ", "ｶﾀｶﾅ", "東京都",
                   "渋谷区", "しぶや", "ヴ", "ぱぴぷ", "ㄱㄴㄷ", "한국", "ﾃﾞﾊﾟｰﾄ", "ゟ", "ヿ"]
CONTROLS = ["\x00", "\x07", "\x1b", "\u200b", "\ufeff", "\t", "\r", "\n", "\u3000", "\u00a0",
            "\x0b", "\x0c", "\x85", "\u2028", "\u2029", "\u200d", "\u200e", "\u00ad", "\x7f",
            "\u2060", "\ufffd", "\u180e", "\u202f", "\u1680", "\x1f", "\u061c", "\ue000"]
PUNCT = ["，", "。", "、", "；", "：", "？", "！", "“", "”", "‘", "’", "（", "）", "【", "】", "《",
         "》", "—", "…", "·", "￥", "＃", "¡", "¿", "«", "»", "‐", "‒", "–", "―", "‖", "†", "‡",
         "•", "′", "″", "‰", "※", "⁂", "﹏", "＿", "〔", "〕", "〈", "〉", "「", "」", "『", "』",
         "〖", "〗", "～", "＆", "§", "¶", "⸮", "჻", "፡", "\u166d", "\U000111c9", "@", "#", "-",
         "/", "\\", "(", ")", "[", "]", "{", "}", "<", ">", "|", "~", "^", "`", "$", "+", "="]
MARKS = [chr(c) for c in range(0x300, 0x370)] + ["\u0591", "\u05bf", "\u0610", "\u093c", "\u0f39",
                                                 "\u1ab0", "\u1dc0", "\u20d0", "\u302a", "\u3099",
                                                 "\ufe20", "\U0001d165", "\U0001d16d", "\u1734",
                                                 "\u1885", "\ua9bd", "\U00011938", "\u1df9",
                                                 "\U0001e94a", "\u0903", "\u0488"]
SPECIALS = ["[SEP]", "[CLS]", "[PAD]", "[UNK]", "[MASK]", "[sep]", "[Sep]", "[SEP", "SEP]", "[[SEP]]",
            "[unused1]", "[ SEP ]", "[MASK][MASK]", "［SEP］"]
# Code points worth probing at random: every plane's edges and the tricky blocks.
SOUP_RANGES = [(0x20, 0x7e), (0x80, 0x24f), (0x300, 0x36f), (0x370, 0x3ff), (0x400, 0x4ff),
               (0x590, 0x6ff), (0x900, 0x97f), (0xe00, 0xe7f), (0x1100, 0x11ff), (0x1ab0, 0x1aff),
               (0x1d00, 0x1dff), (0x1e00, 0x1fff), (0x2000, 0x206f), (0x2070, 0x2bff),
               (0x2e00, 0x2e7f), (0x3000, 0x30ff), (0x3100, 0x31ff), (0x3400, 0x4dbf),
               (0x4e00, 0x9fff), (0xa000, 0xa9ff), (0xac00, 0xd7a3), (0xe000, 0xe0ff),
               (0xf900, 0xfaff), (0xfb00, 0xfdff), (0xfe00, 0xfe6f), (0xff00, 0xffff),
               (0x10000, 0x1014f), (0x10400, 0x1044f), (0x10d40, 0x10d8f), (0x11000, 0x1124f),
               (0x16ea0, 0x16edf), (0x1d100, 0x1d24f), (0x1e900, 0x1e95f), (0x1f000, 0x1faff),
               (0x20000, 0x2a6df), (0x2a700, 0x2ceaf), (0x2f800, 0x2fa1f), (0x30000, 0x3134f),
               (0xe0000, 0xe01ef), (0xf0000, 0xf00ff), (0x10fff0, 0x10ffff)]


def read_names(fn):
    with open(os.path.join(make_vocab.DIVISIONS, fn), encoding="utf-8") as f:
        return [row["name"] for row in csv.DictReader(f)]


def read_villages(rng, k):
    with gzip.open(os.path.join(make_vocab.DIVISIONS, "villages.csv.gz"), "rb") as f:
        names = [row["name"] for row in csv.DictReader(io.TextIOWrapper(f, "utf-8"))]
    return rng.sample(names, k)


def full_width(s):
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else ("\u3000" if c == " " else c) for c in s)


def random_code_point(rng):
    lo, hi = rng.choice(SOUP_RANGES)
    c = rng.randint(lo, hi)
    return chr(c) if not 0xD800 <= c <= 0xDFFF else "?"


class Material:
    def __init__(self, rng):
        self.rng = rng
        self.provinces = read_names("provinces.csv")
        self.cities = [c for c in read_names("cities.csv") if c != "市辖区"]
        self.areas = read_names("areas.csv")
        self.streets = read_names("streets.csv")
        self.villages = read_villages(rng, 5000)
        self.chars = sorted({c for n in self.streets for c in n})

    def number(self):
        n = str(self.rng.choice([self.rng.randint(1, 99), self.rng.randint(100, 9999), self.rng.randint(1, 30)]))
        return full_width(n) if self.rng.random() < 0.25 else n

    def road(self):
        r = self.rng
        return "".join(r.choice(self.chars) for _ in range(r.randint(1, 3))) + r.choice(ROAD_SUFFIX)

    def address(self):
        r = self.rng
        parts = []
        if r.random() < 0.7:
            parts.append(r.choice(self.provinces))
        if r.random() < 0.7:
            parts.append(r.choice(self.cities))
        parts.append(r.choice(self.areas))
        parts.append(r.choice(self.streets) if r.random() < 0.6 else r.choice(self.villages))
        parts.append(self.road() + self.number() + "号")
        if r.random() < 0.5:
            parts.append(r.choice(BUILDINGS))
        for _ in range(r.randint(0, 3)):
            parts.append(self.number() + r.choice(UNITS))
        if r.random() < 0.2:
            parts.append(r.choice(ENGLISH))
        sep = r.choice(["", "", "", " ", ",", "，", "-", "  "])
        return sep.join(parts)


# ---------------------------------------------------------------- generators


def gen_address(m):
    return m.address()


def gen_width(m):
    r = m.rng
    s = r.choice(ENGLISH) + " " + m.number() + r.choice(["A", "b", "Ｃ", "号", "室"])
    return full_width(s) if r.random() < 0.5 else m.address() + full_width(s)


def gen_ascii(m):
    r = m.rng
    words = [r.choice(ENGLISH) for _ in range(r.randint(1, 6))]
    words += [str(r.randint(0, 10 ** r.randint(1, 7)))]
    r.shuffle(words)
    s = " ".join(words)
    return s.upper() if r.random() < 0.2 else s


def gen_emoji(m):
    r = m.rng
    return m.address()[: r.randint(0, 12)] + "".join(r.choice(EMOJI) for _ in range(r.randint(1, 4)))


def gen_accented(m):
    r = m.rng
    return " ".join(r.choice(ACCENTED) for _ in range(r.randint(1, 4))) + r.choice(["", m.address()[:8]])


def gen_korean_japanese(m):
    r = m.rng
    return "".join(r.choice(KOREAN_JAPANESE) for _ in range(r.randint(1, 4))) + r.choice(["", m.number(), " 3F"])


def insert_randomly(r, s, pieces, k):
    chars = list(s)
    for _ in range(k):
        chars.insert(r.randint(0, len(chars)), r.choice(pieces))
    return "".join(chars)


def gen_controls(m):
    r = m.rng
    base = m.address() if r.random() < 0.7 else gen_ascii(m)
    return insert_randomly(r, base, CONTROLS, r.randint(1, 6))


def gen_combining(m):
    r = m.rng
    base = r.choice([m.address()[:10], gen_ascii(m), "".join(r.choice(ACCENTED))])
    return insert_randomly(r, base, MARKS, r.randint(1, 6))


def gen_long(m):
    r = m.rng
    kind = r.randrange(5)
    if kind == 0:
        return "".join(m.address() for _ in range(r.randint(3, 12)))
    if kind == 1:
        return "".join(r.choice("abcdefghij") for _ in range(150)) + " " + m.address()
    if kind == 2:
        return "a" * r.choice([98, 99, 100, 101, 102]) + " x"
    if kind == 3:
        return "é" * r.choice([50, 51, 99, 100, 101]) + " " + "İ" * r.choice([50, 51])
    return " ".join(gen_ascii(m) for _ in range(r.randint(10, 40)))


def gen_punct(m):
    r = m.rng
    return insert_randomly(r, m.address() if r.random() < 0.6 else gen_ascii(m), PUNCT, r.randint(1, 8))


def gen_soup(m):
    r = m.rng
    return "".join(random_code_point(r) for _ in range(r.randint(1, 24)))


def gen_wordpiece(m):
    r = m.rng
    pieces = ["soho", "ho", "tower", "ing", "s", "ed", "ly", "tion", "ment", "ity", "ll", "00", "000",
              "10", "th", "st", "nd", "rd", "x", "é", "ü", "##", "mall", "park", "road"]
    return " ".join("".join(r.choice(pieces) for _ in range(r.randint(1, 5))) for _ in range(r.randint(1, 5)))


def gen_specials(m):
    r = m.rng
    return insert_randomly(r, m.address()[:12] if r.random() < 0.7 else gen_ascii(m), SPECIALS, r.randint(1, 3))


def gen_blank(m):
    return m.rng.choice(["", " ", "\t", "\u3000", "\x00", "\u200b", "  \n ", "\ufeff", "。", "##"])


GENERATORS = [  # (category, count)
    ("address", 3000), ("width", 600), ("ascii", 600), ("emoji", 300), ("accented", 500),
    ("korean_japanese", 300), ("controls", 700), ("combining", 500), ("long", 300), ("punct", 500),
    ("soup", 1000), ("wordpiece", 400), ("specials", 300), ("blank", 50),
]


def invalid_utf8(m):
    """Raw bytes with invalid UTF-8 spliced in."""
    r = m.rng
    raw = bytearray(m.address().encode())
    bad = [b"\xff", b"\xc3", b"\xe4\xb8", b"\x80", b"\xc0\xaf", b"\xed\xa0\x80", b"\xf4\x90\x80\x80",
           b"\xf0\x9f\x98", b"\xfe\xfe"]
    for _ in range(r.randint(1, 4)):
        at = r.randint(0, len(raw))
        raw[at:at] = r.choice(bad)
    return bytes(raw)


# ---------------------------------------------------------------- cases


def make_texts(m):
    texts = []
    for cat, count in GENERATORS:
        fn = globals()["gen_" + cat]
        texts += [(cat, fn(m)) for _ in range(count)]
    texts += [("invalid_utf8", invalid_utf8(m)) for _ in range(300)]
    return texts


def pick_options(r):
    return r.choices([o for _, o in OPTION_SETS], weights=[w for w, _ in OPTION_SETS])[0]


def make_cases(m):
    r = m.rng
    texts = make_texts(m)
    cases = [{"cat": cat, "a": t} for cat, t in texts]
    for _ in range(len(texts) // 2):
        (cat_a, a), (cat_b, b) = r.choice(texts), r.choice(texts)
        cases.append({"cat": f"pair:{cat_a}+{cat_b}", "a": a, "b": b})
    for c in cases:
        c["max_length"] = r.choice(MAX_LENGTHS)
        c["options"] = pick_options(r)
    return cases


def as_text(x):
    return x.decode("utf-8", "replace") if isinstance(x, bytes) else x


def hf_tokenizer(vocab_path, options):
    return make_vocab.hf_tokenizer(vocab_path, options["lowercase"], options["strip_accents"])


def fill_references(cases, vocab_path):
    groups = {}
    for c in cases:
        key = (json.dumps(c["options"], sort_keys=True), c["max_length"], "b" in c)
        groups.setdefault(key, []).append(c)
    toks = {}
    for (opts, max_length, pair), group in sorted(groups.items()):
        tok = toks.setdefault(opts, hf_tokenizer(vocab_path, json.loads(opts)))
        a = [as_text(c["a"]) for c in group]
        b = [as_text(c["b"]) for c in group] if pair else None
        enc = tok(a, b, truncation="longest_first", max_length=max_length)
        for c, ids, types in zip(group, enc["input_ids"], enc["token_type_ids"]):
            c["input_ids"], c["token_type_ids"] = ids, types


def cross_check(cases, vocab_path):
    """The plain tokenizers pipeline must agree with transformers on default options."""
    wp = tokenizers.BertWordPieceTokenizer(vocab_path, lowercase=True)
    for c in cases:
        if c["options"] == OPTION_SETS[0][1] and "b" not in c:
            wp.enable_truncation(c["max_length"])
            ids = wp.encode(as_text(c["a"])).ids
            assert ids == c["input_ids"], (c["a"], ids, c["input_ids"])


def encode_field(c, key):
    v = c.pop(key)
    if isinstance(v, bytes):
        c[key + "_hex"] = v.hex()
    else:
        c[key] = v


# ---------------------------------------------------------------- code point sweep

SWEEP_OPTIONS = [
    {"clean_text": True, "handle_chinese_chars": True, "strip_accents": True, "lowercase": True},
    {"clean_text": True, "handle_chinese_chars": True, "strip_accents": False, "lowercase": False},
    {"clean_text": False, "handle_chinese_chars": False, "strip_accents": False, "lowercase": False},
    {"clean_text": False, "handle_chinese_chars": False, "strip_accents": True, "lowercase": False},
    {"clean_text": False, "handle_chinese_chars": False, "strip_accents": False, "lowercase": True},
]


def sweep_code_points():
    """Planes 0-3 and 14 in full; the unassigned planes 4-13 and private-use planes 15-16 sampled."""
    cps = [c for c in range(0x40000) if not 0xD800 <= c <= 0xDFFF]
    cps += list(range(0xE0000, 0xF0000))
    for plane in range(4, 17):
        if plane == 14:
            continue
        base = plane << 16
        cps += sorted(set(range(base, base + 0x10000, 251)) | {base, base + 0xFFFD, base + 0xFFFE, base + 0xFFFF})
    return cps


def sweep(options):
    norm = normalizers.BertNormalizer(**options)
    pre = pre_tokenizers.BertPreTokenizer()
    runs = []
    for c in sweep_code_points():
        ch = chr(c)
        words = [w.replace(ch, PLACEHOLDER) for w, _ in pre.pre_tokenize_str(norm.normalize_str("a" + ch + "a"))]
        if runs and runs[-1][1] == c - 1 and runs[-1][2] == words:
            runs[-1][1] = c
        else:
            runs.append([c, c, words])
    return {"options": options, "placeholder": PLACEHOLDER, "runs": runs}


# ---------------------------------------------------------------- main


def stamp_text():
    h = hashlib.sha256()
    inputs = [__file__, make_vocab.__file__]
    inputs += sorted(os.path.join(make_vocab.DIVISIONS, f) for f in os.listdir(make_vocab.DIVISIONS))
    for fn in inputs:
        with open(fn, "rb") as f:
            h.update(f.read())
    return f"{h.hexdigest()} tokenizers={tokenizers.__version__} transformers={transformers.__version__}\n"


def up_to_date(out, stamp):
    files = [os.path.join(out, f) for f in ("stamp", "vocab.txt", "cases.jsonl", "codepoints.jsonl")]
    if not all(os.path.exists(f) for f in files):
        return False
    with open(files[0]) as f:
        return f.read() == stamp


def write_jsonl(path, rows):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row) + "\n")
    os.replace(tmp, path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--force", action="store_true", help="regenerate even if the stamp matches")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    stamp = stamp_text()
    if not args.force and up_to_date(args.out, stamp):
        print(f"{args.out} is up to date")
        return

    vocab_path = os.path.join(args.out, "vocab.txt")
    with open(vocab_path, "w", encoding="utf-8") as f:
        f.write("\n".join(make_vocab.build_vocab()) + "\n")

    cases = make_cases(Material(random.Random(SEED)))
    fill_references(cases, vocab_path)
    cross_check(cases, vocab_path)
    for c in cases:
        encode_field(c, "a")
        if "b" in c:
            encode_field(c, "b")
    write_jsonl(os.path.join(args.out, "cases.jsonl"), cases)
    write_jsonl(os.path.join(args.out, "codepoints.jsonl"), [sweep(o) for o in SWEEP_OPTIONS])
    with open(os.path.join(args.out, "stamp"), "w") as f:
        f.write(stamp)
    print(f"wrote {len(cases)} cases and {len(SWEEP_OPTIONS)} code point sweeps to {args.out}")


if __name__ == "__main__":
    main()
