"""Every write of the grievances app: intake, routing, statuses, answers, deadlines, surveys, duplicates,
recurring issues, company visits and the council link.

One keyword-only function per action, atomic, audited (``core.services.audit`` with before/after
snapshots). Views, the Open311 API, the management commands, the admin and the demo data all call these.
Bad input raises ``ValidationError`` with a translated message and nothing is written.
"""

from __future__ import annotations

import contextlib
import functools
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from gvalley.accounts.models import Membership, Organisation, PrivacyNotice, Role, User
from gvalley.core import notifications
from gvalley.core.forms import plain_text
from gvalley.core.services import audit, snapshot
from gvalley.core.validators import DOCUMENT_TYPES, IMAGE_TYPES, validate_upload
from gvalley.directory.models import Building, Company, Complex
from gvalley.engines import deadlines
from gvalley.engines.text import index_document, tokens_for_similarity

from .models import (
    AdhocHoliday,
    Answer,
    AnswerTemplate,
    Attachment,
    Category,
    Cluster,
    Event,
    Question,
    Request,
    Satisfaction,
    Support,
    Visit,
    VisitPhoto,
    VisitPlan,
)

SURVEY_SALT = "gvalley.grievances.survey"
SURVEY_MAX_AGE = 180 * 24 * 3600
TRACKING_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I
MAX_ATTACHMENTS = 5

#: Allowed status changes through ``request_change_status`` (answers, closing, reopening and merging
#: have their own services).
TRANSITIONS: dict[str, set[str]] = {
    Request.Status.RECEIVED: {Request.Status.REVIEWING, Request.Status.IN_PROGRESS},
    Request.Status.REVIEWING: {Request.Status.IN_PROGRESS},
    Request.Status.IN_PROGRESS: {Request.Status.REVIEWING},
    Request.Status.REOPENED: {Request.Status.REVIEWING, Request.Status.IN_PROGRESS},
}

#: Map of a category's kind to the usual period of the deadlines engine (DESIGN §7).
KIND_PERIODS: dict[str, str] = {
    Category.Kind.SUGGESTION: "건의",
    Category.Kind.LEGAL_QUESTION: "질의-법령",
    Category.Kind.PROCEDURE_QUESTION: "질의-제도절차",
    Category.Kind.GRIEVANCE: "고충",
    Category.Kind.SIMPLE: "기타",
}

REQUEST_FIELDS = [
    "tracking_number",
    "category",
    "title",
    "status",
    "channel",
    "filer_type",
    "anonymous",
    "responsible_organisation",
    "handler",
    "period",
    "clock_started_at",
    "original_due_at",
    "due_at",
    "answered_at",
    "closed_at",
    "progress_notice_sent_at",
    "merged_into",
    "action_plan",
    "action_due_on",
    "support_count",
]


def _snap(req: Request) -> dict[str, Any] | None:
    # Personal data (contact fields) stays out of the audit log's before/after; the request keeps it.
    return snapshot(req, REQUEST_FIELDS)


def _now() -> datetime:
    return timezone.now()


# --- Deadlines ------------------------------------------------------------------------------------------


def holiday_calendar() -> deadlines.HolidayCalendar:
    """The Korean public holidays of the ``holidays`` package plus the operator's ad-hoc holidays."""
    return deadlines.HolidayCalendar(AdhocHoliday.objects.values_list("date", flat=True))


def parse_period(text: str) -> deadlines.Period:
    try:
        return deadlines.Period.parse(text)
    except (ValueError, TypeError):
        raise ValidationError(
            {"period": _("Enter a period such as 7d (7 days), 14d, 3h, 1m (one month) or immediate.")}
        )


def compute_due(
    started_at: datetime, period: str, calendar: deadlines.HolidayCalendar | None = None
) -> deadlines.DueDate:
    return deadlines.due_with_rule(started_at, parse_period(period), calendar=calendar or holiday_calendar())


def default_period(kind: str) -> str:
    usual = deadlines.USUAL_PERIODS[KIND_PERIODS.get(kind, "고충")]
    if usual.unit == "immediate":
        return "immediate"
    return f"{usual.amount}{usual.unit[0]}"


# --- Categories and questions ---------------------------------------------------------------------------

CATEGORY_FIELDS = {
    "code",
    "name",
    "name_en",
    "description",
    "description_en",
    "kind",
    "period",
    "default_organisation",
    "keywords",
    "keywords_en",
    "order",
    "is_active",
}
QUESTION_FIELDS = {"code", "label", "label_en", "help", "help_en", "datatype", "required", "choices", "order"}


def _check_fields(fields: dict[str, Any], allowed: set[str]) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")


@transaction.atomic
def category_create(*, actor: Any, **fields: Any) -> Category:
    _check_fields(fields, CATEGORY_FIELDS)
    code = str(fields.get("code") or "").strip()
    if not code:
        raise ValidationError({"code": _("Give the category a code (letters, digits and hyphens).")})
    if Category.objects.filter(code=code).exists():
        raise ValidationError({"code": _("A category with this code already exists.")})
    fields["code"] = code
    category = Category(**fields)
    if not category.period:
        category.period = default_period(category.kind)
    parse_period(category.period)
    category.full_clean()
    category.save()
    audit(actor=actor, action="grievances.category.create", obj=category, after=snapshot(category))
    return category


@transaction.atomic
def category_update(*, actor: Any, category: Category, **fields: Any) -> Category:
    _check_fields(fields, CATEGORY_FIELDS)
    before = snapshot(category)
    for key, value in fields.items():
        setattr(category, key, value)
    parse_period(category.period)
    category.full_clean()
    category.save()
    audit(
        actor=actor,
        action="grievances.category.update",
        obj=category,
        before=before,
        after=snapshot(category),
        note=_("Open requests keep their deadline; the new period applies to new requests."),
    )
    return category


def _check_choices(datatype: str, choices: Any) -> list[dict[str, str]]:
    if datatype not in (Question.Datatype.SINGLE, Question.Datatype.MULTI):
        return []
    if not isinstance(choices, list) or not choices:
        raise ValidationError({"choices": _("A list question needs at least one choice.")})
    out, keys = [], set()
    for item in choices:
        if (
            not isinstance(item, dict)
            or not str(item.get("key", "")).strip()
            or not str(item.get("name", "")).strip()
        ):
            raise ValidationError({"choices": _("Each choice needs a key and a name.")})
        key = str(item["key"]).strip()
        if key in keys:
            raise ValidationError({"choices": _("The choice key %(key)s is used twice.") % {"key": key}})
        keys.add(key)
        out.append(
            {"key": key, "name": str(item["name"]).strip(), "name_en": str(item.get("name_en", "")).strip()}
        )
    return out


@transaction.atomic
def question_create(*, actor: Any, category: Category, **fields: Any) -> Question:
    _check_fields(fields, QUESTION_FIELDS)
    question = Question(category=category, **fields)
    question.choices = _check_choices(question.datatype, question.choices)
    question.full_clean()
    question.save()
    audit(actor=actor, action="grievances.question.create", obj=question, after=snapshot(question))
    return question


@transaction.atomic
def question_update(*, actor: Any, question: Question, **fields: Any) -> Question:
    _check_fields(fields, QUESTION_FIELDS)
    before = snapshot(question)
    for key, value in fields.items():
        setattr(question, key, value)
    question.choices = _check_choices(question.datatype, question.choices)
    question.full_clean()
    question.save()
    audit(
        actor=actor,
        action="grievances.question.update",
        obj=question,
        before=before,
        after=snapshot(question),
    )
    return question


