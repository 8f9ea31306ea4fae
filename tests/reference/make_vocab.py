#!/usr/bin/env python3
"""Builds a BERT vocab.txt for Chinese addresses.

Layout follows bert-base-chinese: [PAD]=0, [unused1..99], [UNK]=100, [CLS]=101,
[SEP]=102, [MASK]=103, then single characters (ASCII, full-width forms, the CJK
characters of data/divisions and common address characters) and a few English
word pieces so that WordPiece has real work to do.

    python3 tests/reference/make_vocab.py --out vocab.txt
"""
import argparse
import csv
import gzip
import io
import os

def hf_tokenizer(vocab_path, lowercase=True, strip_accents=None):
    """transformers' BertTokenizerFast over `vocab_path`, checked to hold the whole vocab.

    transformers 5 silently ignores vocab_file= (every id becomes [UNK]); vocab= takes the path.
    """
    from transformers import BertTokenizerFast

    tok = BertTokenizerFast(vocab=vocab_path, do_lower_case=lowercase, strip_accents=strip_accents)
    with open(vocab_path, encoding="utf-8") as f:
        n = sum(1 for _ in f)
    assert tok.backend_tokenizer.get_vocab_size(with_added_tokens=True) == n, f"{vocab_path}: vocab not loaded"
    return tok


ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DIVISIONS = os.path.join(ROOT, "data", "divisions")

ADDRESS_CHARS = (
    "省市区县镇乡村街道路巷弄胡同里号栋幢座楼层室单元户门期区段排组屯社居委会"
    "大厦广场中心花园小区公寓苑府庭园城馆院所站场店厂仓库部局办公司集团科技园产业基地"
    "东西南北中上下前后左右内外新老旧一二三四五六七八九十百千万零〇两甲乙丙丁戊己庚辛壬癸"
    "现代国际世纪金融商务贸易酒店宾馆医院学校大学附属小学中学幼儿银行超市市场购物"
    "工业开发高新保税港湾桥河江湖海山岭岗坡湾口堡寨营屯塘沟洼滩洲岛"
    "和平人民解放建设胜利光明幸福文化育才体育长安复兴友谊团结振兴繁荣朝阳"
    "与及和的之旁对面附近交叉口路口往米处内侧楼下地下首层底商临街"
)
ENGLISH = [
    "soho", "mall", "park", "road", "rd", "street", "st", "tower", "building", "bldg",
    "city", "center", "centre", "plaza", "square", "garden", "apartment", "room", "floor",
    "unit", "block", "no", "east", "west", "south", "north", "china", "beijing", "shanghai",
    "##ing", "##er", "##s", "##ed", "##ly", "##tion", "##ment", "##ity", "##ho", "##ll",
    "##00", "##000", "10", "100", "1000", "20", "2000", "##th", "##st", "##nd", "##rd",
]


def division_names():
    names = []
    for fn in ("provinces.csv", "cities.csv", "areas.csv", "streets.csv"):
        with open(os.path.join(DIVISIONS, fn), encoding="utf-8") as f:
            names += [row["name"] for row in csv.DictReader(f)]
    with gzip.open(os.path.join(DIVISIONS, "villages.csv.gz"), "rb") as f:
        names += [row["name"] for row in csv.DictReader(io.TextIOWrapper(f, "utf-8"))]
    return names


def build_vocab():
    tokens = ["[PAD]"] + [f"[unused{i}]" for i in range(1, 100)] + ["[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    seen = set(tokens)

    def add(t):
        if t and t not in seen:
            seen.add(t)
            tokens.append(t)

    for c in range(33, 127):
        add(chr(c))
    for c in "0123456789abcdefghijklmnopqrstuvwxyz":
        add("##" + c)
    for c in range(0xFF01, 0xFF5F):  # full-width ASCII forms
        add(chr(c))
    for c in "，。、；：？！“”‘’（）【】《》—…·￥·＃":
        add(c)
    for c in "éèêëàâäôöûüùîïçñ":
        add(c)
        add("##" + c)
    for t in ENGLISH:
        add(t)
    chars = set(ADDRESS_CHARS)
    for name in division_names():
        chars.update(ch for ch in name if ord(ch) >= 0x3000)
    for ch in sorted(chars):
        add(ch)
    return tokens


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    tokens = build_vocab()
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as f:
        f.write("\n".join(tokens) + "\n")
    print(f"wrote {len(tokens)} tokens to {args.out}")


if __name__ == "__main__":
    main()
