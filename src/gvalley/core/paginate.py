from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest


def paginate(request: HttpRequest, object_list: Any, per_page: int = 20) -> dict[str, Any]:
    """Page ``object_list`` by ``?page=``; returns the context the pagination include expects."""
    paginator = Paginator(object_list, per_page)
    page: Page = paginator.get_page(request.GET.get("page"))
    return {
        "page_obj": page,
        "paginator": paginator,
        "page_range": list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)),
        "object_list": page.object_list,
    }
