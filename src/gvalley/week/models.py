"""G밸리 Week: festival editions and their programmes, the frame every festival programme hangs on."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gvalley.accounts.models import Organisation
from gvalley.core.models import TimeStampedModel


class Edition(TimeStampedModel):
    """One yearly G밸리 Week (e.g. the 6th, 2021)."""

    number = models.PositiveSmallIntegerField(_("edition number"), unique=True)
    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    theme = models.CharField(_("theme"), max_length=300, blank=True)
    theme_en = models.CharField(_("theme (English)"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    organisers = models.ManyToManyField(
        Organisation, verbose_name=_("organisers"), blank=True, related_name="+"
    )
    is_online = models.BooleanField(_("held online"), default=False)
    is_published = models.BooleanField(_("published"), default=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("festival edition")
        verbose_name_plural = _("festival editions")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="edition_dates_ordered")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("week:edition", args=[self.year])

    def display_title(self, language: str = "ko") -> str:
        return self.title_en if language == "en" and self.title_en else self.title


class Programme(TimeStampedModel):
    """A programme of an edition (export consultation, startup competition, job fair, …)."""

    class Kind(models.TextChoices):
        EXPORT_CONSULTATION = "export_consultation", _("Export consultation")
        STARTUP_COMPETITION = "startup_competition", _("Startup competition")
        JOB_FAIR = "job_fair", _("Online job fair")
        DEMO_DAY = "demo_day", _("Startup demo day (IR)")
        LIVE_COMMERCE = "live_commerce", _("Live commerce")
        VIDEO_FESTIVAL = "video_festival", _("Video festival")
        VR_EXHIBITION = "vr_exhibition", _("VR special exhibition")
        OTHER = "other", _("Other")

    class Category(models.TextChoices):
        INDUSTRY = "industry", _("Industry programme")
        CULTURE = "culture", _("Culture programme")

    class Format(models.TextChoices):
        ONLINE = "online", _("Online")
        OFFLINE = "offline", _("On site")
        HYBRID = "hybrid", _("Online and on site")

    edition = models.ForeignKey(
        Edition, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="programmes"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    category = models.CharField(
        _("category"), max_length=20, choices=Category.choices, default=Category.INDUSTRY
    )
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    operator = models.ForeignKey(
        Organisation,
        verbose_name=_("operating organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    format = models.CharField(_("format"), max_length=10, choices=Format.choices, default=Format.ONLINE)
    target_size = models.CharField(
        _("size"), max_length=200, blank=True, help_text=_("e.g. 30 buyers × 80 companies")
    )
    target_size_en = models.CharField(_("size (English)"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["edition", "order", "starts_on", "id"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="programme_dates_ordered"),
            models.UniqueConstraint(fields=["edition", "kind", "title"], name="programme_unique_title"),
        ]

    def __str__(self) -> str:
        return f"{self.edition.year} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("week:programme", args=[self.edition.year, self.pk])

    def display_title(self, language: str = "ko") -> str:
        return self.title_en if language == "en" and self.title_en else self.title
