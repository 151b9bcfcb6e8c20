from __future__ import annotations

from datetime import date

import factory

from gvalley.week.models import Edition, Programme


class EditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Edition
        django_get_or_create = ("year",)

    number = factory.Sequence(lambda n: 6 + n)
    year = factory.Sequence(lambda n: 2021 + n)
    title = factory.LazyAttribute(lambda o: f"{o.year} G밸리 Week")
    title_en = factory.LazyAttribute(lambda o: f"G-Valley Week {o.year}")
    starts_on = factory.LazyAttribute(lambda o: date(o.year, 10, 6))
    ends_on = factory.LazyAttribute(lambda o: date(o.year, 10, 8))
    is_online = True


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    edition = factory.SubFactory(EditionFactory)
    kind = Programme.Kind.EXPORT_CONSULTATION
    title = factory.Sequence(lambda n: f"수출상담회 {n}")
    title_en = factory.Sequence(lambda n: f"Export consultation {n}")
    starts_on = factory.LazyAttribute(lambda o: o.edition.starts_on)
    ends_on = factory.LazyAttribute(lambda o: o.edition.ends_on)
