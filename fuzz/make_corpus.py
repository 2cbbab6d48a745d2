#!/usr/bin/env python3
"""Writes the committed seed corpora, fuzz/corpus/<target>/<seed>, byte for
byte the same on every run (standard library only). Run it after changing a
seed: python3 fuzz/make_corpus.py. Inputs a fuzzing campaign added (named by
their SHA-1, as libFuzzer names them) are kept."""
import json
import pathlib
import re
import struct

ROOT = pathlib.Path(__file__).resolve().parent / "corpus"
corpora = {}


def seed(target, name, data):
    corpora.setdefault(target, {})[name] = data if isinstance(data, bytes) else data.encode()


# --- .npy -------------------------------------------------------------------
def npy(descr, shape, data, version=1, fortran="False"):
    dims = "".join(f"{d}, " for d in shape) if len(shape) == 1 else ", ".join(map(str, shape))
    header = f"{{'descr': '{descr}', 'fortran_order': {fortran}, 'shape': ({dims}), }}"
    header += " " * ((64 - (12 + len(header) + 1) % 64) % 64) + "\n"
    size = struct.pack("<H", len(header)) if version == 1 else struct.pack("<I", len(header))
    return b"\x93NUMPY" + bytes([version, 0]) + size + header.encode() + data


f4x6 = struct.pack("<6f", 1, -2, 0.5, 3e38, float("nan"), -0.0)
seed("npy", "f4_2x3", npy("<f4", (2, 3), f4x6))
seed("npy", "f8_1d", npy("<f8", (3,), struct.pack("<3d", 1, 2, 3)))
seed("npy", "i4_0d", npy("<i4", (), struct.pack("<i", -7)))
seed("npy", "i8_3d", npy("<i8", (1, 2, 1), struct.pack("<2q", 5, -5)))
seed("npy", "u1_v2", npy("|u1", (2, 2), bytes([0, 1, 2, 255]), version=2))
seed("npy", "b1_empty", npy("|b1", (0, 4), b""))
seed("npy", "overflow_shape", npy("<f8", (3, 6148914691236517207), bytes(40)))
seed("npy", "bad_dim", npy("<f4", ("x", 2), bytes(8)))
seed("npy", "fortran", npy("<f4", (2, 3), f4x6, fortran="True"))
seed("npy", "big_endian", npy(">f4", (2, 3), f4x6))
seed("npy", "short_data", npy("<f4", (2, 3), f4x6[:20]))

# --- Kaldi matrices ------------------------------------------------------------
def kaldi_int(v):
    return b"\x04" + struct.pack("<i", v)


def fm(rows, cols, values, token=b"FM ", fmt="f"):
    return b"\0B" + token + kaldi_int(rows) + kaldi_int(cols) + struct.pack(f"<{len(values)}{fmt}", *values)


def compressed(token, rows, cols, payload, lo=-1.0, rng=2.0):
    return b"\0B" + token + struct.pack("<ffii", lo, rng, rows, cols) + payload


def text(rows):
    body = "".join("\n  " + " ".join(rows_i) + " " for rows_i in rows)
    return (" [" + body + "]\n").encode()


ark_fm = fm(2, 3, [1, -2, 0.5, 3e38, 0, -0.0])
ark_dm = fm(1, 2, [1e300, -2.5], b"DM ", "d")
# CM: 4 uint16 percentiles per column, then the bytes column by column.
ark_cm = compressed(b"CM ", 3, 2, struct.pack("<8H", 0, 16384, 49152, 65535, 0, 1, 2, 3) + bytes([0, 64, 255, 10, 192, 200]))
ark_cm2 = compressed(b"CM2 ", 2, 2, struct.pack("<4H", 0, 1, 65534, 65535))
ark_cm3 = compressed(b"CM3 ", 1, 3, bytes([0, 128, 255]))
ark_text = text([["1", "-2.5e3", "nan"], ["inf", "-inf", "0"]])
seed("kaldi_ark", "float", b"u1 " + ark_fm)
seed("kaldi_ark", "double", b"u1 " + ark_dm)
seed("kaldi_ark", "compressed_cm", b"u1 " + ark_cm)
seed("kaldi_ark", "compressed_cm2", b"u1 " + ark_cm2)
seed("kaldi_ark", "compressed_cm3", b"u1 " + ark_cm3)
seed("kaldi_ark", "text", b"u1" + ark_text)
seed("kaldi_ark", "mixed", b"a " + ark_fm + b"b " + ark_dm + b"c " + ark_cm + b"d" + ark_text + b"e " + ark_cm3)
seed("kaldi_ark", "empty_matrices", b"e1 " + fm(0, 0, []) + b"e2 [ ]\n")
seed("kaldi_ark", "truncated", b"u1 " + ark_fm[:-5])
seed("kaldi_ark", "huge_dims", b"u1 " + fm(1518500250, 1518500250, [1.0], b"DM ", "d"))

