"""The alliance's public pages: directory, calendar, event and committee pages; constant query counts."""

import datetime as dt

import pytest
from django.urls import reverse

from medtalent.alliance.enums import EventKind, MembershipKind
from medtalent.alliance.models import Event, Membership
from medtalent.orgs.models import Organisation
from tests.factories import OrganisationFactory, code

pytestmark = pytest.mark.django_db

ALLIANCE = "bri-medical-talent-alliance"


@pytest.fixture
def alliance():
    return Organisation.objects.get(code=ALLIANCE)


def test_directory_shows_the_alliance_counts_and_partners(client):
    response = client.get(reverse("alliance:directory"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "“一带一路”医学人才培养联盟" in html
    assert "逾300家" in html
    assert response.context["counts"] == {"members": 5, "partners": 27, "countries": 9}
    assert len(response.context["rows"]) == 32
    assert "梅奥诊所" in html
    assert "复旦大学附属中山医院" in html


def test_directory_in_english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("alliance:directory"))
    html = response.content.decode()
    assert "Belt and Road Medical Talent Training Alliance" in html
    assert "more than 300 member institutions" in html
    assert "King&#x27;s College London" in html


def test_directory_filters_by_country(client):
    response = client.get(reverse("alliance:directory"), {"country": "GB"})
    assert sorted(m.organisation.name_zh for m in response.context["rows"]) == [
        "伦敦国王学院",
        "兰卡斯特大学",
        "剑桥大学",
        "格拉斯哥大学",
    ]


def test_directory_filters_chinese_members(client):
    response = client.get(reverse("alliance:directory"), {"country": "CN"})
    assert {m.kind for m in response.context["rows"]} == {MembershipKind.MEMBER}
    assert len(response.context["rows"]) == 5


def test_directory_filters_by_kind(client):
    response = client.get(reverse("alliance:directory"), {"kind": "member"})
    assert len(response.context["rows"]) == 5


def test_directory_searches_names_in_both_languages(client):
    assert [m.organisation.code for m in client.get(reverse("alliance:directory"), {"q": "梅奥"}).context["rows"]] == [
        "mayo-clinic"
    ]
    assert [m.organisation.code for m in client.get(reverse("alliance:directory"), {"q": "mayo"}).context["rows"]] == [
        "mayo-clinic"
    ]


def test_directory_htmx_returns_only_the_results(client):
    response = client.get(reverse("alliance:directory"), {"country": "NL"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="results"')
    assert "荷兰伊拉斯姆斯大学" in html
    assert "<html" not in html


def test_directory_an_unknown_filter_value_is_dropped(client):
    response = client.get(reverse("alliance:directory"), {"kind": "nonsense"})
    assert response.status_code == 200
    assert len(response.context["rows"]) == 32


@pytest.mark.parametrize("rows", [1, 3])
def test_directory_query_count_is_constant(client, alliance, django_assert_num_queries, rows):
    Membership.objects.all().delete()
    for _ in range(rows):
        Membership.objects.create(
            alliance=alliance,
            organisation=OrganisationFactory(country=code("country", "FR")),
            kind=MembershipKind.PARTNER,
        )
    with django_assert_num_queries(4):
        response = client.get(reverse("alliance:directory"))
    assert len(response.context["rows"]) == rows


def test_calendar_groups_by_month_and_lists_undated_last(client):
    response = client.get(reverse("alliance:events"))
    assert response.status_code == 200
    months = response.context["months"]
    assert response.context["count"] == 23
    assert months[0]["month"] == dt.date(2021, 12, 1)
    assert months[-1]["month"] is None
    assert sorted(e.code for e in months[-1]["events"]) == [
        "china-france-talent-exchange-talks",
        "mayo-hospital-management-dialogues",
        "mis-committee-online-courses",
    ]
    html = response.content.decode()
    assert "2019年7—8月" in html
    assert "孟加拉国卫生管理者培训代表团来华学习交流" in html


def test_calendar_filters_by_year_kind_and_country(client):
    url = reverse("alliance:events")
    assert client.get(url, {"year": "2021"}).context["count"] == 2
    assert client.get(url, {"kind": "delegation_in"}).context["count"] == 3
    italy = client.get(url, {"country": "IT"}).context["months"]
    assert sorted(e.code for g in italy for e in g["events"]) == [
        "2019-06-china-italy-training-agreement",
        "2019-09-delegation-italy-austria",
        "2019-11-china-italy-health-plan",
        "2019-11-florence-visit",
        "2019-training-abroad",
        "2021-12-03-iss-memorandum",
    ]
    both = client.get(url, {"year": "2019", "kind": "conference"})
    assert both.context["count"] == 3


def test_calendar_in_english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("alliance:events"), {"year": "2019"})
    html = response.content.decode()
    assert "Vienna Hospital Association delegation" in html
    assert "11–20 October 2019" in html


@pytest.mark.parametrize("rows", [1, 3])
def test_calendar_query_count_is_constant(client, alliance, django_assert_num_queries, rows):
    Event.objects.all().delete()
    for n in range(rows):
        event = Event.objects.create(
            alliance=alliance,
            code=f"test-event-{n}",
            kind=EventKind.CONFERENCE,
            name_zh=f"测试会议{n}",
            starts_on=dt.date(2022, n + 1, 1),
        )
        event.countries.add(code("country", "FR"))
    with django_assert_num_queries(6):
        response = client.get(reverse("alliance:events"))
    assert response.context["count"] == rows


def test_event_page(client):
    response = client.get(reverse("alliance:event", args=["2019-10-vienna-delegation"]))
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("奥地利维也纳医院管理局专家代表团来华访问", "2019年10月11—20日", "奥地利", "12", "解放军总医院"):
        assert text in html


def test_event_page_links_its_committee(client):
    response = client.get(reverse("alliance:event", args=["mis-committee-online-courses"]))
    assert reverse("alliance:committee", args=["minimally-invasive-surgery"]) in response.content.decode()


def test_unknown_event_is_404(client):
    assert client.get(reverse("alliance:event", args=["no-such-event"])).status_code == 404


def test_committee_page(client):
    response = client.get(reverse("alliance:committee", args=["minimally-invasive-surgery"]))
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "微创外科技术发展专业委员会",
        "复旦大学附属中山医院",
        "北京大学肿瘤医院",
        "樊嘉",
        "微创外科线上培训课程",
    ):
        assert text in html


def test_pages_have_no_inline_style_or_script(client):
    for url in (
        reverse("alliance:directory"),
        reverse("alliance:events"),
        reverse("alliance:event", args=["2019-10-vienna-delegation"]),
        reverse("alliance:committee", args=["minimally-invasive-surgery"]),
    ):
        html = client.get(url).content.decode()
        assert "style=" not in html
        assert "<style" not in html
        assert "<script>" not in html
