#!/usr/bin/python3
"""Reference PLP features for tests/dsp/plp_test.cc, in float64 numpy.

No installable PLP reference exists (Debian's torchaudio has no PLP and Kaldi
is not packaged), so this is an independent implementation of Kaldi's
published definition (feat/feature-plp.cc, mel-computations.cc,
feature-window.cc), written from the equations with numpy only and never
calling auris:

  frame (snip-edges) -> DC removal -> raw log energy -> pre-emphasis ->
  window -> zero-padded FFT power -> Kaldi mel triangles (linear in mel,
  FFT bins 0..N/2-1) -> times the equal-loudness curve at each bin's centre ->
  ** compress-factor -> first and last bin duplicated (num_bins + 2 points) ->
  inverse cosine transform to lpc-order + 1 autocorrelations -> Durbin
  (1 - k^2 floored at 1e-5) -> cepstrum recursion -> [max(log residual,
  FLT_MIN), c_1..c_{num_ceps-1}] * lifter * cepstral-scale -> energy in C0
  (use-energy) -> C0 / energy last (htk-compat).

Signals are synthetic (deterministic), plus an FSDD recording when present.
Output in <out>/plp/: signals/<name>.npy, <case>.npy and manifest.json
([{name, signal, rate, options}], options keyed by Kaldi flag names, values
as strings).
"""
import argparse
import json
import os
import wave

import numpy as np

FLT_MIN = np.finfo(np.float32).tiny
DEFAULTS = {
    "sample-frequency": 16000.0, "frame-length": 25.0, "frame-shift": 10.0,
    "preemphasis-coefficient": 0.97, "remove-dc-offset": True, "window-type": "povey",
    "round-to-power-of-two": True, "num-mel-bins": 23, "low-freq": 20.0, "high-freq": 0.0,
    "vtln-warp": 1.0, "vtln-low": 100.0, "vtln-high": -500.0, "lpc-order": 12,
    "num-ceps": 13, "use-energy": True, "energy-floor": 0.0, "raw-energy": True,
    "compress-factor": 0.33333, "cepstral-lifter": 22.0, "cepstral-scale": 1.0,
    "htk-compat": False,
}


def mel(f):
    return 1127.0 * np.log(1.0 + f / 700.0)


def inv_mel(m):
    return 700.0 * (np.exp(m / 1127.0) - 1.0)


def vtln_warp_freq(lo_cut, hi_cut, lo, hi, warp, f):
    if f < lo or f > hi:
        return f
    l, h = lo_cut * max(1.0, warp), hi_cut * min(1.0, warp)
    s = 1.0 / warp
    if f < l:
        return lo + (s * l - lo) / (l - lo) * (f - lo)
    if f < h:
        return s * f
    return hi + (hi - s * h) / (hi - h) * (f - hi)


