"""Bipartite matching by augmenting paths (the interpreter stage's start and the B2B bounds' checks)."""

from __future__ import annotations

from gvalley.engines.schedule.matching import match


def test_a_later_item_moves_an_earlier_choice_so_that_everyone_is_served() -> None:
    # meeting 1 could take a or b, meeting 2 only a: first come first served would strand meeting 2
    assert match([1, 2], {1: ["a", "b"], 2: ["a"]}) == {"a": 2, "b": 1}


def test_no_matching_when_items_outnumber_their_options() -> None:
    assert match([1, 2, 3], {1: ["a"], 2: ["a", "b"], 3: ["b"]}) is None
    assert match(["x"], {"x": []}) is None


def test_nothing_to_match_is_a_match() -> None:
    assert match([], {}) == {}
