"""The .dzn reader of the B2B benchmark, on every shared file and on hand-made text."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from gvalley.engines.schedule.dzn import DznError, instance_from_dzn, parse_dzn, read_dzn

DATA = Path("/work/shared/bench/b2b/instances")
FILES = sorted(DATA.glob("*.dzn")) if DATA.is_dir() else []


def _header(text: str, name: str) -> int:
    m = re.search(rf"\b{name}\s*=\s*(\d+)\s*;", text)
    assert m, name
    return int(m.group(1))


def test_all_140_files_are_present() -> None:
    assert len(FILES) == 140, "the shared benchmark must hold 140 instance files"


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_reader_counts_match_the_header(path: Path) -> None:
    text = path.read_text()
    inst = read_dzn(path)
    assert inst.n_business == _header(text, "nBusiness")
    assert inst.n_meetings == _header(text, "nMeetings") == len(inst.meetings)
    assert inst.n_slots == _header(text, "nTotalSlots")
    assert inst.n_morning == _header(text, "nMorningSlots")
    assert inst.n_tables == _header(text, "nTables")
    assert len(inst.forbidden) == inst.n_business
    assert len(inst.fixed) == len(inst.precedences) == inst.n_meetings
    # the placeholder 0 never survives, every slot is in range
    assert all(1 <= t <= inst.n_slots for f in inst.forbidden for t in f)
    assert all(0 <= f <= inst.n_slots for f in inst.fixed)
    # meetingsxBusiness is shifted by +1 (1 = no meeting): it agrees with `requested`
    raw = parse_dzn(text)
    mxb = raw["meetingsxBusiness"]
    assert isinstance(mxb, list)
    for p, ms in enumerate(mxb, start=1):
        assert isinstance(ms, frozenset)
        assert {m - 1 for m in ms if m != 1} == {i + 1 for i in inst.meetings_of(p)}
    counts = Counter(x for a, b, _ in inst.meetings for x in (a, b))
    assert [counts[p] for p in range(1, inst.n_business + 1)] == raw["nMeetingsBusiness"]


def test_precedences_are_not_shifted() -> None:
    inst = read_dzn(DATA / "forum-13.prec15.dzn")
    pairs = [(j, m + 1) for m, s in enumerate(inst.precedences) for j in s]
    assert pairs and all(1 <= j <= inst.n_meetings for j, _ in pairs)
    # the file's 4th meeting must come after meeting 9 (first non-empty set in the file)
    assert inst.precedences[3] == frozenset({9})


@pytest.mark.parametrize("name", ["forum-13crafb.original.dzn", "ticf-13crafb.original.dzn"])
def test_duplicated_pair_is_two_meetings(name: str) -> None:
    inst = read_dzn(DATA / name)
    pairs = Counter(frozenset((a, b)) for a, b, _ in inst.meetings)
    dup = [p for p, c in pairs.items() if c > 1]
    assert dup == [frozenset({30, 53})]
    assert inst.n_meetings == 195


def test_other_files_have_no_duplicated_pair() -> None:
    for path in FILES:
        if "13crafb" in path.name:
            continue
        inst = read_dzn(path)
        assert max(Counter(frozenset((a, b)) for a, b, _ in inst.meetings).values()) == 1, path.name


def test_parse_hand_made_text() -> None:
    text = """
    % a comment
    nBusiness = 3; nMeetings = 2; nTables = 1; nTotalSlots = 4; nMorningSlots = 2;
    requested = [| 1, 2, 1 | 2, 3, 3 |];
    forbidden = [{0}, {0, 4}, 2..3];
    fixed = [0, 4];
    precedences = [{}, {1}];
    """
    inst = instance_from_dzn(text, "hand")
    assert inst.meetings == ((1, 2, 1), (2, 3, 3))
    assert inst.forbidden == (frozenset(), frozenset({4}), frozenset({2, 3}))
    assert inst.fixed == (0, 4)
    assert inst.precedences == (frozenset(), frozenset({1}))
    assert list(inst.session_slots(1)) == [1, 2] and list(inst.session_slots(2)) == [3, 4]


@pytest.mark.parametrize(
    "text",
    [
        "nBusiness = 2; nMeetings = 2; nTables = 1; nTotalSlots = 2; nMorningSlots = 1; requested = [| 1, 2, 1 |];",
        "nBusiness = 2; nMeetings = 1; nTables = 1; nTotalSlots = 2; nMorningSlots = 1; requested = [| 1, 3, 1 |];",
        "nBusiness = 2; nMeetings = 1; nTables = 1; nTotalSlots = 2; requested = [| 1, 2, 1 |];",
        "nBusiness = 2; nMeetings = 1; nTables = 1; nTotalSlots = 2; nMorningSlots = 1; requested = [| 1, 2, 4 |];",
        "nBusiness = 2 nMeetings = ;",
    ],
)
def test_bad_files_are_rejected(text: str) -> None:
    with pytest.raises(DznError):
        instance_from_dzn(text)
