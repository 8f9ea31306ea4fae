#!/usr/bin/env python3
"""The eager PyTorch loop that published MGeo deployment articles time, as a baseline.

Reads pairs (id,addr1,addr2) in file order, tokenizes each batch with HF's BertTokenizerFast,
pads it to its longest pair, runs HF transformers' BertForSequenceClassification and takes the
softmax probability of the match label. No length sorting, no dedup, no overlap: what a
straightforward script does. Prints one JSON line with the timing; --scores writes id,score.

    python3 experiments/baseline/hf_eager.py --model data/models/default --input pairs.csv \
        --batch-size 64 --device cpu --threads 2
"""
import argparse
import csv
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "reference"))
from make_vocab import hf_tokenizer  # noqa: E402


def read_pairs(path, limit):
    with open(path, encoding="utf-8", newline="") as f:
        rows = [(r["id"], r["addr1"], r["addr2"]) for r in csv.DictReader(f)]
    return rows[:limit] if limit > 0 else rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", required=True)
    ap.add_argument("--input", required=True)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--max-length", type=int, default=128)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--precision", default="fp32", choices=["fp32", "fp16", "bf16"])
    ap.add_argument("--threads", type=int, default=0, help="torch intra-op threads (0: torch's default)")
    ap.add_argument("--limit", type=int, default=0, help="score only the first N pairs")
    ap.add_argument("--label", default="exact_match")
    ap.add_argument("--scores", help="write id,score CSV here")
    a = ap.parse_args()

    import torch
    from transformers import BertForSequenceClassification

    if a.threads > 0:
        torch.set_num_threads(a.threads)
    dtype = {"fp32": torch.float32, "fp16": torch.float16, "bf16": torch.bfloat16}[a.precision]
    tok = hf_tokenizer(os.path.join(a.model, "vocab.txt"))
    model = BertForSequenceClassification.from_pretrained(a.model, torch_dtype=dtype).to(a.device).eval()
    label = model.config.label2id[a.label]
    pairs = read_pairs(a.input, a.limit)
    cuda = a.device.startswith("cuda")

    def run(batch):
        enc = tok([p[1] for p in batch], [p[2] for p in batch], padding="longest", truncation="longest_first",
                  max_length=a.max_length, return_tensors="pt")
        enc = {k: v.to(a.device) for k, v in enc.items()}
        logits = model(**enc).logits.float()
        return logits.softmax(-1)[:, label].cpu(), int(enc["attention_mask"].numel()), int(enc["attention_mask"].sum())

    with torch.inference_mode():
        run(pairs[: a.batch_size])  # warm-up: kernels, allocator, lazy init
        if cuda:
            torch.cuda.synchronize()
        t0 = time.perf_counter()
        scores, padded, real = [], 0, 0
        for i in range(0, len(pairs), a.batch_size):
            s, p, r = run(pairs[i : i + a.batch_size])
            scores.append(s)
            padded += p
            real += r
        if cuda:
            torch.cuda.synchronize()
        secs = time.perf_counter() - t0
    scores = torch.cat(scores).tolist()
    if a.scores:
        with open(a.scores, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(["id", "score"])
            w.writerows((p[0], f"{s:.7g}") for p, s in zip(pairs, scores))
    print(json.dumps({"impl": "hf_eager", "pairs": len(pairs), "seconds": secs, "pairs_per_s": len(pairs) / secs,
                      "tokens_per_s": real / secs, "padding_fraction": 1 - real / max(1, padded),
                      "batch_size": a.batch_size, "precision": a.precision, "device": a.device,
                      "threads": torch.get_num_threads(), "torch": torch.__version__}))


if __name__ == "__main__":
    main()
