"""Training-epoch benchmark: `auris train` vs the same model in PyTorch, one run.

    OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 bench/run_train_bench.py \
        build/release/apps/auris/auris --shared ../shared

The shipped digit classifier's architecture (recipes/fsdd-digits/options.sh):
40 log-mel bins, 2-layer LSTM of 128, dropout, attention pooling, linear to
10 classes; batches of 32, AdamW, gradient clipping; 2 threads each, on the
FSDD training split (2,700 files).
- auris: a whole epoch of `auris train` WITH the recipe's augmentation
  (speed perturbation by resampling, VTLP, noise, SpecAugment) and feature
  extraction — read from its training log (second epoch).
- PyTorch: one epoch over features computed beforehand (torchaudio Kaldi
  fbank, not timed), no augmentation — PyTorch is favoured.
Install Debian's libopenblas0-openmp (scripts/install-deps.sh --dev) first so
torch does not run on the reference BLAS.
"""
import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time

import torch
import torchaudio

HERE = os.path.dirname(os.path.abspath(__file__))
D, H, CLASSES, BATCH = 40, 128, 10, 32
WORDS = "zero one two three four five six seven eight nine".split()


class Pool(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.query = torch.nn.Parameter(torch.randn(H) * 0.1)

    def forward(self, y, lengths):  # y: T, B, H
        pad = torch.arange(y.shape[0])[:, None] >= lengths[None, :]
        s = (y @ self.query / math.sqrt(H)).masked_fill(pad, float("-inf"))
        return (torch.softmax(s, 0)[:, :, None] * y).sum(0)


class Classifier(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = torch.nn.LSTM(D, H, 2, dropout=0.1)
        self.drop = torch.nn.Dropout(0.1)
        self.pool = Pool()
        self.head = torch.nn.Linear(H, CLASSES)

    def forward(self, x, lengths):
        packed = torch.nn.utils.rnn.pack_padded_sequence(x, lengths, enforce_sorted=False)
        y, _ = self.lstm(packed)
        y, _ = torch.nn.utils.rnn.pad_packed_sequence(y, total_length=x.shape[0])
        return self.head(self.pool(self.drop(y), lengths))


def train_list(shared, path):
    rec = os.path.join(shared, "data", "fsdd", "recordings")
    if not os.path.isdir(rec):
        sys.exit(f"FSDD not found at {rec}")
    files = sorted(f for f in os.listdir(rec) if f.endswith(".wav") and int(f[:-4].split("_")[2]) >= 5)
    with open(path, "w") as out:
        for f in files:
            out.write(f"{rec}/{f} {WORDS[int(f[0])]}\n")
    return [(os.path.join(rec, f), int(f[0])) for f in files]


def recipe_options():
    opts = subprocess.run(["bash", "-c", f"source {HERE}/../recipes/fsdd-digits/options.sh; "
                           "printf '%s\\n' \"${FEATURE_OPTIONS[@]}\" \"${MODEL_OPTIONS[@]}\" "
                           "\"${AUGMENT_OPTIONS[@]}\""], check=True, capture_output=True, text=True)
    return opts.stdout.split("\n")[:-1]


def auris_epoch(binary, list_path, tmp):
    model = os.path.join(tmp, "bench.safetensors")
    subprocess.run([binary, "train", "--train", f"list:{list_path}", "--out", model, "--epochs", "2",
                    "--threads", "2", "-q", *recipe_options()], check=True, capture_output=True)
    log = [json.loads(line) for line in open(os.path.join(tmp, "bench.log.jsonl"))]
    return log[1]["elapsed_s"] - log[0]["elapsed_s"], log[1]["frames_per_s"]


def torch_epoch(files):
    feats, labels = [], []
    for path, label in files:
        wav, sr = torchaudio.load(path)
        f = torchaudio.compliance.kaldi.fbank(wav * 32768, num_mel_bins=D, sample_frequency=sr, dither=0.0)
        feats.append(f - f.mean(0))
        labels.append(label)
    order = sorted(range(len(feats)), key=lambda i: feats[i].shape[0])
    batches = [order[i:i + BATCH] for i in range(0, len(order), BATCH)]
    torch.manual_seed(0)
    model = Classifier()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3)
    frames = sum(f.shape[0] for f in feats)
    start = time.perf_counter()
    for b in batches:
        x = torch.nn.utils.rnn.pad_sequence([feats[i] for i in b])
        lengths = torch.tensor([feats[i].shape[0] for i in b])
        loss = torch.nn.functional.cross_entropy(model(x, lengths), torch.tensor([labels[i] for i in b]),
                                                 label_smoothing=0.1)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        opt.step()
    seconds = time.perf_counter() - start
    return seconds, frames / seconds


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("auris")
    ap.add_argument("--shared", default=os.path.join(HERE, "..", "..", "shared"))
    args = ap.parse_args()
    torch.set_num_threads(2)
    with tempfile.TemporaryDirectory() as tmp:
        list_path = os.path.join(tmp, "train.list")
        files = train_list(args.shared, list_path)
        a_s, a_fps = auris_epoch(args.auris, list_path, tmp)
        t_s, t_fps = torch_epoch(files)
    blas = os.path.realpath("/usr/lib/x86_64-linux-gnu/libblas.so.3")  # Debian's BLAS alternative
    print(f"epoch, 2,700 FSDD files, 2 threads (torch {torch.__version__}, system BLAS {blas})")
    print(f"  auris (features + augmentation + training): {a_s:7.2f} s  {a_fps:9.0f} frames/s")
    print(f"  PyTorch (training on precomputed features): {t_s:7.2f} s  {t_fps:9.0f} frames/s")
    print(f"  auris is {t_s / a_s:.2f}x PyTorch's speed")


if __name__ == "__main__":
    main()
