#!/usr/bin/env python3
"""`auris serve` end to end over real sockets: results equal `auris live
--json --fast` and `auris transcribe` on the same files, several clients at
once, every kind of bad client, HTTP endpoints, SIGTERM. One case per run:
    serve_test.py --auris BIN --source DIR --shared DIR CASE
Exits 77 (skipped) without python3-websocket or the corpora."""
import argparse
import glob
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time

try:
    import serve_client as sc
except ImportError as e:  # python3-websocket missing
    print("SKIPPED: python3-websocket not installed (%s)" % e)
    sys.exit(77)

A = None  # parsed arguments


def model(name):
    return os.path.join(A.source, "data", "models", name + ".safetensors")


def fsdd_files(n):
    files = sorted(glob.glob(os.path.join(A.shared, "data", "fsdd", "recordings", "*.wav")))
    if not files:
        print("SKIPPED: FSDD not found under " + A.shared)
        sys.exit(77)
    # Different digits and speakers: every 97th recording.
    return files[::97][:n]


def sample_files(n):
    """The bundled samples (no corpus needed)."""
    return sorted(glob.glob(os.path.join(A.source, "data", "samples", "*.wav")))[:n]


def an4_files(n):
    files = sorted(glob.glob(os.path.join(A.shared, "data", "an4", "wav", "an4test_clstk", "*", "*.wav")))
    if not files:
        print("SKIPPED: AN4 not found under " + A.shared)
        sys.exit(77)
    return files[::41][:n]


def same_as_live(srv, mdl, path, name=None, live_args=(), **kw):
    """Streams `path` to the server; its events must equal auris live's (with live_args)."""
    rate, ch, pcm = sc.read_wav(path)
    url = srv.url("/asr" + ("?model=" + name if name else ""))
    events, code = sc.stream(url, pcm, rate, **kw)
    live = sc.live_reference(A.auris, mdl, path, *live_args)
    ref = sc.recognition(live)
    got = sc.recognition(events)
    sc.check(code == 1000, "%s: close code %s, events %s" % (path, code, events[-3:]))
    # Partials: some whenever live has some, and every one a partial live also showed or
    # a prefix of one (chunks may skip a step, never invent text).
    live_partials = sc.partials(live)
    sc.check(bool(sc.partials(events)) == bool(live_partials), path + ": partials %s vs %s" % (events, live))
    sc.check(all(any(l.startswith(p) for l in live_partials) for p in sc.partials(events)),
             "%s: a partial live never showed: %s vs %s" % (path, sc.partials(events), live_partials))
    sc.check(events[0]["type"] == "status" and events[-1]["type"] == "status", path + ": status first and last")
    sc.check(got == ref, "%s: server events differ from auris live --json:\n%s\n%s" % (path, got, ref))
    return got


def case_fsdd():
    mdl = model("digits-ctc")
    with sc.Server(A.auris, [mdl]) as srv:
        for k, path in enumerate(fsdd_files(6)):
            got = same_as_live(srv, mdl, path, seed=k)
            finals = [e["text"] for e in got if e["type"] == "final"]
            sc.check(" ".join(finals) == sc.transcribe_reference(A.auris, mdl, path),
                     path + ": finals differ from auris transcribe")
            sc.check(all(e["words"] for e in got if e["type"] == "final"), path + ": a final without words")
        # The same audio as f32le and as two identical channels gives the same events.
        path = fsdd_files(1)[0]
        rate, _, pcm = sc.read_wav(path)
        ref = sc.recognition(sc.live_reference(A.auris, mdl, path))
        ev, _ = sc.stream(srv.url(), sc.to_f32(pcm), rate, fmt="f32le")
        sc.check(sc.recognition(ev) == ref, "f32le differs")
        ev, _ = sc.stream(srv.url(), sc.stereo(pcm), rate, channels=2)
        sc.check(sc.recognition(ev) == ref, "2 channels differ")


def case_an4():
    mdl = model("an4")
    with sc.Server(A.auris, [mdl]) as srv:
        for k, path in enumerate(an4_files(2)):
            got = same_as_live(srv, mdl, path, seed=k)
            sc.check(any(e["type"] == "final" for e in got), path + ": no final")


