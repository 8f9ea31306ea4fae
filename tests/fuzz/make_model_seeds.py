"""Writes the binary seeds of corpus/{torch_bin,unpickler,safetensors}: tiny state dicts
saved by torch.save (zip archives, and the data.pkl of each) and by safetensors.

Usage: ~/.mgeo-dist-venv/bin/python tests/fuzz/make_model_seeds.py
"""
import collections
import io
import pathlib
import zipfile

import torch
from safetensors.torch import save as save_safetensors

CORPUS = pathlib.Path(__file__).resolve().parent / "corpus"


def tensors():
    base = torch.arange(6, dtype=torch.float32).reshape(2, 3)
    return collections.OrderedDict(
        [
            ("bert.embeddings.weight", base),
            ("bert.embeddings.weight_t", base.t()),  # a strided view of the same storage
            ("classifier.bias", torch.tensor([0.5, -1.0], dtype=torch.float16)),
            ("position_ids", torch.arange(4, dtype=torch.int64).unsqueeze(0)),
            ("scale", torch.tensor(2.0, dtype=torch.bfloat16)),
            ("mask", torch.tensor([True, False])),
            ("empty", torch.zeros(0, 3, dtype=torch.int8)),
        ]
    )


def torch_seeds():
    params = torch.nn.Linear(2, 2)
    return {
        "state_dict_p2": (tensors(), 2),
        "state_dict_p4": (tensors(), 4),
        "nested_state_dict": ({"state_dict": tensors(), "epoch": 3, "lr": 1e-4}, 2),
        "nested_model_params": ({"model": {"w": params.weight, "b": params.bias}, "name": "x"}, 2),
    }


def main():
    for sub in ("torch_bin", "unpickler", "safetensors"):
        (CORPUS / sub).mkdir(parents=True, exist_ok=True)
    for name, (obj, protocol) in torch_seeds().items():
        buf = io.BytesIO()
        torch.save(obj, buf, pickle_protocol=protocol)
        (CORPUS / "torch_bin" / f"{name}.bin").write_bytes(buf.getvalue())
        with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as z:
            pkl = next(n for n in z.namelist() if n.endswith("/data.pkl"))
            (CORPUS / "unpickler" / f"{name}.pkl").write_bytes(z.read(pkl))
    flat = {k: v.contiguous() for k, v in tensors().items() if k != "bert.embeddings.weight_t"}
    flat["f64"] = torch.tensor([1.5], dtype=torch.float64)
    flat["i32"] = torch.tensor([[1, -2]], dtype=torch.int32)
    flat["i16"] = torch.tensor([3], dtype=torch.int16)
    flat["u8"] = torch.tensor([255], dtype=torch.uint8)
    (CORPUS / "safetensors" / "dtypes.safetensors").write_bytes(
        save_safetensors(flat, metadata={"format": "pt"}))
    (CORPUS / "safetensors" / "one.safetensors").write_bytes(
        save_safetensors({"w": torch.ones(2, 2)}))


if __name__ == "__main__":
    main()
