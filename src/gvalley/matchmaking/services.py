"""Export consultation services: every write of the app (one keyword-only function per action).

Each service runs in one transaction, validates its input with a translated ``ValidationError`` (so that nothing
is half-written) and writes the audit log. Views, the admin, the background task and the demo all call these.
"""

from __future__ import annotations

import enum
import zoneinfo
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gvalley.accounts.models import Organisation, PrivacyNotice, Role, User
from gvalley.accounts.services import (
    consent_give,
    current_notice,
    membership_grant,
    organisation_create,
    user_signup,
)
from gvalley.core.services import audit, job_create, job_fail, job_finish, job_progress, job_start, snapshot
from gvalley.directory.models import Company, Industry
from gvalley.week.models import Programme

from .models import (
    COUNTRY_CODES,
    LANGUAGE_CODES,
    MEETINGS_LIMIT,
    Availability,
    Buyer,
    ConsultationRecord,
    Event,
    Interpreter,
    Meeting,
    PairSession,
    Preference,
    Satisfaction,
    ScheduleRun,
    Seller,
    Session,
    Slot,
    UnscheduledPair,
)
from .rules import is_organiser

Participant = Buyer | Seller | Interpreter


class Keep(enum.Enum):
    """Default of an optional argument that leaves the stored value as it is."""

    KEEP = "keep"


KEEP = Keep.KEEP

EVENT_FIELDS = {
    "timezone",
    "slot_minutes",
    "gap_minutes",
    "rooms",
    "languages",
    "interpretation",
    "registration_opens_at",
    "registration_closes_at",
    "preferences_close_at",
    "video_url_template",
    "buyer_min_meetings",
    "buyer_max_meetings",
    "seller_min_meetings",
    "seller_max_meetings",
    "recommendations",
    "exclude_met_before",
    "fairness",
    "time_limit_seconds",
}


# --- Helpers ----------------------------------------------------------------------------------------------


def zone(name: str, field: str = "timezone") -> zoneinfo.ZoneInfo:
    """The time zone called ``name``, or a translated error naming the field."""
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        raise ValidationError({field: _("Unknown time zone: %(tz)s") % {"tz": name}}, code="timezone")


def local_datetime(day: date, at: time, tz: zoneinfo.ZoneInfo) -> datetime:
    """``day`` at ``at`` on the wall clock of ``tz``, as an aware datetime in UTC."""
    return datetime.combine(day, at).replace(tzinfo=tz).astimezone(zoneinfo.ZoneInfo("UTC"))


def _check_fields(fields: Mapping[str, Any], allowed: set[str]) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")


def _check_video_template(template: str) -> None:
    try:
        template.format(event=1, meeting=1, room=1, slot=1)
    except (KeyError, IndexError, ValueError):
        raise ValidationError(
            {
                "video_url_template": _(
                    "The video link pattern may only use {event}, {meeting}, {room} and {slot}."
                )
            }
        )
    if not template.startswith(("https://", "http://")):
        raise ValidationError(
            {"video_url_template": _("The video link must start with https:// or http://.")}
        )


def _check_event(event: Event) -> None:
    zone(event.timezone)
    bad = [code for code in event.languages if code not in LANGUAGE_CODES]
    if bad:
        raise ValidationError({"languages": _("Unknown language: %(codes)s") % {"codes": ", ".join(bad)}})
    if event.registration_closes_at <= event.registration_opens_at:
        raise ValidationError({"registration_closes_at": _("Registration must close after it opens.")})
    if event.preferences_close_at < event.registration_opens_at:
        raise ValidationError(
            {"preferences_close_at": _("The preferences deadline cannot be before registration opens.")}
        )
    if event.buyer_max_meetings < event.buyer_min_meetings:
        raise ValidationError({"buyer_max_meetings": _("The maximum cannot be below the minimum.")})
    if event.seller_max_meetings < event.seller_min_meetings:
        raise ValidationError({"seller_max_meetings": _("The maximum cannot be below the minimum.")})
    _check_video_template(event.video_url_template)


def _has_meetings(event: Event) -> bool:
    return event.meetings.filter(status=Meeting.Status.SCHEDULED).exists()


# --- Event setup ------------------------------------------------------------------------------------------


@transaction.atomic
def event_create(*, actor: Any, programme: Programme, **fields: Any) -> Event:
    _check_fields(fields, EVENT_FIELDS)
    if programme.kind != Programme.Kind.EXPORT_CONSULTATION:
        raise ValidationError(_("An export consultation belongs to a programme of that kind."))
    if Event.objects.filter(programme=programme).exists():
        raise ValidationError(_("This programme already has its consultation event."))
    event = Event(programme=programme, **fields)
    _check_event(event)
    event.full_clean()
    event.save()
    audit(actor=actor, action="matchmaking.event.create", obj=event, after=snapshot(event))
    return event


@transaction.atomic
def event_update(*, actor: Any, event: Event, **fields: Any) -> Event:
    _check_fields(fields, EVENT_FIELDS)
    event = Event.objects.select_for_update().get(pk=event.pk)
    before = snapshot(event)
    frame = {"slot_minutes", "gap_minutes"}
    changes_frame = any(getattr(event, k) != v for k, v in fields.items() if k in frame)
    if changes_frame and _has_meetings(event):
        raise ValidationError(
            _("The time frame cannot change while meetings are scheduled. Cancel them first.")
        )
    if "rooms" in fields and fields["rooms"] < event.rooms:
        busiest = event.meetings.filter(status=Meeting.Status.SCHEDULED).order_by("-room").first()
        if busiest is not None and busiest.room > fields["rooms"]:
            raise ValidationError(
                {
                    "rooms": _("Video room %(room)s is in use; there must be at least that many rooms.")
                    % {"room": busiest.room}
                }
            )
    for key, value in fields.items():
        setattr(event, key, value)
    _check_event(event)
    event.full_clean()
    event.save()
    if changes_frame:
        _regenerate_slots(event)
    audit(actor=actor, action="matchmaking.event.update", obj=event, before=before, after=snapshot(event))
    return event


def _regenerate_slots(event: Event) -> int:
    """Rebuild the slots of every session (only while no meeting is scheduled)."""
    Meeting.objects.filter(event=event).exclude(status=Meeting.Status.SCHEDULED).filter(
        record__isnull=True
    ).delete()
    if Meeting.objects.filter(event=event).exists():
        raise ValidationError(_("The slots cannot be rebuilt while meetings exist."))
    Slot.objects.filter(event=event).delete()
    step = timedelta(minutes=event.slot_minutes + event.gap_minutes)
    length = timedelta(minutes=event.slot_minutes)
    slots: list[Slot] = []
    number = 0
    for session in event.sessions.order_by("starts_at"):
        start = session.starts_at
        while start + length <= session.ends_at:
            number += 1
            slots.append(
                Slot(event=event, session=session, number=number, starts_at=start, ends_at=start + length)
            )
            start += step
    Slot.objects.bulk_create(slots)
    return len(slots)


@transaction.atomic
def session_add(*, actor: Any, event: Event, day: date, part: str, starts: time, ends: time) -> Session:
    """Add a session (local times in the event's time zone) and rebuild the slots."""
    programme = event.programme
    if not programme.starts_on <= day <= programme.ends_on:
        raise ValidationError(
            {
                "day": _("The day must be within the programme's dates (%(start)s – %(end)s).")
                % {"start": programme.starts_on, "end": programme.ends_on}
            }
        )
    if ends <= starts:
        raise ValidationError({"ends": _("A session must end after it starts.")})
    if part not in Session.Part.values:
        raise ValidationError({"part": _("Unknown session.")})
    if _has_meetings(event):
        raise ValidationError(_("Sessions cannot change while meetings are scheduled. Cancel them first."))
    tz = zone(event.timezone)
    session = Session(
        event=event,
        day=day,
        part=part,
        starts_at=local_datetime(day, starts, tz),
        ends_at=local_datetime(day, ends, tz),
    )
    if Session.objects.filter(event=event, day=day, part=part).exists():
        raise ValidationError(
            {"part": _("This day already has a %(part)s session.") % {"part": session.get_part_display()}}
        )
    if Session.objects.filter(
        event=event, starts_at__lt=session.ends_at, ends_at__gt=session.starts_at
    ).exists():
        raise ValidationError(_("The session overlaps another session."))
    if session.ends_at - session.starts_at < timedelta(minutes=event.slot_minutes):
        raise ValidationError({"ends": _("The session is shorter than one meeting.")})
    session.full_clean()
    session.save()
    _regenerate_slots(event)
    audit(actor=actor, action="matchmaking.session.add", obj=event, after=snapshot(session))
    return session


