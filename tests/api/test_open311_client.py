"""An independent Open311 client (Python's urllib, no Django) against the live test server: it lists the
services, reads a service definition, posts a request with an API key and reads it back."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from xml.etree import ElementTree as ET

import pytest

from gvalley.api.services import open311_key_issue
from gvalley.grievances.models import Question, Request
from tests.grievances.factories import CategoryFactory, QuestionFactory, request_notice

pytestmark = pytest.mark.django_db(transaction=True)


def fetch(url: str, data: dict[str, str] | None = None) -> tuple[int, bytes, str]:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    req = urllib.request.Request(url, data=body, method="POST" if body is not None else "GET")
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:  # noqa: S310 - the local test server
            return resp.status, resp.read(), resp.headers["Content-Type"]
    except urllib.error.HTTPError as err:
        return err.code, err.read(), err.headers["Content-Type"]


def test_an_independent_client_lists_posts_and_reads_back(live_server):
    request_notice()
    category = CategoryFactory(code="safety", name="환경·안전", name_en="Environment and safety")
    QuestionFactory(
        category=category,
        code="hazard",
        datatype=Question.Datatype.SINGLE,
        required=True,
        choices=[{"key": "fire", "name": "화재"}, {"key": "noise", "name": "소음"}],
    )
    key = open311_key_issue(actor=None, name="independent client")[1]
    base = live_server.url + "/open311/"

    status, body, ctype = fetch(base + "discovery.json")
    endpoint = json.loads(body)["endpoints"][0]
    assert status == 200 and ctype == "application/json; charset=utf-8"
    api = endpoint["url"]
    assert api == live_server.url + "/open311/v2/"

    status, body, _ = fetch(api + "services.json")
    assert [s["service_code"] for s in json.loads(body)] == ["safety"]
    status, body, _ = fetch(api + "services/safety.xml")
    definition = ET.fromstring(body)
    assert [a.findtext("code") for a in definition.iter("attribute")] == ["hazard"]

    status, body, _ = fetch(
        api + "requests.json",
        {
            "api_key": "gv311_not-a-key",
            "service_code": "safety",
            "lat": "37.48",
            "long": "126.88",
            "description": "x",
        },
    )
    assert status == 403 and json.loads(body)[0]["code"] == 403

    status, body, _ = fetch(
        api + "requests.json",
        {
            "api_key": key,
            "service_code": "safety",
            "lat": "37.4790",
            "long": "126.8870",
            "description": "지식산업센터 비상계단에 물건이 쌓여 있어 화재가 나면 대피가 어렵습니다.",
            "email": "reporter@example.com",
            "first_name": "Minji",
            "last_name": "Park",
            "attribute[hazard]": "fire",
        },
    )
    assert status == 201, body
    created = json.loads(body)[0]
    number = created["service_request_id"]

    status, body, _ = fetch(api + f"requests/{number}.json")
    (row,) = json.loads(body)
    assert (row["service_request_id"], row["status"], row["service_code"]) == (number, "open", "safety")
    assert row["expected_datetime"] and row["lat"] == pytest.approx(37.479)

    status, body, _ = fetch(api + f"tokens/{created['token']}.xml")
    assert ET.fromstring(body).findtext("request/service_request_id") == number

    status, body, _ = fetch(api + "requests.xml?status=open&service_code=safety")
    assert [r.findtext("service_request_id") for r in ET.fromstring(body).iter("request")] == [number]
    assert Request.objects.get(tracking_number=number).channel == "open311"
