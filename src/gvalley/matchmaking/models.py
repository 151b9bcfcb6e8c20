"""Export consultation (수출상담회): an event inside a festival programme, its sessions and slots, the buyers,
the G-Valley companies (sellers) and the interpreters, their availability and preferences, the meetings the
scheduler places, and what came of each meeting (attendance, consultation record, satisfaction).

Times are stored in UTC. Sessions are defined in the event's time zone; every participant enters availability
in their own time zone and sees their agenda in the time zone of their account.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gvalley.accounts.models import Organisation
from gvalley.core.models import Job, TimeStampedModel
from gvalley.directory.models import Company, Industry
from gvalley.week.models import Programme

#: Languages a buyer may speak in a meeting; an interpreter covers one or more of them (and Korean).
LANGUAGES = [
    ("en", _("English")),
    ("ms", _("Malay")),
    ("id", _("Indonesian")),
    ("vi", _("Vietnamese")),
    ("th", _("Thai")),
    ("tl", _("Filipino")),
    ("km", _("Khmer")),
    ("my", _("Burmese")),
    ("zh", _("Chinese")),
    ("ja", _("Japanese")),
    ("hi", _("Hindi")),
    ("ar", _("Arabic")),
    ("ru", _("Russian")),
    ("es", _("Spanish")),
    ("mn", _("Mongolian")),
]
LANGUAGE_CODES = [code for code, _label in LANGUAGES]

#: Countries buyers come from (ISO 3166-1 alpha-2).
COUNTRIES = [
    ("MY", _("Malaysia")),
    ("ID", _("Indonesia")),
    ("VN", _("Vietnam")),
    ("TH", _("Thailand")),
    ("PH", _("Philippines")),
    ("SG", _("Singapore")),
    ("KH", _("Cambodia")),
    ("MM", _("Myanmar")),
    ("LA", _("Laos")),
    ("BN", _("Brunei")),
    ("IN", _("India")),
    ("CN", _("China")),
    ("HK", _("Hong Kong")),
    ("TW", _("Taiwan")),
    ("JP", _("Japan")),
    ("MN", _("Mongolia")),
    ("AE", _("United Arab Emirates")),
    ("SA", _("Saudi Arabia")),
    ("TR", _("Turkey")),
    ("RU", _("Russia")),
    ("US", _("United States")),
    ("MX", _("Mexico")),
    ("DE", _("Germany")),
    ("AU", _("Australia")),
]
COUNTRY_CODES = [code for code, _label in COUNTRIES]

#: The most meetings one participant may be given (a sensible bound for the per-participant limits).
MEETINGS_LIMIT = 50


@dataclass(frozen=True)
class MeetingLimits:
    """A participant's minimum and maximum meetings as the scheduler uses them.

    ``custom_min`` / ``custom_max``: the organiser overrode the event's value; ``wanted_max``: the buyer's own
    maximum (the maximum is the smaller of it and the organiser's or event's). The minimum never exceeds the
    maximum.
    """

    min: int
    max: int
    custom_min: bool = False
    custom_max: bool = False
    wanted_max: int | None = None


def _limit_constraints(prefix: str, own: str | None = None) -> list[models.BaseConstraint]:
    """Database checks of a participant's own meeting limits: within bounds and max ≥ min when both are set."""
    checks: list[models.BaseConstraint] = [
        models.CheckConstraint(
            condition=Q(min_meetings__isnull=True) | Q(min_meetings__lte=MEETINGS_LIMIT),
            name=f"{prefix}_min_meetings_range",
        ),
        models.CheckConstraint(
            condition=Q(max_meetings__isnull=True) | Q(max_meetings__lte=MEETINGS_LIMIT),
            name=f"{prefix}_max_meetings_range",
        ),
        models.CheckConstraint(
            condition=Q(min_meetings__isnull=True)
            | Q(max_meetings__isnull=True)
            | Q(max_meetings__gte=F("min_meetings")),
            name=f"{prefix}_meeting_bounds",
        ),
    ]
    if own:
        checks.append(
            models.CheckConstraint(
                condition=Q(**{f"{own}__isnull": True})
                | Q(**{f"{own}__gte": 1, f"{own}__lte": MEETINGS_LIMIT}),
                name=f"{prefix}_{own}_range",
            )
        )
    return checks


