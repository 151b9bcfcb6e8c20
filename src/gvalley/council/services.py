"""Council services: every write of the council app (one keyword-only function per action, atomic, audited).

Views, the admin, the importer, the demo data and the requests app all call these functions. Permission checks
(who may call what) are in ``rules.py`` and done by the views; services check the state rules (what may happen
to an object now) and raise a translated ``ValidationError`` when something is not possible.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gvalley.accounts.models import Organisation, Role, User
from gvalley.accounts.services import membership_end, membership_grant
from gvalley.core import notifications
from gvalley.core.forms import plain_text
from gvalley.core.models import Job, Visibility
from gvalley.core.services import audit, job_fail, job_finish, job_progress, job_start, snapshot

from . import calendar
from .models import (
    ActionItem,
    ActionUpdate,
    AgendaItem,
    Attendance,
    CalendarFeed,
    Council,
    CouncilLead,
    CouncilMember,
    Decision,
    Document,
    Indicator,
    Invitation,
    Meeting,
    Minutes,
    MinutesApproval,
    MinutesComment,
    PlanLine,
    PlanProgramme,
    Seat,
    Term,
)


def _lock(obj: Any) -> Any:
    """Lock the row of ``obj`` for the transaction and refresh the caller's instance from it."""
    type(obj).objects.select_for_update().filter(pk=obj.pk).values_list("pk", flat=True).first()
    obj.refresh_from_db()
    return obj


def seat_role(seat: Seat) -> str:
    """The platform role a seat gives: working members of the development council are its secretariat;
    co-chairs, members and every seat of a local working council are council members."""
    if seat.kind == Seat.Kind.WORKING_MEMBER and seat.member.council.parent_id is None:
        return Role.SECRETARIAT
    return Role.COUNCIL_MEMBER


def _clean(value: str | None) -> str:
    return plain_text(value or "")


def _user(actor: Any) -> User | None:
    return actor if getattr(actor, "is_authenticated", False) else None


def _set_fields(obj: Any, fields: dict[str, Any], allowed: set[str], text_fields: set[str]) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    for key, value in fields.items():
        setattr(obj, key, _clean(value) if key in text_fields else value)


def _site_url(path: str) -> str:
    return settings.SITE_URL + path


# --- Council, lead body, member organisations, terms, seats ------------------------------------------------

COUNCIL_TEXT = {
    "name",
    "name_en",
    "description",
    "description_en",
    "basis",
    "basis_en",
    "functions",
    "functions_en",
    "schedule",
    "schedule_en",
    "contact_note",
    "contact_note_en",
}
COUNCIL_FIELDS = COUNCIL_TEXT | {"slug", "kind", "parent", "contact_email", "contact_phone", "order"}


@transaction.atomic
def council_create(*, actor: Any, **fields: Any) -> Council:
    council = Council()
    _set_fields(council, fields, COUNCIL_FIELDS, COUNCIL_TEXT)
    if council.kind == Council.Kind.LOCAL_WORKING and council.parent is None:
        raise ValidationError({"parent": _("A local working council works under the development council.")})
    council.full_clean()
    council.save()
    audit(actor=actor, action="council.council.create", obj=council, after=snapshot(council))
    return council


@transaction.atomic
def council_update(*, actor: Any, council: Council, **fields: Any) -> Council:
    before = snapshot(council)
    _set_fields(council, fields, COUNCIL_FIELDS - {"slug", "kind"}, COUNCIL_TEXT)
    council.full_clean()
    council.save()
    audit(actor=actor, action="council.council.update", obj=council, before=before, after=snapshot(council))
    return council


@transaction.atomic
def council_lead_change(
    *,
    actor: Any,
    council: Council,
    organisation: Organisation,
    unit: str,
    started_on: date,
    unit_en: str = "",
) -> CouncilLead:
    """The council is led (주관) from ``started_on`` by ``unit`` of ``organisation``; the previous lead ends."""
    current = CouncilLead.objects.select_for_update().filter(council=council, ended_on__isnull=True).first()
    if current is not None:
        if started_on <= current.started_on:
            raise ValidationError(_("The new lead must start after the current lead started."))
        before = snapshot(current)
        current.ended_on = started_on
        current.save(update_fields=["ended_on"])
        audit(actor=actor, action="council.lead.end", obj=current, before=before, after=snapshot(current))
    lead = CouncilLead(
        council=council,
        organisation=organisation,
        unit=_clean(unit),
        unit_en=_clean(unit_en),
        started_on=started_on,
    )
    lead.full_clean(validate_constraints=False)
    lead.save()
    audit(actor=actor, action="council.lead.start", obj=lead, after=snapshot(lead))
    return lead


@transaction.atomic
def council_member_add(
    *, actor: Any, council: Council, organisation: Organisation, group: str, joined_on: date, order: int = 0
) -> CouncilMember:
    existing = CouncilMember.objects.filter(council=council, organisation=organisation).first()
    if existing is not None and existing.left_on is not None:
        raise ValidationError(
            _(
                "This organisation was a member of the council until %(day)s; its membership and seats are kept."
            )
            % {"day": existing.left_on.isoformat()}
        )
    if existing is not None:
        raise ValidationError(_("This organisation is already a member of the council."))
    if group not in CouncilMember.Group.values:
        raise ValidationError({"group": _("Unknown group of member organisations.")})
    member = CouncilMember(
        council=council, organisation=organisation, group=group, joined_on=joined_on, order=order
    )
    member.full_clean()
    member.save()
    audit(actor=actor, action="council.member.add", obj=member, after=snapshot(member))
    return member


@transaction.atomic
def council_member_end(*, actor: Any, member: CouncilMember, left_on: date, note: str = "") -> CouncilMember:
    """The organisation leaves the council on ``left_on`` (the first day it is no longer a member). Its seats
    still held cease that day; the membership and the seat history stay."""
    _lock(member)
    if member.left_on is not None:
        raise ValidationError(_("This organisation has already left the council."))
    if left_on <= member.joined_on:
        raise ValidationError({"left_on": _("The organisation must leave after the day it joined.")})
    before = snapshot(member)
    seats = Seat.objects.select_for_update().filter(member=member, ceased_on__isnull=True)
    for seat in seats.select_related("person", "member__council").order_by("id"):
        seat_cease(
            actor=actor, seat=seat, ceased_on=left_on, note=note or _("The organisation left the council")
        )
    member.left_on = left_on
    member.save(update_fields=["left_on"])
    audit(actor=actor, action="council.member.end", obj=member, before=before, after=snapshot(member))
    return member


@transaction.atomic
def term_create(
    *, actor: Any, council: Council, number: int, starts_on: date, ends_on: date | None = None
) -> Term:
    if number < 1:
        raise ValidationError({"number": _("The term number must be 1 or more.")})
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end date cannot be before the start date.")})
    if Term.objects.filter(council=council, number=number).exists():
        raise ValidationError({"number": _("The council already has a term with this number.")})
    overlapping = Term.objects.filter(council=council).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on),
        **({"starts_on__lte": ends_on} if ends_on else {}),
    )
    if overlapping.exists():
        raise ValidationError(_("Terms of a council cannot overlap."))
    term = Term(council=council, number=number, starts_on=starts_on, ends_on=ends_on)
    term.full_clean()
    term.save()
    audit(actor=actor, action="council.term.create", obj=term, after=snapshot(term))
    return term


