"""The alliance's shipped data (seed 002): partners by country, events by kind, committees; idempotent."""

from collections import Counter

import pytest
from django.core.management import call_command

from medtalent.alliance.enums import MembershipKind
from medtalent.alliance.loaders import load_alliance
from medtalent.alliance.models import Committee, Event, Membership
from medtalent.core.seeding import SeedDataError, SeedReport
from medtalent.orgs.models import Organisation

pytestmark = pytest.mark.django_db

ALLIANCE = "bri-medical-talent-alliance"


def test_the_alliance_and_its_founder_are_organisations():
    alliance = Organisation.objects.select_related("parent__parent").get(code=ALLIANCE)
    assert (alliance.name_zh, alliance.kind) == ("“一带一路”医学人才培养联盟", "association")
    assert alliance.parent.name_zh == "国家卫生健康委人才交流服务中心"
    assert alliance.parent.parent.name_zh == "中华人民共和国国家卫生健康委员会"
    assert "逾300家" in alliance.description_zh
    assert "more than 300 member institutions" in alliance.description_en


def test_partners_by_country():
    partners = Membership.objects.filter(alliance__code=ALLIANCE, kind=MembershipKind.PARTNER)
    counts = Counter(partners.values_list("organisation__country__code", flat=True))
    assert counts == {"US": 15, "GB": 4, "IT": 2, "FR": 1, "HU": 1, "NL": 1, "AT": 1, "JP": 1, "SG": 1}
    assert not partners.filter(organisation__country__isnull=True).exists()
    assert not partners.filter(organisation__name_en="").exists()


def test_named_partners_have_their_english_names():
    names = dict(
        Membership.objects.filter(alliance__code=ALLIANCE, kind=MembershipKind.PARTNER).values_list(
            "organisation__name_zh", "organisation__name_en"
        )
    )
    assert names["约翰斯·霍普金斯大学"] == "Johns Hopkins University"
    assert names["伦敦国王学院"] == "King's College London"
    assert names["梅奥诊所"] == "Mayo Clinic"
    assert names["奥地利维也纳医院管理局"] == "Vienna Hospital Association"
    assert names["荷兰伊拉斯姆斯大学"] == "Erasmus University Rotterdam"


def test_members_named_in_the_text():
    members = Membership.objects.filter(alliance__code=ALLIANCE, kind=MembershipKind.MEMBER)
    assert sorted(members.values_list("organisation__code", flat=True)) == [
        "fudan-zhongshan-hospital",
        "pku-cancer-hospital",
        "pla-general-hospital",
        "shanghai-pulmonary-hospital",
        "zju-sir-run-run-shaw-hospital",
    ]
    assert not members.filter(organisation__region__isnull=True).exists()


def test_the_minimally_invasive_surgery_committee():
    committee = Committee.objects.get()
    assert committee.code == "minimally-invasive-surgery"
    assert committee.chair.name_zh == "复旦大学附属中山医院"
    assert sorted(committee.members.values_list("code", flat=True)) == [
        "fudan-zhongshan-hospital",
        "pku-cancer-hospital",
        "shanghai-pulmonary-hospital",
        "zju-sir-run-run-shaw-hospital",
    ]
    assert "50多位国外学员" in committee.description_zh
    assert sorted(committee.events.values_list("kind", flat=True)) == ["online_course", "other"]


def test_events_by_kind():
    counts = Counter(Event.objects.filter(alliance__code=ALLIANCE).values_list("kind", flat=True))
    assert counts == {
        "conference": 4,
        "policy_dialogue": 2,
        "delegation_out": 2,
        "delegation_in": 3,
        "expert_visit": 1,
        "online_course": 2,
        "signing": 3,
        "other": 6,
    }


def test_event_details_as_published():
    bangladesh = Event.objects.get(code="2019-07-bangladesh-health-managers")
    assert (bangladesh.kind, bangladesh.participants, str(bangladesh.starts_on), str(bangladesh.ends_on)) == (
        "delegation_in",
        17,
        "2019-07-01",
        "2019-08-31",
    )
    assert bangladesh.date_note_zh == "2019年7—8月"
    assert list(bangladesh.countries.values_list("code", flat=True)) == ["BD"]
    vienna = Event.objects.get(code="2019-10-vienna-delegation")
    assert (vienna.participants, str(vienna.starts_on), str(vienna.ends_on)) == (12, "2019-10-11", "2019-10-20")
    assert list(vienna.organisers.values_list("code", flat=True)) == ["vienna-hospital-association"]
    signing = Event.objects.get(code="2019-06-china-italy-training-agreement")
    assert (str(signing.starts_on), signing.date_note_zh, signing.kind) == ("2019-06-01", "2019年6月", "signing")
    assert Event.objects.get(code="2019-06-25-alliance-founded").starts_on.isoformat() == "2019-06-25"


def test_every_dated_event_starts_where_its_published_date_says():
    for event in Event.objects.exclude(starts_on=None):
        assert event.date_note_zh.startswith(f"{event.starts_on.year}年"), event.code


def test_a_second_run_changes_nothing():
    report = SeedReport()
    load_alliance(report)
    assert report.changed is False
    assert report.problems == []


def test_load_seeds_command_a_second_time_says_nothing_changed(capsys):
    call_command("load_seeds")
    assert "nothing changed" in capsys.readouterr().out


def test_broken_data_stops_the_load(tmp_path):
    bad = tmp_path / "alliance.yaml"
    bad.write_text(
        "alliance: bri-medical-talent-alliance\npartners: [no-such-university]\n",
        encoding="utf-8",
    )
    with pytest.raises(SeedDataError, match="no-such-university"):
        load_alliance(SeedReport(), data_file=bad)


def test_a_partner_without_country_is_refused(tmp_path):
    bad = tmp_path / "alliance.yaml"
    bad.write_text("alliance: bri-medical-talent-alliance\npartners: [fudan-zhongshan-hospital]\n", encoding="utf-8")
    with pytest.raises(SeedDataError, match="needs a country"):
        load_alliance(SeedReport(), data_file=bad)