# --- Kaldi scp (kaldi_scp_fuzz writes a.ark: entries at offsets 2, 43, 76) -----
seed("kaldi_scp", "local", "f a.ark:2\nd a.ark:43\nt a.ark:76\n")
seed("kaldi_scp", "whole_file", "all a.ark\n\n  x\ta.ark:2  \r\n")
seed("kaldi_scp", "bad_offset", "f a.ark:3\ng a.ark:99999999999999999999\n")
seed("kaldi_scp", "elsewhere", "u1 /no/such/feats.ark:12\nu2 feats.ark\n")
seed("kaldi_scp", "duplicate", "f a.ark:2\nf a.ark:43\n")
seed("kaldi_scp", "key_only", "lonely\n")

# --- HTK ------------------------------------------------------------------------
def htk(frames, period, sample_size, kind, values):
    return struct.pack(">iihh", frames, period, sample_size, kind) + struct.pack(f">{len(values)}f", *values)


seed("htk", "user_2x3", htk(2, 100000, 12, 9, [1, -2, 0.5, 3e38, 0, -0.0]))
seed("htk", "mfcc_e_d", htk(1, 100000, 8, 6 | 0o100 | 0o400, [1.5, float("inf")]))
seed("htk", "no_frames", htk(0, 1, 4, 0, []))
seed("htk", "truncated", htk(3, 100000, 8, 9, [1, 2, 3]))
seed("htk", "bad_size", htk(1, 100000, 6, 9, [1, 2]))

# --- wav.scp and segments -------------------------------------------------------------
seed("wav_scp", "paths", "utt1 /data/a.wav\nutt2\tb c.flac\n\n")
seed("wav_scp", "pipes", "u1 sox in.wav -t wav - |\nu2 flac -dc x.flac|\n")
seed("wav_scp", "bad", "lonely\nu1 |\n")
seed("wav_scp", "duplicate", "u1 a.wav\nu1 b.wav\n")
seed("segments", "valid", "s1 rec1 0 1.5\ns2 rec1 1.5 -1\ns3 rec2 0.25 3 1\n")
seed("segments", "bad", "s1 rec1 2 1\ns2 rec1 x 1\ns3 rec1 0 1 1e300\ns4 rec1 0\n")
seed("segments", "duplicate", "s1 r 0 1\ns1 r 1 2\n")

# --- CMVN statistics (first byte: bit 0 Kaldi/npy, bits 1-2 means/vars) -------------
stats = [10.0, -20.0, 5.0, 400.0, 900.0, 0.0]  # 2 x 3: sums + count; squares
seed("cmvn_stats", "npy_means_vars", b"\x06" + npy("<f8", (2, 3), struct.pack("<6d", *stats)))
seed("cmvn_stats", "kaldi_double", b"\x07" + fm(2, 3, stats, b"DM ", "d"))
seed("cmvn_stats", "kaldi_text", b"\x03" + text([["1e300", "2", "1"], ["4", "5", "0"]]))
seed("cmvn_stats", "zero_count", b"\x02" + npy("<f4", (2, 3), struct.pack("<6f", 1, 2, 0, 1, 1, 0)))
seed("cmvn_stats", "wrong_shape", b"\x07" + fm(3, 1, [1, 2, 3]))

# --- model-file metadata: architecture, labels, features, task, units (NUL-separated) --
features = {
    "features": {"type": "fbank", "num-mel-bins": 4, "sample-frequency": 8000},
    "deltas": None,
    "cmvn": {"mode": "global", "norm_means": True, "norm_vars": False, "stats": [[1, 2, 3, 4, 2], [1, 1, 1, 1, 0]]},
}
arch_pool = {"input_dim": 4, "layers": [{"type": "lstm", "hidden": 4}, {"type": "attention_pool"},
                                        {"type": "linear", "out": 2}]}
arch_ctc = {"input_dim": 4, "layers": [
    {"type": "lstm", "hidden": 4, "num_layers": 2},
    {"type": "residual", "layers": [{"type": "layernorm"}, {"type": "attention", "heads": 2, "window": 3,
                                                           "positional": "alibi"}]},
    {"type": "dropout", "p": 0.1}, {"type": "linear", "out": 3}]}
