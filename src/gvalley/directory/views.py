from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from gvalley.core import exports
from gvalley.core.cache import public_cache
from gvalley.core.models import AccessLog
from gvalley.core.paginate import paginate
from gvalley.core.services import job_create, log_access

from . import selectors, tasks
from .forms import BuildingFilterForm, CompanyFilterForm, ImportForm
from .models import Building, Company
from .services import STATS_VERSION_KEY

PER_PAGE = 20


@public_cache(300, version_key=STATS_VERSION_KEY)
def company_list(request: HttpRequest) -> HttpResponse:
    form = CompanyFilterForm(request.GET or None, options=selectors.filter_options())
    filters = form.filters()
    ctx = {
        **paginate(request, selectors.company_search_page(filters), PER_PAGE),
        "form": form,
        "filters": filters,
    }
    template = "directory/_company_results.html" if request.htmx else "directory/company_list.html"
    return render(request, template, ctx)


@public_cache(300, version_key=STATS_VERSION_KEY)
def company_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        company = selectors.company_detail(pk=pk)
    except Company.DoesNotExist:
        raise Http404
    return render(request, "directory/company_detail.html", {"company": company})


def company_headers() -> list[str]:
    return [
        _("Name"),
        _("Name (English)"),
        _("Business registration number"),
        _("Representative"),
        _("KSIC code"),
        _("Industry"),
        _("Employees"),
        _("Complex"),
        _("Building"),
        _("Address"),
        _("Main products"),
        _("Website"),
        _("Annual production (KRW million)"),
        _("Annual exports (USD thousand)"),
    ]


