"""Difficulties and requests (애로사항·요구과제): categories, requests, their history, answers, surveys,
ad-hoc holidays, duplicates clusters and company visits.

Thin models: every write goes through ``services.py``; the database enforces what it can (unique tracking
numbers, score ranges, a refusal's reason and remedy, anonymity only for workers, merged ⇔ merged_into).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gvalley.accounts.models import Consent, Organisation
from gvalley.core.models import TimeStampedModel
from gvalley.directory.models import Building, Company, Complex


class Category(models.Model):
    """A kind of request (규제·인허가, 교통·주차, …): its extra questions, default organisation and period.

    ``code`` is the Open311 ``service_code``. ``period`` is a processing period in the notation of
    ``gvalley.engines.deadlines.Period.parse`` (``7d``, ``14d``, ``3h``, ``1m``, ``immediate``).
    """

    class Kind(models.TextChoices):
        SUGGESTION = "suggestion", _("Suggestion on systems or operations (건의)")
        LEGAL_QUESTION = "legal_question", _("Question on laws (질의)")
        PROCEDURE_QUESTION = "procedure_question", _("Question on systems or procedures (질의)")
        GRIEVANCE = "grievance", _("Grievance (고충)")
        SIMPLE = "simple", _("Simple request (기타)")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    kind = models.CharField(_("kind of request"), max_length=30, choices=Kind.choices, default=Kind.GRIEVANCE)
    period = models.CharField(
        _("processing period"),
        max_length=20,
        default="7d",
        help_text=_("For example 7d (7 days), 14d, 3h, 1m (one month) or immediate."),
    )
    default_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("default responsible organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    keywords = models.CharField(_("keywords"), max_length=300, blank=True)
    keywords_en = models.CharField(_("keywords (English)"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("open for new requests"), default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("request category")
        verbose_name_plural = _("request categories")

    def __str__(self) -> str:
        return self.name

    def display_name(self, language: str = "ko") -> str:
        return self.name_en if language == "en" and self.name_en else self.name

    def display_description(self, language: str = "ko") -> str:
        return self.description_en if language == "en" and self.description_en else self.description


class Question(models.Model):
    """An extra question of a category (Open311 service attribute)."""

    class Datatype(models.TextChoices):
        STRING = "string", _("Short text")
        TEXT = "text", _("Long text")
        NUMBER = "number", _("Number")
        DATETIME = "datetime", _("Date and time")
        SINGLE = "singlevaluelist", _("One choice from a list")
        MULTI = "multivaluelist", _("Several choices from a list")

    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.CASCADE, related_name="questions"
    )
    code = models.SlugField(_("code"), max_length=40)
    label = models.CharField(_("question"), max_length=200)
    label_en = models.CharField(_("question (English)"), max_length=200)
    help = models.CharField(_("help text"), max_length=300, blank=True)
    help_en = models.CharField(_("help text (English)"), max_length=300, blank=True)
    datatype = models.CharField(_("answer type"), max_length=20, choices=Datatype.choices)
    required = models.BooleanField(_("required"), default=False)
    #: For list types: ``[{"key": "k", "name": "이름", "name_en": "Name"}, ...]``.
    choices = models.JSONField(_("choices"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["category", "order", "id"]
        verbose_name = _("extra question")
        verbose_name_plural = _("extra questions")
        constraints = [
            models.UniqueConstraint(fields=["category", "code"], name="grievance_question_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.category.code}: {self.label}"

    def display_label(self, language: str = "ko") -> str:
        return self.label_en if language == "en" and self.label_en else self.label

    def display_help(self, language: str = "ko") -> str:
        return self.help_en if language == "en" and self.help_en else self.help

    def choice_pairs(self, language: str = "ko") -> list[tuple[str, str]]:
        return [
            (
                str(c["key"]),
                str(c.get("name_en") or c["name"]) if language == "en" else str(c["name"]),
            )
            for c in self.choices
        ]


class Request(TimeStampedModel):
    """One difficulty or request (애로사항·요구과제) filed by a company, a worker or a citizen."""

    class Status(models.TextChoices):
        RECEIVED = "received", pgettext_lazy("request status", "Received")
        REVIEWING = "reviewing", pgettext_lazy("request status", "Under review")
        IN_PROGRESS = "in_progress", pgettext_lazy("request status", "In progress")
        ANSWERED = "answered", pgettext_lazy("request status", "Answered")
        CLOSED = "closed", pgettext_lazy("request status", "Closed")
        REOPENED = "reopened", pgettext_lazy("request status", "Reopened")
        MERGED = "merged", pgettext_lazy("request status", "Merged into another request")

    #: Statuses whose processing deadline runs (the request waits for an answer).
    OPEN_STATUSES = (Status.RECEIVED, Status.REVIEWING, Status.IN_PROGRESS, Status.REOPENED)

    class Channel(models.TextChoices):
        WEB = "web", _("Web")
        PHONE = "phone", _("Phone")
        IN_PERSON = "in_person", _("In person at the office")
        MEETING = "meeting", _("Meeting or council")
        VISIT = "visit", _("Company visit")
        EMAIL = "email", _("E-mail or letter")
        OPEN311 = "open311", _("Open311 client")

    class FilerType(models.TextChoices):
        COMPANY = "company", _("Company")
        WORKER = "worker", _("Worker")
        CITIZEN = "citizen", _("Citizen")

    tracking_number = models.CharField(_("tracking number"), max_length=20, unique=True)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="requests"
    )
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description = models.TextField(_("description"))
    attributes = models.JSONField(_("answers to the extra questions"), default=dict, blank=True)

    # Where
    complex = models.ForeignKey(
        Complex, verbose_name=_("complex"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    building = models.ForeignKey(
        Building,
        verbose_name=_("building"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    address = models.CharField(_("address or place"), max_length=200, blank=True)
    map_x = models.DecimalField(
        _("map position (x, %)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    map_y = models.DecimalField(
        _("map position (y, %)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)

    # Who
    filer_type = models.CharField(_("filed as"), max_length=10, choices=FilerType.choices)
    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="grievance_requests",
    )
    filer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filer's account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="grievance_requests",
    )
    contact_name = models.CharField(_("name"), max_length=100)
    contact_email = models.EmailField(_("e-mail"), blank=True)
    contact_phone = models.CharField(_("phone"), max_length=30, blank=True)
    contact_organisation = models.CharField(_("company or organisation"), max_length=150, blank=True)
    language = models.CharField(
        _("language for replies"), max_length=5, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    anonymous = models.BooleanField(
        _("keep my identity from my employer"),
        default=False,
        help_text=_("Only the staff handling the request see who filed it; the company never does."),
    )
    consent = models.ForeignKey(
        Consent, verbose_name=_("consent"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # Intake
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, default=Channel.WEB)
    received_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("received by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    visit = models.ForeignKey(
        "Visit",
        verbose_name=_("company visit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requests",
    )
    agenda_item = models.ForeignKey(
        "council.AgendaItem",
        verbose_name=_("council agenda item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requests",
    )
    external_client = models.CharField(_("Open311 client"), max_length=100, blank=True)
    external_token = models.CharField(_("Open311 token"), max_length=40, null=True, blank=True, unique=True)

    # Handling
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED, db_index=True
    )
    responsible_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("responsible organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grievance_requests",
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handler"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="handled_grievance_requests",
    )
    joint_organisations = models.ManyToManyField(
        Organisation, verbose_name=_("joint handling"), blank=True, related_name="joint_grievance_requests"
    )
    action_plan = models.TextField(_("planned action"), blank=True)
    action_due_on = models.DateField(_("action scheduled for"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_requests",
    )

    # Deadline (gvalley.engines.deadlines)
    period = models.CharField(_("processing period"), max_length=20)
    #: When the current round's clock started: receipt, or the moment the request was reopened.
    clock_started_at = models.DateTimeField(_("period counted from"), null=True, blank=True)
    due_rule = models.CharField(_("deadline rule"), max_length=20, blank=True)
    original_due_at = models.DateTimeField(_("original due date"))
    due_at = models.DateTimeField(_("due"), db_index=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    reminders_sent = models.JSONField(_("reminders sent"), default=list, blank=True)
    progress_notice_sent_at = models.DateTimeField(_("progress notice sent"), null=True, blank=True)

    support_count = models.PositiveIntegerField(_("supporters"), default=0)
    search_text = models.TextField(editable=False, blank=True)
    similarity_tokens = models.TextField(editable=False, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("request")
        verbose_name_plural = _("requests")
        indexes = [
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["responsible_organisation", "status"]),
            models.Index(fields=["category", "received_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(anonymous=False) | Q(filer_type="worker"), name="grievance_anonymous_only_workers"
            ),
            models.CheckConstraint(
                condition=(Q(status="merged") & Q(merged_into__isnull=False))
                | (~Q(status="merged") & Q(merged_into__isnull=True)),
                name="grievance_merged_has_target",
            ),
            models.CheckConstraint(
                condition=Q(map_x__isnull=True) | (Q(map_x__gte=0) & Q(map_x__lte=100)),
                name="grievance_map_x_range",
            ),
            models.CheckConstraint(
                condition=Q(map_y__isnull=True) | (Q(map_y__gte=0) & Q(map_y__lte=100)),
                name="grievance_map_y_range",
            ),
            models.CheckConstraint(
                condition=Q(due_at__gte=F("received_at")), name="grievance_due_after_receipt"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("grievances:detail", args=[self.pk])

    def display_title(self, language: str = "ko") -> str:
        return self.title_en if language == "en" and self.title_en else self.title

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_at < timezone.now()

    @property
    def due_changed(self) -> bool:
        return self.due_at != self.original_due_at

    @property
    def open311_status(self) -> str:
        return "open" if self.is_open else "closed"


class Event(models.Model):
    """One step in a request's history (received, assigned, transferred, status, answer, …)."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("Received")
        STATUS = "status", _("Status changed")
        ASSIGNED = "assigned", _("Assigned")
        TRANSFERRED = "transferred", _("Transferred")
        JOINT = "joint", _("Joint handling")
        NOTE = "note", _("Note")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")
        REOPENED = "reopened", _("Reopened")
        MERGED = "merged", _("Merged")
        ESCALATED = "escalated", _("Escalated to the council")
        DUE_CHANGED = "due_changed", _("Due date adjusted")
        NOTICE = "notice", _("Progress notice sent")
        RATED = "rated", _("Satisfaction survey answered")
        SUPPORTED = "supported", _("Supported (me too)")

    request = models.ForeignKey(
        Request, verbose_name=_("request"), on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # a note written by the system is kept as a key and its parameters and put into words when it is shown, in
    # the reader's language (an English-speaking filer reads English whatever the language of the staff member
    # whose action wrote it); ``note`` holds what a person wrote, shown as written
    note_key = models.CharField(_("system note"), max_length=40, blank=True)
    note_params = models.JSONField(_("system note parameters"), default=dict, blank=True)
    from_status = models.CharField(
        _("from status"), max_length=20, choices=Request.Status.choices, blank=True
    )
    to_status = models.CharField(_("to status"), max_length=20, choices=Request.Status.choices, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    from_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("from organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    public = models.BooleanField(_("shown on the public tracking page"), default=False)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("request history entry")
        verbose_name_plural = _("request history")

    def __str__(self) -> str:
        return f"{self.request_id} {self.kind} {self.at:%Y-%m-%d}"

    @property
    def shown_note(self) -> str:
        """The note in the current language: a system note put into words now, then what a person wrote."""
        text = system_note(self.note_key, self.note_params) if self.note_key else ""
        if text and self.note:
            return f"{text} — {self.note}"
        return text or self.note


class Answer(models.Model):
    """The answer to a request (accepted / partly accepted / not accepted, with reason and remedy)."""

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        PARTLY = "partly", _("Partly accepted")
        NOT_ACCEPTED = "not_accepted", _("Not accepted")

    request = models.ForeignKey(
        Request, verbose_name=_("request"), on_delete=models.CASCADE, related_name="answers"
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    body = models.TextField(_("answer"))
    reason = models.TextField(_("reason for not accepting"), blank=True)
    remedy = models.TextField(
        _("remedy available"), blank=True, help_text=_("For example an objection, an administrative appeal…")
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("answered by organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered"), default=timezone.now)

    class Meta:
        ordering = ["answered_at", "id"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="accepted") | (~Q(reason="") & ~Q(remedy="")),
                name="grievance_refusal_has_reason_and_remedy",
            )
        ]

    def __str__(self) -> str:
        return f"{self.request_id} {self.outcome}"


class AnswerTemplate(TimeStampedModel):
    """A reusable answer text (optionally for one category)."""

    title = models.CharField(_("title"), max_length=150)
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="templates",
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Answer.Outcome.choices)
    body = models.TextField(_("answer"))
    reason = models.TextField(_("reason for not accepting"), blank=True)
    remedy = models.TextField(_("remedy available"), blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["category__order", "title"]
        verbose_name = _("answer template")
        verbose_name_plural = _("answer templates")

    def __str__(self) -> str:
        return self.title


class Attachment(models.Model):
    """A file attached to a request (served through a view that checks the rules, never a public URL)."""

    request = models.ForeignKey(
        Request, verbose_name=_("request"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to="grievances/attachments/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(pgettext_lazy("file", "size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class Support(models.Model):
    """A 'me too': someone with the same difficulty joins an existing request."""

    request = models.ForeignKey(
        Request, verbose_name=_("request"), on_delete=models.CASCADE, related_name="supports"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    company = models.ForeignKey(Company, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # someone without an account: the address confirmed by opening the e-mailed link
    email = models.EmailField(_("e-mail"), blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("support (me too)")
        verbose_name_plural = _("supports (me too)")
        constraints = [
            models.UniqueConstraint(
                fields=["request", "user"], condition=Q(user__isnull=False), name="grievance_support_once"
            ),
            models.UniqueConstraint(
                fields=["request", "email"], condition=~Q(email=""), name="grievance_support_once_by_email"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request_id} +1"


class Satisfaction(models.Model):
    """The filer's satisfaction with the handling (survey at closure), per answer round."""

    request = models.ForeignKey(
        Request, verbose_name=_("request"), on_delete=models.CASCADE, related_name="ratings"
    )
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("responsible organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("satisfaction rating")
        verbose_name_plural = _("satisfaction ratings")
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=1) & Q(score__lte=5), name="grievance_score_range"),
            models.UniqueConstraint(fields=["request", "round"], name="grievance_one_rating_per_round"),
        ]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.score}"


class AdhocHoliday(models.Model):
    """A temporary public holiday designated by the cabinet (임시공휴일), entered by the operator."""

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("entered"), auto_now_add=True)

    class Meta:
        ordering = ["-date"]
        verbose_name = _("ad-hoc holiday")
        verbose_name_plural = _("ad-hoc holidays")

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class Cluster(TimeStampedModel):
    """Recurring issue: requests (and visits) about the same problem, offered to the council as one item."""

    class Status(models.TextChoices):
        OPEN = "open", _("Collecting")
        ESCALATED = "escalated", _("Proposed to the council")
        DISMISSED = "dismissed", _("Dismissed")

    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    requests = models.ManyToManyField(
        Request, verbose_name=_("requests"), related_name="clusters", blank=True
    )
    visits = models.ManyToManyField(
        "Visit", verbose_name=_("company visits"), related_name="clusters", blank=True
    )
    agenda_item = models.ForeignKey(
        "council.AgendaItem",
        verbose_name=_("council agenda item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="request_clusters",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("recurring issue")
        verbose_name_plural = _("recurring issues")

    def __str__(self) -> str:
        return self.title


class VisitPlan(TimeStampedModel):
    """The yearly company-visit plan and its target (feeds the yearly plan's indicator)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    target = models.PositiveIntegerField(_("target number of visits"))
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("visit plan")
        verbose_name_plural = _("visit plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100), name="grievance_plan_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.target}"


class Visit(TimeStampedModel):
    """A company visit (기업 방문): who went, whom they met, what they found and what was raised."""

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.PROTECT, related_name="visits"
    )
    visited_on = models.DateField(_("date of the visit"), db_index=True)
    visitor_organisations = models.ManyToManyField(
        Organisation, verbose_name=_("visiting organisations"), related_name="company_visits"
    )
    visitors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("visitors (accounts)"),
        blank=True,
        related_name="company_visits",
    )
    visitor_names = models.CharField(_("other visitors"), max_length=300, blank=True)
    people_met = models.TextField(_("people met"), blank=True)
    findings = models.TextField(_("findings"))
    follow_up = models.TextField(_("follow-up"), blank=True)
    previous_visit = models.ForeignKey(
        "self",
        verbose_name=_("revisit of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="revisits",
    )
    report_sent_at = models.DateTimeField(_("report sent to the company"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = _("company visit")
        verbose_name_plural = _("company visits")

    def __str__(self) -> str:
        return f"{self.visited_on} {self.company}"

    def get_absolute_url(self) -> str:
        return reverse("grievances:visit_detail", args=[self.pk])


class VisitPhoto(models.Model):
    """A photo of a visit (served through a view that checks the rules)."""

    visit = models.ForeignKey(Visit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("photo"), upload_to="grievances/visits/%Y/%m/")
    alt_text = models.CharField(_("description of the photo (alternative text)"), max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(pgettext_lazy("file", "size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("visit photo")
        verbose_name_plural = _("visit photos")

    def __str__(self) -> str:
        return self.original_name


#: System notes of request events (``Event.note_key``), put into words when shown.
SYSTEM_NOTES = {
    "escalated": _("Proposed to %(council)s as an agenda item."),
    "escalated_cluster": _("Proposed to %(council)s with similar requests as one agenda item."),
    "due_changed": _("Due date %(old)s → %(new)s (holiday calendar changed)"),
    "merged_into": _("Merged into %(n)s"),
    "merged_from": _("%(n)s merged into this request"),
    "notice": _("Still open 30 days after receipt; expected completion %(date)s."),
    "notice_reopened": _("Still open 30 days after it was reopened; expected completion %(date)s."),
    "no_joint": _("No joint handling"),
    "channel": "",
    "outcome": "",
}


def system_note(key: str, params: dict[str, Any]) -> str:
    """``key`` with ``params`` in the current language. Names kept in two languages are passed as ``name`` and
    ``name_en``; choice values (a channel, an outcome) are passed as values and shown with their label."""
    from django.utils.translation import get_language

    english = (get_language() or "ko") == "en"
    values = {}
    for name, value in params.items():
        if name.endswith("_en"):
            continue
        values[name] = (params.get(f"{name}_en") or value) if english else value
    if key == "channel":
        return str(Request.Channel(params["channel"]).label)
    if key == "outcome":
        return str(Answer.Outcome(params["outcome"]).label)
    template = SYSTEM_NOTES.get(key)
    if not template:
        return ""
    return str(template) % values