@transaction.atomic
def term_start(
    *,
    actor: Any,
    council: Council,
    number: int,
    starts_on: date,
    ends_on: date | None = None,
    close_current: bool = True,
    carry_seats: bool = False,
) -> Term:
    """Start a new term of ``council`` on ``starts_on``, all in one transaction.

    With ``close_current``, the term running on that day ends the day before and its seats still held cease on
    ``starts_on``. With ``carry_seats`` too, each of those seats is first designated again in the new term (same
    person and position), so nobody loses the role in between."""
    running = None
    if close_current:
        running = (
            Term.objects.select_for_update()
            .filter(council=council, starts_on__lt=starts_on)
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on))
            .order_by("-starts_on")
            .first()
        )
    held = _term_end(actor=actor, term=running, ends_on=starts_on - timedelta(days=1)) if running else []
    term = term_create(actor=actor, council=council, number=number, starts_on=starts_on, ends_on=ends_on)
    if carry_seats and running is not None:
        for seat in held:  # seats of an organisation that has left ceased with its membership
            seat_designate(
                actor=actor,
                member=seat.member,
                term=term,
                kind=seat.kind,
                person=seat.person,
                position_title=seat.position_title,
                position_title_en=seat.position_title_en,
                designated_on=starts_on,
                note=_("Continued from term %(n)d") % {"n": running.number},
            )
    _cease_at_term_end(actor=actor, seats=held, ends_on=starts_on - timedelta(days=1))
    return term


@transaction.atomic
def term_close(*, actor: Any, term: Term, ends_on: date) -> Term:
    """End a term on ``ends_on`` (its last day); its seats still held cease the day after."""
    held = _term_end(actor=actor, term=term, ends_on=ends_on)
    _cease_at_term_end(actor=actor, seats=held, ends_on=ends_on)
    return term


def _term_end(*, actor: Any, term: Term, ends_on: date) -> list[Seat]:
    """Set the last day of ``term`` (checked and audited); return its seats still held, which must cease."""
    _lock(term)
    if term.ends_on is not None and term.ends_on < timezone.localdate():
        raise ValidationError(_("This term has already ended."))
    if ends_on < term.starts_on:
        raise ValidationError({"ends_on": _("The end date cannot be before the start date.")})
    later = Term.objects.filter(council=term.council_id, starts_on__gt=term.starts_on, starts_on__lte=ends_on)
    if later.exists():
        raise ValidationError({"ends_on": _("The term must end before the next term starts.")})
    before = snapshot(term)
    term.ends_on = ends_on
    term.save(update_fields=["ends_on"])
    audit(actor=actor, action="council.term.close", obj=term, before=before, after=snapshot(term))
    return list(
        Seat.objects.select_for_update()
        .filter(term=term, ceased_on__isnull=True)
        .select_related("person", "member")
        .order_by("member__order", "kind", "id")
    )


def _cease_at_term_end(*, actor: Any, seats: Sequence[Seat], ends_on: date) -> None:
    for seat in seats:
        seat_cease(actor=actor, seat=seat, ceased_on=ends_on + timedelta(days=1), note=_("End of term"))


@transaction.atomic
def seat_designate(
    *,
    actor: Any,
    member: CouncilMember,
    term: Term,
    kind: str,
    person: User,
    position_title: str,
    designated_on: date,
    position_title_en: str = "",
    note: str = "",
) -> Seat:
    """Designate ``person`` to a seat of ``member`` in ``term``. A current holder of the same seat ceases on
    ``designated_on``: the seat history stays. The person gets the council role that goes with the seat."""
    if term.council_id != member.council_id:
        raise ValidationError(_("The term belongs to another council."))
    if not term.contains(designated_on):
        raise ValidationError({"designated_on": _("The designation date must fall within the term.")})
    if kind not in Seat.Kind.values:
        raise ValidationError({"kind": _("Unknown kind of seat.")})
    if member.left_on is not None and designated_on >= member.left_on:
        raise ValidationError(
            {"designated_on": _("The organisation is no longer a member of the council on that day.")}
        )
    current = (
        Seat.objects.select_for_update()
        .filter(member=member, term=term, kind=kind, ceased_on__isnull=True)
        .select_related("person")
        .first()
    )
    if current is not None:
        if current.person_id == person.pk and current.position_title == position_title:
            return current
        if designated_on < current.designated_on:
            raise ValidationError(_("The new holder cannot start before the current holder was designated."))
        seat_cease(actor=actor, seat=current, ceased_on=designated_on, note=_("Succeeded"))
    seat = Seat(
        member=member,
        term=term,
        kind=kind,
        person=person,
        position_title=_clean(position_title),
        position_title_en=_clean(position_title_en),
        designated_on=designated_on,
        note=_clean(note),
    )
    seat.full_clean(validate_constraints=False)
    seat.save()
    if seat.is_current:
        membership_grant(
            actor=actor,
            user=person,
            role=seat_role(seat),
            organisation=member.organisation,
            title=seat.position_title,
            started_on=min(designated_on, timezone.localdate()),
        )
    audit(actor=actor, action="council.seat.designate", obj=seat, after=snapshot(seat))
    return seat


@transaction.atomic
def seat_cease(*, actor: Any, seat: Seat, ceased_on: date, note: str = "") -> Seat:
    """End a seat. The person loses the council role of the seat unless another current seat gives it."""
    if seat.ceased_on is not None:
        raise ValidationError(_("This seat has already ceased."))
    if ceased_on < seat.designated_on:
        raise ValidationError({"ceased_on": _("The end date cannot be before the designation date.")})
    before = snapshot(seat)
    seat.ceased_on = ceased_on
    if note:
        seat.note = _clean(note)
    seat.save(update_fields=["ceased_on", "note"])
    role = seat_role(seat)
    # another seat of the same organisation that still gives the role after this one ends
    others = (
        Seat.objects.filter(person=seat.person, member__organisation=seat.member.organisation_id)
        .filter(Q(ceased_on__isnull=True) | Q(ceased_on__gt=ceased_on))
        .exclude(pk=seat.pk)
        .select_related("member__council")
    )
    still = any(seat_role(other) == role for other in others)
    if not still:
        # a future date is kept on the membership: the role lapses by itself that day (roles count memberships
        # whose end date is still ahead), so no daily job is needed
        from gvalley.accounts.models import Membership

        for membership in Membership.objects.filter(
            user=seat.person, role=role, organisation=seat.member.organisation_id, ended_on__isnull=True
        ):
            membership_end(actor=actor, membership=membership, ended_on=max(ceased_on, membership.started_on))
    audit(actor=actor, action="council.seat.cease", obj=seat, before=before, after=snapshot(seat))
    return seat


def current_seats(council: Council, day: date | None = None) -> list[Seat]:
    """The seats of ``council`` held on ``day`` (today by default)."""
    day = day or timezone.localdate()
    return list(
        Seat.objects.filter(member__council=council, designated_on__lte=day)
        .filter(Q(ceased_on__isnull=True) | Q(ceased_on__gt=day))
        .filter(Q(member__left_on__isnull=True) | Q(member__left_on__gt=day))
        .select_related("person", "member__organisation", "term")
        .order_by("member__order", "kind")
    )


# --- Meetings ----------------------------------------------------------------------------------------------

MEETING_TEXT = {"title", "title_en", "place", "place_en", "description", "description_en"}
MEETING_FIELDS = MEETING_TEXT | {"starts_at", "ends_at", "online_url", "visibility", "quorum"}
MEETING_CALENDAR_FIELDS = {"title", "title_en", "starts_at", "ends_at", "place", "place_en", "online_url"}


def _check_meeting(meeting: Meeting) -> None:
    council = meeting.council
    allowed = (
        {Meeting.Kind.LOCAL_WORKING}
        if council.kind == Council.Kind.LOCAL_WORKING
        else {Meeting.Kind.PLENARY, Meeting.Kind.WORKING}
    )
    if meeting.kind not in allowed:
        raise ValidationError({"kind": _("This kind of meeting is not held by this council.")})
    if meeting.starts_at and meeting.ends_at and meeting.ends_at <= meeting.starts_at:
        raise ValidationError({"ends_at": _("The meeting must end after it starts.")})
    if not meeting.place and not meeting.online_url:
        raise ValidationError({"place": _("Give a place or an online meeting link.")})


