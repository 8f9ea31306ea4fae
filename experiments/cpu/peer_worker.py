#!/usr/bin/env python3
"""Scores rows [start, end) of a pairs file with one Python peer of mgeo-dist, batched like
`mgeo-dist score`, and writes the scores in its CSV layout. Serves experiments/cpu/peers.py.

Peers (--impl):
  hf-fp32     transformers BertForSequenceClassification, fp32, eager PyTorch (no compile;
              transformers' default attention, sdpa)
  torch-int8  the same model through torch.ao.quantization.quantize_dynamic on nn.Linear (qint8)
  ort         ONNX Runtime, CPU execution provider, on an ONNX file (fp32.onnx or int8.onnx of
              experiments/cpu/onnx_export.py); graph optimizations ORT_ENABLE_ALL

Batching as mgeo-dist does it: windows of sort_window rows starting on multiples of it (the
driver hands each process whole windows), each window tokenized (transformers'
BertTokenizerFast, longest_first truncation to max_length), stably sorted by length, longest
first, cut into batches of batch_size rows padded to their longest.

Threads, fixed for the life of the process: the parent sets OMP_NUM_THREADS, MKL_NUM_THREADS,
RAYON_NUM_THREADS and TOKENIZERS_PARALLELISM in the environment; here torch.set_num_threads
(--threads) with one inter-op thread, or ORT intra_op_num_threads=--threads,
inter_op_num_threads=1, sequential execution.

Serving (no --input): the worker imports its libraries, prints READY, then takes one JSON
request a line on stdin (keys: the long options below, with underscores) and answers each with
one JSON line, until stdin closes. The imports (6-7 s for torch and transformers here) are paid
once per process, not once per run; every request loads its model afresh. The timed part of a
request runs from its arrival to the written scores: tokenizer and model load (and
quantization, or ORT session creation), reading the pairs, tokenizing, the forward passes, the
CSV; like `seconds` in mgeo-dist's metrics, which also counts its model load. Start, loaded and
end are also given as epoch seconds, so that the parent can take the span of several workers.

    echo '{"impl": "hf-fp32", ...}' | peer_worker.py --threads 1      # serve
    peer_worker.py --impl hf-fp32 --model DIR --input pairs.csv --output scores.csv   # one run
"""
import argparse
import csv
import gc
import json
import os
import sys
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "reference"))
IMPLS = ["hf-fp32", "torch-int8", "ort"]


def read_rows(path, start, end):
    with open(path, encoding="utf-8", newline="") as f:
        rows = [(r["id"], r["addr1"], r["addr2"]) for r in csv.DictReader(f)]
    return rows[start:end if end > 0 else len(rows)]


def labels_of(model_dir):
    """Label names in index order, from config.json's id2label (label2id may be null)."""
    cfg = json.load(open(os.path.join(model_dir, "config.json"), encoding="utf-8"))
    id2label = {int(k): v for k, v in cfg["id2label"].items()}
    return [id2label[i] for i in range(len(id2label))]


def plan(lengths, window, batch):
    """Batches (lists of row indices) as mgeo-dist's plan_batches cuts them: per window, a stable
    sort by length, longest first, then runs of `batch` rows."""
    out = []
    for w in range(0, len(lengths), window):
        order = sorted(range(w, min(len(lengths), w + window)), key=lambda i: -lengths[i])  # sorted() is stable
        out += [order[b:b + batch] for b in range(0, len(order), batch)]
    return out


def softmax(x):
    import numpy as np
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def load(req, threads):
    """Returns forward(ids, mask, types) -> logits (numpy float32) and a description."""
    if req["impl"] == "ort":
        import onnxruntime as ort
        so = ort.SessionOptions()
        so.intra_op_num_threads = threads
        so.inter_op_num_threads = 1
        so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        sess = ort.InferenceSession(req["onnx"], so, providers=["CPUExecutionProvider"])
        names = {i.name for i in sess.get_inputs()}

        def forward(ids, mask, types):
            feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
            return sess.run(["logits"], {k: v for k, v in feeds.items() if k in names})[0]
        return forward, {"onnx": os.path.relpath(req["onnx"], ROOT), "intra_op_num_threads": threads,
                         "inter_op_num_threads": 1, "providers": sess.get_providers()}

    import torch
    from transformers import BertForSequenceClassification
    model = BertForSequenceClassification.from_pretrained(req["model"], dtype=torch.float32).eval()
    info = {"attn_implementation": model.config._attn_implementation, "torch_num_threads": torch.get_num_threads(),
            "torch_num_interop_threads": torch.get_num_interop_threads()}
    if req["impl"] == "torch-int8":
        model = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
        info["quantized_engine"] = torch.backends.quantized.engine

    def forward(ids, mask, types):
        with torch.inference_mode():
            out = model(input_ids=torch.from_numpy(ids), attention_mask=torch.from_numpy(mask),
                        token_type_ids=torch.from_numpy(types))
        return out.logits.float().numpy()
    return forward, info


