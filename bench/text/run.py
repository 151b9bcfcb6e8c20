"""Benchmark of the Korean text layer on the labelled G-Valley set.

    .venv/bin/python bench/text/run.py            # tables (markdown) on stdout
    .venv/bin/python bench/text/run.py --errors   # also list the misses / false hits of the Kiwi layer
    .venv/bin/python bench/text/run.py --json results.json

Data (hand-written and hand-labelled, see README.md beside this file):
  documents.jsonl   125 company / product / job posting / request texts
  search.jsonl      140 queries with the set of relevant documents
  duplicates.jsonl  155 request pairs labelled duplicate / not duplicate

(a) Search: every method decides match / no match for each (query, document); precision and recall are
micro-averaged over all pairs (and macro-averaged over queries).
(b) Duplicate detection: every similarity scores each pair; precision / recall / F1 at each threshold,
the best threshold, a grouped cross-validated F1 (threshold chosen on the other topics), and hit@k of
``most_similar``: for each request with a labelled duplicate, is one of its duplicates among the k most
similar texts of the whole request corpus (163 texts, the hard negatives included)?
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT / "src"))

from gvalley.engines import text as T  # noqa: E402

# ----------------------------------------------------------------------------------------------------------
# Data
# ----------------------------------------------------------------------------------------------------------


def load_jsonl(name: str) -> list[dict[str, Any]]:
    with open(HERE / name, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@dataclass
class Scores:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


# ----------------------------------------------------------------------------------------------------------
# (a) Search methods: (query, document text) -> bool, with a per-document preparation step
# ----------------------------------------------------------------------------------------------------------


class Method:
    name = ""
    note = ""

    def prepare(self, doc: str) -> Any:
        return doc

    def match(self, query: str, prepared: Any) -> bool:
        raise NotImplementedError


class PlainSubstring(Method):
    name = "plain substring"
    note = "every whitespace word of the normalised query is a substring of the normalised document"

    def prepare(self, doc: str) -> str:
        return T.normalize(doc)

    def match(self, query: str, prepared: str) -> bool:
        words = T.normalize(query).split()
        return bool(words) and all(w in prepared for w in words)


class NgramAll(Method):
    name = "char bigram (all)"
    note = "every character bigram of the query words occurs in the document (spaces removed)"

    def __init__(self, min_share: float = 1.0) -> None:
        self.min_share = min_share
        if min_share < 1.0:
            self.name = f"char bigram (≥{int(min_share * 100)}%)"
            self.note = f"at least {int(min_share * 100)}% of the query's bigrams occur in the document"

    def prepare(self, doc: str) -> set[str]:
        return set(T.char_ngrams(doc, 2, across_spaces=True)) | set(T.char_ngrams(doc, 1, across_spaces=True))

    def match(self, query: str, prepared: set[str]) -> bool:
        grams = T.char_ngrams(query, 2)
        if not grams:
            return False
        hit = sum(1 for g in grams if g in prepared)
        return hit >= self.min_share * len(grams) - 1e-9


class KiwiTokenEquality(Method):
    name = "Kiwi token equality"
    note = "every content morpheme of the query equals a morpheme of the document (no substrings)"

    @staticmethod
    def _forms(text: str) -> set[str]:
        return {
            m.form
            for m in T.analyze(text)
            if m.base_tag in {"NNG", "NNP", "NR", "SL", "SN", "SH", "XR", "VV", "VA"}
        }

    def prepare(self, doc: str) -> set[str]:
        return self._forms(doc)

    def match(self, query: str, prepared: set[str]) -> bool:
        q = self._forms(query)
        return bool(q) and q <= prepared


class KiwiTermsOnText(Method):
    name = "Kiwi terms, plain text"
    note = "ablation: our query_terms against the normalised text only (no stems / joins in the index)"

    def prepare(self, doc: str) -> str:
        return T.normalize(doc)

    def match(self, query: str, prepared: str) -> bool:
        return T.matches(query, prepared)


class KiwiLayer(Method):
    name = "Kiwi layer (ours)"
    note = "query_terms(q) all substrings of index_document(doc) — what the apps store and query"

    def prepare(self, doc: str) -> str:
        return T.index_document(doc)

    def match(self, query: str, prepared: str) -> bool:
        return T.matches(query, prepared)


def evaluate_search(
    method: Method, docs: list[dict[str, Any]], queries: list[dict[str, Any]]
) -> tuple[Scores, float, float, dict[str, Scores], list[tuple[str, list[str], list[str]]]]:
    prepared = {d["id"]: method.prepare(d["text"]) for d in docs}
    total = Scores()
    by_tag: dict[str, Scores] = {}
    macro_p: list[float] = []
    macro_r: list[float] = []
    errors: list[tuple[str, list[str], list[str]]] = []
    for q in queries:
        relevant = set(q["relevant"])
        hits = {doc_id for doc_id, prep in prepared.items() if method.match(q["query"], prep)}
        s = Scores(len(hits & relevant), len(hits - relevant), len(relevant - hits))
        total.tp += s.tp
        total.fp += s.fp
        total.fn += s.fn
        macro_p.append(s.precision)
        macro_r.append(s.recall)
        for tag in q.get("tags", []):
            agg = by_tag.setdefault(tag, Scores())
            agg.tp += s.tp
            agg.fp += s.fp
            agg.fn += s.fn
        if s.fp or s.fn:
            errors.append((q["query"], sorted(relevant - hits), sorted(hits - relevant)))
    n = len(queries)
    return total, sum(macro_p) / n, sum(macro_r) / n, by_tag, errors


# ----------------------------------------------------------------------------------------------------------
# (b) Duplicate detection
# ----------------------------------------------------------------------------------------------------------


def word_jaccard(a: str, b: str) -> float:
    wa, wb = set(T.normalize(a).split()), set(T.normalize(b).split())
    return len(wa & wb) / len(wa | wb) if wa | wb else 0.0


def make_index(
    tokenizer: Callable[[str], list[str]], scheme: str, corpus: dict[str, str]
) -> T.SimilarityIndex[str]:
    index: T.SimilarityIndex[str] = T.SimilarityIndex(tokenizer=tokenizer, scheme=scheme)  # type: ignore[arg-type]
    return index.fit(corpus)


def ngram23(text: str) -> list[str]:
    return ["#" + g for g in T.char_ngrams(text, 2)] + ["#" + g for g in T.char_ngrams(text, 3)]


SIMILARITIES: list[tuple[str, str, Callable[[str], list[str]] | None, str]] = [
    ("word Jaccard (plain)", "jaccard", None, "Jaccard of the normalised whitespace words"),
    ("char bigram TF-IDF", "tfidf", lambda t: T.tokens_for_similarity(t, "ngram"), "bigrams within words"),
    ("char 2+3-gram TF-IDF", "tfidf", ngram23, "bigrams and trigrams within words"),
    (
        "Kiwi morphemes TF-IDF",
        "tfidf",
        lambda t: T.tokens_for_similarity(t, "morph"),
        "nouns, stems, foreign",
    ),
    (
        "Kiwi morphemes + noun bigrams TF-IDF (ours)",
        "tfidf",
        lambda t: T.tokens_for_similarity(t, "morph+ngram"),
        "default of SimilarityIndex",
    ),
    ("Kiwi morphemes + noun bigrams BM25", "bm25", lambda t: T.tokens_for_similarity(t, "morph+ngram"), ""),
    ("Kiwi morphemes BM25", "bm25", lambda t: T.tokens_for_similarity(t, "morph"), ""),
]

THRESHOLDS = [round(0.05 * i, 2) for i in range(1, 20)]


def pr_at(scored: Sequence[tuple[float, bool]], threshold: float) -> Scores:
    s = Scores()
    for score, dup in scored:
        if score >= threshold:
            if dup:
                s.tp += 1
            else:
                s.fp += 1
        elif dup:
            s.fn += 1
    return s


def best_threshold(scored: Sequence[tuple[float, bool]]) -> tuple[float, Scores]:
    best: tuple[float, Scores] | None = None
    for t in THRESHOLDS:
        s = pr_at(scored, t)
        if best is None or s.f1 > best[1].f1 + 1e-12:
            best = (t, s)
    assert best is not None
    return best


def average_precision(scored: Sequence[tuple[float, bool]]) -> float:
    ranked = sorted(scored, key=lambda x: -x[0])
    positives = sum(1 for _, d in ranked if d)
    hits = 0
    total = 0.0
    for i, (_, dup) in enumerate(ranked, 1):
        if dup:
            hits += 1
            total += hits / i
    return total / positives if positives else 0.0


def bootstrap_ap(
    scored: Sequence[tuple[float, bool]], rounds: int = 1000, seed: int = 7
) -> tuple[float, float]:
    """95% bootstrap interval (resampling pairs) of the average precision."""
    rng = random.Random(seed)
    n = len(scored)
    values = sorted(average_precision([scored[rng.randrange(n)] for _ in range(n)]) for _ in range(rounds))
    return values[int(0.025 * rounds)], values[int(0.975 * rounds) - 1]


def grouped_cv(pairs: list[dict[str, Any]], scores: list[float], folds: int = 5) -> Scores:
    """Choose the threshold on the other topic groups, apply it to the held-out group (leave-groups-out)."""
    groups = sorted({p["a_id"][0] for p in pairs})
    fold_of = {g: i % folds for i, g in enumerate(groups)}
    total = Scores()
    for f in range(folds):
        train = [
            (s, p["duplicate"]) for p, s in zip(pairs, scores, strict=True) if fold_of[p["a_id"][0]] != f
        ]
        test = [(s, p["duplicate"]) for p, s in zip(pairs, scores, strict=True) if fold_of[p["a_id"][0]] == f]
        t, _ = best_threshold(train)
        s = pr_at(test, t)
        total.tp += s.tp
        total.fp += s.fp
        total.fn += s.fn
    return total


# ----------------------------------------------------------------------------------------------------------
# Main
# ----------------------------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--errors", action="store_true", help="list misses and false hits of the Kiwi layer")
    ap.add_argument("--json", metavar="PATH", help="write the figures as JSON")
    args = ap.parse_args(argv)

    docs = load_jsonl("documents.jsonl")
    queries = load_jsonl("search.jsonl")
    pairs = load_jsonl("duplicates.jsonl")
    out: dict[str, Any] = {"search": {}, "duplicates": {}}

    t0 = time.perf_counter()
    T.get_kiwi()
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    for d in docs:
        T._analyze_cached.cache_clear()
        T.index_document(d["text"])
    per_doc_ms = (time.perf_counter() - t0) / len(docs) * 1000
    T._analyze_cached.cache_clear()

    print(f"# Text layer benchmark — {len(docs)} documents, {len(queries)} queries, {len(pairs)} pairs")
    print(f"\nKiwi load {load_s:.2f} s; index_document {per_doc_ms:.2f} ms per document (uncached)\n")
    print("## (a) Search — micro-averaged over (query, document) pairs\n")
    print("| method | precision | recall | F1 | macro P | macro R | TP | FP | FN |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    methods: list[Method] = [
        PlainSubstring(),
        NgramAll(),
        NgramAll(0.75),
        KiwiTokenEquality(),
        KiwiTermsOnText(),
        KiwiLayer(),
    ]
    tag_table: dict[str, dict[str, Scores]] = {}
    ours_errors: list[tuple[str, list[str], list[str]]] = []
    for m in methods:
        s, mp, mr, by_tag, errors = evaluate_search(m, docs, queries)
        tag_table[m.name] = by_tag
        if isinstance(m, KiwiLayer):
            ours_errors = errors
        print(
            f"| {m.name} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | {mp:.3f} | {mr:.3f} "
            f"| {s.tp} | {s.fp} | {s.fn} |"
        )
        out["search"][m.name] = {
            "precision": s.precision,
            "recall": s.recall,
            "f1": s.f1,
            "macro_precision": mp,
            "macro_recall": mr,
            "tp": s.tp,
            "fp": s.fp,
            "fn": s.fn,
            "note": m.note,
        }
    tags = sorted({t for q in queries for t in q.get("tags", [])})
    counts = Counter(t for q in queries for t in q.get("tags", []))
    print("\nRecall / precision by query type (queries may have several types):\n")
    print("| type (queries) | " + " | ".join(m.name for m in methods) + " |")
    print("|---|" + "---|" * len(methods))
    for tag in tags:
        cells = []
        for m in methods:
            s = tag_table[m.name].get(tag, Scores())
            cells.append(f"R {s.recall:.2f} / P {s.precision:.2f}")
        print(f"| {tag} ({counts[tag]}) | " + " | ".join(cells) + " |")

    if args.errors:
        print("\nKiwi layer — misses (relevant, not found) and false hits:\n")
        for q, missed, false in ours_errors:
            print(f"- `{q}` terms={T.query_terms(q)} missed={missed} false={false}")

    # (b) duplicates
    corpus: dict[str, str] = {}
    for p in pairs:
        corpus[p["a_id"]] = p["a"]
        corpus[p["b_id"]] = p["b"]
    for d in docs:
        if d["kind"] == "request":
            corpus[d["id"]] = d["text"]
    print(
        f"\n## (b) Duplicate detection — {len(pairs)} pairs ({sum(p['duplicate'] for p in pairs)} duplicates)"
    )
    print(f"\nIDF fitted on {len(corpus)} request texts (pair texts + request documents).\n")
    print(
        "| similarity | best threshold | P | R | F1 | avg precision (95% CI) | grouped-CV F1 (P / R) | hit@3 / hit@1 |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    curves: dict[str, list[tuple[float, Scores]]] = {}
    for name, scheme, tok, note in SIMILARITIES:
        if scheme == "jaccard":
            scores = [word_jaccard(p["a"], p["b"]) for p in pairs]
            index = None
        else:
            assert tok is not None
            index = make_index(tok, scheme, corpus)
            scores = [index.score(p["a"], p["b"]) for p in pairs]
        scored = list(zip(scores, [p["duplicate"] for p in pairs], strict=True))
        t, best = best_threshold(scored)
        ap_ = average_precision(scored)
        lo, hi = bootstrap_ap(scored)
        cv = grouped_cv(pairs, scores)
        top3 = "—"
        top3_value: float | None = None
        if index is not None:
            dups_of: dict[str, set[str]] = {}
            for p in pairs:
                if p["duplicate"]:
                    dups_of.setdefault(p["a_id"], set()).add(p["b_id"])
                    dups_of.setdefault(p["b_id"], set()).add(p["a_id"])
            found = found1 = 0
            for x, wanted in dups_of.items():
                ids = [d for d, _ in index.most_similar(corpus[x], k=3, exclude=[x])]
                found += bool(wanted & set(ids))
                found1 += bool(wanted & set(ids[:1]))
            total = len(dups_of)
            top3_value = found / total
            top3 = f"{top3_value:.3f} / {found1 / total:.3f}"
        curves[name] = [(th, pr_at(scored, th)) for th in THRESHOLDS]
        print(
            f"| {name} | {t:.2f} | {best.precision:.3f} | {best.recall:.3f} | {best.f1:.3f} | {ap_:.3f} ({lo:.2f}–{hi:.2f}) "
            f"| {cv.f1:.3f} ({cv.precision:.2f} / {cv.recall:.2f}) | {top3} |"
        )
        out["duplicates"][name] = {
            "best_threshold": t,
            "precision": best.precision,
            "recall": best.recall,
            "f1": best.f1,
            "average_precision": ap_,
            "average_precision_ci95": [lo, hi],
            "cv_f1": cv.f1,
            "cv_precision": cv.precision,
            "cv_recall": cv.recall,
            "top3_recall": top3_value,
            "note": note,
            "curve": [
                {"threshold": th, "precision": s.precision, "recall": s.recall, "f1": s.f1}
                for th, s in curves[name]
            ],
        }

    chosen = "Kiwi morphemes + noun bigrams TF-IDF (ours)"
    print(f"\nPrecision / recall curve — {chosen} (DUPLICATE_THRESHOLD = {T.DUPLICATE_THRESHOLD}):\n")
    print("| threshold | precision | recall | F1 | flagged |")
    print("|---:|---:|---:|---:|---:|")
    for th, s in curves[chosen]:
        mark = " ←" if abs(th - T.DUPLICATE_THRESHOLD) < 1e-9 else ""
        print(f"| {th:.2f}{mark} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | {s.tp + s.fp} |")

    index = make_index(lambda t: T.tokens_for_similarity(t, "morph+ngram"), "tfidf", corpus)
    print(f"\nBy pair kind at {T.DUPLICATE_THRESHOLD} ({chosen}):\n")
    print("| kind | pairs | labelled duplicate | flagged | correct |")
    print("|---|---:|---:|---:|---:|")
    kinds: dict[str, list[int]] = {}
    for p in pairs:
        flagged = index.score(p["a"], p["b"]) >= T.DUPLICATE_THRESHOLD
        row = kinds.setdefault(p["kind"], [0, 0, 0, 0])
        row[0] += 1
        row[1] += p["duplicate"]
        row[2] += flagged
        row[3] += flagged == p["duplicate"]
    for kind, (n_pairs, n_dup, n_flag, n_ok) in sorted(kinds.items()):
        print(f"| {kind} | {n_pairs} | {n_dup} | {n_flag} | {n_ok} ({n_ok / n_pairs:.0%}) |")
    out["duplicates"]["by_kind"] = {
        k: dict(zip(["pairs", "duplicates", "flagged", "correct"], v, strict=True)) for k, v in kinds.items()
    }

    if args.errors:
        print(f"\nPairs misclassified at {T.DUPLICATE_THRESHOLD}:\n")
        for p in pairs:
            value = index.score(p["a"], p["b"])
            if (value >= T.DUPLICATE_THRESHOLD) != p["duplicate"]:
                label = "dup" if p["duplicate"] else "not"
                print(f"- {value:.2f} [{label}, {p['kind']}] {p['a']} ↔ {p['b']}")

    if args.json:
        Path(args.json).write_text(json.dumps(out, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