@transaction.atomic
def session_remove(*, actor: Any, session: Session) -> None:
    event = session.event
    if _has_meetings(event):
        raise ValidationError(_("Sessions cannot change while meetings are scheduled. Cancel them first."))
    before = snapshot(session)
    session.delete()
    _regenerate_slots(event)
    audit(actor=actor, action="matchmaking.session.remove", obj=event, before=before)


def _check_languages(languages: Sequence[str], field: str = "languages") -> list[str]:
    languages = [code for code in dict.fromkeys(languages) if code]
    if not languages:
        raise ValidationError({field: _("Choose at least one language.")})
    bad = [code for code in languages if code not in LANGUAGE_CODES]
    if bad:
        raise ValidationError({field: _("Unknown language: %(codes)s") % {"codes": ", ".join(bad)}})
    return languages


@transaction.atomic
def interpreter_add(
    *,
    actor: Any,
    event: Event,
    user: User,
    languages: Sequence[str],
    max_consecutive: int = 4,
    timezone_name: str = "",
) -> Interpreter:
    languages = _check_languages(languages)
    timezone_name = timezone_name or user.timezone or event.timezone
    zone(timezone_name)
    if Interpreter.objects.filter(event=event, user=user).exists():
        raise ValidationError({"user": _("This person is already an interpreter of the event.")})
    if max_consecutive < 1:
        raise ValidationError({"max_consecutive": _("At least one session in a row.")})
    membership_grant(actor=actor, user=user, role=Role.INTERPRETER)
    interpreter = Interpreter.objects.create(
        event=event, user=user, languages=languages, max_consecutive=max_consecutive, timezone=timezone_name
    )
    audit(actor=actor, action="matchmaking.interpreter.add", obj=interpreter, after=snapshot(interpreter))
    return interpreter


@transaction.atomic
def interpreter_update(
    *, actor: Any, interpreter: Interpreter, languages: Sequence[str], max_consecutive: int
) -> Interpreter:
    languages = _check_languages(languages)
    if max_consecutive < 1:
        raise ValidationError({"max_consecutive": _("At least one session in a row.")})
    before = snapshot(interpreter)
    locked = interpreter.meetings.filter(status=Meeting.Status.SCHEDULED, locked=True).select_related("buyer")
    for meeting in locked:
        if meeting.buyer.language not in languages:
            raise ValidationError(
                _("A locked meeting with %(buyer)s needs %(language)s; unlock or move it first.")
                % {"buyer": meeting.buyer.name, "language": meeting.buyer.get_language_display()}
            )
    interpreter.languages = languages
    interpreter.max_consecutive = max_consecutive
    interpreter.save(update_fields=["languages", "max_consecutive", "updated_at"])
    audit(
        actor=actor,
        action="matchmaking.interpreter.update",
        obj=interpreter,
        before=before,
        after=snapshot(interpreter),
    )
    return interpreter


@transaction.atomic
def interpreter_remove(*, actor: Any, interpreter: Interpreter) -> dict[int, int | None]:
    """Remove an interpreter from the event (with his availability).

    His scheduled meetings are handed to another interpreter of the buyer's language who is available and free
    in that slot (returned: meeting id -> new interpreter id). Refused, with every reason and nothing changed,
    when one of them cannot be handed over, or when he interpreted a meeting that took place (it stays on record).
    """
    from . import scheduling

    interpreter = (
        Interpreter.objects.select_for_update().select_related("event", "user").get(pk=interpreter.pk)
    )
    event = interpreter.event
    now = scheduling.clock()
    meetings = list(
        interpreter.meetings.filter(status=Meeting.Status.SCHEDULED)
        .select_related("slot", "buyer__organisation", "seller__company")
        .order_by("slot__number", "room")
    )
    others = list(event.interpreters.exclude(pk=interpreter.pk).order_by("pk"))
    busy = {
        (slot_id, interpreter_id)
        for slot_id, interpreter_id in Meeting.objects.filter(
            event=event, status=Meeting.Status.SCHEDULED, interpreter__in=others
        ).values_list("slot_id", "interpreter_id")
    }
    problems: list[str] = []
    handover: dict[int, int | None] = {}
    for m in meetings:
        label = f"{timezone.localtime(m.slot.starts_at):%Y-%m-%d %H:%M} {m.buyer.name} × {m.seller.name}"
        if _took_place(m) or m.slot.starts_at <= now:
            problems.append(
                _("%(meeting)s: %(name)s interpreted this meeting; it stays on record.")
                % {"meeting": label, "name": interpreter.name}
            )
            continue
        if not event.interpretation:
            handover[m.pk] = None
            continue
        new = next(
            (
                i
                for i in others
                if m.buyer.language in i.languages
                and (m.slot_id, i.pk) not in busy
                and scheduling.is_available(i, m.slot)
            ),
            None,
        )
        if new is None:
            problems.append(
                _("%(meeting)s: no other interpreter of %(language)s is free at this time.")
                % {"meeting": label, "language": m.buyer.get_language_display()}
            )
            continue
        busy.add((m.slot_id, new.pk))
        handover[m.pk] = new.pk
    if problems:
        raise ValidationError(
            [_("%(name)s cannot be removed:") % {"name": interpreter.name}, *problems],
            code="interpreter_assigned",
        )
    for m in meetings:
        m.interpreter_id = handover[m.pk]
        if event.published_at is not None:
            m.sequence += 1
        m.save(update_fields=["interpreter", "sequence", "updated_at"])
    before = snapshot(interpreter)
    interpreter.delete()
    audit(
        actor=actor,
        action="matchmaking.interpreter.remove",
        obj=event,
        before=before,
        after={"handed_over": {str(k): v for k, v in handover.items()}},
    )
    return handover


# --- Registration -----------------------------------------------------------------------------------------


def _registration_open(event: Event, actor: Any) -> None:
    if is_organiser(actor, event):
        return
    now = timezone.now()
    if now < event.registration_opens_at:
        raise ValidationError(_("Registration has not opened yet."))
    if now >= event.registration_closes_at:
        raise ValidationError(_("Registration is closed."))


def _programme_notice() -> PrivacyNotice:
    return current_notice(PrivacyNotice.Purpose.PROGRAMME)


def _check_buyer_fields(event: Event, country: str, timezone_name: str, language: str, products: str) -> None:
    if country not in COUNTRY_CODES:
        raise ValidationError({"country": _("Choose a country from the list.")})
    zone(timezone_name)
    allowed = event.languages or LANGUAGE_CODES
    if language not in allowed:
        raise ValidationError({"language": _("This language is not offered at this event.")})
    if not products.strip():
        raise ValidationError({"products_sought": _("Describe the products you are looking for.")})


