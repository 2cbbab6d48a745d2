#!/usr/bin/python3
"""Scores keyword events of `auris live --json` runs against a stream's truth.

  score_stream.py --truth TRUTH.txt --run THRESHOLD=EVENTS.jsonl [--run ...]
                  [--tolerance-s 0.3] [--max-fa-per-hour 0.5] [--json-out FILE]

Each run is one `auris live --json --threshold THRESHOLD` over the stream, so
every operating point is one the spotter really has: no event is re-scored or
dropped here (sweeping one run's event scores instead would assume an event's
score says whether it would have fired at a higher threshold, which the
smoothing, the refractory period and the staggered streams do not promise).
EVENTS: JSON lines; only {"type": "keyword", "label", "score", "start", "end"}
are used (labels starting with "_" are ignored). TRUTH: make_stream.py's
truth.txt ("# duration_s D", then "<word> <start_s> <end_s> ...").
Matching: an event hits a truth word if the labels agree and the event's
[start, end] overlaps the word's [start - tol, end + tol] (tol = 0.3 s by
default: the spotter's windows and pooling blur event times by a few hundred
ms). Each truth word takes at most one event (the highest-scoring one); every
other event is a false alarm: wrong label, no word there, or a repeat on an
already-hit word.
FRR = missed words / words; FA per hour = false alarms / stream hours. For
each FA/h budget the lowest FRR among the runs within it is reported. One
false alarm in a D-second stream is 3600/D per hour: the budget can only be
met in steps of that size.
"""
import argparse
import json

import numpy as np


def read_truth(path):
    duration = None
    words = []
    with open(path) as f:
        for line in f:
            if line.startswith("# duration_s"):
                duration = float(line.split()[2])
            elif line.strip() and not line.startswith("#"):
                p = line.split()
                words.append((p[0], float(p[1]), float(p[2])))
    if duration is None:
        raise SystemExit(f"score_stream.py: {path}: no '# duration_s' line")
    return words, duration


def read_events(path):
    events = []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line.startswith("{"):
                continue
            try:
                e = json.loads(line)
            except json.JSONDecodeError as err:
                raise SystemExit(f"score_stream.py: {path}:{n}: {err}")
            if e.get("type") == "keyword" and not str(e["label"]).startswith("_"):
                events.append((str(e["label"]), float(e["score"]), float(e["start"]), float(e["end"])))
    return events


def match(words, events, tol):
    """For each event, the index of the truth word it hits (or -1), one event per word."""
    starts = np.array([w[1] for w in words])
    order = sorted(range(len(events)), key=lambda i: -events[i][1])
    taken = set()
    hit_of = [-1] * len(events)
    for i in order:
        label, _, s, e = events[i]
        lo = np.searchsorted(starts, s - 10.0)
        for j in range(lo, len(words)):
            word, ws, we = words[j]
            if ws - tol > e:
                break
            if word == label and s <= we + tol and e >= ws - tol and j not in taken:
                taken.add(j)
                hit_of[i] = j
                break
    return hit_of


def score_run(words, events, tol, threshold, hours):
    hit_of = match(words, events, tol)
    kinds = {"wrong_label": 0, "repeat": 0, "no_word": 0}
    for i, (label, _, s, e) in enumerate(events):
        if hit_of[i] >= 0:
            continue
        near = [w[0] for w in words if s <= w[2] + tol and e >= w[1] - tol]
        kinds["repeat" if label in near else "wrong_label" if near else "no_word"] += 1
    hits = sum(1 for h in hit_of if h >= 0)
    fa = len(events) - hits
    return {"threshold": threshold, "events": len(events), "frr": 1 - hits / len(words),
            "misses": len(words) - hits, "false_alarms": fa, "fa_per_hour": fa / hours,
            "false_alarm_kinds": kinds}


def parse_run(text):
    threshold, sep, path = text.partition("=")
    try:
        if sep and path:
            return float(threshold), path
    except ValueError:
        pass
    raise SystemExit(f"score_stream.py: --run {text}: expected THRESHOLD=EVENTS.jsonl")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("--truth", required=True)
    ap.add_argument("--run", action="append", required=True, type=parse_run,
                    help="THRESHOLD=EVENTS.jsonl, one per auris live run")
    ap.add_argument("--tolerance-s", type=float, default=0.3)
    ap.add_argument("--max-fa-per-hour", type=float, default=0.5)
    ap.add_argument("--json-out", metavar="FILE", help="also write the figures as JSON to FILE")
    args = ap.parse_args()
    words, duration = read_truth(args.truth)
    words.sort(key=lambda w: w[1])
    hours = duration / 3600
    runs = sorted((score_run(words, read_events(path), args.tolerance_s, t, hours)
                   for t, path in args.run), key=lambda r: r["threshold"])
    budgets = sorted({args.max_fa_per_hour, 1.0, 2.0, 5.0, 10.0})
    best = {}
    for b in budgets:
        ok = [r for r in runs if r["fa_per_hour"] <= b + 1e-9]
        best[b] = min(ok, key=lambda r: (r["frr"], r["threshold"])) if ok else None
    result = {"words": len(words), "duration_s": duration, "tolerance_s": args.tolerance_s,
              "fa_step_per_hour": 1 / hours, "runs": runs,
              "best_at_fa_budget": {str(b): best[b] for b in budgets}}
    if args.json_out:
        with open(args.json_out, "w") as f:
            json.dump(result, f)
    print(f"stream {duration / 60:.1f} min, {len(words)} target words, tolerance +-{args.tolerance_s:.2f} s; "
          f"one false alarm = {1 / hours:.2f} FA/h")
    print("runs (auris live --threshold T):")
    for r in runs:
        k = r["false_alarm_kinds"]
        print(f"  {r['threshold']:<6g}: FRR {100 * r['frr']:6.2f}% ({r['misses']:3d} missed)  "
              f"FA {r['false_alarms']:4d} ({r['fa_per_hour']:7.2f}/h: {k['no_word']} where no target word is, "
              f"{k['wrong_label']} wrong label, {k['repeat']} repeats)")
    print("lowest FRR within each FA/h budget:")
    for b in budgets:
        r = best[b]
        if r is None:
            print(f"  FA/h <= {b:5.2f}: not reached by any run (try higher thresholds)")
        else:
            print(f"  FA/h <= {b:5.2f}: threshold {r['threshold']:g}  FRR {100 * r['frr']:.2f}%  "
                  f"FA {r['false_alarms']} ({r['fa_per_hour']:.2f}/h)")


if __name__ == "__main__":
    main()
