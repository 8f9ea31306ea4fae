#!/usr/bin/env python3
"""Writes tiny random BERT pair classifiers and HuggingFace reference logits.

    python tests/reference/make_model_fixtures.py --out build/fixtures/models
    python tests/reference/make_model_fixtures.py --quickstart data/models/tiny-random

--out DIR writes these model directories, each with config.json, vocab.txt (from
make_vocab.py) and reference.json: input_ids, token_type_ids and attention_mask of
address pairs encoded by BertTokenizerFast (max_length 64, padded to the longest), and
the logits of transformers' BertForSequenceClassification on them (eval, fp32, eager
attention). All share one set of 3-layer weights unless noted:

  hf-safetensors/  model.safetensors, written by save_pretrained
  hf-bin/          pytorch_model.bin, torch.save(model.state_dict())
  hf-legacy-bin/   pytorch_model.bin holding {"state_dict": ..., "epoch": 3}, LayerNorm
                   gamma/beta names and the old bert.embeddings.position_ids buffer
  mgeo-bin/        MGeo's layout: bert.text_encoder.* keys, num_hidden_layers 5 with
                   fusion_layer 3, random cross-attention in layers 3-4 and GIS tensors;
                   only layers 0-2 run, so its logits are the 3-layer model's
  hf-f16/, hf-bf16/  model.safetensors in float16 / bfloat16; their references come
                   from the rounded weights, computed in fp32

--quickstart DIR writes a 2-layer model with random weights (config.json, vocab.txt,
model.safetensors, README.md) for smoke runs; its scores mean nothing.
Deterministic: fixed seeds throughout.
"""
import argparse
import collections
import csv
import json
import os
import random
import sys

import torch
from safetensors.torch import save_file
from transformers import BertConfig, BertForSequenceClassification

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import make_vocab  # noqa: E402

# Deliberately not in the usual not/partial/exact order.
FIXTURE_LABELS = {0: "partial_match", 1: "exact_match", 2: "not_match"}
QUICKSTART_LABELS = {0: "not_match", 1: "partial_match", 2: "exact_match"}
MAX_LENGTH = 64
NUM_PAIRS = 240
QUICKSTART_COMMAND = "python tests/reference/make_model_fixtures.py --quickstart data/models/tiny-random"


# ---------------------------------------------------------------- address pairs

def read_divisions():
    def rows(name):
        with open(os.path.join(ROOT, "data", "divisions", name), encoding="utf-8") as f:
            return list(csv.DictReader(f))

    provinces = {r["code"]: r["name"] for r in rows("provinces.csv")}
    cities = {r["code"]: r["name"] for r in rows("cities.csv")}
    areas = {r["code"]: r["name"] for r in rows("areas.csv")}
    streets = [r for r in rows("streets.csv") if r["areaCode"] in areas]
    return provinces, cities, areas, streets


class Addresses:
    ROADS = ["人民路", "解放大道", "建设北路", "中山东路", "和平巷", "科技园路", "长安街", "幸福里", "滨江大道"]
    PLACES = ["阳光花园", "金融中心", "世纪大厦", "国际广场", "幸福小区", "科技园", "SOHO", "万达Plaza", "体育馆"]

    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.provinces, self.cities, self.areas, self.streets = read_divisions()

    def place(self):
        s = self.rng.choice(self.streets)
        city = self.cities.get(s["cityCode"], "")
        return {
            "province": self.provinces[s["provinceCode"]],
            "city": "" if city in ("市辖区", "县") else city,
            "area": self.areas[s["areaCode"]],
            "street": s["name"],
            "road": self.rng.choice(self.ROADS),
            "number": self.rng.randint(1, 999),
            "building": self.rng.choice(self.PLACES),
            "unit": self.rng.randint(1, 30),
            "room": self.rng.randint(101, 2808),
        }

    def render(self, p, short=False):
        r = self.rng
        head = p["area"] + p["street"] if short else p["province"] + p["city"] + p["area"] + p["street"]
        number = str(p["number"])
        if r.random() < 0.2:
            number = "".join(chr(ord(c) - ord("0") + 0xFF10) for c in number)  # full-width digits
        tail = f'{p["road"]}{number}号{p["building"]}{p["unit"]}{r.choice(["栋", "号楼", "幢"])}{p["room"]}室'
        if r.random() < 0.15:
            tail += r.choice(["（东门旁）", " Room 1203", " 近地铁站", "对面的超市"])
        return head + (" " if r.random() < 0.2 else "") + tail

    def pair(self):
        p = self.place()
        kind = self.rng.randrange(3)
        if kind == 0:  # the same place, written differently
            return self.render(p), self.render(p, short=True)
        if kind == 1:  # same street, another building
            q = dict(p, number=self.rng.randint(1, 999), building=self.rng.choice(self.PLACES))
            return self.render(p), self.render(q)
        return self.render(p), self.render(self.place(), short=self.rng.random() < 0.5)

    def pairs(self, n):
        out = [self.pair() for _ in range(n)]
        long_tail = "，" + "人民路" * 30
        out[5] = (out[5][0] + long_tail, out[5][1])  # truncated by longest_first
        return out


