#!/usr/bin/python3
"""Load benchmark of `auris serve` (issue 28): N clients stream at real-time
pace over loopback, all at once, for --seconds; then the server's capacity,
latency and memory are reported.

  /usr/bin/python3 bench/serve_load.py [--auris BIN] [--model CTC] [--clients 25,50,100]
      [--seconds 30] [--threads 0] [--wav data/samples/digit_string.wav] [--server-arg=--max-batch=1]
  /usr/bin/python3 bench/serve_load.py --clients 100 --soak-minutes 30 [--soak-interval 60]

Each client, in a loop until the time is up: connects, sends the header,
sends the WAV in 100-ms chunks at real time, {"eof": true}, and reads every
event up to the close. One utterance per connection, as a push-to-talk or
voice-command client does; starts are spread over the first second.
  * correct: the final text equals `auris transcribe` of the same file;
  * latency after end of speech: the final's arrival minus the moment the
    last word's end (the WAV's .ctm next to it, else the WAV's end) was sent
    in real time; after eof: the final's arrival minus the eof's sending;
  * dropped: the server's auris_dropped_frames_total (must stay 0);
  * memory: the server's resident set at its peak minus before any client,
    per open stream;
  * real time: a client more than 1 s behind its real-time schedule (the
    server not reading: back-pressure) counts as falling behind.
Soak (--soak-minutes M, one --clients N): the same clients for M minutes,
a line every --soak-interval seconds with the server's RSS, utterances,
wrong finals, client errors and p95 latency of that interval; at the end
RSS first vs last sample (flat RSS: no leak per utterance or connection).
A level passes when every final is correct, nothing is dropped, no client
falls behind and p95 latency after end of speech is <= 300 ms. No peer
server is packaged by Debian (sherpa-onnx, Vosk: not in the archive), so
the figures are absolute; the targets are issue 28's.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time

import websocket  # python3-websocket (Debian)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "serve"))
import serve_client as sc  # noqa: E402  (the tests' server and WAV helpers)


def speech_end(wav):
    ctm = os.path.splitext(wav)[0] + ".ctm"
    if not os.path.exists(ctm):
        return None
    ends = [float(f[2]) + float(f[3]) for f in (line.split() for line in open(ctm)) if len(f) >= 5]
    return max(ends) if ends else None


def rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class Client(threading.Thread):
    def __init__(self, url, pcm, rate, end_s, deadline, delay):
        super().__init__(daemon=True)
        self.url, self.pcm, self.rate, self.end_s = url, pcm, rate, end_s
        self.deadline, self.delay = deadline, delay
        self.results = []  # (text, latency after speech end, latency after eof)
        self.behind = 0
        self.errors = []

    def run(self):
        time.sleep(self.delay)
        chunk = int(self.rate * 0.1) * 2
        while time.monotonic() < self.deadline:
            try:
                ws = websocket.create_connection(self.url, timeout=30)
                ws.send(json.dumps({"sample_rate": self.rate, "format": "s16le", "channels": 1}))
                t0 = time.monotonic()
                for i in range(0, len(self.pcm), chunk):
                    due = t0 + min(i + chunk, len(self.pcm)) / 2 / self.rate  # a microphone has it then
                    now = time.monotonic()
                    if due > now:
                        time.sleep(due - now)
                    elif now - due > 1:
                        self.behind += 1
                    ws.send_binary(self.pcm[i:i + chunk])
                ws.send(json.dumps({"eof": True}))
                t_eof = time.monotonic()
                final_at, text = None, []
                ws.settimeout(30)
                events, _ = sc.receive_all(ws)
                final_at = time.monotonic()  # the close follows the last final at once
                text = " ".join(e["text"] for e in events if e["type"] == "final")
                self.results.append((text, final_at - (t0 + self.end_s), final_at - t_eof))
            except Exception as e:  # reported, never hidden
                self.errors.append(repr(e))


def start_server(a, n):
    return sc.Server(a.auris, [a.model], "--num-threads", str(a.threads), "--max-clients", str(max(n + 10, 100)),
                     *a.server_arg)


def pct(xs, q):
    return xs[min(len(xs) - 1, int(q * len(xs)))] if xs else float("nan")


def soak(a, n, pcm, rate, end_s, expected):
    """n clients for --soak-minutes; a line per --soak-interval; returns the exit status."""
    srv = start_server(a, n)
    try:
        start = time.monotonic()
        deadline = start + 60 * a.soak_minutes
        clients = [Client(srv.url(), pcm, rate, end_s, deadline, i / n) for i in range(n)]
        for c in clients:
            c.start()
        print("%8s %10s %10s %8s %8s %8s %10s" % ("minute", "rss_mb", "utterances", "wrong", "errors", "behind",
                                                   "p95_ms"))
        rss, seen, next_at = [], 0, start + a.soak_interval
        while any(c.is_alive() for c in clients):
            time.sleep(0.5)
            if time.monotonic() < next_at and any(c.is_alive() for c in clients):
                continue
            next_at += a.soak_interval
            results = [r for c in clients for r in c.results]
            new, seen = results[seen:], len(results)
            rss.append(rss_kb(srv.proc.pid) / 1024)
            print("%8.1f %10.1f %10d %8d %8d %8d %10.0f" % (
                (time.monotonic() - start) / 60, rss[-1], len(results), sum(r[0] != expected for r in results),
                sum(len(c.errors) for c in clients), sum(c.behind for c in clients),
                1000 * pct(sorted(r[1] for r in new), 0.95)), flush=True)
        m = srv.metrics()
    finally:
        status = srv.stop()
    errors = [e for c in clients for e in c.errors]
    if errors:
        print("first client error:", errors[0])
    print("RSS %.1f MB at the first sample, %.1f MB at the last (%+.1f MB); dropped %d; server exit %s"
          % (rss[0], rss[-1], rss[-1] - rss[0], m.get("auris_dropped_frames_total", 0), status))
    return 0 if status == 0 else 1


def run_level(a, n, pcm, rate, end_s, expected):
    srv = start_server(a, n)
    try:
        base = rss_kb(srv.proc.pid)
        deadline = time.monotonic() + a.seconds
        clients = [Client(srv.url(), pcm, rate, end_s, deadline, i / n) for i in range(n)]
        for c in clients:
            c.start()
        peak = base
        cpu0 = os.times()
        while any(c.is_alive() for c in clients):
            peak = max(peak, rss_kb(srv.proc.pid))
            time.sleep(0.2)
        cpu1 = os.times()
        m = srv.metrics()
    finally:
        status = srv.stop()
    results = [r for c in clients for r in c.results]
    errors = [e for c in clients for e in c.errors]
    lat = sorted(r[1] for r in results)
    lat_eof = sorted(r[2] for r in results)
    p = pct
    wrong = sum(1 for r in results if r[0] != expected)
    behind = sum(c.behind for c in clients)
    dropped = m.get("auris_dropped_frames_total", 0)
    ok = results and not errors and wrong == 0 and dropped == 0 and behind == 0 and p(lat, 0.95) <= 0.3
    return {
        "clients": n, "utterances": len(results), "wrong": wrong, "errors": len(errors),
        "first_error": errors[0] if errors else "", "dropped": int(dropped), "behind": behind,
        "p50_ms": 1000 * p(lat, 0.5), "p95_ms": 1000 * p(lat, 0.95), "max_ms": 1000 * (lat[-1] if lat else float("nan")),
        "p95_eof_ms": 1000 * p(lat_eof, 0.95), "server_rtf": m.get("auris_rtf", float("nan")),
        "mb_per_stream": (peak - base) / 1024 / n, "client_cpu_s": (cpu1.user + cpu1.system) - (cpu0.user + cpu0.system),
        "exit": status, "pass": bool(ok),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--auris", default=os.path.join(ROOT, "build", "release", "apps", "auris", "auris"))
    ap.add_argument("--model", default=os.path.join(ROOT, "data", "models", "digits-ctc.safetensors"))
    ap.add_argument("--wav", default=os.path.join(ROOT, "data", "samples", "digit_string.wav"))
    ap.add_argument("--clients", default="25,50,100", help="comma-separated client counts, one run each")
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--threads", type=int, default=0, help="auris serve --num-threads (0: one per core)")
    ap.add_argument("--json", help="also write the results here")
    ap.add_argument("--server-arg", action="append", default=[], help="an extra auris serve argument (repeatable)")
    ap.add_argument("--soak-minutes", type=float, help="soak: one --clients level for this long")
    ap.add_argument("--soak-interval", type=float, default=60, help="soak: seconds between report lines")
    a = ap.parse_args()
    rate, channels, pcm = sc.read_wav(a.wav)
    if channels != 1:
        sys.exit("serve_load.py: %s: mono WAV expected" % a.wav)
    end_s = speech_end(a.wav) or len(pcm) / 2 / rate
    expected = sc.transcribe_reference(a.auris, a.model, a.wav)
    print("auris serve, %s; %s (%.2f s, speech ends at %.2f s): \"%s\"; %d cores, --num-threads %d; %g s per level"
          % (os.path.basename(a.model), os.path.basename(a.wav), len(pcm) / 2 / rate, end_s, expected,
             os.cpu_count(), a.threads, a.seconds) + (" " + " ".join(a.server_arg) if a.server_arg else ""))
    if a.soak_minutes:
        sys.exit(soak(a, int(a.clients), pcm, rate, end_s, expected))
    cols = ("clients", "utterances", "wrong", "errors", "dropped", "behind", "p50_ms", "p95_ms", "max_ms",
            "p95_eof_ms", "server_rtf", "mb_per_stream", "client_cpu_s", "pass")
    print(" ".join("%12s" % c for c in cols))
    rows = []
    for n in (int(x) for x in a.clients.split(",")):
        r = run_level(a, n, pcm, rate, end_s, expected)
        rows.append(r)
        print(" ".join(("%12.4f" if c == "server_rtf" else "%12.1f") % r[c] if isinstance(r[c], float) else "%12s" % r[c]
                       for c in cols), flush=True)
        if r["first_error"]:
            print("   first client error:", r["first_error"])
    if a.json:
        with open(a.json, "w") as f:
            json.dump(rows, f, indent=1)
    sys.exit(0 if all(r["exit"] == 0 for r in rows) else 1)


if __name__ == "__main__":
    main()