@transaction.atomic
def meeting_schedule(*, actor: Any, council: Council, kind: str, **fields: Any) -> Meeting:
    meeting = Meeting(council=council, kind=kind, created_by=_user(actor))
    _set_fields(meeting, fields, MEETING_FIELDS | {"status"}, MEETING_TEXT)
    _check_meeting(meeting)
    meeting.full_clean()
    meeting.save()
    audit(actor=actor, action="council.meeting.schedule", obj=meeting, after=snapshot(meeting))
    return meeting


@transaction.atomic
def meeting_update(*, actor: Any, meeting: Meeting, notify: bool = True, **fields: Any) -> Meeting:
    """Change a meeting. A change of time or place raises the calendar revision and, once invitations were
    sent, sends every invitee the updated event."""
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("A cancelled meeting cannot be changed."))
    before = snapshot(meeting)
    old = {k: getattr(meeting, k) for k in MEETING_CALENDAR_FIELDS}
    _set_fields(meeting, fields, MEETING_FIELDS, MEETING_TEXT)
    _check_meeting(meeting)
    changed = {k for k in MEETING_CALENDAR_FIELDS if getattr(meeting, k) != old[k]}
    if changed:
        meeting.sequence += 1
    meeting.full_clean()
    meeting.save()
    audit(actor=actor, action="council.meeting.update", obj=meeting, before=before, after=snapshot(meeting))
    if changed and notify and meeting.invitations_sent_at:
        transaction.on_commit(lambda: _send_meeting_mail(meeting, "council/email/meeting_updated", "REQUEST"))
    return meeting


@transaction.atomic
def meeting_cancel(*, actor: Any, meeting: Meeting, reason: str = "", notify: bool = True) -> Meeting:
    if meeting.status != Meeting.Status.SCHEDULED:
        raise ValidationError(_("Only a scheduled meeting can be cancelled."))
    before = snapshot(meeting)
    meeting.status = Meeting.Status.CANCELLED
    meeting.sequence += 1
    meeting.save(update_fields=["status", "sequence", "updated_at"])
    for item in meeting.agenda_items.filter(status=AgendaItem.Status.SCHEDULED):
        item_before = snapshot(item)
        item.meeting = None
        item.status = AgendaItem.Status.PROPOSED
        item.save(update_fields=["meeting", "status", "updated_at"])
        audit(
            actor=actor,
            action="council.agenda_item.unschedule",
            obj=item,
            before=item_before,
            after=snapshot(item),
        )
    audit(
        actor=actor,
        action="council.meeting.cancel",
        obj=meeting,
        before=before,
        after=snapshot(meeting),
        note=reason,
    )
    if meeting.invitations_sent_at and notify:
        transaction.on_commit(
            lambda: _send_meeting_mail(
                meeting, "council/email/meeting_cancelled", "CANCEL", {"reason": reason}
            )
        )
    return meeting


@transaction.atomic
def meeting_mark_held(*, actor: Any, meeting: Meeting) -> Meeting:
    if meeting.status == Meeting.Status.HELD:
        return meeting
    if meeting.status != Meeting.Status.SCHEDULED:
        raise ValidationError(_("Only a scheduled meeting can be marked as held."))
    if meeting.starts_at > timezone.now():
        raise ValidationError(_("A meeting cannot be marked as held before it starts."))
    before = snapshot(meeting)
    meeting.status = Meeting.Status.HELD
    meeting.save(update_fields=["status", "updated_at"])
    audit(actor=actor, action="council.meeting.held", obj=meeting, before=before, after=snapshot(meeting))
    return meeting


def _send_meeting_mail(
    meeting: Meeting,
    template: str,
    method: str,
    extra: dict[str, Any] | None = None,
    *,
    only: Iterable[int] = (),
) -> int:
    """One e-mail per invitee, in their language, with the event (.ics) attached."""
    invitations = Invitation.objects.filter(meeting=meeting).select_related("person", "organisation")
    if only:
        invitations = invitations.filter(pk__in=list(only))
    sent = 0
    url = _site_url(meeting.get_absolute_url())
    for invitation in invitations:
        person = invitation.person
        recipient = notifications.Recipient.from_user(person)
        content = calendar.meeting_ics(meeting, method=method, attendee=person, language=recipient.language)
        sent += notifications.send(
            recipients=[recipient],
            template=template,
            context={"meeting": meeting, "invitation": invitation, "url": url, **(extra or {})},
            attachments=[
                notifications.Attachment(
                    "invite.ics" if method != "CANCEL" else "cancel.ics",
                    content,
                    f"text/calendar; charset=utf-8; method={method}",
                )
            ],
        )
    return sent


@transaction.atomic
def meeting_invite(
    *,
    actor: Any,
    meeting: Meeting,
    seats: Sequence[Seat] | None = None,
    notify: bool = True,
    at: datetime | None = None,
) -> list[Invitation]:
    """Invite the seats (all seats held on the meeting day by default) and e-mail them the event (.ics).

    Seats already invited are not invited twice. Returns the new invitations. ``notify=False`` and ``at`` record
    invitations sent outside the platform (the demo's history).
    """
    if meeting.status != Meeting.Status.SCHEDULED:
        raise ValidationError(_("Invitations can only be sent for a scheduled meeting."))
    day = timezone.localtime(meeting.starts_at).date()
    if seats is None:
        seats = current_seats(meeting.council, day)
    if not seats:
        raise ValidationError(
            _("The council has no seats held on the meeting day: designate the seats first.")
        )
    already = set(Invitation.objects.filter(meeting=meeting).values_list("seat_id", flat=True))
    now = at or timezone.now()
    created = []
    for seat in seats:
        if seat.member.council_id != meeting.council_id:
            raise ValidationError(_("A seat of another council cannot be invited."))
        if seat.pk in already:
            continue
        created.append(
            Invitation.objects.create(
                meeting=meeting,
                seat=seat,
                person=seat.person,
                organisation=seat.member.organisation,
                sent_at=now,
            )
        )
    before = snapshot(meeting, ["invitations_sent_at"])
    meeting.invitations_sent_at = now
    meeting.save(update_fields=["invitations_sent_at"])
    audit(
        actor=actor,
        action="council.meeting.invite",
        obj=meeting,
        before=before,
        after={"invitations_sent_at": now.isoformat(), "invited_seats": [i.seat_id for i in created]},
    )
    ids = [i.pk for i in created]
    if ids and notify:
        transaction.on_commit(
            lambda: _send_meeting_mail(meeting, "council/email/invitation", "REQUEST", only=ids)
        )
    return created


@transaction.atomic
def invitation_respond(*, actor: Any, invitation: Invitation, response: str, note: str = "") -> Invitation:
    if _user(actor) is None or actor.pk != invitation.person_id:
        raise ValidationError(_("Only the invited person can answer this invitation."))
    if response not in (
        Invitation.Response.ACCEPTED,
        Invitation.Response.TENTATIVE,
        Invitation.Response.DECLINED,
    ):
        raise ValidationError({"response": _("Choose whether you will attend.")})
    if invitation.meeting.status != Meeting.Status.SCHEDULED:
        raise ValidationError(_("This meeting is no longer open for answers."))
    before = snapshot(invitation)
    invitation.response = response
    invitation.response_note = _clean(note)[:300]
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["response", "response_note", "responded_at"])
    audit(
        actor=actor,
        action="council.invitation.respond",
        obj=invitation,
        before=before,
        after=snapshot(invitation),
    )
    return invitation


@dataclass
class AttendanceRow:
    organisation: Organisation
    present: bool
    attendee_names: str = ""
    note: str = ""


