"""Role predicates shared by every app's rules (django-rules).

Apps combine these with object predicates, e.g. ``is_secretariat | (is_council_member & is_published)``.
"""

from __future__ import annotations

from typing import Any

import rules

from .models import Role


def has_role(*roles: str) -> rules.Predicate:
    name = "has_role:" + ",".join(roles)

    @rules.predicate(name)
    def predicate(user: Any) -> bool:
        return bool(user is not None and user.is_authenticated and user.has_role(*roles))

    return predicate


is_authenticated = rules.is_authenticated
is_operator = has_role(Role.OPERATOR)
is_secretariat = has_role(Role.SECRETARIAT)
is_council_member = has_role(Role.COUNCIL_MEMBER)
is_agency_handler = has_role(Role.AGENCY_HANDLER)
is_company_rep = has_role(Role.COMPANY_REP)
is_worker = has_role(Role.WORKER)
is_buyer = has_role(Role.BUYER)
is_judge = has_role(Role.JUDGE)
is_mentor = has_role(Role.MENTOR)
is_investor = has_role(Role.INVESTOR)
is_startup_member = has_role(Role.STARTUP_MEMBER)
is_job_seeker = has_role(Role.JOB_SEEKER)
is_interpreter = has_role(Role.INTERPRETER)
is_staff_role = has_role(Role.OPERATOR, Role.SECRETARIAT, Role.AGENCY_HANDLER)

rules.add_perm("accounts.view_audit_log", is_operator)
rules.add_perm("accounts.view_access_log", is_operator)
rules.add_perm("accounts.view_consents", is_operator)
rules.add_perm("accounts.manage_users", is_operator)
rules.add_perm("accounts.reset_totp", is_operator)
