"""The rules on recording a stint (seed document 003: dispatched staff and upward trainees; seed 002: inbound
foreign trainees), the title rule as data, the transition table, scheduling and changes."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.core.exceptions import PermissionDenied

from medtalent.core.errors import ApplicationError
from medtalent.core.models import AuditEvent
from medtalent.partnerships.enums import PairingRuleKind
from medtalent.partnerships.models import PairingRule
from medtalent.people.models import Person
from medtalent.stints import services
from medtalent.stints.enums import StintKind, StintRole, StintState
from medtalent.stints.models import Stint
from medtalent.stints.workflow import STINT
from tests.factories import OrganisationFactory, code
from tests.stints.conftest import (
    CHINESE_MEMBER,
    END,
    FOREIGN,
    MEMBER_HOST,
    START,
    make_dispatch,
    make_person,
    org,
    set_state,
    state,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

REQUIREMENT = (
    "A dispatched doctor must hold a title of grade associate senior or above, or a title of grade intermediate "
    "obtained at least 5 years before the stint starts (2025-09-01)."
)


def assert_refused(call, *, field: str, message: str | None = None, before=None):
    before = before if before is not None else state()
    with pytest.raises(ApplicationError) as caught:
        call()
    assert caught.value.field == field
    if message is not None:
        assert caught.value.message == message
    assert state() == before
    return caught.value


# Dispatch: the title rule ----------------------------------------------------------------------------------


def test_dispatch_associate_chief_physician_is_recorded(pairing, doctor, users):
    stint = make_dispatch(pairing=pairing, person=doctor, actor=users["supporting_admin"], home_department="心内科")
    stint.refresh_from_db()
    assert (stint.kind, stint.state, stint.role, stint.title.code) == ("dispatch", "planned", "clinical", "232")
    assert (stint.home_id, stint.host_id, stint.pairing_id) == (pairing.supporting_id, pairing.supported_id, pairing.pk)
    assert (stint.starts_on, stint.ends_on, stint.home_department) == (START, END, "心内科")
    event = AuditEvent.objects.get(object_type="stints.stint", object_id=str(stint.pk))
    assert (event.action, event.actor_id, event.to_state) == ("stint.create", users["supporting_admin"].pk, "planned")
    assert event.data["title"] == "232"


def test_dispatch_attending_for_six_years_is_recorded(pairing, supporting, users):
    person = make_person(employer=supporting, title="233", obtained=dt.date(2019, 9, 1))
    stint = make_dispatch(pairing=pairing, person=person, actor=users["supporting_admin"])
    assert stint.title.code == "233"


def test_dispatch_attending_exactly_five_years_is_recorded(pairing, supporting, users):
    person = make_person(employer=supporting, title="233", obtained=dt.date(2020, 9, 1))
    assert make_dispatch(pairing=pairing, person=person, actor=users["supporting_admin"]).pk


def test_dispatch_attending_for_four_years_is_refused(pairing, supporting, users):
    person = make_person(employer=supporting, title="233", obtained=dt.date(2021, 9, 1), name="赵医生")
    assert_refused(
        lambda: make_dispatch(pairing=pairing, person=person, actor=users["supporting_admin"]),
        field="person",
        message=f"赵医生 holds the title Attending Physician, obtained on 2021-09-01. {REQUIREMENT}",
    )


def test_dispatch_attending_one_day_short_is_refused(pairing, supporting, users):
    person = make_person(employer=supporting, title="233", obtained=dt.date(2020, 9, 2))
    assert_refused(
        lambda: make_dispatch(pairing=pairing, person=person, actor=users["supporting_admin"]), field="person"
    )


def test_dispatch_physician_is_refused(pairing, supporting, users):
    person = make_person(employer=supporting, title="234", obtained=dt.date(2010, 1, 1), name="钱医生")
    assert_refused(
        lambda: make_dispatch(pairing=pairing, person=person, actor=users["supporting_admin"]),
        field="person",
        message=f"钱医生 holds the title Physician, obtained on 2010-01-01. {REQUIREMENT}",
    )


def test_dispatch_without_title_is_refused(pairing, supporting, users):
    person = make_person(employer=supporting, title=None, name="孙医生")
    assert_refused(
        lambda: make_dispatch(pairing=pairing, person=person, actor=users["supporting_admin"]),
        field="person",
        message=f"孙医生 has no professional title on record. {REQUIREMENT}",
    )


def test_dispatch_attending_without_date_is_refused(pairing, supporting, users):
    person = make_person(employer=supporting, title="233", obtained=None, name="周医生")
    assert_refused(
        lambda: make_dispatch(pairing=pairing, person=person, actor=users["supporting_admin"]),
        field="person",
        message=f"周医生 holds the title Attending Physician, but the date it was obtained is not on record. {REQUIREMENT}",
    )


def test_dispatch_without_title_rule_is_not_checked(pairing, supporting, users):
    PairingRule.objects.filter(programme=pairing.programme, kind=PairingRuleKind.DISPATCH_TITLE).delete()
    person = make_person(employer=supporting, title="234", obtained=dt.date(2024, 1, 1))
    stint = make_dispatch(pairing=pairing, person=person, actor=users["supporting_admin"])
    assert stint.title.code == "234"


def test_dispatch_title_rule_numbers_are_data(pairing, supporting, users):
    PairingRule.objects.filter(programme=pairing.programme, kind=PairingRuleKind.DISPATCH_TITLE).update(
        params={"min_grade": "senior", "intermediate_min_years": 0}
    )
    person = make_person(employer=supporting, title="232", obtained=dt.date(2010, 1, 1), name="吴医生")
    assert_refused(
        lambda: make_dispatch(pairing=pairing, person=person, actor=users["supporting_admin"]),
        field="person",
        message="吴医生 holds the title Associate Chief Physician, obtained on 2010-01-01. "
        "A dispatched doctor must hold a title of grade senior or above.",
    )


def test_dispatch_management_post(pairing, doctor, users):
    stint = make_dispatch(pairing=pairing, person=doctor, actor=users["commission"], role=StintRole.VICE_PRESIDENT)
    assert stint.role == "vice_president"


def test_dispatch_as_trainee_is_refused(pairing, doctor, users):
    assert_refused(
        lambda: make_dispatch(pairing=pairing, person=doctor, actor=users["commission"], role=StintRole.TRAINEE),
        field="role",
        message="“Trainee” is not a post for a stint of this kind (Dispatch).",
    )


# Dispatch and upward: the parties -----------------------------------------------------------------------------


def test_dispatch_wrong_home_is_refused(pairing, supported, county_doctor, users):
    def call():
        return services.stint_create(
            actor=users["commission"],
            kind=StintKind.DISPATCH,
            person=county_doctor,
            home=supported,
            host=pairing.supporting,
            starts_on=START,
            ends_on=END,
            pairing=pairing,
        )

    error = assert_refused(call, field="home")
    assert error.message == (
        f"In this pairing, the sending hospital for “Dispatch” is {pairing.supporting.name}, not {supported.name}."
    )


def test_dispatch_wrong_host_is_refused(pairing, doctor, users):
    other = org("zj-h-331022-1")  # 三门县人民医院: supported by the same hospital, another pairing

    def call():
        return services.stint_create(
            actor=users["commission"],
            kind=StintKind.DISPATCH,
            person=doctor,
            home=pairing.supporting,
            host=other,
            starts_on=START,
            ends_on=END,
            pairing=pairing,
        )

    error = assert_refused(call, field="host")
    assert error.message == f"In this pairing, the host for “Dispatch” is {pairing.supported.name}, not {other.name}."


def test_dispatch_person_of_another_hospital_is_refused(pairing, supported, users):
    outsider = make_person(employer=supported, title="232", name="郑医生")
    error = assert_refused(
        lambda: make_dispatch(pairing=pairing, person=outsider, actor=users["commission"]), field="person"
    )
    assert error.message == f"郑医生 is not on the staff of {pairing.supporting.name}."


def test_dispatch_without_pairing_is_refused(pairing, doctor, users):
    def call():
        return services.stint_create(
            actor=users["commission"],
            kind=StintKind.DISPATCH,
            person=doctor,
            home=pairing.supporting,
            host=pairing.supported,
            starts_on=START,
            ends_on=END,
        )

    assert_refused(call, field="pairing", message="A dispatch or an upward trainee belongs to a pairing.")


def test_period_must_be_ordered(pairing, doctor, users):
    assert_refused(
        lambda: make_dispatch(pairing=pairing, person=doctor, actor=users["commission"], starts_on=END, ends_on=START),
        field="ends_on",
        message="The stint ends (2025-09-01) before it starts (2026-02-28).",
    )


def test_one_day_stint_is_allowed(pairing, doctor, users):
    assert make_dispatch(pairing=pairing, person=doctor, actor=users["commission"], ends_on=START).pk


def test_home_cannot_be_host(pairing, doctor, users):
    def call():
        return services.stint_create(
            actor=users["commission"],
            kind=StintKind.DISPATCH,
            person=doctor,
            home=pairing.supporting,
            host=pairing.supporting,
            starts_on=START,
            ends_on=END,
            pairing=pairing,
        )

    error = assert_refused(call, field="host")
    assert error.message == f"The sending institution and the host cannot be the same ({pairing.supporting.name})."


def test_training_kind_is_not_recorded_here(pairing, doctor, users):
    def call():
        return services.stint_create(
            actor=users["commission"],
            kind=StintKind.TRAINING,
            person=doctor,
            home=pairing.supporting,
            host=pairing.supported,
            starts_on=START,
            ends_on=END,
        )

    assert_refused(call, field="kind")


def test_upward_trainee_is_recorded(pairing, county_doctor, users):
    stint = services.stint_create(
        actor=users["supported_admin"],
        kind=StintKind.UPWARD,
        person=county_doctor,
        home=pairing.supported,
        host=pairing.supporting,
        starts_on=START,
        ends_on=END,
        pairing=pairing,
    )
    assert (stint.kind, stint.role, stint.title.code, stint.home_id) == (
        "upward",
        "trainee",
        "233",
        pairing.supported_id,
    )


def test_upward_has_no_title_rule(pairing, supported, users):
    junior = make_person(employer=supported, title="235", name="冯医士")
    stint = services.stint_create(
        actor=users["commission"],
        kind=StintKind.UPWARD,
        person=junior,
        home=pairing.supported,
        host=pairing.supporting,
        starts_on=START,
        ends_on=END,
        pairing=pairing,
    )
    assert stint.title.code == "235"


def test_upward_wrong_direction_is_refused(pairing, doctor, users):
    def call():
        return services.stint_create(
            actor=users["commission"],
            kind=StintKind.UPWARD,
            person=doctor,
            home=pairing.supporting,
            host=pairing.supported,
            starts_on=START,
            ends_on=END,
            pairing=pairing,
        )

    assert_refused(call, field="home")


# Overlap ----------------------------------------------------------------------------------------------------


def test_overlapping_stint_is_refused_and_named(pairing, doctor, users, dispatch):
    error = assert_refused(
        lambda: make_dispatch(
            pairing=pairing,
            person=doctor,
            actor=users["commission"],
            starts_on=dt.date(2026, 2, 28),
            ends_on=dt.date(2026, 6, 30),
        ),
        field="starts_on",
    )
    assert error.message == (
        f"王医生 already has a stint at {pairing.supported.name} from 2025-09-01 to 2026-02-28 (Dispatch) "
        "that overlaps these dates."
    )


def test_stint_right_after_another_is_allowed(pairing, doctor, users, dispatch):
    nxt = make_dispatch(
        pairing=pairing,
        person=doctor,
        actor=users["commission"],
        starts_on=dt.date(2026, 3, 1),
        ends_on=dt.date(2026, 8, 31),
    )
    assert nxt.pk != dispatch.pk


def test_cancelled_stint_does_not_block(pairing, doctor, users, dispatch):
    services.stint_transition(actor=users["supporting_admin"], stint=dispatch, to=StintState.CANCELLED)
    assert make_dispatch(pairing=pairing, person=doctor, actor=users["commission"]).pk


# Permissions on recording --------------------------------------------------------------------------------------

DISPATCH_ALLOWED = ["supporting_admin", "commission"]
DISPATCH_DENIED = [
    "applicant",
    "reviewer",
    "unrelated_unit",
    "supported_admin",
    "other_commission",
    "secretariat",
    "member_host_admin",
    "person",
]


@pytest.mark.parametrize("who", DISPATCH_DENIED)
def test_dispatch_denied(pairing, doctor, users, who):
    before = state()
    with pytest.raises(PermissionDenied):
        make_dispatch(pairing=pairing, person=doctor, actor=users[who])
    assert state() == before


@pytest.mark.parametrize("who", DISPATCH_ALLOWED)
def test_dispatch_allowed(pairing, doctor, users, who):
    assert make_dispatch(pairing=pairing, person=doctor, actor=users[who]).state == StintState.PLANNED


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("supported_admin", True),
        ("commission", True),
        ("supporting_admin", False),
        ("other_commission", False),
        ("unrelated_unit", False),
        ("applicant", False),
        ("secretariat", False),
    ],
)
def test_upward_permission(pairing, county_doctor, users, who, allowed):
    def call():
        return services.stint_create(
            actor=users[who],
            kind=StintKind.UPWARD,
            person=county_doctor,
            home=pairing.supported,
            host=pairing.supporting,
            starts_on=START,
            ends_on=END,
            pairing=pairing,
        )

    if allowed:
        assert call().kind == StintKind.UPWARD
    else:
        before = state()
        with pytest.raises(PermissionDenied):
            call()
        assert state() == before


# Inbound foreign trainees -----------------------------------------------------------------------------------


def _inbound(actor, *, home=FOREIGN, host=MEMBER_HOST, committee=None, **kwargs):
    return services.inbound_trainee_create(
        actor=actor,
        name="John Smith",
        home=org(home),
        host=org(host),
        starts_on=START,
        ends_on=END,
        committee=committee,
        host_department="普外科",
        mentor="张教授",
        **kwargs,
    )


def test_inbound_trainee_recorded_by_secretariat(users, committee):
    stint = _inbound(users["secretariat"], committee=committee)
    person = Person.objects.get(pk=stint.person_id)
    assert (person.name, person.employer.code, person.id_number, person.user_id) == ("John Smith", FOREIGN, None, None)
    assert (stint.kind, stint.role, stint.committee_id, stint.host.code) == (
        "inbound",
        "trainee",
        committee.pk,
        MEMBER_HOST,
    )
    assert (stint.host_department, stint.mentor, stint.title_id, stint.pairing_id) == ("普外科", "张教授", None, None)
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))[-2:]
    assert actions == ["person.create", "stint.create"]


def test_inbound_trainee_recorded_by_host_admin_without_committee(users):
    stint = _inbound(users["member_host_admin"])
    assert (stint.kind, stint.committee_id) == ("inbound", None)


def test_inbound_from_a_chinese_hospital_is_refused(users, committee):
    error = assert_refused(
        lambda: _inbound(users["secretariat"], home=CHINESE_MEMBER, committee=committee), field="home"
    )
    assert error.message == (
        "An inbound foreign trainee comes from an institution abroad; Zhongshan Hospital, Fudan University is not one."
    )


def test_inbound_from_an_institution_in_china_with_country_cn_is_refused(users):
    chinese = OrganisationFactory(country=code("country", "CN"))
    before = state()
    with pytest.raises(ApplicationError) as caught:
        services.inbound_trainee_create(
            actor=users["secretariat"], name="X", home=chinese, host=org(MEMBER_HOST), starts_on=START, ends_on=END
        )
    assert caught.value.field == "home"
    assert state() == before


def test_inbound_host_outside_the_committee_alliance_is_refused(users, committee, supported):
    before = state()
    host_admin = users["supported_admin"]  # may record at 景宁, which is no member of the alliance
    with pytest.raises(ApplicationError) as caught:
        services.inbound_trainee_create(
            actor=host_admin,
            name="X",
            home=org(FOREIGN),
            host=supported,
            starts_on=START,
            ends_on=END,
            committee=committee,
        )
    assert caught.value.field == "host"
    assert caught.value.message == f"{supported.name} is not a member of the alliance of {committee.name}."
    assert state() == before


def test_inbound_without_name_is_refused(users):
    before = state()
    with pytest.raises(ApplicationError) as caught:
        services.inbound_trainee_create(
            actor=users["secretariat"],
            name="  ",
            home=org(FOREIGN),
            host=org(MEMBER_HOST),
            starts_on=START,
            ends_on=END,
        )
    assert caught.value.field == "name"
    assert state() == before


@pytest.mark.parametrize(
    "who", ["applicant", "reviewer", "unrelated_unit", "supporting_admin", "commission", "other_commission"]
)
def test_inbound_denied(users, committee, who):
    before = state()
    with pytest.raises(PermissionDenied):
        _inbound(users[who], committee=committee)
    assert state() == before


# Transitions -------------------------------------------------------------------------------------------------

STATES = [s.value for s in StintState]
# Who performs each allowed transition in the table test.
ACTOR_FOR = {
    ("planned", "active"): "supported_admin",
    ("active", "completed"): "supported_admin",
    ("planned", "cancelled"): "supporting_admin",
    ("active", "cancelled"): "commission",
}


def test_transition_table_is_the_documented_one():
    assert {key: move.permission for key, move in STINT.table.items()} == {
        ("planned", "active"): "stints.confirm_arrival",
        ("active", "completed"): "stints.complete_stint",
        ("planned", "cancelled"): "stints.cancel_stint",
        ("active", "cancelled"): "stints.cancel_stint",
    }


@pytest.mark.parametrize(("frm", "to"), list(itertools.product(STATES, STATES)))
def test_transition_table(dispatch, users, frm, to):
    set_state(dispatch, frm)
    if (frm, to) in STINT.table:
        result = services.stint_transition(actor=users[ACTOR_FOR[(frm, to)]], stint=dispatch, to=to, note="因病返回")
        assert Stint.objects.get(pk=dispatch.pk).state == to == result.state
        event = AuditEvent.objects.filter(action="stint.transition").latest("id")
        assert (event.from_state, event.to_state, event.note) == (frm, to, "因病返回")
    else:
        before = state(dispatch)
        with pytest.raises(ApplicationError) as caught:
            services.stint_transition(actor=users["commission"], stint=dispatch, to=to, note="x")
        assert caught.value.field == "state"
        assert state(dispatch) == before


TRANSITION_ACTORS = {
    # (from, to): who may
    ("planned", "active"): {"supported_admin"},
    ("active", "completed"): {"supported_admin", "supporting_admin"},
    ("planned", "cancelled"): {"supporting_admin", "commission"},
    ("active", "cancelled"): {"supporting_admin", "commission"},
}
EVERYONE = [
    "applicant",
    "reviewer",
    "unrelated_unit",
    "supporting_admin",
    "supported_admin",
    "commission",
    "other_commission",
    "secretariat",
    "person",
]


@pytest.mark.parametrize(("frm", "to"), list(TRANSITION_ACTORS))
@pytest.mark.parametrize("who", EVERYONE)
def test_transition_permissions(dispatch, users, frm, to, who):
    set_state(dispatch, frm)
    if who in TRANSITION_ACTORS[(frm, to)]:
        services.stint_transition(actor=users[who], stint=dispatch, to=to, note="提前结束")
        assert Stint.objects.get(pk=dispatch.pk).state == to
    else:
        before = state(dispatch)
        with pytest.raises(PermissionDenied):
            services.stint_transition(actor=users[who], stint=dispatch, to=to, note="提前结束")
        assert state(dispatch) == before


def test_ending_early_needs_a_note(dispatch, users):
    set_state(dispatch, StintState.ACTIVE)
    before = state(dispatch)
    with pytest.raises(ApplicationError) as caught:
        services.stint_transition(actor=users["supporting_admin"], stint=dispatch, to=StintState.CANCELLED, note="  ")
    assert (caught.value.field, caught.value.message) == ("note", "Say why the stint ended early.")
    assert state(dispatch) == before


def test_secretariat_cancels_an_inbound_trainee(users, committee):
    stint = _inbound(users["secretariat"], committee=committee)
    services.stint_transition(actor=users["secretariat"], stint=stint, to=StintState.CANCELLED)
    assert Stint.objects.get(pk=stint.pk).state == "cancelled"


# Schedule and changes ----------------------------------------------------------------------------------------


def test_host_schedules_like_own_staff(dispatch, users):
    services.stint_schedule(
        actor=users["supported_admin"],
        stint=dispatch,
        host_department="普外科",
        role=StintRole.DEPARTMENT_HEAD,
        schedule="周二、周四上午门诊；每周一次夜班",
        mentor="",
    )
    fresh = Stint.objects.get(pk=dispatch.pk)
    assert (fresh.host_department, fresh.role, fresh.schedule) == (
        "普外科",
        "department_head",
        "周二、周四上午门诊；每周一次夜班",
    )
    event = AuditEvent.objects.filter(action="stint.schedule").get()
    assert event.data["before"]["host_department"] == "内科"
    assert event.data["after"]["role"] == "department_head"


@pytest.mark.parametrize(
    "who",
    ["supporting_admin", "commission", "other_commission", "unrelated_unit", "applicant", "person", "secretariat"],
)
def test_only_the_host_schedules(dispatch, users, who):
    before = state(dispatch)
    with pytest.raises(PermissionDenied):
        services.stint_schedule(
            actor=users[who], stint=dispatch, host_department="外科", role="clinical", schedule="x", mentor="y"
        )
    assert state(dispatch) == before


def test_schedule_refuses_a_trainee_post_for_a_dispatch(dispatch, users):
    before = state(dispatch)
    with pytest.raises(ApplicationError) as caught:
        services.stint_schedule(
            actor=users["supported_admin"],
            stint=dispatch,
            host_department="外科",
            role="trainee",
            schedule="",
            mentor="",
        )
    assert caught.value.field == "role"
    assert state(dispatch) == before


def test_completed_stint_cannot_be_scheduled(dispatch, users):
    set_state(dispatch, StintState.COMPLETED)
    before = state(dispatch)
    with pytest.raises(ApplicationError):
        services.stint_schedule(
            actor=users["supported_admin"],
            stint=dispatch,
            host_department="外科",
            role="clinical",
            schedule="",
            mentor="",
        )
    assert state(dispatch) == before


@pytest.mark.parametrize("who", ["supporting_admin", "commission"])
def test_update_while_planned(dispatch, users, who):
    services.stint_update(
        actor=users[who],
        stint=dispatch,
        starts_on=dt.date(2025, 10, 1),
        ends_on=dt.date(2026, 3, 31),
        home_department="心内科",
        host_department="内科二病区",
    )
    fresh = Stint.objects.get(pk=dispatch.pk)
    assert (fresh.starts_on, fresh.ends_on, fresh.home_department, fresh.host_department) == (
        dt.date(2025, 10, 1),
        dt.date(2026, 3, 31),
        "心内科",
        "内科二病区",
    )
    event = AuditEvent.objects.filter(action="stint.update").get()
    assert event.data["before"]["starts_on"] == "2025-09-01"
    assert event.data["after"]["starts_on"] == "2025-10-01"


@pytest.mark.parametrize("who", ["supported_admin", "other_commission", "unrelated_unit", "applicant", "person"])
def test_update_denied(dispatch, users, who):
    before = state(dispatch)
    with pytest.raises(PermissionDenied):
        services.stint_update(actor=users[who], stint=dispatch, starts_on=START, ends_on=dt.date(2026, 1, 31))
    assert state(dispatch) == before


def test_update_refused_once_active(dispatch, users):
    set_state(dispatch, StintState.ACTIVE)
    before = state(dispatch)
    with pytest.raises(ApplicationError) as caught:
        services.stint_update(
            actor=users["supporting_admin"], stint=dispatch, starts_on=START, ends_on=dt.date(2026, 1, 31)
        )
    assert caught.value.field == "state"
    assert state(dispatch) == before


def test_update_checks_the_title_years_again(pairing, supporting, users):
    person = make_person(employer=supporting, title="233", obtained=dt.date(2020, 9, 1))
    stint = make_dispatch(pairing=pairing, person=person, actor=users["commission"])
    before = state(stint)
    with pytest.raises(ApplicationError) as caught:
        services.stint_update(actor=users["commission"], stint=stint, starts_on=dt.date(2025, 8, 1), ends_on=END)
    assert caught.value.field == "person"
    assert state(stint) == before


def test_update_checks_overlap_but_not_with_itself(pairing, doctor, users, dispatch):
    later = make_dispatch(
        pairing=pairing,
        person=doctor,
        actor=users["commission"],
        starts_on=dt.date(2026, 6, 1),
        ends_on=dt.date(2026, 12, 31),
    )
    services.stint_update(actor=users["commission"], stint=dispatch, starts_on=START, ends_on=dt.date(2026, 5, 31))
    before = state(dispatch)
    with pytest.raises(ApplicationError) as caught:
        services.stint_update(actor=users["commission"], stint=dispatch, starts_on=START, ends_on=dt.date(2026, 6, 1))
    assert caught.value.field == "starts_on"
    assert state(dispatch) == before
    assert later.pk