@transaction.atomic
def attendance_record(
    *, actor: Any, meeting: Meeting, rows: Sequence[AttendanceRow], mark_held: bool = True
) -> list[Attendance]:
    """Record attendance per member organisation (all rows or none) and, by default, mark the meeting held."""
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("Attendance cannot be recorded for a cancelled meeting."))
    if meeting.starts_at > timezone.now():
        raise ValidationError(_("Attendance can be recorded once the meeting has started."))
    member_orgs = set(
        CouncilMember.objects.filter(council=meeting.council).values_list("organisation_id", flat=True)
    )
    seen: set[int] = set()
    result = []
    for row in rows:
        if row.organisation.pk not in member_orgs:
            raise ValidationError(
                _("%(org)s is not a member organisation of this council.") % {"org": row.organisation}
            )
        if row.organisation.pk in seen:
            raise ValidationError(_("%(org)s appears twice.") % {"org": row.organisation})
        seen.add(row.organisation.pk)
        attendance = Attendance.objects.filter(meeting=meeting, organisation=row.organisation).first()
        before = snapshot(attendance)
        if attendance is None:
            attendance = Attendance(meeting=meeting, organisation=row.organisation)
        attendance.present = row.present
        attendance.attendee_names = _clean(row.attendee_names)[:300]
        attendance.note = _clean(row.note)[:300]
        attendance.save()
        audit(
            actor=actor,
            action="council.attendance.record",
            obj=attendance,
            before=before,
            after=snapshot(attendance),
        )
        result.append(attendance)
    if mark_held:
        meeting_mark_held(actor=actor, meeting=meeting)
    return result


@dataclass(frozen=True)
class Quorum:
    members: int
    required: int
    present: int
    accepted: int

    @property
    def met(self) -> bool:
        return self.present >= self.required

    @property
    def expected(self) -> bool:
        return self.accepted >= self.required


