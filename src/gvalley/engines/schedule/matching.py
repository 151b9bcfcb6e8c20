"""Bipartite matching by augmenting paths (Kuhn), for small assignment checks inside the schedulers."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V", bound=Hashable)


def match(items: Iterable[K], options: Mapping[K, Sequence[V]]) -> dict[V, K] | None:
    """A distinct option for every item (options tried in their order, items in theirs): option -> item, or
    None when some item cannot get one."""
    owner: dict[V, K] = {}

    def augment(item: K, seen: set[V]) -> bool:
        for v in options[item]:
            if v in seen:
                continue
            seen.add(v)
            if v not in owner or augment(owner[v], seen):
                owner[v] = item
                return True
        return False

    for item in items:
        if not augment(item, set()):
            return None
    return owner
