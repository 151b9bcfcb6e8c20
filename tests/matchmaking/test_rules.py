"""Permissions per role × object × action (django-rules)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from gvalley.accounts.models import Role
from gvalley.matchmaking.models import Meeting
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(world):
    """Everyone who may look at the world's event, and one meeting of buyer 0 with company 0."""
    meeting = Meeting.objects.create(
        event=world.event,
        buyer=world.buyers[0],
        seller=world.sellers[0],
        slot=world.event.slots.first(),
        room=1,
        interpreter=world.interpreters[0],
    )
    people = {
        "anonymous": AnonymousUser(),
        "operator": world.operator,
        "organiser": world.handler,  # agency handler of the programme's operating organisation
        "other_handler": world.other_handler,
        "buyer": world.buyers[0].contact,
        "other_buyer": world.buyers[1].contact,
        "company": world.sellers[0].contact,
        "other_company": world.sellers[1].contact,
        "interpreter": world.interpreters[0].user,
        "other_interpreter": world.interpreters[1].user,
        "unregistered_rep": UserFactory(roles=[Role.COMPANY_REP]),
        "citizen": UserFactory(roles=[Role.WORKER]),
    }
    objects = {
        "event": world.event,
        "buyer": world.buyers[0],
        "seller": world.sellers[0],
        "interpreter": world.interpreters[0],
        "meeting": meeting,
    }
    return people, objects


def allowed(cast, perm, obj_name):
    people, objects = cast
    obj = objects.get(obj_name)
    return {name for name, user in people.items() if user.has_perm(perm, obj)}


ORGANISERS = {"operator", "organiser"}


def test_only_the_organiser_manages_the_event(cast):
    for perm in ("matchmaking.manage_event", "matchmaking.change_schedule", "matchmaking.export_statistics"):
        assert allowed(cast, perm, "event") == ORGANISERS, perm


def test_the_staff_menu_shows_to_operators_and_agency_handlers(cast):
    assert allowed(cast, "matchmaking.view_organiser_home", None) == ORGANISERS | {"other_handler"}


def test_registration_while_open(cast, world):
    assert allowed(cast, "matchmaking.register_buyer", "event") == set(cast[0]) - {
        "company",
        "other_company",
        "unregistered_rep",
    }
    assert allowed(cast, "matchmaking.register_company", "event") == {
        "company",
        "other_company",
        "unregistered_rep",
    }
    world.event.registration_closes_at = timezone.now() - timedelta(hours=1)
    world.event.save()
    assert allowed(cast, "matchmaking.register_buyer", "event") == set()
    assert allowed(cast, "matchmaking.register_company", "event") == set()


def test_a_participant_sees_only_his_own_registration_and_preferences(cast):
    assert allowed(cast, "matchmaking.view_participant", "buyer") == ORGANISERS | {"buyer"}
    assert allowed(cast, "matchmaking.view_participant", "seller") == ORGANISERS | {"company"}
    assert allowed(cast, "matchmaking.view_participant", "interpreter") == ORGANISERS | {"interpreter"}
    # a company never sees another company's preferences (nor a buyer's)
    assert allowed(cast, "matchmaking.view_preferences", "seller") == ORGANISERS | {"company"}
    assert allowed(cast, "matchmaking.view_preferences", "buyer") == ORGANISERS | {"buyer"}


def test_preferences_change_until_the_deadline_then_only_the_organiser(cast, world):
    assert allowed(cast, "matchmaking.change_preferences", "buyer") == ORGANISERS | {"buyer"}
    world.event.preferences_close_at = timezone.now() - timedelta(minutes=1)
    world.event.save()
    assert allowed(cast, "matchmaking.change_preferences", "buyer") == ORGANISERS
    assert allowed(cast, "matchmaking.change_participant", "seller") == ORGANISERS


def test_company_profiles_are_for_participants_and_the_organiser(cast):
    assert allowed(cast, "matchmaking.view_profiles", "event") == ORGANISERS | {
        "buyer",
        "other_buyer",
        "company",
        "other_company",
    }


def test_a_buyer_profile_is_for_the_organiser_the_buyer_and_the_companies_never_other_buyers(cast, world):
    assert allowed(cast, "matchmaking.view_buyer_profile", "buyer") == ORGANISERS | {
        "buyer",
        "company",
        "other_company",
    }
    # a company that withdrew no longer chooses or meets buyers
    world.sellers[1].withdrawn_at = timezone.now()
    world.sellers[1].save()
    assert allowed(cast, "matchmaking.view_buyer_profile", "buyer") == ORGANISERS | {"buyer", "company"}


def test_agendas_and_meetings_once_published(cast, world):
    assert allowed(cast, "matchmaking.view_agenda", "buyer") == ORGANISERS
    assert allowed(cast, "matchmaking.view_meeting", "meeting") == ORGANISERS
    world.event.schedule_status = "published"
    world.event.save()
    assert allowed(cast, "matchmaking.view_agenda", "buyer") == ORGANISERS | {"buyer"}
    assert allowed(cast, "matchmaking.view_agenda", "seller") == ORGANISERS | {"company"}
    assert allowed(cast, "matchmaking.view_agenda", "interpreter") == ORGANISERS | {"interpreter"}
    # a buyer sees only his own meetings; interpreters their assigned sessions
    assert allowed(cast, "matchmaking.view_meeting", "meeting") == ORGANISERS | {
        "buyer",
        "company",
        "interpreter",
    }
    assert allowed(cast, "matchmaking.record_meeting", "meeting") == ORGANISERS | {"company", "interpreter"}
    assert allowed(cast, "matchmaking.rate_meeting", "meeting") == {"buyer", "company"}
