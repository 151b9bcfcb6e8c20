from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet

from .models import Edition, Programme


def edition_list() -> QuerySet[Edition]:
    return (
        Edition.objects.filter(is_published=True)
        .annotate(programme_count=Count("programmes"))
        .order_by("-year")
    )


def edition_detail(*, year: int) -> Edition:
    programmes = Programme.objects.select_related("operator").order_by("order", "starts_on", "id")
    return (
        Edition.objects.filter(is_published=True)
        .prefetch_related(Prefetch("programmes", queryset=programmes), "organisers")
        .get(year=year)
    )


def programme_detail(*, year: int, pk: int) -> Programme:
    return Programme.objects.select_related("edition", "operator").get(
        edition__year=year, edition__is_published=True, pk=pk
    )


def programme_of_kind(*, edition: Edition, kind: str) -> Programme | None:
    return Programme.objects.filter(edition=edition, kind=kind).order_by("order").first()
