"""Tests of the Korean text layer (Kiwi): normalisation, query terms, index documents, similarity, CLI."""

from __future__ import annotations

import importlib.util
import json
import sqlite3
import sys
import threading
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gvalley.engines import text as T
from gvalley.engines.text import (
    DUPLICATE_THRESHOLD,
    KiwiUnavailableError,
    SimilarityIndex,
    char_ngrams,
    index_document,
    matches,
    normalize,
    query_terms,
    tokens_for_similarity,
)

ROOT = Path(__file__).resolve().parents[2]

# --------------------------------------------------------------------------------------------------------
# normalize
# --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  반도체   장비\t업체\n", "반도체 장비 업체"),
        ("ＩｏＴ 센서", "iot 센서"),  # full-width → NFKC
        ("R&D 지원!!", "r&d 지원"),
        ("C++ / C# 개발자", "c++ c# 개발자"),
        ("무게 3.5kg, 1,000개", "무게 3.5kg 1000개"),
        ("(주)에이치세미텍 — 가산동", "주 에이치세미텍 가산동"),
        ("주차\u200b장", "주차장"),  # zero-width space removed
        ("ㄱ ㅏ", "ㄱ ㅏ"),
        ("Don't PANIC", "dont panic"),
        ("!!!", ""),
        ("", ""),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


@given(st.text(max_size=60))
def test_normalize_is_idempotent(s: str) -> None:
    n = normalize(s)
    assert normalize(n) == n
    assert "  " not in n and n == n.strip()


def test_char_ngrams() -> None:
    assert char_ngrams("주차장 앞", 2) == ["주차", "차장", "앞"]
    assert char_ngrams("주차 장", 2, across_spaces=True) == ["주차", "차장"]


# --------------------------------------------------------------------------------------------------------
# query terms
# --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "terms"),
    [
        ("반도체", ["반도체"]),
        ("주차장이", ["주차장"]),
        ("주차장이 부족해요", ["주차장", "부족"]),
        ("반도체장비", ["반도체", "장비"]),
        ("시끄러워요", ["시끄럽"]),
        ("고장났어요", ["고장"]),
        ("3D프린터", ["3d프린터"]),
        ("R&D 지원", ["r&d", "지원"]),
        ("IoT 센서", ["iot", "센서"]),
        ("주차 관련 문의", ["주차"]),
        ("전기차 충전기를", ["전기차", "충전기"]),
        ("c++ 개발자", ["c++", "개발자"]),
        ("주 5일", ["주", "5일"]),
        ("반도체장비업체를 찾습니다", ["반도체", "장비", "업체"]),
        ("신청 방법을 알려 주세요", ["신청", "방법"]),
        ("직원들이", ["직원"]),
    ],
)
def test_query_terms(query: str, terms: list[str]) -> None:
    assert query_terms(query) == terms


@pytest.mark.parametrize("query", ["없어요", "오래됐습니다", "관련 문의", "그리고", "ㅋㅋ", "2024"])
def test_query_terms_never_empty_for_meaningful_queries(query: str) -> None:
    assert query_terms(query)


def test_query_terms_of_punctuation_only() -> None:
    assert query_terms("?!…") == []
    assert matches("?!", index_document("아무 문서"))  # no terms: no constraint


# --------------------------------------------------------------------------------------------------------
# index documents and matching
# --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "document"),
    [
        ("반도체", "반도체장비업체입니다"),
        ("주차", "지식산업센터 주차장이 좁습니다"),
        ("주차장이", "공영주차장 요금"),
        ("주차장이", "주차장"),
        ("반도체장비", "반도체 장비를 만듭니다"),
        ("반도체 장비", "반도체장비업체"),
        ("출퇴근버스", "출퇴근 버스 노선을 신설해 주세요"),
        ("가산디지털단지역", "가산 디지털 단지역 출구"),
        ("3D프린터", "3D 프린터 판매"),
        ("IOT", "IoT 센서 모듈"),
        ("r&d", "R&D 자금 지원"),
        ("막혀요", "출근길이 꽉 막혔다"),
        ("시끄러워요", "기계 소리가 시끄럽습니다"),
        ("비싸요", "공영주차장 요금이 너무 비쌉니다."),
        ("인허가가 늦어요", "인허가가 늦어져 공장 가동이 지연되고 있습니다."),
        ("채용이 어려워요", "중소기업 인력 채용이 어렵습니다."),
    ],
)
def test_matches(query: str, document: str) -> None:
    assert matches(query, index_document(document))