class Event(TimeStampedModel):
    """The export consultation of one festival programme: its frame and the scheduler's settings."""

    class ScheduleStatus(models.TextChoices):
        NONE = "none", _("Not scheduled yet")
        PROVISIONAL = "provisional", _("Provisional schedule")
        PUBLISHED = "published", _("Published")

    programme = models.OneToOneField(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="consultation_event",
    )
    timezone = models.CharField(_("time zone of the event"), max_length=64, default=settings.TIME_ZONE)
    slot_minutes = models.PositiveSmallIntegerField(_("meeting length (minutes)"), default=30)
    gap_minutes = models.PositiveSmallIntegerField(
        _("break between meetings (minutes)"),
        default=10,
        help_text=_("Time between two consecutive slots of a session, e.g. to change video rooms."),
    )
    rooms = models.PositiveSmallIntegerField(
        _("video rooms"), default=10, help_text=_("The most meetings that can run in one slot.")
    )
    languages = models.JSONField(
        _("buyer languages"), default=list, blank=True, help_text=_("Languages buyers may choose.")
    )
    interpretation = models.BooleanField(
        _("interpreter in every meeting"),
        default=True,
        help_text=_(
            "Each meeting needs an interpreter for the buyer's language (buyer, company, interpreter)."
        ),
    )
    registration_opens_at = models.DateTimeField(_("registration opens"))
    registration_closes_at = models.DateTimeField(_("registration closes"))
    preferences_close_at = models.DateTimeField(_("preferences deadline"))
    video_url_template = models.CharField(
        _("video link pattern"),
        max_length=300,
        default="https://meet.example.go.kr/gvalley-{event}-{meeting}",
        help_text=_(
            "The meeting link; {event}, {meeting}, {room} and {slot} are replaced. A self-hosted Jitsi works."
        ),
    )
    buyer_min_meetings = models.PositiveSmallIntegerField(_("meetings per buyer (minimum)"), default=0)
    buyer_max_meetings = models.PositiveSmallIntegerField(_("meetings per buyer (maximum)"), default=8)
    seller_min_meetings = models.PositiveSmallIntegerField(_("meetings per company (minimum)"), default=0)
    seller_max_meetings = models.PositiveSmallIntegerField(_("meetings per company (maximum)"), default=4)
    recommendations = models.PositiveSmallIntegerField(
        _("recommended companies per buyer"),
        default=3,
        help_text=_("Where a buyer stated no preference, the most similar companies are proposed."),
    )
    exclude_met_before = models.BooleanField(_("exclude pairs that met in an earlier edition"), default=False)
    fairness = models.PositiveSmallIntegerField(
        _("fairness (d)"),
        default=2,
        help_text=_("Each participant's breaks stay within d of the smallest number of breaks."),
    )
    time_limit_seconds = models.PositiveSmallIntegerField(_("scheduler time limit (seconds)"), default=30)
    schedule_status = models.CharField(
        _("schedule"), max_length=20, choices=ScheduleStatus.choices, default=ScheduleStatus.NONE
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        verbose_name = _("consultation event")
        verbose_name_plural = _("consultation events")
        ordering = ["-programme__edition__year", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(registration_closes_at__gt=F("registration_opens_at")),
                name="mm_event_registration_ordered",
            ),
            models.CheckConstraint(condition=Q(slot_minutes__gte=5), name="mm_event_slot_minutes"),
            models.CheckConstraint(condition=Q(rooms__gte=1), name="mm_event_rooms"),
            models.CheckConstraint(
                condition=Q(buyer_max_meetings__gte=F("buyer_min_meetings")), name="mm_event_buyer_bounds"
            ),
            models.CheckConstraint(
                condition=Q(seller_max_meetings__gte=F("seller_min_meetings")), name="mm_event_seller_bounds"
            ),
        ]

    def __str__(self) -> str:
        return str(self.programme)

    def get_absolute_url(self) -> str:
        return reverse("matchmaking:programme", args=[self.programme_id])

    @property
    def is_published(self) -> bool:
        return self.schedule_status == self.ScheduleStatus.PUBLISHED


class Session(models.Model):
    """A block of consecutive meeting slots on one day (morning or afternoon); the lunch break lies between."""

    class Part(models.TextChoices):
        MORNING = "morning", _("Morning")
        AFTERNOON = "afternoon", _("Afternoon")

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="sessions"
    )
    day = models.DateField(_("day"))
    part = models.CharField(_("session"), max_length=10, choices=Part.choices)
    starts_at = models.DateTimeField(pgettext_lazy("consultation", "starts"))
    ends_at = models.DateTimeField(pgettext_lazy("consultation", "ends"))

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="mm_session_ordered"),
            models.UniqueConstraint(fields=["event", "day", "part"], name="mm_session_unique_part"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.get_part_display()}"