@transaction.atomic
def question_delete(*, actor: Any, question: Question) -> None:
    before = snapshot(question)
    audit(actor=actor, action="grievances.question.delete", obj=question, before=before)
    question.delete()


def clean_attributes(
    category: Category, raw: dict[str, Any], *, language: str = "ko", enforce_required: bool = True
) -> dict[str, Any]:
    """Check the answers to a category's extra questions; returns the stored form or raises per question.

    Errors are keyed ``attribute_<code>`` (the web form's field names). Values: str for text, number as a
    string of a decimal, datetime in ISO 8601, list questions the choice key (list of keys for multi).
    """
    errors: dict[str, list[str]] = {}
    out: dict[str, Any] = {}
    for q in category.questions.all():
        field = f"attribute_{q.code}"
        value = raw.get(q.code)
        if isinstance(value, str):
            value = plain_text(value)
        empty = value in (None, "", []) or (isinstance(value, list) and not any(value))
        if empty:
            if q.required and enforce_required:
                errors[field] = [_("Answer this question: %(q)s") % {"q": q.display_label(language)}]
            continue
        keys = {str(c["key"]) for c in q.choices}
        if q.datatype == Question.Datatype.NUMBER:
            try:
                number = Decimal(str(value).replace(",", "").strip())
            except InvalidOperation:
                errors[field] = [_("Enter a number.")]
                continue
            if not number.is_finite():
                errors[field] = [_("Enter a number.")]
                continue
            out[q.code] = str(number)
        elif q.datatype == Question.Datatype.DATETIME:
            parsed = value if isinstance(value, datetime) else parse_datetime(str(value).strip())
            if parsed is None:
                try:
                    parsed_date = date.fromisoformat(str(value).strip())
                except ValueError:
                    errors[field] = [_("Enter a date (YYYY-MM-DD) or a date and time.")]
                    continue
                out[q.code] = parsed_date.isoformat()
            else:
                if timezone.is_naive(parsed):
                    parsed = timezone.make_aware(parsed)
                out[q.code] = parsed.isoformat()
        elif q.datatype == Question.Datatype.SINGLE:
            if str(value) not in keys:
                errors[field] = [_("Choose one of the listed answers.")]
                continue
            out[q.code] = str(value)
        elif q.datatype == Question.Datatype.MULTI:
            values = [str(v) for v in (value if isinstance(value, (list, tuple)) else [value]) if str(v)]
            if any(v not in keys for v in values):
                errors[field] = [_("Choose among the listed answers.")]
                continue
            out[q.code] = values
        else:
            text = str(value).strip()
            limit = 200 if q.datatype == Question.Datatype.STRING else 2000
            if len(text) > limit:
                errors[field] = [_("At most %(n)d characters.") % {"n": limit}]
                continue
            out[q.code] = text
    if errors:
        raise ValidationError(errors)
    return out


# --- Intake ---------------------------------------------------------------------------------------------


def new_tracking_number(at: datetime | None = None) -> str:
    """``GV21-7K3M9Q``: the year and six random characters (not guessable, no 0/O/1/I)."""
    year = timezone.localtime(at or _now()).year % 100
    for _attempt in range(20):
        code = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(6))
        number = f"GV{year:02d}-{code}"
        if not Request.objects.filter(tracking_number=number).exists():
            return number
    raise RuntimeError("could not find a free tracking number")


def normalise_tracking_number(text: str) -> str:
    cleaned = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    if len(cleaned) == 10 and cleaned.startswith("GV"):
        return f"{cleaned[:4]}-{cleaned[4:]}"
    return (text or "").strip().upper()


def index_request(req: Request) -> None:
    """Fill the search column and the similarity features of a request (not saved)."""
    req.search_text = index_document(req.tracking_number, req.title, req.title_en, req.description)
    req.similarity_tokens = " ".join(tokens_for_similarity(f"{req.title}\n{req.description}"))


def request_reindex_all(*, batch: int = 500) -> int:
    """Rebuild the search column and similarity features of every request (after ``INDEX_VERSION`` changed)."""
    count = 0
    qs = Request.objects.only("pk", "tracking_number", "title", "title_en", "description").order_by("pk")
    for req in qs.iterator(chunk_size=batch):
        index_request(req)
        Request.objects.filter(pk=req.pk).update(
            search_text=req.search_text, similarity_tokens=req.similarity_tokens
        )
        count += 1
    return count


@dataclass
class Location:
    complex: Complex | None = None
    building: Building | None = None
    address: str = ""
    map_x: Decimal | None = None
    map_y: Decimal | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None


#: The schematic map image of G-Valley (static/grievances/img/gvalley-map.svg) covers this box; a point on
#: the image (x, y in %) and a latitude/longitude are converted linearly.
MAP_BOUNDS = {
    "north": Decimal("37.4920"),
    "south": Decimal("37.4660"),
    "west": Decimal("126.8700"),
    "east": Decimal("126.9050"),
}


def map_to_latlong(x: Decimal, y: Decimal) -> tuple[Decimal, Decimal]:
    b = MAP_BOUNDS
    lat = b["north"] - (b["north"] - b["south"]) * y / 100
    lon = b["west"] + (b["east"] - b["west"]) * x / 100
    return lat.quantize(Decimal("0.000001")), lon.quantize(Decimal("0.000001"))


def latlong_to_map(lat: Decimal, lon: Decimal) -> tuple[Decimal, Decimal] | None:
    b = MAP_BOUNDS
    if not (b["south"] <= lat <= b["north"] and b["west"] <= lon <= b["east"]):
        return None
    x = (lon - b["west"]) * 100 / (b["east"] - b["west"])
    y = (b["north"] - lat) * 100 / (b["north"] - b["south"])
    return x.quantize(Decimal("0.01")), y.quantize(Decimal("0.01"))


def _clean_location(loc: Location) -> Location:
    errors: dict[str, str] = {}
    if loc.building is not None and loc.complex is not None and loc.building.complex_id != loc.complex.pk:
        errors["building"] = _("The building is not in the chosen complex.")
    if loc.building is not None and loc.complex is None:
        loc.complex = loc.building.complex
    for name in ("map_x", "map_y"):
        value = getattr(loc, name)
        if value is not None and not (Decimal(0) <= Decimal(value) <= Decimal(100)):
            errors[name] = _("The point must be on the map (0–100).")
    if (loc.map_x is None) != (loc.map_y is None):
        errors["map_x"] = _("Give both coordinates of the point on the map, or neither.")
    if loc.latitude is not None and not (Decimal(-90) <= loc.latitude <= Decimal(90)):
        errors["latitude"] = _("The latitude must be between -90 and 90.")
    if loc.longitude is not None and not (Decimal(-180) <= loc.longitude <= Decimal(180)):
        errors["longitude"] = _("The longitude must be between -180 and 180.")
    if errors:
        raise ValidationError(errors)
    if loc.map_x is not None and loc.map_y is not None and loc.latitude is None:
        loc.latitude, loc.longitude = map_to_latlong(Decimal(loc.map_x), Decimal(loc.map_y))
    elif loc.latitude is not None and loc.longitude is not None and loc.map_x is None:
        point = latlong_to_map(loc.latitude, loc.longitude)
        if point is not None:
            loc.map_x, loc.map_y = point
    loc.address = plain_text(loc.address or "")[:200]
    return loc


