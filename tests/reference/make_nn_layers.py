#!/usr/bin/python3
"""Reference data for auris' basic nn layers and LSTM (tests/nn/parity_test.cc).

torch.nn.Linear, nn.LayerNorm, nn.GELU and nn.LSTM (unidirectional and
bidirectional, 2 layers, padded batch through pack_padded_sequence) with
seeded random weights. Weights and inputs are drawn in float32; the modules
then run in float64, so the reference carries no float32 rounding of its own.

Written to --out, all prefixed "nn_layers_<case>_", time-major like auris'
SeqBatch (row t*B + b):
  x        (T*B, in)  input; padded rows hold random values (must be ignored)
  lengths  (B,)       int64
  y        (T*B, out) output, zero at padded rows
  gy       (T*B, out) upstream gradient, zero at padded rows
  dx       (T*B, in)  dLoss/dx for Loss = sum(y * gy)
  p_<name> parameter under its state_dict name (float32)
  g_<name> its gradient
Cases: linear, layernorm, gelu, lstm_uni, lstm_bi.
"""
import argparse
import os

import numpy as np
import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

T = 7
LENGTHS = [7, 4, 1, 5]


def save(out, case, name, a):
    np.save(os.path.join(out, f"nn_layers_{case}_{name}.npy"), np.ascontiguousarray(a))


def padding_mask(T, lengths):
    t = torch.arange(T).view(T, 1, 1)
    return (t < torch.tensor(lengths).view(1, -1, 1)).double()


def run_case(out, case, module, dim_in, forward):
    """forward(module64, x64) -> y64 (T, B, out) with zeros at padding."""
    B = len(LENGTHS)
    x = torch.randn(T, B, dim_in, dtype=torch.float32)
    params32 = {k: v.detach().clone() for k, v in module.state_dict().items()}
    module = module.double()
    x64 = x.double().requires_grad_(True)
    y = forward(module, x64) * padding_mask(T, LENGTHS)
    gy = torch.randn(y.shape, dtype=torch.float32).double() * padding_mask(T, LENGTHS)
    (y * gy).sum().backward()
    flat = lambda a: a.detach().numpy().reshape(T * B, -1)
    save(out, case, "x", flat(x))
    save(out, case, "lengths", np.array(LENGTHS, dtype=np.int64))
    save(out, case, "y", flat(y))
    save(out, case, "gy", flat(gy))
    save(out, case, "dx", flat(x64.grad))
    for name, p in module.named_parameters():
        save(out, case, "p_" + name, params32[name].numpy().astype(np.float32))
        save(out, case, "g_" + name, p.grad.detach().numpy())


def lstm_forward(module, x):
    packed = pack_padded_sequence(x, torch.tensor(LENGTHS), enforce_sorted=False)
    y, _ = module(packed)
    y, _ = pad_packed_sequence(y, total_length=T)
    return y


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--shared", default="")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    torch.manual_seed(1234)

    run_case(args.out, "linear", torch.nn.Linear(6, 5), 6, lambda m, x: m(x))

    ln = torch.nn.LayerNorm(6)
    with torch.no_grad():  # non-trivial affine parameters
        ln.weight.copy_(1.0 + 0.5 * torch.randn(6))
        ln.bias.copy_(0.5 * torch.randn(6))
    run_case(args.out, "layernorm", ln, 6, lambda m, x: m(x))

    gelu = torch.nn.Sequential()  # no parameters
    run_case(args.out, "gelu", gelu, 6, lambda m, x: torch.nn.functional.gelu(x))

    run_case(args.out, "lstm_uni", torch.nn.LSTM(5, 6, num_layers=2), 5, lstm_forward)
    run_case(args.out, "lstm_bi", torch.nn.LSTM(5, 6, num_layers=2, bidirectional=True), 5,
             lstm_forward)


if __name__ == "__main__":
    main()
