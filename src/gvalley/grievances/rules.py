"""Who may do what with requests and visits (django-rules).

* The operator (district office) sees and handles everything.
* An agency handler sees only the requests assigned to (or jointly handled by) their organisation; the
  handlers of the responsible organisation answer, transfer and close them.
* The secretariat sees every request (identity masked, never unmasked) to prepare council items, and
  manages recurring issues and escalations.
* The filer sees their own requests; a company representative sees the requests filed as their company,
  never a worker's (anonymous or not) — so a company never sees a worker's identity.
"""

from __future__ import annotations

from typing import Any

import rules
from django.utils import timezone

from gvalley.accounts.models import Membership, Role
from gvalley.accounts.rules import (
    is_agency_handler,
    is_council_member,
    is_operator,
    is_secretariat,
)

from .services import handler_organisations


def company_rep_organisations(user: Any) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_gv_company_orgs", None)
    if cached is None:
        today = timezone.localdate()
        cached = set(
            Membership.objects.filter(user_id=user.pk, role=Role.COMPANY_REP, organisation__isnull=False)
            .exclude(ended_on__lte=today)
            .values_list("organisation_id", flat=True)
        )
        user._gv_company_orgs = cached
    return cached


def _joint_ids(request: Any) -> set[int]:
    cache = getattr(request, "_prefetched_objects_cache", {})
    if "joint_organisations" in cache:
        return {o.pk for o in cache["joint_organisations"]}
    return set(request.joint_organisations.values_list("pk", flat=True))


@rules.predicate
def is_lead_handler(user: Any, request: Any) -> bool:
    """A handler of the request's responsible organisation."""
    if request is None or not request.responsible_organisation_id:
        return False
    return request.responsible_organisation_id in handler_organisations(user)


@rules.predicate
def is_joint_handler(user: Any, request: Any) -> bool:
    if request is None:
        return False
    orgs = handler_organisations(user)
    return bool(orgs) and bool(orgs & _joint_ids(request))


@rules.predicate
def is_filer(user: Any, request: Any) -> bool:
    return request is not None and user.is_authenticated and request.filer_id == user.pk


@rules.predicate
def is_filing_company_rep(user: Any, request: Any) -> bool:
    """A representative of the company that filed the request (never applies to a worker's request)."""
    if request is None or request.filer_type != "company" or request.company_id is None:
        return False
    company = request.company
    return company.organisation_id is not None and company.organisation_id in company_rep_organisations(user)


@rules.predicate
def is_attachment_viewer(user: Any, attachment: Any) -> bool:
    return attachment is not None and user.has_perm("grievances.view_request", attachment.request)


@rules.predicate
def visit_by_own_organisation(user: Any, visit: Any) -> bool:
    if visit is None:
        return False
    orgs = handler_organisations(user)
    return bool(orgs) and bool(orgs & {o.pk for o in visit.visitor_organisations.all()})


@rules.predicate
def is_visit_author(user: Any, visit: Any) -> bool:
    return visit is not None and user.is_authenticated and visit.created_by_id == user.pk


handles_request = is_lead_handler | is_joint_handler
is_staff = is_operator | is_secretariat | is_agency_handler

rules.add_perm("grievances.file_request", rules.always_allow)
rules.add_perm("grievances.file_on_behalf", is_operator | is_agency_handler)
rules.add_perm("grievances.view_queue", is_staff)
rules.add_perm(
    "grievances.view_request",
    is_operator | is_secretariat | handles_request | is_filer | is_filing_company_rep,
)
rules.add_perm("grievances.view_identity", is_operator | handles_request | is_filer)
rules.add_perm("grievances.view_attachment", is_attachment_viewer)
rules.add_perm("grievances.triage", is_operator)
rules.add_perm("grievances.transfer", is_operator | is_lead_handler)
rules.add_perm("grievances.set_joint", is_operator | is_lead_handler)
rules.add_perm("grievances.change_status", is_operator | is_lead_handler)
rules.add_perm("grievances.answer", is_operator | is_lead_handler)
rules.add_perm("grievances.close", is_operator | is_lead_handler)
rules.add_perm("grievances.add_note", is_operator | handles_request)
rules.add_perm("grievances.reopen", is_operator | is_filer)
rules.add_perm("grievances.rate", is_filer)
rules.add_perm("grievances.merge", is_operator)
rules.add_perm("grievances.escalate", is_operator | is_secretariat)
rules.add_perm("grievances.manage_clusters", is_operator | is_secretariat)
rules.add_perm("grievances.manage_categories", is_operator)
rules.add_perm("grievances.manage_templates", is_operator)
rules.add_perm("grievances.manage_holidays", is_operator)
rules.add_perm("grievances.manage_api_keys", is_operator)
rules.add_perm("grievances.view_visits", is_staff)
rules.add_perm("grievances.record_visit", is_operator | is_secretariat | is_agency_handler)
rules.add_perm("grievances.change_visit", is_operator | is_visit_author | visit_by_own_organisation)
rules.add_perm("grievances.view_dashboard", is_staff | is_council_member)
rules.add_perm("grievances.export_dashboard", is_operator | is_secretariat)
