"""Pages: intake, similar panel, tracking, handling, survey, files, staff pages, exports, query counts."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from gvalley.accounts.models import Role
from gvalley.api.models import Open311Key
from gvalley.core.models import AccessLog, Job
from gvalley.grievances import services
from gvalley.grievances.models import (
    AdhocHoliday,
    AnswerTemplate,
    Attachment,
    Question,
    Request,
    Satisfaction,
    Visit,
)
from tests.factories import CompanyFactory, OrganisationFactory, UserFactory
from tests.grievances.factories import (
    CategoryFactory,
    QuestionFactory,
    handler_of,
    make_request,
    seoul,
    trend_world,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


def form_data(**overrides):
    data = {
        "filer_type": "worker",
        "title": "출근 버스가 부족합니다",
        "description": "가산디지털단지역 출근 버스 배차 간격이 너무 깁니다.",
        "contact_name": "김근로",
        "contact_email": "worker@example.com",
        "contact_phone": "010-1234-5678",
        "consent": "on",
    }
    data.update(overrides)
    return data


@pytest.fixture
def category():
    cat = CategoryFactory(
        code="transport", name="교통·주차", name_en="Transport", default_organisation=OrganisationFactory()
    )
    QuestionFactory(
        category=cat,
        code="mode",
        label="무엇에 관한 것입니까?",
        datatype=Question.Datatype.SINGLE,
        required=True,
        choices=[{"key": "bus", "name": "버스"}, {"key": "parking", "name": "주차"}],
    )
    return cat


def test_a_visitor_files_a_request_without_an_account_and_is_sent_to_the_tracking_page(
    client, category, django_capture_on_commit_callbacks
):
    page = client.get(reverse("grievances:file", args=["transport"]))
    assert page.status_code == 200
    assert "무엇에 관한 것입니까?" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("grievances:file", args=["transport"]),
            form_data(
                attribute_mode="bus",
                anonymous="on",
                title="<b>출근</b> 버스",
                attachments=SimpleUploadedFile("a.pdf", PDF),
            ),
        )
    req = Request.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "grievances:track_detail", args=[req.tracking_number]
    )
    assert (req.title, req.anonymous, req.filer, req.attributes) == ("출근 버스", True, None, {"mode": "bus"})
    assert req.attachments.count() == 1 and req.consent.email == "worker@example.com"
    assert mail.outbox[-1].to == ["worker@example.com"] and req.tracking_number in mail.outbox[-1].subject


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"consent": ""}, "consent"),
        ({"title": ""}, "title"),
        ({"attribute_mode": ""}, "attribute_mode"),
        ({"contact_email": "", "contact_phone": ""}, "contact_email"),
        ({"anonymous": "on", "filer_type": "company"}, "anonymous"),
        ({"attachments": SimpleUploadedFile("evil.pdf", b"MZ\x90\x00 not pdf")}, "attachments"),
        ({"map_x": "150", "map_y": "10"}, "map_x"),
    ],
)
def test_intake_form_rejects_bad_input_and_writes_nothing(client, category, overrides, field):
    data = form_data(attribute_mode="bus")
    data.update(overrides)
    response = client.post(reverse("grievances:file", args=["transport"]), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert 'aria-invalid="true"' in response.content.decode()
    assert Request.objects.count() == 0 and Attachment.objects.count() == 0


def test_similar_requests_panel_suggests_existing_requests(client, category):
    existing = make_request(
        category=category, attributes={"mode": "bus"}, title="가산디지털단지역 출근 버스 증차 요청"
    )
    make_request(
        category=category,
        attributes={"mode": "parking"},
        title="주차장 부족",
        description="지식산업센터 주차 공간이 부족합니다.",
    )
    response = client.post(
        reverse("grievances:similar"), {"title": "출근 버스 증차", "description": "아침 버스가 너무 붐빕니다"}
    )
    assert [r.pk for r in response.context["similar"]][0] == existing.pk
    assert existing.tracking_number in response.content.decode()
    # without JavaScript the "check" button shows the same panel and keeps what was typed
    response = client.post(
        reverse("grievances:file", args=["transport"]), form_data(check_similar="1", title="출근 버스 증차")
    )
    assert response.status_code == 200 and response.context["similar"][0].pk == existing.pk
    assert 'value="출근 버스 증차"' in response.content.decode()
    assert Request.objects.count() == 2


def test_me_too_from_the_tracking_page(client, login, category):
    req = make_request(category=category, attributes={"mode": "bus"})
    response = client.post(reverse("grievances:support", args=[req.pk]))
    # without an account: the e-mail form (test_someone_without_an_account_joins_… below)
    assert response.status_code == 302 and response["Location"] == reverse(
        "grievances:support_email", args=[req.pk]
    )
    login(UserFactory())
    client.post(reverse("grievances:support", args=[req.pk]))
    req.refresh_from_db()
    assert req.support_count == 1


def test_public_tracking_page_masks_personal_data_and_shows_public_history_and_answer(client):
    req = make_request(contact_name="홍길동", contact_email="hong@example.com", contact_phone="010-9999-8888")
    services.request_add_note(actor=None, request=req, note="내부 메모: 담당자 통화", public=False)
    services.request_answer(
        actor=None, request=req, outcome="accepted", body="버스 2대를 증차했습니다.", notify=False
    )
    page = client.get(reverse("grievances:track_detail", args=[req.tracking_number.lower().replace("-", "")]))
    html = page.content.decode()
    assert page.status_code == 200 and req.tracking_number in html
    assert "홍*동" in html and "홍길동" not in html and "hong@example.com" not in html and "9999" not in html
    assert "버스 2대를 증차했습니다." in html and "내부 메모" not in html
    assert client.get(reverse("grievances:track_detail", args=["GV99-AAAAAA"])).status_code == 404
    anonymous = make_request(filer_type="worker", anonymous=True, contact_name="김비밀")
    html = client.get(reverse("grievances:track_detail", args=[anonymous.tracking_number])).content.decode()
    assert "김비밀" not in html and "김*밀" not in html


def test_track_form_finds_a_request_by_number(client):
    req = make_request()
    response = client.get(reverse("grievances:track"), {"number": req.tracking_number.lower()})
    assert response["Location"] == reverse("grievances:track_detail", args=[req.tracking_number])
    response = client.get(reverse("grievances:track"), {"number": "GV00-ZZZZZZ"})
    assert response.status_code == 200 and "number" in response.context["form"].errors


def test_staff_see_contact_details_masked_and_unmasking_is_logged(client, login):
    operator = UserFactory(roles=[Role.OPERATOR])
    req = make_request(contact_name="홍길동", contact_email="hong@example.com")
    login(operator)
    html = client.get(reverse("grievances:detail", args=[req.pk])).content.decode()
    assert "홍*동" in html and "hong@example.com" not in html and AccessLog.objects.count() == 0
    html = client.get(reverse("grievances:detail", args=[req.pk]) + "?unmask=1").content.decode()
    assert "hong@example.com" in html
    log = AccessLog.objects.get()
    assert (log.kind, log.actor, log.subject) == (
        "unmask",
        operator,
        f"grievance request {req.tracking_number}",
    )


def test_a_company_representative_never_sees_a_workers_request_or_identity(client, login):
    company = CompanyFactory()
    from gvalley.directory.services import company_add_representative

    rep = UserFactory()
    company_add_representative(actor=None, company=company, user=rep)
    worker_req = make_request(
        filer_type="worker",
        anonymous=True,
        company=company,
        contact_name="김비밀",
        attachments=[SimpleUploadedFile("a.pdf", PDF)],
    )
    login(rep)
    assert client.get(reverse("grievances:detail", args=[worker_req.pk])).status_code == 403
    assert (
        client.get(reverse("grievances:attachment", args=[worker_req.attachments.get().pk])).status_code
        == 403
    )
    html = client.get(reverse("grievances:mine")).content.decode()
    assert "김비밀" not in html and worker_req.tracking_number not in html


def test_attachments_are_served_to_authorised_users_only(client, login):
    filer = UserFactory()
    req = make_request(actor=filer, attachments=[SimpleUploadedFile("plan.pdf", PDF)])
    att = req.attachments.get()
    url = reverse("grievances:attachment", args=[att.pk])
    assert client.get(url).status_code == 403
    login(UserFactory())
    assert client.get(url).status_code == 403
    login(filer)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert 'filename="plan.pdf"' in response["Content-Disposition"]


def test_operator_triages_transfers_answers_and_closes_through_the_pages(client, login):
    operator = UserFactory(roles=[Role.OPERATOR])
    a, b = OrganisationFactory(), OrganisationFactory()
    handler = handler_of(a)
    template = services.template_save(
        actor=None, title="수용", outcome="accepted", body="조치를 완료했습니다."
    )
    req = make_request()
    login(operator)
    url = lambda name: reverse("grievances:action", args=[req.pk, name])  # noqa: E731
    assert client.post(url("assign"), {"organisation": a.pk, "handler": handler.pk}).status_code == 302
    response = client.post(url("transfer"), {"organisation": b.pk, "reason": ""})
    assert response.status_code == 400 and "reason" in response.context["transfer_form"].errors
    assert client.post(url("transfer"), {"organisation": b.pk, "reason": "소관"}).status_code == 302
    page = client.get(reverse("grievances:detail", args=[req.pk]), {"template": template.pk})
    assert page.context["answer_form"].initial["body"] == "조치를 완료했습니다."
    response = client.post(url("answer"), {"outcome": "not_accepted", "body": "불가"})
    assert response.status_code == 400 and set(response.context["answer_form"].errors) == {"reason", "remedy"}
    assert (
        client.post(url("answer"), {"outcome": "accepted", "body": "조치를 완료했습니다."}).status_code == 302
    )
    assert client.post(url("close"), {"note": ""}).status_code == 302
    req.refresh_from_db()
    assert (req.status, req.responsible_organisation) == (Request.Status.CLOSED, b)
    assert client.post(url("nonsense"), {}).status_code == 404


def test_handlers_of_other_organisations_cannot_act(client, login):
    a, b = OrganisationFactory(), OrganisationFactory()
    req = make_request()
    services.request_assign(actor=None, request=req, organisation=a, notify=False)
    login(handler_of(b))
    assert client.get(reverse("grievances:detail", args=[req.pk])).status_code == 403
    assert (
        client.post(
            reverse("grievances:action", args=[req.pk, "answer"]), {"outcome": "accepted", "body": "x"}
        ).status_code
        == 403
    )
    req.refresh_from_db()
    assert req.status == Request.Status.REVIEWING


def test_survey_link_rates_once_and_reopens_in_one_click(client):
    req = make_request(contact_email="f@example.com")
    services.request_answer(actor=None, request=req, outcome="accepted", body="ok", notify=False)
    services.request_close(actor=None, request=req, notify=False)
    token = services.survey_token(req)
    url = reverse("grievances:survey", args=[token])
    assert client.get(url).status_code == 200
    response = client.post(url, {"action": "rate", "score": "9"})
    assert response.status_code == 200 and "score" in response.context["form"].errors
    assert client.post(url, {"action": "rate", "score": "2", "comment": "늦었어요"}).status_code == 302
    assert Satisfaction.objects.get(request=req).score == 2
    assert client.get(url).context["already"] is True
    assert (
        client.post(url, {"action": "reopen", "reopen-reason": "여전히 버스가 부족합니다"}).status_code == 302
    )
    req.refresh_from_db()
    assert req.status == Request.Status.REOPENED
    assert client.get(reverse("grievances:survey", args=["bad-token"])).status_code == 400


def test_staff_file_on_behalf_with_company_lookup(client, login, category):
    company = CompanyFactory()
    login(UserFactory(roles=[Role.OPERATOR]))
    url = reverse("grievances:on_behalf", args=["transport"])
    data = form_data(
        attribute_mode="parking",
        channel="phone",
        received_at="2024-03-04T10:00",
        filer_type="company",
        company_lookup="없는회사",
    )
    response = client.post(url, data)
    assert response.status_code == 200 and "company_lookup" in response.context["form"].errors
    data["company_lookup"] = company.business_number.replace("-", "")
    response = client.post(url, data)
    req = Request.objects.get()
    assert response["Location"] == reverse("grievances:detail", args=[req.pk])
    assert (req.channel, req.company, req.filer) == ("phone", company, None)
    data["received_at"] = "2099-01-01T10:00"
    assert "received_at" in client.post(url, data).context["form"].errors


def test_ad_hoc_holiday_page_starts_a_recompute_job(client, login):
    req = make_request(category=CategoryFactory(period="2d"), received_at=seoul(2026, 6, 1, 10, 0))
    login(UserFactory(roles=[Role.OPERATOR]))
    response = client.post(
        reverse("grievances:holidays"), {"action": "add", "date": "2026-06-02", "name": "임시공휴일"}
    )
    job = Job.objects.get()
    assert response["Location"] == reverse("core:job", args=[job.pk])
    assert job.status == "succeeded" and job.result == {"checked": 1, "changed": 1}
    req.refresh_from_db()
    assert req.due_changed
    response = client.post(
        reverse("grievances:holidays"), {"action": "add", "date": "2026-06-02", "name": "again"}
    )
    assert response.status_code == 200 and "date" in response.context["form"].errors
    assert AdhocHoliday.objects.count() == 1


def test_category_page_edits_the_period_and_adds_questions(client, login, category):
    login(UserFactory(roles=[Role.OPERATOR]))
    url = reverse("grievances:category_edit", args=[category.pk])
    base = {
        "action": "category",
        "name": "교통",
        "name_en": "Transport",
        "kind": "grievance",
        "is_active": "on",
    }
    response = client.post(url, {**base, "period": "someday"})
    assert response.status_code == 200 and "period" in response.context["form"].errors
    assert client.post(url, {**base, "period": "14d"}).status_code == 302
    category.refresh_from_db()
    assert category.period == "14d"
    q = {
        "action": "question",
        "q-code": "time",
        "q-label": "시간",
        "q-label_en": "Time",
        "q-datatype": "singlevaluelist",
        "q-order": 2,
    }
    response = client.post(url, {**q, "q-choices_text": ""})
    assert "choices" not in response.context["qform"].errors and response.context["qform"].non_field_errors()
    client.post(url, {**q, "q-choices_text": "am | 오전 | Morning\npm | 오후 | Afternoon"})
    assert category.questions.get(code="time").choices == [
        {"key": "am", "name": "오전", "name_en": "Morning"},
        {"key": "pm", "name": "오후", "name_en": "Afternoon"},
    ]


def test_answer_template_pages(client, login):
    login(UserFactory(roles=[Role.OPERATOR]))
    response = client.post(
        reverse("grievances:template_new"), {"title": "불가", "outcome": "not_accepted", "body": "불가"}
    )
    assert response.status_code == 200 and AnswerTemplate.objects.count() == 0
    response = client.post(
        reverse("grievances:template_new"),
        {
            "title": "불가",
            "outcome": "not_accepted",
            "body": "불가",
            "reason": "법령",
            "remedy": "행정심판",
            "is_active": "on",
        },
    )
    assert response.status_code == 302 and AnswerTemplate.objects.get().remedy == "행정심판"


def test_open311_key_page_shows_a_new_key_once_and_revokes(client, login):
    login(UserFactory(roles=[Role.OPERATOR]))
    url = reverse("grievances:open311_keys")
    html = client.post(url, {"action": "issue", "name": "금천구 앱"}).content.decode()
    key = re.search(r'id="new-key">(gv311_[^<]+)<', html).group(1)
    record = Open311Key.objects.get()
    assert record.api_key_hash != key and key not in client.get(url).content.decode()
    client.post(url, {"action": "revoke", "key": record.pk})
    record.refresh_from_db()
    assert record.revoked_at is not None


def test_visit_record_raises_requests_and_reports_back_without_workers_issues(
    client, login, django_capture_on_commit_callbacks
):
    org = OrganisationFactory()
    handler = handler_of(org)
    company = CompanyFactory()
    from gvalley.directory.services import company_add_representative

    rep = UserFactory(email="ceo@example.com")
    company_add_representative(actor=None, company=company, user=rep)
    cat = CategoryFactory()
    login(handler)
    response = client.post(
        reverse("grievances:visit_new"),
        {
            "company": company.name,
            "visited_on": "2022-06-14",
            "organisations": [org.pk],
            "findings": "채용이 어렵다",
            "photo": SimpleUploadedFile("p.png", PNG),
        },
    )
    assert response.status_code == 200 and "photo_alt" in response.context["form"].errors
    response = client.post(
        reverse("grievances:visit_new"),
        {
            "company": company.name,
            "visited_on": "2022-06-14",
            "organisations": [org.pk],
            "findings": "채용이 어렵다",
            "photo": SimpleUploadedFile("p.png", PNG),
            "photo_alt": "간담회 사진",
        },
    )
    visit = Visit.objects.get()
    assert response["Location"] == reverse("grievances:visit_detail", args=[visit.pk])
    url = reverse("grievances:visit_detail", args=[visit.pk])
    for filer_type, title, anonymous in (
        ("company", "채용 연계 요청", ""),
        ("worker", "휴게 공간 부족", "on"),
    ):
        client.post(
            url,
            {
                "action": "request",
                "r-category": cat.pk,
                "r-title": title,
                "r-description": title,
                "r-filer_type": filer_type,
                "r-contact_name": "김대표" if filer_type == "company" else "이근로",
                "r-contact_phone": "010-1111-2222",
                "r-anonymous": anonymous,
                "r-consent": "on",
            },
        )
    assert list(visit.requests.order_by("id").values_list("channel", "filer_type", "anonymous")) == [
        ("visit", "company", False),
        ("visit", "worker", True),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "report"})
    report = mail.outbox[-1]
    assert (
        report.to == ["ceo@example.com"]
        and "채용 연계 요청" in report.body
        and "휴게 공간" not in report.body
    )
    photo = visit.photos.get()
    assert client.get(reverse("grievances:visit_photo", args=[photo.pk])).status_code == 200


def test_dashboard_export_contains_no_personal_data(client, login):
    company = CompanyFactory(name="비밀전자")
    make_request(
        filer_type="worker",
        anonymous=True,
        company=company,
        contact_name="김비밀",
        contact_email="secret@example.com",
    )
    make_request(filer_type="company", company=CompanyFactory(name="공개전자"), contact_name="박대표")
    login(UserFactory(roles=[Role.SECRETARIAT]))
    response = client.get(reverse("grievances:dashboard_xlsx"))
    book = load_workbook(io.BytesIO(response.content))
    cells = {
        str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None
    }
    assert "공개전자" in cells
    assert not {"비밀전자", "김비밀", "secret@example.com", "박대표"} & cells
    assert (
        book.sheetnames == ["By organisation", "By category", "Over time", "Requests"]
        or len(book.sheetnames) == 4
    )
    assert client.get(reverse("grievances:dashboard")).status_code == 200


TREND_2021 = [
    # month, received, answered, closed, reopened, open and overdue at the end of the month
    ["2021-01", 2, 1, 1, 0, 2, 2],
    ["2021-02", 0, 2, 1, 0, 0, 0],
    ["2021-03", 1, 0, 0, 1, 2, 1],
    ["2021-04", 2, 0, 0, 0, 4, 3],
    ["2021-05", 0, 2, 1, 0, 2, 2],
    *([f"2021-{m:02d}", 0, 0, 0, 0, 2, 2] for m in range(6, 13)),
]


def test_the_dashboard_shows_the_monthly_trend_as_a_chart_and_a_table_and_exports_it(client, login):
    world = trend_world()
    login(UserFactory(roles=[Role.SECRETARIAT]))
    response = client.get(reverse("grievances:dashboard"), {"year": 2021})
    assert response.status_code == 200
    keys = ("received", "answered", "closed", "reopened", "open", "overdue")
    assert [[r["period"], *(r[k] for k in keys)] for r in response.context["data"]["trend"]] == TREND_2021
    chart = response.context["chart"]
    assert chart["periods"] == [row[0] for row in TREND_2021]
    assert chart["open"] == [row[5] for row in TREND_2021]
    assert chart["overdue"] == [row[6] for row in TREND_2021]
    assert chart["closed"] == [row[3] for row in TREND_2021]
    html = response.content.decode()
    table = html[html.index('id="trend-table"') : html.index("</table>", html.index('id="trend-table"'))]
    assert re.sub(r"\s+", "", table).count("<tr>") == 13  # the header and twelve months
    assert (
        '<th scope="row">2021-04</th><td class="num">2</td><td class="num">0</td><td class="num">0</td>'
        in table
    )

    response = client.get(reverse("grievances:dashboard_xlsx"), {"year": 2021})
    with translation.override(response.wsgi_request.LANGUAGE_CODE):
        title = translation.gettext("Over time")
        headers = [
            translation.gettext(h)
            for h in (
                "Month",
                "Received",
                "Answered",
                "Closed",
                "Reopened",
                "Open at the end of the month",
                "Overdue at the end of the month",
            )
        ]
    book = load_workbook(io.BytesIO(response.content))
    assert [list(r) for r in book[title].iter_rows(values_only=True)] == [headers, *TREND_2021]
    response = client.get(
        reverse("grievances:dashboard_xlsx"), {"year": 2021, "organisation": world["na"].pk}
    )
    rows = [list(r) for r in load_workbook(io.BytesIO(response.content))[title].iter_rows(values_only=True)]
    assert rows[1:] == [
        ["2021-01", 0, 0, 0, 0, 0, 0],
        ["2021-02", 0, 0, 0, 0, 0, 0],
        ["2021-03", 0, 0, 0, 0, 0, 0],
        *([f"2021-{m:02d}", int(m == 4), 0, 0, 0, 1, 1] for m in range(4, 13)),
    ]


def test_the_queue_filters_requests_on_the_councils_agenda_and_marks_them(client, login):
    from gvalley.grievances.council_link import escalate_request
    from tests.council.factories import CouncilFactory

    operator = UserFactory(roles=[Role.OPERATOR])
    escalated = make_request(title="채용 박람회 요청")
    plain = make_request(title="주차 공간 부족")
    escalate_request(actor=operator, request=escalated, council=CouncilFactory(), title="채용 지원")
    login(operator)
    url = reverse("grievances:queue")

    def titles(**params):
        response = client.get(url, params)
        assert response.status_code == 200
        return [r.title for r in response.context["object_list"]], response.content.decode()

    everything, html = titles()
    assert sorted(everything) == sorted([escalated.title, plain.title])
    assert html.count('class="gv-badge gv-badge-council"') == 1
    assert titles(agenda="yes")[0] == [escalated.title]
    assert titles(agenda="no")[0] == [plain.title]
    assert sorted(titles(agenda="maybe")[0]) == sorted(everything)  # an unknown value: no filter
    # the htmx partial marks it too
    partial = client.get(url, {"agenda": "yes"}, headers={"HX-Request": "true"}).content.decode()
    assert 'class="gv-badge gv-badge-council"' in partial and "<html" not in partial


def test_staff_pages_are_closed_to_others(client, login):
    login(UserFactory(roles=[Role.WORKER]))
    for name in (
        "queue",
        "dashboard",
        "visit_list",
        "holidays",
        "category_list",
        "template_list",
        "recurring",
        "open311_keys",
    ):
        assert client.get(reverse(f"grievances:{name}")).status_code == 403, name


@pytest.mark.parametrize("n", [1, 3])
def test_list_pages_run_a_fixed_number_of_queries(client, login, queries, n):
    from gvalley.grievances.council_link import escalate_request
    from tests.council.factories import CouncilFactory

    council = CouncilFactory()
    operator = UserFactory(roles=[Role.OPERATOR])
    org = OrganisationFactory()
    company = CompanyFactory()
    for i in range(n):
        req = make_request(actor=operator, title=f"요청 {i}")
        services.request_assign(actor=operator, request=req, organisation=org, handler=None, notify=False)
        services.request_set_joint(actor=operator, request=req, organisations=[OrganisationFactory()])
        services.template_save(actor=None, title=f"T{i}", outcome="accepted", body="ok")
        AdhocHoliday.objects.create(date=date(2030, 1, 1 + i), name="h")
        visit = services.visit_record(
            actor=operator,
            company=company,
            visited_on=date(2022, 1, 1 + i),
            organisations=[org, OrganisationFactory()],
            findings="f",
        )
        services.visit_raise_request(
            actor=operator,
            visit=visit,
            category=req.category,
            title="t",
            description="d",
            filer_type="company",
            contact_name="n",
            contact_phone="1",
            consent=True,
            notify=False,
        )
        Open311Key.objects.create(name=f"k{i}", prefix=f"p{i}", api_key_hash=f"h{i}", created_by=operator)
        escalate_request(actor=operator, request=req, council=council, title=f"안건 {i}")
    services.cluster_create(actor=operator, title="c", requests=list(Request.objects.all()[:2]))
    login(operator)
    pages = [
        "queue",
        "mine",
        "visit_list",
        "template_list",
        "holidays",
        "open311_keys",
        "category_list",
        "visit_plans",
    ]
    counts = {}
    for name in pages:
        client.get(reverse(f"grievances:{name}"))  # warm caches (sessions, content types)
        with queries() as q:
            response = client.get(reverse(f"grievances:{name}"))
        assert response.status_code == 200, name
        counts[name] = len(q)
    for agenda in ("yes", "no"):  # the council's agenda filter (and its badge) adds no query
        with queries() as q:
            response = client.get(reverse("grievances:queue"), {"agenda": agenda})
        assert response.status_code == 200
        assert len(response.context["object_list"]) == n  # n escalated; n raised on visits, not
        counts[f"queue?agenda={agenda}"] = len(q)
    with queries() as q:
        response = client.get(reverse("grievances:dashboard"))
    assert response.status_code == 200
    counts["dashboard"] = len(q)
    expected = {
        "queue": 9,
        "queue?agenda=yes": 9,
        "queue?agenda=no": 9,
        "dashboard": 14,
        "mine": 7,
        "visit_list": 10,
        "template_list": 6,
        "holidays": 5,
        "open311_keys": 5,
        "category_list": 6,
        "visit_plans": 6,
    }
    assert counts == expected, repr(counts)


def test_an_anonymous_workers_name_never_reaches_the_secretariat_but_the_handler_may_unmask_it(client, login):
    from django.utils import translation

    org = OrganisationFactory()
    handler = handler_of(org, name="박담당")
    worker = UserFactory(roles=[Role.WORKER], name="한지민")
    req = make_request(
        actor=worker,
        filer_type="worker",
        anonymous=True,
        company=CompanyFactory(name="비밀전자"),
        contact_name="한지민",
    )
    services.request_assign(actor=handler, request=req, organisation=org, notify=False)
    services.request_answer(actor=handler, request=req, outcome="accepted", body="조치", notify=False)
    services.satisfaction_submit(actor=worker, request=req, score=2)
    services.request_reopen(actor=worker, request=req, reason="해결 안 됨", notify=False)
    url = reverse("grievances:detail", args=[req.pk])
    with translation.override("ko"):
        anonymous = translation.gettext("Filer (anonymous)")
        as_filer = translation.gettext("%(name)s (filer)")

    login(UserFactory(roles=[Role.SECRETARIAT]))
    response = client.get(url)
    html = response.content.decode()
    assert [(e.kind, e.actor_label) for e in response.context["events"]] == [
        ("received", anonymous),
        ("assigned", "박담당"),
        ("answered", "박담당"),
        ("rated", anonymous),
        ("reopened", anonymous),
    ]
    assert "한지민" not in html and "한*민" not in html and "비밀전자" not in html
    assert html.count(f"<td>{anonymous}</td>") == 3

    client.logout()
    login(handler)
    labels = [e.actor_label for e in client.get(url).context["events"]]
    assert labels == [as_filer % {"name": "한*민"}, "박담당", "박담당"] + [as_filer % {"name": "한*민"}] * 2
    html = client.get(url + "?unmask=1").content.decode()
    assert html.count(f"<td>{as_filer % {'name': '한지민'}}</td>") == 3
    assert AccessLog.objects.filter(actor=handler, kind="unmask").count() == 1

    # the public tracking page names nobody
    client.logout()
    html = client.get(reverse("grievances:track_detail", args=[req.tracking_number])).content.decode()
    assert "한지민" not in html and "한*민" not in html


def test_a_named_filer_and_supporters_are_masked_in_the_history_for_the_secretariat(client, login):
    from django.utils import translation

    filer = UserFactory(name="홍길동")
    supporter = UserFactory(name="김동참")
    req = make_request(actor=filer, contact_name="홍길동")
    services.request_support(actor=supporter, request=req)
    login(UserFactory(roles=[Role.SECRETARIAT]))
    response = client.get(reverse("grievances:detail", args=[req.pk]))
    with translation.override("ko"):
        expected = [
            translation.gettext("%(name)s (filer)") % {"name": "홍*동"},
            translation.gettext("%(name)s (supporter)") % {"name": "김*참"},
        ]
    assert [e.actor_label for e in response.context["events"]] == expected
    html = response.content.decode()
    assert "홍길동" not in html and "김동참" not in html


def test_the_operator_creates_a_category_through_the_page_and_the_creation_is_audited(client, login):
    from gvalley.core.models import AuditLog
    from gvalley.grievances.models import Category

    org = OrganisationFactory()
    operator = UserFactory(roles=[Role.OPERATOR])
    login(operator)
    assert (
        'href="/requests/staff/categories/new/"'
        in client.get(reverse("grievances:category_list")).content.decode()
    )
    url = reverse("grievances:category_new")
    assert client.get(url).status_code == 200
    base = {
        "code": "safety",
        "name": "안전",
        "name_en": "Safety",
        "kind": "suggestion",
        "period": "",
        "default_organisation": org.pk,
        "order": 3,
        "is_active": "on",
    }
    response = client.post(url, {**base, "period": "someday"})
    assert response.status_code == 200 and set(response.context["form"].errors) == {"period"}
    response = client.post(url, {**base, "code": "안전!"})
    assert response.status_code == 200 and set(response.context["form"].errors) == {"code"}
    assert not Category.objects.exists()
    response = client.post(url, base)
    category = Category.objects.get()
    assert response["Location"] == reverse("grievances:category_edit", args=[category.pk])
    assert (
        category.code,
        category.name,
        category.name_en,
        category.kind,
        category.period,
        category.default_organisation,
        category.order,
        category.is_active,
    ) == ("safety", "안전", "Safety", "suggestion", "14d", org, 3, True)
    log = AuditLog.objects.get(action="grievances.category.create")
    assert (log.actor, log.object_id) == (operator, str(category.pk))
    # the same code again: a clear error on the code, nothing written
    response = client.post(url, {**base, "name": "다른 분류"})
    assert response.status_code == 200 and list(response.context["form"].errors) == ["code"]
    assert Category.objects.count() == 1
    # closed to others
    client.logout()
    login(UserFactory(roles=[Role.SECRETARIAT]))
    assert client.get(url).status_code == 403
    assert client.post(url, {**base, "code": "other"}).status_code == 403
    assert Category.objects.count() == 1


def test_the_operator_edits_an_extra_question_and_the_change_is_audited(client, login, category):
    from gvalley.core.models import AuditLog

    operator = UserFactory(roles=[Role.OPERATOR])
    login(operator)
    question = category.questions.get(code="mode")
    url = reverse("grievances:question_edit", args=[category.pk, question.pk])
    assert (
        f'href="{url}"'
        in client.get(reverse("grievances:category_edit", args=[category.pk])).content.decode()
    )
    form = client.get(url).context["form"]
    assert "code" not in form.fields
    assert form.initial["choices_text"] == "bus | 버스\nparking | 주차"
    data = {
        "label": "어떤 교통 문제입니까?",
        "label_en": "Which transport problem?",
        "help": "하나를 고르세요",
        "help_en": "Choose one",
        "datatype": "singlevaluelist",
        "required": "",
        "order": 5,
    }
    response = client.post(url, {**data, "choices_text": ""})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    question.refresh_from_db()
    assert question.label == "무엇에 관한 것입니까?"
    response = client.post(url, {**data, "choices_text": "bus | 버스 | Bus\nsubway | 지하철 | Subway"})
    assert response["Location"] == reverse("grievances:category_edit", args=[category.pk])
    question.refresh_from_db()
    assert (
        question.code,
        question.label,
        question.label_en,
        question.help,
        question.required,
        question.order,
    ) == (
        "mode",
        "어떤 교통 문제입니까?",
        "Which transport problem?",
        "하나를 고르세요",
        False,
        5,
    )
    assert question.choices == [
        {"key": "bus", "name": "버스", "name_en": "Bus"},
        {"key": "subway", "name": "지하철", "name_en": "Subway"},
    ]
    log = AuditLog.objects.get(action="grievances.question.update")
    assert log.actor == operator and log.before["label"] == "무엇에 관한 것입니까?"
    other = CategoryFactory()
    assert client.get(reverse("grievances:question_edit", args=[other.pk, question.pk])).status_code == 404


def test_the_visit_page_and_the_company_table_of_my_requests_show_the_due_date_and_overdue_flag(
    client, login
):
    from gvalley.directory.services import company_add_representative

    org = OrganisationFactory()
    handler = handler_of(org)
    company = CompanyFactory()
    rep, other_rep = UserFactory(), UserFactory()
    company_add_representative(actor=None, company=company, user=rep)
    company_add_representative(actor=None, company=company, user=other_rep)
    visit = services.visit_record(
        actor=handler, company=company, visited_on=date(2024, 3, 4), organisations=[org], findings="f"
    )
    late = services.visit_raise_request(
        actor=handler,
        visit=visit,
        category=CategoryFactory(period="7d"),
        title="지난 요청",
        description="d",
        filer_type="company",
        contact_name="김대표",
        contact_phone="1",
        consent=True,
        received_at=seoul(2024, 3, 4, 10, 0),
        notify=False,
    )
    fresh = make_request(filer_type="company", company=company, actor=other_rep, title="새 요청")
    Request.objects.filter(pk=fresh.pk).update(visit=visit)
    assert timezone.localtime(late.due_at) == seoul(2024, 3, 12, 18, 0)

    def due_cells(html: str) -> dict[str, str]:
        rows = re.findall(r"<tr><td>(GV\d\d-\w{6})</td>(.*?)</tr>", html, re.S)
        return {n: re.findall(r"<td>(<time .*?)</td>", row, re.S)[-1].strip() for n, row in rows}

    def expected(r: Request, overdue: bool) -> str:
        due = timezone.localtime(r.due_at)
        badge = ' <span class="gv-badge gv-badge-danger">기한 경과</span>' if overdue else ""
        return f'<time datetime="{due.isoformat()}">{due:%Y-%m-%d %H:%M}</time>{badge}'

    login(handler)
    html = client.get(reverse("grievances:visit_detail", args=[visit.pk])).content.decode()
    assert due_cells(html) == {
        late.tracking_number: expected(late, True),
        fresh.tracking_number: expected(fresh, False),
    }
    client.logout()
    login(rep)
    html = client.get(reverse("grievances:mine")).content.decode()
    company_table = html.split('<h2 class="gv-subtitle">', 1)[1]
    assert due_cells(company_table) == {
        late.tracking_number: expected(late, True),
        fresh.tracking_number: expected(fresh, False),
    }


@pytest.mark.parametrize("n", [1, 3])
def test_the_visit_page_and_my_company_requests_run_a_fixed_number_of_queries(client, login, queries, n):
    from gvalley.directory.services import company_add_representative

    org = OrganisationFactory()
    handler = handler_of(org)
    company = CompanyFactory()
    rep = UserFactory()
    company_add_representative(actor=None, company=company, user=rep)
    visit = services.visit_record(
        actor=handler, company=company, visited_on=date(2024, 3, 4), organisations=[org], findings="f"
    )
    for i in range(n):
        services.visit_raise_request(
            actor=handler,
            visit=visit,
            category=CategoryFactory(),
            title=f"요청 {i}",
            description="d",
            filer_type="company" if i % 2 == 0 else "worker",
            anonymous=i % 2 == 1,
            contact_name="김대표",
            contact_phone="1",
            consent=True,
            notify=False,
        )
    counts = {}
    for user, name, args in ((handler, "visit_detail", [visit.pk]), (rep, "mine", [])):
        login(user)
        url = reverse(f"grievances:{name}", args=args)
        client.get(url)  # warm caches (sessions, content types)
        with queries() as q:
            response = client.get(url)
        assert response.status_code == 200
        counts[name] = len(q)
        client.logout()
    assert len(response.context["company_requests"]) == (n + 1) // 2
    assert counts == {"visit_detail": 12, "mine": 6}, repr(counts)


def test_someone_without_an_account_joins_a_request_by_a_confirmed_e_mail_address(client):
    from gvalley.accounts.models import Consent
    from gvalley.core.models import AuditLog
    from gvalley.grievances.models import Support

    req = make_request(title="주차 공간 부족")
    track = reverse("grievances:track_detail", args=[req.tracking_number])
    # the "me too" button leads a visitor without an account to the e-mail form, not to the log-in page
    response = client.post(reverse("grievances:support", args=[req.pk]))
    assert response["Location"] == reverse("grievances:support_email", args=[req.pk])
    url = response["Location"]
    page = client.get(url).content.decode()
    assert "<summary>애로사항 접수 개인정보 수집·이용 동의</summary>" in page  # the notice agreed to
    # bad input: a clear error next to each field, nothing sent, nothing written
    response = client.post(url, {"email": "not an address", "consent": ""})
    assert response.status_code == 200
    html = response.content.decode()
    assert "올바른 이메일 주소를 입력하세요." in html
    response = client.post(url, {"email": "kim@example.com"})
    assert "애로사항에 함께하려면 개인정보 수집·이용에 동의해야 합니다." in response.content.decode()
    assert mail.outbox == [] and Support.objects.count() == 0
    # a good address: a link is sent, nothing is counted yet
    response = client.post(url, {"email": "Kim@Example.com", "consent": "on"})
    assert response.status_code == 302 and response["Location"] == track
    assert [m.to for m in mail.outbox] == [["kim@example.com"]]
    assert mail.outbox[0].subject == f"[G밸리 허브] 요청 {req.tracking_number}에 함께하기 확인"
    req.refresh_from_db()
    assert (req.support_count, Support.objects.count()) == (0, 0)
    link = re.search(r"https?://[^/\s]+(/requests/support/confirm/[^\s]+/)", mail.outbox[0].body).group(1)
    # opening it counts the support once, with the consent recorded for the address
    response = client.get(link, follow=True)
    assert response.redirect_chain == [(track, 302)]
    assert "함께해 주셔서 감사합니다. 이 페이지에서 진행 상황을 볼 수 있습니다." in response.content.decode()
    response = client.get(link, follow=True)  # a second opening counts nothing more
    assert "이미 이 요청에 함께하고 있습니다." in response.content.decode()
    req.refresh_from_db()
    assert req.support_count == 1
    support = Support.objects.get()
    assert (support.request, support.user, support.email) == (req, None, "kim@example.com")
    assert Consent.objects.filter(email="kim@example.com", context="support").count() == 1
    assert AuditLog.objects.filter(action="grievances.request.support").count() == 1
    # a forged or damaged link is refused with a page that says so
    response = client.get(reverse("grievances:support_confirm", args=["forged-token"]))
    assert response.status_code == 400 and "유효하지 않은 링크입니다." in response.content.decode()
    assert Support.objects.count() == 1
