#!/usr/bin/python3
"""Reference data for dsp deltas and CMVN (tests/dsp/deltas_test.cc, cmvn_test.cc,
sliding_cmn_test.cc, online_cmvn_test.cc).

Every reference is a direct float64 numpy implementation of Kaldi's formula
(add-deltas, apply-cmvn, apply-cmvn-sliding, apply-cmvn-online: Kaldi's
OnlineCmvn and SmoothOnlineCmvnStats), written from the definitions and
not incrementally, and cross-checked here against torchaudio where torchaudio
implements the same thing:
  * first-order deltas == torchaudio.functional.compute_deltas (replicate pad);
  * second order: Kaldi convolves the filters and clamps frame indices into
    the *input*, which equals compute_deltas applied twice only away from the
    edges (the first `window` frames at each end differ); the script asserts
    the interior agreement and prints the edge difference;
  * sliding CMN == torchaudio.functional.sliding_window_cmn (which follows
    Kaldi's SlidingWindowCmn; it has no variance floor, so the check skips
    cases where the floor is hit).

Inputs (float32, frames x dims), written as dc_in_<name>.npy:
  walk    1500 x 13 random walk (longer than the default 600-frame window)
  fsdd    Kaldi-default MFCC (13) of 30 FSDD recordings, concatenated
  short7  7 x 4 random (fewer frames than delta context / min window)
  short3  3 x 5 random
  one     1 x 3 random
Outputs (float64):
  deltas_<in>_o<order>_w<window>.npy
  cmvn_stats_<in>.npy                      Kaldi stats, 2 x (dim+1)
  cmvn_utt_<in>_{mean,meanvar}.npy         per-utterance CMVN
  cmvn_global_fsdd_by_walk_{mean,meanvar}.npy  fsdd normalised with walk's stats
  sliding_<in>_w<cmn>_m<min>_<c|n><v|m>.npy  c=center n=not, v=norm-vars m=mean only
  online_prior_<in>.npy                    global stats for online CMVN (of another signal)
  online_<in>_w<cmn>_g<global>_<v|m>.npy   apply-cmvn-online with that prior
(torchaudio has no online CMVN: that reference rests on the definition alone.)
"""
import argparse
import os
import sys

import numpy as np

DELTA_CASES = [(0, 2), (1, 1), (1, 2), (2, 2), (2, 1), (3, 2), (2, 4)]
SLIDING_CASES = [  # cmn_window, min_window, center, norm_vars
    (600, 100, False, False),
    (600, 100, False, True),
    (600, 100, True, False),
    (600, 100, True, True),
    (50, 10, False, True),
    (51, 10, True, True),
    (40, 60, False, False),
    (5, 3, False, True),
    (5, 3, True, True),
    (4, 1, True, False),
]

ONLINE_CASES = [  # cmn_window, global_frames, norm_vars
    (600, 200, False),
    (600, 200, True),
    (50, 10, True),
    (5, 0, False),
    (5, 3, True),
    (1, 0, False),
]


def delta_scales(order, window):
    scales = [np.array([1.0])]
    taps = np.arange(-window, window + 1, dtype=np.float64)
    for _ in range(order):
        scales.append(np.convolve(scales[-1], taps) / np.sum(taps ** 2))
    return scales


def kaldi_deltas(x, order, window):
    t_count, dim = x.shape
    out = np.zeros((t_count, dim * (order + 1)))
    for i, s in enumerate(delta_scales(order, window)):
        off = (len(s) - 1) // 2
        for t in range(t_count):
            idx = np.clip(np.arange(t - off, t + off + 1), 0, t_count - 1)
            out[t, i * dim:(i + 1) * dim] = s @ x[idx]
    return out


def cmvn_stats(x):
    stats = np.zeros((2, x.shape[1] + 1))
    stats[0, :-1] = x.sum(0)
    stats[1, :-1] = (x * x).sum(0)
    stats[0, -1] = x.shape[0]
    return stats


def apply_cmvn(stats, x, norm_vars):
    count = stats[0, -1]
    mean = stats[0, :-1] / count
    if not norm_vars:
        return x - mean
    var = np.maximum(stats[1, :-1] / count - mean * mean, 1e-20)
    scale = 1.0 / np.sqrt(var)
    return x * scale - mean * scale


def kaldi_window(t, n, cmn, min_window, center):
    if center:
        start = t - cmn // 2
        end = start + cmn
    else:
        start = t - cmn
        end = t + 1
    if start < 0:
        end -= start
        start = 0
    if not center and end > t:
        end = max(t + 1, min_window)
    if end > n:
        start = max(start - (end - n), 0)
        end = n
    return start, end


def kaldi_sliding(x, cmn, min_window, center, norm_vars):
    """Returns the output and whether the variance floor was hit."""
    n = x.shape[0]
    out = np.zeros_like(x)
    floored = False
    for t in range(n):
        s, e = kaldi_window(t, n, cmn, min_window, center)
        w = x[s:e]
        out[t] = x[t] - w.mean(0)
        if norm_vars:
            if e - s == 1:
                out[t] = 0.0
            else:
                var = (w * w).mean(0) - w.mean(0) ** 2
                floored |= bool(np.any(var < 1e-10))
                out[t] /= np.sqrt(np.maximum(var, 1e-10))
    return out, floored


def kaldi_online_cmvn(x, prior, cmn, global_frames, norm_vars):
    """Frame t: stats of frames (t - cmn, t], topped up while fewer than cmn
    frames with min(cmn - n, global_frames) frames' worth of the prior."""
    out = np.zeros_like(x)
    for t in range(x.shape[0]):
        w = x[max(0, t - cmn + 1):t + 1]
        stats = cmvn_stats(w)
        n = w.shape[0]
        if n < cmn:
            g = min(cmn - n, global_frames)
            stats = stats + prior * (g / prior[0, -1])
        out[t] = apply_cmvn(stats, x[t:t + 1], norm_vars)[0]
    return out


