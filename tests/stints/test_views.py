"""The stint pages for every role: the pairing's list and forms, one stint (schedule, changes, state), the
unit roster and the alliance's inbound trainees. A refused request changes nothing."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from openpyxl import load_workbook

from medtalent.stints.enums import StintKind, StintState
from medtalent.stints.models import Stint
from medtalent.stints.services import inbound_trainee_create
from tests.stints.conftest import END, FOREIGN, MEMBER_HOST, START, make_dispatch, make_person, org, set_state, state

pytestmark = pytest.mark.django_db

EVERYONE = [
    "applicant",
    "reviewer",
    "unrelated_unit",
    "supporting_admin",
    "supported_admin",
    "commission",
    "other_commission",
    "secretariat",
    "member_host_admin",
    "person",
]


def _others(*allowed):
    return [who for who in EVERYONE if who not in allowed]


# Who sees a pairing's stints page, and who sees the stint: the others are answered 404 (whether it exists or
# not); an action on what one may see but not change is refused with 403.
SEE_PAIRING = ("supporting_admin", "supported_admin", "commission")
SEE_STINT = ("supporting_admin", "supported_admin", "commission", "person")


def _refused(who, sees) -> int:
    return 403 if who in sees else 404


def _login(client, user):
    client.force_login(user)
    return client


def _dispatch_post(doctor, **overrides):
    data = {
        "kind": "dispatch",
        "dispatch-person": doctor.pk,
        "dispatch-home_department": "心内科",
        "dispatch-host_department": "内科",
        "dispatch-role": "clinical",
        "dispatch-starts_on": "2025-09-01",
        "dispatch-ends_on": "2026-02-28",
        "dispatch-mentor": "",
        "dispatch-note": "",
    }
    data.update(overrides)
    return data


def _upward_post(person, **overrides):
    data = {
        "kind": "upward",
        "upward-person": person.pk,
        "upward-home_department": "外科",
        "upward-host_department": "普外科",
        "upward-starts_on": "2025-09-01",
        "upward-ends_on": "2025-11-30",
    }
    data.update(overrides)
    return data


# Visitors -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
def test_visitors_go_to_login(client, pairing, dispatch, method):
    urls = [
        reverse("stints:pairing", args=[pairing.pk]),
        reverse("stints:detail", args=[dispatch.pk]),
        reverse("stints:roster"),
        reverse("stints:inbound"),
    ]
    if method == "post":
        urls += [
            reverse("stints:schedule", args=[dispatch.pk]),
            reverse("stints:update", args=[dispatch.pk]),
            reverse("stints:transition", args=[dispatch.pk]),
        ]
    before = state(dispatch)
    for url in urls:
        response = getattr(client, method)(url, {"to": "active"} if method == "post" else None)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    assert state(dispatch) == before


# The pairing's page -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["supporting_admin", "supported_admin", "commission"])
def test_pairing_page_lists_the_pairing_stints(client, pairing, dispatch, users, who):
    response = _login(client, users[who]).get(reverse("stints:pairing", args=[pairing.pk]))
    assert response.status_code == 200
    assert [s.pk for s in response.context["rows"]] == [dispatch.pk]
    html = response.content.decode()
    assert "王医生" in html
    assert "副主任医师" in html
    assert reverse("stints:detail", args=[dispatch.pk]) in html
    assert response.context["counts"] == {2025: {"dispatch": 1, "upward": 0}, 2026: {"dispatch": 1, "upward": 0}}


@pytest.mark.parametrize(
    ("who", "dispatch_form", "upward_form"),
    [("supporting_admin", True, False), ("supported_admin", False, True), ("commission", True, True)],
)
def test_pairing_page_offers_the_forms_each_may_use(client, pairing, users, who, dispatch_form, upward_form):
    response = _login(client, users[who]).get(reverse("stints:pairing", args=[pairing.pk]))
    assert (response.context["dispatch_form"] is not None, response.context["upward_form"] is not None) == (
        dispatch_form,
        upward_form,
    )


def test_dispatch_form_offers_only_the_supporting_hospital_staff(client, pairing, doctor, county_doctor, users):
    response = _login(client, users["commission"]).get(reverse("stints:pairing", args=[pairing.pk]))
    assert list(response.context["dispatch_form"].fields["person"].queryset) == [doctor]
    assert list(response.context["upward_form"].fields["person"].queryset) == [county_doctor]


@pytest.mark.parametrize("who", _others("supporting_admin", "supported_admin", "commission"))
def test_pairing_page_forbidden(client, pairing, dispatch, users, who):
    before = state(dispatch)
    assert _login(client, users[who]).get(reverse("stints:pairing", args=[pairing.pk])).status_code == 404
    assert state(dispatch) == before


@pytest.mark.parametrize("who", ["supporting_admin", "commission"])
def test_dispatch_recorded_from_the_page(client, pairing, doctor, users, who):
    response = _login(client, users[who]).post(reverse("stints:pairing", args=[pairing.pk]), _dispatch_post(doctor))
    assert response.status_code == 302
    assert response["Location"] == reverse("stints:pairing", args=[pairing.pk])
    stint = Stint.objects.get()
    assert (stint.kind, stint.person_id, stint.home_id, stint.host_id) == (
        "dispatch",
        doctor.pk,
        pairing.supporting_id,
        pairing.supported_id,
    )
    assert (stint.starts_on, stint.ends_on, stint.role, stint.home_department) == (START, END, "clinical", "心内科")


@pytest.mark.parametrize("who", _others("supporting_admin", "commission"))
def test_dispatch_post_forbidden(client, pairing, doctor, users, who):
    before = state()
    response = _login(client, users[who]).post(reverse("stints:pairing", args=[pairing.pk]), _dispatch_post(doctor))
    assert response.status_code == _refused(who, SEE_PAIRING)
    assert state() == before


@pytest.mark.parametrize("who", ["supported_admin", "commission"])
def test_upward_recorded_from_the_page(client, pairing, county_doctor, users, who):
    response = _login(client, users[who]).post(
        reverse("stints:pairing", args=[pairing.pk]), _upward_post(county_doctor)
    )
    assert response.status_code == 302
    stint = Stint.objects.get()
    assert (stint.kind, stint.role, stint.home_id, stint.host_id) == (
        "upward",
        "trainee",
        pairing.supported_id,
        pairing.supporting_id,
    )


@pytest.mark.parametrize("who", _others("supported_admin", "commission"))
def test_upward_post_forbidden(client, pairing, county_doctor, users, who):
    before = state()
    response = _login(client, users[who]).post(
        reverse("stints:pairing", args=[pairing.pk]), _upward_post(county_doctor)
    )
    assert response.status_code == _refused(who, SEE_PAIRING)
    assert state() == before


def test_title_refusal_shown_next_to_the_person(client, pairing, supporting, users):
    attending = make_person(employer=supporting, title="233", obtained=dt.date(2021, 9, 1), name="赵医生")
    before = state()
    response = _login(client, users["supporting_admin"]).post(
        reverse("stints:pairing", args=[pairing.pk]), _dispatch_post(attending)
    )
    assert response.status_code == 200
    errors = response.context["dispatch_form"].errors
    assert list(errors) == ["person"]
    assert errors["person"][0].startswith("赵医生")
    assert "2021-09-01" in errors["person"][0]
    assert "2021-09-01" in response.content.decode()
    assert state() == before


def test_dates_out_of_order_shown_next_to_the_end(client, pairing, doctor, users):
    before = state()
    response = _login(client, users["supporting_admin"]).post(
        reverse("stints:pairing", args=[pairing.pk]), _dispatch_post(doctor, **{"dispatch-ends_on": "2025-08-01"})
    )
    assert response.status_code == 200
    assert list(response.context["dispatch_form"].errors) == ["ends_on"]
    assert state() == before


def test_person_of_another_hospital_cannot_be_chosen(client, pairing, county_doctor, users):
    before = state()
    response = _login(client, users["commission"]).post(
        reverse("stints:pairing", args=[pairing.pk]), _dispatch_post(county_doctor)
    )
    assert response.status_code == 200
    assert list(response.context["dispatch_form"].errors) == ["person"]
    assert state() == before


def test_unknown_kind_is_a_bad_request(client, pairing, doctor, users):
    before = state()
    response = _login(client, users["commission"]).post(
        reverse("stints:pairing", args=[pairing.pk]), _dispatch_post(doctor, kind="inbound")
    )
    assert response.status_code == 400
    assert state() == before


def test_unknown_pairing_is_404(client, users):
    assert _login(client, users["commission"]).get(reverse("stints:pairing", args=[999999])).status_code == 404


def test_a_hidden_stint_and_a_missing_one_are_answered_alike(client, dispatch, users):
    client = _login(client, users["unrelated_unit"])
    for name in ("stints:detail", "stints:transition", "stints:schedule", "stints:update"):
        method = client.get if name == "stints:detail" else client.post
        hidden, missing = method(reverse(name, args=[dispatch.pk])), method(reverse(name, args=[999999]))
        assert (hidden.status_code, missing.status_code) == (404, 404), name


# One stint ----------------------------------------------------------------------------------------------------------

DETAIL_ALLOWED = ["supporting_admin", "supported_admin", "commission", "person"]


@pytest.mark.parametrize("who", DETAIL_ALLOWED)
def test_detail_page(client, dispatch, users, who):
    response = _login(client, users[who]).get(reverse("stints:detail", args=[dispatch.pk]))
    assert response.status_code == 200
    assert response.context["stint"].pk == dispatch.pk
    assert "王医生" in response.content.decode()


@pytest.mark.parametrize("who", _others(*DETAIL_ALLOWED))
def test_detail_page_forbidden(client, dispatch, users, who):
    before = state(dispatch)
    assert _login(client, users[who]).get(reverse("stints:detail", args=[dispatch.pk])).status_code == 404
    assert state(dispatch) == before


@pytest.mark.parametrize(
    ("who", "schedule", "update", "transitions"),
    [
        ("supported_admin", True, False, ["active"]),
        ("supporting_admin", False, True, ["cancelled"]),
        ("commission", False, True, ["cancelled"]),
        ("person", False, False, []),
    ],
)
def test_detail_page_offers_what_each_may_do(client, dispatch, users, who, schedule, update, transitions):
    context = _login(client, users[who]).get(reverse("stints:detail", args=[dispatch.pk])).context
    assert (context["schedule_form"] is not None) == schedule
    assert (context["update_form"] is not None) == update
    assert [t["to"] for t in context["transitions"]] == transitions


def test_schedule_from_the_page(client, dispatch, users):
    response = _login(client, users["supported_admin"]).post(
        reverse("stints:schedule", args=[dispatch.pk]),
        {
            "schedule-host_department": "普外科",
            "schedule-role": "department_head",
            "schedule-schedule": "周二上午门诊",
            "schedule-mentor": "",
        },
    )
    assert response.status_code == 302
    fresh = Stint.objects.get(pk=dispatch.pk)
    assert (fresh.host_department, fresh.role, fresh.schedule) == ("普外科", "department_head", "周二上午门诊")


def test_schedule_with_a_post_not_offered_shows_the_error(client, dispatch, users):
    before = state(dispatch)
    response = _login(client, users["supported_admin"]).post(
        reverse("stints:schedule", args=[dispatch.pk]),
        {"schedule-host_department": "普外科", "schedule-role": "trainee", "schedule-schedule": ""},
    )
    assert response.status_code == 200
    assert list(response.context["schedule_form"].errors) == ["role"]
    assert state(dispatch) == before


@pytest.mark.parametrize("who", _others("supported_admin"))
def test_schedule_forbidden(client, dispatch, users, who):
    before = state(dispatch)
    response = _login(client, users[who]).post(
        reverse("stints:schedule", args=[dispatch.pk]),
        {"schedule-host_department": "外科", "schedule-role": "clinical", "schedule-schedule": "x"},
    )
    assert response.status_code == _refused(who, SEE_STINT)
    assert state(dispatch) == before


def test_update_from_the_page(client, dispatch, users):
    response = _login(client, users["supporting_admin"]).post(
        reverse("stints:update", args=[dispatch.pk]),
        {
            "update-starts_on": "2025-10-01",
            "update-ends_on": "2026-03-31",
            "update-home_department": "心内科",
            "update-host_department": "内科",
        },
    )
    assert response.status_code == 302
    fresh = Stint.objects.get(pk=dispatch.pk)
    assert (fresh.starts_on, fresh.ends_on) == (dt.date(2025, 10, 1), dt.date(2026, 3, 31))


def test_update_with_dates_out_of_order_shows_the_error(client, dispatch, users):
    before = state(dispatch)
    response = _login(client, users["supporting_admin"]).post(
        reverse("stints:update", args=[dispatch.pk]),
        {"update-starts_on": "2025-10-01", "update-ends_on": "2025-09-01"},
    )
    assert response.status_code == 200
    assert list(response.context["update_form"].errors) == ["ends_on"]
    assert state(dispatch) == before


@pytest.mark.parametrize("who", _others("supporting_admin", "commission"))
def test_update_forbidden(client, dispatch, users, who):
    before = state(dispatch)
    response = _login(client, users[who]).post(
        reverse("stints:update", args=[dispatch.pk]),
        {"update-starts_on": "2025-10-01", "update-ends_on": "2026-03-31"},
    )
    assert response.status_code == _refused(who, SEE_STINT)
    assert state(dispatch) == before


def test_host_confirms_arrival(client, dispatch, users):
    response = _login(client, users["supported_admin"]).post(
        reverse("stints:transition", args=[dispatch.pk]), {"to": "active"}
    )
    assert response.status_code == 302
    assert Stint.objects.get(pk=dispatch.pk).state == StintState.ACTIVE


@pytest.mark.parametrize("who", _others("supported_admin"))
def test_confirm_arrival_forbidden(client, dispatch, users, who):
    before = state(dispatch)
    response = _login(client, users[who]).post(reverse("stints:transition", args=[dispatch.pk]), {"to": "active"})
    assert response.status_code == _refused(who, SEE_STINT)
    assert state(dispatch) == before


def test_ending_early_without_a_note_shows_the_error(client, dispatch, users):
    set_state(dispatch, StintState.ACTIVE)
    before = state(dispatch)
    response = _login(client, users["supporting_admin"]).post(
        reverse("stints:transition", args=[dispatch.pk]), {"to": "cancelled", "note": ""}
    )
    assert response.status_code == 200
    assert response.context["transition_error"]["field"] == "note"
    assert response.context["transition_error"]["to"] == "cancelled"
    assert state(dispatch) == before


def test_transition_not_in_the_table_shows_the_error(client, dispatch, users):
    before = state(dispatch)
    response = _login(client, users["commission"]).post(
        reverse("stints:transition", args=[dispatch.pk]), {"to": "completed"}
    )
    assert response.status_code == 200
    assert response.context["transition_error"]["field"] == "state"
    assert state(dispatch) == before


def test_ending_early_with_a_note(client, dispatch, users):
    set_state(dispatch, StintState.ACTIVE)
    response = _login(client, users["commission"]).post(
        reverse("stints:transition", args=[dispatch.pk]), {"to": "cancelled", "note": "因病提前返回"}
    )
    assert response.status_code == 302
    assert Stint.objects.get(pk=dispatch.pk).state == StintState.CANCELLED


# The roster ---------------------------------------------------------------------------------------------------------


def _roster(client, **params):
    """The roster's rows (ids) received by the hospital and sent by it: the list filtered by direction."""
    url = reverse("stints:roster")
    received = [s.pk for s in client.get(url, {"direction": "received", **params}).context["rows"]]
    sent = [s.pk for s in client.get(url, {"direction": "sent", **params}).context["rows"]]
    return received, sent


