"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) over the grievances app.

* services = request categories (``service_code`` = ``Category.code``), attributes = the category's extra
  questions; requests = ``grievances.Request`` (``service_request_id`` = the tracking number).
* ``status`` is ``open`` while the request waits for an answer, ``closed`` once answered, closed (or, for a
  merged request, as the request it was merged into); ``expected_datetime`` is the due date from the
  deadline rules; ``agency_responsible`` the responsible organisation.
* POST needs an ``api_key`` (issued by the operator); the request is filed through
  ``grievances.services.request_submit`` (channel ``open311``), so every rule of the web form applies.
* No personal data is ever returned: no names, e-mail addresses or phone numbers; the public
  ``description`` is the request's title (with the caller's valid ``api_key``, the full text — except for
  an anonymous worker's request).
* Errors use the spec's format: ``[{"code": 400, "description": "…"}]`` / ``<errors><error>…``.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from xml.etree import ElementTree as ET

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from gvalley.core.forms import plain_text
from gvalley.directory.models import Building
from gvalley.grievances import services as grievance_services
from gvalley.grievances.models import Category, Event, Question, Request

from .services import open311_key_check, open311_key_used

SPEC_URL = "http://wiki.open311.org/GeoReport_v2"
JURISDICTION = "gvalley.kr"
DEFAULT_WINDOW = timedelta(days=90)
MAX_RESULTS = 1000
JSON_TYPE = "application/json; charset=utf-8"
XML_TYPE = "text/xml; charset=utf-8"
FORMATS = ("json", "xml")
#: When this endpoint's interface last changed (the discovery document's changeset).
CHANGESET = "2026-11-21T00:00:00+09:00"


class Open311Error(Exception):
    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code = code
        self.description = description


# --- Rendering ------------------------------------------------------------------------------------------


def _xml_value(parent: ET.Element, tag: str, value: Any, item_tags: dict[str, str]) -> None:
    el = ET.SubElement(parent, tag)
    if value is None:
        return
    if isinstance(value, dict):
        for k, v in value.items():
            _xml_value(el, k, v, item_tags)
    elif isinstance(value, list):
        child_tag = item_tags.get(tag, "item")
        for v in value:
            _xml_value(el, child_tag, v, item_tags)
    elif isinstance(value, bool):
        el.text = "true" if value else "false"
    else:
        el.text = str(value)


def render(
    data: Any, fmt: str, *, root: str, item: str, status: int = 200, item_tags: dict[str, str] | None = None
) -> HttpResponse:
    """JSON as is; XML as ``<root><item>…</item>…</root>`` (lists of values use ``item_tags``)."""
    if fmt == "xml":
        top = ET.Element(root)
        tags = {"attributes": "attribute", "values": "value", "endpoints": "endpoint", "formats": "format"}
        tags.update(item_tags or {})
        rows = data if isinstance(data, list) else [data]
        for row in rows:
            el = ET.SubElement(top, item)
            for k, v in row.items():
                _xml_value(el, k, v, tags)
        body = ET.tostring(top, encoding="unicode")
        return HttpResponse(
            '<?xml version="1.0" encoding="UTF-8"?>\n' + body, content_type=XML_TYPE, status=status
        )
    return HttpResponse(json.dumps(data, ensure_ascii=False), content_type=JSON_TYPE, status=status)


def error_response(code: int, description: str, fmt: str) -> HttpResponse:
    return render(
        [{"code": code, "description": description}],
        fmt if fmt in FORMATS else "json",
        root="errors",
        item="error",
        status=code,
    )


