from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from gvalley.accounts.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

OPERATOR_PERMS = [
    "accounts.view_audit_log",
    "accounts.view_access_log",
    "accounts.view_consents",
    "accounts.manage_users",
    "directory.import_companies",
]


@pytest.mark.parametrize("role", list(Role.values))
@pytest.mark.parametrize("perm", OPERATOR_PERMS)
def test_only_the_operator_holds_operator_permissions(role, perm):
    user = UserFactory(roles=[role])
    assert user.has_perm(perm) is (role == Role.OPERATOR)


@pytest.mark.parametrize("perm", OPERATOR_PERMS + ["directory.export_companies"])
def test_anonymous_holds_none(perm):
    assert AnonymousUser().has_perm(perm) is False