@pytest.mark.parametrize(
    ("query", "document"),
    [
        ("주차", "출퇴근 버스 노선"),
        ("반도체 장비", "반도체 설계 전문 기업"),
        ("소음", "공장 먼지"),
        ("비대면", "대면 상담"),
    ],
)
def test_does_not_match(query: str, document: str) -> None:
    assert not matches(query, index_document(document))


def test_index_document_starts_with_the_normalised_text() -> None:
    doc = index_document("반도체 장비를", "만듭니다")
    assert doc.startswith("반도체 장비를 만듭니다")
    assert "반도체장비" in doc and "만들" in doc
    assert index_document("", "  ") == ""


def test_index_matches_in_sqlite_like_python() -> None:
    """The stored index works with SQL LIKE '%term%' exactly as `matches` says."""
    docs = [
        "(주)에이치세미텍 — 반도체장비업체",
        "지식산업센터 주차장이 너무 좁아요",
        "출퇴근 버스 노선 신설 요청",
        "IoT 센서와 스마트팩토리 솔루션",
        "R&D 자금 지원 사업",
    ]
    con = sqlite3.connect(":memory:")
    con.execute("CREATE TABLE doc (id INTEGER PRIMARY KEY, search TEXT NOT NULL)")
    con.executemany(
        "INSERT INTO doc (id, search) VALUES (?, ?)", [(i, index_document(d)) for i, d in enumerate(docs)]
    )
    for query in [
        "반도체",
        "주차",
        "주차장이",
        "출퇴근버스",
        "iot 센서",
        "R&D",
        "스마트팩토리 솔루션",
        "없는단어",
    ]:
        terms = query_terms(query)
        where = " AND ".join("search LIKE ? ESCAPE '\\'" for _ in terms)
        params = ["%" + t.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%" for t in terms]
        sql_ids = {row[0] for row in con.execute(f"SELECT id FROM doc WHERE {where}", params)}
        py_ids = {i for i, d in enumerate(docs) if matches(query, index_document(d))}
        assert sql_ids == py_ids, query
    con.close()


NOUNS = [
    "반도체",
    "장비",
    "주차장",
    "의료기기",
    "소프트웨어",
    "섬유",
    "원단",
    "버스",
    "노선",
    "소음",
    "화재",
    "안전",
    "점검",
    "채용",
    "인력",
    "자금",
    "지원",
    "규제",
    "공장",
    "도로",
    "가로등",
    "어린이집",
    "지하철",
    "수출",
    "상담회",
]
# (after a consonant, after a vowel)
PARTICLES = [("", ""), ("이", "가"), ("을", "를"), ("은", "는"), ("에", "에"), ("에서", "에서"), ("의", "의")]
PARTICLES += [("과", "와"), ("도", "도"), ("으로", "로"), ("들이", "들이"), ("까지", "까지"), ("만", "만")]


def attach(noun: str, particle: tuple[str, str]) -> str:
    """The noun with the particle form that fits its last syllable (받침 or not)."""
    has_final = (ord(noun[-1]) - 0xAC00) % 28 != 0
    return noun + (particle[0] if has_final else particle[1])


word = st.tuples(st.sampled_from(NOUNS), st.sampled_from(PARTICLES)).map(lambda t: attach(*t))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(word, min_size=1, max_size=6), st.data())
def test_every_noun_of_a_document_finds_it(words: list[str], data: st.DataObject) -> None:
    doc = index_document(" ".join(words))
    chosen = data.draw(st.sampled_from(words))
    noun = next(n for n in sorted(NOUNS, key=len, reverse=True) if chosen.startswith(n))
    assert matches(noun, doc)
    assert matches(attach(noun, data.draw(st.sampled_from(PARTICLES))), doc)


