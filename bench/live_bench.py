#!/usr/bin/python3
"""Live-path benchmark (issue 6): compute per second of audio, latency and
memory of `auris live` on a long stream, with pocketsphinx_continuous (a
streaming recogniser, JSGF digit grammar) measured in the same run as the
reference.

  /usr/bin/python3 bench/live_bench.py [--auris BIN] [--model CTC] [--minutes 60]
      [--ps-minutes 5] [--kws-model M --kws-stream WAV --kws-truth FILE]

The CTC stream is the bundled digit string (data/samples/digit_string.wav,
its CTM gives the word times) followed by 1 s of silence, repeated for
--minutes. auris runs `live --input STREAM --fast --json` (one thread):
  * RTF: the process's CPU time (user + sys, from wait4; includes loading
    the model and decoding / resampling the file) / seconds of audio;
  * memory: resident set polled while it runs; RSS at the end minus RSS once
    the first minute of audio was processed (target: within 5 MB);
  * latency, algorithmic: for every word, the stream time of the first
    partial transcript that holds it completely, minus the word's true end
    (events are timed at 10 ms resolution); to that a live microphone adds
    the audio read granularity (--chunk-ms, default 100 ms, at most) and the
    compute time of a chunk (RTF x chunk).
With --kws-*: the same for a keyword-spotting model on a stream with known
keyword times (truth lines: "<label> <start> <end> ...", "#" comments, as
recipes/kws-digits/make_stream.sh writes them), latency = the event's
emission time ("emitted") minus the keyword's end.
"""
import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PS_MODEL = "/usr/share/pocketsphinx/model/en-us"
GRAMMAR = ("#JSGF V1.0;\ngrammar digits;\npublic <digits> = "
           "( zero | one | two | three | four | five | six | seven | eight | nine )+ ;\n")


def rss_mb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return None


def run_live(cmd):
    """Runs an `auris live --json` command; returns (json lines, cpu s, rss samples)."""
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True,
                         env=dict(os.environ, OMP_NUM_THREADS="1"))
    lines, samples, seen = [], [], [0.0]
    done = threading.Event()

    def poll():  # (stream seconds reached, RSS MB)
        while not done.is_set():
            r = rss_mb(p.pid)
            if r is not None:
                samples.append((seen[0], r))
            time.sleep(0.05)

    t = threading.Thread(target=poll)
    t.start()
    for line in p.stdout:
        j = json.loads(line)
        seen[0] = max(seen[0], j.get("end", 0.0))
        lines.append(j)
    done.set()
    t.join()
    _, status, usage = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        sys.exit(f"live_bench: {' '.join(cmd)} failed with exit code {p.returncode}")
    return lines, usage.ru_utime + usage.ru_stime, samples


def memory_report(samples, seconds):
    first = next((r for s, r in samples if s >= 60.0), None)
    if first is None or seconds < 120:
        return "memory: stream too short for the 1-minute baseline"
    end = samples[-1][1]
    peak = max(r for _, r in samples)
    return (f"memory: RSS after 1 min {first:.1f} MB, at the end {end:.1f} MB "
            f"(growth {end - first:+.1f} MB, target within 5 MB), peak {peak:.1f} MB")


def percentiles(xs):
    xs = sorted(xs)
    return (f"median {statistics.median(xs) * 1000:.0f} ms, p90 {xs[int(0.9 * (len(xs) - 1))] * 1000:.0f} ms, "
            f"max {xs[-1] * 1000:.0f} ms over {len(xs)} words")


def ctc_stream(tmp, minutes):
    sample = os.path.join(ROOT, "data", "samples", "digit_string.wav")
    words = []
    with open(os.path.join(ROOT, "data", "samples", "digit_string.ctm")) as f:
        for line in f:
            _, _, s, d, w = line.split()
            words.append((w, float(s), float(s) + float(d)))
    unit = os.path.join(tmp, "unit.wav")
    subprocess.run(["sox", sample, "-r", "16000", unit, "pad", "0", "1"], check=True)
    unit_s = float(subprocess.run(["soxi", "-D", unit], check=True, capture_output=True, text=True).stdout)
    n = max(1, int(round(minutes * 60 / unit_s)))
    stream = os.path.join(tmp, "stream.wav")
    subprocess.run(["sox", unit, stream, "repeat", str(n - 1)], check=True)
    truth = [(w, k * unit_s + s, k * unit_s + e) for k in range(n) for (w, s, e) in words]
    return stream, n * unit_s, truth, n


