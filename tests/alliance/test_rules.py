"""`alliance.manage`: the secretariat of THAT alliance and superusers; nobody else (commission admins neither)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from medtalent.alliance.models import Committee, Event, Membership
from tests.alliance.conftest import ALLOWED, DENIED, EVENT, PARTNER, make_user

pytestmark = pytest.mark.django_db


def _objects(alliance):
    return {
        "alliance": alliance,
        "membership": Membership.objects.get(alliance=alliance, organisation__code=PARTNER),
        "committee": Committee.objects.get(code="minimally-invasive-surgery"),
        "event": Event.objects.get(code=EVENT),
    }


@pytest.mark.parametrize("who", ALLOWED)
def test_allowed_users_manage_the_alliance_and_each_of_its_rows(alliance, who):
    user = make_user(who)
    assert {name: user.has_perm("alliance.manage", obj) for name, obj in _objects(alliance).items()} == {
        "alliance": True,
        "membership": True,
        "committee": True,
        "event": True,
    }
    assert user.has_perm("alliance.manage") is True


@pytest.mark.parametrize("who", DENIED)
def test_other_users_manage_nothing_of_the_alliance(alliance, who):
    user = make_user(who)
    assert [user.has_perm("alliance.manage", obj) for obj in _objects(alliance).values()] == [False] * 4


@pytest.mark.parametrize("who", [w for w in DENIED if w != "secretariat_other_alliance"])
def test_without_an_object_only_a_secretariat_holds_the_permission(who):
    assert make_user(who).has_perm("alliance.manage") is False


def test_the_secretariat_of_another_alliance_manages_that_alliance_only(alliance, other_alliance):
    user = make_user("secretariat_other_alliance", other_alliance=other_alliance)
    other_event = Event.objects.create(alliance=other_alliance, code="other-event", kind="conference", name_zh="会")
    assert user.has_perm("alliance.manage", other_alliance) is True
    assert user.has_perm("alliance.manage", other_event) is True
    assert user.has_perm("alliance.manage", alliance) is False
    assert user.has_perm("alliance.manage", Event.objects.get(code=EVENT)) is False
    assert make_user("secretariat").has_perm("alliance.manage", other_event) is False


def test_visitor_manages_nothing(alliance):
    visitor = AnonymousUser()
    assert visitor.has_perm("alliance.manage", alliance) is False
    assert visitor.has_perm("alliance.manage") is False