# ---------------------------------------------------------------- models

def bert_config(labels, layers, max_positions, **extra):
    return BertConfig(vocab_size=5466, hidden_size=64, num_hidden_layers=layers, num_attention_heads=4,
                      intermediate_size=128, max_position_embeddings=max_positions, id2label=labels, **extra)


def randomize(model, seed):
    """Weights that make the logits depend on the input: sharp attention (larger Q/K),
    logits of order 1, every LayerNorm and bias non-trivial."""
    g = torch.Generator().manual_seed(seed)
    sharp = ("query.weight", "key.weight", "classifier.weight")
    with torch.no_grad():
        for name, p in model.named_parameters():
            noise = torch.randn(p.shape, generator=g)
            if "LayerNorm.weight" in name:
                p.copy_(1 + 0.1 * noise)
            elif name.endswith("bias"):
                p.copy_(0.1 * noise)
            elif "embeddings" in name:
                p.copy_(noise)
            else:
                scale = 3.0 if name.endswith(sharp) else 1.0
                p.copy_(scale * noise / p.shape[1] ** 0.5)
    return model


def make_model(labels, layers, max_positions, seed):
    config = bert_config(labels, layers, max_positions)
    model = BertForSequenceClassification._from_config(config, attn_implementation="eager")
    return randomize(model, seed).eval()


def config_dict(model):
    return json.loads(model.config.to_json_string())


def logits_of(model, enc):
    with torch.no_grad():
        return model(**enc).logits


def rounded(model, dtype):
    """A copy of `model` whose weights are rounded to `dtype` and held in fp32."""
    copy = make_model(dict(model.config.id2label), model.config.num_hidden_layers,
                      model.config.max_position_embeddings, seed=0)
    copy.load_state_dict({k: v.to(dtype).float() for k, v in model.state_dict().items()})
    return copy.eval()


# ---------------------------------------------------------------- writers

