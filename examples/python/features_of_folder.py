#!/usr/bin/env python3
"""Features of every audio file of a folder into NumPy arrays, computed in
parallel, saved as one .npz (file name -> frames x dim).

    python3 examples/python/features_of_folder.py data/samples /tmp/feats.npz --type fbank
"""
import argparse
from pathlib import Path

import numpy as np

import auris


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("output", type=Path, help=".npz file")
    parser.add_argument("--type", default="mfcc", choices=["mfcc", "fbank", "spectrogram", "plp"])
    parser.add_argument("--num-threads", type=int, default=0, help="0: all cores")
    args = parser.parse_args()

    paths = sorted(p for p in args.folder.rglob("*") if p.suffix.lower() in {".wav", ".flac", ".ogg", ".mp3"})
    audio = [auris.read_audio(p) for p in paths]
    options = auris.FeatureOptions(args.type)
    by_rate = {}  # compute_features takes one rate per call
    for path, (samples, rate) in zip(paths, audio):
        by_rate.setdefault(rate, []).append((path, samples))
    features = {}
    for rate, items in by_rate.items():
        opts = auris.FeatureOptions.from_dict({**options.as_dict(), "sample_frequency": rate})
        arrays = auris.compute_features([s for _, s in items], rate, opts, num_threads=args.num_threads)
        features.update({str(p.relative_to(args.folder)): f for (p, _), f in zip(items, arrays)})
    np.savez(args.output, **features)
    frames = sum(len(f) for f in features.values())
    print(f"{len(features)} files, {frames} frames of {options.type} -> {args.output}")


if __name__ == "__main__":
    main()
