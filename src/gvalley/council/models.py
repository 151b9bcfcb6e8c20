"""The G밸리 발전협의회: councils, member organisations and seats, meetings, agenda, minutes, decisions,
action items and the yearly plan.

Models are thin: constraints live in the database, every write goes through ``services.py``.
Organisations are ``accounts.Organisation`` rows; people are ``accounts.User`` rows.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gvalley.accounts.models import Organisation
from gvalley.core.models import TimeStampedModel, Visibility

USER = settings.AUTH_USER_MODEL


class Bilingual:
    """``display_<field>(language)`` for models with ``<field>`` / ``<field>_en`` pairs."""

    def bilingual(self, field: str, language: str = "ko") -> str:
        value = getattr(self, field, "")
        if language == "en":
            return getattr(self, f"{field}_en", "") or value
        return value


class Council(TimeStampedModel, Bilingual):
    """A council body: the G밸리 발전협의회 itself, or the Geumcheon-local working council under it."""

    class Kind(models.TextChoices):
        MAIN = "main", _("Development council")
        LOCAL_WORKING = "local_working", _("Local working council")

    slug = models.SlugField(_("short name in addresses"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("works under"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sub_councils",
    )
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description = models.TextField(pgettext_lazy("council", "description"), blank=True)
    description_en = models.TextField(pgettext_lazy("council", "description (English)"), blank=True)
    basis = models.CharField(_("basis"), max_length=300, blank=True)
    basis_en = models.CharField(_("basis (English)"), max_length=300, blank=True)
    functions = models.TextField(_("main functions"), blank=True, help_text=_("One function per line."))
    functions_en = models.TextField(_("main functions (English)"), blank=True)
    schedule = models.CharField(_("when it meets"), max_length=300, blank=True)
    schedule_en = models.CharField(_("when it meets (English)"), max_length=300, blank=True)
    contact_email = models.EmailField(_("secretariat e-mail"), blank=True)
    contact_phone = models.CharField(_("secretariat phone"), max_length=30, blank=True)
    contact_note = models.CharField(_("how to contact the secretariat"), max_length=300, blank=True)
    contact_note_en = models.CharField(
        _("how to contact the secretariat (English)"), max_length=300, blank=True
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("council")
        verbose_name_plural = _("councils")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        if self.kind == self.Kind.MAIN and self.parent_id is None:
            return reverse("council:home")
        return reverse("council:body", args=[self.slug])


class CouncilLead(models.Model, Bilingual):
    """Which body leads (주관) the council, with its history (서울시 신성장산업과 → 산업거점활성화반)."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="leads")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.CharField(_("department"), max_length=200)
    unit_en = models.CharField(_("department (English)"), max_length=200, blank=True)
    started_on = models.DateField(_("since"))
    ended_on = models.DateField(
        _("until"), null=True, blank=True, help_text=_("The first day without the role.")
    )

    class Meta:
        ordering = ["council", "-started_on"]
        verbose_name = _("lead body")
        verbose_name_plural = _("lead bodies")
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gt=F("started_on")),
                name="council_lead_dates",
            ),
            models.UniqueConstraint(
                fields=["council"], condition=Q(ended_on__isnull=True), name="council_lead_one_current"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.unit}"


class CouncilMember(models.Model):
    """An organisation that is a member of a council (협의회원)."""

    class Group(models.TextChoices):
        ASSOCIATION = "association", _("Business associations")
        LOCAL_GOVERNMENT = "local_government", _("Local governments")
        PUBLIC_ENTERPRISE = "public_enterprise", _("Public enterprise")
        LOCAL_AGENCY = "local_agency", _("Local agencies and groups")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="council_memberships",
    )
    group = models.CharField(pgettext_lazy("council", "group"), max_length=30, choices=Group.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    joined_on = models.DateField(_("member since"))
    left_on = models.DateField(_("left"), null=True, blank=True)

    class Meta:
        ordering = ["council", "order", "id"]
        verbose_name = _("member organisation")
        verbose_name_plural = _("member organisations")
        constraints = [
            models.UniqueConstraint(fields=["council", "organisation"], name="council_member_unique"),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gt=F("joined_on")), name="council_member_dates"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.council}: {self.organisation}"