def endpoint(func: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wrap a view: check the format and the jurisdiction, turn ``Open311Error`` into the error format."""

    @csrf_exempt
    def wrapper(request: HttpRequest, *args: Any, fmt: str = "json", **kwargs: Any) -> HttpResponse:
        if fmt not in FORMATS:
            return error_response(404, _("Unknown format; use .json or .xml."), "json")
        params = request.POST if request.method == "POST" else request.GET
        jurisdiction = params.get("jurisdiction_id")
        if jurisdiction and jurisdiction != JURISDICTION:
            return error_response(
                404, _("Unknown jurisdiction_id; this endpoint serves %(j)s.") % {"j": JURISDICTION}, fmt
            )
        try:
            return func(request, *args, fmt=fmt, **kwargs)
        except Open311Error as exc:
            return error_response(exc.code, exc.description, fmt)

    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    return wrapper


def _iso(dt: datetime | None) -> str | None:
    if dt is None:
        return None
    return timezone.localtime(dt).isoformat(timespec="seconds")


def _lang() -> str:
    return "en" if get_language() == "en" else "ko"


# --- Discovery and services -----------------------------------------------------------------------------


@endpoint
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    """The service discovery document (http://wiki.open311.org/Service_Discovery)."""
    base = request.build_absolute_uri(reverse("open311:root"))
    data = {
        "changeset": CHANGESET,
        "contact": _("G-Valley Hub, Geumcheon-gu Office, Local Economy Division"),
        "key_service": _(
            "API keys are issued by the platform operator (Geumcheon-gu Office, Local Economy Division)."
        ),
        "endpoints": [
            {
                "specification": SPEC_URL,
                "url": base,
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    if fmt == "xml":
        top = ET.Element("discovery")
        for k, v in data.items():
            _xml_value(top, k, v, {"endpoints": "endpoint", "formats": "format"})
        body = ET.tostring(top, encoding="unicode")
        return HttpResponse('<?xml version="1.0" encoding="UTF-8"?>\n' + body, content_type=XML_TYPE)
    return HttpResponse(json.dumps(data, ensure_ascii=False), content_type=JSON_TYPE)


def _service_row(category: Category, language: str) -> dict[str, Any]:
    questions = list(category.questions.all())
    return {
        "service_code": category.code,
        "service_name": category.display_name(language),
        "description": category.display_description(language),
        "metadata": bool(questions),
        "type": "realtime",
        "keywords": category.keywords_en if language == "en" and category.keywords_en else category.keywords,
        "group": str(Category.Kind(category.kind).label),
    }


def _categories() -> QuerySet[Category]:
    return (
        Category.objects.filter(is_active=True)
        .prefetch_related(Prefetch("questions", queryset=Question.objects.order_by("order", "id")))
        .order_by("order", "code")
    )


@endpoint
def services_list(request: HttpRequest, fmt: str) -> HttpResponse:
    language = _lang()
    rows = [_service_row(c, language) for c in _categories()]
    return render(rows, fmt, root="services", item="service")


@endpoint
def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    category = _categories().filter(code=code).first()
    if category is None:
        raise Open311Error(404, _("Unknown service_code: %(c)s") % {"c": code})
    language = _lang()
    attributes = []
    for q in category.questions.all():
        attr: dict[str, Any] = {
            "variable": True,
            "code": q.code,
            "datatype": q.datatype,
            "required": q.required,
            "datatype_description": q.display_help(language),
            "order": q.order,
            "description": q.display_label(language),
        }
        if q.choices:
            attr["values"] = [{"key": k, "name": n} for k, n in q.choice_pairs(language)]
        attributes.append(attr)
    data = {"service_code": category.code, "attributes": attributes}
    if fmt == "xml":
        top = ET.Element("service_definition")
        ET.SubElement(top, "service_code").text = category.code
        attrs_el = ET.SubElement(top, "attributes")
        for attr in attributes:
            _xml_value(attrs_el, "attribute", attr, {"values": "value"})
        body = ET.tostring(top, encoding="unicode")
        return HttpResponse('<?xml version="1.0" encoding="UTF-8"?>\n' + body, content_type=XML_TYPE)
    return render(data, fmt, root="service_definition", item="service_definition")


# --- Requests -------------------------------------------------------------------------------------------


def _requests_qs() -> QuerySet[Request]:
    public_events = Event.objects.filter(public=True).order_by("-at", "-id")
    return Request.objects.select_related(
        "category", "responsible_organisation", "building", "merged_into"
    ).prefetch_related(Prefetch("events", queryset=public_events, to_attr="public_events"))


def _request_row(req: Request, language: str, *, full_text: bool = False) -> dict[str, Any]:
    target = req.merged_into if req.status == Request.Status.MERGED and req.merged_into else req
    events = getattr(req, "public_events", [])
    if req.status == Request.Status.MERGED and req.merged_into:
        notes = _("Merged into %(n)s; follow that request.") % {"n": req.merged_into.tracking_number}
    elif events:
        latest = events[0]
        notes = latest.shown_note or str(Event.Kind(latest.kind).label)
    else:
        notes = ""
    description = req.display_title(language)
    if full_text and not req.anonymous:
        description = req.description
    org = target.responsible_organisation if target is not req else req.responsible_organisation
    return {
        "service_request_id": req.tracking_number,
        "status": target.open311_status,
        "status_notes": notes,
        "service_name": req.category.display_name(language),
        "service_code": req.category.code,
        "description": description,
        "agency_responsible": org.display_name(language) if org else "",
        "service_notice": "",
        "requested_datetime": _iso(req.received_at),
        "updated_datetime": _iso(req.updated_at),
        "expected_datetime": _iso(target.due_at),
        "address": req.address or (req.building.name if req.building else ""),
        "address_id": str(req.building_id) if req.building_id else "",
        "zipcode": "",
        "lat": float(req.latitude) if req.latitude is not None else None,
        "long": float(req.longitude) if req.longitude is not None else None,
        "media_url": "",
    }


def _parse_when(value: str, name: str) -> datetime:
    dt = parse_datetime(value.strip().replace(" ", "+"))
    if dt is None:
        d = parse_date(value.strip())
        if d is None:
            raise Open311Error(
                400, _("%(p)s must be a W3C date and time, e.g. 2021-10-06T09:00:00+09:00.") % {"p": name}
            )
        dt = datetime.combine(d, datetime.min.time())
    if timezone.is_naive(dt):
        dt = timezone.make_aware(dt)
    return dt


def _list(request: HttpRequest, fmt: str) -> HttpResponse:
    params = request.GET
    language = _lang()
    key = open311_key_check(params.get("api_key")) if params.get("api_key") else None
    if params.get("api_key") and key is None:
        raise Open311Error(403, _("The api_key is not valid."))
    qs = _requests_qs()
    ids = [i.strip() for i in params.get("service_request_id", "").split(",") if i.strip()]
    if ids:
        qs = qs.filter(tracking_number__in=[grievance_services.normalise_tracking_number(i) for i in ids])
    else:
        codes = [c.strip() for c in params.get("service_code", "").split(",") if c.strip()]
        if codes:
            known = set(Category.objects.filter(code__in=codes).values_list("code", flat=True))
            unknown = [c for c in codes if c not in known]
            if unknown:
                raise Open311Error(404, _("Unknown service_code: %(c)s") % {"c": ", ".join(unknown)})
            qs = qs.filter(category__code__in=codes)
        start = _parse_when(params["start_date"], "start_date") if params.get("start_date") else None
        end = _parse_when(params["end_date"], "end_date") if params.get("end_date") else None
        if start is None and end is None:
            end = timezone.now()
            start = end - DEFAULT_WINDOW
        elif start is None:
            assert end is not None
            start = end - DEFAULT_WINDOW
        elif end is None:
            end = start + DEFAULT_WINDOW
        if end < start:
            raise Open311Error(400, _("end_date is before start_date."))
        if end - start > DEFAULT_WINDOW:
            raise Open311Error(400, _("The date range may not span more than 90 days."))
        qs = qs.filter(received_at__gte=start, received_at__lte=end)
        statuses = {s.strip() for s in params.get("status", "").split(",") if s.strip()}
        if statuses - {"open", "closed"}:
            raise Open311Error(400, _("status must be open, closed or both (comma separated)."))
        if statuses == {"open"}:
            qs = qs.filter(status__in=Request.OPEN_STATUSES) | qs.filter(
                status=Request.Status.MERGED, merged_into__status__in=Request.OPEN_STATUSES
            )
        elif statuses == {"closed"}:
            qs = qs.exclude(status__in=Request.OPEN_STATUSES).exclude(
                status=Request.Status.MERGED, merged_into__status__in=Request.OPEN_STATUSES
            )
    rows = list(qs.order_by("-received_at", "-id")[:MAX_RESULTS])
    if key is not None:
        open311_key_used(key=key)
    return render(
        [
            _request_row(r, language, full_text=key is not None and r.external_client == key.name)
            for r in rows
        ],
        fmt,
        root="service_requests",
        item="request",
    )


def _decimal(value: str, name: str) -> Decimal:
    try:
        d = Decimal(value.strip())
    except (InvalidOperation, AttributeError):
        raise Open311Error(400, _("%(p)s must be a number.") % {"p": name})
    if not d.is_finite():
        raise Open311Error(400, _("%(p)s must be a number.") % {"p": name})
    return d.quantize(Decimal("0.000001"))


def _attributes(params: Any) -> dict[str, Any]:
    """``attribute[code]=value`` and ``attribute[code][]=v1&attribute[code][]=v2``."""
    out: dict[str, Any] = {}
    for name in params:
        if not name.startswith("attribute[") or "]" not in name:
            continue
        code = name[len("attribute[") : name.index("]")]
        values = params.getlist(name)
        out[code] = values if name.endswith("[]") or len(values) > 1 else values[0]
    return out


def _messages(exc: ValidationError) -> Iterable[str]:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            name = (
                field.replace("attribute_", "attribute[") + "]" if field.startswith("attribute_") else field
            )
            for message in errors:
                yield f"{name}: {message}"
    else:
        yield from exc.messages


FIELD_NAMES = {
    "contact_name": "first_name",
    "contact_email": "email",
    "contact_phone": "phone",
    "title": "description",
}


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    params = request.POST
    key = open311_key_check(params.get("api_key"))
    if key is None:
        raise Open311Error(403, _("A valid api_key is required to post a request."))
    code = params.get("service_code", "").strip()
    if not code:
        raise Open311Error(400, _("service_code is required."))
    category = Category.objects.filter(code=code, is_active=True).first()
    if category is None:
        raise Open311Error(404, _("Unknown service_code: %(c)s") % {"c": code})
    lat, lon = params.get("lat", "").strip(), params.get("long", "").strip()
    address = params.get("address_string", "").strip()
    address_id = params.get("address_id", "").strip()
    if not ((lat and lon) or address or address_id):
        raise Open311Error(400, _("A location is required: lat and long, address_string or address_id."))
    location = grievance_services.Location(address=address)
    if lat or lon:
        if not (lat and lon):
            raise Open311Error(400, _("Give both lat and long."))
        location.latitude, location.longitude = _decimal(lat, "lat"), _decimal(lon, "long")
    if address_id:
        building = Building.objects.filter(pk=address_id).first() if address_id.isdigit() else None
        if building is None:
            raise Open311Error(400, _("Unknown address_id (use the id of a building in the directory)."))
        location.building = building
        location.complex = building.complex
    description = params.get("description", "").strip()
    if not description:
        raise Open311Error(400, _("description is required."))
    first = params.get("first_name", "").strip()
    last = params.get("last_name", "").strip()
    name = (
        " ".join(p for p in (last, first) if p)
        if _lang() == "ko"
        else " ".join(p for p in (first, last) if p)
    )
    filer_type = params.get("filer_type", Request.FilerType.CITIZEN).strip() or Request.FilerType.CITIZEN
    anonymous = params.get("anonymous", "").strip().lower() in {"1", "true", "yes"}
    title_line = plain_text(description).splitlines()[0] if description else ""
    title = title_line if len(title_line) <= 60 else title_line[:59] + "…"
    media = params.get("media_url", "").strip()
    if media:
        description += "\n\n" + _("Media: %(url)s") % {"url": media}
    try:
        req = grievance_services.request_submit(
            actor=None,
            category=category,
            title=title,
            description=description,
            filer_type=filer_type,
            contact_name=name or _("Open311 user"),
            contact_email=params.get("email", ""),
            contact_phone=params.get("phone", ""),
            language=_lang(),
            anonymous=anonymous,
            location=location,
            attributes=_attributes(params),
            channel=Request.Channel.OPEN311,
            consent=True,  # the client application collects consent under its key agreement
            external_client=key.name,
        )
    except ValidationError as exc:
        raise Open311Error(400, " ".join(_messages(exc)))
    token = secrets.token_hex(16)
    Request.objects.filter(pk=req.pk).update(external_token=token)
    open311_key_used(key=key, posted=True)
    notice = _("Received. Processing period: %(period)s; expected by %(due)s.") % {
        "period": req.period,
        "due": timezone.localtime(req.due_at).strftime("%Y-%m-%d %H:%M"),
    }
    return render(
        [
            {
                "service_request_id": req.tracking_number,
                "token": token,
                "service_notice": notice,
                "account_id": None,
            }
        ],
        fmt,
        root="service_requests",
        item="request",
        status=201,
    )


@endpoint
def requests_view(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _create(request, fmt)
    if request.method in ("GET", "HEAD"):
        return _list(request, fmt)
    raise Open311Error(405, _("Use GET or POST."))


@endpoint
def request_detail(request: HttpRequest, request_id: str, fmt: str) -> HttpResponse:
    key = open311_key_check(request.GET.get("api_key")) if request.GET.get("api_key") else None
    if request.GET.get("api_key") and key is None:
        raise Open311Error(403, _("The api_key is not valid."))
    req = (
        _requests_qs()
        .filter(tracking_number=grievance_services.normalise_tracking_number(request_id))
        .first()
    )
    if req is None:
        raise Open311Error(404, _("No service request has the id %(id)s.") % {"id": request_id})
    row = _request_row(req, _lang(), full_text=key is not None and req.external_client == key.name)
    return render([row], fmt, root="service_requests", item="request")


@endpoint
def token_detail(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    req = (
        Request.objects.filter(external_token=token).only("tracking_number").first()
        if len(token) <= 40
        else None
    )
    if req is None:
        raise Open311Error(404, _("Unknown token."))
    return render(
        [{"service_request_id": req.tracking_number, "token": token}],
        fmt,
        root="service_requests",
        item="request",
    )


def root(request: HttpRequest) -> HttpResponse:
    """``/open311/v2/``: a pointer to the discovery document (JSON)."""
    data = {
        "specification": SPEC_URL,
        "discovery": request.build_absolute_uri(reverse("open311:discovery", kwargs={"fmt": "json"})),
        "services": request.build_absolute_uri(reverse("open311:services", kwargs={"fmt": "json"})),
    }
    return HttpResponse(json.dumps(data, ensure_ascii=False), content_type=JSON_TYPE)