class Slot(models.Model):
    """One meeting time: every meeting of a slot runs at the same time in its own video room."""

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="slots")
    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="slots"
    )
    number = models.PositiveSmallIntegerField(_("slot number"))
    starts_at = models.DateTimeField(pgettext_lazy("consultation", "starts"))
    ends_at = models.DateTimeField(pgettext_lazy("consultation", "ends"))

    class Meta:
        ordering = ["number"]
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        constraints = [
            models.UniqueConstraint(fields=["event", "number"], name="mm_slot_unique_number"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="mm_slot_ordered"),
        ]

    def __str__(self) -> str:
        return f"#{self.number} {self.starts_at:%Y-%m-%d %H:%M} UTC"


class Buyer(TimeStampedModel):
    """A foreign buyer registered for an event (English UI)."""

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="buyers")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("company"), on_delete=models.PROTECT, related_name="buyer_registrations"
    )
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contact person"),
        on_delete=models.PROTECT,
        related_name="buyer_registrations",
    )
    country = models.CharField(_("country"), max_length=2, choices=COUNTRIES)
    timezone = models.CharField(_("time zone"), max_length=64)
    language = models.CharField(_("meeting language"), max_length=5, choices=LANGUAGES, default="en")
    products_sought = models.TextField(_("products sought"))
    purchase_volume_usd = models.PositiveBigIntegerField(_("yearly purchase volume (USD)"), default=0)
    industries = models.ManyToManyField(
        Industry, verbose_name=_("industries of interest"), blank=True, related_name="+"
    )
    #: the organiser's overrides of the event's defaults (blank = the event's value)
    min_meetings = models.PositiveSmallIntegerField(
        _("meetings (minimum, set by the organiser)"), null=True, blank=True
    )
    max_meetings = models.PositiveSmallIntegerField(
        _("meetings (maximum, set by the organiser)"), null=True, blank=True
    )
    #: the buyer's own maximum (at most the organiser's or the event's maximum; blank = no wish)
    wanted_max_meetings = models.PositiveSmallIntegerField(
        _("most meetings the buyer wants"), null=True, blank=True
    )
    withdrawn_at = models.DateTimeField(pgettext_lazy("consultation", "withdrawn"), null=True, blank=True)

    class Meta:
        ordering = ["organisation__name", "id"]
        verbose_name = _("buyer")
        verbose_name_plural = _("buyers")
        constraints = [
            models.UniqueConstraint(fields=["event", "organisation"], name="mm_buyer_unique_organisation"),
            models.UniqueConstraint(fields=["event", "contact"], name="mm_buyer_unique_contact"),
            *_limit_constraints("mm_buyer", own="wanted_max_meetings"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.organisation.name_en or self.organisation.name

    @property
    def kind(self) -> str:
        return "buyer"

    def meeting_cap(self, event: Event) -> int:
        """The most meetings the organiser allows this buyer: his override, else the event's maximum."""
        return self.max_meetings if self.max_meetings is not None else event.buyer_max_meetings

    def meeting_limits(self, event: Event) -> MeetingLimits:
        """The buyer's minimum and maximum meetings (``event`` is his event, passed to spare a query)."""
        cap = self.meeting_cap(event)
        wanted = self.wanted_max_meetings
        high = min(cap, wanted) if wanted is not None else cap
        low = self.min_meetings if self.min_meetings is not None else event.buyer_min_meetings
        return MeetingLimits(
            min(low, high),
            high,
            custom_min=self.min_meetings is not None,
            custom_max=self.max_meetings is not None,
            wanted_max=wanted,
        )


class Seller(TimeStampedModel):
    """A G-Valley company registered for an event, its offer taken from the company profile."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="sellers"
    )
    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        on_delete=models.PROTECT,
        related_name="consultation_registrations",
    )
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contact person"),
        on_delete=models.PROTECT,
        related_name="seller_registrations",
    )
    products = models.CharField(_("products"), max_length=300)
    products_en = models.CharField(_("products (English)"), max_length=300, blank=True)
    certifications = models.CharField(_("certifications"), max_length=300, blank=True)
    export_experience = models.CharField(_("export experience"), max_length=300, blank=True)
    target_countries = models.CharField(_("target countries"), max_length=300, blank=True)
    timezone = models.CharField(_("time zone"), max_length=64, default=settings.TIME_ZONE)
    #: the organiser's overrides of the event's defaults (blank = the event's value)
    min_meetings = models.PositiveSmallIntegerField(
        _("meetings (minimum, set by the organiser)"), null=True, blank=True
    )
    max_meetings = models.PositiveSmallIntegerField(
        _("meetings (maximum, set by the organiser)"), null=True, blank=True
    )
    withdrawn_at = models.DateTimeField(pgettext_lazy("consultation", "withdrawn"), null=True, blank=True)

    class Meta:
        ordering = ["company__name", "id"]
        verbose_name = _("participating company")
        verbose_name_plural = _("participating companies")
        constraints = [
            models.UniqueConstraint(fields=["event", "company"], name="mm_seller_unique_company"),
            *_limit_constraints("mm_seller"),
        ]

    def __str__(self) -> str:
        return self.company.name

    @property
    def name(self) -> str:
        return self.company.name

    @property
    def kind(self) -> str:
        return "seller"

    def meeting_cap(self, event: Event) -> int:
        return self.max_meetings if self.max_meetings is not None else event.seller_max_meetings

    def meeting_limits(self, event: Event) -> MeetingLimits:
        """The company's minimum and maximum meetings (``event`` is its event, passed to spare a query)."""
        high = self.meeting_cap(event)
        low = self.min_meetings if self.min_meetings is not None else event.seller_min_meetings
        return MeetingLimits(
            min(low, high),
            high,
            custom_min=self.min_meetings is not None,
            custom_max=self.max_meetings is not None,
        )


class Interpreter(TimeStampedModel):
    """An interpreter of an event: Korean and one or more buyer languages."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="interpreters"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("interpreter"),
        on_delete=models.PROTECT,
        related_name="interpreter_assignments",
    )
    languages = models.JSONField(_("languages"), default=list)
    timezone = models.CharField(_("time zone"), max_length=64, default=settings.TIME_ZONE)
    max_consecutive = models.PositiveSmallIntegerField(
        _("most sessions in a row"),
        default=4,
        help_text=_("A rest slot follows this many meetings in a row."),
    )

    class Meta:
        ordering = ["user__name", "id"]
        verbose_name = _("interpreter")
        verbose_name_plural = _("interpreters")
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="mm_interpreter_unique_user"),
            models.CheckConstraint(condition=Q(max_consecutive__gte=1), name="mm_interpreter_consecutive"),
        ]

    def __str__(self) -> str:
        return self.user.name

    @property
    def name(self) -> str:
        return self.user.name

    @property
    def kind(self) -> str:
        return "interpreter"


class Availability(models.Model):
    """A time a participant is available (entered in their own time zone, stored in UTC).

    A participant without any availability rows is available throughout the event.
    """

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="availabilities"
    )
    buyer = models.ForeignKey(
        Buyer, null=True, blank=True, on_delete=models.CASCADE, related_name="availabilities"
    )
    seller = models.ForeignKey(
        Seller, null=True, blank=True, on_delete=models.CASCADE, related_name="availabilities"
    )
    interpreter = models.ForeignKey(
        Interpreter, null=True, blank=True, on_delete=models.CASCADE, related_name="availabilities"
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(pgettext_lazy("consultation", "until"))

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("availability")
        verbose_name_plural = _("availability")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="mm_availability_ordered"),
            models.CheckConstraint(
                condition=(
                    Q(buyer__isnull=False, seller__isnull=True, interpreter__isnull=True)
                    | Q(buyer__isnull=True, seller__isnull=False, interpreter__isnull=True)
                    | Q(buyer__isnull=True, seller__isnull=True, interpreter__isnull=False)
                ),
                name="mm_availability_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M}–{self.ends_at:%H:%M} UTC"


class Preference(TimeStampedModel):
    """Who wants to meet whom: the buyer's and the company's wishes, and the organiser's decisions.

    ``must``/``want``/``no`` from a buyer or a company; ``no`` from either side is a veto. The organiser's
    ``must`` fixes a pair (it is always proposed to the scheduler); the organiser's ``no`` excludes it.
    """

    class Side(models.TextChoices):
        BUYER = "buyer", _("Buyer")
        SELLER = "seller", _("Company")
        ORGANISER = "organiser", _("Organiser")

    class Level(models.TextChoices):
        MUST = "must", _("Must meet")
        WANT = "want", _("Would like to meet")
        NO = "no", _("Do not want to meet")

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="preferences"
    )
    buyer = models.ForeignKey(
        Buyer, verbose_name=_("buyer"), on_delete=models.CASCADE, related_name="preferences"
    )
    seller = models.ForeignKey(
        Seller, verbose_name=_("company"), on_delete=models.CASCADE, related_name="preferences"
    )
    side = models.CharField(_("stated by"), max_length=10, choices=Side.choices)
    level = models.CharField(_("preference"), max_length=10, choices=Level.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["buyer", "seller", "side"]
        verbose_name = _("preference")
        verbose_name_plural = _("preferences")
        constraints = [
            models.UniqueConstraint(fields=["buyer", "seller", "side"], name="mm_preference_unique_side"),
        ]

    def __str__(self) -> str:
        return f"{self.buyer_id}-{self.seller_id} {self.side}:{self.level}"


class PairSession(TimeStampedModel):
    """The organiser restricts a buyer × company pair to the morning or the afternoon session.

    E.g. a buyer in a far time zone meets this company only in the afternoon. No row = any session.
    """

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="pair_sessions"
    )
    buyer = models.ForeignKey(
        Buyer, verbose_name=_("buyer"), on_delete=models.CASCADE, related_name="pair_sessions"
    )
    seller = models.ForeignKey(
        Seller, verbose_name=_("company"), on_delete=models.CASCADE, related_name="pair_sessions"
    )
    part = models.CharField(_("session"), max_length=10, choices=Session.Part.choices)

    class Meta:
        ordering = ["buyer", "seller"]
        verbose_name = _("session of a pair")
        verbose_name_plural = _("sessions of pairs")
        constraints = [
            models.UniqueConstraint(fields=["buyer", "seller"], name="mm_pair_session_unique"),
            models.CheckConstraint(
                condition=Q(part__in=["morning", "afternoon"]), name="mm_pair_session_part"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.buyer_id}-{self.seller_id}: {self.part}"


class ScheduleRun(TimeStampedModel):
    """One run of the scheduler (first schedule or re-optimisation) and what the engine reported."""

    class Kind(models.TextChoices):
        INITIAL = "initial", _("First schedule")
        REOPTIMISE = "reoptimise", _("Re-optimisation")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        OPTIMAL = "optimal", _("Optimal (proven)")
        FEASIBLE = "feasible", _("Feasible (not proven optimal)")
        INFEASIBLE = "infeasible", _("Infeasible")
        FAILED = "failed", _("Failed")

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="runs")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.INITIAL)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    job = models.ForeignKey(Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    seconds = models.FloatField(_("seconds"), null=True, blank=True)
    requested_pairs = models.PositiveIntegerField(_("pairs requested"), default=0)
    scheduled_meetings = models.PositiveIntegerField(_("meetings scheduled"), default=0)
    breaks = models.PositiveIntegerField(_("breaks"), null=True, blank=True)
    idle_slots = models.PositiveIntegerField(_("idle slots"), null=True, blank=True)
    stats = models.JSONField(default=dict, blank=True)
    message = models.CharField(_("message"), max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("scheduler run")
        verbose_name_plural = _("scheduler runs")

    def __str__(self) -> str:
        return f"{self.event} run {self.pk}"


class UnscheduledPair(models.Model):
    """A requested pair that a run could not schedule, with the engine's explanation."""

    run = models.ForeignKey(ScheduleRun, on_delete=models.CASCADE, related_name="unscheduled")
    buyer = models.ForeignKey(Buyer, verbose_name=_("buyer"), on_delete=models.CASCADE, related_name="+")
    seller = models.ForeignKey(Seller, verbose_name=_("company"), on_delete=models.CASCADE, related_name="+")
    priority = models.CharField(_("requested as"), max_length=20, blank=True)
    reason_code = models.CharField(_("reason"), max_length=50)
    reason = models.CharField(_("explanation"), max_length=500)

    class Meta:
        ordering = ["run", "buyer", "seller"]
        verbose_name = _("unscheduled pair")
        verbose_name_plural = _("unscheduled pairs")

    def __str__(self) -> str:
        return f"{self.buyer_id}-{self.seller_id}: {self.reason_code}"


class Meeting(TimeStampedModel):
    """A consultation between a buyer and a company, in one slot and video room, with an interpreter."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", pgettext_lazy("consultation", "Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    class Attendance(models.TextChoices):
        PENDING = "pending", _("Not recorded")
        HELD = "held", pgettext_lazy("consultation", "Held")
        NO_SHOW = "no_show", _("No-show")

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="meetings"
    )
    buyer = models.ForeignKey(
        Buyer, verbose_name=_("buyer"), on_delete=models.PROTECT, related_name="meetings"
    )
    seller = models.ForeignKey(
        Seller, verbose_name=_("company"), on_delete=models.PROTECT, related_name="meetings"
    )
    slot = models.ForeignKey(Slot, verbose_name=_("slot"), on_delete=models.PROTECT, related_name="meetings")
    room = models.PositiveSmallIntegerField(_("video room"))
    interpreter = models.ForeignKey(
        Interpreter,
        verbose_name=_("interpreter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meetings",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    attendance = models.CharField(
        pgettext_lazy("consultation", "attendance"),
        max_length=20,
        choices=Attendance.choices,
        default=Attendance.PENDING,
    )
    no_show_side = models.CharField(_("who did not come"), max_length=10, blank=True)
    locked = models.BooleanField(pgettext_lazy("consultation", "locked"), default=False)
    priority = models.CharField(_("requested as"), max_length=20, blank=True)
    run = models.ForeignKey(ScheduleRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    sequence = models.PositiveIntegerField(_("revision"), default=0)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)

    class Meta:
        ordering = ["slot__number", "room"]
        verbose_name = pgettext_lazy("consultation", "meeting")
        verbose_name_plural = pgettext_lazy("consultation", "meetings")
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "room"], condition=Q(status="scheduled"), name="mm_meeting_room_free"
            ),
            models.UniqueConstraint(
                fields=["slot", "buyer"], condition=Q(status="scheduled"), name="mm_meeting_buyer_free"
            ),
            models.UniqueConstraint(
                fields=["slot", "seller"], condition=Q(status="scheduled"), name="mm_meeting_seller_free"
            ),
            models.UniqueConstraint(
                fields=["slot", "interpreter"],
                condition=Q(status="scheduled", interpreter__isnull=False),
                name="mm_meeting_interpreter_free",
            ),
            models.UniqueConstraint(
                fields=["buyer", "seller"], condition=Q(status="scheduled"), name="mm_meeting_pair_once"
            ),
            models.CheckConstraint(condition=Q(room__gte=1), name="mm_meeting_room_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.buyer} × {self.seller}"

    def get_absolute_url(self) -> str:
        return reverse("matchmaking:meeting", args=[self.pk])

    @property
    def video_url(self) -> str:
        template = self.event.video_url_template or ""
        try:
            return template.format(
                event=self.event_id,
                meeting=self.pk,
                room=self.room,
                slot=self.slot.number if self.slot_id else "",
            )
        except (KeyError, IndexError, ValueError):
            return template

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.SCHEDULED


class ConsultationRecord(TimeStampedModel):
    """What was discussed in a meeting and what it is worth (the figures the statistics add up)."""

    class FollowUp(models.TextChoices):
        NONE = "none", _("No follow-up")
        SAMPLES = "samples", _("Samples to send")
        QUOTATION = "quotation", _("Quotation requested")
        NEXT_MEETING = "next_meeting", _("Another meeting")
        VISIT = "visit", _("Visit planned")
        NEGOTIATION = "negotiation", _("Contract under negotiation")
        CONTRACT = "contract", _("Contract signed")

    meeting = models.OneToOneField(
        Meeting,
        verbose_name=pgettext_lazy("consultation", "meeting"),
        on_delete=models.CASCADE,
        related_name="record",
    )
    products_discussed = models.CharField(_("products discussed"), max_length=300)
    consultation_usd = models.PositiveBigIntegerField(_("consultation amount (USD)"), default=0)
    expected_contract_usd = models.PositiveBigIntegerField(_("expected contract amount (USD)"), default=0)
    follow_up = models.CharField(
        _("follow-up"), max_length=20, choices=FollowUp.choices, default=FollowUp.NONE
    )
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["meeting"]
        verbose_name = _("consultation record")
        verbose_name_plural = _("consultation records")

    def __str__(self) -> str:
        return f"{self.meeting}: USD {self.consultation_usd:,}"


class Satisfaction(TimeStampedModel):
    """A participant's rating of one meeting (1–5)."""

    meeting = models.ForeignKey(
        Meeting,
        verbose_name=pgettext_lazy("consultation", "meeting"),
        on_delete=models.CASCADE,
        related_name="ratings",
    )
    side = models.CharField(_("side"), max_length=10, choices=Preference.Side.choices[:2])
    score = models.PositiveSmallIntegerField(_("satisfaction (1–5)"))
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["meeting", "side"]
        verbose_name = _("satisfaction rating")
        verbose_name_plural = _("satisfaction ratings")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "side"], name="mm_satisfaction_unique_side"),
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="mm_satisfaction_range"),
        ]
