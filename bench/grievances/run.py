"""Similarity of requests as the grievances app computes it, measured on a labelled set of G-Valley requests.

    .venv/bin/python bench/grievances/run.py            # markdown tables
    .venv/bin/python bench/grievances/run.py --json bench/grievances/results.json

The app stores each request's features (``tokens_for_similarity(title + "\\n" + description)``) and fits a
TF-IDF ``SimilarityIndex`` over them (``gvalley.grievances.selectors.similarity_index``); the "similar
requests" panel shows the 3 most similar with a floor of 0.2, the staff's "possible duplicates" list uses
``DUPLICATE_THRESHOLD`` (0.45). This script does exactly that on ``requests.jsonl`` and reports:

* pairwise precision / recall / F1 of "possible duplicate" (score ≥ threshold) over all pairs, duplicates
  being the requests of the same group, with a small threshold curve;
* recall by the kind of variant (paraphrase, inflection, spacing/compound, short draft);
* false alarms on the hard negatives (same subject, different ask);
* hit@1 / hit@3 of the panel: is a request of the same group among the top 1 / 3 (score ≥ 0.2)?

Baseline for comparison: the same TF-IDF index over plain whitespace words of the normalised text.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from itertools import combinations
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from gvalley.engines.text import DUPLICATE_THRESHOLD, SimilarityIndex, normalize, tokens_for_similarity  # noqa: E402

PANEL_FLOOR = 0.2
CURVE = [0.05, 0.10, 0.15, 0.20, 0.25, 0.30, 0.35, 0.40, 0.45, 0.50, 0.55, 0.60]


def load() -> list[dict[str, str]]:
    rows = []
    with open(Path(__file__).with_name("requests.jsonl"), encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                rows.append(json.loads(line))
    return rows


def build(rows: list[dict[str, str]], method: str) -> tuple[SimilarityIndex[str], dict[str, str]]:
    if method == "app":
        feats = {r["id"]: " ".join(tokens_for_similarity(r["text"])) for r in rows}
    else:
        feats = {r["id"]: normalize(r["text"]) for r in rows}
    index: SimilarityIndex[str] = SimilarityIndex(tokenizer=str.split)
    index.fit(feats)
    return index, feats


def evaluate(rows: list[dict[str, str]], method: str) -> dict[str, Any]:
    index, feats = build(rows, method)
    group = {r["id"]: r["group"] for r in rows}
    kind = {r["id"]: r["kind"] for r in rows}
    ids = [r["id"] for r in rows]
    scores = {}
    for a, b in combinations(ids, 2):
        scores[(a, b)] = index.score(feats[a], feats[b])
    positives = {p for p in scores if group[p[0]] == group[p[1]]}

    def prf(threshold: float) -> dict[str, float | int]:
        flagged = {p for p, s in scores.items() if s >= threshold}
        tp = len(flagged & positives)
        fp = len(flagged - positives)
        fn = len(positives - flagged)
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"threshold": threshold, "precision": p, "recall": r, "f1": f, "tp": tp, "fp": fp, "fn": fn}

    by_kind: dict[str, list[bool]] = defaultdict(list)
    for a, b in positives:
        k = kind[b] if kind[a] == "original" else kind[a] if kind[b] == "original" else None
        if k is not None:
            by_kind[k].append(scores[(a, b)] >= DUPLICATE_THRESHOLD)
    negatives = [i for i in ids if kind[i] == "negative-shared-words"]
    topic = {i: i.split("-")[0] for i in ids}
    false_alarm = []
    for n in negatives:
        same_topic = [o for o in ids if o != n and topic[o] == topic[n]]
        best = max(scores.get((n, o), scores.get((o, n), 0.0)) for o in same_topic)
        false_alarm.append(best >= DUPLICATE_THRESHOLD)
    hits1 = hits3 = total = 0
    for i in ids:
        mates = {o for o in ids if o != i and group[o] == group[i]}
        if not mates:
            continue
        total += 1
        top = [d for d, _s in index.most_similar(feats[i], k=3, threshold=PANEL_FLOOR, exclude=[i])]
        hits1 += bool(top[:1] and top[0] in mates)
        hits3 += bool(set(top) & mates)
    return {
        "method": method,
        "documents": len(ids),
        "pairs": len(scores),
        "duplicate_pairs": len(positives),
        "at_threshold": prf(DUPLICATE_THRESHOLD),
        "curve": [prf(t) for t in CURVE],
        "recall_by_kind": {
            k: {"pairs": len(v), "recall": sum(v) / len(v)} for k, v in sorted(by_kind.items())
        },
        "hard_negatives": {"count": len(false_alarm), "flagged": sum(false_alarm)},
        "panel": {"requests_with_a_duplicate": total, "hit@1": hits1 / total, "hit@3": hits3 / total},
    }


def markdown(results: list[dict[str, Any]]) -> str:
    out = []
    app, base = results
    out.append(
        f"{app['documents']} requests, {app['pairs']} pairs, {app['duplicate_pairs']} duplicate pairs; "
        f"threshold {DUPLICATE_THRESHOLD}, panel floor {PANEL_FLOOR}.\n"
    )
    out.append("| method | precision | recall | F1 | TP | FP | FN | hit@1 | hit@3 | hard negatives flagged |")
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        a = r["at_threshold"]
        out.append(
            f"| {'app (Kiwi features, TF-IDF)' if r['method'] == 'app' else 'baseline (plain words, TF-IDF)'} "
            f"| {a['precision']:.3f} | {a['recall']:.3f} | {a['f1']:.3f} | {a['tp']} | {a['fp']} | {a['fn']} "
            f"| {r['panel']['hit@1']:.3f} | {r['panel']['hit@3']:.3f} "
            f"| {r['hard_negatives']['flagged']}/{r['hard_negatives']['count']} |"
        )
    for r in results:
        best = max(r["curve"], key=lambda c: c["f1"])
        out.append(
            f"\nBest F1 of {r['method']} over the curve: {best['f1']:.3f} at {best['threshold']:.2f} "
            f"(P {best['precision']:.3f}, R {best['recall']:.3f})"
        )
    out.append("\nRecall at the threshold by kind of variant (pairs original ↔ variant):\n")
    out.append("| kind | pairs | app | baseline |")
    out.append("|---|---:|---:|---:|")
    for k, v in app["recall_by_kind"].items():
        out.append(f"| {k} | {v['pairs']} | {v['recall']:.2f} | {base['recall_by_kind'][k]['recall']:.2f} |")
    out.append("\nThreshold curve (app):\n")
    out.append("| threshold | precision | recall | F1 |")
    out.append("|---:|---:|---:|---:|")
    for c in app["curve"][3:]:
        out.append(f"| {c['threshold']:.2f} | {c['precision']:.3f} | {c['recall']:.3f} | {c['f1']:.3f} |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", help="write the results to this file")
    args = parser.parse_args(argv)
    rows = load()
    results = [evaluate(rows, "app"), evaluate(rows, "baseline")]
    print(markdown(results))
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
