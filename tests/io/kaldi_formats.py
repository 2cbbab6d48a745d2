"""Independent numpy readers/writers of Kaldi ark/scp, HTK and npy-dir files,
used by tests/io to check auris's output (and to give it input) without
auris's own code. Run with /usr/bin/python3.

  read-ark ARK [SCP] OUT   parse ARK (binary or text), save OUT/<key>.npy
                           (float64); with SCP, check every offset points at
                           the object of that key.
  write-ark OUT            write OUT/in.ark (binary FM, binary DM, text) and
                           OUT/in.scp, plus OUT/<key>.npy with the values.
  read-htk FILE OUT.npy    parse an HTK file, print its header, save the data.
  read-npydir DIR          check DIR/index.txt against the .npy files.
"""
import os
import struct
import sys

import numpy as np


def read_object(data, pos):
    """Parses the Kaldi matrix object at data[pos:]; returns (matrix, end)."""
    while data[pos:pos + 1] in (b" ", b"\n", b"\t"):
        pos += 1
    if data[pos:pos + 2] == b"\0B":
        pos += 2
        token_end = data.index(b" ", pos)
        token = data[pos:token_end].decode()
        pos = token_end + 1
        assert token in ("FM", "DM"), token
        dims = []
        for _ in range(2):
            assert data[pos] == 4, "size byte"
            dims.append(struct.unpack("<i", data[pos + 1:pos + 5])[0])
            pos += 5
        dtype = np.dtype("<f4" if token == "FM" else "<f8")
        n = dims[0] * dims[1]
        m = np.frombuffer(data, dtype=dtype, count=n, offset=pos).reshape(dims)
        return m.astype(np.float64), pos + n * dtype.itemsize
    assert data[pos:pos + 1] == b"[", data[pos:pos + 10]
    end = data.index(b"]", pos)
    rows = [r.split() for r in data[pos + 1:end].decode().split("\n")]
    rows = [[float(v) for v in r] for r in rows if r]
    end += 1
    if data[end:end + 1] == b"\n":
        end += 1
    m = np.array(rows, dtype=np.float64)
    return (m if m.size else np.zeros((0, 0))), end


def read_ark(path):
    data = open(path, "rb").read()
    pos, out = 0, []
    while pos < len(data):
        sp = data.index(b" ", pos)
        key = data[pos:sp].decode()
        m, end = read_object(data, sp + 1)
        out.append((key, sp + 1, m))
        pos = end
    return data, out


def cmd_read_ark(argv):
    ark, scp, out = (argv[0], argv[1], argv[2]) if len(argv) == 3 else (argv[0], None, argv[1])
    data, objects = read_ark(ark)
    for key, _, m in objects:
        np.save(os.path.join(out, key + ".npy"), m)
    if scp:
        lines = [l.split() for l in open(scp).read().splitlines() if l.strip()]
        assert [l[0] for l in lines] == [k for k, _, _ in objects], "scp keys differ from ark keys"
        for (key, offset, m), (_, rx) in zip(objects, lines):
            fname, off = rx.rsplit(":", 1)
            assert fname == ark, (fname, ark)
            assert int(off) == offset, (key, off, offset)
            m2, _ = read_object(data, int(off))
            assert np.array_equal(m, m2)
    print("OK", len(objects))


def cmd_write_ark(argv):
    out = argv[0]
    rng = np.random.default_rng(5)
    mats = {
        "utt_fm": rng.normal(size=(7, 5)).astype(np.float32),
        "utt_dm": rng.normal(size=(2, 4)).astype(np.float64),
        "utt_text": np.array([[1.5, -2.25, 3e-5], [4, 5, 6]], dtype=np.float64),
        "utt_empty": np.zeros((0, 0), dtype=np.float32),
    }
    blob, scp = b"", ""
    for key, m in mats.items():
        blob += key.encode() + b" "
        offset = len(blob)
        if key == "utt_text":
            rows = "".join("\n  " + " ".join(repr(float(v)) for v in r) + " " for r in m)
            blob += (" [" + rows + "]\n").encode()
        else:
            token = b"FM " if m.dtype == np.float32 else b"DM "
            blob += b"\0B" + token + struct.pack("<bi", 4, m.shape[0]) + struct.pack("<bi", 4, m.shape[1])
            blob += m.astype(m.dtype.newbyteorder("<")).tobytes()
        scp += "%s %s:%d\n" % (key, os.path.join(out, "in.ark"), offset)
        np.save(os.path.join(out, key + ".npy"), m.astype(np.float64))
    open(os.path.join(out, "in.ark"), "wb").write(blob)
    open(os.path.join(out, "in.scp"), "w").write(scp)
    print("OK")


def cmd_read_htk(argv):
    data = open(argv[0], "rb").read()
    n, period, size, kind = struct.unpack(">iihh", data[:12])
    m = np.frombuffer(data, dtype=">f4", offset=12).reshape(n, size // 4)
    np.save(argv[1], m.astype(np.float64))
    print(n, period, size, kind & 0xFFFF)


def cmd_read_npydir(argv):
    d = argv[0]
    count = 0
    for line in open(os.path.join(d, "index.txt")):
        key, fname, rows, cols = line.split()
        m = np.load(os.path.join(d, fname))
        assert m.dtype == np.float32, m.dtype
        assert m.shape == (int(rows), int(cols)), (key, m.shape, rows, cols)
        np.save(os.path.join(argv[1], key + ".npy"), m.astype(np.float64))
        count += 1
    print("OK", count)


if __name__ == "__main__":
    {"read-ark": cmd_read_ark, "write-ark": cmd_write_ark, "read-htk": cmd_read_htk,
     "read-npydir": cmd_read_npydir}[sys.argv[1]](sys.argv[2:])