@transaction.atomic
def buyer_register(
    *,
    actor: User | None,
    event: Event,
    company_name: str,
    country: str,
    timezone_name: str,
    language: str,
    products_sought: str,
    purchase_volume_usd: int = 0,
    industries: Iterable[Industry] = (),
    website: str = "",
    agree_programme: bool,
    email: str = "",
    name: str = "",
    password: str = "",
    account_notices: Iterable[PrivacyNotice] = (),
    ip_address: str | None = None,
    wanted_max_meetings: int | None = None,
) -> Buyer:
    """Register a foreign buyer. Without a signed-in ``actor`` an account is created (confirmed by e-mail).

    ``wanted_max_meetings``: the most meetings the buyer wants (at most the event's maximum; None = no wish).
    """
    _registration_open(event, actor)
    _check_buyer_fields(event, country, timezone_name, language, products_sought)
    _check_wanted_max(Buyer(event=event), event, wanted_max_meetings)
    if not agree_programme:
        raise ValidationError(
            {"agree_programme": _("You must agree to the use of your data for the consultation to register.")}
        )
    notice = _programme_notice()
    if actor is None or not actor.is_authenticated:
        user = user_signup(
            email=email,
            name=name,
            password=password,
            language="en",
            timezone_name=timezone_name,
            notices=account_notices,
            ip_address=ip_address,
        )
    else:
        user = actor
        if Buyer.objects.filter(event=event, contact=user).exists():
            raise ValidationError(_("You are already registered for this event."))
    # A returning buyer (same account, same company name) keeps his organisation across editions.
    organisation = Organisation.objects.filter(
        kind=Organisation.Kind.FOREIGN_COMPANY,
        memberships__user=user,
        memberships__role=Role.BUYER,
        name__iexact=company_name.strip(),
    ).first()
    if organisation is None:
        organisation = organisation_create(
            actor=user,
            name=company_name.strip(),
            name_en=company_name.strip(),
            kind=Organisation.Kind.FOREIGN_COMPANY,
            country=country,
            website=website,
            email=user.email,
        )
    membership_grant(actor=user, user=user, role=Role.BUYER, organisation=organisation)
    buyer = Buyer(
        event=event,
        organisation=organisation,
        contact=user,
        country=country,
        timezone=timezone_name,
        language=language,
        products_sought=products_sought.strip(),
        purchase_volume_usd=purchase_volume_usd or 0,
        wanted_max_meetings=wanted_max_meetings,
    )
    buyer.full_clean()
    buyer.save()
    buyer.industries.set(list(industries))
    consent_give(user=user, notice=notice, context=f"matchmaking event {event.pk}", ip_address=ip_address)
    audit(actor=user, action="matchmaking.buyer.register", obj=buyer, after=snapshot(buyer))
    return buyer


@transaction.atomic
def buyer_update(
    *,
    actor: Any,
    buyer: Buyer,
    country: str,
    timezone_name: str,
    language: str,
    products_sought: str,
    purchase_volume_usd: int,
    industries: Iterable[Industry] = (),
    wanted_max_meetings: int | None | Keep = KEEP,
) -> Buyer:
    """Change a buyer's registration; ``wanted_max_meetings`` (his own maximum, None = no wish) only if given."""
    _check_buyer_fields(buyer.event, country, timezone_name, language, products_sought)
    if not isinstance(wanted_max_meetings, Keep):
        _check_wanted_max(buyer, buyer.event, wanted_max_meetings)
    before = snapshot(buyer)
    if language != buyer.language:
        locked = buyer.meetings.filter(
            status=Meeting.Status.SCHEDULED, locked=True, interpreter__isnull=False
        )
        for meeting in locked.select_related("interpreter"):
            if meeting.interpreter is not None and language not in meeting.interpreter.languages:
                raise ValidationError(
                    {"language": _("A locked meeting's interpreter does not speak this language.")}
                )
    buyer.country, buyer.timezone, buyer.language = country, timezone_name, language
    buyer.products_sought = products_sought.strip()
    buyer.purchase_volume_usd = purchase_volume_usd or 0
    fields = ["country", "timezone", "language", "products_sought", "purchase_volume_usd", "updated_at"]
    if not isinstance(wanted_max_meetings, Keep):
        buyer.wanted_max_meetings = wanted_max_meetings
        fields.append("wanted_max_meetings")
    buyer.full_clean()
    buyer.save(update_fields=fields)  # only these: the organiser's limits are not overwritten
    buyer.industries.set(list(industries))
    audit(actor=actor, action="matchmaking.buyer.update", obj=buyer, before=before, after=snapshot(buyer))
    return buyer


def seller_defaults(company: Company) -> dict[str, str]:
    """What a company's registration starts from: its directory profile."""
    if company.exports_thousand_usd:
        experience = _("Exports of USD %(amount)s thousand a year") % {
            "amount": f"{company.exports_thousand_usd:,}"
        }
        if company.export_countries:
            experience += f" ({company.export_countries})"
    else:
        experience = ""
    return {
        "products": company.products or company.products_en or company.name,
        "products_en": company.products_en,
        "certifications": company.certifications,
        "export_experience": experience,
        "target_countries": company.export_countries,
    }


def companies_represented(user: Any) -> list[Company]:
    """The directory companies whose organisation ``user`` represents."""
    if user is None or not user.is_authenticated:
        return []
    today = timezone.localdate()
    return list(
        Company.objects.filter(
            organisation__memberships__user=user,
            organisation__memberships__role=Role.COMPANY_REP,
        )
        .filter(
            Q(organisation__memberships__ended_on__isnull=True)
            | Q(organisation__memberships__ended_on__gt=today)
        )
        .distinct()
        .order_by("name")
    )


@transaction.atomic
def seller_register(
    *,
    actor: User,
    event: Event,
    company: Company,
    agree_programme: bool,
    products: str = "",
    products_en: str = "",
    certifications: str = "",
    export_experience: str = "",
    target_countries: str = "",
    ip_address: str | None = None,
) -> Seller:
    """Register a G-Valley company (its representative registers it; the profile provides the defaults)."""
    _registration_open(event, actor)
    if not is_organiser(actor, event) and company not in companies_represented(actor):
        raise ValidationError(_("You can only register a company you represent."))
    if Seller.objects.filter(event=event, company=company).exists():
        raise ValidationError(_("This company is already registered for the event."))
    if not agree_programme:
        raise ValidationError(
            {"agree_programme": _("You must agree to the use of your data for the consultation to register.")}
        )
    defaults = seller_defaults(company)
    contact = actor
    if is_organiser(actor, event) and company not in companies_represented(actor):
        rep = (
            User.objects.filter(
                memberships__organisation=company.organisation_id,
                memberships__role=Role.COMPANY_REP,
                memberships__ended_on__isnull=True,
            )
            .order_by("pk")
            .first()
            if company.organisation_id
            else None
        )
        if rep is None:
            raise ValidationError(_("The company has no representative with an account to contact."))
        contact = rep
    seller = Seller(
        event=event,
        company=company,
        contact=contact,
        products=(products or defaults["products"]).strip(),
        products_en=(products_en or defaults["products_en"]).strip(),
        certifications=(certifications or defaults["certifications"]).strip(),
        export_experience=(export_experience or defaults["export_experience"]).strip(),
        target_countries=(target_countries or defaults["target_countries"]).strip(),
        timezone=contact.timezone or settings.TIME_ZONE,
    )
    zone(seller.timezone)
    seller.full_clean()
    seller.save()
    consent_give(
        user=contact,
        notice=_programme_notice(),
        context=f"matchmaking event {event.pk}",
        ip_address=ip_address,
    )
    audit(actor=actor, action="matchmaking.seller.register", obj=seller, after=snapshot(seller))
    return seller


@transaction.atomic
def seller_update(
    *,
    actor: Any,
    seller: Seller,
    products: str,
    products_en: str = "",
    certifications: str = "",
    export_experience: str = "",
    target_countries: str = "",
) -> Seller:
    if not products.strip():
        raise ValidationError({"products": _("Name at least one product.")})
    before = snapshot(seller)
    seller.products, seller.products_en = products.strip(), products_en.strip()
    seller.certifications, seller.export_experience = certifications.strip(), export_experience.strip()
    seller.target_countries = target_countries.strip()
    seller.full_clean()
    seller.save()
    audit(actor=actor, action="matchmaking.seller.update", obj=seller, before=before, after=snapshot(seller))
    return seller


@transaction.atomic
def participant_withdraw(*, actor: Any, participant: Buyer | Seller) -> None:
    """Withdraw a buyer or a company: its meetings are cancelled, except those that took place (held or missed,
    with attendance or a consultation record), which stay in the statistics."""
    if participant.withdrawn_at is not None:
        return
    before = snapshot(participant)
    participant.withdrawn_at = timezone.now()
    participant.save(update_fields=["withdrawn_at", "updated_at"])
    pending = participant.meetings.filter(
        status=Meeting.Status.SCHEDULED, attendance=Meeting.Attendance.PENDING, record__isnull=True
    )
    for meeting in pending:
        _cancel(meeting, _("The participant withdrew."))
    audit(
        actor=actor,
        action=f"matchmaking.{participant.kind}.withdraw",
        obj=participant,
        before=before,
        after=snapshot(participant),
    )