def quorum_for(meeting: Meeting, *, members: int, present: int, accepted: int) -> Quorum:
    required = meeting.quorum or (members // 2 + 1 if members else 0)
    return Quorum(members=members, required=required, present=present, accepted=accepted)


@transaction.atomic
def document_attach(
    *,
    actor: Any,
    title: str,
    file: UploadedFile,
    meeting: Meeting | None = None,
    agenda_item: AgendaItem | None = None,
    title_en: str = "",
    visibility: str = Visibility.MEMBERS,
) -> Document:
    if (meeting is None) == (agenda_item is None):
        raise ValidationError(_("Attach the document to a meeting or to an agenda item."))
    document = Document(
        meeting=meeting,
        agenda_item=agenda_item,
        title=_clean(title),
        title_en=_clean(title_en),
        visibility=visibility,
        uploaded_by=_user(actor),
        size=file.size or 0,
    )
    document.file.save(file.name or "document", file, save=False)
    document.full_clean()
    document.save()
    audit(actor=actor, action="council.document.attach", obj=document, after=snapshot(document))
    return document


@transaction.atomic
def document_remove(*, actor: Any, document: Document) -> None:
    before = snapshot(document)
    audit(actor=actor, action="council.document.remove", obj=document, before=before)
    storage, name = document.file.storage, document.file.name
    document.delete()
    transaction.on_commit(lambda: storage.delete(name) if name else None)


def meeting_send_reminders(*, now: datetime | None = None, hours_ahead: int = 48) -> int:
    """Remind invitees (not those who declined) of scheduled meetings starting within ``hours_ahead`` hours.

    Each meeting is reminded once. Returns the number of e-mails sent. Run it hourly (``manage.py
    council_reminders`` from cron, or the ``send_reminders`` task).
    """
    now = now or timezone.now()
    sent = 0
    meetings = Meeting.objects.filter(
        status=Meeting.Status.SCHEDULED,
        starts_at__gt=now,
        starts_at__lte=now + timedelta(hours=hours_ahead),
        reminder_sent_at__isnull=True,
        invitations_sent_at__isnull=False,
    )
    for meeting in meetings:
        with transaction.atomic():
            locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
            if locked.reminder_sent_at is not None:
                continue
            locked.reminder_sent_at = now
            locked.save(update_fields=["reminder_sent_at"])
            audit(
                actor=None,
                action="council.meeting.remind",
                obj=locked,
                after={"reminder_sent_at": now.isoformat()},
            )
            ids = list(
                Invitation.objects.filter(meeting=locked)
                .exclude(response=Invitation.Response.DECLINED)
                .values_list("pk", flat=True)
            )
        if ids:
            sent += _send_meeting_mail(locked, "council/email/meeting_reminder", "REQUEST", only=ids)
    return sent


# --- Agenda ------------------------------------------------------------------------------------------------

AGENDA_TEXT = {"title", "title_en", "description", "description_en", "source_note", "presenter_name"}
AGENDA_FIELDS = AGENDA_TEXT | {
    "origin",
    "proposing_organisation",
    "presenter_organisation",
    "duration_minutes",
    "plan_line",
    "visibility",
    "order",
}


@transaction.atomic
def agenda_item_propose(
    *,
    actor: Any,
    council: Council,
    title: str,
    description: str,
    origin: str,
    presenter_organisation: Organisation | None = None,
    meeting: Meeting | None = None,
    title_en: str = "",
    source_note: str = "",
    **fields: Any,
) -> AgendaItem:
    """Put an item on the council's agenda: proposed, or scheduled at once when ``meeting`` is given.

    The requests app calls this when a request is escalated to the council (``origin=AgendaItem.Origin.REQUEST``).
    Other fields (``proposing_organisation``, ``presenter_name``, ``duration_minutes``, ``plan_line``,
    ``visibility``, ``description_en``, ``carried_from``) may be given as keywords.
    """
    unknown = set(fields) - (AGENDA_FIELDS | {"carried_from"})
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    if origin not in AgendaItem.Origin.values:
        raise ValidationError({"origin": _("Unknown origin of an agenda item.")})
    if meeting is not None:
        _check_schedulable(council, meeting)
    item = AgendaItem(
        council=council,
        title=_clean(title),
        title_en=_clean(title_en),
        description=_clean(description),
        origin=origin,
        source_note=_clean(source_note),
        presenter_organisation=presenter_organisation,
        meeting=meeting,
        status=AgendaItem.Status.SCHEDULED if meeting is not None else AgendaItem.Status.PROPOSED,
        created_by=_user(actor),
    )
    for key, value in fields.items():
        setattr(item, key, _clean(value) if key in AGENDA_TEXT else value)
    if meeting is not None and not fields.get("order"):
        item.order = _next_order(meeting)
    item.full_clean()
    item.save()
    audit(actor=actor, action="council.agenda_item.propose", obj=item, after=snapshot(item))
    return item


def _next_order(meeting: Meeting) -> int:
    last = meeting.agenda_items.order_by("-order").values_list("order", flat=True).first()
    return (last or 0) + 1


def _check_schedulable(council: Council, meeting: Meeting) -> None:
    if meeting.council_id != council.pk:
        raise ValidationError({"meeting": _("The meeting belongs to another council.")})
    if meeting.status != Meeting.Status.SCHEDULED:
        raise ValidationError({"meeting": _("Items can only be added to a scheduled meeting.")})


@transaction.atomic
def agenda_item_update(*, actor: Any, item: AgendaItem, **fields: Any) -> AgendaItem:
    if item.status in (AgendaItem.Status.CARRIED_OVER, AgendaItem.Status.WITHDRAWN):
        raise ValidationError(_("This agenda item is closed and cannot be changed."))
    before = snapshot(item)
    _set_fields(item, fields, AGENDA_FIELDS, AGENDA_TEXT)
    item.full_clean()
    item.save()
    audit(actor=actor, action="council.agenda_item.update", obj=item, before=before, after=snapshot(item))
    return item


@transaction.atomic
def agenda_item_schedule(
    *, actor: Any, item: AgendaItem, meeting: Meeting, order: int | None = None
) -> AgendaItem:
    if item.status not in (AgendaItem.Status.PROPOSED, AgendaItem.Status.SCHEDULED):
        raise ValidationError(_("Only a proposed item can be put on a meeting's agenda."))
    _check_schedulable(item.council, meeting)
    before = snapshot(item)
    item.meeting = meeting
    item.status = AgendaItem.Status.SCHEDULED
    item.order = order or _next_order(meeting)
    item.save(update_fields=["meeting", "status", "order", "updated_at"])
    audit(actor=actor, action="council.agenda_item.schedule", obj=item, before=before, after=snapshot(item))
    return item


@transaction.atomic
def agenda_reorder(*, actor: Any, meeting: Meeting, item_ids: Sequence[int]) -> None:
    if meeting.status != Meeting.Status.SCHEDULED:
        raise ValidationError(_("Only the agenda of a scheduled meeting can be reordered."))
    items = {i.pk: i for i in meeting.agenda_items.select_for_update()}
    if len(item_ids) != len(items) or set(item_ids) != set(items):
        raise ValidationError(_("The new order must list every item of the agenda once."))
    before = {pk: i.order for pk, i in items.items()}
    for position, pk in enumerate(item_ids, start=1):
        if items[pk].order != position:
            items[pk].order = position
            items[pk].save(update_fields=["order"])
    audit(
        actor=actor,
        action="council.agenda.reorder",
        obj=meeting,
        before={"order": before},
        after={"order": {pk: n for n, pk in enumerate(item_ids, start=1)}},
    )


@transaction.atomic
def agenda_item_carry_over(*, actor: Any, item: AgendaItem, meeting: Meeting | None = None) -> AgendaItem:
    """The item was not concluded: a new item (origin "carry-over") continues it, on ``meeting`` if given."""
    if item.status not in (AgendaItem.Status.SCHEDULED, AgendaItem.Status.DISCUSSED):
        raise ValidationError(_("Only an item that was on a meeting's agenda can be carried over."))
    if meeting is not None and item.meeting_id == meeting.pk:
        raise ValidationError({"meeting": _("Carry the item over to a later meeting.")})
    before = snapshot(item)
    item.status = AgendaItem.Status.CARRIED_OVER
    item.save(update_fields=["status", "updated_at"])
    audit(actor=actor, action="council.agenda_item.carry_over", obj=item, before=before, after=snapshot(item))
    new = agenda_item_propose(
        actor=actor,
        council=item.council,
        title=item.title,
        title_en=item.title_en,
        description=item.description,
        description_en=item.description_en,
        origin=AgendaItem.Origin.CARRY_OVER,
        source_note=item.source_note,
        presenter_organisation=item.presenter_organisation,
        proposing_organisation=item.proposing_organisation,
        presenter_name=item.presenter_name,
        duration_minutes=item.duration_minutes,
        plan_line=item.plan_line,
        visibility=item.visibility,
        meeting=meeting,
        carried_from=item,
    )
    if item.works_on.exists():
        new.works_on.set(item.works_on.all())
    return new


@transaction.atomic
def agenda_item_withdraw(*, actor: Any, item: AgendaItem, reason: str = "") -> AgendaItem:
    if item.status not in (AgendaItem.Status.PROPOSED, AgendaItem.Status.SCHEDULED):
        raise ValidationError(_("Only an item not yet discussed can be withdrawn."))
    before = snapshot(item)
    item.status = AgendaItem.Status.WITHDRAWN
    item.save(update_fields=["status", "updated_at"])
    audit(
        actor=actor,
        action="council.agenda_item.withdraw",
        obj=item,
        before=before,
        after=snapshot(item),
        note=reason,
    )
    return item


@transaction.atomic
def agenda_item_link_works_on(*, actor: Any, item: AgendaItem, targets: Sequence[AgendaItem]) -> AgendaItem:
    """A local working council's item works on items of the council it works under."""
    council = item.council
    if council.parent_id is None:
        raise ValidationError(_("Only items of a local working council work on the council's items."))
    for target in targets:
        if target.council_id != council.parent_id:
            raise ValidationError(_("Link only to items of the council this one works under."))
    before = {"works_on": sorted(item.works_on.values_list("pk", flat=True))}
    item.works_on.set(targets)
    audit(
        actor=actor,
        action="council.agenda_item.works_on",
        obj=item,
        before=before,
        after={"works_on": sorted(t.pk for t in targets)},
    )
    return item


# --- Decisions ---------------------------------------------------------------------------------------------


def _check_votes(method: str, votes: dict[str, int | None]) -> dict[str, int | None]:
    if method not in Decision.Method.values:
        raise ValidationError({"method": _("Unknown decision method.")})
    if method == Decision.Method.VOTE:
        if any(v is None for v in votes.values()):
            raise ValidationError(_("A vote needs the number of votes for, against and abstentions."))
        if sum(v or 0 for v in votes.values()) == 0:
            raise ValidationError(_("A vote needs at least one vote."))
        return votes
    return dict.fromkeys(votes)


@transaction.atomic
def decision_record(
    *,
    actor: Any,
    agenda_item: AgendaItem,
    text: str,
    method: str,
    text_en: str = "",
    votes_for: int | None = None,
    votes_against: int | None = None,
    votes_abstain: int | None = None,
    decided_on: date | None = None,
    visibility: str | None = None,
) -> Decision:
    if agenda_item.status not in (AgendaItem.Status.SCHEDULED, AgendaItem.Status.DISCUSSED):
        raise ValidationError(_("Decisions are recorded on items that were on a meeting's agenda."))
    meeting = agenda_item.meeting
    if meeting is None or meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("Decisions are recorded on items that were on a meeting's agenda."))
    if meeting.starts_at > timezone.now():
        raise ValidationError(_("Decisions can be recorded once the meeting has started."))
    votes = _check_votes(
        method, {"votes_for": votes_for, "votes_against": votes_against, "votes_abstain": votes_abstain}
    )
    decision = Decision(
        agenda_item=agenda_item,
        text=_clean(text),
        text_en=_clean(text_en),
        method=method,
        decided_on=decided_on or timezone.localtime(meeting.starts_at).date(),
        visibility=visibility or agenda_item.visibility,
        order=agenda_item.decisions.count() + 1,
        created_by=_user(actor),
        **votes,
    )
    decision.full_clean()
    decision.save()
    audit(actor=actor, action="council.decision.record", obj=decision, after=snapshot(decision))
    if agenda_item.status != AgendaItem.Status.DISCUSSED and method != Decision.Method.DEFERRED:
        before = snapshot(agenda_item)
        agenda_item.status = AgendaItem.Status.DISCUSSED
        agenda_item.save(update_fields=["status", "updated_at"])
        audit(
            actor=actor,
            action="council.agenda_item.discussed",
            obj=agenda_item,
            before=before,
            after=snapshot(agenda_item),
        )
    return decision


@transaction.atomic
def decision_update(*, actor: Any, decision: Decision, **fields: Any) -> Decision:
    allowed = {"text", "text_en", "method", "votes_for", "votes_against", "votes_abstain", "visibility"}
    minutes_locked = Minutes.objects.filter(
        meeting=decision.agenda_item.meeting_id, status__in=[Minutes.Status.APPROVED, Minutes.Status.LOCKED]
    ).exists()
    if minutes_locked and ({"text", "method", "votes_for", "votes_against", "votes_abstain"} & set(fields)):
        raise ValidationError(
            _("The minutes of this meeting are approved: the decision can no longer be changed.")
        )
    before = snapshot(decision)
    _set_fields(decision, fields, allowed, {"text", "text_en"})
    votes = _check_votes(
        decision.method,
        {
            "votes_for": decision.votes_for,
            "votes_against": decision.votes_against,
            "votes_abstain": decision.votes_abstain,
        },
    )
    for key, value in votes.items():
        setattr(decision, key, value)
    decision.full_clean()
    decision.save()
    audit(
        actor=actor, action="council.decision.update", obj=decision, before=before, after=snapshot(decision)
    )
    return decision