def write_vocab(path, vocab):
    os.makedirs(path, exist_ok=True)
    with open(os.path.join(path, "vocab.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(vocab) + "\n")


def write_common(path, config, vocab):
    write_vocab(path, vocab)
    with open(os.path.join(path, "config.json"), "w", encoding="utf-8") as f:
        json.dump(config, f, indent=2, ensure_ascii=False)


def write_reference(path, enc, logits, labels):
    ref = {k: enc[k].tolist() for k in ("input_ids", "token_type_ids", "attention_mask")}
    ref["logits"] = logits.tolist()
    ref["labels"] = [labels[i] for i in range(len(labels))]
    with open(os.path.join(path, "reference.json"), "w", encoding="utf-8") as f:
        json.dump(ref, f)


def legacy_state(state):
    renamed = collections.OrderedDict()
    for k, v in state.items():
        renamed[k.replace("LayerNorm.weight", "LayerNorm.gamma").replace("LayerNorm.bias", "LayerNorm.beta")] = v
    renamed["bert.embeddings.position_ids"] = torch.arange(160).expand((1, -1))
    return {"state_dict": renamed, "epoch": 3}


def mgeo_state(state, seed):
    """MGeo's keys for the same weights, plus unused layers 3-4, cross-attention and GIS tensors."""
    g = torch.Generator().manual_seed(seed)
    out = collections.OrderedDict()
    for k, v in state.items():
        out[k.replace("bert.", "bert.text_encoder.", 1) if k.startswith("bert.") else k] = v
    donor = {k: v for k, v in state.items() if k.startswith("bert.encoder.layer.0.")}
    for layer in (3, 4):
        for k, v in donor.items():
            out[k.replace("bert.encoder.layer.0.", f"bert.text_encoder.encoder.layer.{layer}.")] = torch.randn(
                v.shape, generator=g)
            if ".attention." in k:
                cross = k.replace("bert.encoder.layer.0.attention.", f"bert.text_encoder.encoder.layer.{layer}.crossattention.")
                out[cross] = torch.randn(v.shape, generator=g)
    out["bert.gis_embeddings.weight"] = torch.randn(1000, 64, generator=g)
    out["bert.gis_encoder.layer.0.output.dense.weight"] = torch.randn(64, 64, generator=g)
    return out


def write_fixtures(out_dir, vocab):
    write_vocab(out_dir, vocab)
    tokenizer = make_vocab.hf_tokenizer(os.path.join(out_dir, "vocab.txt"))
    a, b = zip(*Addresses(seed=7).pairs(NUM_PAIRS))
    enc = tokenizer(list(a), list(b), truncation="longest_first", max_length=MAX_LENGTH, padding="longest",
                    return_tensors="pt")
    enc = {k: enc[k] for k in ("input_ids", "token_type_ids", "attention_mask")}

    model = make_model(FIXTURE_LABELS, layers=3, max_positions=160, seed=1)
    config = config_dict(model)
    logits = logits_of(model, enc)
    state = model.state_dict()

    def fixture(name, cfg=config, ref_logits=logits):
        path = os.path.join(out_dir, name)
        write_common(path, cfg, vocab)
        write_reference(path, enc, ref_logits, FIXTURE_LABELS)
        return path

    model.save_pretrained(fixture("hf-safetensors"))
    torch.save(state, os.path.join(fixture("hf-bin"), "pytorch_model.bin"))
    torch.save(legacy_state(state), os.path.join(fixture("hf-legacy-bin"), "pytorch_model.bin"))
    mgeo_config = dict(config, num_hidden_layers=5, fusion_layer=3, architectures=["MGeoForSequenceClassification"])
    torch.save(mgeo_state(state, seed=2), os.path.join(fixture("mgeo-bin", cfg=mgeo_config), "pytorch_model.bin"))
    for name, dtype in (("hf-f16", torch.float16), ("hf-bf16", torch.bfloat16)):
        path = fixture(name, cfg=dict(config, dtype=str(dtype).replace("torch.", "")),
                       ref_logits=logits_of(rounded(model, dtype), enc))
        save_file({k: v.to(dtype).contiguous() for k, v in state.items()}, os.path.join(path, "model.safetensors"),
                  metadata={"format": "pt"})
    spread = logits.std(dim=0).min().item()
    print(f"wrote 6 model fixtures for {len(a)} pairs of up to {enc['input_ids'].shape[1]} tokens "
          f"(logit std over pairs >= {spread:.2f}) to {out_dir}")


def write_quickstart(path, vocab):
    model = make_model(QUICKSTART_LABELS, layers=2, max_positions=512, seed=3)
    write_common(path, config_dict(model), vocab)
    save_file({k: v.contiguous() for k, v in model.state_dict().items()}, os.path.join(path, "model.safetensors"),
              metadata={"format": "pt"})
    with open(os.path.join(path, "README.md"), "w", encoding="utf-8") as f:
        f.write(f"""# tiny-random

A BERT pair classifier with **random weights**: its scores mean nothing. It exists so that
the pipeline runs end to end with no download; point `--model` at a trained checkpoint
(MGeo or any HF BERT sequence-pair classifier) for real scores.

- 2 layers, hidden size 64, 4 heads, intermediate size 128, 512 positions
- labels: {", ".join(QUICKSTART_LABELS[i] for i in range(len(QUICKSTART_LABELS)))}
- vocab.txt: the 5466-token vocabulary of `tests/reference/make_vocab.py`

Made, deterministically, from the repository root with the test venv's Python:

```bash
{QUICKSTART_COMMAND}
```
""")
    print(f"wrote the random quick-start model to {path}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", help="fixture directory")
    ap.add_argument("--quickstart", help="directory for the random quick-start model")
    args = ap.parse_args()
    if not args.out and not args.quickstart:
        ap.error("give --out and/or --quickstart")
    torch.manual_seed(0)
    vocab = make_vocab.build_vocab()
    if args.out:
        write_fixtures(args.out, vocab)
    if args.quickstart:
        write_quickstart(args.quickstart, vocab)


if __name__ == "__main__":
    main()