def case_int8():
    """serve --int8: every model's events as auris live --int8's (whose
    scores differ from the float weights' ones)."""
    mdl = model("an4")
    moved = 0
    with sc.Server(A.auris, [mdl], "--int8") as srv:
        for k, path in enumerate(an4_files(2)):
            got = same_as_live(srv, mdl, path, live_args=("--int8",), seed=k)
            sc.check(any(e["type"] == "final" for e in got), path + ": no final")
            moved += sc.recognition(got) != sc.recognition(sc.live_reference(A.auris, mdl, path))
    sc.check(moved > 0, "int8 finals identical to the float ones: --int8 not applied?")


def keyword_stream(path):
    """FSDD takes 0-4 (not in the spotter's training) of four digits with 0.6 s
    of quiet noise (about -50 dBFS) around each, at 8 kHz: a stream the
    spotter fires on. Returns their labels."""
    import random
    import struct
    import wave
    rng = random.Random(7)
    words, pcm = [], b""
    for d, spk in (("three", "3_theo_1"), ("five", "5_nicolas_2"), ("seven", "7_jackson_0"), ("nine", "9_lucas_3")):
        rate, _, x = sc.read_wav(os.path.join(A.shared, "data", "fsdd", "recordings", spk + ".wav"))
        noise = struct.pack("<4800h", *[int(rng.gauss(0, 100)) for _ in range(4800)])
        pcm += noise + x
        words.append(d)
    pcm += struct.pack("<4800h", *[int(rng.gauss(0, 100)) for _ in range(4800)])
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(pcm)
    return words


def case_models():
    """Two models on one server, chosen by ?model=; the keyword spotter too."""
    ctc, kws = model("digits-ctc"), model("kws-digits")
    fsdd_files(1)  # skips without FSDD
    sample = os.path.join(A.source, "data", "samples", "digit_string.wav")
    with sc.Server(A.auris, [ctc, kws]) as srv, tempfile.TemporaryDirectory() as tmp:
        stream_wav = os.path.join(tmp, "keywords.wav")
        words = keyword_stream(stream_wav)
        got = same_as_live(srv, kws, stream_wav, name="kws-digits")
        labels = [e["label"] for e in got if e["type"] == "keyword"]
        sc.check(len(set(labels) & set(words)) >= 2, "keywords %s in a stream of %s" % (labels, words))
        got = same_as_live(srv, ctc, sample, name="digits-ctc")
        finals = " ".join(e["text"] for e in got if e["type"] == "final")
        sc.check(finals == "two zero six six seven seven", "digit_string: " + finals)
        # Without ?model= when two are served: an error naming them, and a close.
        ev, code = sc.stream(srv.url(), b"\0\0" * 100, 16000)
        sc.check(ev and ev[0]["type"] == "error" and "digits-ctc" in ev[0]["text"], "no model: %s" % ev)
        status, body = srv.get("/models")
        sc.check(status == 200 and len(json.loads(body)["models"]) == 2, body)


def case_keywords():
    """A CTC model's words as keyword events ("keywords" in the header): the
    events of `auris live --keywords --threshold`, however the audio is cut
    (a keyword's "emitted" and, for a word reported before its utterance
    ends, "end" are the audio seen then, so they move with the cut, as a
    partial's text does); keywords the model cannot spell, or for a keyword
    spotter, are refused."""

    def settled(events):
        return [{k: v for k, v in e.items() if e["type"] == "final" or k not in ("emitted", "end")}
                for e in sc.recognition(events)]

    ctc, kws = model("digits-ctc"), model("kws-digits")
    sample = os.path.join(A.source, "data", "samples", "digit_string.wav")  # "two zero six six seven seven"
    rate, _, pcm = sc.read_wav(sample)
    with sc.Server(A.auris, [ctc, kws]) as srv:
        url = srv.url("/asr?model=digits-ctc")
        for words, threshold in ((["six", "oh=zero", "zero"], 0.0), (["seven", "two"], 0.9)):
            ref = settled(sc.live_reference(A.auris, ctc, sample, "--keywords", ",".join(words),
                                            "--threshold", str(threshold)))
            labels = [e["label"] for e in ref if e["type"] == "keyword"]
            sc.check(labels == (["zero", "six", "six"] if threshold == 0 else ["two", "seven", "seven"]),
                     "live keywords: %s" % labels)
            for seed in (1, 2):
                events, code = sc.stream(url, pcm, rate, seed=seed,
                                         header={"keywords": words, "threshold": threshold})
                sc.check(code == 1000 and settled(events) == ref,
                         "keywords %s: %s vs live %s" % (words, settled(events), ref))
        for header, url_model, text in (({"keywords": ["hello"]}, "digits-ctc", "hello"),
                                        ({"keywords": "six"}, "digits-ctc", "must be an array"),
                                        ({"keywords": []}, "digits-ctc", "must be an array"),
                                        ({"keywords": ["six"], "threshold": 2}, "digits-ctc", "[0, 1]"),
                                        ({"threshold": 0.5}, "digits-ctc", "is for \"keywords\""),
                                        ({"keywords": ["six"]}, "kws-digits", "is for CTC models")):
            import websocket
            ws = websocket.create_connection(srv.url("/asr?model=" + url_model), timeout=10)
            ws.send(json.dumps(dict({"sample_rate": 8000}, **header)))
            expect_error(*sc.receive_all(ws), text, json.dumps(header))
        same_as_live(srv, ctc, sample, name="digits-ctc")  # the server is still fine
        sc.check(srv.metrics()["auris_active_streams"] == 0, "streams left open")


