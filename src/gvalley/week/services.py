"""Festival frame services: every write to editions and programmes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gvalley.accounts.models import Organisation
from gvalley.core.services import audit, snapshot

from .models import Edition, Programme

EDITION_FIELDS = {
    "number",
    "year",
    "title",
    "title_en",
    "starts_on",
    "ends_on",
    "theme",
    "theme_en",
    "description",
    "description_en",
    "is_online",
    "is_published",
}
PROGRAMME_FIELDS = {
    "kind",
    "category",
    "title",
    "title_en",
    "summary",
    "summary_en",
    "operator",
    "starts_on",
    "ends_on",
    "format",
    "target_size",
    "target_size_en",
    "order",
}


def _check_fields(fields: dict[str, Any], allowed: set[str]) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")


@transaction.atomic
def edition_create(*, actor: Any, organisers: Iterable[Organisation] = (), **fields: Any) -> Edition:
    _check_fields(fields, EDITION_FIELDS)
    edition = Edition(**fields)
    edition.full_clean()
    edition.save()
    edition.organisers.set(list(organisers))
    audit(actor=actor, action="week.edition.create", obj=edition, after=snapshot(edition))
    return edition


@transaction.atomic
def edition_update(*, actor: Any, edition: Edition, **fields: Any) -> Edition:
    _check_fields(fields, EDITION_FIELDS)
    before = snapshot(edition)
    for key, value in fields.items():
        setattr(edition, key, value)
    edition.full_clean()
    edition.save()
    audit(actor=actor, action="week.edition.update", obj=edition, before=before, after=snapshot(edition))
    return edition


def _check_programme(programme: Programme) -> None:
    edition = programme.edition
    # A programme may start before the festival days (the job fair runs four weeks; the competition's
    # application rounds start months earlier) but must overlap the edition's year.
    if programme.starts_on.year > edition.year or programme.ends_on.year < edition.year:
        raise ValidationError(_("The programme's dates must fall in the edition's year."))


@transaction.atomic
def programme_create(*, actor: Any, edition: Edition, **fields: Any) -> Programme:
    _check_fields(fields, PROGRAMME_FIELDS)
    programme = Programme(edition=edition, **fields)
    programme.full_clean()
    _check_programme(programme)
    programme.save()
    audit(actor=actor, action="week.programme.create", obj=programme, after=snapshot(programme))
    return programme


@transaction.atomic
def programme_update(*, actor: Any, programme: Programme, **fields: Any) -> Programme:
    _check_fields(fields, PROGRAMME_FIELDS)
    before = snapshot(programme)
    for key, value in fields.items():
        setattr(programme, key, value)
    programme.full_clean()
    _check_programme(programme)
    programme.save()
    audit(
        actor=actor, action="week.programme.update", obj=programme, before=before, after=snapshot(programme)
    )
    return programme
