#!/usr/bin/python3
"""Reference data for nn losses, optimizers, clipping and LR schedules
(tests/nn/losses_test.cc, ctc_test.cc, optimizer_test.cc).

Everything comes from PyTorch itself: F.cross_entropy, F.ctc_loss (gradients
w.r.t. the LOGITS, by autograd through log_softmax), torch.optim.Adam/AdamW,
torch.nn.utils.clip_grad_norm_ and torch.optim.lr_scheduler. Inputs are
float32 values; losses are evaluated in float64 on those values (the C++ code
accumulates in double); optimizers run in float32 like the C++ code.

Padded batches are stored time-major like auris::nn::SeqBatch: row t*B + b.
All files are prefixed "nnl_" in --out:
  ce_<case>_{logits,targets,loss,grad}.npy      cases: plain (N x C), smooth (eps 0.1),
                                                frames (padded T x B x C, lengths, eps 0.2)
  ce_frames_lengths.npy
  ctc_<case>_{logits,lengths,targets,target_lengths}.npy  cases: mixed, big
  ctc_<case>_<red>_z<0|1>_{loss,grad}.npy       red: mean, sum; z: zero_infinity
  ctc_<case>_none_losses.npy                    per-sequence losses (zero_infinity False)
  opt_<adam|adamw>_{init_<p>,grad_<s>_<p>,param_<s>_<p>}.npy   5 steps, p in 0..2
  clip_<max>_{grad_<p>,clipped_<p>,norm}.npy
  lr_schedules.json                             lr before each step of torch schedulers
"""
import argparse
import json
import os

import numpy as np
import torch
import torch.nn.functional as F


def save(out, name, a):
    np.save(os.path.join(out, "nnl_" + name + ".npy"), np.asarray(a))


def cross_entropy_cases(out, rng):
    n, c = 7, 5
    logits = (rng.standard_normal((n, c)) * 2.0).astype(np.float32)
    targets = rng.integers(0, c, n)
    for name, eps in (("plain", 0.0), ("smooth", 0.1)):
        x = torch.tensor(logits.astype(np.float64), requires_grad=True)
        loss = F.cross_entropy(x, torch.tensor(targets), label_smoothing=eps)
        loss.backward()
        save(out, f"ce_{name}_logits", logits)
        save(out, f"ce_{name}_targets", targets.astype(np.float32))
        save(out, f"ce_{name}_loss", np.array([loss.item()]))
        save(out, f"ce_{name}_grad", x.grad.numpy())

    # Per-frame: padded batch, padding frames get ignore_index (-100).
    t, b = 5, 3
    lengths = np.array([5, 2, 4])
    logits = (rng.standard_normal((t * b, c)) * 1.5).astype(np.float32)
    targets = rng.integers(0, c, t * b)
    for ti in range(t):
        for bi in range(b):
            if ti >= lengths[bi]:
                targets[ti * b + bi] = -100
                logits[ti * b + bi] = 0.0
    x = torch.tensor(logits.astype(np.float64), requires_grad=True)
    loss = F.cross_entropy(x, torch.tensor(targets), ignore_index=-100, label_smoothing=0.2)
    loss.backward()
    save(out, "ce_frames_logits", logits)
    save(out, "ce_frames_targets", targets.astype(np.float32))
    save(out, "ce_frames_lengths", lengths.astype(np.float32))
    save(out, "ce_frames_loss", np.array([loss.item()]))
    save(out, "ce_frames_grad", x.grad.numpy())


def ctc_case(out, rng, name, c, lengths, targets, scale):
    t, b = max(lengths), len(lengths)
    logits = (rng.standard_normal((t, b, c)) * scale).astype(np.float32)
    for bi, n in enumerate(lengths):
        logits[n:, bi] = 0.0
    flat = np.concatenate([np.array(x, dtype=np.int64) for x in targets])
    target_lengths = np.array([len(x) for x in targets])
    save(out, f"ctc_{name}_logits", logits.reshape(t * b, c))
    save(out, f"ctc_{name}_lengths", np.array(lengths, dtype=np.float32))
    save(out, f"ctc_{name}_targets", flat.astype(np.float32))
    save(out, f"ctc_{name}_target_lengths", target_lengths.astype(np.float32))

    def run(reduction, zero_inf):
        x = torch.tensor(logits.astype(np.float64), requires_grad=True)
        lp = F.log_softmax(x, dim=2)
        loss = F.ctc_loss(lp, torch.tensor(flat), torch.tensor(lengths), torch.tensor(target_lengths),
                          blank=0, reduction=reduction, zero_infinity=zero_inf)
        return x, loss

    for reduction in ("mean", "sum"):
        for zero_inf in (False, True):
            x, loss = run(reduction, zero_inf)
            loss.backward()
            save(out, f"ctc_{name}_{reduction}_z{int(zero_inf)}_loss", np.array([loss.item()]))
            save(out, f"ctc_{name}_{reduction}_z{int(zero_inf)}_grad", x.grad.numpy().reshape(t * b, c))
    _, losses = run("none", False)
    save(out, f"ctc_{name}_none_losses", losses.detach().numpy())