def test_roster_of_the_host(client, dispatch, users):
    client = _login(client, users["supported_admin"])
    response = client.get(reverse("stints:roster"))
    assert response.status_code == 200
    assert [s.pk for s in response.context["rows"]] == [dispatch.pk]
    assert _roster(client) == ([dispatch.pk], [])


def test_roster_of_the_sender(client, dispatch, users):
    assert _roster(_login(client, users["supporting_admin"])) == ([], [dispatch.pk])


def test_roster_of_an_unrelated_hospital_is_empty(client, dispatch, users):
    client = _login(client, users["unrelated_unit"])
    response = client.get(reverse("stints:roster"))
    assert (response.status_code, response.context["rows"]) == (200, [])
    assert _roster(client) == ([], [])


def test_roster_hides_finished_stints_unless_asked(client, dispatch, users):
    set_state(dispatch, StintState.COMPLETED)
    client = _login(client, users["supported_admin"])
    assert _roster(client) == ([], [])
    assert _roster(client, show="all") == ([dispatch.pk], [])
    # A state chosen shows it, finished or not.
    assert _roster(client, state="completed") == ([dispatch.pk], [])


@pytest.mark.parametrize("who", ["applicant", "reviewer", "commission", "other_commission", "secretariat", "person"])
def test_roster_forbidden_without_a_unit_role(client, dispatch, users, who):
    before = state(dispatch)
    assert _login(client, users[who]).get(reverse("stints:roster")).status_code == 403
    assert state(dispatch) == before