# --- Meetings per participant -----------------------------------------------------------------------------


def _check_wanted_max(buyer: Buyer, event: Event, value: int | None) -> None:
    """A buyer's own maximum: from 1 to the organiser's (or the event's) maximum, not below his minimum, and not
    below the number of companies he marked as "must meet"."""
    if value is None:
        return
    cap = buyer.meeting_cap(event)
    if not 1 <= value <= cap:
        raise ValidationError(
            {
                "wanted_max_meetings": _(
                    "Give a number from 1 to %(max)s (the most meetings this event allows you), "
                    "or leave it empty."
                )
                % {"max": cap}
            },
            code="wanted_max_range",
        )
    low = buyer.min_meetings if buyer.min_meetings is not None else event.buyer_min_meetings
    if value < low:
        raise ValidationError(
            {
                "wanted_max_meetings": _(
                    "At least %(min)s: the event plans at least that many meetings for every buyer."
                )
                % {"min": low}
            },
            code="wanted_max_below_min",
        )
    if buyer.pk is not None:
        musts = Preference.objects.filter(
            buyer=buyer, side=Preference.Side.BUYER, level=Preference.Level.MUST
        ).count()
        if value < musts:
            raise ValidationError(
                {
                    "wanted_max_meetings": _(
                        "You marked %(n)s companies as 'must meet'; your maximum cannot be below that."
                    )
                    % {"n": musts}
                },
                code="wanted_max_below_musts",
            )


def _check_count(field: str, value: int | None) -> None:
    if value is not None and not 0 <= value <= MEETINGS_LIMIT:
        raise ValidationError(
            {
                field: _("Give a number from 0 to %(limit)s, or leave it empty for the event's value.")
                % {"limit": MEETINGS_LIMIT}
            },
            code="meetings_range",
        )


@transaction.atomic
def meeting_limits_set(
    *, actor: Any, participant: Buyer | Seller, min_meetings: int | None, max_meetings: int | None
) -> Buyer | Seller:
    """The organiser overrides the event's minimum and maximum meetings for one buyer or company.

    None = the event's value. The maximum may be above the event's (a key buyer) or below it (a small company);
    it cannot be below the minimum. A buyer's own maximum still applies when it is smaller; a minimum above it is
    refused. Only the organiser may do this.
    """
    event = participant.event
    if not is_organiser(actor, event):
        raise ValidationError(
            _("Only the organiser can change a participant's minimum and maximum meetings."),
            code="not_organiser",
        )
    participant = type(participant).objects.select_for_update().get(pk=participant.pk)
    if participant.withdrawn_at is not None:
        raise ValidationError(_("This registration was withdrawn."))
    _check_count("min_meetings", min_meetings)
    _check_count("max_meetings", max_meetings)
    kind_max = event.buyer_max_meetings if isinstance(participant, Buyer) else event.seller_max_meetings
    kind_min = event.buyer_min_meetings if isinstance(participant, Buyer) else event.seller_min_meetings
    low = min_meetings if min_meetings is not None else kind_min
    high = max_meetings if max_meetings is not None else kind_max
    if high < low:
        raise ValidationError(
            {
                "max_meetings" if max_meetings is not None else "min_meetings": _(
                    "The maximum (%(max)s) cannot be below the minimum (%(min)s)."
                )
                % {"max": high, "min": low}
            },
            code="max_below_min",
        )
    wanted = participant.wanted_max_meetings if isinstance(participant, Buyer) else None
    if wanted is not None and min_meetings is not None and min_meetings > wanted:
        raise ValidationError(
            {
                "min_meetings": _("%(name)s wants at most %(n)s meetings; the minimum cannot be above that.")
                % {"name": participant.name, "n": wanted}
            },
            code="min_above_wanted",
        )
    before = snapshot(participant)
    participant.min_meetings, participant.max_meetings = min_meetings, max_meetings
    participant.full_clean()
    participant.save(update_fields=["min_meetings", "max_meetings", "updated_at"])
    audit(
        actor=actor,
        action=f"matchmaking.{participant.kind}.limits",
        obj=participant,
        before=before,
        after=snapshot(participant),
    )
    return participant


# --- Availability -----------------------------------------------------------------------------------------


def _owner_filter(owner: Participant) -> dict[str, Participant]:
    return {owner.kind: owner}


@transaction.atomic
def availability_set(
    *, actor: Any, owner: Participant, intervals: Sequence[tuple[date, time, time]]
) -> list[Availability]:
    """Replace ``owner``'s availability with ``intervals`` given on the wall clock of the owner's time zone.

    Refused with a clear error (and nothing changed) when the time zone is unknown, an interval ends before it
    starts, lies outside the event's sessions, overlaps another interval, or would leave a locked meeting
    outside the new availability. An empty list means "available throughout the event".
    """
    event = owner.event
    tz = zone(owner.timezone)
    sessions = list(event.sessions.all())
    rows: list[Availability] = []
    for day, start, end in intervals:
        starts_at, ends_at = local_datetime(day, start, tz), local_datetime(day, end, tz)
        label = f"{day:%Y-%m-%d} {start:%H:%M}–{end:%H:%M}"
        if ends_at <= starts_at:
            raise ValidationError(_("%(time)s: the end must be after the start.") % {"time": label})
        if not any(s.starts_at < ends_at and starts_at < s.ends_at for s in sessions):
            raise ValidationError(
                _("%(time)s (%(tz)s) is outside the event's sessions.")
                % {"time": label, "tz": owner.timezone}
            )
        rows.append(Availability(event=event, starts_at=starts_at, ends_at=ends_at, **_owner_filter(owner)))
    rows.sort(key=lambda r: r.starts_at)
    for a, b in zip(rows, rows[1:], strict=False):
        if b.starts_at < a.ends_at:
            raise ValidationError(
                _("Two of the times overlap (%(a)s and %(b)s). Enter each time only once.")
                % {
                    "a": timezone.localtime(a.starts_at, tz).strftime("%Y-%m-%d %H:%M"),
                    "b": timezone.localtime(b.starts_at, tz).strftime("%Y-%m-%d %H:%M"),
                }
            )
    if rows:
        for meeting in owner.meetings.filter(status=Meeting.Status.SCHEDULED, locked=True).select_related(
            "slot"
        ):
            slot = meeting.slot
            if not any(r.starts_at <= slot.starts_at and slot.ends_at <= r.ends_at for r in rows):
                raise ValidationError(
                    _(
                        "The locked meeting at %(time)s would fall outside this availability. "
                        "Ask the organiser to unlock or move it first."
                    )
                    % {"time": timezone.localtime(slot.starts_at, tz).strftime("%Y-%m-%d %H:%M")}
                )
    before = [snapshot(a) for a in Availability.objects.filter(**_owner_filter(owner))]
    Availability.objects.filter(**_owner_filter(owner)).delete()
    Availability.objects.bulk_create(rows)
    audit(
        actor=actor,
        action="matchmaking.availability.set",
        obj=owner,
        before={"availability": before},
        after={"availability": [snapshot(r) for r in rows]},
    )
    return rows


def allowed_slot_ids(
    owner: Participant, slots: Sequence[Slot], availability: Sequence[Availability]
) -> set[int]:
    """The slots ``owner`` can meet in: all of them without availability rows, else those inside one."""
    if not availability:
        return {s.pk for s in slots}
    return {
        s.pk
        for s in slots
        if any(a.starts_at <= s.starts_at and s.ends_at <= a.ends_at for a in availability)
    }


# --- Preferences ------------------------------------------------------------------------------------------