class Term(models.Model):
    """A term of office (임기) of a council; seats are held per term."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="terms")
    number = models.PositiveSmallIntegerField(_("term"))
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"), null=True, blank=True)

    class Meta:
        ordering = ["council", "-number"]
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        constraints = [
            models.UniqueConstraint(fields=["council", "number"], name="council_term_unique"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")), name="council_term_dates"
            ),
        ]

    def __str__(self) -> str:
        end = f"{self.ends_on:%Y.%m}" if self.ends_on else ""
        return f"{self.council.name} {self.number} ({self.starts_on:%Y.%m}–{end})"

    def contains(self, day: object) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)  # type: ignore[operator]


class Seat(models.Model, Bilingual):
    """A seat of a member organisation in one term: co-chair, member or working member, held by a person.

    A change of person ends the seat (``ceased_on``) and a new seat starts: the history stays.
    """

    class Kind(models.TextChoices):
        CO_CHAIR = "co_chair", _("Co-chair")
        MEMBER = "member", _("Member")
        WORKING_MEMBER = "working_member", _("Working member")

    member = models.ForeignKey(
        CouncilMember, verbose_name=_("member organisation"), on_delete=models.CASCADE, related_name="seats"
    )
    term = models.ForeignKey(Term, verbose_name=_("term"), on_delete=models.PROTECT, related_name="seats")
    kind = models.CharField(_("seat"), max_length=20, choices=Kind.choices)
    person = models.ForeignKey(
        USER,
        verbose_name=pgettext_lazy("council", "person"),
        on_delete=models.PROTECT,
        related_name="council_seats",
    )
    position_title = models.CharField(_("position"), max_length=100)
    position_title_en = models.CharField(_("position (English)"), max_length=100, blank=True)
    designated_on = models.DateField(_("designated"))
    ceased_on = models.DateField(
        _("ceased"), null=True, blank=True, help_text=_("The first day without the seat.")
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["member__order", "kind", "-designated_on"]
        verbose_name = _("seat")
        verbose_name_plural = _("seats")
        constraints = [
            models.CheckConstraint(
                condition=Q(ceased_on__isnull=True) | Q(ceased_on__gte=F("designated_on")),
                name="council_seat_dates",
            ),
            models.UniqueConstraint(
                fields=["member", "term", "kind"],
                condition=Q(ceased_on__isnull=True),
                name="council_seat_one_current",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member.organisation} {self.get_kind_display()} {self.position_title}"

    @property
    def is_current(self) -> bool:
        return self.ceased_on is None or self.ceased_on > timezone.localdate()


class Meeting(TimeStampedModel, Bilingual):
    class Kind(models.TextChoices):
        PLENARY = "plenary", _("Plenary meeting")
        WORKING = "working", _("Working meeting")
        LOCAL_WORKING = "local_working", _("Local working council meeting")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="meetings"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    place_en = models.CharField(_("place (English)"), max_length=200, blank=True)
    online_url = models.URLField(_("online meeting link"), blank=True)
    description = models.TextField(pgettext_lazy("council", "description"), blank=True)
    description_en = models.TextField(pgettext_lazy("council", "description (English)"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    quorum = models.PositiveSmallIntegerField(
        _("quorum (organisations)"),
        null=True,
        blank=True,
        help_text=_("Leave empty for a majority of the member organisations."),
    )
    sequence = models.PositiveIntegerField(_("calendar revision"), default=0)
    invitations_sent_at = models.DateTimeField(_("invitations sent"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="council_meeting_times"),
            models.CheckConstraint(condition=~Q(place="") | ~Q(online_url=""), name="council_meeting_where"),
        ]
        indexes = [models.Index(fields=["kind", "status", "starts_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("council:meeting", args=[self.pk])

    @property
    def uid(self) -> str:
        return f"council-meeting-{self.pk}@gvalley.kr"


class Invitation(models.Model):
    """A seat invited to a meeting, and the holder's answer (RSVP)."""

    class Response(models.TextChoices):
        PENDING = "pending", _("No answer yet")
        ACCEPTED = "accepted", _("Will attend")
        TENTATIVE = "tentative", _("Maybe")
        DECLINED = "declined", _("Will not attend")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    seat = models.ForeignKey(
        Seat, verbose_name=_("seat"), on_delete=models.PROTECT, related_name="invitations"
    )
    person = models.ForeignKey(
        USER,
        verbose_name=pgettext_lazy("council", "person"),
        on_delete=models.PROTECT,
        related_name="council_invitations",
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    response = models.CharField(
        _("answer"), max_length=20, choices=Response.choices, default=Response.PENDING
    )
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)
    response_note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["meeting", "seat__member__order", "seat__kind"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [models.UniqueConstraint(fields=["meeting", "seat"], name="council_invitation_unique")]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.person}"