# --- Action items ------------------------------------------------------------------------------------------


@transaction.atomic
def action_item_create(
    *,
    actor: Any,
    title: str,
    owner_organisation: Organisation,
    due_on: date,
    decision: Decision | None = None,
    parent: ActionItem | None = None,
    owner_person: User | None = None,
    title_en: str = "",
    description: str = "",
    plan_line: PlanLine | None = None,
    visibility: str | None = None,
) -> ActionItem:
    """An action item from a decision, or a sub-item of ``parent`` (whose progress is then rolled up)."""
    if parent is not None:
        if parent.is_closed:
            raise ValidationError(_("A closed action item cannot be split."))
        if decision is not None and decision.pk != parent.decision_id:
            raise ValidationError(_("A sub-item belongs to the decision of its parent."))
        if parent.parent_id is not None:
            raise ValidationError(_("Sub-items cannot be split further."))
        decision = parent.decision
        plan_line = plan_line or parent.plan_line
    if decision is None:
        raise ValidationError(_("An action item comes from a decision."))
    if decision.method == Decision.Method.DEFERRED:
        raise ValidationError(_("A deferred decision has no action items."))
    item = ActionItem(
        decision=decision,
        parent=parent,
        title=_clean(title),
        title_en=_clean(title_en),
        description=_clean(description),
        owner_organisation=owner_organisation,
        owner_person=owner_person,
        due_on=due_on,
        plan_line=plan_line or decision.agenda_item.plan_line,
        visibility=visibility or decision.visibility,
        created_by=_user(actor),
    )
    item.full_clean()
    item.save()
    audit(actor=actor, action="council.action_item.create", obj=item, after=snapshot(item))
    if parent is not None:
        _rollup(actor, parent)
    return item


ACTION_FIELDS = {
    "title",
    "title_en",
    "description",
    "owner_organisation",
    "owner_person",
    "due_on",
    "plan_line",
    "visibility",
}


@transaction.atomic
def action_item_update(*, actor: Any, item: ActionItem, **fields: Any) -> ActionItem:
    before = snapshot(item)
    _set_fields(item, fields, ACTION_FIELDS, {"title", "title_en", "description"})
    item.full_clean()
    item.save()
    audit(actor=actor, action="council.action_item.update", obj=item, before=before, after=snapshot(item))
    return item


def _status_for(progress: int) -> str:
    if progress >= 100:
        return ActionItem.Status.DONE
    if progress > 0:
        return ActionItem.Status.IN_PROGRESS
    return ActionItem.Status.OPEN


@transaction.atomic
def action_item_report(
    *,
    actor: Any,
    item: ActionItem,
    progress: int,
    note: str = "",
    file: UploadedFile | None = None,
    cancel: bool = False,
    on: date | None = None,
) -> ActionUpdate:
    """Report progress (0–100 %) with evidence; 100 % closes the item as done. Items split into sub-items
    take their progress from them and cannot be reported directly."""
    if item.children.exists():
        raise ValidationError(_("This item is split into sub-items: report progress on the sub-items."))
    if item.is_closed:
        raise ValidationError(_("This action item is closed."))
    if not 0 <= progress <= 100:
        raise ValidationError({"progress": _("Progress is a percentage between 0 and 100.")})
    if progress < item.progress and not cancel:
        raise ValidationError({"progress": _("Progress cannot go down; explain a setback in the note.")})
    if not note.strip() and not file and not cancel and progress == 100:
        raise ValidationError({"note": _("Describe the evidence that the action is done.")})
    today = on or timezone.localdate()
    before = snapshot(item)
    if cancel:
        if not note.strip():
            raise ValidationError({"note": _("Give the reason for cancelling.")})
        item.status = ActionItem.Status.CANCELLED
    else:
        item.progress = progress
        item.status = _status_for(progress)
        item.completed_on = today if item.status == ActionItem.Status.DONE else None
    item.save(update_fields=["progress", "status", "completed_on", "updated_at"])
    update = ActionUpdate(
        action_item=item,
        author=_user(actor),
        progress=item.progress,
        status=item.status,
        note=_clean(note),
    )
    if on is not None:
        update.at = timezone.make_aware(datetime.combine(on, datetime.min.time().replace(hour=12)))
    if file is not None:
        update.file.save(file.name or "evidence", file, save=False)
    update.save()
    audit(actor=actor, action="council.action_item.report", obj=item, before=before, after=snapshot(item))
    if item.parent_id:
        _rollup(actor, item.parent)  # type: ignore[arg-type]
    return update


def rolled_up(children: Iterable[ActionItem]) -> tuple[int, str, date | None]:
    """Progress, status and completion date of an item from its sub-items (cancelled ones do not count)."""
    active = [c for c in children if c.status != ActionItem.Status.CANCELLED]
    if not active:
        return 0, ActionItem.Status.CANCELLED, None
    progress = round(sum(c.progress for c in active) / len(active))
    if all(c.status == ActionItem.Status.DONE for c in active):
        return 100, ActionItem.Status.DONE, max(c.completed_on for c in active if c.completed_on)
    return min(progress, 99), _status_for(min(progress, 99)), None


def _rollup(actor: Any, parent: ActionItem) -> None:
    parent = ActionItem.objects.select_for_update().get(pk=parent.pk)
    progress, status, completed = rolled_up(list(parent.children.all()))
    if (parent.progress, parent.status, parent.completed_on) == (progress, status, completed):
        return
    before = snapshot(parent)
    parent.progress, parent.status, parent.completed_on = progress, status, completed
    parent.save(update_fields=["progress", "status", "completed_on", "updated_at"])
    audit(actor=actor, action="council.action_item.rollup", obj=parent, before=before, after=snapshot(parent))


def action_items_send_reminders(
    *, today: date | None = None, days_before: int = 7, every_days: int = 7
) -> int:
    """E-mail the responsible person of each open action item due within ``days_before`` days or overdue,
    at most once every ``every_days`` days. Returns the number of e-mails sent."""
    today = today or timezone.localdate()
    items = (
        ActionItem.objects.filter(
            status__in=[ActionItem.Status.OPEN, ActionItem.Status.IN_PROGRESS],
            due_on__lte=today + timedelta(days=days_before),
            owner_person__isnull=False,
            children__isnull=True,
        )
        .filter(
            Q(last_reminded_on__isnull=True) | Q(last_reminded_on__lte=today - timedelta(days=every_days))
        )
        .select_related("owner_person", "owner_organisation")
    )
    sent = 0
    for item in items:
        with transaction.atomic():
            ActionItem.objects.filter(pk=item.pk).update(last_reminded_on=today)
            audit(
                actor=None,
                action="council.action_item.remind",
                obj=item,
                after={"last_reminded_on": today.isoformat()},
            )
        sent += notifications.send(
            recipients=[notifications.Recipient.from_user(item.owner_person)],
            template="council/email/action_reminder",
            context={
                "item": item,
                "overdue": item.due_on < today,
                "days_left": (item.due_on - today).days,
                "url": _site_url(item.get_absolute_url()),
            },
        )
    return sent


# --- Minutes -----------------------------------------------------------------------------------------------


@transaction.atomic
def minutes_draft(
    *, actor: Any, meeting: Meeting, body: str, body_en: str = "", visibility: str | None = None
) -> Minutes:
    if meeting.status != Meeting.Status.HELD:
        raise ValidationError(_("Minutes are written for a meeting that was held."))
    if Minutes.objects.filter(meeting=meeting).exists():
        raise ValidationError(_("This meeting already has minutes; edit them or make a correction."))
    minutes = Minutes(
        meeting=meeting,
        version=1,
        body=_clean(body),
        body_en=_clean(body_en),
        visibility=visibility or meeting.visibility,
        created_by=_user(actor),
    )
    minutes.full_clean()
    minutes.save()
    audit(actor=actor, action="council.minutes.draft", obj=minutes, after=snapshot(minutes))
    return minutes