@transaction.atomic
def preferences_set(*, actor: Any, owner: Buyer | Seller, levels: Mapping[int, str]) -> dict[str, int]:
    """Set ``owner``'s preference for each counterpart id in ``levels`` ("must", "want", "no" or "" to clear).

    Only until the event's preferences deadline (the organiser may still change them). Returns counts.
    """
    event = owner.event
    if timezone.now() >= event.preferences_close_at and not is_organiser(actor, event):
        raise ValidationError(_("The deadline for preferences has passed."))
    if owner.withdrawn_at is not None:
        raise ValidationError(_("This registration was withdrawn."))
    side = Preference.Side.BUYER if isinstance(owner, Buyer) else Preference.Side.SELLER
    other_model = Seller if side == Preference.Side.BUYER else Buyer
    ids = set(levels)
    known = set(
        other_model.objects.filter(event=event, pk__in=ids, withdrawn_at__isnull=True).values_list(
            "pk", flat=True
        )
    )
    if ids - known:
        raise ValidationError(_("Some of the chosen participants are not part of this event."))
    bad = {v for v in levels.values() if v and v not in Preference.Level.values}
    if bad:
        raise ValidationError(_("Unknown preference: %(value)s") % {"value": ", ".join(sorted(bad))})
    mine = Preference.objects.filter(side=side)
    mine = (
        mine.filter(buyer_id=owner.pk) if side == Preference.Side.BUYER else mine.filter(seller_id=owner.pk)
    )
    existing = {(p.seller_id if side == Preference.Side.BUYER else p.buyer_id): p for p in mine}
    must_after = {k for k, p in existing.items() if p.level == Preference.Level.MUST and k not in levels}
    must_after |= {k for k, v in levels.items() if v == Preference.Level.MUST}
    limit = owner.meeting_limits(event).max
    if len(must_after) > limit:
        raise ValidationError(
            _("You can mark at most %(limit)s participants as 'must meet' (the most meetings you can have).")
            % {"limit": limit}
        )
    counts = {"set": 0, "cleared": 0}
    before = {k: p.level for k, p in existing.items() if k in levels}
    for other_id, level in levels.items():
        current = existing.get(other_id)
        pair = (
            {"buyer": owner, "seller_id": other_id}
            if side == Preference.Side.BUYER
            else {"seller": owner, "buyer_id": other_id}
        )
        if not level:
            if current is not None:
                current.delete()
                counts["cleared"] += 1
            continue
        if current is None:
            Preference.objects.create(event=event, side=side, level=level, **pair)
            counts["set"] += 1
        elif current.level != level:
            current.level = level
            current.save(update_fields=["level", "updated_at"])
            counts["set"] += 1
    audit(
        actor=actor,
        action="matchmaking.preferences.set",
        obj=owner,
        before={"preferences": before},
        after={"preferences": dict(levels)},
    )
    return counts


def _session_label(part: str) -> str:
    return {"morning": _("the morning session"), "afternoon": _("the afternoon session")}.get(part, part)


def _check_pair_session(buyer: Buyer, seller: Seller, session: str) -> None:
    """A session for a pair ("" = any): morning or afternoon, one the event has, and no locked meeting or meeting
    that took place of the pair in the other session."""
    from . import scheduling

    if buyer.event_id != seller.event_id:
        raise ValidationError(_("The buyer and the company belong to different events."))
    if not session:
        return
    if session not in Session.Part.values:
        raise ValidationError({"session": _("Choose the morning or the afternoon session.")}, code="session")
    if not Session.objects.filter(event_id=buyer.event_id, part=session).exists():
        missing = {
            "morning": _("The event has no morning session."),
            "afternoon": _("The event has no afternoon session."),
        }
        raise ValidationError({"session": missing[session]}, code="no_session")
    fixed = (
        Meeting.objects.filter(buyer=buyer, seller=seller, status=Meeting.Status.SCHEDULED)
        .filter(Q(locked=True) | scheduling.took_place_q(scheduling.clock()))
        .exclude(slot__session__part=session)
        .select_related("slot")
        .first()
    )
    if fixed is not None:
        raise ValidationError(
            _(
                "The meeting of this pair at %(time)s is locked or took place in another session; "
                "unlock or move it first."
            )
            % {"time": timezone.localtime(fixed.slot.starts_at).strftime("%Y-%m-%d %H:%M")},
            code="session_locked",
        )


@transaction.atomic
def pair_session_set(*, actor: Any, buyer: Buyer, seller: Seller, session: str) -> PairSession | None:
    """The organiser restricts a pair to the ``morning`` or ``afternoon`` session (``""`` = any session).

    Refused (nothing written) for an unknown session, one the event does not have, or when a locked meeting or a
    meeting that took place of the pair lies in the other session. An unlocked meeting in the other session is
    moved by the next run of the scheduler.
    """
    _check_pair_session(buyer, seller, session)
    current = PairSession.objects.select_for_update().filter(buyer=buyer, seller=seller).first()
    before = snapshot(current)
    if current is not None and current.part == session:
        return current
    if not session:
        if current is None:
            return None
        current.delete()
        audit(actor=actor, action="matchmaking.pair.session", obj=buyer.event, before=before, after=None)
        return None
    if current is None:
        current = PairSession.objects.create(
            event_id=buyer.event_id, buyer=buyer, seller=seller, part=session
        )
    else:
        current.part = session
        current.save(update_fields=["part", "updated_at"])
    audit(
        actor=actor,
        action="matchmaking.pair.session",
        obj=buyer.event,
        before=before,
        after=snapshot(current),
    )
    return current


@transaction.atomic
def pair_decide(
    *,
    actor: Any,
    buyer: Buyer,
    seller: Seller,
    level: str,
    note: str = "",
    session: str | None = None,
) -> Preference | None:
    """The organiser fixes a pair (``must``), excludes it (``no``) or clears the decision (``""``).

    ``session`` ("morning", "afternoon", or "" for any) restricts the pair to a session too
    (:func:`pair_session_set`); None leaves it as it is. Everything is checked before anything is written.
    """
    if buyer.event_id != seller.event_id:
        raise ValidationError(_("The buyer and the company belong to different events."))
    if level and level not in (Preference.Level.MUST, Preference.Level.NO):
        raise ValidationError(_("The organiser can fix a pair or exclude it."))
    if session is not None:
        _check_pair_session(buyer, seller, session)
    current = Preference.objects.filter(buyer=buyer, seller=seller, side=Preference.Side.ORGANISER).first()
    before = snapshot(current)
    if level == Preference.Level.MUST:
        vetoes = Preference.objects.filter(buyer=buyer, seller=seller, level=Preference.Level.NO).exclude(
            side=Preference.Side.ORGANISER
        )
        if vetoes.exists():
            raise ValidationError(
                _("One side does not want to meet the other; a vetoed pair cannot be fixed.")
            )
    if session is not None:
        pair_session_set(actor=actor, buyer=buyer, seller=seller, session=session)
    if not level:
        if current is not None:
            current.delete()
        audit(actor=actor, action="matchmaking.pair.clear", obj=buyer.event, before=before)
        return None
    if current is None:
        current = Preference.objects.create(
            event=buyer.event,
            buyer=buyer,
            seller=seller,
            side=Preference.Side.ORGANISER,
            level=level,
            note=note,
        )
    else:
        current.level, current.note = level, note
        current.save(update_fields=["level", "note", "updated_at"])
    audit(
        actor=actor, action="matchmaking.pair.decide", obj=buyer.event, before=before, after=snapshot(current)
    )
    return current


# --- Scheduling -------------------------------------------------------------------------------------------