def ctc_cases(out, rng):
    # b0 repeated labels, b1 a run of one label (needs blanks between), b2 tight
    # (5 labels in 7 frames), b3 impossible (2 2 3 needs 4 frames, has 3),
    # b4 empty target, b5 exactly tight with a repeat (1 1 -> 3 frames).
    ctc_case(out, rng, "mixed", 6, [12, 10, 7, 3, 9, 3],
             [[1, 2, 2, 3], [4, 4, 4], [1, 2, 3, 4, 5], [2, 2, 3], [], [1, 1]], 1.0)
    # Longer sequences, peaky logits: stresses log-space stability.
    ctc_case(out, rng, "big", 10, [60, 45, 60],
             [list(rng.integers(1, 10, 20)), list(rng.integers(1, 10, 12)), [3] * 15], 6.0)


def optimizer_cases(out, rng):
    shapes = [(4, 3), (3,), (2, 5)]
    init = [rng.standard_normal(s).astype(np.float32) for s in shapes]
    grads = [[(rng.standard_normal(s) * 0.5).astype(np.float32) for s in shapes] for _ in range(5)]
    configs = {
        "adam": lambda ps: torch.optim.Adam(ps, lr=0.02, betas=(0.9, 0.99), eps=1e-6, weight_decay=0.05),
        "adamw": lambda ps: torch.optim.AdamW(ps, lr=0.01, betas=(0.8, 0.98), eps=1e-7, weight_decay=0.1),
    }
    for name, make in configs.items():
        ps = [torch.nn.Parameter(torch.tensor(p)) for p in init]
        opt = make(ps)
        for i, p in enumerate(init):
            save(out, f"opt_{name}_init_{i}", p)
        for s in range(5):
            for i, p in enumerate(ps):
                p.grad = torch.tensor(grads[s][i])
                save(out, f"opt_{name}_grad_{s}_{i}", grads[s][i])
            opt.step()
            for i, p in enumerate(ps):
                save(out, f"opt_{name}_param_{s}_{i}", p.detach().numpy().copy())


def clip_cases(out, rng):
    shapes = [(3, 4), (5,), (2, 2)]
    grads = [rng.standard_normal(s).astype(np.float32) for s in shapes]
    for max_norm in (1, 100):
        ps = [torch.nn.Parameter(torch.zeros(s)) for s in shapes]
        for p, g in zip(ps, grads):
            p.grad = torch.tensor(g)
        norm = torch.nn.utils.clip_grad_norm_(ps, max_norm)
        save(out, f"clip_{max_norm}_norm", np.array([norm.item()]))
        for i, (p, g) in enumerate(zip(ps, grads)):
            save(out, f"clip_{max_norm}_grad_{i}", g)
            save(out, f"clip_{max_norm}_clipped_{i}", p.grad.numpy())


def lr_schedules(out):
    from torch.optim import lr_scheduler as S

    def trace(make, steps, base_lr):
        opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=base_lr)
        sched = make(opt)
        lrs = []
        for _ in range(steps):
            lrs.append(opt.param_groups[0]["lr"])
            opt.step()
            sched.step()
        return lrs

    base, warm, decay_steps, min_lr = 0.004, 5, 20, 0.0004
    result = {
        "base_lr": base, "warmup_steps": warm, "decay_steps": decay_steps, "min_lr": min_lr, "gamma": 0.9,
        "warmup": trace(lambda o: S.LinearLR(o, start_factor=1.0 / warm, end_factor=1.0, total_iters=warm - 1),
                        warm, base),
        "cosine": trace(lambda o: S.CosineAnnealingLR(o, T_max=decay_steps, eta_min=min_lr), decay_steps + 1, base),
        "linear": trace(lambda o: S.LinearLR(o, start_factor=1.0, end_factor=min_lr / base, total_iters=decay_steps),
                        decay_steps + 1, base),
        "exponential": trace(lambda o: S.ExponentialLR(o, gamma=0.9), decay_steps + 1, base),
    }
    with open(os.path.join(out, "nnl_lr_schedules.json"), "w") as f:
        json.dump(result, f)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--shared", default="")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    torch.manual_seed(0)
    rng = np.random.default_rng(20261128)
    cross_entropy_cases(args.out, rng)
    ctc_cases(args.out, rng)
    optimizer_cases(args.out, rng)
    clip_cases(args.out, rng)
    lr_schedules(args.out)


if __name__ == "__main__":
    main()