@transaction.atomic
def minutes_edit(*, actor: Any, minutes: Minutes, body: str, body_en: str = "") -> Minutes:
    """Edit the text. After circulation an edit is an amendment; earlier approvals no longer count."""
    minutes = _lock(minutes)
    if not minutes.is_editable:
        raise ValidationError(_("Approved or locked minutes cannot be edited; make a correction instead."))
    before = snapshot(minutes)
    minutes.body, minutes.body_en = _clean(body), _clean(body_en)
    if not minutes.body:
        raise ValidationError({"body": _("The minutes cannot be empty.")})
    if minutes.status in (Minutes.Status.CIRCULATED, Minutes.Status.AMENDED):
        minutes.status = Minutes.Status.AMENDED
        minutes.approvals.all().delete()
    minutes.save()
    audit(actor=actor, action="council.minutes.edit", obj=minutes, before=before, after=snapshot(minutes))
    return minutes


def minutes_recipients(minutes: Minutes) -> list[User]:
    """The attendees: invited seat holders of the organisations present (all invitees if none recorded)."""
    meeting = minutes.meeting
    present = list(meeting.attendances.filter(present=True).values_list("organisation_id", flat=True))
    invitations = Invitation.objects.filter(meeting=meeting).select_related("person")
    if present:
        invitations = invitations.filter(organisation_id__in=present)
    people: dict[int, User] = {}
    for invitation in invitations:
        people.setdefault(invitation.person_id, invitation.person)
    return list(people.values())


@transaction.atomic
def minutes_circulate(*, actor: Any, minutes: Minutes, notify: bool = True) -> Minutes:
    minutes = _lock(minutes)
    if minutes.status not in (Minutes.Status.DRAFT, Minutes.Status.AMENDED):
        raise ValidationError(_("Only draft or amended minutes can be circulated."))
    before = snapshot(minutes)
    minutes.status = Minutes.Status.CIRCULATED
    minutes.circulated_at = timezone.now()
    minutes.save(update_fields=["status", "circulated_at", "updated_at"])
    audit(
        actor=actor, action="council.minutes.circulate", obj=minutes, before=before, after=snapshot(minutes)
    )
    if not notify:
        return minutes
    recipients = minutes_recipients(minutes)
    url = _site_url(minutes.get_absolute_url())
    transaction.on_commit(
        lambda: notifications.send(
            recipients=[notifications.Recipient.from_user(u) for u in recipients],
            template="council/email/minutes_circulated",
            context={"minutes": minutes, "meeting": minutes.meeting, "url": url},
        )
    )
    return minutes


@transaction.atomic
def minutes_comment(*, actor: Any, minutes: Minutes, body: str) -> MinutesComment:
    if minutes.status not in (Minutes.Status.CIRCULATED, Minutes.Status.AMENDED):
        raise ValidationError(_("Comments are taken while the minutes are circulated."))
    text = _clean(body)
    if not text:
        raise ValidationError({"body": _("Write a comment.")})
    comment = MinutesComment.objects.create(minutes=minutes, author=actor, body=text)
    audit(actor=actor, action="council.minutes.comment", obj=minutes, after=snapshot(comment))
    return comment


@transaction.atomic
def minutes_comment_resolve(*, actor: Any, comment: MinutesComment) -> MinutesComment:
    if comment.resolved_at is None:
        before = snapshot(comment)
        comment.resolved_at = timezone.now()
        comment.save(update_fields=["resolved_at"])
        audit(
            actor=actor,
            action="council.minutes.comment_resolve",
            obj=comment.minutes,
            before=before,
            after=snapshot(comment),
        )
    return comment