def _check_locked(event: Event, now: datetime) -> None:
    """Every locked meeting still to come must be possible: participants available, interpreter qualified."""
    from . import scheduling

    problems = scheduling.locked_problems(event, now=now)
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def schedule_request(
    *,
    actor: Any,
    event: Event,
    kind: str = ScheduleRun.Kind.INITIAL,
    enqueue: bool = True,
    now: datetime | None = None,
) -> ScheduleRun:
    """Queue a scheduler run (a background job with a progress bar). Locked meetings and meetings that took place
    stay where they are; only slots that start after ``now`` (default ``scheduling.clock()``) are offered."""
    from . import scheduling

    now = now or scheduling.clock()
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not event.slots.exists():
        raise ValidationError(_("Add the event's sessions first: there are no slots to schedule."))
    if not event.slots.filter(starts_at__gt=now).exists():
        raise ValidationError(_("Every slot of the event has started: there is nothing left to schedule."))
    if (
        not event.buyers.filter(withdrawn_at__isnull=True).exists()
        or not event.sellers.filter(withdrawn_at__isnull=True).exists()
    ):
        raise ValidationError(_("Buyers and companies must be registered before scheduling."))
    if event.runs.filter(status__in=[ScheduleRun.Status.PENDING, ScheduleRun.Status.RUNNING]).exists():
        raise ValidationError(_("The scheduler is already running for this event."))
    _check_locked(event, now)
    title = _("Meeting schedule of %(event)s") % {"event": event.programme.title}
    job = job_create(kind="matchmaking.schedule", title=title, created_by=actor, params={"event": event.pk})
    run = ScheduleRun.objects.create(
        event=event,
        kind=kind,
        job=job,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit(actor=actor, action="matchmaking.schedule.request", obj=event, after=snapshot(run))

    def run_in_background() -> None:
        from . import tasks

        tasks.run_schedule.enqueue(run.pk)

    if enqueue:
        transaction.on_commit(run_in_background)
    return run


def schedule_execute(
    *,
    run: ScheduleRun,
    progress: Callable[[int, int, str], None] | None = None,
    deterministic: bool = False,
    time_limit: float | None = None,
    now: datetime | None = None,
) -> ScheduleRun:
    """Run the engine for ``run`` (called by the background task) and write the provisional schedule.

    ``now`` (default: ``scheduling.clock()``) decides which slots are past; the demo passes the time its
    historical edition was scheduled.
    """
    from django.urls import reverse

    from . import scheduling

    job = run.job
    ScheduleRun.objects.filter(pk=run.pk).update(status=ScheduleRun.Status.RUNNING)
    if job is not None:
        job_start(job=job, total=100, message=_("Reading registrations, availability and preferences"))

    def report(done: int, total: int, message: str) -> None:
        if job is not None:
            job_progress(job=job, done=min(done, 99), total=100, message=message)
        if progress is not None:
            progress(done, total, message)

    try:
        outcome = scheduling.solve(
            run.event, progress=report, deterministic=deterministic, time_limit=time_limit, now=now
        )
        if outcome.status not in (ScheduleRun.Status.OPTIMAL, ScheduleRun.Status.FEASIBLE):
            # No schedule: keep the current one untouched and say so.
            raise ValidationError(
                _(
                    "The scheduler found no schedule (%(status)s); the current schedule is unchanged. %(message)s"
                )
                % {"status": outcome.status, "message": outcome.message}
            )
        with transaction.atomic():
            _apply_outcome(run, outcome)
    except Exception as exc:  # the job must show the failure, whatever it was
        messages = exc.messages if isinstance(exc, ValidationError) else [str(exc) or exc.__class__.__name__]
        ScheduleRun.objects.filter(pk=run.pk).update(
            status=ScheduleRun.Status.FAILED, finished_at=timezone.now(), message="; ".join(messages)[:500]
        )
        if job is not None:
            job_fail(job=job, errors=[{"message": m} for m in messages], message=_("The scheduler failed."))
        if not isinstance(exc, ValidationError):
            raise
        run.refresh_from_db()
        return run
    run.refresh_from_db()
    if job is not None:
        job_finish(
            job=job,
            result={"run": run.pk, "meetings": run.scheduled_meetings, "status": run.status},
            message=_("%(n)s meetings scheduled (%(status)s)")
            % {"n": run.scheduled_meetings, "status": run.get_status_display()},
            result_url=reverse("matchmaking:schedule", args=[run.event.programme_id]),
        )
    return run


def _apply_outcome(run: ScheduleRun, outcome: Any) -> None:
    """Write the engine's result: update, create or drop unlocked meetings; keep locked ones and those that
    took place (attendance recorded, a consultation record, or their slot has started) exactly as they are.

    After a publication a re-optimisation that changes anything makes the schedule provisional again:
    participants see their agendas once the organiser publishes again.
    """
    from . import scheduling

    event = Event.objects.select_for_update().get(pk=run.event_id)
    # Once published, participants may have the meetings in their calendars: drop by cancelling (the .ics says
    # so) and count revisions, even while the schedule is provisional again.
    published = event.published_at is not None
    now = outcome.now or scheduling.clock()
    scheduled = event.meetings.filter(status=Meeting.Status.SCHEDULED)
    current = list(scheduled.select_related("slot"))
    took_place = set(scheduled.filter(scheduling.took_place_q(now)).values_list("pk", flat=True))
    planned = {(p.buyer_id, p.seller_id): p for p in outcome.meetings}
    for m in current:
        plan = planned.get((m.buyer_id, m.seller_id))
        unknown = m.pk in took_place and not m.locked and m.pk not in outcome.taken_place
        if unknown and (plan is None or plan.slot_id != m.slot_id):
            # attendance or a record was entered while the engine ran: its plan may move that meeting
            raise ValidationError(
                _(
                    "A meeting's attendance or consultation record was entered while the scheduler ran; "
                    "the schedule is unchanged. Run the scheduler again."
                )
            )
    kept = {(m.buyer_id, m.seller_id): m for m in current if m.locked or m.pk in took_place}
    unlocked = {(m.buyer_id, m.seller_id): m for m in current if not (m.locked or m.pk in took_place)}
    slots = {s.pk: s for s in event.slots.all()}
    # Rooms: kept meetings keep theirs; the others take the free rooms of their slot in order.
    taken: dict[int, set[int]] = {}
    for m in kept.values():
        taken.setdefault(m.slot_id, set()).add(m.room)
    # Park the unlocked meetings (partial unique constraints only cover scheduled rows) before rewriting them.
    if unlocked:
        Meeting.objects.filter(pk__in=[m.pk for m in unlocked.values()]).update(
            status=Meeting.Status.CANCELLED
        )
    created = 0
    kept_in_place = 0
    moved = 0
    for key, plan in sorted(planned.items(), key=lambda kv: (slots[kv[1].slot_id].number, kv[0])):
        if key in kept:
            continue
        rooms = taken.setdefault(plan.slot_id, set())
        room = next(r for r in range(1, event.rooms + 1) if r not in rooms)
        rooms.add(room)
        meeting = unlocked.pop(key, None)
        if meeting is None:
            Meeting.objects.create(
                event=event,
                buyer_id=plan.buyer_id,
                seller_id=plan.seller_id,
                slot_id=plan.slot_id,
                room=room,
                interpreter_id=plan.interpreter_id,
                priority=plan.priority,
                run=run,
            )
            created += 1
        else:
            changed = (meeting.slot_id, meeting.room, meeting.interpreter_id) != (
                plan.slot_id,
                room,
                plan.interpreter_id,
            )
            meeting.slot_id, meeting.room, meeting.interpreter_id = plan.slot_id, room, plan.interpreter_id
            meeting.status, meeting.priority, meeting.run = Meeting.Status.SCHEDULED, plan.priority, run
            if changed:
                moved += 1
                if published:
                    meeting.sequence += 1
            meeting.save()
            kept_in_place += 1
    dropped = 0
    for meeting in unlocked.values():
        if published or hasattr(meeting, "record"):
            meeting.status = Meeting.Status.CANCELLED
            meeting.cancel_reason = _("Dropped by re-optimisation")
            meeting.sequence += 1
            meeting.save(update_fields=["status", "cancel_reason", "sequence", "updated_at"])
        else:
            meeting.delete()
        dropped += 1
    UnscheduledPair.objects.bulk_create(
        UnscheduledPair(
            run=run,
            buyer_id=u.buyer_id,
            seller_id=u.seller_id,
            priority=u.priority,
            reason_code=u.reason_code[:50],
            reason=u.reason[:500],
        )
        for u in outcome.unscheduled
    )
    run.status = outcome.status
    run.finished_at = timezone.now()
    run.seconds = outcome.seconds
    run.requested_pairs = outcome.requested
    run.scheduled_meetings = len(planned) + sum(1 for key in kept if key not in planned)
    run.breaks = outcome.breaks
    run.idle_slots = outcome.idle_slots
    run.stats = {
        **outcome.stats,
        "created": created,
        "kept": kept_in_place,
        "moved": moved,
        "dropped": dropped,
        "locked": sum(1 for m in kept.values() if m.locked),
        "taken_place": len(took_place),
    }
    run.message = outcome.message[:500]
    run.save()
    before = snapshot(event)
    if event.schedule_status == Event.ScheduleStatus.NONE or (
        event.is_published and created + moved + dropped
    ):
        event.schedule_status = Event.ScheduleStatus.PROVISIONAL
        event.save(update_fields=["schedule_status", "updated_at"])
    audit(
        actor=run.created_by,
        action="matchmaking.schedule.apply",
        obj=event,
        before=before,
        after={"run": run.pk, "status": run.status, "schedule_status": event.schedule_status, **run.stats},
    )


def _placement(
    *,
    meeting: Meeting | None,
    event: Event,
    buyer: Buyer,
    seller: Seller,
    slot: Slot,
    preferred: Interpreter | None,
) -> Interpreter | None:
    """The interpreter for ``buyer`` and ``seller`` meeting in ``slot``; every reason why not, as one error.

    The preferred (current) interpreter is kept when he is free; else any free interpreter of the buyer's
    language. None when the event needs no interpreters.
    """
    from . import scheduling

    problems: list[str] = []
    others = Meeting.objects.filter(event=event, slot=slot, status=Meeting.Status.SCHEDULED)
    if meeting is not None:
        others = others.exclude(pk=meeting.pk)
    if others.filter(buyer=buyer).exists():
        problems.append(_("%(name)s already has a meeting in this slot.") % {"name": buyer.name})
    if others.filter(seller=seller).exists():
        problems.append(_("%(name)s already has a meeting in this slot.") % {"name": seller.name})
    if others.count() >= event.rooms:
        problems.append(_("Every video room is taken in this slot."))
    for owner in (buyer, seller):
        if not scheduling.is_available(owner, slot):
            problems.append(_("%(name)s is not available at this time.") % {"name": owner.name})
    restriction = PairSession.objects.filter(buyer=buyer, seller=seller).first()
    if restriction is not None and restriction.part != slot.session.part:
        problems.append(
            _("The organiser restricted %(buyer)s and %(seller)s to %(session)s.")
            % {"buyer": buyer.name, "seller": seller.name, "session": _session_label(restriction.part)}
        )
    interpreter: Interpreter | None = None
    if event.interpretation:
        busy_ids = set(others.exclude(interpreter=None).values_list("interpreter_id", flat=True))
        candidates = [i for i in event.interpreters.all() if buyer.language in i.languages]
        if preferred is not None:
            candidates.sort(key=lambda i: i.pk != preferred.pk)
        interpreter = next(
            (i for i in candidates if i.pk not in busy_ids and scheduling.is_available(i, slot)), None
        )
        if interpreter is None:
            problems.append(
                _("No interpreter for %(language)s is free at this time.")
                % {"language": buyer.get_language_display()}
            )
    if problems:
        raise ValidationError(problems)
    return interpreter


def _free_room(event: Event, slot: Slot, meeting: Meeting | None) -> int:
    others = Meeting.objects.filter(slot=slot, status=Meeting.Status.SCHEDULED)
    if meeting is not None:
        others = others.exclude(pk=meeting.pk)
    used = set(others.values_list("room", flat=True))
    for room in range(1, event.rooms + 1):
        if room not in used:
            return room
    raise ValidationError(_("Every video room is taken in this slot."))


def _took_place(meeting: Meeting) -> bool:
    """Whether the meeting was held or missed: attendance recorded or a consultation record."""
    return (
        meeting.attendance != Meeting.Attendance.PENDING
        or ConsultationRecord.objects.filter(meeting=meeting).exists()
    )


@transaction.atomic
def _refuse_started_slot(slot: Slot, now: datetime | None) -> None:
    """A meeting is never placed by hand in a slot that has started: it could no longer take place there."""
    from . import scheduling  # imports this module

    if slot.starts_at <= (now or scheduling.clock()):
        raise ValidationError(_("This slot has already started; choose one still to come."))


def meeting_move(*, actor: Any, meeting: Meeting, slot: Slot, now: datetime | None = None) -> Meeting:
    """Move a meeting to another slot; refused (nothing changed) if anyone is busy or unavailable then, or if the
    slot has started (``now``: default ``scheduling.clock()``)."""
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("event", "buyer", "seller", "interpreter")
        .get(pk=meeting.pk)
    )
    event = meeting.event
    if meeting.status != Meeting.Status.SCHEDULED:
        raise ValidationError(_("A cancelled meeting cannot be moved."))
    if _took_place(meeting):
        raise ValidationError(
            _(
                "This meeting took place (its attendance or consultation record is entered); it cannot be moved."
            )
        )
    if slot.event_id != event.pk:
        raise ValidationError(_("The slot belongs to another event."))
    if slot.pk == meeting.slot_id:
        return meeting
    _refuse_started_slot(slot, now)
    interpreter = _placement(
        meeting=meeting,
        event=event,
        buyer=meeting.buyer,
        seller=meeting.seller,
        slot=slot,
        preferred=meeting.interpreter,
    )
    before = snapshot(meeting)
    meeting.slot = slot
    meeting.room = _free_room(event, slot, meeting)
    meeting.interpreter = interpreter
    meeting.sequence += 1
    meeting.save()
    audit(actor=actor, action="matchmaking.meeting.move", obj=meeting, before=before, after=snapshot(meeting))
    return meeting