def _store_attachment(req: Request, upload: UploadedFile, actor: Any) -> Attachment:
    validate_upload(upload, allowed=DOCUMENT_TYPES)
    attachment = Attachment(
        request=req,
        original_name=(upload.name or "file")[:200],
        size=upload.size or 0,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    attachment.file.save(upload.name or "file", upload, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def request_submit(
    *,
    actor: Any,
    category: Category,
    title: str,
    description: str,
    filer_type: str,
    contact_name: str,
    contact_email: str = "",
    contact_phone: str = "",
    contact_organisation: str = "",
    language: str = "",
    anonymous: bool = False,
    company: Company | None = None,
    location: Location | None = None,
    attributes: dict[str, Any] | None = None,
    attachments: Sequence[UploadedFile] = (),
    channel: str = Request.Channel.WEB,
    consent: bool = False,
    received_at: datetime | None = None,
    on_behalf: bool = False,
    visit: Visit | None = None,
    external_client: str = "",
    ip_address: str | None = None,
    notify: bool = True,
    title_en: str = "",
    tracking_number: str = "",
) -> Request:
    """File a request (web, on behalf by staff, from a company visit or through Open311).

    ``consent``: the filer agreed to the request privacy notice (on the web form; for staff filing on
    behalf, the staff member confirms the person agreed). ``on_behalf``: ``actor`` is staff filing for
    someone else, so the request has no filer account. ``tracking_number``: keep the number of a request
    imported from an earlier system (otherwise a new one is drawn).
    """
    from gvalley.accounts.services import consent_give, current_notice

    errors: dict[str, Any] = {}
    title = plain_text(title or "")
    description = plain_text(description or "")
    contact_name = plain_text(contact_name or "")
    contact_organisation = plain_text(contact_organisation or "")
    contact_email = (contact_email or "").strip().lower()
    contact_phone = plain_text(contact_phone or "")
    if not category.is_active:
        errors["category"] = _("This category no longer takes new requests.")
    if not title:
        errors["title"] = _("Give the request a title.")
    elif len(title) > 200:
        errors["title"] = _("At most %(n)d characters.") % {"n": 200}
    if not description:
        errors["description"] = _("Describe the difficulty or request.")
    elif len(description) > 5000:
        errors["description"] = _("At most %(n)d characters.") % {"n": 5000}
    if filer_type not in Request.FilerType.values:
        errors["filer_type"] = _("Choose whether you file as a company, a worker or a citizen.")
    if anonymous and filer_type != Request.FilerType.WORKER:
        errors["anonymous"] = _("Only a worker can keep the identity from the employer.")
    if not contact_name:
        errors["contact_name"] = _("Enter the name of the person filing.")
    if contact_email:
        try:
            validate_email(contact_email)
        except ValidationError:
            errors["contact_email"] = _("Enter a valid e-mail address.")
    if not contact_email and not contact_phone:
        errors["contact_email"] = _("Give an e-mail address or a phone number so that we can answer.")
    if channel not in Request.Channel.values:
        errors["channel"] = _("Unknown channel.")
    if not consent:
        errors["consent"] = _("The collection and use of personal data must be agreed to file a request.")
    if len(attachments) > MAX_ATTACHMENTS:
        errors["attachments"] = _("At most %(n)d files.") % {"n": MAX_ATTACHMENTS}
    for upload in attachments:
        try:
            validate_upload(upload, allowed=DOCUMENT_TYPES)
        except ValidationError as exc:
            errors.setdefault("attachments", exc.messages[0])
    language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    try:
        # Staff recording a company visit note what was said; the extra questions are not required there.
        attrs = clean_attributes(
            category, attributes or {}, language=language, enforce_required=channel != Request.Channel.VISIT
        )
    except ValidationError as exc:
        errors.update(exc.message_dict)
        attrs = {}
    try:
        loc = _clean_location(location or Location())
    except ValidationError as exc:
        errors.update(exc.message_dict)
        loc = Location()
    if tracking_number and Request.objects.filter(tracking_number=tracking_number).exists():
        errors["tracking_number"] = _("This tracking number is already used.")
    if errors:
        raise ValidationError(errors)

    now = _now()
    received = received_at or now
    filer = actor if getattr(actor, "is_authenticated", False) and not on_behalf else None
    due = compute_due(received, category.period)
    req = Request(
        tracking_number=tracking_number or new_tracking_number(received),
        category=category,
        title=title,
        title_en=plain_text(title_en or "")[:200],
        description=description,
        attributes=attrs,
        complex=loc.complex,
        building=loc.building,
        address=loc.address,
        map_x=loc.map_x,
        map_y=loc.map_y,
        latitude=loc.latitude,
        longitude=loc.longitude,
        filer_type=filer_type,
        company=company,
        filer=filer,
        contact_name=contact_name,
        contact_email=contact_email,
        contact_phone=contact_phone,
        contact_organisation=contact_organisation or (company.name if company else ""),
        language=language,
        anonymous=anonymous,
        channel=channel,
        received_at=received,
        received_by=actor if on_behalf and getattr(actor, "is_authenticated", False) else None,
        visit=visit,
        external_client=external_client,
        responsible_organisation=category.default_organisation,
        period=category.period,
        clock_started_at=received,
        due_rule=due.rule,
        original_due_at=due.due,
        due_at=due.due,
    )
    index_request(req)
    # Field checks here; the database enforces the constraints and the unique tracking number.
    req.full_clean(
        exclude=["consent", "search_text", "similarity_tokens"],
        validate_unique=False,
        validate_constraints=False,
    )
    try:
        with transaction.atomic():
            req.save()
    except IntegrityError:  # a tracking number taken at the same moment: try once more
        req.tracking_number = new_tracking_number(received)
        req.save()
    notice = current_notice(PrivacyNotice.Purpose.REQUEST)
    context = f"grievances:{req.tracking_number}:{channel}"
    if on_behalf:
        context += ":confirmed-by-staff"
    consent_obj = consent_give(
        user=filer, notice=notice, email=contact_email, context=context, ip_address=ip_address
    )
    req.consent = consent_obj
    req.save(update_fields=["consent"])
    for upload in attachments:
        _store_attachment(req, upload, actor)
    Event.objects.create(
        request=req,
        at=received,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        kind=Event.Kind.RECEIVED,
        to_status=Request.Status.RECEIVED,
        organisation=req.responsible_organisation,
        note_key="channel",
        note_params={"channel": str(channel)},
        public=True,
    )
    audit(actor=actor, action="grievances.request.submit", obj=req, after=_snap(req))
    if notify:
        transaction.on_commit(lambda: notify_filers(req, "received"))
    return req


@transaction.atomic
def request_update_text(
    *, actor: Any, request: Request, title: str, description: str, title_en: str = ""
) -> Request:
    """Correct the title or text (the filer while it is still 접수, or staff)."""
    before = _snap(request)
    title, description, title_en = plain_text(title), plain_text(description), plain_text(title_en)
    errors = {}
    if not title:
        errors["title"] = _("Give the request a title.")
    if not description:
        errors["description"] = _("Describe the difficulty or request.")
    if errors:
        raise ValidationError(errors)
    request.title, request.description, request.title_en = title[:200], description, title_en[:200]
    index_request(request)
    request.save()
    audit(
        actor=actor, action="grievances.request.update_text", obj=request, before=before, after=_snap(request)
    )
    return request


@transaction.atomic
def request_support(
    *, actor: Any, request: Request, company: Company | None = None, at: datetime | None = None
) -> Support:
    """'Me too': someone with the same difficulty joins an existing open request."""
    if not getattr(actor, "is_authenticated", False):
        raise ValidationError(_("Log in to join a request."))
    target = request.merged_into if request.merged_into_id else request
    assert target is not None
    if not target.is_open:
        raise ValidationError(_("This request is already answered; you can file a new one."))
    if target.filer_id == actor.pk:
        raise ValidationError(_("You filed this request yourself."))
    if Support.objects.filter(request=target, user=actor).exists():
        raise ValidationError(_("You have already joined this request."))
    support = Support.objects.create(request=target, user=actor, company=company, created_at=at or _now())
    Request.objects.filter(pk=target.pk).update(support_count=F("support_count") + 1)
    target.refresh_from_db(fields=["support_count"])
    Event.objects.create(request=target, actor=actor, kind=Event.Kind.SUPPORTED, at=at or _now())
    audit(
        actor=actor,
        action="grievances.request.support",
        obj=target,
        after={"support_count": target.support_count},
    )
    return support


SUPPORT_SALT = "gvalley.grievances.support"
SUPPORT_MAX_AGE = 3 * 24 * 3600  # seconds: the link works for three days


def request_support_by_email(
    *, request: Request, email: str, consent: bool, language: str = settings.LANGUAGE_CODE
) -> None:
    """'Me too' without an account: a link is e-mailed to ``email``; the support counts once it is opened
    (``request_support_confirm``). Nothing is written before that: the address is only kept once confirmed."""
    from django.core.validators import validate_email

    errors: dict[str, Any] = {}
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = _("Enter a valid e-mail address.")
    if not consent:
        errors["consent"] = _("The collection and use of personal data must be agreed to join a request.")
    if errors:
        raise ValidationError(errors)
    target = request.merged_into if request.merged_into_id else request
    assert target is not None
    if not target.is_open:
        raise ValidationError(_("This request is already answered; you can file a new one."))
    token = signing.dumps({"r": target.pk, "e": email}, salt=SUPPORT_SALT)
    notifications.send(
        recipients=[notifications.Recipient(email=email, language=language)],
        template="grievances/email/support_confirm",
        context={
            "req": target,
            "url": settings.SITE_URL + reverse("grievances:support_confirm", args=[token]),
        },
    )


@transaction.atomic
def request_support_confirm(*, token: str, at: datetime | None = None) -> tuple[Support, bool]:
    """The e-mailed 'me too' link was opened: the support counts (once per address and request). Returns the
    support and whether it is new. The consent to the request notice is recorded with the address."""
    from gvalley.accounts.services import consent_give, current_notice

    try:
        data = signing.loads(token, salt=SUPPORT_SALT, max_age=SUPPORT_MAX_AGE)
    except signing.SignatureExpired:
        raise ValidationError(_("This link has expired. Ask for a new one on the request's page."))
    except signing.BadSignature:
        raise ValidationError(_("This link is not valid."))
    target = Request.objects.select_for_update().filter(pk=data.get("r")).first()
    email = str(data.get("e") or "")
    if target is None or not email:
        raise ValidationError(_("This link is not valid."))
    existing = Support.objects.filter(request=target, email=email).first()
    if existing is not None:
        return existing, False
    if not target.is_open:
        raise ValidationError(_("This request is already answered; you can file a new one."))
    when = at or _now()
    consent_give(
        user=None, notice=current_notice(PrivacyNotice.Purpose.REQUEST), email=email, context="support"
    )
    support = Support.objects.create(request=target, email=email, created_at=when)
    Request.objects.filter(pk=target.pk).update(support_count=F("support_count") + 1)
    target.refresh_from_db(fields=["support_count"])
    Event.objects.create(request=target, kind=Event.Kind.SUPPORTED, at=when)
    audit(
        actor=None,
        action="grievances.request.support",
        obj=target,
        after={"support_count": target.support_count, "by": "e-mail"},
    )
    return support, True


# --- Routing --------------------------------------------------------------------------------------------


def handler_organisations(user: Any) -> set[int]:
    """Organisations in which ``user`` currently holds the agency-handler role."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_gv_handler_orgs", None)
    if cached is None:
        today = timezone.localdate()
        cached = set(
            Membership.objects.filter(user_id=user.pk, role=Role.AGENCY_HANDLER, organisation__isnull=False)
            .exclude(ended_on__lte=today)
            .values_list("organisation_id", flat=True)
        )
        with contextlib.suppress(AttributeError):
            user._gv_handler_orgs = cached
    return cached


def _check_handler(handler: User | None, organisation: Organisation) -> None:
    if handler is None:
        return
    if organisation.pk not in handler_organisations(handler) and not handler.has_role(Role.OPERATOR):
        raise ValidationError(
            {
                "handler": _("%(name)s is not a handler of %(org)s.")
                % {"name": handler.name, "org": organisation}
            }
        )


def _event(
    req: Request, actor: Any, kind: str, *, at: datetime | None = None, public: bool = False, **fields: Any
) -> Event:
    return Event.objects.create(
        request=req,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        kind=kind,
        at=at or _now(),
        public=public,
        **fields,
    )


def _check_not_merged(req: Request) -> None:
    if req.status == Request.Status.MERGED:
        raise ValidationError(
            _("This request was merged into %(n)s; handle that one.") % {"n": req.merged_into}
        )


@transaction.atomic
def request_assign(
    *,
    actor: Any,
    request: Request,
    organisation: Organisation,
    handler: User | None = None,
    note: str = "",
    at: datetime | None = None,
    notify: bool = True,
) -> Request:
    """Triage: give the request to a responsible organisation (and a handler); 접수 becomes 검토."""
    _check_not_merged(request)
    if request.status in (Request.Status.ANSWERED, Request.Status.CLOSED):
        raise ValidationError(_("An answered or closed request cannot be reassigned; reopen it first."))
    _check_handler(handler, organisation)
    before = _snap(request)
    old_status = request.status
    request.responsible_organisation = organisation
    request.handler = handler
    if request.status == Request.Status.RECEIVED:
        request.status = Request.Status.REVIEWING
    request.save()
    request.joint_organisations.remove(organisation)
    _event(
        request,
        actor,
        Event.Kind.ASSIGNED,
        at=at,
        organisation=organisation,
        from_status=old_status,
        to_status=request.status,
        note=plain_text(note),
        public=True,
    )
    audit(actor=actor, action="grievances.request.assign", obj=request, before=before, after=_snap(request))
    if notify and old_status != request.status:
        transaction.on_commit(lambda: notify_filers(request, "update"))
    return request


@transaction.atomic
def request_transfer(
    *,
    actor: Any,
    request: Request,
    organisation: Organisation,
    reason: str,
    handler: User | None = None,
    at: datetime | None = None,
    notify: bool = True,
) -> Request:
    """이송: hand the request to another organisation, with the reason (logged and told to the filer).

    The deadline keeps running from receipt (see docs/grievances.md): a transfer between the council's
    bodies does not restart the clock.
    """
    _check_not_merged(request)
    if not request.is_open:
        raise ValidationError(_("Only an open request can be transferred."))
    reason = plain_text(reason or "")
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the transfer.")})
    if request.responsible_organisation_id == organisation.pk:
        raise ValidationError({"organisation": _("The request is already with this organisation.")})
    _check_handler(handler, organisation)
    before = _snap(request)
    previous = request.responsible_organisation
    request.responsible_organisation = organisation
    request.handler = handler
    request.save()
    request.joint_organisations.remove(organisation)
    _event(
        request,
        actor,
        Event.Kind.TRANSFERRED,
        at=at,
        organisation=organisation,
        from_organisation=previous,
        note=reason,
        public=True,
    )
    audit(
        actor=actor,
        action="grievances.request.transfer",
        obj=request,
        before=before,
        after=_snap(request),
        note=reason,
    )
    if notify:
        transaction.on_commit(lambda: notify_filers(request, "transferred"))
    return request


@transaction.atomic
def request_set_joint(
    *, actor: Any, request: Request, organisations: Iterable[Organisation], at: datetime | None = None
) -> Request:
    """Joint handling: other organisations work on the request with the responsible one."""
    _check_not_merged(request)
    orgs = [o for o in organisations if o.pk != request.responsible_organisation_id]
    before = sorted(request.joint_organisations.values_list("pk", flat=True))
    request.joint_organisations.set(orgs)
    after = sorted(o.pk for o in orgs)
    if before != after:
        _event(
            request,
            actor,
            Event.Kind.JOINT,
            at=at,
            note=", ".join(o.name for o in orgs),
            note_key="" if orgs else "no_joint",
            public=True,
        )
        audit(
            actor=actor,
            action="grievances.request.joint",
            obj=request,
            before={"joint_organisations": before},
            after={"joint_organisations": after},
        )
    return request


@transaction.atomic
def request_change_status(
    *,
    actor: Any,
    request: Request,
    status: str,
    note: str = "",
    action_plan: str = "",
    action_due_on: date | None = None,
    at: datetime | None = None,
    notify: bool = True,
) -> Request:
    """검토 ↔ 처리중 (with the planned action and its date)."""
    _check_not_merged(request)
    allowed = TRANSITIONS.get(request.status, set())
    if status not in allowed:
        raise ValidationError(
            {
                "status": _("A request that is %(from)s cannot become %(to)s.")
                % {
                    "from": Request.Status(request.status).label,
                    "to": Request.Status(status).label if status in Request.Status.values else status,
                }
            }
        )
    action_plan = plain_text(action_plan or "")
    if status == Request.Status.IN_PROGRESS:
        errors = {}
        if not action_plan:
            errors["action_plan"] = _("Describe the action that is scheduled.")
        if action_due_on is None:
            errors["action_due_on"] = _("Give the date for which the action is scheduled.")
        if errors:
            raise ValidationError(errors)
        request.action_plan, request.action_due_on = action_plan, action_due_on
    before = _snap(request)
    old = request.status
    request.status = status
    request.save()
    _event(
        request,
        actor,
        Event.Kind.STATUS,
        at=at,
        from_status=old,
        to_status=status,
        note=plain_text(note) or action_plan,
        public=True,
    )
    audit(actor=actor, action="grievances.request.status", obj=request, before=before, after=_snap(request))
    if notify:
        transaction.on_commit(lambda: notify_filers(request, "update"))
    return request


@transaction.atomic
def request_add_note(*, actor: Any, request: Request, note: str, public: bool = False) -> Event:
    note = plain_text(note or "")
    if not note:
        raise ValidationError({"note": _("Write the note.")})
    event = _event(request, actor, Event.Kind.NOTE, note=note, public=public)
    audit(actor=actor, action="grievances.request.note", obj=request, after={"note": note, "public": public})
    return event


# --- Answers, closing, reopening, surveys ---------------------------------------------------------------


@transaction.atomic
def request_answer(
    *,
    actor: Any,
    request: Request,
    outcome: str,
    body: str,
    reason: str = "",
    remedy: str = "",
    at: datetime | None = None,
    notify: bool = True,
) -> Answer:
    """답변: accepted / partly accepted / not accepted; a refusal states its reasons and the remedy."""
    _check_not_merged(request)
    if not request.is_open:
        raise ValidationError(_("This request is not waiting for an answer."))
    body, reason, remedy = plain_text(body or ""), plain_text(reason or ""), plain_text(remedy or "")
    errors = {}
    if outcome not in Answer.Outcome.values:
        errors["outcome"] = _("Choose the outcome.")
    if not body:
        errors["body"] = _("Write the answer.")
    if outcome in (Answer.Outcome.PARTLY, Answer.Outcome.NOT_ACCEPTED):
        if not reason:
            errors["reason"] = _("A request that is not (fully) accepted needs the reasons.")
        if not remedy:
            errors["remedy"] = _("Tell the filer which remedy is available (objection, appeal, …).")
    if errors:
        raise ValidationError(errors)
    when = at or _now()
    before = _snap(request)
    answer = Answer.objects.create(
        request=request,
        outcome=outcome,
        body=body,
        reason=reason,
        remedy=remedy,
        organisation=request.responsible_organisation,
        answered_by=actor if getattr(actor, "is_authenticated", False) else None,
        answered_at=when,
    )
    old = request.status
    request.status = Request.Status.ANSWERED
    request.answered_at = when
    request.save()
    _event(
        request,
        actor,
        Event.Kind.ANSWERED,
        at=when,
        from_status=old,
        to_status=request.status,
        organisation=request.responsible_organisation,
        note_key="outcome",
        note_params={"outcome": str(outcome)},
        public=True,
    )
    audit(actor=actor, action="grievances.request.answer", obj=request, before=before, after=_snap(request))
    if notify:
        transaction.on_commit(lambda: notify_filers(request, "answered"))
    return answer


@transaction.atomic
def request_close(
    *, actor: Any, request: Request, note: str = "", at: datetime | None = None, notify: bool = True
) -> Request:
    """종결: after the answer; the filer gets the satisfaction survey."""
    if request.status != Request.Status.ANSWERED:
        raise ValidationError(_("Only an answered request can be closed."))
    when = at or _now()
    before = _snap(request)
    request.status = Request.Status.CLOSED
    request.closed_at = when
    request.save()
    _event(
        request,
        actor,
        Event.Kind.CLOSED,
        at=when,
        from_status=Request.Status.ANSWERED,
        to_status=Request.Status.CLOSED,
        note=plain_text(note),
        public=True,
    )
    audit(actor=actor, action="grievances.request.close", obj=request, before=before, after=_snap(request))
    if notify:
        transaction.on_commit(lambda: notify_filers(request, "closed"))
    return request


@transaction.atomic
def request_reopen(
    *, actor: Any, request: Request, reason: str, at: datetime | None = None, notify: bool = True
) -> Request:
    """재개: an answered or closed request is reopened; a new processing period starts."""
    if request.status not in (Request.Status.ANSWERED, Request.Status.CLOSED):
        raise ValidationError(_("Only an answered or closed request can be reopened."))
    reason = plain_text(reason or "")
    if not reason:
        raise ValidationError({"reason": _("Say why the request is reopened.")})
    when = at or _now()
    before = _snap(request)
    old = request.status
    due = compute_due(when, request.period)
    request.status = Request.Status.REOPENED
    request.clock_started_at = when
    request.original_due_at = due.due
    request.due_at = due.due
    request.due_rule = due.rule
    request.answered_at = None
    request.closed_at = None
    # A new processing round: its reminders and its 30-day progress notice go out again, once each.
    request.reminders_sent = []
    request.progress_notice_sent_at = None
    request.save()
    _event(
        request,
        actor,
        Event.Kind.REOPENED,
        at=when,
        from_status=old,
        to_status=request.status,
        note=reason,
        public=True,
    )
    audit(
        actor=actor,
        action="grievances.request.reopen",
        obj=request,
        before=before,
        after=_snap(request),
        note=reason,
    )
    if notify:
        transaction.on_commit(lambda: notify_filers(request, "update"))
    return request


def survey_token(request: Request) -> str:
    return signing.dumps({"r": request.pk, "n": request.answers.count()}, salt=SURVEY_SALT)


def survey_request_from_token(token: str) -> tuple[Request, int]:
    try:
        data = signing.loads(token, salt=SURVEY_SALT, max_age=SURVEY_MAX_AGE)
    except signing.SignatureExpired:
        raise ValidationError(_("This survey link has expired."))
    except signing.BadSignature:
        raise ValidationError(_("This survey link is not valid."))
    req = (
        Request.objects.select_related("responsible_organisation", "category")
        .filter(pk=data.get("r"))
        .first()
    )
    if req is None:
        raise ValidationError(_("This survey link is not valid."))
    return req, int(data.get("n", 1))


@transaction.atomic
def satisfaction_submit(
    *,
    actor: Any,
    request: Request,
    score: int,
    comment: str = "",
    round: int | None = None,
    at: datetime | None = None,
) -> Satisfaction:
    """The filer rates the handling (1–5) once per answer; aggregated per responsible organisation."""
    if request.status not in (Request.Status.ANSWERED, Request.Status.CLOSED):
        raise ValidationError(_("The survey opens when the request has been answered."))
    if not isinstance(score, int) or not 1 <= score <= 5:
        raise ValidationError({"score": _("Choose a score from 1 to 5.")})
    current_round = request.answers.count()
    if round is not None and round != current_round:
        raise ValidationError(_("This survey is for an earlier answer; the request was answered again."))
    if Satisfaction.objects.filter(request=request, round=current_round).exists():
        raise ValidationError(_("This answer has already been rated. Thank you."))
    rating = Satisfaction.objects.create(
        request=request,
        round=current_round,
        score=score,
        comment=plain_text(comment or "")[:2000],
        organisation=request.responsible_organisation,
        submitted_at=at or _now(),
    )
    _event(request, actor, Event.Kind.RATED, at=at, note=f"{score}/5")
    audit(actor=actor, action="grievances.request.rate", obj=request, after=snapshot(rating))
    return rating


# --- Notifications --------------------------------------------------------------------------------------


def _recipient_for(req: Request) -> notifications.Recipient | None:
    if req.filer_id and req.filer is not None and req.filer.email:
        return notifications.Recipient.from_user(req.filer)
    if req.contact_email:
        return notifications.Recipient(email=req.contact_email, name=req.contact_name, language=req.language)
    return None


def filer_recipients(req: Request) -> list[notifications.Recipient]:
    """The filer and the filers of the requests merged into this one (each in their own language)."""
    out = []
    seen: set[str] = set()
    for r in [req, *Request.objects.filter(merged_into=req).select_related("filer")]:
        rec = _recipient_for(r)
        if rec is not None and rec.email not in seen:
            seen.add(rec.email)
            out.append(rec)
    return out


def tracking_url(req: Request) -> str:
    return settings.SITE_URL + reverse("grievances:track_detail", args=[req.tracking_number])


def notify_filers(req: Request, kind: str) -> int:
    """E-mail the filer(s) at a status change: received, update, transferred, answered, closed."""
    req = Request.objects.select_related("responsible_organisation", "category", "filer").get(pk=req.pk)
    answer = req.answers.order_by("-answered_at", "-id").first()
    context: dict[str, Any] = {
        "req": req,
        "kind": kind,
        "answer": answer,
        "url": tracking_url(req),
        "last_event": req.events.filter(public=True).order_by("-at", "-id").first(),
    }
    if kind == "closed":
        context["survey_url"] = settings.SITE_URL + reverse("grievances:survey", args=[survey_token(req)])
    return notifications.send(
        recipients=filer_recipients(req), template="grievances/email/" + _template(kind), context=context
    )


def _template(kind: str) -> str:
    return {"received": "received", "answered": "answered", "closed": "closed"}.get(kind, "update")


def staff_recipients(req: Request) -> list[notifications.Recipient]:
    """The handler, or every handler of the responsible organisation when nobody is assigned yet."""
    if req.handler_id and req.handler is not None:
        return [notifications.Recipient.from_user(req.handler)]
    if req.responsible_organisation_id:
        today = timezone.localdate()
        users = User.objects.filter(
            memberships__organisation_id=req.responsible_organisation_id,
            memberships__role=Role.AGENCY_HANDLER,
            is_active=True,
        ).exclude(memberships__ended_on__lte=today)
        return [notifications.Recipient.from_user(u) for u in users.distinct()]
    users = User.objects.filter(memberships__role=Role.OPERATOR, is_active=True).distinct()
    return [notifications.Recipient.from_user(u) for u in users]


@dataclass
class ReminderRun:
    reminders: int = 0
    overdue: int = 0
    progress_notices: int = 0


def send_reminders(*, now: datetime | None = None) -> ReminderRun:
    """Reminders before due and overdue flags to the staff, and the 30-day progress notice to filers.

    Idempotent: each reminder point and the notice are sent once per processing round. Run it every
    hour from cron (``manage.py grievance_reminders``).
    """
    now = now or _now()
    run = ReminderRun()
    cal = holiday_calendar()
    open_requests = Request.objects.filter(status__in=Request.OPEN_STATUSES).select_related(
        "handler", "responsible_organisation", "category", "filer"
    )
    for req in open_requests.iterator(chunk_size=500):
        started = req.clock_started_at or req.received_at
        points = deadlines.reminder_points(started, req.due_at, calendar=cal)
        due_now = [p for p in points if p.at <= now and p.kind not in req.reminders_sent]
        if due_now:
            latest = due_now[-1]
            overdue = latest.kind == "due"
            notifications.send(
                recipients=staff_recipients(req),
                template="grievances/email/reminder",
                context={
                    "req": req,
                    "overdue": overdue,
                    "point": latest.kind,
                    "url": settings.SITE_URL + req.get_absolute_url(),
                },
            )
            with transaction.atomic():
                sent = list(req.reminders_sent) + [p.kind for p in due_now]
                Request.objects.filter(pk=req.pk).update(reminders_sent=sent)
                audit(
                    actor=None,
                    action="grievances.request.overdue" if overdue else "grievances.request.reminder",
                    obj=req,
                    after={"reminders_sent": sent},
                )
            if overdue:
                run.overdue += 1
            else:
                run.reminders += 1
        # The 30-day notice counts from the start of the current processing round (receipt, or the
        # moment the request was reopened); ``request_reopen`` clears ``progress_notice_sent_at``.
        notice_at = deadlines.thirty_day_notice_at(started)
        if req.progress_notice_sent_at is None and notice_at <= now:
            reopened = started != req.received_at
            expected = timezone.localtime(expected_completion(req)).strftime("%Y-%m-%d")
            with transaction.atomic():
                Request.objects.filter(pk=req.pk).update(progress_notice_sent_at=now)
                _event(
                    req,
                    None,
                    Event.Kind.NOTICE,
                    at=now,
                    note_key="notice_reopened" if reopened else "notice",
                    note_params={"date": expected},
                    public=True,
                )
                audit(
                    actor=None,
                    action="grievances.request.progress_notice",
                    obj=req,
                    after={
                        "progress_notice_sent_at": now.isoformat(),
                        "round_started_at": started.isoformat(),
                    },
                )
            notifications.send(
                recipients=filer_recipients(req),
                template="grievances/email/progress",
                context={
                    "req": req,
                    "expected": expected_completion(req),
                    "url": tracking_url(req),
                    "reopened": reopened,
                },
            )
            run.progress_notices += 1
    return run


def expected_completion(req: Request) -> datetime:
    """The expected completion date told to the filer: the scheduled action date if later than due."""
    if req.action_due_on:
        action_end = timezone.make_aware(
            datetime.combine(req.action_due_on, datetime.min.time().replace(hour=18))
        )
        return max(action_end, req.due_at)
    return req.due_at


# --- Ad-hoc holidays ------------------------------------------------------------------------------------


@dataclass
class RecomputeResult:
    checked: int = 0
    changed: int = 0


def recompute_open_due_dates(*, actor: Any, job: Any = None) -> RecomputeResult:
    """After the holiday calendar changed: recompute the due date of every open request.

    The original due date stays in ``original_due_at``; the adjusted one goes into ``due_at``; each
    change is logged in the request's history and the audit log (never moved silently).
    """
    from gvalley.core.services import job_progress

    cal = holiday_calendar()
    extra = cal.extra
    result = RecomputeResult()
    ids = list(Request.objects.filter(status__in=Request.OPEN_STATUSES).values_list("pk", flat=True))
    for i, pk in enumerate(ids, 1):
        with transaction.atomic():
            req = Request.objects.select_for_update().get(pk=pk)
            started = req.clock_started_at or req.received_at
            rec = deadlines.recompute(req.original_due_at, started, parse_period(req.period), extra)
            result.checked += 1
            if rec.adjusted_due != req.due_at:
                before = _snap(req)
                old_due = req.due_at
                req.due_at = rec.adjusted_due
                req.save(update_fields=["due_at", "updated_at"])
                _event(
                    req,
                    actor,
                    Event.Kind.DUE_CHANGED,
                    note_key="due_changed",
                    note_params={
                        "old": timezone.localtime(old_due).strftime("%Y-%m-%d %H:%M"),
                        "new": timezone.localtime(rec.adjusted_due).strftime("%Y-%m-%d %H:%M"),
                    },
                    public=True,
                )
                audit(
                    actor=actor,
                    action="grievances.request.due_changed",
                    obj=req,
                    before=before,
                    after=_snap(req),
                )
                result.changed += 1
        if job is not None and (i % 20 == 0 or i == len(ids)):
            job_progress(job=job, done=i, total=len(ids))
    return result


@transaction.atomic
def holiday_add(*, actor: Any, date: date, name: str) -> AdhocHoliday:
    name = plain_text(name or "")
    if not name:
        raise ValidationError({"name": _("Give the holiday's name.")})
    if AdhocHoliday.objects.filter(date=date).exists():
        raise ValidationError({"date": _("This date is already an ad-hoc holiday.")})
    holiday = AdhocHoliday.objects.create(
        date=date, name=name, created_by=actor if getattr(actor, "is_authenticated", False) else None
    )
    audit(actor=actor, action="grievances.holiday.add", obj=holiday, after=snapshot(holiday))
    return holiday


@transaction.atomic
def holiday_delete(*, actor: Any, holiday: AdhocHoliday) -> None:
    audit(actor=actor, action="grievances.holiday.delete", obj=holiday, before=snapshot(holiday))
    holiday.delete()


# --- Duplicates and recurring issues --------------------------------------------------------------------


@transaction.atomic
def request_merge(
    *,
    actor: Any,
    primary: Request,
    duplicates: Sequence[Request],
    note: str = "",
    at: datetime | None = None,
    notify: bool = True,
) -> Request:
    """Merge duplicates into ``primary``: each keeps its text, filer and history and follows the primary."""
    if primary.status == Request.Status.MERGED:
        raise ValidationError(_("The main request is itself merged into another one."))
    dups = [d for d in duplicates if d.pk != primary.pk]
    if not dups:
        raise ValidationError({"duplicates": _("Choose at least one other request to merge.")})
    for dup in dups:
        if dup.status == Request.Status.MERGED:
            raise ValidationError(
                _("%(n)s is already merged into another request.") % {"n": dup.tracking_number}
            )
    note = plain_text(note or "")
    added_support = 0
    for dup in dups:
        before = _snap(dup)
        old = dup.status
        # Requests merged earlier into the duplicate now follow the new primary.
        Request.objects.filter(merged_into=dup).update(merged_into=primary)
        dup.status = Request.Status.MERGED
        dup.merged_into = primary
        dup.save()
        added_support += 1 + dup.support_count
        _event(
            dup,
            actor,
            Event.Kind.MERGED,
            at=at,
            from_status=old,
            to_status=Request.Status.MERGED,
            note_key="merged_into",
            note_params={"n": primary.tracking_number},
            note=note,
            public=True,
        )
        _event(
            primary,
            actor,
            Event.Kind.MERGED,
            at=at,
            note_key="merged_from",
            note_params={"n": dup.tracking_number},
        )
        audit(
            actor=actor,
            action="grievances.request.merge",
            obj=dup,
            before=before,
            after=_snap(dup),
            note=primary.tracking_number,
        )
    Request.objects.filter(pk=primary.pk).update(support_count=F("support_count") + added_support)
    primary.refresh_from_db()
    if notify:
        for dup in dups:
            transaction.on_commit(functools.partial(_notify_one, dup, "update"))
    return primary


def _notify_one(req: Request, kind: str) -> int:
    rec = _recipient_for(req)
    if rec is None:
        return 0
    req = Request.objects.select_related("merged_into", "category").get(pk=req.pk)
    return notifications.send(
        recipients=[rec],
        template="grievances/email/update",
        context={
            "req": req,
            "kind": "merged",
            "url": tracking_url(req),
            "last_event": req.events.filter(public=True).order_by("-at", "-id").first(),
        },
    )


@transaction.atomic
def cluster_create(
    *,
    actor: Any,
    title: str,
    requests: Sequence[Request],
    visits: Sequence[Visit] = (),
    description: str = "",
    title_en: str = "",
) -> Cluster:
    title = plain_text(title or "")
    if not title:
        raise ValidationError({"title": _("Give the recurring issue a title.")})
    if len(requests) + len(visits) < 2:
        raise ValidationError(_("A recurring issue groups at least two requests or visits."))
    cluster = Cluster.objects.create(
        title=title[:200],
        title_en=plain_text(title_en)[:200],
        description=plain_text(description),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    cluster.requests.set(requests)
    cluster.visits.set(visits)
    audit(
        actor=actor,
        action="grievances.cluster.create",
        obj=cluster,
        after={
            **(snapshot(cluster) or {}),
            "requests": [r.pk for r in requests],
            "visits": [v.pk for v in visits],
        },
    )
    return cluster


@transaction.atomic
def cluster_dismiss(*, actor: Any, cluster: Cluster) -> Cluster:
    before = snapshot(cluster)
    cluster.status = Cluster.Status.DISMISSED
    cluster.save()
    audit(
        actor=actor, action="grievances.cluster.dismiss", obj=cluster, before=before, after=snapshot(cluster)
    )
    return cluster


# --- Company visits -------------------------------------------------------------------------------------


@transaction.atomic
def visit_plan_set(*, actor: Any, year: int, target: int, notes: str = "") -> VisitPlan:
    if target < 0:
        raise ValidationError({"target": _("The target cannot be negative.")})
    plan = VisitPlan.objects.filter(year=year).first()
    before = snapshot(plan)
    if plan is None:
        plan = VisitPlan(year=year, target=target, notes=plain_text(notes))
    else:
        plan.target, plan.notes = target, plain_text(notes)
    plan.full_clean()
    plan.save()
    audit(actor=actor, action="grievances.visit_plan.set", obj=plan, before=before, after=snapshot(plan))
    # the visit plan feeds the council's yearly plan: its "company visits" indicators of that year take the target
    from gvalley.council.services import indicator_targets_sync

    indicator_targets_sync(actor=actor, metric="company_visits", year=year, target=target)
    return plan


def _store_photo(visit: Visit, upload: UploadedFile, alt_text: str, actor: Any) -> VisitPhoto:
    validate_upload(upload, allowed=IMAGE_TYPES)
    alt_text = plain_text(alt_text or "")
    if not alt_text:
        raise ValidationError({"alt_text": _("Describe the photo for people who cannot see it.")})
    photo = VisitPhoto(
        visit=visit,
        alt_text=alt_text[:200],
        original_name=(upload.name or "photo")[:200],
        size=upload.size or 0,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    photo.image.save(upload.name or "photo", upload, save=False)
    photo.save()
    return photo


VISIT_FIELDS = [
    "company",
    "visited_on",
    "visitor_names",
    "people_met",
    "findings",
    "follow_up",
    "previous_visit",
]


@transaction.atomic
def visit_record(
    *,
    actor: Any,
    company: Company,
    visited_on: date,
    organisations: Sequence[Organisation],
    findings: str,
    visitors: Sequence[User] = (),
    visitor_names: str = "",
    people_met: str = "",
    follow_up: str = "",
    previous_visit: Visit | None = None,
    photos: Sequence[tuple[UploadedFile, str]] = (),
) -> Visit:
    """Record a company visit (기업 방문). Requests raised during it are added with ``visit_raise_request``."""
    errors: dict[str, str] = {}
    findings = plain_text(findings or "")
    if not findings:
        errors["findings"] = _("Write what the visit found.")
    if not organisations:
        errors["organisations"] = _("Choose at least one visiting organisation.")
    if visited_on > timezone.localdate():
        errors["visited_on"] = _("A visit is recorded after it took place.")
    if previous_visit is not None:
        if previous_visit.company_id != company.pk:
            errors["previous_visit"] = _("A revisit must be to the same company.")
        elif previous_visit.visited_on > visited_on:
            errors["previous_visit"] = _("A revisit comes after the first visit.")
    for upload, alt in photos:
        try:
            validate_upload(upload, allowed=IMAGE_TYPES)
        except ValidationError as exc:
            errors.setdefault("photos", exc.messages[0])
        if not plain_text(alt or ""):
            errors.setdefault("photos", _("Describe each photo for people who cannot see it."))
    if errors:
        raise ValidationError(errors)
    visit = Visit.objects.create(
        company=company,
        visited_on=visited_on,
        visitor_names=plain_text(visitor_names)[:300],
        people_met=plain_text(people_met),
        findings=findings,
        follow_up=plain_text(follow_up),
        previous_visit=previous_visit,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    visit.visitor_organisations.set(organisations)
    visit.visitors.set(visitors)
    for upload, alt in photos:
        _store_photo(visit, upload, alt, actor)
    audit(
        actor=actor,
        action="grievances.visit.record",
        obj=visit,
        after={**(snapshot(visit, VISIT_FIELDS) or {}), "organisations": [o.pk for o in organisations]},
    )
    return visit


@transaction.atomic
def visit_add_photo(*, actor: Any, visit: Visit, upload: UploadedFile, alt_text: str) -> VisitPhoto:
    photo = _store_photo(visit, upload, alt_text, actor)
    audit(actor=actor, action="grievances.visit.photo", obj=visit, after={"photo": photo.original_name})
    return photo


def visit_raise_request(
    *,
    actor: Any,
    visit: Visit,
    category: Category,
    title: str,
    description: str,
    filer_type: str,
    contact_name: str,
    contact_email: str = "",
    contact_phone: str = "",
    anonymous: bool = False,
    consent: bool = False,
    received_at: datetime | None = None,
    notify: bool = True,
    title_en: str = "",
    attributes: dict[str, Any] | None = None,
) -> Request:
    """A request raised during a visit: channel "visit", filed on behalf of the person who raised it.

    A worker's issue raised in a visit is kept from the employer: it is filed as the worker's own request
    (never the company's), and ``anonymous`` hides the identity from the company.
    """
    company = visit.company
    return request_submit(
        actor=actor,
        category=category,
        title=title,
        description=description,
        filer_type=filer_type,
        contact_name=contact_name,
        contact_email=contact_email,
        contact_phone=contact_phone,
        contact_organisation=company.name if filer_type == Request.FilerType.COMPANY else "",
        anonymous=anonymous,
        company=company,
        location=Location(complex=company.complex, building=company.building, address=company.address),
        channel=Request.Channel.VISIT,
        consent=consent,
        received_at=received_at,
        on_behalf=True,
        visit=visit,
        notify=notify,
        title_en=title_en,
        attributes=attributes,
    )


def company_visible_requests(visit: Visit) -> list[Request]:
    """The requests of a visit that the company may see: its own, never a worker's."""
    return list(
        visit.requests.filter(filer_type=Request.FilerType.COMPANY)
        .select_related("category", "responsible_organisation")
        .order_by("received_at", "id")
    )


def company_representatives(company: Company) -> list[User]:
    if not company.organisation_id:
        return []
    today = timezone.localdate()
    return list(
        User.objects.filter(
            memberships__organisation_id=company.organisation_id,
            memberships__role=Role.COMPANY_REP,
            is_active=True,
        )
        .exclude(memberships__ended_on__lte=today)
        .distinct()
    )


@transaction.atomic
def visit_report_send(*, actor: Any, visit: Visit) -> int:
    """Report back to the company on what happened to the requests it raised in the visit."""
    reps = [u for u in company_representatives(visit.company) if u.email]
    if not reps:
        raise ValidationError(
            _("The company has no representative account with an e-mail address to send the report to.")
        )
    requests = company_visible_requests(visit)
    before = snapshot(visit, ["report_sent_at"])
    visit.report_sent_at = _now()
    visit.save(update_fields=["report_sent_at"])
    audit(
        actor=actor,
        action="grievances.visit.report",
        obj=visit,
        before=before,
        after=snapshot(visit, ["report_sent_at"]),
    )
    recipients = [notifications.Recipient.from_user(u) for u in reps]
    context = {"visit": visit, "requests": requests, "site_url": settings.SITE_URL}
    transaction.on_commit(
        lambda: notifications.send(
            recipients=recipients, template="grievances/email/visit_report", context=context
        )
    )
    return len(recipients)


# --- Answer templates -----------------------------------------------------------------------------------

TEMPLATE_FIELDS = {"title", "category", "outcome", "body", "reason", "remedy", "is_active"}


@transaction.atomic
def template_save(*, actor: Any, template: AnswerTemplate | None = None, **fields: Any) -> AnswerTemplate:
    _check_fields(fields, TEMPLATE_FIELDS)
    before = snapshot(template)
    template = template or AnswerTemplate()
    for key, value in fields.items():
        setattr(template, key, plain_text(value) if isinstance(value, str) else value)
    if template.outcome != Answer.Outcome.ACCEPTED and (not template.reason or not template.remedy):
        raise ValidationError(_("A template for a refusal needs the reasons and the remedy."))
    template.full_clean()
    template.save()
    audit(
        actor=actor, action="grievances.template.save", obj=template, before=before, after=snapshot(template)
    )
    return template
