"""Permissions per role × object × action. A company never sees a worker's identity (nor the worker's
request); an agency handler sees only the requests of their organisation."""

from __future__ import annotations

import pytest

from gvalley.accounts.models import Membership, Role
from gvalley.grievances import selectors, services
from gvalley.grievances.models import Request
from tests.factories import CompanyFactory, OrganisationFactory, UserFactory
from tests.grievances.factories import handler_of, make_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    lead, joint, other = (
        OrganisationFactory(name="금천구"),
        OrganisationFactory(name="산단공"),
        OrganisationFactory(name="서울교통공사"),
    )
    company = CompanyFactory()
    company_org = services_company_org(company)
    rep, rep2 = UserFactory(), UserFactory()
    for user in (rep, rep2):
        Membership.objects.create(user=user, organisation=company_org, role=Role.COMPANY_REP)
        user.__dict__.pop("role_set", None)
    worker = UserFactory(roles=[Role.WORKER])
    w = {
        "operator": UserFactory(roles=[Role.OPERATOR]),
        "secretariat": UserFactory(roles=[Role.SECRETARIAT]),
        "member": UserFactory(roles=[Role.COUNCIL_MEMBER]),
        "lead_handler": handler_of(lead),
        "joint_handler": handler_of(joint),
        "other_handler": handler_of(other),
        "worker": worker,
        "rep": rep,
        "rep2": rep2,
        "citizen": UserFactory(),
    }
    worker_req = make_request(
        actor=worker,
        filer_type=Request.FilerType.WORKER,
        anonymous=True,
        company=company,
        contact_name="김근로",
    )
    company_req = make_request(actor=rep2, filer_type=Request.FilerType.COMPANY, company=company)
    for req in (worker_req, company_req):
        services.request_assign(actor=None, request=req, organisation=lead, notify=False)
        services.request_set_joint(actor=None, request=req, organisations=[joint])
    w["worker_req"], w["company_req"] = worker_req, company_req
    w["orgs"] = (lead, joint, other)
    return w


def services_company_org(company):
    from gvalley.directory.services import company_organisation

    return company_organisation(actor=None, company=company)


# who → (view worker's request, see worker's identity, view company's request, answer, transfer, add note)
MATRIX = {
    "operator": (True, True, True, True, True, True),
    "secretariat": (True, False, True, False, False, False),
    "member": (False, False, False, False, False, False),
    "lead_handler": (True, True, True, True, True, True),
    "joint_handler": (True, True, True, False, False, True),
    "other_handler": (False, False, False, False, False, False),
    "worker": (True, True, False, False, False, False),
    "rep": (False, False, True, False, False, False),
    "rep2": (False, False, True, False, False, False),
    "citizen": (False, False, False, False, False, False),
}


@pytest.mark.parametrize("who", list(MATRIX))
def test_request_permissions_per_role(world, who):
    user = world[who]
    worker_req, company_req = world["worker_req"], world["company_req"]
    got = (
        user.has_perm("grievances.view_request", worker_req),
        user.has_perm("grievances.view_identity", worker_req),
        user.has_perm("grievances.view_request", company_req),
        user.has_perm("grievances.answer", worker_req),
        user.has_perm("grievances.transfer", worker_req),
        user.has_perm("grievances.add_note", worker_req),
    )
    assert got == MATRIX[who]


# who → (queue, triage, merge, escalate, manage categories/holidays/keys, dashboard, export, visits, record visit)
STAFF_MATRIX = {
    "operator": (True, True, True, True, True, True, True, True, True),
    "secretariat": (True, False, False, True, False, True, True, True, True),
    "member": (False, False, False, False, False, True, False, False, False),
    "lead_handler": (True, False, False, False, False, True, False, True, True),
    "worker": (False, False, False, False, False, False, False, False, False),
    "rep": (False, False, False, False, False, False, False, False, False),
}


@pytest.mark.parametrize("who", list(STAFF_MATRIX))
def test_staff_permissions_per_role(world, who):
    user = world[who]
    perms = [
        "view_queue",
        "triage",
        "merge",
        "escalate",
        "manage_holidays",
        "view_dashboard",
        "export_dashboard",
        "view_visits",
        "record_visit",
    ]
    got = tuple(user.has_perm(f"grievances.{p}") for p in perms)
    assert got == STAFF_MATRIX[who]
    if who != "operator":
        assert not user.has_perm("grievances.manage_categories")
        assert not user.has_perm("grievances.manage_api_keys")


def test_the_filer_reopens_and_rates_only_their_own_request(world):
    worker_req = world["worker_req"]
    assert world["worker"].has_perm("grievances.rate", worker_req)
    assert world["worker"].has_perm("grievances.reopen", worker_req)
    assert not world["citizen"].has_perm("grievances.rate", worker_req)
    assert not world["rep"].has_perm("grievances.reopen", worker_req)
    assert world["operator"].has_perm("grievances.reopen", worker_req)
    assert not world["operator"].has_perm("grievances.rate", worker_req)


def test_an_agency_handler_sees_only_the_requests_of_their_organisation(world):
    lead, joint, other = world["orgs"]
    elsewhere = make_request()
    services.request_assign(actor=None, request=elsewhere, organisation=other, notify=False)
    ids = lambda user: set(selectors.visible_requests(user).values_list("pk", flat=True))  # noqa: E731
    both = {world["worker_req"].pk, world["company_req"].pk}
    assert ids(world["lead_handler"]) == both
    assert ids(world["joint_handler"]) == both
    assert ids(world["other_handler"]) == {elsewhere.pk}
    assert ids(world["operator"]) == both | {elsewhere.pk}
    assert ids(world["worker"]) == set()


def test_a_company_sees_its_own_requests_but_never_a_workers(world):
    ids = set(selectors.company_requests(user=world["rep"]).values_list("pk", flat=True))
    assert ids == {world["company_req"].pk}
    assert world["worker_req"].company == world["company_req"].company


def test_who_may_add_to_a_visit(world):
    from datetime import date

    lead, joint, other = world["orgs"]
    visit = services.visit_record(
        actor=world["secretariat"],
        company=CompanyFactory(),
        visited_on=date(2022, 5, 2),
        organisations=[lead],
        findings="f",
    )
    can = lambda who: world[who].has_perm("grievances.change_visit", visit)  # noqa: E731
    assert (can("operator"), can("secretariat"), can("lead_handler"), can("joint_handler"), can("rep")) == (
        True,
        True,
        True,
        False,
        False,
    )
