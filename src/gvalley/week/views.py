from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from . import selectors
from .models import Edition, Programme
from .registry import programme_page


def home(request: HttpRequest) -> HttpResponse:
    editions = list(selectors.edition_list())
    return render(
        request, "week/home.html", {"editions": editions, "latest": editions[0] if editions else None}
    )


def edition(request: HttpRequest, year: int) -> HttpResponse:
    try:
        ed = selectors.edition_detail(year=year)
    except Edition.DoesNotExist:
        raise Http404
    programmes = list(ed.programmes.all())
    return render(
        request,
        "week/edition.html",
        {
            "edition": ed,
            "industry": [p for p in programmes if p.category == Programme.Category.INDUSTRY],
            "culture": [p for p in programmes if p.category == Programme.Category.CULTURE],
        },
    )


def programme(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    try:
        prog = selectors.programme_detail(year=year, pk=pk)
    except Programme.DoesNotExist:
        raise Http404
    return render(
        request,
        "week/programme.html",
        {"programme": prog, "edition": prog.edition, "programme_page": programme_page(prog.kind, prog.pk)},
    )
