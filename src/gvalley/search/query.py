"""The Django side of the Korean text layer, shared by every app.

A searchable model stores ``gvalley.engines.text.index_document(...)`` of its text fields in a column; a query
keeps the rows whose column contains every term of ``query_terms(q)`` (SQL ``LIKE '%term%'``, the same on SQLite
and PostgreSQL). Inflected and compound forms match because the index holds stems and joined spellings and
the query is reduced to nouns and stems.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet

M = TypeVar("M", bound=Model)


def search_filter(qs: QuerySet[M], q: str, field: str = "search_text") -> QuerySet[M]:
    """Keep rows whose indexed text contains every term of the Korean-aware query (empty query: all rows)."""
    from gvalley.engines.text import query_terms

    if not q.strip():
        return qs
    terms = query_terms(q)
    if not terms:
        return qs.none()
    condition = Q()
    for term in terms:
        condition &= Q(**{f"{field}__contains": term})
    return qs.filter(condition)


def index_text(*parts: Any) -> str:
    """The text to store in a model's search column (``None`` and non-strings are skipped)."""
    from gvalley.engines.text import index_document

    return index_document(*(str(p) for p in parts if p))
