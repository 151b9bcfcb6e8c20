from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory

from gvalley.core.cache import bump_version, public_cache
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

calls = []


@public_cache(60, version_key="test:version")
def view(request):
    calls.append(1)
    return HttpResponse(f"call {len(calls)}")


def request(user=None, path="/x/?a=1", **cookies):
    req = RequestFactory().get(path)
    req.user = user or AnonymousUser()
    req.COOKIES.update(cookies)
    return req


def test_anonymous_pages_are_served_from_the_cache_until_the_data_change():
    calls.clear()
    first = view(request())
    second = view(request())
    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    assert second.content == b"call 1"
    assert view(request(path="/x/?a=2")).content == b"call 2"  # the query is part of the key
    bump_version("test:version")
    assert view(request()).content == b"call 3"


def test_logged_in_users_and_sessions_are_never_served_from_the_cache():
    calls.clear()
    view(request())
    assert view(request(user=UserFactory())).content == b"call 2"
    assert view(request(sessionid="abc")).content == b"call 3"


def test_a_language_switch_link_sets_the_cookie_and_returns(client):
    response = client.get("/accounts/language/", {"language": "en", "next": "/directory/"})
    assert response.status_code == 302 and response["Location"] == "/directory/"
    assert response.cookies["gvalley_language"].value == "en"
    response = client.get("/accounts/language/", {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_public_pages_set_no_cookie(client):
    response = client.get("/directory/")
    assert response.cookies == {} or "csrftoken" not in response.cookies
