"""nn benchmark, auris vs PyTorch measured side by side in one run.

    OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 bench/run_nn_bench.py build/release/bench/nn_bench

Model (issue #3 reference classifier): 40-dim input, 2-layer LSTM of 128,
4-head causal self-attention of width 128 with a 100-frame window, attention
pooling, 10 classes.
- streaming: one 10 ms frame step, 1 thread. PyTorch runs the same step-wise
  computation (LSTM with carried state, attention over a cached key/value
  window, online-softmax pooling, output layer) under torch.no_grad().
- training: forward + backward + AdamW on a batch of 32 sequences of 50–100
  frames, 2 threads, frames per second.
Install Debian's libopenblas0-openmp first (scripts/install-deps.sh --dev
does) so torch runs on OpenBLAS, not the reference BLAS.
"""
import math
import os
import subprocess
import sys
import time

import torch

E, HEADS, WINDOW, D, CLASSES = 128, 4, 100, 40, 10


def auris(binary, *args):
    out = subprocess.run([binary, *args], check=True, capture_output=True, text=True).stdout
    return {k: float(v) for k, v in (line.split() for line in out.splitlines())}


class Classifier(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = torch.nn.LSTM(D, E, 2)
        self.attn = torch.nn.MultiheadAttention(E, HEADS)
        self.query = torch.nn.Parameter(torch.randn(E) * 0.1)
        self.head = torch.nn.Linear(E, CLASSES)

    def forward(self, x, lengths):  # x: T, B, D
        T = x.shape[0]
        packed = torch.nn.utils.rnn.pack_padded_sequence(x, lengths, enforce_sorted=False)
        y, _ = self.lstm(packed)
        y, _ = torch.nn.utils.rnn.pad_packed_sequence(y, total_length=T)
        i = torch.arange(T)
        mask = (i[None, :] > i[:, None]) | (i[None, :] < i[:, None] - WINDOW + 1)
        pad = i[:, None] >= lengths[None, :]
        y, _ = self.attn(y, y, y, attn_mask=mask, key_padding_mask=pad.T, need_weights=False)
        s = (y @ self.query / math.sqrt(E)).masked_fill(pad, float("-inf"))
        pooled = (torch.softmax(s, 0)[:, :, None] * y).sum(0)
        return self.head(pooled)


def torch_step_us(model, frames):
    torch.set_num_threads(1)
    x = torch.randn(frames, D)
    h = torch.zeros(2, 1, E)
    c = torch.zeros(2, 1, E)
    K = torch.zeros(WINDOW, E)
    V = torch.zeros(WINDOW, E)
    w_in, b_in = model.attn.in_proj_weight, model.attn.in_proj_bias
    w_out, b_out = model.attn.out_proj.weight, model.attn.out_proj.bias
    d = E // HEADS
    run_max, run_sum, run_acc = torch.tensor(-math.inf), torch.tensor(0.0), torch.zeros(E)
    with torch.no_grad():
        def step(t, state):
            h, c, run_max, run_sum, run_acc = state
            y, (h, c) = model.lstm(x[t].view(1, 1, D), (h, c))
            q, k, v = torch.nn.functional.linear(y.view(E), w_in, b_in).chunk(3)
            K[t % WINDOW] = k
            V[t % WINDOW] = v
            n = min(t + 1, WINDOW)
            scores = torch.einsum("hd,nhd->hn", q.view(HEADS, d), K[:n].view(n, HEADS, d)) / math.sqrt(d)
            o = torch.einsum("hn,nhd->hd", torch.softmax(scores, -1), V[:n].view(n, HEADS, d))
            a = torch.nn.functional.linear(o.reshape(E), w_out, b_out)
            s = a @ model.query / math.sqrt(E)
            m = torch.maximum(run_max, s)
            scale = torch.exp(run_max - m)
            p = torch.exp(s - m)
            run_sum = run_sum * scale + p
            run_acc = run_acc * scale + p * a
            logits = model.head(run_acc / run_sum)
            return (h, c, m, run_sum, run_acc), logits

        state = (h, c, run_max, run_sum, run_acc)
        for t in range(200):
            state, _ = step(t, state)
        state = (h, c, run_max, run_sum, run_acc)
        start = time.perf_counter()
        for t in range(frames):
            state, _ = step(t, state)
        return (time.perf_counter() - start) * 1e6 / frames


def torch_train_fps(model, iterations):
    torch.set_num_threads(2)
    lengths = torch.tensor([50 + (b * 37) % 51 for b in range(32)])
    x = torch.randn(int(lengths.max()), 32, D)
    labels = torch.tensor([b % 10 for b in range(32)])
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-2)

    def one():
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(x, lengths), labels)
        loss.backward()
        opt.step()

    for _ in range(2):
        one()
    start = time.perf_counter()
    for _ in range(iterations):
        one()
    return int(lengths.sum()) * iterations / (time.perf_counter() - start)


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else "build/release/bench/nn_bench"
    torch.manual_seed(0)
    model = Classifier()
    torch.randn(64, 64) @ torch.randn(64, 64)  # loads the BLAS
    blas = sorted({line.split()[-1] for line in open("/proc/self/maps") if "blas" in line.lower()})
    print(f"torch {torch.__version__}, BLAS libraries loaded: {blas}, "
          f"OMP_WAIT_POLICY={os.environ.get('OMP_WAIT_POLICY', '(unset)')}")
    a_step = auris(binary, "step", "3000")["step_us"]
    t_step = torch_step_us(model, 3000)
    print(f"streaming step (1 thread): auris {a_step:.1f} us/frame (RTF {a_step / 1e4:.4f}), "
          f"PyTorch {t_step:.1f} us/frame -> auris {t_step / a_step:.1f}x faster")
    a_train = auris(binary, "train", "10", "2")["train_frames_per_s"]
    t_train = torch_train_fps(model, 10)
    print(f"training batch 32 (2 threads): auris {a_train:.0f} frames/s, PyTorch {t_train:.0f} frames/s "
          f"-> ratio {a_train / t_train:.2f}")


if __name__ == "__main__":
    main()
