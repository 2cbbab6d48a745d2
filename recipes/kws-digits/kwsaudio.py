"""Audio helpers shared by make_clips.py and make_stream.py (8 kHz mono float)."""
import io
import subprocess
import wave

import numpy as np

RATE = 8000


def read_wav(path):
    """Samples in [-1, 1) of a 16-bit WAV, averaged to mono; another rate
    (e.g. AN4's 16 kHz) is resampled to RATE by sox."""
    with wave.open(path, "rb") as w:
        if w.getsampwidth() != 2:
            raise ValueError(f"{path}: need 16-bit, got {8 * w.getsampwidth()}-bit")
        if w.getframerate() != RATE:
            return read_wav_resampled(path)
        x = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float32)
        if w.getnchannels() > 1:
            x = x.reshape(-1, w.getnchannels()).mean(axis=1)
    return x / 32768.0


def read_wav_resampled(path):
    try:
        wav = subprocess.run(["sox", "-D", path, "-t", "wav", "-r", str(RATE), "-c", "1", "-b", "16", "-"],
                             check=True, capture_output=True).stdout
    except (OSError, subprocess.CalledProcessError) as err:
        raise ValueError(f"{path}: cannot resample to {RATE} Hz with sox: {err}")
    return read_wav(io.BytesIO(wav))


def write_wav(path, x):
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes((np.clip(x, -1.0, 32767 / 32768) * 32768).astype("<i2").tobytes())


def db_to_amp(db):
    return 10.0 ** (db / 20.0)


def rms(x):
    return float(np.sqrt(np.mean(np.square(x, dtype=np.float64)) + 1e-20))


def active_region(x, floor_db=30.0):
    """First and last sample of the part louder than (peak frame energy - floor_db)."""
    hop = RATE // 100
    n = max(1, len(x) // hop)
    e = np.array([np.mean(np.square(x[i * hop:(i + 1) * hop])) + 1e-12 for i in range(n)])
    on = np.nonzero(10 * np.log10(e) > 10 * np.log10(e.max()) - floor_db)[0]
    return int(on[0] * hop), int(min(len(x), (on[-1] + 1) * hop))


def floor_db(x):
    """The recording's background level: RMS (dBFS) of its quietest fifth of 10 ms frames."""
    hop = RATE // 100
    n = max(1, len(x) // hop)
    e = np.sort([np.mean(np.square(x[i * hop:(i + 1) * hop], dtype=np.float64)) for i in range(n)])
    return float(10 * np.log10(np.mean(e[:max(1, n // 5)]) + 1e-12))


def word_part(x, margin_s=0.02, fade_s=0.02):
    """The active part of a single-word recording with margin_s either side and
    raised-cosine fades, and the active part's [start, end) in the result: no
    hard-edged box of the recording's own background noise around the word
    (callers also lay noise at the recording's floor_db around it)."""
    a, b = active_region(x)
    m = int(margin_s * RATE)
    lo, hi = max(0, a - m), min(len(x), b + m)
    y = x[lo:hi].copy()
    n = min(int(fade_s * RATE), len(y) // 2)
    ramp = (0.5 - 0.5 * np.cos(np.pi * np.arange(n) / n)).astype(np.float32)
    y[:n] *= ramp
    y[len(y) - n:] *= ramp[::-1]
    return y, a - lo, b - lo


def scale_to(x, db, ref=None):
    """x scaled so that the RMS of ref (default x) becomes db dBFS."""
    r = rms(x if ref is None else ref)
    return x * (db_to_amp(db) / r)


def noise(rng, n, colour):
    """Unit-RMS white / pink / brown noise of n samples (FFT-shaped Gaussian)."""
    alpha = {"white": 0.0, "pink": 0.5, "brown": 1.0}[colour]
    spec = np.fft.rfft(rng.standard_normal(n))
    f = np.arange(len(spec), dtype=np.float64)
    f[0] = 1.0
    y = np.fft.irfft(spec / f ** alpha, n)
    return (y / rms(y)).astype(np.float32)


def random_noise(rng, n, db):
    """Noise of a random colour at db dBFS, sometimes slowly amplitude-modulated."""
    y = noise(rng, n, rng.choice(["white", "pink", "brown"]))
    if rng.random() < 0.3:
        t = np.arange(n) / RATE
        y *= 1.0 + 0.8 * np.sin(2 * np.pi * rng.uniform(0.2, 3.0) * t + rng.uniform(0, 6.3))
    return y * db_to_amp(db)


def faded_noise(rng, n, db):
    """random_noise faded in and out over 0.1 s: a recording's own background
    continued around it, without hard edges."""
    y = random_noise(rng, n, db)
    ramp = np.minimum(np.arange(n), np.arange(n)[::-1]) / (0.1 * RATE)
    return y * np.minimum(1.0, ramp).astype(np.float32)


def add_noise_floor(rng, y):
    """In 30 s blocks: a noise floor (-65..-45 dBFS) and, in a third of them,
    stationary noise 10-30 dB below the speech level (-35..-12 dBFS)."""
    block = 30 * RATE
    for s in range(0, len(y), block):
        n = min(block, len(y) - s)
        y[s:s + n] += random_noise(rng, n, rng.uniform(-65, -45))
        if rng.random() < 1 / 3:
            y[s:s + n] += random_noise(rng, n, rng.uniform(-23, -12) - rng.uniform(10, 30))
