#!/usr/bin/python3
"""Reference data for auris' MultiHeadAttention and AttentionPooling.

torch.nn.MultiheadAttention(E, H, batch_first=False) with random weights runs
on padded batches under the masks auris defines (see include/auris/nn/
attention.h): key padding (key_padding_mask), causal (attn_mask), a limited
left-context window and the ALiBi bias (3-D float attn_mask, one per
batch x head). Inputs and weights are drawn in float32 and the module runs in
float64, so the reference does not carry float32 rounding of its own.

Written to --out (all float arrays time-major like auris' SeqBatch: row t*B+b):
  nn_attention_<param>.npy                  state-dict tensors ('.' -> '_')
  nn_attention_<case>_{x,lengths,y,gy,dx,w}.npy and _d<param>.npy
    x   (T*B, E) input; padded rows hold random values (must be ignored)
    y   (T*B, E) output, zero at padded rows (auris' definition)
    w   (B*H*T, T) per-head attention weights, row (b*H + h)*T + t
    gy  upstream gradient, zero at padded rows (torch computes something
        there that auris defines as constant zero)
  nn_attention_<case>_options.npy   [causal, window_frames, alibi] (int64)
  nn_attention_pool_{query,x,lengths,y,w,gy,dx,dquery}.npy   attention pooling
    written directly in torch ops; y (B, Q*E), w (T*B, Q).
"""
import argparse
import math
import os

import numpy as np
import torch

E, H = 16, 4
CASES = [
    # name, T, lengths, causal, window_frames, positional
    ("pad", 9, [9, 6, 2], False, 0, "none"),
    ("causal", 9, [9, 6, 2], True, 0, "none"),
    ("window", 9, [9, 6, 2], True, 3, "none"),
    ("alibi", 9, [9, 6, 2], True, 4, "alibi"),
    ("left_window", 9, [9, 6, 2], False, 3, "none"),
    ("long_window", 150, [150, 97], True, 40, "none"),
]


def save(out, name, a):
    np.save(os.path.join(out, name + ".npy"), np.ascontiguousarray(a))


def alibi_slopes(h):
    return [2.0 ** (-8.0 * (i + 1) / h) for i in range(h)]


def float_mask(T, lengths, causal, window, positional):
    """(B*H, T, T) additive mask: bias where visible, -inf elsewhere. Padded
    query rows (whose outputs auris defines as zero and whose upstream
    gradient is zero) see every valid key so torch gives no NaN there."""
    B = len(lengths)
    t = torch.arange(T).view(T, 1)
    s = torch.arange(T).view(1, T)
    slopes = alibi_slopes(H) if positional == "alibi" else [0.0] * H
    mask = torch.empty(B * H, T, T, dtype=torch.float64)
    for b, L in enumerate(lengths):
        visible = s < L
        if causal:
            visible = visible & (s <= t)
        if window > 0:
            visible = visible & (s > t - window)
        visible = torch.where(t < L, visible, s < L)
        for h in range(H):
            bias = -slopes[h] * (t - s).abs().double()
            mask[b * H + h] = torch.where(visible, bias, torch.tensor(float("-inf"), dtype=torch.float64))
    return mask


def run_case(out, mha, name, T, lengths, causal, window, positional, gen):
    B = len(lengths)
    x32 = torch.randn(T, B, E, generator=gen)  # padding rows random on purpose
    pad = torch.arange(T).view(T, 1) >= torch.tensor(lengths).view(1, B)  # (T, B)
    key_padding_mask = pad.t().contiguous()  # (B, T), True = padding
    if window == 0 and positional == "none":
        attn_mask = torch.triu(torch.ones(T, T, dtype=torch.bool), 1) if causal else None
    else:
        attn_mask = float_mask(T, lengths, causal, window, positional)

    x = x32.double().requires_grad_(True)
    mha.zero_grad()
    y, w = mha(x, x, x, key_padding_mask=key_padding_mask, attn_mask=attn_mask, need_weights=True,
               average_attn_weights=False)
    assert torch.isfinite(y).all(), name
    gy = torch.randn(T, B, E, generator=gen).double()
    gy[pad] = 0
    y.backward(gy)

    y = y.detach().clone()
    y[pad] = 0
    w = w.detach().clone()  # (B, H, T, S)
    for b, L in enumerate(lengths):
        w[b, :, L:, :] = 0
    p = f"nn_attention_{name}_"
    save(out, p + "x", x32.reshape(T * B, E).numpy())
    save(out, p + "lengths", np.array(lengths, dtype=np.int64))
    save(out, p + "options", np.array([causal, window, positional == "alibi"], dtype=np.int64))
    save(out, p + "y", y.reshape(T * B, E).numpy())
    save(out, p + "w", w.reshape(B * H * T, T).numpy())
    save(out, p + "gy", gy.reshape(T * B, E).numpy())
    save(out, p + "dx", x.grad.reshape(T * B, E).numpy())
    for pname, param in mha.named_parameters():
        save(out, p + "d" + pname.replace(".", "_"), param.grad.numpy())


def pooling(out, gen):
    Q, T, lengths = 2, 9, [9, 5, 1]
    B = len(lengths)
    query32 = torch.randn(Q, E, generator=gen) * 0.5
    x32 = torch.randn(T, B, E, generator=gen)
    pad = torch.arange(T).view(T, 1) >= torch.tensor(lengths).view(1, B)  # (T, B)
    query = query32.double().requires_grad_(True)
    x = x32.double().requires_grad_(True)
    scores = torch.einsum("tbe,qe->tbq", x, query) / math.sqrt(E)
    scores = scores.masked_fill(pad.unsqueeze(-1), float("-inf"))
    w = torch.softmax(scores, dim=0)  # over time
    y = torch.einsum("tbq,tbe->bqe", w, x).reshape(B, Q * E)
    gy = torch.randn(B, Q * E, generator=gen).double()
    y.backward(gy)
    save(out, "nn_attention_pool_query", query32.numpy())
    save(out, "nn_attention_pool_x", x32.reshape(T * B, E).numpy())
    save(out, "nn_attention_pool_lengths", np.array(lengths, dtype=np.int64))
    save(out, "nn_attention_pool_y", y.detach().numpy())
    save(out, "nn_attention_pool_w", w.detach().reshape(T * B, Q).numpy())
    save(out, "nn_attention_pool_gy", gy.numpy())
    save(out, "nn_attention_pool_dx", x.grad.reshape(T * B, E).numpy())
    save(out, "nn_attention_pool_dquery", query.grad.numpy())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--shared", default="")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    torch.manual_seed(0)
    gen = torch.Generator().manual_seed(1234)

    mha = torch.nn.MultiheadAttention(E, H, batch_first=False)
    with torch.no_grad():  # non-zero biases so their gradients and use are tested
        for param in mha.parameters():
            param.copy_(torch.randn(param.shape, generator=gen) * 0.3)
    for pname, param in mha.named_parameters():
        save(args.out, "nn_attention_" + pname.replace(".", "_"), param.detach().numpy())
    mha = mha.double()

    for name, T, lengths, causal, window, positional in CASES:
        run_case(args.out, mha, name, T, lengths, causal, window, positional, gen)
    pooling(args.out, gen)


if __name__ == "__main__":
    main()