@transaction.atomic
def meeting_add(
    *,
    actor: Any,
    event: Event,
    buyer: Buyer,
    seller: Seller,
    slot: Slot,
    lock: bool = True,
    now: datetime | None = None,
    past_edition: bool = False,
) -> Meeting:
    """The organiser places a meeting by hand (locked by default so that re-optimisation keeps it). A slot that has
    started is refused, except when the records of a past edition are entered (``past_edition``)."""
    if buyer.event_id != event.pk or seller.event_id != event.pk or slot.event_id != event.pk:
        raise ValidationError(_("The buyer, the company and the slot must belong to this event."))
    if buyer.withdrawn_at or seller.withdrawn_at:
        raise ValidationError(_("This registration was withdrawn."))
    if not past_edition:
        _refuse_started_slot(slot, now)
    if Meeting.objects.filter(buyer=buyer, seller=seller, status=Meeting.Status.SCHEDULED).exists():
        raise ValidationError(_("These two already have a meeting."))
    vetoes = Preference.objects.filter(buyer=buyer, seller=seller, level=Preference.Level.NO)
    if vetoes.exclude(side=Preference.Side.ORGANISER).exists():
        raise ValidationError(_("One side does not want to meet the other; a vetoed pair cannot be fixed."))
    interpreter = _placement(meeting=None, event=event, buyer=buyer, seller=seller, slot=slot, preferred=None)
    if vetoes.filter(side=Preference.Side.ORGANISER).exists():
        # the organiser re-adds a pair he excluded (e.g. by cancelling its meeting): the exclusion ends
        pair_decide(actor=actor, buyer=buyer, seller=seller, level="")
    meeting = Meeting.objects.create(
        event=event,
        buyer=buyer,
        seller=seller,
        slot=slot,
        room=_free_room(event, slot, None),
        interpreter=interpreter,
        locked=lock,
        priority="organiser",
    )
    if event.schedule_status == Event.ScheduleStatus.NONE:
        event.schedule_status = Event.ScheduleStatus.PROVISIONAL
        event.save(update_fields=["schedule_status", "updated_at"])
    audit(actor=actor, action="matchmaking.meeting.add", obj=meeting, after=snapshot(meeting))
    return meeting


@transaction.atomic
def meeting_lock(*, actor: Any, meeting: Meeting, locked: bool = True) -> Meeting:
    if meeting.status != Meeting.Status.SCHEDULED:
        raise ValidationError(_("A cancelled meeting cannot be locked."))
    before = snapshot(meeting)
    meeting.locked = locked
    meeting.save(update_fields=["locked", "updated_at"])
    audit(actor=actor, action="matchmaking.meeting.lock", obj=meeting, before=before, after=snapshot(meeting))
    return meeting


