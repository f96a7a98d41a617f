"""Reads: the visibility filter agrees with the view rule, a pairing's list, rosters, yearly counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser

from medtalent.accounts.enums import Role
from medtalent.stints import selectors, services
from medtalent.stints.enums import StintKind, StintState
from medtalent.stints.models import Stint
from tests.helpers import make_user
from tests.stints.conftest import FOREIGN, MEMBER_HOST, make_dispatch, make_person, org, set_state, state

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(pairing, dispatch, county_doctor, users, committee):
    upward = services.stint_create(
        actor=users["supported_admin"],
        kind=StintKind.UPWARD,
        person=county_doctor,
        home=pairing.supported,
        host=pairing.supporting,
        starts_on=dt.date(2024, 11, 1),
        ends_on=dt.date(2025, 1, 31),
        pairing=pairing,
    )
    inbound = services.inbound_trainee_create(
        actor=users["secretariat"],
        name="Jane Doe",
        home=org(FOREIGN),
        host=org(MEMBER_HOST),
        starts_on=dt.date(2025, 4, 1),
        ends_on=dt.date(2025, 6, 30),
        committee=committee,
    )
    return {"dispatch": dispatch, "upward": upward, "inbound": inbound}


def test_visible_filter_agrees_with_the_view_rule(three, users):
    for who, user in users.items():
        visible = set(selectors.stints_visible_to(user=user).values_list("pk", flat=True))
        for name, stint in three.items():
            loaded = selectors.stint_get(pk=stint.pk)
            assert (stint.pk in visible) == user.has_perm("stints.view_stint", loaded), (who, name)


def test_visitor_sees_nothing(three):
    assert list(selectors.stints_visible_to(user=AnonymousUser())) == []


def test_inbound_of_a_committee_is_visible_to_the_secretariat_even_at_a_non_member_host(users, committee, supported):
    # A host's unit administrator records a trainee there through the committee would be refused (not a
    # member); without a committee the trainee is visible to the host and not to the secretariat.
    stint = services.inbound_trainee_create(
        actor=users["supported_admin"],
        name="Ali",
        home=org(FOREIGN),
        host=supported,
        starts_on=dt.date(2025, 4, 1),
        ends_on=dt.date(2025, 6, 30),
    )
    assert stint.pk in set(selectors.stints_visible_to(user=users["supported_admin"]).values_list("pk", flat=True))
    assert not selectors.stints_visible_to(user=users["secretariat"]).filter(pk=stint.pk).exists()


def test_stints_for_pairing_has_dispatch_and_upward_only(three, pairing):
    assert sorted(s.pk for s in selectors.stints_for_pairing(pairing=pairing)) == sorted(
        [three["dispatch"].pk, three["upward"].pk]
    )


def test_stints_hosted_and_sent(three, pairing):
    assert [s.pk for s in selectors.stints_hosted_by(organisation=pairing.supported)] == [three["dispatch"].pk]
    assert [s.pk for s in selectors.stints_sent_by(organisation=pairing.supported)] == [three["upward"].pk]
    assert [s.pk for s in selectors.stints_hosted_by(organisation=org(MEMBER_HOST))] == [three["inbound"].pk]
    assert [s.pk for s in selectors.stints_sent_by(organisation=[pairing.supporting_id])] == [three["dispatch"].pk]


def test_inbound_for_alliance(three):
    alliance = org("bri-medical-talent-alliance")
    assert [s.pk for s in selectors.stints_inbound_for_alliances(alliance_ids=[alliance.pk])] == [three["inbound"].pk]


def test_counts_by_year(three, pairing, supporting, users):
    other = make_person(employer=supporting, title="231", name="另一位医生")
    cancelled = make_dispatch(
        pairing=pairing,
        person=other,
        actor=users["commission"],
        starts_on=dt.date(2023, 1, 1),
        ends_on=dt.date(2023, 6, 30),
    )
    set_state(cancelled, StintState.CANCELLED)
    assert selectors.stint_counts_by_year(pairing=pairing) == {
        2024: {"dispatch": 0, "upward": 1},
        2025: {"dispatch": 1, "upward": 1},
        2026: {"dispatch": 1, "upward": 0},
    }


def test_counts_by_year_of_an_empty_pairing(pairing):
    assert selectors.stint_counts_by_year(pairing=pairing) == {}


def test_foreign_institutions_leave_out_china():
    codes = set(selectors.foreign_institutions().values_list("code", flat=True))
    assert FOREIGN in codes
    assert "fudan-zhongshan-hospital" not in codes
    assert "who" not in codes  # no country: an international body, not an institution abroad


# The administration pages: read only, scoped like the view rule --------------------------------------------


def test_admin_lists_only_visible_stints_and_is_read_only(client, three, users):
    staff = make_user(Role.ALLIANCE_SECRETARIAT, org("bri-medical-talent-alliance"), is_staff=True)
    client.force_login(staff)
    before = state()
    response = client.get("/admin/stints/stint/")
    assert response.status_code == 200
    assert [s.pk for s in response.context["cl"].result_list] == [three["inbound"].pk]
    assert client.get(f"/admin/stints/stint/{three['dispatch'].pk}/change/").status_code == 302  # not in its queryset
    assert client.get(f"/admin/stints/stint/{three['inbound'].pk}/change/").status_code == 200
    assert client.get("/admin/stints/stint/add/").status_code == 403
    response = client.post(f"/admin/stints/stint/{three['inbound'].pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Stint.objects.filter(pk=three["inbound"].pk).exists()
    assert state() == before
