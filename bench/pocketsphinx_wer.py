#!/usr/bin/python3
"""Scores pocketsphinx hypotheses against a Kaldi `text` file and prints the
auris-vs-pocketsphinx table for bench/run_pocketsphinx_bench.sh.

The WER here is deliberately independent of auris's own scorer: per utterance,
a word-level Levenshtein alignment (minimum substitutions + deletions +
insertions); WER = sum of the three over all utterances / total reference
words; SER = utterances with any error / utterances.

Usage (normally called by the shell script):
  pocketsphinx_wer.py --text TEXT --utts LIST --hyp HYP --ps-decode-s S
      --ps-upsample-s S --audio-s S --out FILE
      [--auris-json FILE --auris-wall-s S] [--show N] [--target 0.25]
"""
import argparse
import json
import math
import re
import sys

# pocketsphinx_batch -hyp lines: "<words> (<uttid> <score>)"
HYP_LINE = re.compile(r"^(.*?)\s*\((\S+)\s+-?\d+\)\s*$")
AURIS_KEYS = ("wer", "ser", "n_words", "n_utts", "sub", "del", "ins")


def fail(msg):
    print(f"pocketsphinx_wer.py: {msg}", file=sys.stderr)
    sys.exit(1)


def read_table(path):
    """Kaldi-style "<key> <rest...>" lines -> {key: [words]}."""
    out = {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            parts = line.split()
            if not parts:
                continue
            if parts[0] in out:
                fail(f"{path}:{n}: duplicate utterance '{parts[0]}'")
            out[parts[0]] = [w.lower() for w in parts[1:]]
    return out


def read_hyps(path):
    out = {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            m = HYP_LINE.match(line.rstrip("\n"))
            if not m:
                fail(f"{path}:{n}: not a pocketsphinx hypothesis line: {line.strip()!r}")
            out[m.group(2)] = m.group(1).lower().split()
    return out


def edit_ops(ref, hyp):
    """Minimum-cost word alignment -> (sub, del, ins). Ties in the backtrace
    prefer match/substitution, then deletion, then insertion; the total is
    the Levenshtein distance whatever the tie-break."""
    r, h = len(ref), len(hyp)
    d = [[0] * (h + 1) for _ in range(r + 1)]
    for i in range(r + 1):
        d[i][0] = i
    for j in range(h + 1):
        d[0][j] = j
    for i in range(1, r + 1):
        for j in range(1, h + 1):
            diag = d[i - 1][j - 1] + (ref[i - 1] != hyp[j - 1])
            d[i][j] = min(diag, d[i - 1][j] + 1, d[i][j - 1] + 1)
    sub = dele = ins = 0
    i, j = r, h
    while i > 0 or j > 0:
        if i > 0 and j > 0 and d[i][j] == d[i - 1][j - 1] + (ref[i - 1] != hyp[j - 1]):
            sub += ref[i - 1] != hyp[j - 1]
            i, j = i - 1, j - 1
        elif i > 0 and d[i][j] == d[i - 1][j] + 1:
            dele += 1
            i -= 1
        else:
            ins += 1
            j -= 1
    assert sub + dele + ins == d[r][h]
    return sub, dele, ins


def score(refs, hyps, utts, show):
    tot = {"sub": 0, "del": 0, "ins": 0}
    n_words = n_err_utts = 0
    shown = 0
    for u in utts:
        s, dl, i = edit_ops(refs[u], hyps.get(u, []))
        tot["sub"] += s
        tot["del"] += dl
        tot["ins"] += i
        n_words += len(refs[u])
        if s + dl + i:
            n_err_utts += 1
            if shown < show:
                print(f"  {u}: ref '{' '.join(refs[u])}'  hyp '{' '.join(hyps.get(u, []))}'",
                      file=sys.stderr)
                shown += 1
    if n_words == 0:
        fail("the reference transcripts hold no words; WER is undefined")
    errors = tot["sub"] + tot["del"] + tot["ins"]
    return {"wer": errors / n_words, "ser": n_err_utts / len(utts),
            "n_words": n_words, "n_utts": len(utts), **tot}


def read_auris(path, n_utts, n_words):
    """auris eval --json output -> the same fields, WER/SER as fractions.
    Counts are taken as given; WER is recomputed from them so a percent or
    fraction convention in auris's "wer" field cannot skew the ratio."""
    text = open(path, encoding="utf-8").read().strip()
    obj = None
    for cand in [text] + text.splitlines()[::-1]:
        try:
            obj = json.loads(cand)
            break
        except ValueError:
            continue
    if not isinstance(obj, dict):
        fail(f"auris eval --json printed no JSON object: {text[:200]!r}")
    missing = [k for k in AURIS_KEYS if k not in obj]
    if missing:
        fail(f"auris eval --json lacks {', '.join(missing)}: {text[:200]!r}")
    if obj["n_utts"] != n_utts or obj["n_words"] != n_words:
        fail(f"auris scored {obj['n_utts']} utterances / {obj['n_words']} words, "
             f"pocketsphinx {n_utts} / {n_words}: not the same test set")
    wer = (obj["sub"] + obj["del"] + obj["ins"]) / n_words
    # Same units as auris's own "wer": fraction (scale 1) or percent (scale 100).
    scale = 1.0
    if wer > 0 and math.isclose(obj["wer"], 100 * wer, rel_tol=1e-3):
        scale = 100.0
    elif not math.isclose(obj["wer"], wer, rel_tol=1e-3, abs_tol=1e-9):
        fail(f"auris reports wer {obj['wer']} but its counts give {wer:.6f}")
    return {"wer": wer, "ser": obj["ser"] / scale, "n_words": n_words, "n_utts": n_utts,
            "sub": obj["sub"], "del": obj["del"], "ins": obj["ins"]}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--text", required=True, help="Kaldi text file (references)")
    ap.add_argument("--utts", required=True, help="utterance ids scored, one a line")
    ap.add_argument("--hyp", required=True, help="pocketsphinx_batch -hyp output")
    ap.add_argument("--ps-decode-s", type=float, required=True)
    ap.add_argument("--ps-upsample-s", type=float, required=True)
    ap.add_argument("--audio-s", type=float, required=True, help="total audio duration")
    ap.add_argument("--auris-json", help="auris eval --json stdout (omit: pocketsphinx only)")
    ap.add_argument("--auris-wall-s", type=float)
    ap.add_argument("--auris-model", default="")
    ap.add_argument("--data", default="")
    ap.add_argument("--target", type=float, help="max auris WER / pocketsphinx WER (none: no verdict)")
    ap.add_argument("--show", type=int, default=0, help="print N wrong utterances to stderr")
    ap.add_argument("--out", required=True, help="JSON results file")
    a = ap.parse_args()

    refs = read_table(a.text)
    utts = [line.split()[0] for line in open(a.utts, encoding="utf-8") if line.strip()]
    if not utts:
        fail(f"{a.utts}: no utterances")
    lost = [u for u in utts if u not in refs]
    if lost:
        fail(f"{a.text}: no transcript for {len(lost)} utterances (first: {lost[0]})")
    hyps = read_hyps(a.hyp)
    no_hyp = [u for u in utts if u not in hyps]
    if no_hyp:
        print(f"pocketsphinx_wer.py: warning: pocketsphinx gave no result for {len(no_hyp)} "
              f"utterances (first: {no_hyp[0]}); scored as empty", file=sys.stderr)

    ps = score(refs, hyps, utts, a.show)
    ps["no_result"] = len(no_hyp)
    ps["wall_s"] = round(a.ps_decode_s + a.ps_upsample_s, 3)
    ps["decode_s"] = a.ps_decode_s
    ps["upsample_s"] = a.ps_upsample_s
    result = {"data": a.data, "n_utts": len(utts), "audio_s": a.audio_s, "pocketsphinx": ps}
    systems = [("pocketsphinx", ps)]
    if a.auris_json:
        au = read_auris(a.auris_json, ps["n_utts"], ps["n_words"])
        au["wall_s"] = a.auris_wall_s
        au["model"] = a.auris_model
        result["auris"] = au
        systems.insert(0, ("auris", au))
        ratio = au["wer"] / ps["wer"] if ps["wer"] > 0 else (0.0 if au["wer"] == 0 else math.inf)
        result["wer_ratio"] = ratio if math.isfinite(ratio) else None
        if a.target is not None:
            result["target_ratio"] = a.target
            result["target_met"] = ratio <= a.target

    print(f"{len(utts)} utterances, {ps['n_words']} words, {a.audio_s:.1f} s of audio"
          + (f" ({a.data})" if a.data else ""))
    print(f"{'system':<13} {'WER %':>7} {'SER %':>7} {'sub':>5} {'del':>5} {'ins':>5}"
          f" {'wall s':>8} {'xRT':>7}")
    for name, s in systems:
        print(f"{name:<13} {100 * s['wer']:7.2f} {100 * s['ser']:7.2f} {s['sub']:5d}"
              f" {s['del']:5d} {s['ins']:5d} {s['wall_s']:8.2f} {s['wall_s'] / a.audio_s:7.4f}")
    print(f"(pocketsphinx wall = upsampling {a.ps_upsample_s:.2f} s + decoding {a.ps_decode_s:.2f} s)")
    if a.auris_json:
        r = result["wer_ratio"]
        shown = "inf" if r is None else f"{r:.3f}"
        verdict = "" if a.target is None else \
            f" (target <= {a.target}): {'met' if result['target_met'] else 'NOT met'}"
        print(f"auris WER / pocketsphinx WER = {shown}{verdict}")
    with open(a.out, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
