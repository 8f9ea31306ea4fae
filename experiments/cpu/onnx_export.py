#!/usr/bin/env python3
"""Exports a model dir (config.json, vocab.txt, weights) to ONNX for the CPU peers, fp32 and int8.

Steps, each timed and recorded in <out>/export.json:
  1. transformers' BertForSequenceClassification from the model dir (eager attention, so the
     graph holds the plain attention pattern that ONNX Runtime's BERT fusion recognises), traced
     by torch.onnx.export (the TorchScript exporter, dynamo=False: the torch.export one needs
     onnxscript), opset 17, batch and sequence axes dynamic: raw.onnx;
  2. with --fusion bert (default), onnxruntime.transformers.optimizer (model_type bert) fuses
     embeddings + LayerNorm, attention, GELU and residual LayerNorms: fp32.onnx (a copy of
     raw.onnx with --fusion none);
  3. onnxruntime.quantization.quantize_dynamic of fp32.onnx: int8 weights (QInt8, per channel
     unless --no-per-channel), activations quantized per batch at run time, on the MatMul and
     Attention nodes only (the nn.Linear layers; embeddings stay fp32, as with torch's
     quantize_dynamic on nn.Linear): int8.onnx.
Then ORT (1 thread) runs fp32.onnx and int8.onnx on a few padded pairs next to transformers;
the largest logit differences go in export.json as a first check.

    ~/.mgeo-dist-venv/bin/python experiments/cpu/onnx_export.py --model data/models/default --out out/cpu-peers/onnx/default
"""
import argparse
import collections
import json
import os
import shutil
import sys
import time
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "reference"))
from make_vocab import hf_tokenizer  # noqa: E402

INPUTS = ["input_ids", "attention_mask", "token_type_ids"]
SAMPLE = [("广东省广州市天河区体育西路103号维多利广场A座2201室", "广州天河区体育西路103号维多利广场a座2201"),
          ("杭州市西湖区文三路8号", "杭州市西湖区文三路88号"),
          ("北京市朝阳区建国路", "上海市浦东新区世纪大道100号环球金融中心")]


def op_counts(path):
    import onnx
    return dict(collections.Counter(n.op_type for n in onnx.load(path, load_external_data=False).graph.node)
                .most_common())


def export(model_dir, path, opset):
    import torch
    from transformers import BertForSequenceClassification
    model = BertForSequenceClassification.from_pretrained(model_dir, attn_implementation="eager").eval()
    ids = torch.randint(1000, 2000, (2, 16))
    args = (ids, torch.ones_like(ids), torch.zeros_like(ids))
    axes = {k: {0: "batch", 1: "seq"} for k in INPUTS} | {"logits": {0: "batch"}}
    with warnings.catch_warnings(), torch.inference_mode():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, args, path, input_names=INPUTS, output_names=["logits"], dynamic_axes=axes,
                          opset_version=opset, dynamo=False)
    return model


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", required=True, help="model dir")
    ap.add_argument("--out", required=True, help="dir for raw.onnx, fp32.onnx, int8.onnx, export.json")
    ap.add_argument("--fusion", choices=["bert", "none"], default="bert")
    ap.add_argument("--no-per-channel", action="store_true", help="one int8 scale per weight tensor")
    ap.add_argument("--reduce-range", action="store_true",
                    help="7-bit weights (for x86 CPUs without VNNI, where u8s8 products can saturate)")
    ap.add_argument("--opset", type=int, default=17)
    a = ap.parse_args()

    import numpy as np
    import onnx
    import onnxruntime as ort
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    os.makedirs(a.out, exist_ok=True)
    raw, fp32, int8 = (os.path.join(a.out, f) for f in ("raw.onnx", "fp32.onnx", "int8.onnx"))
    cfg = json.load(open(os.path.join(a.model, "config.json")))
    rec = {"model": os.path.abspath(a.model), "fusion": a.fusion, "per_channel": not a.no_per_channel,
           "reduce_range": a.reduce_range, "opset": a.opset, "weight_type": "QInt8",
           "op_types_to_quantize": ["MatMul", "Attention"], "exporter": "torch.onnx.export(dynamo=False)",
           "torch": torch.__version__, "onnx": onnx.__version__, "onnxruntime": ort.__version__}
    t = time.perf_counter()
    model = export(a.model, raw, a.opset)
    rec["export_s"] = time.perf_counter() - t

    t = time.perf_counter()
    if a.fusion == "bert":
        from onnxruntime.transformers.optimizer import optimize_model
        opt = optimize_model(raw, model_type="bert", num_heads=cfg["num_attention_heads"],
                             hidden_size=cfg["hidden_size"], opt_level=0)
        rec["fused_ops"] = {k: v for k, v in opt.get_fused_operator_statistics().items() if v}
        opt.save_model_to_file(fp32)
    else:
        shutil.copyfile(raw, fp32)
    rec["fusion_s"] = time.perf_counter() - t

    t = time.perf_counter()
    # DefaultTensorType: fused nodes (com.microsoft domain) defeat ONNX shape inference; their outputs are fp32
    quantize_dynamic(fp32, int8, per_channel=not a.no_per_channel, reduce_range=a.reduce_range,
                     weight_type=QuantType.QInt8, op_types_to_quantize=["MatMul", "Attention"],
                     extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
    rec["quantize_s"] = time.perf_counter() - t
    rec["ops"] = {"raw": op_counts(raw), "fp32": op_counts(fp32), "int8": op_counts(int8)}
    rec["bytes"] = {k: os.path.getsize(p) for k, p in (("raw", raw), ("fp32", fp32), ("int8", int8))}

    # first check: logits of ORT against transformers (sdpa, as the peers load it) on padded pairs
    tok = hf_tokenizer(os.path.join(a.model, "vocab.txt"))
    enc = tok([p[0] for p in SAMPLE], [p[1] for p in SAMPLE], padding="longest", truncation="longest_first",
              max_length=128, return_tensors="np")
    feeds = {k: enc[k].astype(np.int64) for k in INPUTS}
    ref_model = type(model).from_pretrained(a.model).eval()
    with torch.inference_mode():
        ref = ref_model(**{k: torch.from_numpy(v) for k, v in feeds.items()}).logits.numpy()
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    for name, path in (("fp32", fp32), ("int8", int8)):
        s = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])
        names = {i.name for i in s.get_inputs()}
        out = s.run(["logits"], {k: v for k, v in feeds.items() if k in names})[0]
        rec[f"check_max_abs_logit_diff_{name}"] = float(np.abs(out - ref).max())
    with open(os.path.join(a.out, "export.json"), "w") as f:
        json.dump(rec, f, indent=1)
    print(json.dumps({k: rec[k] for k in ("export_s", "fusion_s", "quantize_s", "check_max_abs_logit_diff_fp32",
                                          "check_max_abs_logit_diff_int8")}))


if __name__ == "__main__":
    main()