# Inbound foreign trainees -------------------------------------------------------------------------------------------


def _inbound_post(committee=None, **overrides):
    data = {
        "inbound-name": "John Smith",
        "inbound-home": org(FOREIGN).pk,
        "inbound-host": org(MEMBER_HOST).pk,
        "inbound-committee": committee.pk if committee else "",
        "inbound-starts_on": "2025-09-01",
        "inbound-ends_on": "2025-12-31",
        "inbound-host_department": "普外科",
        "inbound-mentor": "张教授",
        "inbound-note": "",
    }
    data.update(overrides)
    return data


def test_inbound_page_lists_and_records(client, users, committee):
    client = _login(client, users["secretariat"])
    response = client.get(reverse("stints:inbound"))
    assert response.status_code == 200
    assert response.context["rows"] == []
    form = response.context["form"]
    assert org(MEMBER_HOST) in form.fields["host"].queryset
    assert org(FOREIGN) in form.fields["home"].queryset
    assert org("fudan-zhongshan-hospital") not in form.fields["home"].queryset
    response = client.post(reverse("stints:inbound"), _inbound_post(committee))
    assert response.status_code == 302
    stint = Stint.objects.get()
    assert (stint.kind, stint.person.name, stint.home.code, stint.committee_id) == (
        StintKind.INBOUND,
        "John Smith",
        FOREIGN,
        committee.pk,
    )
    assert [s.pk for s in client.get(reverse("stints:inbound")).context["rows"]] == [stint.pk]


