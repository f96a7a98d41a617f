"""The secretariat's writes: members and partners, events. Rules on both sides, audit rows, nothing half-written."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from medtalent.alliance import services
from medtalent.alliance.enums import EventKind, MembershipKind
from medtalent.alliance.models import Committee, Event, Membership
from medtalent.alliance.services import EventInput, NewOrganisation
from medtalent.core.errors import ApplicationError
from medtalent.core.models import AuditEvent
from medtalent.orgs.enums import OrganisationKind
from medtalent.orgs.models import Organisation
from tests.alliance.conftest import DENIED, EVENT, MEMBER, PARTNER, make_user, snapshot
from tests.factories import OrganisationFactory, code

pytestmark = [pytest.mark.usefixtures("english"), pytest.mark.django_db]


def _audit(obj, action):
    return AuditEvent.objects.get(object_type=obj._meta.label_lower, object_id=str(obj.pk), action=action)


# Members and partners ---------------------------------------------------------------------------------------


def test_membership_create_for_an_existing_institution(alliance, secretariat):
    hospital = Organisation.objects.get(code="zju-first-hospital")
    membership = services.membership_create(
        actor=secretariat,
        alliance=alliance,
        organisation=hospital,
        kind=MembershipKind.MEMBER,
        joined_on=dt.date(2020, 5, 1),
        note_zh=" 理事单位 ",
    )
    membership.refresh_from_db()
    assert (membership.alliance, membership.organisation, membership.kind) == (alliance, hospital, "member")
    assert (membership.joined_on, membership.note_zh, membership.note_en) == (dt.date(2020, 5, 1), "理事单位", "")
    audit = _audit(membership, "membership.create")
    assert audit.actor == secretariat
    assert audit.data == {
        "alliance": "bri-medical-talent-alliance",
        "organisation": "zju-first-hospital",
        "kind": "member",
        "joined_on": "2020-05-01",
        "new_organisation": False,
    }


def test_membership_create_with_a_new_institution_abroad(alliance, secretariat):
    before = Organisation.objects.count()
    membership = services.membership_create(
        actor=secretariat,
        alliance=alliance,
        new_organisation=NewOrganisation(
            name_zh="卡罗林斯卡学院", name_en="Karolinska Institutet", kind=OrganisationKind.UNIVERSITY, country="se"
        ),
        kind=MembershipKind.PARTNER,
    )
    org = membership.organisation
    assert Organisation.objects.count() == before + 1
    assert (org.code, org.name_zh, org.name_en, org.kind, org.country.code) == (
        "karolinska-institutet",
        "卡罗林斯卡学院",
        "Karolinska Institutet",
        "university",
        "SE",
    )
    assert membership.kind == "partner"
    assert _audit(org, "organisation.create").actor == secretariat
    assert _audit(membership, "membership.create").data["new_organisation"] is True


def test_a_new_institution_gets_a_free_code(alliance, secretariat):
    OrganisationFactory(code="mercy-hospital", name_en="Other name")
    membership = services.membership_create(
        actor=secretariat,
        alliance=alliance,
        new_organisation=NewOrganisation(name_en="Mercy Hospital", country="IE"),
        kind=MembershipKind.PARTNER,
    )
    assert (membership.organisation.code, membership.organisation.name_zh) == ("mercy-hospital-2", "Mercy Hospital")


def test_a_new_chinese_institution_has_no_country(alliance, secretariat):
    membership = services.membership_create(
        actor=secretariat,
        alliance=alliance,
        new_organisation=NewOrganisation(name_zh="测试县人民医院", country="CN"),
        kind=MembershipKind.MEMBER,
    )
    assert membership.organisation.country is None
    assert membership.organisation.code == "institution"


def assert_refused(call, field, message_part):
    before = snapshot()
    with pytest.raises(ApplicationError) as error:
        call()
    assert error.value.field == field
    assert message_part in error.value.message
    assert snapshot() == before


def test_a_partner_must_be_abroad(alliance, secretariat):
    hospital = Organisation.objects.get(code="zju-first-hospital")
    assert_refused(
        lambda: services.membership_create(
            actor=secretariat, alliance=alliance, organisation=hospital, kind=MembershipKind.PARTNER
        ),
        "kind",
        "“The First Affiliated Hospital, Zhejiang University School of Medicine” has no country",
    )


def test_a_foreign_member_is_allowed(alliance, secretariat):
    foreign = OrganisationFactory(country=code("country", "HU"))
    membership = services.membership_create(
        actor=secretariat, alliance=alliance, organisation=foreign, kind=MembershipKind.MEMBER
    )
    assert membership.kind == "member"


def test_a_new_chinese_institution_cannot_be_a_partner_and_is_not_created(alliance, secretariat):
    assert_refused(
        lambda: services.membership_create(
            actor=secretariat,
            alliance=alliance,
            new_organisation=NewOrganisation(name_zh="某县医院"),
            kind=MembershipKind.PARTNER,
        ),
        "kind",
        "某县医院",
    )
    assert not Organisation.objects.filter(name_zh="某县医院").exists()


def test_an_institution_joins_only_once(alliance, secretariat):
    assert_refused(
        lambda: services.membership_create(
            actor=secretariat,
            alliance=alliance,
            organisation=Organisation.objects.get(code=PARTNER),
            kind=MembershipKind.PARTNER,
        ),
        "organisation",
        "“Mayo Clinic” is already in the alliance (Partner institution abroad).",
    )


def test_the_alliance_is_not_its_own_member(alliance, secretariat):
    assert_refused(
        lambda: services.membership_create(
            actor=secretariat, alliance=alliance, organisation=alliance, kind=MembershipKind.MEMBER
        ),
        "organisation",
        "own member",
    )


@pytest.mark.parametrize(
    ("new", "field", "part"),
    [
        (NewOrganisation(name_zh="梅奥诊所", country="US"), "new_name_zh", "“Mayo Clinic” is already on the platform"),
        (
            NewOrganisation(name_en="mayo clinic", country="US"),
            "new_name_en",
            "“Mayo Clinic” is already on the platform",
        ),
        (NewOrganisation(name_zh="  ", name_en=""), "new_name_zh", "name"),
        (NewOrganisation(name_en="Somewhere", country="XX"), "new_country", "XX"),
        (NewOrganisation(name_en="Somewhere", kind="spaceship", country="US"), "new_kind", "type"),
    ],
)
def test_a_new_institution_is_checked(alliance, secretariat, new, field, part):
    assert_refused(
        lambda: services.membership_create(
            actor=secretariat, alliance=alliance, new_organisation=new, kind=MembershipKind.PARTNER
        ),
        field,
        part,
    )


def test_existing_or_new_not_both(alliance, secretariat):
    assert_refused(
        lambda: services.membership_create(
            actor=secretariat,
            alliance=alliance,
            organisation=Organisation.objects.get(code="zju-first-hospital"),
            new_organisation=NewOrganisation(name_zh="某医院"),
            kind=MembershipKind.MEMBER,
        ),
        "organisation",
        "not both",
    )


def test_membership_update_records_what_changed(alliance, secretariat):
    membership = Membership.objects.get(alliance=alliance, organisation__code=PARTNER)
    services.membership_update(
        actor=secretariat,
        membership=membership,
        kind=MembershipKind.MEMBER,
        joined_on=dt.date(2019, 6, 25),
        note_zh=membership.note_zh,
        note_en="Founding partner",
    )
    membership.refresh_from_db()
    assert (membership.kind, membership.joined_on, membership.note_en) == (
        "member",
        dt.date(2019, 6, 25),
        "Founding partner",
    )
    audit = _audit(membership, "membership.change")
    assert audit.data["fields"] == ["kind", "joined_on", "note_en"]
    assert audit.data["to"] == {"kind": "member", "joined_on": "2019-06-25", "note_en": "Founding partner"}
    assert audit.data["from"]["kind"] == "partner"


def test_membership_update_without_change_writes_no_audit(alliance, secretariat):
    membership = Membership.objects.get(alliance=alliance, organisation__code=PARTNER)
    before = snapshot()
    services.membership_update(
        actor=secretariat,
        membership=membership,
        kind=membership.kind,
        joined_on=membership.joined_on,
        note_zh=membership.note_zh,
        note_en=membership.note_en,
    )
    assert snapshot() == before


def test_membership_update_keeps_the_partner_rule(alliance, secretariat):
    membership = Membership.objects.get(alliance=alliance, organisation__code=MEMBER)
    assert_refused(
        lambda: services.membership_update(
            actor=secretariat, membership=membership, kind=MembershipKind.PARTNER, joined_on=None
        ),
        "kind",
        "“Zhongshan Hospital, Fudan University” has no country",
    )


def test_membership_delete_is_audited_and_keeps_the_institution(alliance, secretariat):
    membership = Membership.objects.get(alliance=alliance, organisation__code=PARTNER)
    pk = membership.pk
    services.membership_delete(actor=secretariat, membership=membership)
    assert not Membership.objects.filter(pk=pk).exists()
    assert Organisation.objects.filter(code=PARTNER).exists()
    audit = AuditEvent.objects.get(object_type="alliance.membership", object_id=str(pk), action="membership.delete")
    assert (audit.actor, audit.data["organisation"], audit.data["kind"]) == (secretariat, PARTNER, "partner")


@pytest.mark.parametrize("who", DENIED)
def test_membership_services_refuse_other_users_and_change_nothing(alliance, who):
    user = make_user(who)
    membership = Membership.objects.get(alliance=alliance, organisation__code=PARTNER)
    before = snapshot()
    calls = [
        lambda: services.membership_create(
            actor=user,
            alliance=alliance,
            organisation=Organisation.objects.get(code="zju-first-hospital"),
            kind=MembershipKind.MEMBER,
        ),
        lambda: services.membership_create(
            actor=user, alliance=alliance, new_organisation=NewOrganisation(name_zh="新医院"), kind="member"
        ),
        lambda: services.membership_update(actor=user, membership=membership, kind="member", joined_on=None),
        lambda: services.membership_delete(actor=user, membership=membership),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    assert snapshot() == before


# Events -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("starts", "ends", "zh", "en"),
    [
        (None, None, "", ""),
        (dt.date(2019, 3, 29), None, "2019年3月29日", "29 March 2019"),
        (dt.date(2019, 3, 29), dt.date(2019, 3, 29), "2019年3月29日", "29 March 2019"),
        (dt.date(2019, 10, 11), dt.date(2019, 10, 20), "2019年10月11—20日", "11–20 October 2019"),
        (dt.date(2019, 10, 30), dt.date(2019, 11, 2), "2019年10月30日—11月2日", "30 October – 2 November 2019"),
        (
            dt.date(2019, 12, 30),
            dt.date(2020, 1, 2),
            "2019年12月30日—2020年1月2日",
            "30 December 2019 – 2 January 2020",
        ),
    ],
)
def test_date_notes(starts, ends, zh, en):
    assert services.date_notes(starts, ends) == (zh, en)


def test_event_create_with_everything(alliance, secretariat):
    event = services.event_create(
        actor=secretariat,
        alliance=alliance,
        data=EventInput(
            kind=EventKind.DELEGATION_IN,
            name_zh="匈牙利专家代表团来华访问",
            name_en="Hungarian expert delegation",
            starts_on=dt.date(2022, 5, 9),
            ends_on=dt.date(2022, 5, 13),
            place_zh="北京",
            place_en="Beijing",
            countries=("hu", "AT", "HU"),
            organisers=("bri-medical-talent-alliance", PARTNER),
            committee="minimally-invasive-surgery",
            participants=8,
            description_zh="交流。",
        ),
    )
    event.refresh_from_db()
    assert event.code == "2022-05-hungarian-expert-delegation"
    assert (event.date_note_zh, event.date_note_en) == ("2022年5月9—13日", "9–13 May 2022")
    assert sorted(c.code for c in event.countries.all()) == ["AT", "HU"]
    assert sorted(o.code for o in event.organisers.all()) == ["bri-medical-talent-alliance", PARTNER]
    assert (event.committee.code, event.participants, event.place_en, event.kind) == (
        "minimally-invasive-surgery",
        8,
        "Beijing",
        "delegation_in",
    )
    audit = _audit(event, "event.create")
    assert (audit.actor, audit.data["code"], audit.data["starts_on"]) == (secretariat, event.code, "2022-05-09")


def test_event_create_keeps_a_published_date_note_and_a_given_code(alliance, secretariat):
    event = services.event_create(
        actor=secretariat,
        alliance=alliance,
        data=EventInput(kind="conference", name_zh="年会", starts_on=dt.date(2022, 7, 1), date_note_zh="2022年7月"),
        code="2022-annual-meeting",
    )
    assert (event.code, event.date_note_zh, event.date_note_en, event.name_en) == (
        "2022-annual-meeting",
        "2022年7月",
        "1 July 2022",
        "",
    )


def test_an_undated_chinese_only_event_gets_a_code(alliance, secretariat):
    event = services.event_create(
        actor=secretariat, alliance=alliance, data=EventInput(kind="online_course", name_zh="线上课程")
    )
    assert (event.code, event.starts_on, event.date_note_zh) == ("event", None, "")


def test_an_event_may_end_the_day_it_starts(alliance, secretariat):
    day = dt.date(2022, 1, 5)
    event = services.event_create(
        actor=secretariat,
        alliance=alliance,
        data=EventInput(kind="conference", name_zh="会", starts_on=day, ends_on=day),
    )
    assert (event.starts_on, event.ends_on) == (day, day)


@pytest.mark.parametrize(
    ("data", "code_", "field", "part"),
    [
        (
            EventInput(kind="conference", name_zh="会", starts_on=dt.date(2022, 1, 5), ends_on=dt.date(2022, 1, 4)),
            "",
            "ends_on",
            "2022-01-04",
        ),
        (EventInput(kind="conference", name_zh="会", ends_on=dt.date(2022, 1, 4)), "", "starts_on", "start date"),
        (EventInput(kind="party", name_zh="会"), "", "kind", "kind"),
        (EventInput(kind="conference", name_zh=" ", name_en=""), "", "name_zh", "name"),
        (EventInput(kind="conference", name_zh="会", participants=-1), "", "participants", "negative"),
        (EventInput(kind="conference", name_zh="会", countries=("AT", "ZZ")), "", "countries", "ZZ"),
        (EventInput(kind="conference", name_zh="会", organisers=("no-such-org",)), "", "organisers", "no-such-org"),
        (
            EventInput(kind="conference", name_zh="会", committee="no-such-committee"),
            "",
            "committee",
            "no-such-committee",
        ),
        (EventInput(kind="conference", name_zh="会"), EVENT, "code", EVENT),
        (EventInput(kind="conference", name_zh="会"), "Bad Code!", "code", "lower-case"),
    ],
)
def test_event_rules(alliance, secretariat, data, code_, field, part):
    assert_refused(
        lambda: services.event_create(actor=secretariat, alliance=alliance, data=data, code=code_), field, part
    )


def test_an_event_names_only_its_own_alliances_committees(alliance, other_alliance):
    user = make_user("secretariat_other_alliance", other_alliance=other_alliance)
    assert_refused(
        lambda: services.event_create(
            actor=user,
            alliance=other_alliance,
            data=EventInput(kind="conference", name_zh="会", committee="minimally-invasive-surgery"),
        ),
        "committee",
        "minimally-invasive-surgery",
    )
    Committee.objects.create(alliance=other_alliance, code="other-committee", name_zh="委员会")
    event = services.event_create(
        actor=user,
        alliance=other_alliance,
        data=EventInput(kind="conference", name_zh="会", committee="other-committee"),
    )
    assert (event.alliance, event.committee.code) == (other_alliance, "other-committee")


def _vienna_input(**changes) -> EventInput:
    event = Event.objects.get(code=EVENT)
    values = {
        "kind": event.kind,
        "name_zh": event.name_zh,
        "name_en": event.name_en,
        "starts_on": event.starts_on,
        "ends_on": event.ends_on,
        "date_note_zh": event.date_note_zh,
        "date_note_en": event.date_note_en,
        "place_zh": event.place_zh,
        "place_en": event.place_en,
        "countries": tuple(c.code for c in event.countries.all()),
        "organisers": tuple(o.code for o in event.organisers.all()),
        "committee": "",
        "participants": event.participants,
        "description_zh": event.description_zh,
        "description_en": event.description_en,
    }
    values.update(changes)
    return EventInput(**values)


def test_event_update_records_fields_and_relations(secretariat):
    event = Event.objects.get(code=EVENT)
    services.event_update(actor=secretariat, event=event, data=_vienna_input(participants=13, countries=("AT", "HU")))
    event.refresh_from_db()
    assert event.participants == 13
    assert sorted(c.code for c in event.countries.all()) == ["AT", "HU"]
    audit = _audit(event, "event.change")
    assert audit.data == {
        "fields": ["participants", "countries"],
        "from": {"participants": 12, "countries": ["AT"]},
        "to": {"participants": 13, "countries": ["AT", "HU"]},
    }


def test_event_update_moves_a_date_note_written_from_the_dates(secretariat):
    event = Event.objects.get(code=EVENT)
    services.event_update(
        actor=secretariat,
        event=event,
        data=_vienna_input(starts_on=dt.date(2019, 10, 12), ends_on=dt.date(2019, 10, 21)),
    )
    event.refresh_from_db()
    assert (event.date_note_zh, event.date_note_en) == ("2019年10月12—21日", "12–21 October 2019")


def test_event_update_keeps_a_hand_written_date_note(secretariat):
    event = Event.objects.get(code=EVENT)
    services.event_update(
        actor=secretariat,
        event=event,
        data=_vienna_input(
            starts_on=dt.date(2019, 10, 12), date_note_zh="2019年10月中旬", date_note_en="mid-October 2019"
        ),
    )
    event.refresh_from_db()
    assert (event.date_note_zh, event.date_note_en) == ("2019年10月中旬", "mid-October 2019")


def test_event_update_without_change_writes_nothing(secretariat):
    before = snapshot()
    services.event_update(actor=secretariat, event=Event.objects.get(code=EVENT), data=_vienna_input())
    assert snapshot() == before


def test_event_update_refuses_dates_out_of_order(secretariat):
    event = Event.objects.get(code=EVENT)
    assert_refused(
        lambda: services.event_update(actor=secretariat, event=event, data=_vienna_input(ends_on=dt.date(2019, 10, 1))),
        "ends_on",
        "2019-10-01",
    )


@pytest.mark.parametrize("who", DENIED)
def test_event_services_refuse_other_users_and_change_nothing(alliance, who):
    user = make_user(who)
    event = Event.objects.get(code=EVENT)
    before = snapshot()
    with pytest.raises(PermissionDenied):
        services.event_create(actor=user, alliance=alliance, data=EventInput(kind="conference", name_zh="会"))
    with pytest.raises(PermissionDenied):
        services.event_update(actor=user, event=event, data=_vienna_input(participants=99))
    assert snapshot() == before
