#!/usr/bin/python3
"""Reference features with VTLN warping for tests/dsp/vtln_test.cc.

torchaudio.compliance.kaldi.{fbank,mfcc}(vtln_warp=..., vtln_low=...,
vtln_high=...) in float64 (the reference) for warps 0.85, 0.92, 1.1 and 1.2 on
an FSDD recording at its own 8 kHz and resampled to 16 kHz (a synthetic
voiced-like signal when FSDD is absent), plus non-default --vtln-low /
--vtln-high / --low-freq / --high-freq / --num-mel-bins.

Like make_features.py, torchaudio's own float32 error (<case>_f32err.npy) is the
element-wise maximum of |f32 - f64| over the input scaled by 1, 1.001, 1.002
and 1.003; the C++ test applies the same comparison rule (feature_compare.h).

Also vtln_warp_freq.json: torchaudio's vtln_warp_freq on a grid of
frequencies (float64), for the scalar VtlnWarpFreq.

Output in <out>/vtln/: signals/<name>.npy, <case>_f64.npy, <case>_f32err.npy,
manifest.json ([{name, type, signal, rate, options, linear}], options keyed by
Kaldi flag names, values as strings) and vtln_warp_freq.json.
"""
import argparse
import json
import os
import sys
import wave

import numpy as np
import torch
import torchaudio
import torchaudio.compliance.kaldi as kaldi

WARPS = [0.85, 0.92, 1.1, 1.2]
# Kaldi's defaults, passed explicitly: torchaudio's differ (energy_floor=1,
# mfcc use_energy=False).
KALDI_DEFAULTS = {
    "mfcc": {"num-mel-bins": 23, "low-freq": 20.0, "high-freq": 0.0, "num-ceps": 13,
             "use-energy": True, "energy-floor": 0.0, "raw-energy": True,
             "cepstral-lifter": 22.0, "htk-compat": False, "vtln-low": 100.0,
             "vtln-high": -500.0},
    "fbank": {"num-mel-bins": 23, "low-freq": 20.0, "high-freq": 0.0, "use-energy": False,
              "energy-floor": 0.0, "raw-energy": True, "htk-compat": False,
              "use-log-fbank": True, "use-power": True, "vtln-low": 100.0, "vtln-high": -500.0},
}
F32_ERROR_SCALES = [1.0, 1.001, 1.002, 1.003]


def read_wav(path):
    with wave.open(path) as w:
        assert w.getsampwidth() == 2, path
        data = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float32)
        return data.reshape(-1, w.getnchannels())[:, 0], w.getframerate()


def make_signals(shared):
    path = os.path.join(shared, "data", "fsdd", "recordings", "3_jackson_9.wav")
    if os.path.exists(path):
        x, rate = read_wav(path)
        name = "fsdd3"
    else:
        rate = 8000
        t = np.arange(int(0.6 * rate)) / rate
        x = 3000 * np.sin(2 * np.pi * (150 + 100 * t) * t) * (1 + np.sin(2 * np.pi * 3 * t))
        x = x.astype(np.float32)
        name = "synth"
    up = torchaudio.functional.resample(torch.from_numpy(x.astype(np.float64)), rate, 16000)
    return {f"{name}_8000": (x, 8000), f"{name}_16000": (up.numpy().astype(np.float32), 16000)}


def cases(signals):
    s8, s16 = sorted(signals, key=lambda n: signals[n][1])
    out = []
    for w in WARPS:
        out.append(("fbank", s16, {"vtln-warp": w}))
        out.append(("mfcc", s16, {"vtln-warp": w}))
        out.append(("fbank", s8, {"vtln-warp": w}))
    out += [
        ("mfcc", s8, {"vtln-warp": 0.92}),
        ("fbank", s16, {"vtln-warp": 0.85, "vtln-low": 300.0, "vtln-high": -1000.0}),
        ("fbank", s16, {"vtln-warp": 1.2, "vtln-low": 200.0, "vtln-high": 6000.0}),
        ("mfcc", s16, {"vtln-warp": 1.1, "low-freq": 60.0, "high-freq": 7600.0,
                       "num-mel-bins": 40, "num-ceps": 20}),
        ("fbank", s8, {"vtln-warp": 0.92, "num-mel-bins": 15, "use-energy": True}),
    ]
    return out


def features(t, x, rate, opts, dtype):
    kw = {k.replace("-", "_"): v for k, v in opts.items()}
    wav = torch.from_numpy(np.asarray(x, np.float64)).to(dtype).unsqueeze(0)
    fn = {"mfcc": kaldi.mfcc, "fbank": kaldi.fbank}[t]
    return fn(wav, sample_frequency=float(rate), dither=0.0, **kw).to(torch.float64).numpy()


def fmt(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    return repr(v) if isinstance(v, float) else str(v)


def warp_freq_grid():
    out = []
    for low, high, vlow, vhigh in [(20.0, 8000.0, 100.0, 7500.0), (60.0, 3800.0, 300.0, 3000.0)]:
        freqs = np.concatenate([np.linspace(0.0, high + 200.0, 97), [low, vlow, vhigh, high]])
        for w in WARPS + [1.0]:
            res = kaldi.vtln_warp_freq(vlow, vhigh, low, high, w,
                                       torch.from_numpy(freqs.astype(np.float64)))
            out.append({"low": low, "high": high, "vtln_low": vlow, "vtln_high": vhigh,
                        "warp": w, "freq": freqs.tolist(), "warped": res.tolist()})
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--shared", required=True)
    args = ap.parse_args()
    torch.manual_seed(0)
    out = os.path.join(args.out, "vtln")
    os.makedirs(os.path.join(out, "signals"), exist_ok=True)
    signals = make_signals(args.shared)
    for name, (x, _) in signals.items():
        np.save(os.path.join(out, "signals", name + ".npy"), x)
    manifest = []
    for i, (t, sig, over) in enumerate(cases(signals)):
        x, rate = signals[sig]
        opts = dict(KALDI_DEFAULTS[t], **over)
        name = f"v{i:03d}_{t}_{sig}"
        np.save(os.path.join(out, f"{name}_f64.npy"), features(t, x, rate, opts, torch.float64))
        err = None
        for s in F32_ERROR_SCALES:
            e = np.abs(features(t, x * s, rate, opts, torch.float32) -
                       features(t, x * s, rate, opts, torch.float64))
            err = e if err is None else np.maximum(err, e)
        np.save(os.path.join(out, f"{name}_f32err.npy"), err)
        options = {k: fmt(v) for k, v in opts.items()}
        options["sample-frequency"] = str(rate)
        manifest.append({"name": name, "type": t, "signal": sig, "rate": rate,
                         "options": options, "linear": False})
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    with open(os.path.join(out, "vtln_warp_freq.json"), "w") as f:
        json.dump(warp_freq_grid(), f)
    print(f"make_vtln: {len(manifest)} cases -> {out}")


if __name__ == "__main__":
    sys.exit(main())
