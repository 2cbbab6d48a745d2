#!/usr/bin/python3
"""Reference safetensors files for tests/io/safetensors_test.cc.

The safetensors package is not installed next to Debian's torch, so the files
are written by the small pure-python writer below, which follows the format
specification (github.com/huggingface/safetensors README) and shares no code
with the C++ reader: numpy for the bytes, json for the header, struct for the
length. Outputs in --out:
  st_mixed.safetensors   F32, F64, F16 (incl. subnormal, inf, nan, -0), BF16, I32, I64 and an
                         empty tensor; header keys in a different order than the data; no padding
  st_mixed_<name>.npy    the expected float32 value of each tensor
  st_mixed_metadata.json the expected __metadata__
  st_torch.safetensors   the state_dict of a torch nn.LSTM + nn.Linear (float32), header padded
                         to 8 bytes like the reference writer; st_torch_<name>.npy its tensors
"""
import argparse
import json
import os
import struct

import numpy as np
import torch


def write_safetensors(path, tensors, metadata, pad):
    """tensors: list of (name, dtype string, raw little-endian bytes, shape), data in list order."""
    header, offset = {}, 0
    for name, dtype, raw, shape in tensors:
        header[name] = {"dtype": dtype, "shape": list(shape), "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
    if metadata:
        header["__metadata__"] = metadata
    # Reverse the key order so a reader must not rely on header order.
    text = json.dumps(dict(reversed(list(header.items())))).encode("utf-8")
    if pad:
        text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for _, _, raw, _ in tensors:
            f.write(raw)


def mixed(out, rng):
    f32 = rng.standard_normal((3, 4)).astype("<f4")
    f64 = rng.standard_normal((5,)).astype("<f8")
    f16 = np.array([[1.5, -2.25, 6.0e-8, 3.0e-5], [65504.0, -np.inf, np.nan, -0.0]], dtype="<f2")
    bf16_source = rng.standard_normal((2, 3)).astype("<f4")
    bf16_bits = (bf16_source.view("<u4") >> 16).astype("<u2")
    bf16_value = (bf16_bits.astype("<u4") << 16).view("<f4")
    i32 = np.array([-7, 0, 123456], dtype="<i4")
    i64 = np.array([[1, -2], [3, 1 << 20]], dtype="<i8")
    empty = np.zeros((0, 3), dtype="<f4")
    scalar = np.array(2.5, dtype="<f4")
    tensors = [
        ("layer.weight", "F32", f32.tobytes(), f32.shape, f32),
        ("double", "F64", f64.tobytes(), f64.shape, f64.astype(np.float32)),
        ("half", "F16", f16.tobytes(), f16.shape, f16.astype(np.float32)),
        ("brain", "BF16", bf16_bits.tobytes(), bf16_bits.shape, bf16_value),
        ("ints", "I32", i32.tobytes(), i32.shape, i32.astype(np.float32)),
        ("empty", "F32", empty.tobytes(), empty.shape, empty),
        ("longs", "I64", i64.tobytes(), i64.shape, i64.astype(np.float32)),
        ("scalar", "F32", scalar.tobytes(), scalar.shape, scalar.reshape(1)),
    ]
    metadata = {"architecture": json.dumps({"input_dim": 40, "layers": ["lstm", "attention"]}),
                "labels": "zero one two", "unicode": "größe ✓"}
    write_safetensors(os.path.join(out, "st_mixed.safetensors"), [t[:4] for t in tensors], metadata, pad=False)
    for name, _, _, _, value in tensors:
        np.save(os.path.join(out, f"st_mixed_{name}.npy"), np.ascontiguousarray(value, dtype=np.float32))
    with open(os.path.join(out, "st_mixed_metadata.json"), "w", encoding="utf-8") as f:
        json.dump(metadata, f, ensure_ascii=False)


def torch_model(out):
    torch.manual_seed(3)
    model = torch.nn.ModuleDict({"lstm": torch.nn.LSTM(4, 3, num_layers=2), "head": torch.nn.Linear(3, 2)})
    tensors = []
    for name, t in model.state_dict().items():
        a = t.detach().numpy().astype("<f4")
        tensors.append((name, "F32", a.tobytes(), a.shape))
        np.save(os.path.join(out, f"st_torch_{name}.npy"), a)
    write_safetensors(os.path.join(out, "st_torch.safetensors"), tensors, {"format": "pt"}, pad=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--shared", default="")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    mixed(args.out, np.random.default_rng(7))
    torch_model(args.out)


if __name__ == "__main__":
    main()