@pytest.mark.parametrize(
    ("query", "terms"),
    [
        ("도로가", ["도로"]),  # 도로가 (roadside) or 도로+가: the shorter noun is the safer term
        ("안전도", ["안전"]),  # 안전도 (safety rating) or 안전+도
        ("상담회의", ["상담회"]),  # 상담+회의 or 상담회+의
        ("전문가", ["전문가"]),  # the noun reading is far more likely: kept
        ("회의", ["회의"]),
    ],
)
def test_ambiguous_noun_or_noun_plus_particle(query: str, terms: list[str]) -> None:
    assert query_terms(query) == terms


# --------------------------------------------------------------------------------------------------------
# Kiwi loading
# --------------------------------------------------------------------------------------------------------


def test_kiwi_is_loaded_once_across_threads() -> None:
    seen: list[object] = []

    def grab() -> None:
        seen.append(T.get_kiwi())

    threads = [threading.Thread(target=grab) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(seen) == 8 and all(k is seen[0] for k in seen)


def test_no_silent_fallback_without_kiwi(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(T, "_kiwi_instance", None)
    monkeypatch.setitem(sys.modules, "kiwipiepy", None)  # makes `import kiwipiepy` fail
    T._analyze_cached.cache_clear()
    try:
        with pytest.raises(KiwiUnavailableError):
            index_document("반도체장비업체")
        with pytest.raises(KiwiUnavailableError):
            query_terms("주차장이")
        assert normalize("주차장이") == "주차장이"  # normalisation needs no Kiwi
    finally:
        T._analyze_cached.cache_clear()


# --------------------------------------------------------------------------------------------------------
# Similarity
# --------------------------------------------------------------------------------------------------------

REQUESTS = {
    "parking": "지식산업센터 주차장이 너무 좁아서 출근 시간마다 주차할 곳이 없습니다.",
    "parking-fee": "공영주차장 요금이 너무 비쌉니다.",
    "bus": "독산역에서 2단지까지 출퇴근버스 노선을 신설해 주세요.",
    "noise": "야간에 인근 공장 소음이 심해서 잠을 잘 수 없습니다.",
    "fire": "지식산업센터 화재 안전 점검을 강화해 주세요. 소화기가 오래됐습니다.",
    "permit": "공장 등록 인허가 절차가 복잡하고 오래 걸립니다.",
    "funding": "운전자금 대출 금리가 너무 높습니다. 정책자금 지원을 확대해 주세요.",
    "canteen": "구내식당이 없어 점심 먹을 곳이 부족합니다.",
}


def test_tokens_for_similarity() -> None:
    toks = tokens_for_similarity("공영주차장 요금이 너무 비쌉니다.")
    assert {"공영", "주차장", "요금", "비싸다", "#주차", "#차장"} <= set(toks)
    assert tokens_for_similarity("", "morph") == []
    assert all(t.startswith("#") for t in tokens_for_similarity("주차장", "ngram"))


@pytest.mark.parametrize("scheme", ["tfidf", "bm25"])
def test_similarity_index(scheme: str) -> None:
    index: SimilarityIndex[str] = SimilarityIndex(scheme=scheme)  # type: ignore[arg-type]
    index.fit(REQUESTS)
    assert len(index) == len(REQUESTS) and "bus" in index
    query = "독산역 ↔ 2단지 출퇴근 버스 노선이 생겼으면 좋겠습니다."
    best = index.most_similar(query, k=3)
    assert best[0][0] == "bus"
    assert all(0.0 <= s <= 1.0 for _, s in best)
    assert [s for _, s in best] == sorted((s for _, s in best), reverse=True)
    assert index.most_similar(query, k=3, threshold=0.99) == []
    assert all(d != "bus" for d, _ in index.most_similar(query, k=3, exclude=["bus"]))
    text = REQUESTS["noise"]
    assert index.score(text, text) == pytest.approx(1.0)
    assert index.score(text, "") == 0.0
    assert index.score(text, REQUESTS["permit"]) < index.score(
        text, "밤마다 옆 공장 소음 때문에 잠을 못 자요."
    )


def test_similarity_index_incremental() -> None:
    index: SimilarityIndex[int] = SimilarityIndex()
    index.add(1, "가로등이 어두워 밤길이 위험합니다.")
    index.add(2, "화물차 주차 공간이 부족합니다.")
    assert index.most_similar("밤에 가로등이 너무 어두워요", k=1)[0][0] == 1
    index.remove(1)
    assert 1 not in index and all(d != 1 for d, _ in index.most_similar("가로등", k=5))
    index.add(2, "가로등 설치 요청")  # replacing a document
    assert len(index) == 1 and index.most_similar("가로등", k=1)[0][0] == 2


def test_duplicate_threshold_separates_a_paraphrase_from_another_request() -> None:
    index = SimilarityIndex[str]().fit(REQUESTS)
    dup = index.score(
        REQUESTS["funding"], "정책자금 대출 이자가 부담됩니다. 저금리 운전자금 지원을 늘려 주세요."
    )
    other = index.score(REQUESTS["funding"], REQUESTS["parking-fee"])
    assert dup >= DUPLICATE_THRESHOLD > other


# --------------------------------------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------------------------------------


def test_cli_tokens_and_query(capsys: pytest.CaptureFixture[str]) -> None:
    assert T.main(["tokens", "주차장이 부족해요"]) == 0
    out = capsys.readouterr().out
    assert "주차장/NNG" in out and "query terms: 주차장 | 부족" in out
    assert T.main(["query", "주차", "--doc", "주차장이 좁아요", "--doc", "버스 노선"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert json.loads(lines[0]) == ["주차"]
    assert lines[1].startswith("MATCH") and lines[2].startswith("no")


def test_cli_similar(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        "\n".join(json.dumps({"id": k, "text": v}, ensure_ascii=False) for k, v in REQUESTS.items()),
        encoding="utf-8",
    )
    assert (
        T.main(["similar", "--corpus", str(corpus), "-k", "2", "밤마다 공장 소음 때문에 잠을 못 자요"]) == 0
    )
    first = capsys.readouterr().out.splitlines()[0].split("\t")
    assert first[1] == "noise"
    assert T.main(["similar", "--corpus", str(tmp_path / "missing.jsonl"), "x"]) == 1


# --------------------------------------------------------------------------------------------------------
# Quality guard on the labelled set (bench/text) — fails if a change makes search clearly worse
# --------------------------------------------------------------------------------------------------------


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_text_run", ROOT / "bench" / "text" / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses need the module registered
    spec.loader.exec_module(module)
    return module


def test_labelled_set_quality() -> None:
    bench = _bench()
    docs = bench.load_jsonl("documents.jsonl")
    queries = bench.load_jsonl("search.jsonl")
    pairs = bench.load_jsonl("duplicates.jsonl")
    assert len(docs) >= 100 and len(queries) >= 100 and len(pairs) >= 150
    ours, _, _, _, _ = bench.evaluate_search(bench.KiwiLayer(), docs, queries)
    plain, _, _, _, _ = bench.evaluate_search(bench.PlainSubstring(), docs, queries)
    assert ours.recall >= 0.88 and ours.precision >= 0.95
    assert ours.f1 > plain.f1
