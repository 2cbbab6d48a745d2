#!/usr/bin/env python3
"""Transcription of an audio file played as a stream in 100-ms chunks, with
partial results as they grow and a final transcript (with word times) at
each pause, as `auris live --input FILE --fast --json` prints them. Audio at
another rate than the model's is resampled inside the stream.

    python3 examples/python/stream_transcribe.py data/models/digits-ctc.safetensors data/samples/three_one_four.wav
"""
import argparse
import json

import auris


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model")
    parser.add_argument("audio")
    parser.add_argument("--chunk-ms", type=float, default=100)
    args = parser.parse_args()

    recognizer = auris.Recognizer(args.model)
    samples, rate = auris.read_audio(args.audio)
    stream = recognizer.create_stream()
    chunk = int(rate * args.chunk_ms / 1000)
    for start in range(0, len(samples), chunk):
        stream.accept_waveform(rate, samples[start:start + chunk])
        for event in stream.events():
            print(json.dumps(event))
    stream.input_finished()
    for event in stream.events():
        print(json.dumps(event))


if __name__ == "__main__":
    main()
