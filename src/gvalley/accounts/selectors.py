from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from .models import Consent, Membership, User


def user_list(*, q: str = "", role: str = "") -> QuerySet[User]:
    today = timezone.localdate()
    current = Membership.objects.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today)).select_related(
        "organisation"
    )
    qs = User.objects.prefetch_related(
        Prefetch("memberships", queryset=current, to_attr="current_memberships")
    )
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(email__icontains=q))
    if role:
        qs = qs.filter(memberships__role=role, memberships__ended_on__isnull=True).distinct()
    return qs.order_by("name", "email")


def user_detail(*, pk: int) -> User:
    return User.objects.prefetch_related(
        Prefetch(
            "memberships", queryset=Membership.objects.select_related("organisation").order_by("-started_on")
        ),
        Prefetch("consents", queryset=Consent.objects.select_related("notice")),
    ).get(pk=pk)


def consent_list(*, purpose: str = "") -> QuerySet[Consent]:
    qs = Consent.objects.select_related("user", "notice")
    if purpose:
        qs = qs.filter(notice__purpose=purpose)
    return qs


def consents_of(*, user: User) -> QuerySet[Consent]:
    return Consent.objects.filter(user=user).select_related("notice")
