#!/usr/bin/python3
"""Reference features for tests/dsp/feature_parity_test.cc.

Kaldi-compatible cases: torchaudio.compliance.kaldi.{mfcc,fbank,spectrogram}
in float64 (the reference), on the identical input samples, for a grid of
option sets over 8, 16, 22.05, 44.1 and 48 kHz: every window type,
snip-edges on/off, mel-bin and cepstra counts, energy / raw-energy /
htk-compat / energy-floor, low/high frequencies (negative high-freq too),
no pre-emphasis, no DC removal, no power-of-two rounding, frame sizes.

librosa-preset cases: torchaudio.transforms.MelSpectrogram / MFCC with
n_fft = win_length = frame length, hop = frame shift, periodic Hann,
center=False, power=2, norm=None, mel_scale="htk", f_min=0, f_max=Nyquist,
40 mels, log(mel + 1e-6) (MFCC: log_mels=True, dct ortho, 13 ceps), float64
via module.double() and float32.

Signals (float32 in int16 scale, saved so C++ reads the same samples):
FSDD recordings (8 kHz) resampled with torchaudio to every rate, espeak-ng
(22.05 kHz) and flite (8 kHz) speech, Gaussian noise with a DC offset,
digital silence, and a signal just over one frame long.

torchaudio's own float32 error, <case>_f32err.npy: one float32 run is one draw
of rounding noise, too noisy to scale a tolerance by (in a near-empty band one
element can land 10x under the typical error). So the script measures the
error |f32 - f64| of torchaudio on the input scaled by 1, 1.001, 1.002 and
1.003 (same signal, new rounding pattern; f64 and f32 recomputed for each) and
stores the element-wise maximum over these four draws.

Output in <out>/features/: signals/<name>.npy, <case>_f64.npy,
<case>_f32err.npy and manifest.json: [{name, type, signal, rate, preset, options, linear}],
options keyed by auris/Kaldi flag names (values as strings).
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import wave

import numpy as np
import torch
import torchaudio
import torchaudio.compliance.kaldi as kaldi

RATES = [8000, 16000, 22050, 44100, 48000]
F32_ERROR_SCALES = [1.0, 1.001, 1.002, 1.003]

KALDI_DEFAULTS = {
    "sample-frequency": 16000, "frame-length": 25.0, "frame-shift": 10.0, "dither": 0.0,
    "preemphasis-coefficient": 0.97, "remove-dc-offset": True, "window-type": "povey",
    "blackman-coeff": 0.42, "round-to-power-of-two": True, "snip-edges": True,
    "num-mel-bins": 23, "low-freq": 20.0, "high-freq": 0.0, "num-ceps": 13,
    "energy-floor": 0.0, "raw-energy": True, "cepstral-lifter": 22.0, "htk-compat": False,
    "use-log-fbank": True, "use-power": True,
}
TYPE_DEFAULTS = {"mfcc": {"use-energy": True}, "fbank": {"use-energy": False}, "spectrogram": {}}
FRAME_KEYS = ["sample-frequency", "frame-length", "frame-shift", "dither",
              "preemphasis-coefficient", "remove-dc-offset", "window-type", "blackman-coeff",
              "round-to-power-of-two", "snip-edges"]
TYPE_KEYS = {
    "mfcc": FRAME_KEYS + ["num-mel-bins", "low-freq", "high-freq", "num-ceps", "use-energy",
                          "energy-floor", "raw-energy", "cepstral-lifter", "htk-compat"],
    "fbank": FRAME_KEYS + ["num-mel-bins", "low-freq", "high-freq", "use-energy",
                           "energy-floor", "raw-energy", "htk-compat", "use-log-fbank",
                           "use-power"],
    "spectrogram": FRAME_KEYS + ["energy-floor", "raw-energy"],
}


def read_wav(path):
    with wave.open(path) as w:
        assert w.getsampwidth() == 2, path
        data = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float32)
        data = data.reshape(-1, w.getnchannels())[:, 0]
        return data, w.getframerate()


def resample(x, rate_in, rate_out):
    if rate_in == rate_out:
        return x.astype(np.float32)
    y = torchaudio.functional.resample(torch.from_numpy(x.astype(np.float64)), rate_in, rate_out)
    return y.numpy().astype(np.float32)


def tts(cmd, text):
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "s.wav")
        if cmd == "espeak-ng":
            args = ["espeak-ng", "-w", path, text]
        else:
            args = ["flite", "-t", text, "-o", path]
        if shutil.which(args[0]) is None:
            return None
        subprocess.run(args, check=True, capture_output=True)
        return read_wav(path)


def lossy(x, rate, quality):
    """x (int16 scale) through an Ogg Vorbis round trip at `quality` (sox -C):
    float samples off the int16 grid, with the empty bands above the codec's
    low-pass where float32 rounding shows in the log domain."""
    if shutil.which("sox") is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        raw, ogg, out = (os.path.join(tmp, n) for n in ("x.f32", "x.ogg", "y.f32"))
        (x / 32768.0).astype("<f4").tofile(raw)
        fmt = ["-t", "f32", "-r", str(rate), "-c", "1"]
        # -D: no dither (sox dithers with fresh random numbers each run otherwise)
        subprocess.run(["sox", "-D", *fmt, raw, "-C", str(quality), ogg], check=True, capture_output=True)
        subprocess.run(["sox", "-D", ogg, "-t", "f32", out], check=True, capture_output=True)
        return (np.fromfile(out, dtype="<f4") * 32768.0).astype(np.float32)


def make_signals(shared):
    """name -> (samples float32, rate)."""
    rng = np.random.default_rng(1234)
    fsdd_dir = os.path.join(shared, "data", "fsdd", "recordings")
    speech = []  # (name, samples, rate)
    for f in ["0_george_0.wav", "3_jackson_9.wav"]:
        p = os.path.join(fsdd_dir, f)
        if os.path.exists(p):
            speech.append(("fsdd" + f[0], *read_wav(p)))
    for cmd, text in [("espeak-ng", "seven three"), ("flite", "four five")]:
        r = tts(cmd, text)
        if r is not None:
            speech.append((cmd.split("-")[0], *r))
    if not speech:  # no corpus and no TTS: a voiced-like synthetic signal
        t = np.arange(16000) / 16000.0
        x = 3000 * np.sin(2 * np.pi * (150 + 100 * t) * t) * (1 + np.sin(2 * np.pi * 3 * t))
        speech.append(("synth", x.astype(np.float32), 16000))
    signals = {}
    for rate in RATES:
        for i, (name, x, r) in enumerate(speech):
            y = resample(x[: int(1.2 * r)], r, rate)
            signals[f"{name}_{rate}"] = (y, rate)
        noise = rng.normal(0.0, 2000.0, int(0.4 * rate)) + 150.0
        signals[f"noise_{rate}"] = (noise.astype(np.float32), rate)
        signals[f"silence_{rate}"] = (np.zeros(int(0.25 * rate), np.float32), rate)
    first = speech[0][0]
    # Lossy formats: Ogg Vorbis at its lowest and a middle quality.
    for rate, quality in [(16000, -1), (44100, 3), (48000, -1)]:
        y = lossy(signals[f"{first}_{rate}"][0], rate, quality)
        if y is not None:
            signals[f"ogg_{rate}"] = (y, rate)
    # Just over one 25 ms frame: snip_edges=false reflects at both ends.
    x, r = signals[f"{first}_16000"]
    signals["short_16000"] = (x[2000:2000 + 430].copy(), 16000)
    return signals, first, [s[0] for s in speech]


def cases(speech, speech_names):
    """(type, signal, overrides) for the Kaldi grid."""
    out = []
    alt = speech_names[1 % len(speech_names)]
    for i, rate in enumerate(RATES):
        for t in ["mfcc", "fbank", "spectrogram"]:
            out.append((t, f"{speech}_{rate}", {}))
        out.append((["mfcc", "fbank", "spectrogram"][i % 3], f"{alt}_{rate}", {}))
        out.append((["fbank", "spectrogram", "mfcc"][i % 3], f"noise_{rate}", {}))
    for i, w in enumerate(["hamming", "hanning", "rectangular", "blackman"]):
        rate = RATES[i % 5]
        out.append(("mfcc", f"{speech}_{rate}", {"window-type": w}))
        out.append(("fbank", f"{alt}_{RATES[(i + 2) % 5]}", {"window-type": w}))
    out.append(("spectrogram", f"{speech}_16000", {"window-type": "blackman", "blackman-coeff": 0.5}))
    for t in ["mfcc", "fbank", "spectrogram"]:
        out.append((t, f"{speech}_16000", {"snip-edges": False}))
        out.append((t, f"noise_44100", {"snip-edges": False}))
        out.append((t, f"silence_8000", {"snip-edges": False}))
        out.append((t, "short_16000", {"snip-edges": False}))
        out.append((t, "short_16000", {}))
    out.append(("mfcc", f"{alt}_22050", {"snip-edges": False, "window-type": "hamming"}))
    # Lossy formats (signals ogg_*, when sox is there): near-empty bands.
    for rate in [16000, 44100, 48000]:
        for t in ["mfcc", "fbank", "spectrogram"]:
            out.append((t, f"ogg_{rate}", {}))
        out.append(("spectrogram", f"ogg_{rate}",
                    {"window-type": "hamming", "snip-edges": False, "round-to-power-of-two": False}))
        out.append(("fbank", f"ogg_{rate}", {"num-mel-bins": 80, "high-freq": 0.0, "low-freq": 0.0}))
    for n in [15, 40, 80]:
        out.append(("fbank", f"{speech}_16000", {"num-mel-bins": n}))
    out += [
        ("mfcc", f"{speech}_48000", {"num-mel-bins": 40, "num-ceps": 40}),
        ("mfcc", f"{speech}_22050", {"num-ceps": 20}),
        ("mfcc", f"{alt}_8000", {"num-mel-bins": 15, "num-ceps": 15, "cepstral-lifter": 0.0}),
        ("mfcc", f"{speech}_16000", {"use-energy": False}),
        ("mfcc", f"{speech}_22050", {"raw-energy": False}),
        ("mfcc", f"{speech}_16000", {"htk-compat": True}),
        ("mfcc", f"{speech}_44100", {"htk-compat": True, "use-energy": False}),
        ("fbank", f"{speech}_8000", {"use-energy": True}),
        ("fbank", f"{speech}_48000", {"use-energy": True, "htk-compat": True, "raw-energy": False}),
        ("spectrogram", f"{speech}_16000", {"raw-energy": False}),
        ("mfcc", "silence_16000", {"energy-floor": 1.0}),
        ("fbank", "silence_22050", {"energy-floor": 1.0, "use-energy": True}),
        ("spectrogram", "silence_48000", {"energy-floor": 1.0}),
        ("mfcc", f"{speech}_16000", {"energy-floor": 5e7}),
        ("mfcc", f"{speech}_16000", {"low-freq": 100.0, "high-freq": -400.0}),
        ("fbank", f"{speech}_8000", {"low-freq": 300.0, "high-freq": 3400.0}),
        ("fbank", f"{alt}_44100", {"high-freq": -1000.0}),
        ("mfcc", f"{speech}_22050", {"low-freq": 0.0, "high-freq": 7000.0}),
        ("mfcc", f"{speech}_16000", {"preemphasis-coefficient": 0.0}),
        ("fbank", f"{speech}_48000", {"preemphasis-coefficient": 0.0}),
        ("mfcc", "noise_16000", {"remove-dc-offset": False}),
        ("spectrogram", "noise_8000", {"remove-dc-offset": False}),
        ("mfcc", f"{speech}_16000", {"round-to-power-of-two": False}),
        ("fbank", f"{alt}_44100", {"round-to-power-of-two": False}),
        ("spectrogram", "noise_48000", {"round-to-power-of-two": False}),
        ("mfcc", f"{speech}_16000", {"frame-length": 20.0, "frame-shift": 5.0}),
        ("fbank", f"{speech}_22050", {"frame-length": 30.0, "frame-shift": 15.0, "snip-edges": False}),
        ("fbank", f"{speech}_16000", {"use-power": False}),
        ("fbank", f"{speech}_16000", {"use-log-fbank": False}),
        ("fbank", f"{alt}_8000", {"use-log-fbank": False, "use-power": False}),
    ]
    return out


def kaldi_features(t, x, opts, dtype):
    kw = {k.replace("-", "_"): v for k, v in opts.items()}
    # x is float32 (or float64 after scaling); the float32 run sees it rounded.
    wav = torch.from_numpy(np.asarray(x, np.float64)).to(dtype).unsqueeze(0)
    fn = {"mfcc": kaldi.mfcc, "fbank": kaldi.fbank, "spectrogram": kaldi.spectrogram}[t]
    return fn(wav, **kw).to(torch.float64).numpy()


def librosa_features(t, x, rate, dtype):
    n_fft = int(rate * 0.001 * 25.0)
    hop = int(rate * 0.001 * 10.0)
    mel_kwargs = dict(n_fft=n_fft, win_length=n_fft, hop_length=hop, f_min=0.0,
                      f_max=rate / 2.0, n_mels=40, window_fn=torch.hann_window, power=2.0,
                      center=False, norm=None, mel_scale="htk")
    if t == "fbank":
        module = torchaudio.transforms.MelSpectrogram(sample_rate=rate, **mel_kwargs)
    else:
        module = torchaudio.transforms.MFCC(sample_rate=rate, n_mfcc=13, dct_type=2,
                                            norm="ortho", log_mels=True, melkwargs=mel_kwargs)
    module = module.to(dtype)
    wav = torch.from_numpy(np.asarray(x, np.float64)).to(dtype)
    y = module(wav)
    if t == "fbank":
        y = torch.log(y + 1e-6)
    return y.T.to(torch.float64).numpy()


def save_with_f32_error(out, name, compute):
    """compute(scale, dtype) -> features of the input scaled by `scale`."""
    np.save(os.path.join(out, f"{name}_f64.npy"), compute(1.0, torch.float64))
    err = None
    for scale in F32_ERROR_SCALES:
        e = np.abs(compute(scale, torch.float32) - compute(scale, torch.float64))
        err = e if err is None else np.maximum(err, e)
    np.save(os.path.join(out, f"{name}_f32err.npy"), err)


def fmt(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    return repr(v) if isinstance(v, float) else str(v)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--shared", required=True)
    args = ap.parse_args()
    torch.manual_seed(0)
    out = os.path.join(args.out, "features")
    os.makedirs(os.path.join(out, "signals"), exist_ok=True)

    signals, speech, speech_names = make_signals(args.shared)
    for name, (x, rate) in signals.items():
        np.save(os.path.join(out, "signals", name + ".npy"), x)

    manifest = []
    for i, (t, sig, over) in enumerate(cases(speech, speech_names)):
        if sig not in signals:  # ogg_* without sox
            continue
        x, rate = signals[sig]
        opts = dict(KALDI_DEFAULTS, **TYPE_DEFAULTS[t])
        opts["sample-frequency"] = rate
        opts.update(over)
        opts = {k: opts[k] for k in TYPE_KEYS[t]}
        name = f"k{i:03d}_{t}_{sig}"
        save_with_f32_error(out, name, lambda s, dtype: kaldi_features(t, x * s, opts, dtype))
        manifest.append({"name": name, "type": t, "signal": sig, "rate": rate, "preset": "",
                         "options": {k: fmt(v) for k, v in opts.items()},
                         "linear": t == "fbank" and not opts["use-log-fbank"]})
    lib_cases = [("fbank", f"{speech}_16000"), ("mfcc", f"{speech}_16000"),
                 ("fbank", f"{speech_names[-1]}_44100"), ("mfcc", f"{speech_names[-1]}_48000")]
    for i, (t, sig) in enumerate(lib_cases):
        x, rate = signals[sig]
        name = f"l{i:03d}_{t}_{sig}"
        save_with_f32_error(out, name, lambda s, dtype: librosa_features(t, x * s, rate, dtype))
        manifest.append({"name": name, "type": t, "signal": sig, "rate": rate,
                         "preset": "librosa", "options": {"sample-frequency": str(rate)},
                         "linear": False})
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    print(f"make_features: {len(manifest)} cases, {len(signals)} signals -> {out}")


if __name__ == "__main__":
    sys.exit(main())
