from __future__ import annotations

import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from gvalley.core.models import AuditLog
from gvalley.week import services
from gvalley.week.demo import seed
from gvalley.week.models import Edition, Programme
from gvalley.week.registry import programme_page, register_programme_page
from tests.week.factories import EditionFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


def test_edition_dates_must_be_ordered():
    with pytest.raises(ValidationError):
        services.edition_create(
            actor=None,
            number=9,
            year=2024,
            title="t",
            title_en="t",
            starts_on=date(2024, 10, 8),
            ends_on=date(2024, 10, 6),
        )
    assert Edition.objects.count() == 0


def test_programme_must_fall_in_the_editions_year_and_is_audited():
    edition = EditionFactory(year=2021)
    with pytest.raises(ValidationError):
        services.programme_create(
            actor=None,
            edition=edition,
            kind="job_fair",
            title="박람회",
            title_en="Fair",
            starts_on=date(2022, 1, 1),
            ends_on=date(2022, 1, 2),
        )
    programme = services.programme_create(
        actor=None,
        edition=edition,
        kind="job_fair",
        title="박람회",
        title_en="Fair",
        starts_on=date(2021, 9, 29),
        ends_on=date(2021, 10, 22),
    )
    assert AuditLog.objects.filter(action="week.programme.create", object_id=str(programme.pk)).count() == 1


def test_demo_has_the_2021_edition_with_its_seven_programmes_and_is_idempotent():
    seed()
    seed()
    edition = Edition.objects.get(year=2021)
    assert edition.number == 6
    kinds = sorted(edition.programmes.values_list("kind", flat=True))
    assert kinds == sorted(
        [
            "export_consultation",
            "startup_competition",
            "job_fair",
            "demo_day",
            "live_commerce",
            "video_festival",
            "vr_exhibition",
        ]
    )
    assert Edition.objects.get(year=2020).number == 5
    fair = edition.programmes.get(kind="job_fair")
    assert (fair.starts_on, fair.ends_on) == (date(2021, 9, 29), date(2021, 10, 22))


@pytest.mark.parametrize("n", [1, 3])
def test_week_pages_render_at_a_fixed_number_of_queries(client, queries, n):
    edition = EditionFactory(year=2021)
    for i in range(n):
        ProgrammeFactory(edition=edition, category="culture" if i % 2 else "industry")
    for i in range(n - 1):
        EditionFactory(year=2010 + i)
    with queries() as ctx:
        html = client.get(reverse("week:home")).content.decode()
    assert html.count('href="/week/20') >= n
    assert len(ctx.captured_queries) == 1
    with queries() as ctx:
        html = client.get(reverse("week:edition", args=[2021])).content.decode()
    assert html.count("/programmes/") == n
    assert len(ctx.captured_queries) == 3


def test_programme_page_links_to_the_registered_programme_app(client):
    programme = ProgrammeFactory(kind=Programme.Kind.VR_EXHIBITION)
    assert programme_page("vr_exhibition", programme.pk) is None
    register_programme_page("vr_exhibition", "week:edition", "go")  # any URL taking one int argument
    try:
        html = client.get(programme.get_absolute_url()).content.decode()
        assert f'href="/week/{programme.pk}/"' in html
    finally:
        from gvalley.week import registry

        registry._PAGES.pop("vr_exhibition")


def test_unknown_edition_is_404(client):
    assert client.get(reverse("week:edition", args=[1999])).status_code == 404


def test_field_labels_keep_the_weeks_own_korean_wording():
    """One translation table per language: the council's '설명(영문)' and '크기' (a file's size) used to show
    here. The council's wording and the file sizes now have a context."""
    from gvalley.council.models import Document, Meeting
    from gvalley.grievances.models import Attachment, Category

    def label(model, name):
        return str(model._meta.get_field(name).verbose_name)

    with translation.override("ko"):
        assert label(Programme, "target_size") == "규모"
        assert label(Edition, "description_en") == "소개(영문)"
        assert label(Category, "description_en") == "소개(영문)"
        assert label(Meeting, "description_en") == "설명(영문)"
        assert label(Document, "size") == label(Attachment, "size") == "크기"


def test_edition_and_programme_titles_follow_the_readers_language(client):
    edition = EditionFactory(title="2021 G밸리 Week (제6회)", title_en="G-Valley Week 2021 (6th)")
    programme = ProgrammeFactory(edition=edition, title="온라인 채용박람회", title_en="Online job fair")

    def title(url: str) -> str:
        return re.search(r"<title>([^|<]+)", client.get(url).content.decode()).group(1).strip()

    assert title(edition.get_absolute_url()) == "2021 G밸리 Week (제6회)"
    assert title(programme.get_absolute_url()) == "온라인 채용박람회"
    client.cookies["gvalley_language"] = "en"
    assert title(edition.get_absolute_url()) == "G-Valley Week 2021 (6th)"
    assert title(programme.get_absolute_url()) == "Online job fair"