def ctc_latency(lines, truth, per_utt):
    """Word-end -> first partial (of that utterance) that holds the word."""
    lat, missing = [], 0
    partials = [j for j in lines if j["type"] == "partial"]
    # Utterances follow each other; group partials by their utterance start.
    by_start = {}
    for j in partials:
        by_start.setdefault(round(j["start"], 3), []).append(j)
    starts = sorted(by_start)
    for u in range(len(truth) // per_utt):
        words = truth[u * per_utt:(u + 1) * per_utt]
        # The utterance whose start lies before its first word and after the previous one's.
        cands = [s for s in starts if s <= words[0][1] + 0.05 and (u == 0 or s > truth[u * per_utt - 1][1])]
        if not cands:
            missing += per_utt
            continue
        events = by_start[cands[-1]]
        for i, (w, _, end) in enumerate(words):
            hit = next((j for j in events if len(j["text"].split()) > i and j["text"].split()[i] == w), None)
            if hit is None:
                missing += 1
            else:
                lat.append(hit["end"] - end)
    return lat, missing


def pocketsphinx_rtf(tmp, stream, minutes):
    clip = os.path.join(tmp, "ps.wav")
    subprocess.run(["sox", stream, clip, "trim", "0", str(minutes * 60)], check=True)
    gram = os.path.join(tmp, "digits.gram")
    with open(gram, "w") as f:
        f.write(GRAMMAR)
    cmd = ["pocketsphinx_continuous", "-infile", clip, "-jsgf", gram, "-hmm", f"{PS_MODEL}/en-us",
           "-dict", f"{PS_MODEL}/cmudict-en-us.dict", "-logfn", "/dev/null"]
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(p.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit("live_bench: pocketsphinx_continuous failed")
    return (usage.ru_utime + usage.ru_stime) / (minutes * 60)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--auris", default=os.path.join(ROOT, "build", "release", "apps", "auris", "auris"))
    ap.add_argument("--model", default=os.path.join(ROOT, "data", "models", "digits-ctc.safetensors"))
    ap.add_argument("--minutes", type=float, default=60.0)
    ap.add_argument("--ps-minutes", type=float, default=5.0)
    ap.add_argument("--kws-model")
    ap.add_argument("--kws-stream")
    ap.add_argument("--kws-truth")
    a = ap.parse_args()
    for tool in ("sox", "soxi", "pocketsphinx_continuous"):
        if subprocess.run(["which", tool], capture_output=True).returncode != 0:
            sys.exit(f"live_bench: {tool} not found: run scripts/install-deps.sh --dev")
    with tempfile.TemporaryDirectory() as tmp:
        stream, seconds, truth, reps = ctc_stream(tmp, a.minutes)
        print(f"== CTC: {a.model}\nstream: {seconds / 60:.1f} min ({reps} x the digit string + 1 s silence)")
        lines, cpu, samples = run_live([a.auris, "live", "--model", a.model, "--input", stream, "--fast", "--json"])
        rtf = cpu / seconds
        finals = [j for j in lines if j["type"] == "final"]
        right = sum(j["text"] == "two zero six six seven seven" for j in finals)
        print(f"finals: {len(finals)} ({right} exactly right, {reps} expected)")
        print(f"RTF (1 thread, CPU s per s of audio): {rtf:.4f} (target <= 0.01)")
        print(memory_report(samples, seconds))
        lat, missing = ctc_latency(lines, truth, 6)
        if lat:
            print(f"latency, word end -> partial holding it: {percentiles(lat)}; {missing} words never shown")
            print(f"  + a microphone chunk (<= 100 ms) + compute per chunk ({rtf * 100:.1f} ms per 100 ms)")
        ps = pocketsphinx_rtf(tmp, stream, min(a.ps_minutes, seconds / 60))
        print(f"pocketsphinx_continuous RTF on the first {min(a.ps_minutes, seconds / 60):.0f} min: {ps:.4f}")
        print(f"auris / pocketsphinx speed: {ps / rtf:.1f}x")

        if a.kws_model:
            if not (a.kws_stream and a.kws_truth):
                sys.exit("live_bench: --kws-model needs --kws-stream and --kws-truth")
            kseconds = float(subprocess.run(["soxi", "-D", a.kws_stream], check=True, capture_output=True,
                                            text=True).stdout)
            print(f"== KWS: {a.kws_model}\nstream: {a.kws_stream} ({kseconds / 60:.1f} min)")
            lines, cpu, samples = run_live([a.auris, "live", "--model", a.kws_model, "--input", a.kws_stream,
                                            "--fast", "--json"])
            print(f"RTF (1 thread): {cpu / kseconds:.4f} (target <= 0.01)")
            print(memory_report(samples, kseconds))
            truth = []
            with open(a.kws_truth) as f:
                for line in f:
                    if line.strip() and not line.startswith("#"):
                        label, s, e = line.split()[:3]
                        truth.append((label, float(s), float(e)))
            events = [j for j in lines if j["type"] == "keyword"]
            lat = []
            for label, s, e in truth:
                hit = next((j for j in events if j["label"] == label and j["start"] <= e + 0.3
                            and j["end"] >= s - 0.3), None)
                if hit is not None and "emitted" in hit:
                    lat.append(hit["emitted"] - e)
            if lat:
                print(f"latency, keyword end -> event: {percentiles(lat)} (target <= 300 ms, "
                      f"plus chunk and compute as above)")
            else:
                print("latency: no matched keyword events with an emission time ('emitted')")


if __name__ == "__main__":
    main()