def mel_banks(o, rate, n_fft):
    """Kaldi's MelBanks: weights (num_bins x n_fft/2) and centre frequencies (Hz)."""
    nb = o["num-mel-bins"]
    lo = o["low-freq"]
    hi = o["high-freq"] if o["high-freq"] > 0 else rate / 2 + o["high-freq"]
    vhi = o["vtln-high"] if o["vtln-high"] > 0 else rate / 2 + o["vtln-high"]
    warp = o["vtln-warp"]

    def warped(m):
        if warp == 1.0:
            return m
        return mel(vtln_warp_freq(o["vtln-low"], vhi, lo, hi, warp, inv_mel(m)))

    delta = (mel(hi) - mel(lo)) / (nb + 1)
    fft_mel = mel(np.arange(n_fft // 2) * rate / n_fft)
    w = np.zeros((nb, n_fft // 2))
    centres = np.zeros(nb)
    for b in range(nb):
        left, centre, right = (warped(mel(lo) + (b + k) * delta) for k in range(3))
        centres[b] = inv_mel(centre)
        up = (fft_mel - left) / (centre - left)
        down = (right - fft_mel) / (right - centre)
        inside = (fft_mel > left) & (fft_mel < right)
        w[b] = np.where(inside, np.where(fft_mel <= centre, up, down), 0.0)
    return w, centres


def equal_loudness(f):
    fsq = f * f
    fsub = fsq / (fsq + 1.6e5)
    return fsub * fsub * (fsq + 1.44e6) / (fsq + 9.61e6)


def durbin(r, order):
    """Levinson-Durbin in Kaldi's sign convention; returns (lpc, residual)."""
    a = np.zeros(order)
    e = r[0]
    for i in range(order):
        k = (r[i + 1] + np.dot(a[:i], r[i:0:-1])) / e
        e *= max(1.0 - k * k, 1e-5)
        a[:i] = a[:i] - k * a[:i][::-1]
        a[i] = -k
    return a, e


def lpc_to_cepstrum(a):
    c = np.zeros(len(a))
    for n in range(1, len(a) + 1):
        s = sum((n - k) * a[k - 1] * c[n - k - 1] for k in range(1, n))
        c[n - 1] = -a[n - 1] - s / n
    return c


def plp(x, o):
    rate = o["sample-frequency"]
    size = int(rate * 0.001 * o["frame-length"])
    shift = int(rate * 0.001 * o["frame-shift"])
    n_fft = 1 << (size - 1).bit_length() if o["round-to-power-of-two"] else size
    nb, order, nc = o["num-mel-bins"], o["lpc-order"], o["num-ceps"]
    i = np.arange(size)
    if o["window-type"] == "povey":
        window = (0.5 - 0.5 * np.cos(2 * np.pi * i / (size - 1))) ** 0.85
    elif o["window-type"] == "hamming":
        window = 0.54 - 0.46 * np.cos(2 * np.pi * i / (size - 1))
    else:
        raise ValueError(o["window-type"])
    w, centres = mel_banks(o, rate, n_fft)
    weights = equal_loudness(centres)
    d = nb + 2
    lags = np.arange(order + 1)[:, None]
    bases = np.cos(np.pi * lags * np.arange(d)[None, :] / (d - 1)) / (d - 1)
    bases[:, 0] /= 2
    bases[:, -1] /= 2
    q = o["cepstral-lifter"]
    lifter = 1 + 0.5 * q * np.sin(np.pi * np.arange(nc) / q) if q != 0 else np.ones(nc)
    frames = []
    for t in range(1 + (len(x) - size) // shift if len(x) >= size else 0):
        f = x[t * shift:t * shift + size].astype(np.float64)
        if o["remove-dc-offset"]:
            f = f - f.mean()
        energy = np.log(max(np.dot(f, f), FLT_MIN))
        p = o["preemphasis-coefficient"]
        f = f - p * np.concatenate([[f[0]], f[:-1]])
        f = f * window
        if not o["raw-energy"]:
            energy = np.log(max(np.dot(f, f), FLT_MIN))
        power = np.abs(np.fft.rfft(f, n_fft)) ** 2
        spectrum = (w @ power[:n_fft // 2] * weights) ** o["compress-factor"]
        spectrum = np.concatenate([spectrum[:1], spectrum, spectrum[-1:]])
        a, e = durbin(bases @ spectrum, order)
        ceps = np.concatenate([[max(np.log(e), FLT_MIN)], lpc_to_cepstrum(a)[:nc - 1]])
        ceps = ceps * lifter * o["cepstral-scale"]
        if o["use-energy"]:
            if o["energy-floor"] > 0:
                energy = max(energy, np.log(o["energy-floor"]))
            ceps[0] = energy
        if o["htk-compat"]:
            ceps = np.roll(ceps, -1)
        frames.append(ceps)
    return np.array(frames).reshape(-1, nc)


def read_wav(path):
    with wave.open(path) as w:
        data = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float32)
        return data.reshape(-1, w.getnchannels())[:, 0], w.getframerate()


def make_signals(shared):
    rng = np.random.default_rng(29)
    out = {}
    for rate in (8000, 16000):
        t = np.arange(int(0.5 * rate)) / rate
        voiced = 3000 * np.sin(2 * np.pi * (140 + 120 * t) * t) * (1.2 + np.sin(2 * np.pi * 3 * t))
        voiced += 400 * np.sin(2 * np.pi * 1700 * t) + 50 * rng.standard_normal(len(t))
        out[f"voiced_{rate}"] = (np.round(voiced).astype(np.float32), rate)
    out["quiet_16000"] = (np.round(3 * rng.standard_normal(6000)).astype(np.float32), 16000)
    # So faint that the log LPC residual is negative: C0 is floored at FLT_MIN.
    out["faint_16000"] = (0.003 * out["quiet_16000"][0], 16000)
    path = os.path.join(shared, "data", "fsdd", "recordings", "3_jackson_9.wav")
    if os.path.exists(path):
        out["fsdd3_8000"] = read_wav(path)
    return out


def cases(signals):
    v8, v16 = "voiced_8000", "voiced_16000"
    out = [
        (v16, {}),
        (v8, {"sample-frequency": 8000.0, "num-mel-bins": 15, "lpc-order": 10, "num-ceps": 11}),
        (v16, {"use-energy": False}),
        (v16, {"htk-compat": True}),
        (v16, {"htk-compat": True, "use-energy": False}),
        (v16, {"cepstral-lifter": 0.0, "cepstral-scale": 2.5, "compress-factor": 0.5}),
        (v16, {"lpc-order": 16, "num-ceps": 17, "num-mel-bins": 30, "cepstral-lifter": 10.0}),
        (v16, {"num-ceps": 5}),
        (v16, {"window-type": "hamming", "preemphasis-coefficient": 0.0,
               "remove-dc-offset": False, "low-freq": 100.0, "high-freq": -400.0}),
        (v16, {"round-to-power-of-two": False, "frame-length": 20.0, "frame-shift": 7.5}),
        (v16, {"vtln-warp": 0.9}),
        (v16, {"vtln-warp": 1.15, "use-energy": False}),
        ("quiet_16000", {"raw-energy": False, "energy-floor": 1.0}),
        ("quiet_16000", {"use-energy": False}),
        ("faint_16000", {"use-energy": False}),
    ]
    if "fsdd3_8000" in signals:
        out.append(("fsdd3_8000", {"sample-frequency": 8000.0}))
        out.append(("fsdd3_8000", {"sample-frequency": 8000.0, "use-energy": False,
                                   "num-mel-bins": 20}))
    return out


def flag_text(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--shared", required=True)
    args = ap.parse_args()
    out = os.path.join(args.out, "plp")
    os.makedirs(os.path.join(out, "signals"), exist_ok=True)
    signals = make_signals(args.shared)
    for name, (x, _) in signals.items():
        np.save(os.path.join(out, "signals", name + ".npy"), x)
    manifest = []
    for i, (signal, opts) in enumerate(cases(signals)):
        o = dict(DEFAULTS, **opts)
        feats = plp(signals[signal][0], o)
        assert feats.shape[0] > 10 and np.all(np.isfinite(feats)), (signal, opts)
        name = f"case{i:02d}"
        np.save(os.path.join(out, name + ".npy"), feats)
        manifest.append({"name": name, "signal": signal, "rate": signals[signal][1],
                         "options": {k: flag_text(v) for k, v in opts.items()}})
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    print(f"wrote {len(manifest)} PLP cases to {out}")


if __name__ == "__main__":
    main()