def score(req, threads):
    """One request: load, read, tokenize, forward, write; returns the timings."""
    import numpy as np
    from make_vocab import hf_tokenizer
    t_start = time.time()
    labels = labels_of(req["model"])
    target = labels.index(req.get("score_label", "exact_match"))
    tok = hf_tokenizer(os.path.join(req["model"], "vocab.txt"))
    forward, info = load(req, threads)
    t_loaded = time.time()
    rows = read_rows(req["input"], req.get("start", 0), req.get("end", 0))
    read_s = time.time() - t_loaded
    window, batch, max_length = req["sort_window"], req["batch_size"], req["max_length"]
    tokenize_s = forward_s = 0.0
    tokens = padded = 0
    probs = np.zeros((len(rows), len(labels)), dtype=np.float32)
    for w in range(0, len(rows), window):
        t = time.perf_counter()
        part = rows[w:w + window]
        enc = tok([r[1] for r in part], [r[2] for r in part], truncation="longest_first", max_length=max_length,
                  return_attention_mask=False)
        ids_l, types_l = enc["input_ids"], enc["token_type_ids"]
        batches = plan([len(x) for x in ids_l], window, batch)
        tokenize_s += time.perf_counter() - t
        for b in batches:
            t = time.perf_counter()
            n = max(len(ids_l[i]) for i in b)
            ids, types, mask = (np.zeros((len(b), n), dtype=np.int64) for _ in range(3))
            for j, i in enumerate(b):
                k = len(ids_l[i])
                ids[j, :k], types[j, :k], mask[j, :k] = ids_l[i], types_l[i], 1
                tokens += k
            padded += len(b) * n
            t2 = time.perf_counter()
            logits = forward(ids, mask, types)
            forward_s += time.perf_counter() - t2
            tokenize_s += t2 - t
            probs[[w + i for i in b]] = softmax(logits.astype(np.float32))
    t = time.perf_counter()
    with open(req["output"], "w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["id", "score", "label"] + [f"prob_{x}" for x in labels] + ["status"])
        for r, p in zip(rows, probs):
            out.writerow([r[0], f"{p[target]:.8g}", labels[int(p.argmax())]] + [f"{x:.8g}" for x in p] + ["ok"])
    write_s = time.perf_counter() - t
    t_end = time.time()
    return {"impl": req["impl"], "pairs": len(rows), "start_epoch": t_start, "loaded_epoch": t_loaded,
            "end_epoch": t_end, "seconds": t_end - t_start, "load_s": t_loaded - t_start, "read_s": read_s,
            "tokenize_s": tokenize_s, "forward_s": forward_s, "write_s": write_s, "tokens": tokens,
            "padded_tokens": padded, "threads": threads, "pid": os.getpid(),
            "env": {k: os.environ.get(k, "") for k in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "RAYON_NUM_THREADS",
                                                       "TOKENIZERS_PARALLELISM")}} | info


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--libs", choices=["torch", "ort"], default="torch",
                    help="serving: the libraries to import before READY (a request's own are imported anyway)")
    ap.add_argument("--impl", choices=IMPLS, help="one run (with --input) instead of serving")
    ap.add_argument("--model", help="model dir (config.json, vocab.txt, weights)")
    ap.add_argument("--onnx", help="ONNX file (--impl ort)")
    ap.add_argument("--input")
    ap.add_argument("--start", type=int, default=0)
    ap.add_argument("--end", type=int, default=0, help="0: to the end")
    ap.add_argument("--output", help="scores CSV, mgeo-dist's layout")
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--max-length", type=int, default=128)
    ap.add_argument("--sort-window", type=int, default=1024)
    ap.add_argument("--score-label", default="exact_match")
    a = ap.parse_args()

    import numpy  # noqa: F401
    import make_vocab  # noqa: F401  (imports transformers' tokenizer classes)
    if a.libs == "ort" or a.impl == "ort":
        import onnxruntime  # noqa: F401
    else:
        import torch
        from transformers import BertForSequenceClassification  # noqa: F401  (the heavy part of the import)
        torch.set_num_threads(a.threads)
        torch.set_num_interop_threads(1)
    if a.input:
        print(json.dumps(score({k: v for k, v in vars(a).items() if k not in ("threads", "libs")}, a.threads)))
        return
    print("READY", flush=True)
    for line in sys.stdin:
        try:
            res = score(json.loads(line), a.threads)
        except Exception:  # noqa: BLE001  (one bad request does not end the server)
            res = {"error": traceback.format_exc()[-1500:]}
        gc.collect()  # the request's model and session go before the next request
        print(json.dumps(res), flush=True)


if __name__ == "__main__":
    main()
