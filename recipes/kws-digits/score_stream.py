#!/usr/bin/python3
"""Scores keyword events of `auris live --json` against a stream's truth.

  score_stream.py --events EVENTS.jsonl --truth TRUTH.txt [--tolerance-s 0.3]
                  [--max-fa-per-hour 0.5] [--json]

EVENTS: JSON lines; only {"type": "keyword", "label", "score", "start", "end"}
are used (labels starting with "_" are ignored). TRUTH: make_stream.py's
truth.txt ("# duration_s D", then "<word> <start_s> <end_s> ...").
Matching: an event hits a truth word if the labels agree and the event's
[start, end] overlaps the word's [start - tol, end + tol] (tol = 0.3 s by
default: the spotter's windows and pooling blur event times by a few hundred
ms). Each truth word takes at most one event (the highest-scoring one); every
other event is a false alarm: wrong label, no word there, or a repeat on an
already-hit word.
FRR = missed words / words; FA per hour = false alarms / stream hours. The
sweep raises the score threshold over all event scores and reports, for each
FA/h budget, the lowest FRR reachable. One false alarm in a D-second stream is
3600/D per hour: the budget can only be met in steps of that size.
"""
import argparse
import json
import sys

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


def operating_point(words, events, hit_of, threshold, hours):
    kept = [i for i, ev in enumerate(events) if ev[1] >= threshold]
    hits = {hit_of[i] for i in kept if hit_of[i] >= 0}
    fa = sum(1 for i in kept if hit_of[i] < 0)
    return {"threshold": threshold, "frr": 1 - len(hits) / len(words), "misses": len(words) - len(hits),
            "false_alarms": fa, "fa_per_hour": fa / hours}


def finite(x):
    """x with non-finite floats (the 'all events' / 'no events' thresholds) as None, for JSON."""
    if isinstance(x, dict):
        return {k: finite(v) for k, v in x.items()}
    if isinstance(x, list):
        return [finite(v) for v in x]
    return None if isinstance(x, float) and not np.isfinite(x) else x


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--events", required=True)
    ap.add_argument("--truth", required=True)
    ap.add_argument("--tolerance-s", type=float, default=0.3)
    ap.add_argument("--max-fa-per-hour", type=float, default=0.5)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    words, duration = read_truth(args.truth)
    words.sort(key=lambda w: w[1])
    events = read_events(args.events)
    hours = duration / 3600
    # Matching is threshold-independent: the best event of each word wins, so
    # raising the threshold only removes events.
    hit_of = match(words, events, args.tolerance_s)
    kinds = {"wrong_label": 0, "repeat": 0, "no_word": 0}
    for i, (label, _, s, e) in enumerate(events):
        if hit_of[i] >= 0:
            continue
        near = [w[0] for w in words if s <= w[2] + args.tolerance_s and e >= w[1] - args.tolerance_s]
        kinds["repeat" if label in near else "wrong_label" if near else "no_word"] += 1
    at_all = operating_point(words, events, hit_of, -np.inf, hours)
    thresholds = sorted({ev[1] for ev in events}) + [np.inf]
    sweep = [operating_point(words, events, hit_of, t, hours) for t in thresholds]
    budgets = sorted({args.max_fa_per_hour, 1.0, 2.0, 5.0, 10.0})
    best = {}
    for b in budgets:
        ok = [p for p in sweep if p["fa_per_hour"] <= b + 1e-9]
        best[b] = min(ok, key=lambda p: (p["frr"], p["threshold"])) if ok else None
    grid = []
    for t in (0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99):
        grid.append(operating_point(words, events, hit_of, t, hours))
    result = {"words": len(words), "duration_s": duration, "events": len(events),
              "tolerance_s": args.tolerance_s, "fa_step_per_hour": 1 / hours,
              "all_events": at_all, "false_alarm_kinds": kinds,
              "best_at_fa_budget": {str(b): best[b] for b in budgets}, "grid": grid}
    if args.json:
        print(json.dumps(finite(result)))
        return
    print(f"stream {duration / 60:.1f} min, {len(words)} target words, {len(events)} keyword events, "
          f"tolerance +-{args.tolerance_s:.2f} s; one false alarm = {1 / hours:.2f} FA/h")
    a = at_all
    print(f"all events:  FRR {100 * a['frr']:.2f}% ({a['misses']} missed)  false alarms {a['false_alarms']} "
          f"({kinds['wrong_label']} wrong label on a target word, {kinds['repeat']} repeats on a hit word, "
          f"{kinds['no_word']} where no target word is)  {a['fa_per_hour']:.2f} FA/h")
    print("threshold sweep (lowest FRR within each FA/h budget):")
    for b in budgets:
        p = best[b]
        if p is None:
            print(f"  FA/h <= {b:5.2f}: not reached")
        elif p["threshold"] == np.inf:
            print(f"  FA/h <= {b:5.2f}: only with no events at all (FRR 100%)")
        else:
            print(f"  FA/h <= {b:5.2f}: threshold {p['threshold']:.4f}  FRR {100 * p['frr']:.2f}%  "
                  f"FA {p['false_alarms']} ({p['fa_per_hour']:.2f}/h)")
    print("fixed thresholds:")
    for p in grid:
        print(f"  {p['threshold']:.2f}: FRR {100 * p['frr']:6.2f}%  FA {p['false_alarms']:4d} "
              f"({p['fa_per_hour']:.2f}/h)")


if __name__ == "__main__":
    main()