@transaction.atomic
def meetings_lock_all(*, actor: Any, event: Event) -> int:
    n = event.meetings.filter(status=Meeting.Status.SCHEDULED, locked=False).update(locked=True)
    audit(actor=actor, action="matchmaking.meeting.lock_all", obj=event, after={"locked": n})
    return n


def _cancel(meeting: Meeting, reason: str) -> None:
    meeting.status = Meeting.Status.CANCELLED
    meeting.locked = False
    meeting.cancel_reason = reason[:300]
    meeting.sequence += 1
    meeting.save(update_fields=["status", "locked", "cancel_reason", "sequence", "updated_at"])


@transaction.atomic
def meeting_cancel(*, actor: Any, meeting: Meeting, reason: str = "") -> Meeting:
    """The organiser cancels a meeting; its pair is excluded so that re-optimisation does not plan it again.

    The organiser allows the pair again by clearing the decision on the pairs page, fixing the pair, or adding
    a meeting of the pair by hand. A meeting that took place cannot be cancelled.
    """
    meeting = (
        Meeting.objects.select_for_update(of=("self",)).select_related("buyer", "seller").get(pk=meeting.pk)
    )
    if meeting.status != Meeting.Status.SCHEDULED:
        raise ValidationError(_("The meeting is already cancelled."))
    if _took_place(meeting):
        raise ValidationError(
            _(
                "This meeting took place (its attendance or consultation record is entered); "
                "it cannot be cancelled."
            )
        )
    before = snapshot(meeting)
    reason = reason.strip() or _("Cancelled by the organiser")
    _cancel(meeting, reason)
    pair_decide(
        actor=actor,
        buyer=meeting.buyer,
        seller=meeting.seller,
        level=Preference.Level.NO,
        note=(_("Meeting cancelled: %(reason)s") % {"reason": reason})[:300],
    )
    audit(
        actor=actor, action="matchmaking.meeting.cancel", obj=meeting, before=before, after=snapshot(meeting)
    )
    return meeting


@transaction.atomic
def schedule_publish(*, actor: Any, event: Event, notify: bool = True) -> int:
    """Publish the schedule: every participant sees his agenda and gets it by e-mail with an .ics file."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.schedule_status == Event.ScheduleStatus.NONE:
        raise ValidationError(_("There is no schedule to publish yet."))
    if not event.meetings.filter(status=Meeting.Status.SCHEDULED).exists():
        raise ValidationError(_("There is no schedule to publish yet."))
    before = snapshot(event)
    event.schedule_status = Event.ScheduleStatus.PUBLISHED
    event.published_at = timezone.now()
    event.save(update_fields=["schedule_status", "published_at", "updated_at"])
    audit(actor=actor, action="matchmaking.schedule.publish", obj=event, before=before, after=snapshot(event))
    if notify:
        transaction.on_commit(lambda: notify_agendas(event=event))
    return event.meetings.filter(status=Meeting.Status.SCHEDULED).count()


def notify_agendas(*, event: Event) -> int:
    """E-mail each participant his agenda (in his language and time zone) with the .ics attached."""
    from gvalley.core.exports import ICS_MIME
    from gvalley.core.notifications import Attachment, Recipient, send

    from . import selectors

    sent = 0
    for owner in selectors.agenda_owners(event=event):
        meetings = selectors.agenda(owner=owner)
        if not meetings:
            continue
        ics = selectors.agenda_ics(owner=owner, meetings=meetings)
        sent += send(
            recipients=[Recipient.from_user(owner.contact if hasattr(owner, "contact") else owner.user)],
            template="matchmaking/email/agenda",
            context={"event": event, "owner": owner, "meetings": meetings},
            attachments=[Attachment("agenda.ics", ics, ICS_MIME)],
        )
    return sent


# --- During and after: attendance, records, satisfaction ----------------------------------------------------


@transaction.atomic
def attendance_set(*, actor: Any, meeting: Meeting, attendance: str, no_show_side: str = "") -> Meeting:
    if meeting.status != Meeting.Status.SCHEDULED:
        raise ValidationError(_("A cancelled meeting has no attendance."))
    if attendance not in Meeting.Attendance.values:
        raise ValidationError({"attendance": _("Unknown attendance.")})
    if attendance != Meeting.Attendance.PENDING and meeting.slot.starts_at > timezone.now() + timedelta(
        minutes=5
    ):
        raise ValidationError(
            pgettext("consultation", "Attendance can be recorded once the meeting has started.")
        )
    if attendance == Meeting.Attendance.NO_SHOW and no_show_side not in ("buyer", "seller", "both"):
        raise ValidationError({"no_show_side": _("Say who did not come.")})
    if attendance != Meeting.Attendance.HELD and hasattr(meeting, "record"):
        raise ValidationError(_("The meeting has a consultation record; it was held."))
    before = snapshot(meeting)
    meeting.attendance = attendance
    meeting.no_show_side = no_show_side if attendance == Meeting.Attendance.NO_SHOW else ""
    meeting.save(update_fields=["attendance", "no_show_side", "updated_at"])
    audit(
        actor=actor,
        action="matchmaking.meeting.attendance",
        obj=meeting,
        before=before,
        after=snapshot(meeting),
    )
    return meeting


@transaction.atomic
def record_save(
    *,
    actor: Any,
    meeting: Meeting,
    products_discussed: str,
    consultation_usd: int,
    expected_contract_usd: int = 0,
    follow_up: str = ConsultationRecord.FollowUp.NONE,
    notes: str = "",
) -> ConsultationRecord:
    """Record the consultation of a meeting (it is then counted as held)."""
    if meeting.status != Meeting.Status.SCHEDULED:
        raise ValidationError(_("A cancelled meeting has no consultation record."))
    if meeting.attendance == Meeting.Attendance.NO_SHOW:
        raise ValidationError(_("The meeting was recorded as a no-show."))
    if meeting.slot.starts_at > timezone.now() + timedelta(minutes=5):
        raise ValidationError(_("A consultation can be recorded once the meeting has started."))
    if consultation_usd < 0 or expected_contract_usd < 0:
        raise ValidationError(_("Amounts cannot be negative."))
    if follow_up not in ConsultationRecord.FollowUp.values:
        raise ValidationError({"follow_up": _("Unknown follow-up.")})
    if not products_discussed.strip():
        raise ValidationError({"products_discussed": _("Name the products discussed.")})
    record = ConsultationRecord.objects.filter(meeting=meeting).first()
    before = snapshot(record)
    if record is None:
        record = ConsultationRecord(meeting=meeting)
    record.products_discussed = products_discussed.strip()
    record.consultation_usd = consultation_usd
    record.expected_contract_usd = expected_contract_usd
    record.follow_up = follow_up
    record.notes = notes.strip()
    record.recorded_by = actor if getattr(actor, "is_authenticated", False) else None
    record.full_clean()
    record.save()
    if meeting.attendance != Meeting.Attendance.HELD:
        meeting.attendance = Meeting.Attendance.HELD
        meeting.save(update_fields=["attendance", "updated_at"])
    audit(actor=actor, action="matchmaking.record.save", obj=record, before=before, after=snapshot(record))
    return record


@transaction.atomic
def satisfaction_rate(
    *, actor: Any, meeting: Meeting, side: str, score: int, comment: str = ""
) -> Satisfaction:
    if side not in ("buyer", "seller"):
        raise ValidationError(_("Unknown side."))
    if meeting.status != Meeting.Status.SCHEDULED or meeting.attendance != Meeting.Attendance.HELD:
        raise ValidationError(_("Only a meeting that was held can be rated."))
    if not 1 <= int(score) <= 5:
        raise ValidationError({"score": _("Choose a score from 1 to 5.")})
    rating = Satisfaction.objects.filter(meeting=meeting, side=side).first()
    before = snapshot(rating)
    if rating is None:
        rating = Satisfaction(meeting=meeting, side=side)
    rating.score, rating.comment = int(score), comment.strip()
    rating.rated_by = actor if getattr(actor, "is_authenticated", False) else None
    rating.save()
    audit(
        actor=actor, action="matchmaking.satisfaction.rate", obj=rating, before=before, after=snapshot(rating)
    )
    return rating