class Attendance(models.Model):
    """Whether a member organisation attended a meeting, and who came for it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    present = models.BooleanField(_("present"), default=False)
    attendee_names = models.CharField(_("who attended"), max_length=300, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)

    class Meta:
        ordering = ["meeting", "organisation__name"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "organisation"], name="council_attendance_unique")
        ]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.organisation}"


class PlanProgramme(TimeStampedModel, Bilingual):
    """A multi-year plan (연차별 추진계획), e.g. "G밸리 발전협의회 확대 운영" 2018–2022.6."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="plans")
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description = models.TextField(pgettext_lazy("council", "description"), blank=True)
    description_en = models.TextField(pgettext_lazy("council", "description (English)"), blank=True)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("yearly plan")
        verbose_name_plural = _("yearly plans")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="council_plan_dates"),
        ]

    def __str__(self) -> str:
        return self.title


class PlanLine(TimeStampedModel, Bilingual):
    """One line of the yearly plan for one year (or part of a year, e.g. 2022.6)."""

    plan = models.ForeignKey(
        PlanProgramme, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="lines"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    starts_on = models.DateField(_("period starts"))
    ends_on = models.DateField(_("period ends"))
    title = models.CharField(_("plan line"), max_length=200)
    title_en = models.CharField(_("plan line (English)"), max_length=200, blank=True)
    description = models.TextField(pgettext_lazy("council", "description"), blank=True)
    description_en = models.TextField(pgettext_lazy("council", "description (English)"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.PUBLIC
    )

    class Meta:
        ordering = ["plan", "year", "order", "id"]
        verbose_name = _("plan line")
        verbose_name_plural = _("plan lines")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="council_line_dates"),
            models.UniqueConstraint(fields=["plan", "year", "title"], name="council_line_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("council:plan_line", args=[self.pk])


class Indicator(models.Model, Bilingual):
    """An indicator of a plan line with its target; the actual value is computed by a registered metric."""

    line = models.ForeignKey(PlanLine, on_delete=models.CASCADE, related_name="indicators")
    metric = models.CharField(_("metric"), max_length=60, help_text=_("The key of a registered metric."))
    label = models.CharField(_("indicator"), max_length=200)
    label_en = models.CharField(_("indicator (English)"), max_length=200, blank=True)
    target = models.DecimalField(
        _("target"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    unit_en = models.CharField(_("unit (English)"), max_length=30, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["line", "order", "id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(fields=["line", "metric"], name="council_indicator_unique"),
            models.CheckConstraint(condition=Q(target__gte=0), name="council_indicator_target"),
        ]

    def __str__(self) -> str:
        return f"{self.line}: {self.label}"


class AgendaItem(TimeStampedModel, Bilingual):
    """An item on a council's agenda (안건), proposed, scheduled on a meeting, discussed or carried over."""

    class Origin(models.TextChoices):
        MEMBER_PROPOSAL = "member_proposal", _("Proposal of a member organisation")
        REQUEST = "request", _("Request from companies or workers")
        YEARLY_PLAN = "yearly_plan", _("Yearly plan")
        CARRY_OVER = "carry_over", _("Carried over from a previous meeting")
        SECRETARIAT = "secretariat", _("Secretariat")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        SCHEDULED = "scheduled", _("On a meeting's agenda")
        DISCUSSED = "discussed", _("Discussed")
        CARRIED_OVER = "carried_over", _("Carried over")
        WITHDRAWN = "withdrawn", pgettext_lazy("council", "Withdrawn")

    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="agenda_items"
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_items",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    description = models.TextField(pgettext_lazy("council", "description"), blank=True)
    description_en = models.TextField(pgettext_lazy("council", "description (English)"), blank=True)
    origin = models.CharField(_("origin"), max_length=20, choices=Origin.choices)
    source_note = models.CharField(_("source"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED)
    proposing_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("proposed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    presenter_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("presenting organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    presenter_name = models.CharField(_("presenter"), max_length=100, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), default=15, validators=[MinValueValidator(1), MaxValueValidator(480)]
    )
    plan_line = models.ForeignKey(
        PlanLine,
        verbose_name=_("plan line"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_items",
    )
    carried_from = models.ForeignKey(
        "self",
        verbose_name=_("carried over from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="carried_to",
    )
    works_on = models.ManyToManyField(
        "self",
        verbose_name=_("works on the council's items"),
        symmetrical=False,
        blank=True,
        related_name="worked_on_by",
    )
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["meeting__starts_at", "order", "id"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        indexes = [models.Index(fields=["council", "status"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("council:agenda_item", args=[self.pk])


class Document(models.Model, Bilingual):
    """A file attached to a meeting or to one of its agenda items."""

    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    file = models.FileField(_("file"), upload_to="council/documents/%Y/")
    size = models.PositiveIntegerField(pgettext_lazy("file", "size"), default=0)
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    uploaded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.CheckConstraint(
                condition=Q(meeting__isnull=False) | Q(agenda_item__isnull=False),
                name="council_document_owner",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def extension(self) -> str:
        name = self.file.name or ""
        return name.rsplit(".", 1)[-1].lower() if "." in name else ""


class Minutes(TimeStampedModel, Bilingual):
    """One version of a meeting's minutes (회의록).

    draft → circulated (attendees comment) → amended → approved (a co-chair) → locked. A locked version
    is never edited again; a correction is a new version that supersedes it and states the reason.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        CIRCULATED = "circulated", _("Circulated for comments")
        AMENDED = "amended", _("Amended")
        APPROVED = "approved", _("Approved")
        LOCKED = "locked", _("Locked")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="minutes"
    )
    version = models.PositiveSmallIntegerField(pgettext_lazy("council", "version"), default=1)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    body = models.TextField(_("minutes"))
    body_en = models.TextField(_("minutes (English)"), blank=True)
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("corrects version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )
    correction_reason = models.CharField(_("reason for the correction"), max_length=500, blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    circulated_at = models.DateTimeField(_("circulated"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = models.ForeignKey(
        USER,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    locked_at = models.DateTimeField(_("locked"), null=True, blank=True)
    locked_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    content_hash = models.CharField(_("SHA-256 of the locked text"), max_length=64, blank=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["meeting", "-version"]
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "version"], name="council_minutes_version"),
            models.CheckConstraint(
                condition=Q(supersedes__isnull=True) | ~Q(correction_reason=""), name="council_minutes_reason"
            ),
            models.CheckConstraint(
                condition=~Q(status="locked") | (Q(locked_at__isnull=False) & ~Q(content_hash="")),
                name="council_minutes_locked_sealed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("council:minutes", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.CIRCULATED, self.Status.AMENDED)


class MinutesComment(models.Model):
    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(USER, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("taken into account"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("comment on minutes")
        verbose_name_plural = _("comments on minutes")

    def __str__(self) -> str:
        return f"{self.minutes}: {self.author}"


class MinutesApproval(models.Model):
    """A member's or a co-chair's approval of a version of the minutes."""

    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        CO_CHAIR = "co_chair", _("Co-chair")

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="approvals")
    user = models.ForeignKey(
        USER, verbose_name=pgettext_lazy("council", "person"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("as"), max_length=20, choices=Role.choices)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("approval of minutes")
        verbose_name_plural = _("approvals of minutes")
        constraints = [
            models.UniqueConstraint(fields=["minutes", "user"], name="council_minutes_approval_once")
        ]

    def __str__(self) -> str:
        return f"{self.minutes}: {self.user}"


class Decision(TimeStampedModel, Bilingual):
    """What the council decided on an agenda item, and how."""

    class Method(models.TextChoices):
        CONSENSUS = "consensus", _("Consensus")
        VOTE = "vote", _("Vote")
        DEFERRED = "deferred", _("Deferred")

    agenda_item = models.ForeignKey(
        AgendaItem, verbose_name=_("agenda item"), on_delete=models.PROTECT, related_name="decisions"
    )
    text = models.TextField(_("decision"))
    text_en = models.TextField(_("decision (English)"), blank=True)
    method = models.CharField(_("method"), max_length=20, choices=Method.choices)
    votes_for = models.PositiveSmallIntegerField(_("votes for"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("votes against"), null=True, blank=True)
    votes_abstain = models.PositiveSmallIntegerField(_("abstentions"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-decided_on", "order", "id"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        method="vote",
                        votes_for__isnull=False,
                        votes_against__isnull=False,
                        votes_abstain__isnull=False,
                    )
                    | (
                        ~Q(method="vote")
                        & Q(votes_for__isnull=True, votes_against__isnull=True, votes_abstain__isnull=True)
                    )
                ),
                name="council_decision_votes",
            )
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        return reverse("council:decision", args=[self.pk])


class ActionItem(TimeStampedModel, Bilingual):
    """Follow-up work from a decision: owner, due date, status and progress; may be split into sub-items.

    The progress of an item with sub-items is rolled up from them (services keep it up to date).
    """

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("council", "Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    decision = models.ForeignKey(
        Decision, verbose_name=_("decision"), on_delete=models.PROTECT, related_name="action_items"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    title = models.CharField(pgettext_lazy("council", "action"), max_length=300)
    title_en = models.CharField(_("action (English)"), max_length=300, blank=True)
    description = models.TextField(pgettext_lazy("council", "description"), blank=True)
    owner_organisation = models.ForeignKey(
        Organisation, verbose_name=_("responsible organisation"), on_delete=models.PROTECT, related_name="+"
    )
    owner_person = models.ForeignKey(
        USER,
        verbose_name=_("responsible person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="council_action_items",
    )
    due_on = models.DateField(_("due"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    completed_on = models.DateField(_("completed"), null=True, blank=True)
    plan_line = models.ForeignKey(
        PlanLine,
        verbose_name=_("plan line"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_items",
    )
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    last_reminded_on = models.DateField(_("last reminder"), null=True, blank=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="council_action_progress_range"),
            models.CheckConstraint(
                condition=~Q(status="done") | (Q(progress=100) & Q(completed_on__isnull=False)),
                name="council_action_done_complete",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("council:action_item", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.CANCELLED)

    def is_overdue(self, today: object = None) -> bool:
        today = today or timezone.localdate()
        return not self.is_closed and self.due_on < today  # type: ignore[operator]


class ActionUpdate(models.Model):
    """A progress report on an action item: new progress and status, evidence note and file."""

    action_item = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(
        USER, verbose_name=_("reported by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), validators=[MaxValueValidator(100)])
    status = models.CharField(_("status"), max_length=20, choices=ActionItem.Status.choices)
    note = models.TextField(_("evidence and notes"), blank=True)
    file = models.FileField(_("evidence file"), upload_to="council/evidence/%Y/", blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="council_update_progress_range")
        ]

    def __str__(self) -> str:
        return f"{self.action_item}: {self.progress}%"


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """A person's secret calendar address: the meetings they are invited to, for calendar clients."""

    user = models.OneToOneField(USER, on_delete=models.CASCADE, related_name="council_calendar")
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now_add=True)
    last_fetched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.user)
