"""A whole auris model written by PyTorch: torch modules with the names and
semantics of the nn::Model schema (LSTM → causal windowed multi-head
attention → LayerNorm → attention pooling → Linear), saved as a safetensors
model file with auris metadata by an independent pure-Python writer, plus a
padded input batch and torch's output for it.

Outputs in --out: model_torch.safetensors, model_input.npy (T, B, D),
model_lengths.npy (B,), model_output.npy (B, classes).
"""
import argparse
import json
import math
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_safetensors import write_safetensors  # noqa: E402

D, H, HEADS, WINDOW, CLASSES = 12, 16, 2, 5, 4
ARCH = {"input_dim": D, "layers": [
    {"type": "lstm", "hidden": H, "num_layers": 2},
    {"type": "attention", "heads": HEADS, "causal": True, "window": WINDOW},
    {"type": "layernorm"},
    {"type": "attention_pool", "queries": 1},
    {"type": "linear", "out": CLASSES}]}


class Pool(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.query = torch.nn.Parameter(torch.randn(1, H) * 0.5)

    def forward(self, x, lengths):  # x: T, B, E
        scores = (x @ self.query[0]) / math.sqrt(H)  # T, B
        t = torch.arange(x.shape[0])[:, None]
        scores = scores.masked_fill(t >= lengths[None, :], float("-inf"))
        w = torch.softmax(scores, dim=0)
        return (w[:, :, None] * x).sum(0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--shared", default="")
    args = ap.parse_args()
    torch.manual_seed(7)
    layers = torch.nn.ModuleList([
        torch.nn.LSTM(D, H, 2), torch.nn.MultiheadAttention(H, HEADS), torch.nn.LayerNorm(H),
        Pool(), torch.nn.Linear(H, CLASSES)])
    with torch.no_grad():  # non-trivial LayerNorm affine parameters
        layers[2].weight.uniform_(0.5, 1.5)
        layers[2].bias.uniform_(-0.3, 0.3)

    T, B = 11, 3
    lengths = torch.tensor([11, 7, 4])
    x = torch.randn(T, B, D)
    pad = torch.arange(T)[:, None] >= lengths[None, :]  # T, B
    x[pad] = 0
    with torch.no_grad():
        packed = torch.nn.utils.rnn.pack_padded_sequence(x, lengths, enforce_sorted=False)
        y, _ = layers[0](packed)
        y, _ = torch.nn.utils.rnn.pad_packed_sequence(y, total_length=T)
        i = torch.arange(T)
        mask = (i[None, :] > i[:, None]) | (i[None, :] < i[:, None] - WINDOW + 1)  # [query, key]
        y, _ = layers[1](y, y, y, attn_mask=mask, key_padding_mask=pad.T, need_weights=False)
        y = layers[2](y)
        y[pad] = 0
        pooled = layers[3](y, lengths)
        out = layers[4](pooled)

    tensors = []
    for name, p in layers.state_dict().items():
        arr = p.detach().numpy().astype("<f4")
        tensors.append(("layers." + name, "F32", arr.tobytes(), arr.shape))
    meta = {"format": "auris-model-1", "architecture": json.dumps(ARCH),
            "labels": json.dumps(["a", "b", "c", "d"]),
            "features": json.dumps({"type": "fbank", "num-mel-bins": 12}), "task": "classify"}
    write_safetensors(os.path.join(args.out, "model_torch.safetensors"), tensors, meta, pad=True)
    np.save(os.path.join(args.out, "model_input.npy"), x.numpy().astype(np.float32))
    np.save(os.path.join(args.out, "model_lengths.npy"), lengths.numpy().astype(np.int64))
    np.save(os.path.join(args.out, "model_output.npy"), out.numpy().astype(np.float64))


if __name__ == "__main__":
    main()
