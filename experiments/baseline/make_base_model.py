#!/usr/bin/env python3
"""Writes a BERT-base-sized pair classifier with random weights (12 layers, hidden 768, 12 heads,
intermediate 3072: MGeo's text encoder size) in the HF layout, over the project's address vocab.

Its scores mean nothing; it exists so that throughput is measured at the size of the published
MGeo runs. Deterministic (seed 0).

    python3 experiments/baseline/make_base_model.py --out out/models/base-random [--layers 12]
"""
import argparse
import os
import shutil

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--layers", type=int, default=12)
    ap.add_argument("--vocab", default=os.path.join(ROOT, "data", "vocab", "address-vocab.txt"))
    a = ap.parse_args()

    import torch
    from transformers import BertConfig, BertForSequenceClassification

    torch.manual_seed(0)
    with open(a.vocab, encoding="utf-8") as f:
        vocab_size = sum(1 for _ in f)
    labels = ["not_match", "partial_match", "exact_match"]
    cfg = BertConfig(vocab_size=vocab_size, hidden_size=768, num_hidden_layers=a.layers, num_attention_heads=12,
                     intermediate_size=3072, max_position_embeddings=512, type_vocab_size=2,
                     id2label=dict(enumerate(labels)), label2id={l: i for i, l in enumerate(labels)})
    model = BertForSequenceClassification(cfg).eval()
    os.makedirs(a.out, exist_ok=True)
    model.save_pretrained(a.out, safe_serialization=True)
    shutil.copy(a.vocab, os.path.join(a.out, "vocab.txt"))
    print(a.out)


if __name__ == "__main__":
    main()