@login_required
def company_export(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("directory.export_companies"):
        raise PermissionDenied
    form = CompanyFilterForm(request.GET or None, options=selectors.filter_options())
    qs = selectors.company_search(form.filters())
    rows = (
        [
            c.name,
            c.name_en,
            c.business_number,
            c.representative,
            c.industry.code,
            c.industry.name,
            c.employees,
            c.complex.name,
            c.building.name if c.building else "",
            c.address,
            c.products,
            c.website,
            c.production_million_krw,
            c.exports_thousand_usd,
        ]
        for c in qs.iterator(chunk_size=2000)
    )
    content = exports.xlsx_bytes([exports.Sheet(_("Companies"), company_headers(), rows)])
    log_access(
        actor=request.user,
        kind=AccessLog.Kind.EXPORT,
        subject=_("Company directory (filtered list)"),
        fields=["representative"],
        purpose="directory export",
        request=request,
        record_count=qs.count(),
    )
    name = f"gvalley-companies-{timezone.localdate():%Y%m%d}.xlsx"
    return exports.download_response(content, filename=name, content_type=exports.XLSX_MIME)


@public_cache(300, version_key=STATS_VERSION_KEY)
def building_list(request: HttpRequest) -> HttpResponse:
    form = BuildingFilterForm(request.GET or None)
    complex_number, status = None, ""
    if form.is_valid():
        complex_number, status = form.cleaned_data["complex"], form.cleaned_data["status"]
    qs = selectors.building_list(complex_number=complex_number, status=status)
    return render(request, "directory/building_list.html", {**paginate(request, qs, 30), "form": form})


def building_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        building = selectors.building_detail(pk=pk)
    except Building.DoesNotExist:
        raise Http404
    companies = selectors.company_search(selectors.CompanyFilters(building=building.pk))
    return render(
        request, "directory/building_detail.html", {"building": building, **paginate(request, companies, 20)}
    )


def facility_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.facility_list(kind=request.GET.get("kind", ""))
    from .models import SupportFacility

    return render(
        request,
        "directory/facility_list.html",
        {**paginate(request, qs, 30), "kinds": SupportFacility.Kind.choices},
    )


@public_cache(300, version_key=STATS_VERSION_KEY)
def statistics(request: HttpRequest) -> HttpResponse:
    data = selectors.statistics()
    en = get_language() == "en"
    chart = {
        "complexes": [row["name_en"] if en else row["name"] for row in data["per_complex"]],
        "companies": [row["company_count"] for row in data["per_complex"]],
        "employees": [row["employee_count"] for row in data["per_complex"]],
        "kic_labels": [str(label) for _v, label in Building.Status.choices],
        "kic_values": [data["kic_23"][v] for v, _l in Building.Status.choices],
        "industry_labels": [
            (r["industry__division_name_en"] if en else r["industry__division_name"])
            for r in data["industries"][:10]
        ],
        "industry_values": [r["company_count"] for r in data["industries"][:10]],
        "labels": {
            "companies": _("Companies"),
            "employees": _("Employees"),
            "kic": _("Knowledge industry centres"),
        },
    }
    if len(data["industries"]) > 10:
        chart["industry_labels"].append(_("Other"))
        chart["industry_values"].append(sum(r["company_count"] for r in data["industries"][10:]))
    return render(request, "directory/statistics.html", {"stats": data, "chart": chart})


def statistics_xlsx(request: HttpRequest) -> HttpResponse:
    data = selectors.statistics()
    en = get_language() == "en"
    per_complex = [
        [
            r["name_en"] if en else r["name"],
            r["company_count"],
            r["employee_count"],
            r["production"],
            r["exports"],
        ]
        for r in data["per_complex"]
    ]
    per_complex.append(
        [
            _("Total"),
            *(data["totals"][k] for k in ("company_count", "employee_count", "production", "exports")),
        ]
    )
    statuses = Building.Status.choices
    kic_rows = [
        [
            f"{n}",
            *(data["kic"].get(n, {}).get(v, 0) for v, _l in statuses),
            sum(data["kic"].get(n, {}).values()),
        ]
        for n in sorted(data["kic"])
    ]
    industry_rows = [
        [
            r["industry__division"],
            r["industry__division_name_en"] if en else r["industry__division_name"],
            r["company_count"],
            r["employee_count"],
        ]
        for r in data["industries"]
    ]
    content = exports.xlsx_bytes(
        [
            exports.Sheet(
                _("By complex"),
                [
                    _("Complex"),
                    _("Companies"),
                    _("Employees"),
                    _("Annual production (KRW million)"),
                    _("Annual exports (USD thousand)"),
                ],
                per_complex,
            ),
            exports.Sheet(
                _("Knowledge industry centres"),
                [_("Complex"), *(str(label) for _v, label in statuses), _("Total")],
                kic_rows,
            ),
            exports.Sheet(
                _("Industries"),
                [_("KSIC division"), _("Industry"), _("Companies"), _("Employees")],
                industry_rows,
            ),
        ]
    )
    name = f"gvalley-statistics-{timezone.localdate():%Y%m%d}.xlsx"
    return exports.download_response(content, filename=name, content_type=exports.XLSX_MIME)


@login_required
def import_view(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("directory.import_companies"):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        folder = Path(settings.MEDIA_ROOT) / "imports"
        folder.mkdir(parents=True, exist_ok=True)
        stored = f"imports/{uuid.uuid4().hex}-{Path(upload.name).suffix.lower()}"
        with open(Path(settings.MEDIA_ROOT) / stored, "wb") as fh:
            for chunk in upload.chunks():
                fh.write(chunk)
        job = job_create(
            kind="directory.import",
            title=_("Import of %(name)s") % {"name": upload.name},
            created_by=request.user,
            params={"filename": upload.name, "update_existing": form.cleaned_data["update_existing"]},
        )
        tasks.import_directory_file.enqueue(job.pk, stored, upload.name, form.cleaned_data["update_existing"])
        return redirect("core:job", pk=job.pk)
    return render(request, "directory/import.html", {"form": form})


def import_template(request: HttpRequest) -> HttpResponse:
    """A sample file in the import format, with one building and one company."""
    from .importers import BUILDING_COLUMNS, COMPANY_COLUMNS

    content = exports.xlsx_bytes(
        [
            exports.Sheet(
                "지식산업센터",
                [names[0] for names in BUILDING_COLUMNS.values()],
                [
                    [
                        "가산 예시타워",
                        "3",
                        "준공",
                        "서울특별시 금천구 가산디지털1로 100",
                        2015,
                        20,
                        "Gasan Sample Tower",
                    ]
                ],
            ),
            exports.Sheet(
                "입주업체",
                [names[0] for names in COMPANY_COLUMNS.values()],
                [
                    [
                        "예시전자(주)",
                        "220-81-62517",
                        "홍길동",
                        "26299",
                        25,
                        "3",
                        "가산 예시타워",
                        "서울특별시 금천구 가산디지털1로 100, 5층",
                        "반도체장비 부품",
                        "https://example.com",
                        "02-000-0000",
                        3500,
                        120,
                        "Sample Electronics",
                        2012,
                    ]
                ],
            ),
        ]
    )
    return exports.download_response(
        content, filename="gvalley-import-template.xlsx", content_type=exports.XLSX_MIME
    )