def test_inbound_from_a_chinese_hospital_cannot_be_chosen(client, users, committee):
    before = state()
    response = _login(client, users["secretariat"]).post(
        reverse("stints:inbound"), _inbound_post(committee, **{"inbound-home": org("fudan-zhongshan-hospital").pk})
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["home"]
    assert state() == before


def test_inbound_host_sees_the_trainee_in_the_roster(client, users, committee):
    _login(client, users["secretariat"]).post(reverse("stints:inbound"), _inbound_post(committee))
    stint = Stint.objects.get()
    assert _roster(_login(client, users["member_host_admin"])) == ([stint.pk], [])


@pytest.mark.parametrize("who", _others("secretariat"))
@pytest.mark.parametrize("method", ["get", "post"])
def test_inbound_page_forbidden(client, users, committee, who, method):
    before = state()
    client = _login(client, users[who])
    url = reverse("stints:inbound")
    response = client.get(url) if method == "get" else client.post(url, _inbound_post(committee))
    assert response.status_code == 403
    assert state() == before


# Query counts -------------------------------------------------------------------------------------------------------


def _three_more_dispatches(pairing, supporting, users, n):
    for i in range(n):
        person = make_person(employer=supporting, title="231", name=f"医生{i}")
        make_dispatch(pairing=pairing, person=person, actor=users["commission"], host_department=f"科室{i}")


# session, user, roles, the programmes a commission manages (its scope), pairing, rows, yearly counts, and per
# form: any staff? + choices
QUERIES_PAIRING = 12  # … and the header's unread notices
# The lists (table kit), as a page, as the HTMX fragment of a filter or a sort (no header, no form), as the export.
# session, user, roles, count, rows, unread notices (the export: its rows and the audit trail instead; the
# user's content type is cached beforehand, as any earlier request of the process would have)
QUERIES_ROSTER = {"page": 6, "fragment": 5, "export": 6}
# session, user, roles, count, rows, the form's choices (institutions abroad, hosts, committees), unread notices
QUERIES_INBOUND = {"page": 9, "fragment": 5, "export": 6}
AS = {"page": ({}, {}), "fragment": ({}, {"HTTP_HX_REQUEST": "true"}), "export": ({"export": "xlsx"}, {})}


def _listed(response) -> int:
    """How many rows a list answer holds: the page's, or the export's (its header row left out)."""
    if response.get("Content-Disposition", "").startswith("attachment"):
        return load_workbook(io.BytesIO(response.content)).active.max_row - 1
    return len(response.context["rows"])


@pytest.mark.parametrize("rows", [1, 3])
def test_pairing_page_query_count(client, django_assert_num_queries, pairing, supporting, users, rows):
    _three_more_dispatches(pairing, supporting, users, rows)
    client = _login(client, users["commission"])
    with django_assert_num_queries(QUERIES_PAIRING):
        response = client.get(reverse("stints:pairing", args=[pairing.pk]))
    assert len(response.context["rows"]) == rows


@pytest.mark.parametrize("answer", AS)
@pytest.mark.parametrize("rows", [1, 3])
def test_roster_query_count(client, django_assert_num_queries, pairing, supporting, users, rows, answer):
    _three_more_dispatches(pairing, supporting, users, rows)
    client = _login(client, users["supported_admin"])
    params, headers = AS[answer]
    ContentType.objects.get_for_model(users["secretariat"])  # the audit trail's, cached once per process
    with django_assert_num_queries(QUERIES_ROSTER[answer]):
        response = client.get(reverse("stints:roster"), params, **headers)
    assert _listed(response) == rows


@pytest.mark.parametrize("answer", AS)
@pytest.mark.parametrize("rows", [1, 3])
def test_inbound_page_query_count(client, django_assert_num_queries, users, committee, rows, answer):
    for i in range(rows):
        inbound_trainee_create(
            actor=users["secretariat"],
            name=f"Trainee {i}",
            home=org(FOREIGN),
            host=org(MEMBER_HOST),
            starts_on=START,
            ends_on=END,
            committee=committee,
        )
    client = _login(client, users["secretariat"])
    params, headers = AS[answer]
    ContentType.objects.get_for_model(users["secretariat"])  # the audit trail's, cached once per process
    with django_assert_num_queries(QUERIES_INBOUND[answer]):
        response = client.get(reverse("stints:inbound"), params, **headers)
    assert _listed(response) == rows