def make_inputs(shared):
    rng = np.random.default_rng(20261128)
    inputs = {}
    steps = rng.normal(0.0, 0.4, size=(1500, 13))
    walk = np.cumsum(steps, axis=0) + rng.normal(0.0, 8.0, size=13)
    walk += 3.0 * np.sin(np.arange(1500)[:, None] / 37.0 * (1 + np.arange(13)))
    inputs["walk"] = walk.astype(np.float32)
    inputs["short7"] = rng.normal(1.0, 2.0, size=(7, 4)).astype(np.float32)
    inputs["short3"] = rng.normal(-1.0, 3.0, size=(3, 5)).astype(np.float32)
    inputs["one"] = rng.normal(0.0, 1.0, size=(1, 3)).astype(np.float32)

    rec = os.path.join(shared, "data", "fsdd", "recordings")
    if os.path.isdir(rec):
        import torch
        import torchaudio
        from torchaudio.compliance import kaldi
        names = sorted(f for f in os.listdir(rec) if f.endswith(".wav"))[:30]
        mats = []
        for name in names:
            wav, rate = torchaudio.load(os.path.join(rec, name))
            wav = wav[:1] * 32768.0
            mats.append(kaldi.mfcc(wav, sample_frequency=rate, dither=0.0).numpy())
        inputs["fsdd"] = np.concatenate(mats).astype(np.float32)
    else:
        print(f"FSDD not found under {rec}: fsdd references skipped", file=sys.stderr)
    return inputs


def check_deltas_against_torchaudio(x, window, first, second):
    import torch
    import torchaudio.functional as F
    xt = torch.from_numpy(x.astype(np.float64).T.copy())
    d1 = F.compute_deltas(xt, win_length=2 * window + 1)
    if not np.allclose(d1.numpy().T, first, rtol=0, atol=1e-10):
        sys.exit(f"first-order deltas disagree with torchaudio (window {window})")
    d2 = F.compute_deltas(d1, win_length=2 * window + 1).numpy().T
    n = x.shape[0]
    inner = slice(window, max(window, n - window))
    if not np.allclose(d2[inner], second[inner], rtol=0, atol=1e-10):
        sys.exit(f"second-order deltas disagree with torchaudio inside (window {window})")
    return float(np.max(np.abs(d2 - second))) if n else 0.0


def check_sliding_against_torchaudio(x, out, cmn, min_window, center, norm_vars):
    import torch
    import torchaudio.functional as F
    ref = F.sliding_window_cmn(torch.from_numpy(x.astype(np.float64)), cmn_window=cmn,
                               min_cmn_window=min_window, center=center,
                               norm_vars=norm_vars).numpy()
    err = np.max(np.abs(ref - out)) / max(1.0, np.max(np.abs(out)))
    if err > 1e-8:
        sys.exit(f"sliding CMN disagrees with torchaudio: {err} for {cmn},{min_window},"
                 f"{center},{norm_vars}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--shared", default="/work/shared")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)

    def save(name, arr):
        np.save(os.path.join(args.out, name), arr)

    inputs = make_inputs(args.shared)
    edge_diffs = []
    sliding_checked = 0
    for name, x in inputs.items():
        save(f"dc_in_{name}.npy", x)
        x64 = x.astype(np.float64)
        for order, window in DELTA_CASES:
            out = kaldi_deltas(x64, order, window)
            save(f"deltas_{name}_o{order}_w{window}.npy", out)
            if order == 2:
                dim = x.shape[1]
                edge_diffs.append(check_deltas_against_torchaudio(
                    x, window, out[:, dim:2 * dim], out[:, 2 * dim:]))
        stats = cmvn_stats(x64)
        save(f"cmvn_stats_{name}.npy", stats)
        if x.shape[0] > 1:
            save(f"cmvn_utt_{name}_mean.npy", apply_cmvn(stats, x64, False))
            save(f"cmvn_utt_{name}_meanvar.npy", apply_cmvn(stats, x64, True))
        for cmn, min_window, center, norm_vars in SLIDING_CASES:
            out, floored = kaldi_sliding(x64, cmn, min_window, center, norm_vars)
            tag = ("c" if center else "n") + ("v" if norm_vars else "m")
            save(f"sliding_{name}_w{cmn}_m{min_window}_{tag}.npy", out)
            if not floored:
                check_sliding_against_torchaudio(x64, out, cmn, min_window, center, norm_vars)
                sliding_checked += 1
        # The prior: statistics of a louder, reversed copy (a different level).
        prior = cmvn_stats(x64[::-1] * 0.7 + 2.0)
        save(f"online_prior_{name}.npy", prior)
        for cmn, global_frames, norm_vars in ONLINE_CASES:
            out = kaldi_online_cmvn(x64, prior, cmn, global_frames, norm_vars)
            save(f"online_{name}_w{cmn}_g{global_frames}_{'v' if norm_vars else 'm'}.npy", out)
    if "fsdd" in inputs:
        walk_stats = cmvn_stats(inputs["walk"].astype(np.float64))
        fsdd = inputs["fsdd"].astype(np.float64)
        save("cmvn_global_fsdd_by_walk_mean.npy", apply_cmvn(walk_stats, fsdd, False))
        save("cmvn_global_fsdd_by_walk_meanvar.npy", apply_cmvn(walk_stats, fsdd, True))
    print("deltas/cmvn references written; Kaldi order-2 deltas vs compute_deltas twice: "
          f"equal inside, max edge difference {max(edge_diffs):.4g}; sliding CMN "
          f"{sliding_checked} cases agree with torchaudio")


if __name__ == "__main__":
    main()