def co_chair_councils(user: Any, day: date | None = None) -> set[int]:
    """The councils in which ``user`` holds a co-chair seat today (a local council's co-chairs are the
    co-chairs of the council it works under)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    day = day or timezone.localdate()
    ids = set(
        Seat.objects.filter(person=user, kind=Seat.Kind.CO_CHAIR, designated_on__lte=day)
        .filter(Q(ceased_on__isnull=True) | Q(ceased_on__gt=day))
        .values_list("member__council_id", flat=True)
    )
    if ids:
        ids |= set(Council.objects.filter(parent_id__in=ids).values_list("pk", flat=True))
    return ids


@transaction.atomic
def minutes_approve(*, actor: Any, minutes: Minutes) -> MinutesApproval:
    """A member's approval; a co-chair's approval approves the minutes."""
    minutes = _lock(minutes)
    if minutes.status not in (Minutes.Status.CIRCULATED, Minutes.Status.AMENDED):
        raise ValidationError(_("Only circulated minutes can be approved."))
    if _user(actor) is None:
        raise ValidationError(_("Log in to approve the minutes."))
    is_co_chair = minutes.meeting.council_id in co_chair_councils(actor)
    if not is_co_chair and not actor.has_role(Role.COUNCIL_MEMBER):
        raise ValidationError(_("Only council members and co-chairs approve minutes."))
    if MinutesApproval.objects.filter(minutes=minutes, user=actor).exists():
        raise ValidationError(_("You have already approved this version."))
    approval = MinutesApproval.objects.create(
        minutes=minutes,
        user=actor,
        role=MinutesApproval.Role.CO_CHAIR if is_co_chair else MinutesApproval.Role.MEMBER,
    )
    audit(actor=actor, action="council.minutes.approval", obj=minutes, after=snapshot(approval))
    if is_co_chair:
        before = snapshot(minutes)
        minutes.status = Minutes.Status.APPROVED
        minutes.approved_at = timezone.now()
        minutes.approved_by = actor
        minutes.save(update_fields=["status", "approved_at", "approved_by", "updated_at"])
        audit(
            actor=actor, action="council.minutes.approve", obj=minutes, before=before, after=snapshot(minutes)
        )
    return approval


def minutes_hash(minutes: Minutes) -> str:
    content = "\n\x1e\n".join([str(minutes.meeting_id), str(minutes.version), minutes.body, minutes.body_en])
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


@transaction.atomic
def minutes_lock(*, actor: Any, minutes: Minutes) -> Minutes:
    """Lock approved minutes: from now on they are never edited (a correction is a new version)."""
    minutes = _lock(minutes)
    if minutes.status != Minutes.Status.APPROVED:
        raise ValidationError(_("Only approved minutes can be locked."))
    before = snapshot(minutes)
    minutes.status = Minutes.Status.LOCKED
    minutes.locked_at = timezone.now()
    minutes.locked_by = _user(actor)
    minutes.content_hash = minutes_hash(minutes)
    minutes.save(update_fields=["status", "locked_at", "locked_by", "content_hash", "updated_at"])
    audit(actor=actor, action="council.minutes.lock", obj=minutes, before=before, after=snapshot(minutes))
    return minutes


@transaction.atomic
def minutes_correct(*, actor: Any, minutes: Minutes, body: str, reason: str, body_en: str = "") -> Minutes:
    """A correction of locked minutes: a new version (draft) that supersedes it, with the reason."""
    minutes = _lock(minutes)
    if minutes.status != Minutes.Status.LOCKED:
        raise ValidationError(_("Only locked minutes are corrected; edit the current version instead."))
    if Minutes.objects.filter(supersedes=minutes).exists():
        raise ValidationError(_("This version has already been corrected."))
    reason = _clean(reason)
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the correction.")})
    new = Minutes(
        meeting_id=minutes.meeting_id,
        version=minutes.version + 1,
        body=_clean(body),
        body_en=_clean(body_en),
        supersedes=minutes,
        correction_reason=reason[:500],
        visibility=minutes.visibility,
        created_by=_user(actor),
    )
    new.full_clean()
    new.save()
    audit(actor=actor, action="council.minutes.correct", obj=new, after=snapshot(new), note=reason)
    return new


# --- Yearly plan -------------------------------------------------------------------------------------------


@transaction.atomic
def plan_create(
    *, actor: Any, council: Council, title: str, starts_on: date, ends_on: date, **fields: Any
) -> PlanProgramme:
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The plan must end on or after the day it starts.")})
    plan = PlanProgramme(council=council, title=_clean(title), starts_on=starts_on, ends_on=ends_on)
    _set_fields(
        plan,
        fields,
        {"title_en", "description", "description_en"},
        {"title_en", "description", "description_en"},
    )
    plan.full_clean()
    plan.save()
    audit(actor=actor, action="council.plan.create", obj=plan, after=snapshot(plan))
    return plan


def _line_period(
    plan: PlanProgramme, year: int, starts_on: date | None, ends_on: date | None
) -> tuple[date, date]:
    start = starts_on or max(date(year, 1, 1), plan.starts_on)
    end = ends_on or min(date(year, 12, 31), plan.ends_on)
    if start.year != year or end.year != year:
        raise ValidationError(_("The period of a plan line must fall within its year."))
    if start < plan.starts_on or end > plan.ends_on:
        raise ValidationError(_("The period of a plan line must fall within the plan."))
    if end < start:
        raise ValidationError(_("The period must end after it starts."))
    return start, end


LINE_TEXT = {"title", "title_en", "description", "description_en"}


@transaction.atomic
def plan_line_save(
    *,
    actor: Any,
    plan: PlanProgramme,
    year: int,
    title: str,
    starts_on: date | None = None,
    ends_on: date | None = None,
    **fields: Any,
) -> PlanLine:
    """Create the plan line (plan, year, title) or update it if it exists."""
    start, end = _line_period(plan, year, starts_on, ends_on)
    title = _clean(title)
    line = PlanLine.objects.filter(plan=plan, year=year, title=title).first()
    before = snapshot(line)
    if line is None:
        line = PlanLine(plan=plan, year=year, title=title)
    line.starts_on, line.ends_on = start, end
    _set_fields(line, fields, LINE_TEXT | {"order", "visibility"}, LINE_TEXT)
    line.full_clean()
    line.save()
    audit(
        actor=actor,
        action="council.plan_line.update" if before else "council.plan_line.create",
        obj=line,
        before=before,
        after=snapshot(line),
    )
    return line


@transaction.atomic
def indicator_set(
    *,
    actor: Any,
    line: PlanLine,
    metric: str,
    label: str,
    target: Decimal | int | float,
    label_en: str = "",
    unit: str = "",
    unit_en: str = "",
    order: int = 0,
) -> Indicator:
    """Set the indicator of ``line`` measured by ``metric`` (created or updated). The actual value is never
    stored: it is computed by the metric."""
    from django.core.validators import validate_slug

    try:
        validate_slug(metric)
    except ValidationError:
        raise ValidationError({"metric": _("A metric key is made of letters, digits and underscores.")})
    from .metrics import owned_target

    owned = owned_target(metric, line.year)
    if owned is not None:  # kept by another app (e.g. the yearly visit plan): that one wins
        target = owned
    try:
        target_value = Decimal(str(target))
    except InvalidOperation:
        raise ValidationError({"target": _("The target must be a number.")})
    if target_value < 0:
        raise ValidationError({"target": _("The target cannot be negative.")})
    indicator = Indicator.objects.filter(line=line, metric=metric).first()
    before = snapshot(indicator)
    if indicator is None:
        indicator = Indicator(line=line, metric=metric)
    indicator.label, indicator.label_en = _clean(label), _clean(label_en)
    indicator.unit, indicator.unit_en = _clean(unit), _clean(unit_en)
    indicator.target, indicator.order = target_value, order
    indicator.full_clean()
    indicator.save()
    audit(
        actor=actor, action="council.indicator.set", obj=indicator, before=before, after=snapshot(indicator)
    )
    return indicator


@transaction.atomic
def indicator_targets_sync(*, actor: Any, metric: str, year: int, target: Decimal | int | float) -> int:
    """Another app changed the target it keeps for ``metric`` in ``year`` (see ``metrics.owned_target``): every
    indicator of that metric on a plan line of that year takes it. Returns the number of indicators changed."""
    value = Decimal(str(target)).quantize(Decimal("0.01"))
    changed = 0
    for indicator in Indicator.objects.select_for_update().filter(metric=metric, line__year=year):
        if indicator.target == value:
            continue
        before = snapshot(indicator)
        indicator.target = value
        indicator.save(update_fields=["target"])
        audit(
            actor=actor,
            action="council.indicator.target_sync",
            obj=indicator,
            before=before,
            after=snapshot(indicator),
        )
        changed += 1
    return changed


@transaction.atomic
def indicator_remove(*, actor: Any, indicator: Indicator) -> None:
    audit(actor=actor, action="council.indicator.remove", obj=indicator, before=snapshot(indicator))
    indicator.delete()


def plan_import(
    *, actor: Any, plan: PlanProgramme, content: bytes, filename: str, job: Job | None = None
) -> dict[str, int]:
    """Import plan lines and indicators from an .xlsx file (see ``importers.PLAN_COLUMNS``).

    Every row is checked first; if any row has a problem nothing is written and the job fails with the list of
    problems (row, column, message). Returns counts of lines and indicators written.
    """
    from .importers import parse_plan_rows

    if job is not None:
        job_start(job=job, total=0, message=_("Reading the file"))
    rows, errors = parse_plan_rows(content, filename, plan=plan)
    if errors:
        if job is not None:
            job_fail(job=job, errors=errors, message=_("Nothing was imported."))
        raise ValidationError([e["message"] for e in errors])
    if job is not None:
        job_progress(job=job, done=0, total=len(rows), message=_("Writing plan lines"))
    lines = indicators = 0
    with transaction.atomic():
        seen_lines: dict[tuple[int, str], PlanLine] = {}
        for n, row in enumerate(rows, start=1):
            key = (row.year, row.title)
            line = seen_lines.get(key)
            if line is None:
                line = plan_line_save(
                    actor=actor,
                    plan=plan,
                    year=row.year,
                    title=row.title,
                    title_en=row.title_en,
                    starts_on=row.starts_on,
                    ends_on=row.ends_on,
                    order=row.order,
                )
                seen_lines[key] = line
                lines += 1
            if row.metric:
                indicator_set(
                    actor=actor,
                    line=line,
                    metric=row.metric,
                    label=row.label,
                    label_en=row.label_en,
                    target=row.target,
                    unit=row.unit,
                    unit_en=row.unit_en,
                    order=row.order,
                )
                indicators += 1
            if job is not None and n % 20 == 0:
                job_progress(job=job, done=n)
    result = {"lines": lines, "indicators": indicators}
    if job is not None:
        job_finish(
            job=job,
            result=result,
            message=_("%(lines)d plan lines and %(indicators)d indicators imported.") % result,
            result_url=reverse("council:plan", args=[plan.pk]),
        )
    return result


# --- Calendar feed -----------------------------------------------------------------------------------------


@transaction.atomic
def calendar_feed_for(*, user: User) -> CalendarFeed:
    feed, created = CalendarFeed.objects.get_or_create(user=user)
    if created:
        audit(actor=user, action="council.calendar_feed.create", obj=feed)
    return feed


@transaction.atomic
def calendar_feed_reset(*, user: User) -> CalendarFeed:
    """A new secret address; the old one stops working (e.g. when it was shared by mistake)."""
    from .models import new_feed_token

    feed = calendar_feed_for(user=user)
    feed.token = new_feed_token()
    feed.save(update_fields=["token"])
    audit(actor=user, action="council.calendar_feed.reset", obj=feed)
    return feed
