"""Open311 GeoReport v2: discovery, services, service definitions, requests (GET with the spec's filters and
default window, POST with api_key), single requests, tokens, the error format, JSON and XML."""

from __future__ import annotations

import json
from datetime import timedelta
from xml.etree import ElementTree as ET

import pytest
from django.utils import timezone

from gvalley.accounts.models import Consent
from gvalley.api.services import open311_key_issue, open311_key_revoke
from gvalley.grievances import services
from gvalley.grievances.models import Question, Request
from tests.factories import BuildingFactory, OrganisationFactory
from tests.grievances.factories import CategoryFactory, QuestionFactory, make_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def category():
    cat = CategoryFactory(
        code="transport",
        name="교통·주차",
        name_en="Transport and parking",
        description="출퇴근 버스와 주차",
        keywords="버스, 주차",
        default_organisation=OrganisationFactory(name="금천구", name_en="Geumcheon-gu Office"),
        order=1,
    )
    QuestionFactory(
        category=cat,
        code="mode",
        label="무엇에 관한 것입니까?",
        label_en="What is it about?",
        help="하나를 고르세요",
        datatype=Question.Datatype.SINGLE,
        required=True,
        order=1,
        choices=[
            {"key": "bus", "name": "버스", "name_en": "Bus"},
            {"key": "parking", "name": "주차", "name_en": "Parking"},
        ],
    )
    CategoryFactory(code="closed-cat", is_active=False)
    return cat


@pytest.fixture
def key():
    return open311_key_issue(actor=None, name="금천구 앱")[1]


def get_json(client, url, **params):
    response = client.get(url, params)
    return response.status_code, json.loads(response.content)


def post(client, key, **data):
    payload = {
        "api_key": key,
        "service_code": "transport",
        "lat": "37.4815",
        "long": "126.8827",
        "description": "가산디지털단지역 출근 버스가 부족합니다.\n배차 간격을 줄여 주세요.",
        "email": "citizen@example.com",
        "first_name": "길동",
        "last_name": "홍",
        "attribute[mode]": "bus",
    }
    payload.update(data)
    payload = {k: v for k, v in payload.items() if v is not None}
    response = client.post("/open311/v2/requests.json", payload)
    return response.status_code, json.loads(response.content)