def run_clients(srv, files, pace=False):
    """Streams every file from its own client, all at once; returns {k: (events, close code)}."""
    results, errors = {}, []

    def client(k, p):
        try:
            rate, _, pcm = sc.read_wav(p)
            results[k] = sc.stream(srv.url(), pcm, rate, pace=pace, seed=k)
        except Exception as e:  # reported below
            errors.append("%s: %r" % (p, e))

    threads = [threading.Thread(target=client, args=(k, p)) for k, p in enumerate(files)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    sc.check(not errors, "; ".join(errors))
    return results


def concurrent(srv, mdl, files, pace=False):
    refs = {p: sc.recognition(sc.live_reference(A.auris, mdl, p)) for p in files}
    results = run_clients(srv, files, pace)
    for k, p in enumerate(files):
        ev, code = results[k]
        sc.check(code == 1000 and sc.recognition(ev) == refs[p], "%s: wrong events with other clients: %s" % (p, ev))


def case_concurrent():
    mdl = model("digits-ctc")
    with sc.Server(A.auris, [mdl], "--num-threads", "2") as srv:
        concurrent(srv, mdl, sample_files(10))
        m = srv.metrics()
        sc.check(m["auris_streams_total"] == 10 and m["auris_dropped_frames_total"] == 0, str(m))
        sc.check(m["auris_audio_seconds_total"] > 4 and 0 < m["auris_rtf"] < 1, str(m))


def spoken(events):
    """Partials and finals: with the audio at the model's rate, every field of
    them is independent of how the audio was cut into messages and turns."""
    return [e for e in events if e["type"] in ("partial", "final")]


def case_batched():
    """Eight clients at once, each different audio (two with a pause: two
    finals), their networks stepped together: every partial and final
    exactly `auris live`'s, whether workers take what is ready, wait 100 ms
    for fuller batches, or step each client alone (--max-batch 1)."""
    import wave
    mdl = model("digits-ctc")
    with tempfile.TemporaryDirectory() as tmp:
        files = sample_files(6)
        for k, (a, b) in enumerate(((0, 5), (1, 3))):  # two utterances, 1.2 s apart
            ra, _, pa = sc.read_wav(files[a])
            rb, _, pb = sc.read_wav(files[b])
            path = os.path.join(tmp, "pair%d.wav" % k)
            with wave.open(path, "wb") as w:
                w.setnchannels(1)
                w.setsampwidth(2)
                w.setframerate(ra)
                w.writeframes(pa + b"\0\0" * int(1.2 * ra) + pb)
            files.append(path)
        refs = [spoken(sc.live_reference(A.auris, mdl, p)) for p in files]
        sc.check(sum(e["type"] == "final" for e in refs[-1]) == 2, "no pause in %s" % refs[-1])
        # Without a wait, how often clients meet in a batch depends on the
        # machine's speed; with one, eight streaming clients must.
        for extra in ((), ("--batch-wait-ms", "100"), ("--max-batch", "1")):
            with sc.Server(A.auris, [mdl], "--num-threads", "2", *extra) as srv:
                results = run_clients(srv, files)
                for k, p in enumerate(files):
                    ev, code = results[k]
                    sc.check(code == 1000 and spoken(ev) == refs[k],
                             "%s %s: events differ from auris live:\n%s\n%s" % (extra, p, spoken(ev), refs[k]))
                m = srv.metrics()
                steps, frames = m["auris_network_steps_total"], m["auris_network_frames_total"]
                sc.check(frames > 0 and steps > 0, "nothing stepped: %s" % m)
                if "--max-batch" in extra:
                    sc.check(steps == frames, "--max-batch 1 stepped together: %s" % m)
                elif extra:
                    sc.check(frames > 1.5 * steps, "a 100 ms batch wait, hardly stepped together: %s" % m)
                print("%s: %d network steps for %d frames" % (" ".join(extra) or "no wait", steps, frames))
    bad = subprocess.run([A.auris, "serve", "-m", mdl, "--port", "0", "--batch-wait-ms", "1001"],
                         capture_output=True, text=True, timeout=30)
    sc.check(bad.returncode != 0 and "--batch-wait-ms 1001 is not in 0..1000" in bad.stderr,
             "--batch-wait-ms 1001: %d %s" % (bad.returncode, bad.stderr))


def case_realtime():
    """Clients at real-time pace: same results, and the final comes soon after eof."""
    mdl = model("digits-ctc")
    with sc.Server(A.auris, [mdl]) as srv:
        concurrent(srv, mdl, sample_files(4), pace=True)
        m = srv.metrics()
        sc.check(m['auris_latency_seconds{quantile="0.95"}'] < 0.3, "p95 latency %s" % m)


def expect_error(events, code, words, what):
    sc.check(events and events[-1]["type"] == "error" and words in events[-1]["text"],
             "%s: expected an error about '%s', got %s" % (what, words, events))
    sc.check(code is not None and code != 1000, "%s: close code %s" % (what, code))


def bad_clients(srv):
    url = srv.url()
    import websocket

    def connect():
        return websocket.create_connection(url, timeout=10)

    ws = connect()
    ws.send("{not json")
    expect_error(*sc.receive_all(ws), "malformed JSON", "malformed JSON")
    ws = connect()
    ws.send(json.dumps({"sample_rate": 0}))
    expect_error(*sc.receive_all(ws), "sample_rate", "rate 0")
    ws = connect()
    ws.send(json.dumps({"sample_rate": 16000, "format": "mp3"}))
    expect_error(*sc.receive_all(ws), "format", "format mp3")
    ws = connect()
    ws.send_binary(b"\0" * 100)
    expect_error(*sc.receive_all(ws), "before the audio format", "binary first")
    ws = connect()
    ws.send(json.dumps({"sample_rate": 8000}))
    ws.send_binary(b"\0" * 301)  # 150.5 samples
    ws.send(json.dumps({"eof": True}))
    expect_error(*sc.receive_all(ws), "inside a sample frame", "truncated")
    ws = connect()
    ws.send(json.dumps({"sample_rate": 8000}))
    ws.send_binary(b"\0" * 9000)  # over --max-message-bytes 8192
    ev, code = sc.receive_all(ws)
    sc.check(code == 1009, "oversized: close code %s" % code)
    ws = websocket.create_connection(srv.url("/asr?model=nope"), timeout=10)
    expect_error(*sc.receive_all(ws), "no model", "unknown model")
    # Abrupt disconnects: mid-stream, and in the middle of a frame.
    rate, _, pcm = sc.read_wav(sample_files(1)[0])
    ws = connect()
    ws.send(json.dumps({"sample_rate": rate}))
    ws.send_binary(pcm[:4000])
    ws.sock.close()
    s = socket.create_connection(("127.0.0.1", srv.port))
    s.sendall(b"GET /asr HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
    s.recv(4096)
    s.sendall(b"\x82\xfe\x10\x00\x01\x02")  # a masked binary frame header, cut short
    s.close()
    # Floods of garbage bytes instead of HTTP.
    s = socket.create_connection(("127.0.0.1", srv.port))
    s.sendall(os.urandom(20000))
    s.close()


def case_bad_clients():
    """Every bad client gets an error and/or a close while good clients'
    results stay those of auris live; the server stays up."""
    mdl = model("digits-ctc")
    with sc.Server(A.auris, [mdl], "--max-message-bytes", "8192") as srv:
        good = threading.Thread(target=lambda: concurrent(srv, mdl, sample_files(3), pace=True))
        good.start()
        bad_clients(srv)
        good.join()
        concurrent(srv, mdl, sample_files(2))
        sc.check(srv.get("/healthz") == (200, "ok\n"), "healthz")
        m = srv.metrics()
        sc.check(m["auris_client_errors_total"] >= 7, str(m))
        sc.check(m["auris_active_streams"] == 0, str(m))


def case_limits():
    """--max-clients, --idle-timeout, a client that never reads (slow consumer)."""
    import websocket
    mdl = model("digits-ctc")
    path = sample_files(1)[0]
    rate, _, pcm = sc.read_wav(path)
    with sc.Server(A.auris, [mdl], "--max-clients", "2", "--idle-timeout", "1") as srv:
        a = websocket.create_connection(srv.url(), timeout=10)
        b = websocket.create_connection(srv.url(), timeout=10)
        c = websocket.create_connection(srv.url(), timeout=10)
        expect_error(*sc.receive_all(c), "max-clients", "third client")
        a.send(json.dumps({"sample_rate": rate}))
        b.send(json.dumps({"sample_rate": rate}))
        t0 = time.monotonic()
        expect_error(*sc.receive_all(a), "idle-timeout", "idle client")
        sc.check(0.8 < time.monotonic() - t0 < 5, "idle timeout after %.1f s" % (time.monotonic() - t0))
        b.close()
        time.sleep(0.2)
        same_as_live(srv, mdl, path)
        m = srv.metrics()
        sc.check(m["auris_rejected_clients_total"] == 1, str(m))
    # A client that sends a long stream and never reads: the others are not held up.
    with sc.Server(A.auris, [mdl], "--max-send-queue", "64", "--max-queue-seconds", "1") as srv:
        slow = websocket.create_connection(srv.url(), timeout=10)
        slow.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        slow.send(json.dumps({"sample_rate": rate}))
        done = threading.Event()

        def flood():
            try:
                for _ in range(300):
                    slow.send_binary(pcm)
                slow.send(json.dumps({"eof": True}))
            except Exception:
                pass  # dropped by the server
            done.set()

        threading.Thread(target=flood, daemon=True).start()
        time.sleep(0.3)
        same_as_live(srv, mdl, path)
        slow.sock.close()


def case_http():
    mdl = model("digits-ctc")
    with sc.Server(A.auris, [mdl]) as srv:
        status, body = srv.get("/")
        sc.check(status == 200 and "<html" in body.lower(), "GET /: %s" % status)
        sc.check(srv.get("/healthz") == (200, "ok\n"), "healthz")
        sc.check(srv.get("/nope.html")[0] == 404, "404")
        sc.check(srv.get("/..%2fREADME.md")[0] == 404 and srv.get("/../README.md")[0] == 404, "traversal")
        m = srv.metrics()
        for k in ("auris_active_streams", "auris_audio_seconds_total", "auris_rtf", "auris_dropped_frames_total",
                  'auris_latency_seconds{quantile="0.5"}', 'auris_latency_seconds{quantile="0.95"}'):
            sc.check(k in m, "metrics lack " + k)


def case_sigterm():
    """SIGTERM while a client streams without eof: it gets its final, then a close."""
    import websocket
    mdl = model("digits-ctc")
    sample = os.path.join(A.source, "data", "samples", "digit_string.wav")
    rate, _, pcm = sc.read_wav(sample)
    srv = sc.Server(A.auris, [mdl])
    ws = websocket.create_connection(srv.url(), timeout=10)
    ws.send(json.dumps({"sample_rate": rate}))
    ws.send_binary(pcm)
    time.sleep(0.3)
    srv.proc.send_signal(__import__("signal").SIGTERM)
    events, code = sc.receive_all(ws)
    finals = " ".join(e["text"] for e in events if e["type"] == "final")
    sc.check(finals == "two zero six six seven seven" and code == 1000, "after SIGTERM: %s %s" % (code, events))
    status = srv.wait()  # the SIGTERM above; a second one could kill it while it stops
    sc.check(status == 0, "exit status %s: %s" % (status, "".join(srv.err_lines)))


def main():
    global A
    p = argparse.ArgumentParser()
    p.add_argument("--auris", required=True)
    p.add_argument("--source", required=True)
    p.add_argument("--shared", required=True)
    p.add_argument("case")
    A = p.parse_args()
    globals()["case_" + A.case]()
    print("ok: " + A.case)


if __name__ == "__main__":
    main()
