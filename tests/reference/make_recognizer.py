#!/usr/bin/python3
"""Reference for the whole inference chain of pipeline::Recognizer
(tests/pipeline/recognizer_test.cc): WAV file -> Kaldi fbank -> per-utterance
mean normalisation -> LSTM -> attention pooling -> Linear -> softmax, all
computed independently here with torchaudio.compliance.kaldi and torch
modules (in float64), and the model written by the pure-Python safetensors
writer with auris metadata.

Outputs in --out:
  recognizer_model.safetensors  LSTM(23,16) -> attention_pool -> Linear(16,4), labels a..d,
                                task classify, features: fbank 8 kHz, 23 bins, dither 0,
                                no deltas, utterance CMVN (means only)
  recognizer_mono8k.wav         ~1 s speech-like signal, 8 kHz, 16-bit mono
  recognizer_stereo8k.wav       the same samples in both channels of a stereo file
  recognizer_mono16k.wav        the same analytic signal rendered at 16 kHz
  recognizer_features.npy       (frames, 23) float64: the normalised features of the 8 kHz file
  recognizer_probs.npy          (4,) float64: torch's softmax probabilities for the 8 kHz file
"""
import argparse
import json
import math
import os
import sys
import wave

import numpy as np
import torch
import torchaudio.compliance.kaldi as kaldi

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_model_file import H, Pool  # noqa: E402  (attention pooling as nn::Model computes it)
from make_safetensors import write_safetensors  # noqa: E402

RATE, BINS, CLASSES, SECONDS = 8000, 23, 4, 1.0
ARCH = {"input_dim": BINS, "layers": [
    {"type": "lstm", "hidden": H},
    {"type": "attention_pool", "queries": 1},
    {"type": "linear", "out": CLASSES}]}
FEATURES = {"features": {"type": "fbank", "sample-frequency": RATE, "num-mel-bins": BINS, "dither": 0},
            "deltas": None, "cmvn": {"mode": "utterance", "norm_vars": False}}


def speech_like(rate, seed):
    """A vowel-like signal: a gliding pitch with 10 harmonics (all below 2.2 kHz, so the
    same analytic signal is representable at 8 and 16 kHz), two syllable envelopes, plus
    small white noise; int16."""
    t = np.arange(int(SECONDS * rate)) / rate
    f0 = 140 + 40 * np.sin(2 * np.pi * 1.5 * t)
    phase = 2 * np.pi * np.cumsum(f0) / rate
    x = sum(np.sin(h * phase) * (0.8 ** h) * (1.5 if h in (3, 4) else 1.0) for h in range(1, 11))
    env = np.exp(-((t - 0.3) / 0.12) ** 2) + 0.7 * np.exp(-((t - 0.7) / 0.1) ** 2) + 0.02
    noise = np.random.default_rng(seed).standard_normal(t.size) * 30
    return np.round(np.clip(6000 * env * x + noise, -32768, 32767)).astype(np.int16)


def write_wav(path, samples, rate, channels):
    data = np.repeat(samples[:, None], channels, axis=1) if channels > 1 else samples
    with wave.open(path, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(data.astype("<i2").tobytes())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--shared", default="")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    torch.manual_seed(11)

    x8 = speech_like(RATE, 1)
    write_wav(os.path.join(args.out, "recognizer_mono8k.wav"), x8, RATE, 1)
    write_wav(os.path.join(args.out, "recognizer_stereo8k.wav"), x8, RATE, 2)
    write_wav(os.path.join(args.out, "recognizer_mono16k.wav"), speech_like(2 * RATE, 2), 2 * RATE, 1)

    wav = torch.from_numpy(x8.astype(np.float64))[None, :]  # int16 scale, as Kaldi
    feats = kaldi.fbank(wav, num_mel_bins=BINS, sample_frequency=RATE, dither=0.0)
    feats = feats - feats.mean(dim=0, keepdim=True)

    lstm, pool, linear = torch.nn.LSTM(BINS, H), Pool(), torch.nn.Linear(H, CLASSES)
    with torch.no_grad():
        linear.weight.mul_(4.0)  # a confident prediction, so the 16 kHz check has a margin
    layers = torch.nn.ModuleList([lstm, pool, linear])
    with torch.no_grad():
        y, _ = layers.double()[0](feats[:, None, :])  # T, 1, H
        logits = layers[2](layers[1](y, torch.tensor([feats.shape[0]])))
        probs = torch.softmax(logits[0], dim=0).numpy()
    top = np.sort(probs)[::-1]
    assert top[0] - top[1] > 0.15, f"prediction too close to a tie for the 16 kHz check: {probs}"

    tensors = []
    for name, p in layers.state_dict().items():
        arr = p.detach().numpy().astype("<f4")
        tensors.append(("layers." + name, "F32", arr.tobytes(), arr.shape))
    meta = {"format": "auris-model-1", "architecture": json.dumps(ARCH),
            "labels": json.dumps(["a", "b", "c", "d"]), "task": "classify",
            "features": json.dumps(FEATURES)}
    write_safetensors(os.path.join(args.out, "recognizer_model.safetensors"), tensors, meta, pad=True)
    np.save(os.path.join(args.out, "recognizer_features.npy"), feats.numpy())
    np.save(os.path.join(args.out, "recognizer_probs.npy"), probs.astype(np.float64))


if __name__ == "__main__":
    main()
