from __future__ import annotations

import pytest
from django.urls import reverse

from gvalley.core.services import job_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_home_links_to_every_wing(client):
    html = client.get("/").content.decode()
    for name in (
        "directory:company_list",
        "directory:statistics",
        "council:home",
        "grievances:home",
        "week:home",
    ):
        assert f'href="{reverse(name)}"' in html


def test_home_is_korean_by_default_and_english_on_request(client):
    assert "기업 디렉터리" in client.get("/").content.decode()
    client.post(reverse("accounts:set_language"), {"language": "en", "next": "/"})
    assert "Company directory" in client.get("/").content.decode()


def test_pages_carry_a_strict_content_security_policy(client):
    csp = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp and "unsafe-inline" not in csp


def test_job_status_is_visible_to_its_creator_only(client, login):
    owner, other = UserFactory(), UserFactory()
    job = job_create(kind="t", title="가져오기", created_by=owner)
    login(other)
    assert client.get(reverse("core:job", args=[job.pk])).status_code == 403
    login(owner)
    response = client.get(reverse("core:job", args=[job.pk]), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'hx-trigger="every 1s"' in html and 'value="0"' in html


def test_health(client):
    assert client.get("/health/").json() == {"status": "ok"}


def test_radio_choices_render_as_krds_checks_with_visible_labels(rf):
    from django import forms
    from django.template.loader import render_to_string

    from gvalley.core.forms import Form

    class F(Form):
        colour = forms.ChoiceField(
            label="색", choices=[("r", "빨강"), ("b", "파랑")], widget=forms.RadioSelect
        )

    html = render_to_string("includes/form.html", {"form": F()})
    assert html.count('<div class="krds-form-check"><input type="radio" name="colour"') == 2
    assert '<label for="id_colour_0">빨강</label>' in html and "<legend" in html
