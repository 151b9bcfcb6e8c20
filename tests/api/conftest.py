from __future__ import annotations

from typing import Any

import pytest

from tests.grievances.factories import request_notice


@pytest.fixture(autouse=True)
def _request_notice(db: Any) -> None:
    request_notice()


@pytest.fixture(autouse=True)
def _fresh_similarity_index() -> Any:
    from gvalley.grievances import selectors

    selectors._index_cache.clear()
    yield
    selectors._index_cache.clear()
