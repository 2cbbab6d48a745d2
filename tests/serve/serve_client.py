"""Helpers of the `auris serve` tests: start a server on a free port, stream
WAV files to it over WebSocket (python3-websocket), and the `auris live
--json --fast` reference of the same files."""
import json
import os
import random
import re
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.request
import wave

import websocket  # python3-websocket (Debian)


class Server:
    """`auris serve` on 127.0.0.1 and a port the kernel chose."""

    def __init__(self, auris, models, *extra):
        args = [auris, "serve", "--port", "0"]
        for m in models:
            args += ["--model", m]
        self.proc = subprocess.Popen(args + list(extra), stderr=subprocess.PIPE, text=True)
        line = self.proc.stderr.readline()
        m = re.search(r"listening on http://[^:]+:(\d+)/", line)
        if not m:
            self.proc.kill()
            raise RuntimeError("auris serve did not start: " + line + self.proc.stderr.read())
        self.port = int(m.group(1))
        self.err_lines = []
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self):
        for line in self.proc.stderr:
            self.err_lines.append(line)

    def url(self, path="/asr"):
        return "ws://127.0.0.1:%d%s" % (self.port, path)

    def get(self, path):
        try:
            with urllib.request.urlopen("http://127.0.0.1:%d%s" % (self.port, path), timeout=10) as r:
                return r.status, r.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode("utf-8", "replace")

    def metrics(self):
        status, text = self.get("/metrics")
        assert status == 200, status
        out = {}
        for line in text.splitlines():
            name, value = line.rsplit(" ", 1)
            out[name] = float(value)
        return out

    def stop(self):
        """SIGTERM; returns the exit status."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        return self.wait()

    def wait(self):
        """The exit status, once it exits by itself (within 30 s). After a
        SIGTERM, a second one while it is stopping would kill it."""
        try:
            return self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise AssertionError("auris serve did not stop within 30 s of SIGTERM")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        status = self.stop()
        assert status == 0, "auris serve exited with %s: %s" % (status, "".join(self.err_lines))


def read_wav(path):
    """(rate, channels, s16le bytes)"""
    with wave.open(path, "rb") as w:
        assert w.getsampwidth() == 2, path
        return w.getframerate(), w.getnchannels(), w.readframes(w.getnframes())


def to_f32(pcm):
    n = len(pcm) // 2
    return struct.pack("<%df" % n, *[x / 32768.0 for x in struct.unpack("<%dh" % n, pcm)])


def stereo(pcm):
    n = len(pcm) // 2
    out = []
    for x in struct.unpack("<%dh" % n, pcm):
        out += [x, x]
    return struct.pack("<%dh" % (2 * n), *out)


def receive_all(ws, timeout=30):
    """Text messages (parsed) until the server closes; returns (events, close
    code or None if the connection just ended). Reads raw frames: the
    library's own close reply may fail once the server has hung up."""
    ws.settimeout(timeout)
    events, text = [], b""
    while True:
        try:
            frame = ws.recv_frame()
        except (websocket.WebSocketConnectionClosedException, OSError):
            return events, None
        if frame.opcode in (websocket.ABNF.OPCODE_TEXT, websocket.ABNF.OPCODE_CONT):
            text += frame.data
            if frame.fin:
                events.append(json.loads(text.decode("utf-8")))
                text = b""
        elif frame.opcode == websocket.ABNF.OPCODE_CLOSE:
            code = struct.unpack("!H", frame.data[:2])[0] if len(frame.data) >= 2 else None
            try:
                ws.close()
            except Exception:
                pass
            return events, code


def stream(url, pcm, rate, fmt="s16le", channels=1, chunks=None, pace=False, seed=0, header=None):
    """Streams pcm in random chunk sizes (1 byte up to 8000; any split of a
    sample) and returns (events, close code). pace: real time, 100 ms chunks.
    header: more fields of the first message (e.g. keywords)."""
    ws = websocket.create_connection(url, timeout=30)
    ws.send(json.dumps(dict({"sample_rate": rate, "format": fmt, "channels": channels}, **(header or {}))))
    rng = random.Random(seed)
    frame = channels * (2 if fmt == "s16le" else 4)
    i = 0
    t0 = time.monotonic()
    while i < len(pcm):
        n = int(rate * 0.1) * frame if pace else rng.choice([1, 3, 160, 1001, 4096, 8000])
        ws.send_binary(pcm[i:i + n])
        i += n
        if pace:
            delay = t0 + i / frame / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
    ws.send(json.dumps({"eof": True}))
    return receive_all(ws)


def recognition(events):
    """The events `auris live --json` also prints and that do not depend on
    how the audio was cut into messages: finals and keywords (a partial's
    "end" is the audio seen when it was sent, so it moves with the chunking)."""
    return [e for e in events if e["type"] in ("final", "keyword")]


def partials(events):
    return [e["text"] for e in events if e["type"] == "partial"]


def live_reference(auris, model, path, *extra):
    out = subprocess.run([auris, "live", "--json", "--fast", "--model", model, "--input", path, *extra],
                         check=True, capture_output=True, text=True).stdout
    return [json.loads(line) for line in out.splitlines()]


def transcribe_reference(auris, model, path):
    out = subprocess.run([auris, "transcribe", "--json", "--model", model, path],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out.splitlines()[0])["text"]


def check(cond, message):
    if not cond:
        raise AssertionError(message)
