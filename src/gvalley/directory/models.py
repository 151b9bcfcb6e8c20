"""Complexes, buildings (knowledge industry centres), industries, companies and support facilities."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gvalley.accounts.models import Organisation
from gvalley.core.models import TimeStampedModel
from gvalley.engines import bizno


def validate_business_number(value: str) -> None:
    if not bizno.is_valid(value):
        raise ValidationError(
            _("%(value)s is not a valid business registration number (check digit)."),
            code="bad_business_number",
            params={"value": value},
        )


class Complex(models.Model):
    """One of the three complexes of G-Valley (1단지 Guro; 2·3단지 Geumcheon)."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    name = models.CharField(_("name"), max_length=50)
    name_en = models.CharField(_("name (English)"), max_length=50)
    district = models.CharField(_("district"), max_length=20)
    district_en = models.CharField(_("district (English)"), max_length=30)
    area_m2 = models.PositiveIntegerField(_("area (m²)"), null=True, blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("complex")
        verbose_name_plural = _("complexes")

    def __str__(self) -> str:
        return self.name


class Building(TimeStampedModel):
    """A building in a complex; most are knowledge industry centres (지식산업센터)."""

    class Kind(models.TextChoices):
        KNOWLEDGE_CENTRE = "kic", _("Knowledge industry centre")
        FACTORY = "factory", _("Factory")
        SUPPORT = "support", _("Support facility")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        BUILT = "built", _("Built")
        UNDER_CONSTRUCTION = "construction", _("Under construction")
        NOT_STARTED = "not_started", _("Not started")

    name = models.CharField(_("name"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150, blank=True)
    complex = models.ForeignKey(
        Complex, verbose_name=_("complex"), on_delete=models.PROTECT, related_name="buildings"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.KNOWLEDGE_CENTRE)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.BUILT)
    address = models.CharField(_("address"), max_length=200, blank=True)
    completion_year = models.PositiveSmallIntegerField(_("completion year"), null=True, blank=True)
    floors = models.PositiveSmallIntegerField(_("floors"), null=True, blank=True)

    class Meta:
        ordering = ["complex__number", "name"]
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        constraints = [
            models.UniqueConstraint(fields=["complex", "name"], name="building_unique_name_per_complex")
        ]

    def __str__(self) -> str:
        return self.name


class Industry(models.Model):
    """A Korean Standard Industrial Classification (KSIC, 10th revision) class, with its division."""

    code = models.CharField(_("KSIC code"), max_length=5, unique=True)
    name = models.CharField(_("name"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150)
    division = models.CharField(_("division code"), max_length=2, db_index=True)
    division_name = models.CharField(_("division"), max_length=150)
    division_name_en = models.CharField(_("division (English)"), max_length=150)

    class Meta:
        ordering = ["code"]
        verbose_name = _("industry (KSIC)")
        verbose_name_plural = _("industries (KSIC)")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Company(TimeStampedModel):
    """A company in G-Valley: the one profile that every programme of the platform links to."""

    class Size(models.TextChoices):
        MICRO = "micro", _("1–9 employees")
        SMALL = "small", _("10–49 employees")
        MEDIUM = "medium", _("50–299 employees")
        LARGE = "large", _("300 or more employees")

    SIZE_BOUNDS = {"micro": (0, 9), "small": (10, 49), "medium": (50, 299), "large": (300, None)}

    organisation = models.OneToOneField(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="company",
    )
    name = models.CharField(_("name"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150, blank=True)
    business_number = models.CharField(
        _("business registration number"), max_length=12, unique=True, validators=[validate_business_number]
    )
    representative = models.CharField(_("representative"), max_length=60)
    industry = models.ForeignKey(
        Industry, verbose_name=_("industry"), on_delete=models.PROTECT, related_name="companies"
    )
    employees = models.PositiveIntegerField(_("employees"))
    complex = models.ForeignKey(
        Complex, verbose_name=_("complex"), on_delete=models.PROTECT, related_name="companies"
    )
    building = models.ForeignKey(
        Building,
        verbose_name=_("building"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="companies",
    )
    address = models.CharField(_("address"), max_length=200)
    products = models.CharField(_("main products"), max_length=300, blank=True)
    products_en = models.CharField(_("main products (English)"), max_length=300, blank=True)
    website = models.URLField(_("website"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    founded_year = models.PositiveSmallIntegerField(_("founded"), null=True, blank=True)
    production_million_krw = models.PositiveBigIntegerField(_("annual production (KRW million)"), default=0)
    exports_thousand_usd = models.PositiveBigIntegerField(_("annual exports (USD thousand)"), default=0)
    certifications = models.CharField(_("certifications"), max_length=300, blank=True)
    export_countries = models.CharField(_("export or target countries"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    search_text = models.TextField(editable=False, blank=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        indexes = [
            models.Index(fields=["complex", "name"]),
            models.Index(fields=["employees"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(employees__gte=0), name="company_employees_non_negative"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:company_detail", args=[self.pk])

    def display_name(self, language: str = "ko") -> str:
        return self.name_en if language == "en" and self.name_en else self.name

    @property
    def size(self) -> str:
        for key, (low, high) in self.SIZE_BOUNDS.items():
            if self.employees >= low and (high is None or self.employees <= high):
                return key
        return "micro"

    def get_size_display(self) -> str:
        return str(self.Size(self.size).label)


class SupportFacility(TimeStampedModel):
    """A facility that supports companies and workers (childcare, fitness, parking, finance, …)."""

    class Kind(models.TextChoices):
        BUSINESS_SUPPORT = "business", _("Business support centre")
        CHILDCARE = "childcare", _("Childcare centre")
        FITNESS = "fitness", _("Sports and fitness")
        PARKING = "parking", _("Public parking")
        FINANCE = "finance", _("Bank and finance")
        MEDICAL = "medical", _("Medical")
        HOUSING = "housing", _("Housing and dormitory")
        CULTURE = "culture", _("Culture and convention")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    complex = models.ForeignKey(
        Complex, verbose_name=_("complex"), on_delete=models.PROTECT, related_name="facilities"
    )
    building = models.ForeignKey(
        Building,
        verbose_name=_("building"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="facilities",
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["complex__number", "kind", "name"]
        verbose_name = _("support facility")
        verbose_name_plural = _("support facilities")

    def __str__(self) -> str:
        return self.name
