"""GEMM paths inside libtorch on this CPU, at the shapes of the default model and of BERT-base.

Times one nn.Linear-shaped product [M, K] x [K, N] (+ bias) per path, on one thread, and
prints GFLOP/s per path and shape (the best of ROUNDS rounds of ITERS calls each):
  fp32 linear          at::linear (MKL sgemm)
  fp32 mkldnn          oneDNN linear on mkldnn tensors
  fp32 mkldnn packed   oneDNN linear with the weight reordered once (_reorder_linear_weight)
  int8 fbgemm / x86    quantize_dynamic(nn.Linear) with the x86 (fbgemm) engine
  int8 onednn          quantize_dynamic(nn.Linear) with the onednn engine
  bf16 linear          at::linear on bfloat16 (oneDNN; AMX where the CPU has it)
usage: python gemm_paths.py [--tokens 2560] [--rounds 5] [--iters 20] [--out FILE.json]
"""
import argparse
import json
import platform
import subprocess
import time

import torch


def best_seconds(f, rounds, iters):
    f(), f()
    best = float("inf")
    for _ in range(rounds):
        t = time.perf_counter()
        for _ in range(iters):
            f()
        best = min(best, (time.perf_counter() - t) / iters)
    return best


def dynamic_int8(lin, engine):
    torch.backends.quantized.engine = engine
    return torch.ao.quantization.quantize_dynamic(torch.nn.Sequential(lin), {torch.nn.Linear}, dtype=torch.qint8)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tokens", type=int, default=2560, help="rows M: batch 64 x 40 tokens")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--iters", type=int, default=20)
    ap.add_argument("--out", default="")
    a = ap.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(0)
    shapes = {"default qkv": (256, 768), "default attn_out": (256, 256), "default ffn_in": (256, 1024),
              "default ffn_out": (1024, 256), "base qkv": (768, 2304), "base attn_out": (768, 768),
              "base ffn_in": (768, 3072), "base ffn_out": (3072, 768)}
    rows = []
    for name, (k, n) in shapes.items():
        m = a.tokens
        x, w, b = torch.randn(m, k), torch.randn(n, k) * 0.05, torch.randn(n)
        lin = torch.nn.Linear(k, n)
        lin.weight.data, lin.bias.data = w, b
        xm, wm, bm = x.to_mkldnn(), w.to_mkldnn(), b.to_mkldnn()
        packed = torch.ops.mkldnn._reorder_linear_weight(w, m)
        q_x86, q_dnn = dynamic_int8(lin, "x86"), dynamic_int8(lin, "onednn")
        xb, wb, bb = x.bfloat16(), w.bfloat16(), b.bfloat16()
        paths = {
            "fp32 linear": lambda: torch.nn.functional.linear(x, w, b),
            "fp32 mkldnn": lambda: torch._C._nn.mkldnn_linear(xm, wm, bm),
            "fp32 mkldnn packed": lambda: torch.ops.mkldnn._linear_pointwise(x, packed, b, "none", [], ""),
            "int8 x86": lambda: (setattr(torch.backends.quantized, "engine", "x86"), q_x86(x)),
            "int8 onednn": lambda: (setattr(torch.backends.quantized, "engine", "onednn"), q_dnn(x)),
            "bf16 linear": lambda: torch.nn.functional.linear(xb, wb, bb),
        }
        ref = torch.nn.functional.linear(x, w, b)
        row = {"shape": name, "m": m, "k": k, "n": n}
        for p, f in paths.items():
            s = best_seconds(f, a.rounds, a.iters)
            row[p] = 2 * m * k * n / s / 1e9
        torch.backends.quantized.engine = "onednn"
        row["int8 onednn max rel err"] = float((q_dnn(x) - ref).abs().max() / ref.abs().max())
        row["bf16 max rel err"] = float((paths["bf16 linear"]().float() - ref).abs().max() / ref.abs().max())
        rows.append(row)
        print(json.dumps(row))
    cpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
    model = next((l.split(":", 1)[1].strip() for l in cpu.splitlines() if l.startswith("Model name")), "?")
    flags = sorted({f for l in cpu.splitlines() if l.startswith("Flags") for f in l.split()
                    if f.startswith(("avx512_vnni", "amx", "avx512_bf16", "avx_vnni"))})
    cols = ["fp32 linear", "fp32 mkldnn", "fp32 mkldnn packed", "int8 x86", "int8 onednn", "bf16 linear"]
    print("\n| shape (M x K x N) | " + " | ".join(cols) + " |")
    print("| --- |" + " --- |" * len(cols))
    for r in rows:
        print(f"| {r['shape']} ({r['m']}x{r['k']}x{r['n']}) | " + " | ".join(f"{r[c]:.0f}" for c in cols) + " |")
    if a.out:
        json.dump({"command": "python experiments/cpu/gemm_paths.py " + f"--tokens {a.tokens}",
                   "machine": model, "cpu_flags": flags, "torch": torch.__version__, "python": platform.python_version(),
                   "threads": 1, "unit": "GFLOP/s (best round)", "rows": rows}, open(a.out, "w"), indent=1)


if __name__ == "__main__":
    main()