def test_discovery_document_in_json_and_xml(client):
    status, data = get_json(client, "/open311/v2/discovery.json")
    assert status == 200
    (endpoint,) = data["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2/" and endpoint["formats"] == [
        "text/xml",
        "application/json",
    ]
    xml = ET.fromstring(client.get("/open311/discovery.xml").content)
    assert xml.tag == "discovery" and [f.text for f in xml.iter("format")] == ["text/xml", "application/json"]


def test_services_list_and_definition(client, category):
    status, data = get_json(client, "/open311/v2/services.json")
    assert status == 200
    assert data == [
        {
            "service_code": "transport",
            "service_name": "교통·주차",
            "description": "출퇴근 버스와 주차",
            "metadata": True,
            "type": "realtime",
            "keywords": "버스, 주차",
            "group": str(category.get_kind_display()),
        }
    ]
    english = client.get("/open311/v2/services.json", HTTP_ACCEPT_LANGUAGE="en")
    assert json.loads(english.content)[0]["service_name"] == "Transport and parking"
    status, definition = get_json(client, "/open311/v2/services/transport.json")
    assert definition == {
        "service_code": "transport",
        "attributes": [
            {
                "variable": True,
                "code": "mode",
                "datatype": "singlevaluelist",
                "required": True,
                "datatype_description": "하나를 고르세요",
                "order": 1,
                "description": "무엇에 관한 것입니까?",
                "values": [{"key": "bus", "name": "버스"}, {"key": "parking", "name": "주차"}],
            }
        ],
    }
    xml = ET.fromstring(client.get("/open311/v2/services/transport.xml").content)
    assert xml.tag == "service_definition"
    assert [v.findtext("key") for v in xml.iter("value")] == ["bus", "parking"]
    assert xml.find("attributes/attribute/required").text == "true"
    services_xml = ET.fromstring(client.get("/open311/v2/services.xml").content)
    assert services_xml.tag == "services" and services_xml.find("service/service_code").text == "transport"


def test_errors_use_the_spec_format_in_json_and_xml(client, category):
    status, data = get_json(client, "/open311/v2/services/nothing.json")
    assert (
        status == 404
        and data == [{"code": 404, "description": data[0]["description"]}]
        and data[0]["description"]
    )
    response = client.get("/open311/v2/services/nothing.xml")
    xml = ET.fromstring(response.content)
    assert response.status_code == 404 and xml.tag == "errors" and xml.find("error/code").text == "404"
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    status, data = get_json(client, "/open311/v2/services.csv")
    assert status == 404 and data[0]["code"] == 404
    status, data = get_json(client, "/open311/v2/services.json", jurisdiction_id="elsewhere.example")
    assert status == 404


def test_post_creates_a_request_through_the_intake_service(client, category, key):
    status, data = post(client, key)
    assert status == 201
    (row,) = data
    req = Request.objects.get(tracking_number=row["service_request_id"])
    assert set(row) == {"service_request_id", "token", "service_notice", "account_id"}
    assert (req.channel, req.external_client, req.contact_name, req.contact_email) == (
        "open311",
        "금천구 앱",
        "홍 길동",
        "citizen@example.com",
    )
    assert req.title == "가산디지털단지역 출근 버스가 부족합니다." and req.attributes == {"mode": "bus"}
    assert req.responsible_organisation.name == "금천구"
    assert (req.map_x is not None, req.external_token == row["token"]) == (True, True)
    assert Consent.objects.get(pk=req.consent_id).context.startswith(
        f"grievances:{req.tracking_number}:open311"
    )
    status, tokens = get_json(client, f"/open311/v2/tokens/{row['token']}.json")
    assert tokens == [{"service_request_id": req.tracking_number, "token": row["token"]}]


@pytest.mark.parametrize(
    "changes, code, fragment",
    [
        ({"api_key": None}, 403, "api_key"),
        ({"api_key": "gv311_wrong"}, 403, "api_key"),
        ({"service_code": None}, 400, "service_code"),
        ({"service_code": "nothing"}, 404, "service_code"),
        ({"service_code": "closed-cat"}, 404, "service_code"),
        ({"lat": None, "long": None}, 400, "address_string"),
        ({"long": None}, 400, "long"),
        ({"lat": "north"}, 400, "lat"),
        ({"address_id": "99999", "lat": None, "long": None}, 400, "address_id"),
        ({"description": "  "}, 400, "description"),
        ({"attribute[mode]": None}, 400, "attribute[mode]"),
        ({"attribute[mode]": "plane"}, 400, "attribute[mode]"),
        ({"email": None}, 400, "contact_email"),
        ({"email": "nobody"}, 400, "contact_email"),
        ({"anonymous": "true"}, 400, "anonymous"),
    ],
)
def test_post_rejects_bad_input_with_the_error_format_and_writes_nothing(
    client, category, key, changes, code, fragment
):
    status, data = post(client, key, **changes)
    assert status == code
    assert len(data) == 1 and data[0]["code"] == code and fragment in data[0]["description"]
    assert Request.objects.count() == 0 and Consent.objects.count() == 0


def test_revoked_keys_are_refused(client, category):
    record, raw = open311_key_issue(actor=None, name="old app")
    open311_key_revoke(actor=None, key=record)
    assert post(client, raw)[0] == 403


def test_post_with_address_id_and_html_neutralised(client, category, key):
    building = BuildingFactory(name="에이스하이엔드타워")
    status, data = post(
        client,
        key,
        lat=None,
        long=None,
        address_id=str(building.pk),
        description="<b>주차</b> 부족<script>x</script>",
    )
    req = Request.objects.get(tracking_number=data[0]["service_request_id"])
    assert (req.building, req.complex, req.description) == (building, building.complex, "주차 부족")


def test_an_anonymous_workers_identity_never_appears(client, category, key):
    status, data = post(
        client,
        key,
        filer_type="worker",
        anonymous="true",
        first_name="비밀",
        last_name="김",
        email="secret@example.com",
        phone="010-5555-4444",
    )
    assert status == 201
    number = data[0]["service_request_id"]
    for url, params in [
        ("/open311/v2/requests.json", {}),
        ("/open311/v2/requests.xml", {}),
        (f"/open311/v2/requests/{number}.json", {}),
        (f"/open311/v2/requests/{number}.json", {"api_key": key}),
        ("/open311/v2/requests.json", {"api_key": key}),
    ]:
        body = client.get(url, params).content.decode()
        assert number in body
        for secret in ("비밀", "secret@example.com", "5555", "출근 버스가 부족합니다.\n"):
            assert secret not in body, (url, secret)


def test_get_requests_fields_and_statuses(client, category, key):
    org = OrganisationFactory(name="서울교통공사", name_en="Seoul Metro")
    req = make_request(
        category=category, attributes={"mode": "bus"}, contact_name="홍길동", contact_email="hong@example.com"
    )
    services.request_assign(actor=None, request=req, organisation=org, notify=False)
    status, data = get_json(client, f"/open311/v2/requests/{req.tracking_number}.json")
    (row,) = data
    assert row["status"] == "open" and row["agency_responsible"] == "서울교통공사"
    assert row["expected_datetime"] == timezone.localtime(req.due_at).isoformat(timespec="seconds")
    assert row["requested_datetime"].endswith("+09:00") and row["description"] == req.title
    assert row["service_code"] == "transport" and row["service_name"] == "교통·주차"
    assert "hong@example.com" not in json.dumps(row, ensure_ascii=False) and "홍길동" not in json.dumps(
        row, ensure_ascii=False
    )
    services.request_answer(actor=None, request=req, outcome="accepted", body="증차", notify=False)
    assert get_json(client, f"/open311/v2/requests/{req.tracking_number}.json")[1][0]["status"] == "closed"
    dup = make_request(category=category, attributes={"mode": "bus"})
    services.request_merge(actor=None, primary=req, duplicates=[dup], notify=False)
    merged = get_json(client, f"/open311/v2/requests/{dup.tracking_number}.json")[1][0]
    assert merged["status"] == "closed" and req.tracking_number in merged["status_notes"]
    assert get_json(client, "/open311/v2/requests/GV00-XXXXXX.json")[0] == 404


def test_get_requests_filters_and_default_window(client, category):
    now = timezone.now()
    old = make_request(category=category, attributes={"mode": "bus"}, received_at=now - timedelta(days=120))
    recent_open = make_request(
        category=category, attributes={"mode": "bus"}, received_at=now - timedelta(days=10)
    )
    recent_closed = make_request(
        category=category, attributes={"mode": "bus"}, received_at=now - timedelta(days=5)
    )
    services.request_answer(actor=None, request=recent_closed, outcome="accepted", body="ok", notify=False)
    other = make_request(category=CategoryFactory(code="welfare"), received_at=now - timedelta(days=3))

    def ids(**params):
        status, data = get_json(client, "/open311/v2/requests.json", **params)
        assert status == 200, data
        return {row["service_request_id"] for row in data}

    assert ids() == {recent_open.tracking_number, recent_closed.tracking_number, other.tracking_number}
    assert ids(status="open") == {recent_open.tracking_number, other.tracking_number}
    assert ids(status="closed") == {recent_closed.tracking_number}
    assert ids(status="open,closed", service_code="transport") == {
        recent_open.tracking_number,
        recent_closed.tracking_number,
    }
    start = (now - timedelta(days=130)).date().isoformat()
    end = (now - timedelta(days=100)).date().isoformat()
    assert ids(start_date=start, end_date=end) == {old.tracking_number}
    assert ids(service_request_id=f"{old.tracking_number},{other.tracking_number}") == {
        old.tracking_number,
        other.tracking_number,
    }
    status, data = get_json(
        client, "/open311/v2/requests.json", start_date=(now - timedelta(days=200)).isoformat()
    )
    assert status == 200
    status, data = get_json(
        client, "/open311/v2/requests.json", start_date="2021-01-01", end_date="2021-12-31"
    )
    assert status == 400 and "90" in data[0]["description"]
    assert get_json(client, "/open311/v2/requests.json", start_date="yesterday")[0] == 400
    assert get_json(client, "/open311/v2/requests.json", status="pending")[0] == 400
    assert get_json(client, "/open311/v2/requests.json", service_code="nothing")[0] == 404
    assert get_json(client, "/open311/v2/requests.json", api_key="gv311_bad")[0] == 403
    xml = ET.fromstring(client.get("/open311/v2/requests.xml").content)
    assert xml.tag == "service_requests" and len(xml.findall("request")) == 3


def test_the_posting_client_reads_its_full_description_back(client, category, key):
    status, data = post(client, key)
    number = data[0]["service_request_id"]
    public = get_json(client, f"/open311/v2/requests/{number}.json")[1][0]["description"]
    own = get_json(client, f"/open311/v2/requests/{number}.json", api_key=key)[1][0]["description"]
    assert public == "가산디지털단지역 출근 버스가 부족합니다." and own.endswith("배차 간격을 줄여 주세요.")
    other_key = open311_key_issue(actor=None, name="other")[1]
    assert (
        get_json(client, f"/open311/v2/requests/{number}.json", api_key=other_key)[1][0]["description"]
        == public
    )


@pytest.mark.parametrize("n", [1, 3])
def test_requests_list_runs_a_fixed_number_of_queries(client, category, queries, n):
    for _ in range(n):
        req = make_request(
            category=category,
            attributes={"mode": "bus"},
            location=services.Location(building=BuildingFactory()),
        )
        services.request_assign(actor=None, request=req, organisation=OrganisationFactory(), notify=False)
    with queries() as q:
        data = json.loads(client.get("/open311/v2/requests.json").content)
    assert len(data) == n and len(q) == 2
