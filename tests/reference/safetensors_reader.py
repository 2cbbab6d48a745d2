#!/usr/bin/python3
"""Independent safetensors reader for tests/io/safetensors_test.cc: reads a
file written by the C++ writer, checks the format rules (8-byte aligned data,
offsets tiling the buffer) and prints {"metadata": ..., "tensors": {name:
{"dtype", "shape", "values"}}} as JSON. Exit status 1 with a message on any
violation. Uses only struct, json and numpy."""
import json
import struct
import sys

import numpy as np


def main(path):
    data = open(path, "rb").read()
    (n,) = struct.unpack("<Q", data[:8])
    if (8 + n) % 8 != 0:
        sys.exit(f"header length {n}: data not 8-byte aligned")
    header = json.loads(data[8:8 + n].decode("utf-8"))
    buffer = data[8 + n:]
    metadata = header.pop("__metadata__", {})
    spans = sorted(tuple(v["data_offsets"]) for v in header.values())
    pos = 0
    for begin, end in spans:
        if begin != pos:
            sys.exit(f"offsets do not tile the buffer at {begin}")
        pos = end
    if pos != len(buffer):
        sys.exit(f"buffer has {len(buffer)} bytes, tensors cover {pos}")
    tensors = {}
    for name, info in header.items():
        if info["dtype"] != "F32":
            sys.exit(f"{name}: dtype {info['dtype']}")
        begin, end = info["data_offsets"]
        a = np.frombuffer(buffer[begin:end], dtype="<f4").reshape(info["shape"])
        tensors[name] = {"dtype": info["dtype"], "shape": list(a.shape), "values": a.ravel().tolist()}
    print(json.dumps({"metadata": metadata, "tensors": tensors}))


if __name__ == "__main__":
    main(sys.argv[1])
