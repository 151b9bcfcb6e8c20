"""Reads for the directory pages, each at a fixed number of queries whatever the number of companies."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet, Sum

from gvalley.core.cache import data_version
from gvalley.search.query import search_filter

from .models import Building, Company, Complex, Industry, SupportFacility
from .services import STATS_VERSION_KEY


@dataclass
class CompanyFilters:
    q: str = ""
    complex: int | None = None
    division: str = ""
    building: int | None = None
    size: str = ""
    sort: str = "name"


SORTS = {"name": ("name", "id"), "-employees": ("-employees", "name"), "employees": ("employees", "name")}


def _cache_version() -> int:
    return data_version(STATS_VERSION_KEY)


def company_search(filters: CompanyFilters) -> QuerySet[Company]:
    qs = Company.objects.select_related("complex", "building", "industry")
    qs = search_filter(qs, filters.q)
    if filters.complex:
        qs = qs.filter(complex__number=filters.complex)
    if filters.division:
        qs = qs.filter(industry__division=filters.division)
    if filters.building:
        qs = qs.filter(building_id=filters.building)
    if filters.size in Company.SIZE_BOUNDS:
        low, high = Company.SIZE_BOUNDS[filters.size]
        qs = qs.filter(employees__gte=low)
        if high is not None:
            qs = qs.filter(employees__lte=high)
    return qs.order_by(*SORTS.get(filters.sort, SORTS["name"]))


class CompanyPage:
    """A sequence of company ids (already filtered and sorted) that the paginator slices; the slice is
    fetched from the database with its related rows in one query."""

    def __init__(self, ids: list[int]) -> None:
        self.ids = ids

    def __len__(self) -> int:
        return len(self.ids)

    def count(self) -> int:
        return len(self.ids)

    def __getitem__(self, item: slice) -> list[Company]:
        wanted = self.ids[item]
        by_pk = Company.objects.select_related("complex", "building", "industry").in_bulk(wanted)
        return [by_pk[pk] for pk in wanted if pk in by_pk]


def company_search_page(filters: CompanyFilters) -> CompanyPage:
    """The same result as :func:`company_search`, computed on the in-process index (see search_index.py)."""
    from gvalley.engines.text import query_terms

    from .search_index import INDEX

    rows = INDEX.rows(STATS_VERSION_KEY)
    if filters.q.strip():
        terms = query_terms(filters.q)
        if not terms:
            return CompanyPage([])
        for term in terms:  # one pass per term keeps the test a C-level substring search
            rows = [r for r in rows if term in r.text]
    if filters.complex:
        rows = [r for r in rows if r.complex == filters.complex]
    if filters.division:
        rows = [r for r in rows if r.division == filters.division]
    if filters.building:
        rows = [r for r in rows if r.building == filters.building]
    if filters.size in Company.SIZE_BOUNDS:
        low, high = Company.SIZE_BOUNDS[filters.size]
        rows = [r for r in rows if r.employees >= low and (high is None or r.employees <= high)]
    if filters.sort == "-employees":
        rows = sorted(rows, key=lambda r: -r.employees)  # stable: ties stay in name order
    elif filters.sort == "employees":
        rows = sorted(rows, key=lambda r: r.employees)
    return CompanyPage([r.pk for r in rows])


def company_detail(*, pk: int) -> Company:
    return Company.objects.select_related("complex", "building", "industry", "organisation").get(pk=pk)


def filter_options() -> dict[str, Any]:
    """Choices for the directory filters (cached until the directory changes)."""
    key = f"directory:filter-options:{_cache_version()}"
    options = cache.get(key)
    if options is None:
        options = {
            "complexes": [(c.number, c.name, c.name_en) for c in Complex.objects.all()],
            "divisions": list(
                Industry.objects.values_list("division", "division_name", "division_name_en")
                .distinct()
                .order_by("division")
            ),
            "buildings": [
                (b.pk, b.name, b.name_en, b.complex_id)
                for b in Building.objects.filter(kind=Building.Kind.KNOWLEDGE_CENTRE).order_by("name")
            ],
        }
        cache.set(key, options, 3600)
    return options


def building_list(*, complex_number: int | None = None, status: str = "") -> QuerySet[Building]:
    qs = Building.objects.select_related("complex").annotate(
        company_count=Count("companies"), employee_count=Sum("companies__employees")
    )
    if complex_number:
        qs = qs.filter(complex__number=complex_number)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("complex__number", "name")


def building_detail(*, pk: int) -> Building:
    return Building.objects.select_related("complex").get(pk=pk)


def facility_list(*, kind: str = "") -> QuerySet[SupportFacility]:
    qs = SupportFacility.objects.select_related("complex", "building")
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def statistics() -> dict[str, Any]:
    """G-Valley at a glance, computed from the records (cached until the directory changes)."""
    key = f"directory:statistics:{_cache_version()}"
    data = cache.get(key)
    if data is not None:
        return data
    per_complex = list(
        Complex.objects.annotate(
            company_count=Count("companies"),
            employee_count=Sum("companies__employees"),
            production=Sum("companies__production_million_krw"),
            exports=Sum("companies__exports_thousand_usd"),
        )
        .order_by("number")
        .values("number", "name", "name_en", "company_count", "employee_count", "production", "exports")
    )
    for row in per_complex:
        for k in ("employee_count", "production", "exports"):
            row[k] = row[k] or 0
    totals = {
        k: sum(row[k] for row in per_complex)
        for k in ("company_count", "employee_count", "production", "exports")
    }
    geumcheon = [row for row in per_complex if row["number"] in (2, 3)]
    totals_23 = {k: sum(row[k] for row in geumcheon) for k in ("company_count", "employee_count")}
    kic_rows = list(
        Building.objects.filter(kind=Building.Kind.KNOWLEDGE_CENTRE)
        .values("complex__number", "status")
        .annotate(n=Count("id"))
        .order_by("complex__number", "status")
    )
    statuses = [s for s, _ in Building.Status.choices]
    kic: dict[int, dict[str, int]] = {}
    for row in kic_rows:
        kic.setdefault(row["complex__number"], dict.fromkeys(statuses, 0))[row["status"]] = row["n"]
    kic_23 = dict.fromkeys(statuses, 0)
    for number in (2, 3):
        for status, n in kic.get(number, {}).items():
            kic_23[status] += n
    industries = list(
        Company.objects.values("industry__division", "industry__division_name", "industry__division_name_en")
        .annotate(company_count=Count("id"), employee_count=Sum("employees"))
        .order_by("-company_count", "industry__division")
    )
    sizes = []
    for size_key, label in Company.Size.choices:
        low, high = Company.SIZE_BOUNDS[size_key]
        q = Q(employees__gte=low) if high is None else Q(employees__gte=low, employees__lte=high)
        sizes.append((size_key, str(label), q))
    size_counts = Company.objects.aggregate(**{key: Count("id", filter=q) for key, _, q in sizes})
    data = {
        "per_complex": per_complex,
        "totals": totals,
        "totals_23": totals_23,
        "kic": kic,
        "kic_23": kic_23,
        "kic_23_total": sum(kic_23.values()),
        "industries": industries,
        "sizes": [{"key": k, "count": size_counts[k]} for k, _, _ in sizes],
    }
    cache.set(key, data, 3600)
    return data