arch_ensemble = {"input_dim": 4, "layers": [{"type": "ensemble", "members": [
    {"layers": [{"type": "linear", "out": 2}, {"type": "tanh"}]},
    {"layers": [{"type": "linear", "out": 2}, {"type": "gelu"}]}]}, {"type": "attention_pool", "queries": 2}]}


def model(arch, labels, feats, *rest):
    parts = [json.dumps(arch), json.dumps(labels), json.dumps(feats), *rest]
    return "\0".join(parts)


seed("model_file", "classifier", model(arch_pool, ["yes", "no"], features, "classify"))
seed("model_file", "ctc", model(arch_ctc, ["<blk>", "a", "b"], dict(features, cmvn={"mode": "utterance",
                                                                                    "norm_means": True, "norm_vars": True}), "ctc", "chars"))
seed("model_file", "ensemble", model(arch_ensemble, ["a", "b", "c", "d"], dict(features, deltas={"order": 2, "window": 2}),
                                     "classify"))
seed("model_file", "huge_layer", model({"input_dim": 4, "layers": [{"type": "linear", "out": 2000000000}]}, [], {}))
# Numbers no int holds, where an int belongs (a CI fuzz run found the unchecked cast).
seed("model_file", "huge_out", model({"input_dim": 4, "layers": [{"type": "linear", "out": 1.11111e+74}]}, [], {}))
seed("model_file", "huge_delta_order", model(arch_pool, ["yes", "no"], dict(features, deltas={"order": 1e74, "window": 2}),
                                             "classify"))
seed("model_file", "online_cmvn", model(arch_ctc, ["<blk>", "a", "b"], dict(features, cmvn={
    "mode": "online", "cmn_window": 600, "global_frames": 200, "norm_vars": True,
    "stats": [[1, 2, 3, 4, 2], [1, 1, 1, 1, 0]]}), "ctc", "chars"))
# A window whose frames would take gigabytes to keep.
seed("model_file", "huge_online_window", model(arch_pool, ["yes", "no"], dict(features, cmvn={
    "mode": "online", "cmn_window": 2147483647, "global_frames": 200, "norm_vars": False,
    "stats": [[1, 2, 3, 4, 2], [1, 1, 1, 1, 0]]}), "classify"))
seed("model_file", "bad_json", '{"input_dim": 4, "layers": [{"type": "lstm", "hidden": 4}' + "\0[\"a\"")

# --- auris serve: a client's text messages -----------------------------------------------
seed("serve_message", "header", '{"sample_rate": 16000, "format": "s16le", "channels": 1}')
seed("serve_message", "keywords", '{"sample_rate": 8000, "keywords": ["six", "oh=zero"], "threshold": 0.99}')
seed("serve_message", "eof", '{"eof": true}')
seed("serve_message", "bad_keywords", '{"sample_rate": 8000, "keywords": "six", "threshold": 2}')

# --- safetensors (as scripts/fuzz.sh seeded it before) ------------------------------------
def safetensors(header, data):
    h = header.encode()
    return struct.pack("<Q", len(h)) + h + data


f32x2 = struct.pack("<2f", 1.0, -2.0)
seed("safetensors", "valid_f32", safetensors('{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"__metadata__":{"k":"v"}}', f32x2))
seed("safetensors", "valid_mixed", safetensors(
    '{"h":{"dtype":"F16","shape":[2],"data_offsets":[0,4]},"b":{"dtype":"BF16","shape":[1,2],"data_offsets":[4,8]},'
    '"d":{"dtype":"F64","shape":[],"data_offsets":[8,16]},"i":{"dtype":"I64","shape":[1],"data_offsets":[16,24]},'
    '"j":{"dtype":"I32","shape":[0,3],"data_offsets":[24,24]}}',
    bytes([0, 0x3c, 0, 0xc0, 0x80, 0x3f, 0, 0xc0]) + struct.pack("<d", 1.0) + struct.pack("<q", 7)))
seed("safetensors", "overlap", safetensors('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}', f32x2))
seed("safetensors", "hole", safetensors('{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}', f32x2))
seed("safetensors", "bad_dtype", safetensors('{"a":{"dtype":"F8","shape":[8],"data_offsets":[0,8]}}', f32x2))
seed("safetensors", "bad_meta", safetensors('{"__metadata__":{"k":1},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}', f32x2))
seed("safetensors", "bad_json", safetensors('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}', f32x2))
seed("safetensors", "short", b"\x01\x00\x00")

for target, files in corpora.items():
    (ROOT / target).mkdir(parents=True, exist_ok=True)
    for old in (ROOT / target).iterdir():
        if not re.fullmatch("[0-9a-f]{40}", old.name):
            old.unlink()
    for name, data in files.items():
        (ROOT / target / name).write_bytes(data)
