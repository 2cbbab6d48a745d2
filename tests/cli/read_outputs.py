"""Independent readers (numpy only) for what `auris features` writes.

Usage: read_outputs.py ARK SCP NPYDIR HTKDIR
Parses the Kaldi binary ark from scratch, checks that every scp offset points
at its matrix, loads the .npy files and HTK files, and checks that all three
hold the same matrices. Prints "OK <n> utterances <rows> rows" or exits 1.
"""
import os
import struct
import sys

import numpy as np


def read_ark(path):
    data = open(path, "rb").read()
    pos, out = 0, {}
    while pos < len(data):
        space = data.index(b" ", pos)
        key = data[pos:space].decode()
        obj = space + 1
        assert data[obj:obj + 2] == b"\0B", key
        assert data[obj + 2:obj + 5] == b"FM ", data[obj + 2:obj + 5]
        p = obj + 5
        assert data[p] == 4
        rows = struct.unpack("<i", data[p + 1:p + 5])[0]
        assert data[p + 5] == 4
        cols = struct.unpack("<i", data[p + 6:p + 10])[0]
        p += 10
        m = np.frombuffer(data, dtype="<f4", count=rows * cols, offset=p).reshape(rows, cols)
        out[key] = (obj, m)
        pos = p + 4 * rows * cols
    return out


def read_htk(path):
    data = open(path, "rb").read()
    n, period, size, kind = struct.unpack(">iihh", data[:12])
    m = np.frombuffer(data, dtype=">f4", offset=12).reshape(n, size // 4)
    return m, period, kind


def main(ark, scp, npydir, htkdir):
    mats = read_ark(ark)
    keys = []
    for line in open(scp):
        key, rx = line.split()
        fname, offset = rx.rsplit(":", 1)
        assert os.path.abspath(fname) == os.path.abspath(ark), (fname, ark)
        assert mats[key][0] == int(offset), (key, offset, mats[key][0])
        keys.append(key)
    assert keys == list(mats.keys())
    rows = 0
    for key, (_, m) in mats.items():
        n = np.load(os.path.join(npydir, key + ".npy"))
        assert n.dtype == np.float32 and n.shape == m.shape, (key, n.shape, m.shape)
        assert np.array_equal(n, m), key
        h, period, _ = read_htk(os.path.join(htkdir, key + ".htk"))
        assert period == 100000, period
        assert np.array_equal(h.astype(np.float32), m), key
        rows += m.shape[0]
    print("OK", len(mats), "utterances", rows, "rows")


if __name__ == "__main__":
    try:
        main(*sys.argv[1:])
    except AssertionError as e:
        print("MISMATCH", repr(e))
        sys.exit(1)
