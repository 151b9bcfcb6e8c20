"""The Korean text layer shared by every app: normalisation, search terms, index documents, similarity.

Pure Python, no Django.  Morphological analysis is done by Kiwi (``kiwipiepy``), loaded lazily once per
process.  If Kiwi cannot be loaded the functions that need it raise :class:`KiwiUnavailableError`; there is
deliberately no silent fallback (a different analyser would produce index documents and query terms that
do not match each other).

Search model (works with SQL ``LIKE '%term%'`` / Django ``icontains`` on SQLite and PostgreSQL):

* :func:`index_document` builds the string stored in a search column: the normalised text, followed by
  what a plain substring search cannot find in it: verb/adjective stems (``막혔다`` → ``막히``) and the
  concatenation of words written apart (``반도체 장비를`` → ``반도체장비``).
* :func:`query_terms` turns a query into terms (nouns, stems, foreign words, numbers; particles, endings
  and punctuation dropped).  A document matches when **every** term is a substring of its index document,
  so ``반도체`` finds ``반도체장비업체``, ``주차`` finds ``주차장이`` and ``주차장이`` finds ``주차장``.

Similarity (duplicate requests, buyer ↔ company recommendations): :class:`SimilarityIndex`, TF-IDF cosine
over :func:`tokens_for_similarity` (morphemes plus character bigrams of the nouns).  The benchmark in
``bench/text/`` measured the choices; see ``docs/engines/text.md``.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import threading
import unicodedata
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

if TYPE_CHECKING:  # pragma: no cover
    from kiwipiepy import Kiwi

__all__ = [
    "DUPLICATE_THRESHOLD",
    "INDEX_VERSION",
    "KiwiUnavailableError",
    "Morpheme",
    "SimilarityIndex",
    "analyze",
    "char_ngrams",
    "get_kiwi",
    "index_document",
    "matches",
    "normalize",
    "query_terms",
    "tokens_for_similarity",
]

#: Bump when index documents change shape, so stored search columns can be rebuilt.
INDEX_VERSION = "kiwi-0.24/1"

#: Cosine score from which two requests are proposed as duplicates (chosen on the labelled set,
#: see docs/engines/text.md).
DUPLICATE_THRESHOLD = 0.45


# --------------------------------------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------------------------------------

_SPACE_RE = re.compile(r"\s+")


def _is_ascii_alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


_CHOSEONG = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_JUNGSEONG = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
_JONGSEONG = "ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"
#: NFKC turns lone compatibility jamo (ㅋㅋ) into conjoining jamo; turn the ones left alone back.
_JAMO_BACK = str.maketrans(
    {
        **{0x1100 + i: c for i, c in enumerate(_CHOSEONG)},
        **{0x1161 + i: c for i, c in enumerate(_JUNGSEONG)},
        **{0x11A8 + i: c for i, c in enumerate(_JONGSEONG)},
    }
)


def normalize(text: str) -> str:
    """NFKC, lower case, punctuation to spaces, whitespace collapsed.

    Letters and digits of every script are kept (Hangul, Latin, Hanja...).  A few symbols that are part of
    words are kept: ``&`` between Latin letters (``r&d``), ``+``/``#`` after a Latin letter or digit
    (``c++``, ``c#``), ``.`` and ``,`` between digits (``3.5``); apostrophes inside Latin words are dropped
    (``don't`` → ``dont``); format characters (zero-width spaces, soft hyphens) are removed; decomposed
    Hangul is composed and lone jamo stay compatibility jamo (``ㅋㅋ``).
    """
    s = unicodedata.normalize("NFKC", text).lower().translate(_JAMO_BACK)
    out: list[str] = []
    n = len(s)
    for i, ch in enumerate(s):
        if ch.isalnum():
            out.append(ch)
            continue
        cat = unicodedata.category(ch)
        if cat == "Cf":
            continue
        prev = s[i - 1] if i > 0 else ""
        nxt = s[i + 1] if i + 1 < n else ""
        latin_around = prev.isascii() and prev.isalpha() and nxt.isascii() and nxt.isalpha()
        after_word = _is_ascii_alnum(prev) or (prev in "+#" and bool(out) and out[-1] in "+#")
        if (ch == "&" and latin_around) or (ch in "+#" and after_word):
            out.append(ch)
        elif ch in ".," and prev.isdigit() and nxt.isdigit():
            out.append("." if ch == "." else "")
        elif ch in "'’" and prev.isascii() and prev.isalpha() and nxt.isascii() and nxt.isalpha():
            continue
        else:
            out.append(" ")
    return _SPACE_RE.sub(" ", "".join(out)).strip()


def char_ngrams(text: str, n: int = 2, *, across_spaces: bool = False) -> list[str]:
    """Character ``n``-grams of the normalised text, within words (or across them if asked).

    Words shorter than ``n`` are returned whole.
    """
    norm = normalize(text)
    words = [norm.replace(" ", "")] if across_spaces else norm.split()
    out: list[str] = []
    for w in words:
        if not w:
            continue
        if len(w) <= n:
            out.append(w)
        else:
            out.extend(w[i : i + n] for i in range(len(w) - n + 1))
    return out


# --------------------------------------------------------------------------------------------------------
# Kiwi
# --------------------------------------------------------------------------------------------------------


class KiwiUnavailableError(RuntimeError):
    """kiwipiepy (or its model) could not be loaded; the text layer refuses to run without it."""


_kiwi_lock = threading.Lock()
_kiwi_instance: Kiwi | None = None


def get_kiwi() -> Kiwi:
    """The process-wide Kiwi analyser, created on first use (thread-safe, double-checked)."""
    global _kiwi_instance
    inst = _kiwi_instance
    if inst is not None:
        return inst
    with _kiwi_lock:
        if _kiwi_instance is None:
            try:
                from kiwipiepy import Kiwi
            except ImportError as exc:  # pragma: no cover - depends on the installation
                raise KiwiUnavailableError(
                    "kiwipiepy is not installed: the Korean text layer needs kiwipiepy and kiwipiepy-model"
                ) from exc
            try:
                kiwi = Kiwi()
                kiwi.tokenize("")  # finish the lazy initialisation now, under the lock
            except Exception as exc:  # pragma: no cover - depends on the installation
                raise KiwiUnavailableError(f"the Kiwi model could not be loaded: {exc}") from exc
            _kiwi_instance = kiwi
        return _kiwi_instance


@dataclass(frozen=True, slots=True)
class Morpheme:
    """One morpheme of the normalised text: its form (lemma for verbs), tag and span in that text."""

    form: str
    tag: str
    start: int
    end: int

    @property
    def base_tag(self) -> str:
        """The tag without Kiwi's regular/irregular suffix (``VA-I`` → ``VA``)."""
        return self.tag.split("-", 1)[0]


@lru_cache(maxsize=8192)
def _analyze_cached(norm: str) -> tuple[Morpheme, ...]:
    if not norm:
        return ()
    kiwi = get_kiwi()
    return tuple(Morpheme(t.form.lower(), str(t.tag), t.start, t.start + t.len) for t in kiwi.tokenize(norm))


def analyze(text: str) -> list[Morpheme]:
    """Kiwi morphemes of ``normalize(text)`` (spans refer to the normalised text)."""
    return list(_analyze_cached(normalize(text)))


# --------------------------------------------------------------------------------------------------------
# Eojeol-level processing shared by queries and index documents
# --------------------------------------------------------------------------------------------------------

_NOUN_TAGS = frozenset({"NNG", "NNP", "NR", "NP", "XR", "SH"})
_FOREIGN_TAGS = frozenset({"SL", "SN"})
_VERB_TAGS = frozenset({"VV", "VA"})
_ADVERBISH = frozenset({"MAG", "MM", "MAJ", "IC"})
#: Verb/adjective stems that carry no meaning of their own as a search term.
_LIGHT_STEMS = frozenset(
    {"하", "되", "있", "없", "이", "아니", "않", "나", "지", "주", "보", "싶", "같", "말", "드리"}
)
#: Verbs that only frame a search or a request ("…를 찾습니다", "알려 주세요"): dropped from queries when
#: other terms remain.
STOP_VERBS = frozenset({"찾", "알", "알리", "원하", "바라", "궁금하", "부탁하", "문의하", "요청하", "싶"})
#: Nouns that only frame a request ("…에 대한 문의") and are dropped from queries when other terms remain.
STOP_NOUNS = frozenset(
    {"관련", "문의", "요청", "건의", "대하", "대한", "대해", "등", "것", "수", "때문", "부탁", "궁금"}
)


#: Noun suffixes that are left out of terms (plural, honorific, "per", "within"…): 직원들 → 직원.
_LOOSE_SUFFIXES = frozenset(
    {"들", "님", "씨", "이", "쯤", "께", "별", "당", "상", "내", "간", "측", "분", "마다"}
)


@dataclass(slots=True)
class _Unit:
    text: str
    kind: Literal["noun", "foreign", "verb", "other"]
    start: int
    end: int


def _eojeol_spans(norm: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    pos = 0
    for word in norm.split(" "):
        if word:
            spans.append((pos, pos + len(word)))
        pos += len(word) + 1
    return spans


def _group(norm: str, morphs: Sequence[Morpheme]) -> list[tuple[str, list[Morpheme]]]:
    groups: list[tuple[str, list[Morpheme]]] = []
    i = 0
    for a, b in _eojeol_spans(norm):
        ms: list[Morpheme] = []
        while i < len(morphs) and morphs[i].start < b:
            if morphs[i].start >= a:
                ms.append(morphs[i])
            i += 1
        groups.append((norm[a:b], ms))
    return groups


def _is_joiner(m: Morpheme) -> bool:
    return m.base_tag == "SW" and bool(m.form) and all(c in "&+#" for c in m.form)


def _units(norm: str, morphs: Sequence[Morpheme]) -> list[_Unit]:
    """Content units of one eojeol: merged noun/foreign runs and verb stems, in order.

    Merges (only between morphemes that touch): foreign runs (``r&d``, ``c++``, ``5g``); a number with the
    noun after it (``3d프린터``, ``2단지``, ``5일``); noun prefixes and suffixes (``비대면``, ``충전기``);
    one-syllable nouns with their neighbour (``전기차``, ``경력직``).  A verb glued to a noun is a light or
    compound verb (``고장나다``) and is not a unit of its own.
    """
    units: list[_Unit] = []
    has_noun = any(m.base_tag in _NOUN_TAGS for m in morphs)
    pending_prefix: Morpheme | None = None
    for m in morphs:
        tag = m.base_tag
        surface = norm[m.start : m.end]
        last = units[-1] if units else None
        touching = last is not None and last.end == m.start
        if tag == "XPN":
            pending_prefix = m
            continue
        kind: Literal["noun", "foreign", "verb", "other"]
        if tag in _FOREIGN_TAGS or _is_joiner(m):
            kind = "foreign"
        elif tag in _NOUN_TAGS:
            kind = "noun"
        elif (
            tag in _ADVERBISH
            and has_noun
            and len(morphs) > 1
            and all(
                x.base_tag in _NOUN_TAGS or x.base_tag in _FOREIGN_TAGS or x.tag in _ADVERBISH for x in morphs
            )
        ):
            kind = "noun"  # an adverb glued to nouns is a mis-analysis (단지역 → 단지/MAG 역/NNG)
        elif tag == "XSN" and m.form in _LOOSE_SUFFIXES:
            continue  # 직원들 → 직원: plural/honorific suffixes only narrow the term
        elif tag in {"XSN", "NNB"} and last is not None and touching and last.kind in ("noun", "foreign"):
            last.text += surface  # 충전기, 5일, 3층
            last.end = m.end
            last.kind = "noun"
            continue
        elif tag in _VERB_TAGS:
            kind = "other" if (last is not None and touching and last.kind in ("noun", "foreign")) else "verb"
        else:
            kind = "other"
        if pending_prefix is not None:
            if kind == "noun" and pending_prefix.end == m.start:
                surface = norm[pending_prefix.start : m.end]
                m = Morpheme(surface, m.tag, pending_prefix.start, m.end)
            pending_prefix = None
        if kind == "foreign" and last is not None and touching and last.kind == "foreign":
            last.text += surface
            last.end = m.end
        elif (
            kind == "noun"
            and last is not None
            and touching
            and last.kind == "foreign"
            and last.text[:1].isdigit()
        ):
            last.text += surface  # 3d프린터, 2단지
            last.end = m.end
            last.kind = "noun"
        elif (
            kind == "noun"
            and last is not None
            and touching
            and last.kind == "noun"
            and (len(surface) == 1 or len(last.text) == 1)
        ):
            last.text += surface  # 전기차, 경력직
            last.end = m.end
        elif kind == "verb":
            units.append(_Unit(m.form, "verb", m.start, m.end))
        elif kind == "other":
            units.append(_Unit(m.form, "other", m.start, m.end))
        else:
            units.append(_Unit(surface, kind, m.start, m.end))
    return units


def _stem_end(morphs: Sequence[Morpheme]) -> int | None:
    """End offset of the longest prefix of noun-like morphemes of an eojeol (None if it has none)."""
    end: int | None = None
    has_noun = any(m.base_tag in _NOUN_TAGS for m in morphs)
    for m in morphs:
        tag = m.base_tag
        nounish = tag in _NOUN_TAGS or tag in _FOREIGN_TAGS or tag in {"NNB", "XPN", "XSN"} or _is_joiner(m)
        if not nounish and tag in {"MAG", "MM"} and has_noun:
            nounish = True
        if not nounish or (end is not None and m.start != end):
            break
        end = m.end
    return end


# --------------------------------------------------------------------------------------------------------
# Search: query terms and index documents
# --------------------------------------------------------------------------------------------------------


def _drop_contained(terms: list[str]) -> list[str]:
    """Remove terms that are substrings of another term (they add nothing to an AND of substrings)."""
    out: list[str] = []
    for t in terms:
        if any(t != o and t in o for o in terms):
            continue
        if t not in out:
            out.append(t)
    return out


#: Syllables that are also particles: a query word ending in one may be noun + particle (도로가 = 도로+가).
_PARTICLE_SYLLABLES = frozenset("이가을를은는의도과와로에만")
#: How much less likely (Kiwi log-probability) the noun + particle reading may be and still be preferred.
_READING_MARGIN = 2.0


@lru_cache(maxsize=4096)
def _particle_reading_cached(word: str) -> tuple[tuple[str, str], ...] | None:
    results = get_kiwi().analyze(word, top_n=4)
    if not results:
        return None
    best = results[0][1]
    for toks, score in results:
        if best - score > _READING_MARGIN:
            break
        if len(toks) < 2 or not str(toks[-1].tag).startswith("J"):
            continue
        morphs = [Morpheme(t.form.lower(), str(t.tag), t.start, t.start + t.len) for t in toks[:-1]]
        units = _units(word, morphs)
        if units and all(u.kind in ("noun", "foreign") and len(u.text) >= 2 for u in units):
            return tuple((u.text, u.kind) for u in units)
    return None


def _particle_reading(word: str) -> list[_Unit] | None:
    """The noun + particle reading of a query word Kiwi took as one noun, if nearly as likely.

    ``도로가`` (roadside / 도로+가), ``안전도`` (safety rating / 안전+도), ``상담회의`` (상담+회의 /
    상담회+의): the shorter noun is the safer search term, because it is a substring of the longer one.
    ``전문가``, ``회의`` keep their single-noun reading (the alternatives are far less likely).
    """
    reading = _particle_reading_cached(word)
    if reading is None:
        return None
    return [_Unit(text, "noun" if kind == "noun" else "foreign", 0, 0) for text, kind in reading]


def query_terms(query: str) -> list[str]:
    """The terms that must all be substrings of a document's index for it to match ``query``.

    Nouns (compounds split as Kiwi splits them; one-syllable parts stay attached), foreign words and
    numbers (``r&d``, ``3d프린터``, ``5g``), verb/adjective stems (``시끄러워요`` → ``시끄럽``).  Particles,
    endings, punctuation, light verbs (하다, 되다…) and framing nouns (관련, 문의…) are dropped.  Never
    empty for a query that contains a letter or digit.
    """
    norm = normalize(query)
    if not norm:
        return []
    morphs = _analyze_cached(norm)
    terms: list[str] = []
    fallback: list[str] = []
    for word, ms in _group(norm, morphs):
        units = _units(norm, ms)
        if ms and ms[-1].base_tag in _NOUN_TAGS and word[-1] in _PARTICLE_SYLLABLES:
            units = _particle_reading(word) or units
        for u in units:
            if u.kind in ("noun", "foreign"):
                (fallback if u.text in STOP_NOUNS else terms).append(u.text)
            elif u.kind == "verb":
                (fallback if u.text in _LIGHT_STEMS or u.text in STOP_VERBS else terms).append(u.text)
        if not any(u.kind != "other" for u in units):
            fallback.append(word)
    if not terms:
        # Only light words: keep adverbs (오래됐다 → 오래), else the light stems/framing nouns, else the words.
        adverbs = [m.form for m in morphs if m.base_tag == "MAG"]
        terms = adverbs or [t for t in fallback if t] or norm.split()
    return _drop_contained(terms)


_CLAUSE_BREAK = re.compile(
    r"[!?;:·…/|()\[\]{}<>\"“”‘’「」『』【】\n\r\t~—–]+|(?<!\d)[.,]|[.,](?!\d)|-(?!\w)|(?<!\w)-"
)

#: Longest run of words written apart that is joined into one string of the index (longer runs are cut
#: into overlapping pieces, so every pair of neighbouring words is still joined somewhere).
_MAX_RUN = 6


def _index_extras(norm: str, morphs: Sequence[Morpheme]) -> list[str]:
    extras: list[str] = []
    stems: list[tuple[str, bool]] = []  # (noun-like prefix of the word, whether it is the whole word)
    for word, ms in _group(norm, morphs):
        for u in _units(norm, ms):
            if u.kind != "other":
                extras.append(u.text)
        for m in ms:
            if m.base_tag in _VERB_TAGS or m.base_tag in _NOUN_TAGS:
                extras.append(m.form)
        end = _stem_end(ms)
        if end is None or not ms:
            stems.append(("", False))
        else:
            stem = norm[ms[0].start : end]
            stems.append((stem, stem == word))
    # Words written apart: a run of bare noun words joined with the noun part of the word after them
    # ("반도체 장비를" → 반도체장비).  Only the whole run is stored: every shorter join is a substring of it.
    run: list[str] = []
    for stem, bare in stems:
        if stem:
            run.append(stem)
        if not bare or not stem:
            if len(run) > 1:
                extras.extend(_chunks(run))
            run = [stem] if (stem and bare) else []
    if len(run) > 1:
        extras.extend(_chunks(run))
    return extras


def _chunks(run: list[str]) -> list[str]:
    if len(run) <= _MAX_RUN:
        return ["".join(run)]
    step = _MAX_RUN - 1
    return ["".join(run[i : i + _MAX_RUN]) for i in range(0, len(run) - 1, step)]


def index_document(*parts: str) -> str:
    """The string to store in a search column for a document made of ``parts`` (title, body, tags…).

    ``normalize`` of the text, then (space separated) whatever the query terms need that is not already a
    substring of it: verb/adjective stems and words written apart joined together (within a clause).
    """
    norm = normalize(" ".join(p for p in parts if p))
    if not norm:
        return ""
    extras: list[str] = []
    for part in parts:
        # Words are only joined within a clause: punctuation (list commas, full stops) separates them.
        for segment in _CLAUSE_BREAK.split(part or ""):
            seg = normalize(segment)
            if seg:
                extras.extend(_index_extras(seg, _analyze_cached(seg)))
    candidates = list(dict.fromkeys(e.strip() for e in extras if e.strip() and e.strip() not in norm))
    # Drop what another extra already contains (the substring search finds it there).
    add = [e for e in candidates if not any(e != o and e in o for o in candidates)]
    return norm if not add else norm + " " + " ".join(add)


def matches(query: str, document_index: str) -> bool:
    """True when every term of ``query`` is a substring of ``document_index`` (an :func:`index_document`).

    An empty query (no terms) matches every document, like an SQL filter without conditions.
    """
    return all(t in document_index for t in query_terms(query))


# --------------------------------------------------------------------------------------------------------
# Similarity
# --------------------------------------------------------------------------------------------------------

SimilarityScheme = Literal["morph", "ngram", "morph+ngram"]
_NEGATORS = frozenset({"안", "못"})


def _morph_tokens(norm: str) -> list[str]:
    out: list[str] = []
    morphs = _analyze_cached(norm)
    for _word, ms in _group(norm, morphs):
        for m in ms:
            tag = m.base_tag
            if tag in _NOUN_TAGS or tag in _FOREIGN_TAGS:
                if m.form not in STOP_NOUNS:
                    out.append(m.form)
            elif tag in _VERB_TAGS:
                if m.form not in _LIGHT_STEMS or m.form == "없":
                    out.append(m.form + "다")
            elif tag == "MAG" and m.form in _NEGATORS:
                out.append("~" + m.form)
    return out


def tokens_for_similarity(text: str, scheme: SimilarityScheme = "morph+ngram") -> list[str]:
    """Features of ``text`` for similarity: morphemes and/or character bigrams.

    ``morph``: nouns, foreign words, numbers, verb/adjective lemmas (``비싸다``), negation adverbs;
    ``ngram``: character bigrams within words (``#`` prefixed);
    ``morph+ngram`` (default, best on the labelled set): the morphemes plus the bigrams of the nouns, so
    that ``주차`` and ``주차장``, ``출퇴근버스`` and ``셔틀버스`` share features.
    """
    norm = normalize(text)
    if not norm:
        return []
    if scheme == "ngram":
        return ["#" + g for g in char_ngrams(norm, 2)]
    morph = _morph_tokens(norm)
    if scheme == "morph":
        return morph
    grams: list[str] = []
    for t in morph:
        if t.endswith("다") or t.startswith("~") or len(t) < 2:
            continue
        grams.extend("#" + t[i : i + 2] for i in range(len(t) - 1))
    return morph + grams


K = TypeVar("K", bound=Hashable)


class SimilarityIndex(Generic[K]):
    """TF-IDF cosine (default) or BM25 similarity over a corpus of texts keyed by ``doc_id``.

    ``fit`` on the corpus (e.g. all open requests), then ``most_similar(text)`` for candidates and
    ``score(a, b)`` for a pair.  IDF comes from the fitted corpus; tokens never seen get the highest IDF.
    Cosine scores are in [0, 1]; the BM25 scheme is normalised to [0, 1] by the texts' self-scores.
    Documents can be added incrementally (``add``); statistics are refreshed lazily.  Not thread-safe for
    concurrent writes; build it once, then query from any thread.
    """

    def __init__(
        self,
        *,
        tokenizer: Callable[[str], list[str]] | None = None,
        scheme: Literal["tfidf", "bm25"] = "tfidf",
        k1: float = 1.2,
        b: float = 0.75,
    ) -> None:
        self._tokenize: Callable[[str], list[str]] = tokenizer or tokens_for_similarity
        self.scheme = scheme
        self.k1 = k1
        self.b = b
        self._docs: dict[K, Counter[str]] = {}
        self._df: Counter[str] = Counter()
        self._dirty = True
        self._vectors: dict[K, dict[str, float]] = {}
        self._postings: dict[str, list[tuple[K, float]]] = {}
        self._avgdl = 0.0

    # -- building ------------------------------------------------------------------------------------
    def fit(self, corpus: Mapping[K, str] | Iterable[tuple[K, str]]) -> SimilarityIndex[K]:
        items = corpus.items() if isinstance(corpus, Mapping) else corpus
        for doc_id, text in items:
            self.add(doc_id, text)
        return self

    def add(self, doc_id: K, text: str) -> None:
        if doc_id in self._docs:
            self.remove(doc_id)
        counts = Counter(self._tokenize(text))
        self._docs[doc_id] = counts
        self._df.update(counts.keys())
        self._dirty = True

    def remove(self, doc_id: K) -> None:
        counts = self._docs.pop(doc_id, None)
        if counts is None:
            return
        self._df.subtract(counts.keys())
        self._df += Counter()  # drop zero counts
        self._dirty = True

    def __len__(self) -> int:
        return len(self._docs)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._docs

    # -- weighting -----------------------------------------------------------------------------------
    def idf(self, token: str) -> float:
        n = len(self._docs)
        df = self._df.get(token, 0)
        if self.scheme == "bm25":
            return math.log(1.0 + (n - df + 0.5) / (df + 0.5))
        return math.log((1.0 + n) / (1.0 + df)) + 1.0

    def _tfidf(self, counts: Mapping[str, int]) -> dict[str, float]:
        vec = {t: (1.0 + math.log(c)) * self.idf(t) for t, c in counts.items() if c > 0}
        norm = math.sqrt(sum(w * w for w in vec.values()))
        return {t: w / norm for t, w in vec.items()} if norm > 0 else {}

    def _bm25_weights(self, counts: Mapping[str, int]) -> dict[str, float]:
        dl = sum(counts.values())
        avgdl = self._avgdl or float(dl) or 1.0
        k1, b = self.k1, self.b
        return {
            t: self.idf(t) * c * (k1 + 1) / (c + k1 * (1 - b + b * dl / avgdl))
            for t, c in counts.items()
            if c > 0
        }

    def _refresh(self) -> None:
        if not self._dirty:
            return
        total = sum(sum(c.values()) for c in self._docs.values())
        self._avgdl = total / len(self._docs) if self._docs else 0.0
        self._vectors = {}
        self._postings = {}
        for doc_id, counts in self._docs.items():
            vec = self._tfidf(counts) if self.scheme == "tfidf" else self._bm25_weights(counts)
            self._vectors[doc_id] = vec
            for t, w in vec.items():
                self._postings.setdefault(t, []).append((doc_id, w))
        self._dirty = False

    # -- scoring -------------------------------------------------------------------------------------
    def _query_side(self, counts: Mapping[str, int]) -> dict[str, float]:
        if self.scheme == "tfidf":
            return self._tfidf(counts)
        return {t: 1.0 for t, c in counts.items() if c > 0}  # BM25: query terms weigh 1 each (binary)

    def score(self, a: str, b: str) -> float:
        """Similarity of two texts in [0, 1] with this index's statistics."""
        self._refresh()
        ca, cb = Counter(self._tokenize(a)), Counter(self._tokenize(b))
        if not ca or not cb:
            return 0.0
        if self.scheme == "tfidf":
            va, vb = self._tfidf(ca), self._tfidf(cb)
            s = sum(w * vb.get(t, 0.0) for t, w in va.items())
            return max(0.0, min(1.0, s))
        wa, wb = self._bm25_weights(ca), self._bm25_weights(cb)
        sa, sb = sum(wa.values()), sum(wb.values())
        if sa <= 0 or sb <= 0:
            return 0.0
        ab = sum(wb.get(t, 0.0) for t in ca)  # a as query against b
        ba = sum(wa.get(t, 0.0) for t in cb)
        return max(0.0, min(1.0, 0.5 * (ab / sb + ba / sa)))

    def most_similar(
        self,
        text: str,
        k: int = 10,
        threshold: float = 0.0,
        *,
        exclude: Iterable[K] = (),
    ) -> list[tuple[K, float]]:
        """The ``k`` documents most similar to ``text`` with a score ≥ ``threshold``, best first."""
        self._refresh()
        counts = Counter(self._tokenize(text))
        if not counts or k <= 0:
            return []
        skip = set(exclude)
        q = self._query_side(counts)
        acc: dict[K, float] = {}
        for t, qw in q.items():
            for doc_id, dw in self._postings.get(t, ()):
                acc[doc_id] = acc.get(doc_id, 0.0) + qw * dw
        if self.scheme == "bm25":
            qweights = self._bm25_weights(counts)
            qself = sum(qweights.values())
            scored: list[tuple[K, float]] = []
            for doc_id, s in acc.items():
                vec = self._vectors[doc_id]
                dself = sum(vec.values())
                back = sum(w for t, w in qweights.items() if t in vec)
                value = 0.5 * (s / dself if dself else 0.0) + 0.5 * (back / qself if qself else 0.0)
                scored.append((doc_id, min(1.0, value)))
        else:
            scored = [(doc_id, min(1.0, s)) for doc_id, s in acc.items()]
        result = [(d, s) for d, s in scored if s >= threshold and d not in skip]
        result.sort(key=lambda x: (-x[1], str(x[0])))
        return result[:k]


# --------------------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------------------


def _load_corpus(path: str) -> dict[str, str]:
    corpus: dict[str, str] = {}
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            obj: Any = json.loads(line)
            if isinstance(obj, str):
                corpus[str(n)] = obj
                continue
            text = obj.get("text")
            if text is None:
                raise ValueError(f"{path}:{n}: each line needs a 'text' field")
            corpus[str(obj.get("id", n))] = str(text)
    return corpus


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m gvalley.engines.text", description="G밸리 허브 Korean text layer (Kiwi)."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p_tok = sub.add_parser("tokens", help="normalised text, morphemes, index document, similarity tokens")
    p_tok.add_argument("text")
    p_q = sub.add_parser("query", help="search terms of a query (and whether documents match)")
    p_q.add_argument("query")
    p_q.add_argument("--doc", action="append", default=[], help="document text to test against (repeatable)")
    p_idx = sub.add_parser("index", help="the index document of a text")
    p_idx.add_argument("text", nargs="+")
    p_sim = sub.add_parser(
        "similar", help="most similar documents of a JSONL corpus ({'id','text'} per line)"
    )
    p_sim.add_argument("--corpus", required=True)
    p_sim.add_argument("-k", type=int, default=5)
    p_sim.add_argument("--threshold", type=float, default=0.0)
    p_sim.add_argument("--scheme", choices=["tfidf", "bm25"], default="tfidf")
    p_sim.add_argument("text")
    args = parser.parse_args(argv)

    try:
        if args.command == "tokens":
            print("normalized :", normalize(args.text))
            print("morphemes  :", " ".join(f"{m.form}/{m.tag}" for m in analyze(args.text)))
            print("query terms:", " | ".join(query_terms(args.text)))
            print("index      :", index_document(args.text))
            print("similarity :", " ".join(tokens_for_similarity(args.text)))
        elif args.command == "query":
            terms = query_terms(args.query)
            print(json.dumps(terms, ensure_ascii=False))
            for doc in args.doc:
                print(("MATCH   " if matches(args.query, index_document(doc)) else "no      ") + doc)
        elif args.command == "index":
            print(index_document(*args.text))
        elif args.command == "similar":
            corpus = _load_corpus(args.corpus)
            index = SimilarityIndex[str](scheme=args.scheme).fit(corpus)
            for doc_id, s in index.most_similar(args.text, k=args.k, threshold=args.threshold):
                print(f"{s:.3f}\t{doc_id}\t{corpus[doc_id]}")
    except KiwiUnavailableError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
