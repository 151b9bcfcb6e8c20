"""People, their roles and organisations, and their consent to the processing of personal data."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone as dj_timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from gvalley.core.models import TimeStampedModel


class Role(models.TextChoices):
    OPERATOR = "operator", _("Platform operator (district office)")
    SECRETARIAT = "secretariat", _("Council secretariat")
    COUNCIL_MEMBER = "council_member", _("Council member")
    AGENCY_HANDLER = "agency_handler", _("Agency handler")
    COMPANY_REP = "company_rep", _("Company representative")
    WORKER = "worker", _("Worker / citizen")
    BUYER = "buyer", _("Foreign buyer")
    JUDGE = "judge", _("Judge")
    MENTOR = "mentor", _("Mentor")
    INVESTOR = "investor", _("Investor")
    STARTUP_MEMBER = "startup_member", _("Startup member")
    JOB_SEEKER = "job_seeker", _("Job seeker")
    INTERPRETER = "interpreter", _("Interpreter")


#: Roles whose holders must sign in with a second factor (TOTP).
STAFF_ROLES = frozenset({Role.OPERATOR, Role.SECRETARIAT, Role.AGENCY_HANDLER})


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: object) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """One account per person, signed in with an e-mail address."""

    email = models.EmailField(_("e-mail address"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    timezone = models.CharField(_("time zone"), max_length=64, default=settings.TIME_ZONE)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("may use the admin site"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=dj_timezone.now)
    email_confirmed_at = models.DateTimeField(_("e-mail confirmed"), null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["name", "email"]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>" if self.name else self.email

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name

    @cached_property
    def role_set(self) -> frozenset[str]:
        """The roles this person holds now (one query, cached on the instance)."""
        if not self.pk:
            return frozenset()
        today = dj_timezone.localdate()
        return frozenset(
            Membership.objects.filter(user=self)
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today))
            .values_list("role", flat=True)
        )

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_set.intersection(roles))

    @property
    def is_staff_role(self) -> bool:
        return bool(self.role_set & STAFF_ROLES)

    @property
    def needs_second_factor(self) -> bool:
        """Staff roles and superusers handle other people's data: they sign in with a TOTP code too."""
        return self.is_superuser or self.is_staff_role


class Organisation(TimeStampedModel):
    """A body a person can belong to: a council member organisation, an agency, a company, a buyer's firm."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("Local or city government")
        PUBLIC_ENTERPRISE = "public_enterprise", _("Public enterprise")
        ASSOCIATION = "association", _("Business association")
        AGENCY = "agency", _("Agency or support body")
        COMPANY = "company", _("G-Valley company")
        FOREIGN_COMPANY = "foreign_company", _("Foreign company")
        INVESTOR = "investor", _("Investor")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    website = models.URLField(_("website"), blank=True)
    country = models.CharField(_("country"), max_length=2, default="KR")

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        indexes = [models.Index(fields=["kind", "name"])]

    def __str__(self) -> str:
        return self.name

    def display_name(self, language: str = "ko") -> str:
        return self.name_en if language == "en" and self.name_en else self.name


class Membership(TimeStampedModel):
    """A person's role, optionally within an organisation (company, agency, council organisation)."""

    user = models.ForeignKey(
        User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    title = models.CharField(_("position"), max_length=100, blank=True)
    started_on = models.DateField(_("since"), default=dj_timezone.localdate)
    ended_on = models.DateField(
        _("ended"), null=True, blank=True, help_text=_("The first day without the role.")
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["user", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"],
                condition=Q(ended_on__isnull=True),
                name="membership_unique_active",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="membership_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        org = f" @ {self.organisation}" if self.organisation_id else ""
        return f"{self.user.name}: {self.get_role_display()}{org}"

    @property
    def is_current(self) -> bool:
        return self.ended_on is None or self.ended_on > dj_timezone.localdate()


class PrivacyNotice(models.Model):
    """A version of a notice on the collection and use of personal data (개인정보 수집·이용 동의)."""

    class Purpose(models.TextChoices):
        ACCOUNT = "account", _("Account and sign-in")
        REQUEST = "request", _("Filing a difficulty or request")
        PROGRAMME = "programme", _("Taking part in a festival programme")
        MARKETING = "marketing", _("News and announcements")

    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    version = models.CharField(_("version"), max_length=20)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    items = models.CharField(_("personal data collected"), max_length=300)
    retention = models.CharField(_("retention period"), max_length=100)
    # the same notice in English, for people who use the platform in English (foreign buyers, mentors):
    # consent is only valid if it was understood
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    body_en = models.TextField(_("text (English)"), blank=True)
    items_en = models.CharField(_("personal data collected (English)"), max_length=300, blank=True)
    retention_en = models.CharField(_("retention period (English)"), max_length=100, blank=True)
    required = models.BooleanField(_("required"), default=True)
    published_at = models.DateTimeField(_("published"), default=dj_timezone.now)

    class Meta:
        verbose_name = _("privacy notice")
        verbose_name_plural = _("privacy notices")
        ordering = ["purpose", "-published_at"]
        constraints = [models.UniqueConstraint(fields=["purpose", "version"], name="notice_unique_version")]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"

    def bilingual(self, field: str, language: str = "ko") -> str:
        """``field`` in ``language``: the English text in English when there is one, else the Korean."""
        value = getattr(self, field, "")
        if language == "en":
            return getattr(self, f"{field}_en", "") or value
        return value


class Consent(models.Model):
    """Who agreed to which version of which notice, and when (and when they withdrew)."""

    user = models.ForeignKey(
        User,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consents",
    )
    email = models.EmailField(_("e-mail"), blank=True)
    notice = models.ForeignKey(PrivacyNotice, verbose_name=_("notice"), on_delete=models.PROTECT)
    given_at = models.DateTimeField(_("given"), default=dj_timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    context = models.CharField(_("where"), max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_at"]

    def __str__(self) -> str:
        return f"{self.user or self.email}: {self.notice}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None
