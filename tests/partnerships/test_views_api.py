import pytest
from django.urls import reverse

from medtalent.accounts.enums import Role
from medtalent.core.models import AuditEvent
from medtalent.orgs.models import Organisation
from medtalent.partnerships.models import Pairing
from tests.factories import RoleFactory, UserFactory
from tests.helpers import LOGIN_TRAIL

pytestmark = pytest.mark.django_db

# session, user, roles, programme, count, rows (+ the rows' agreements and the cities and counties of the filters
# on the page)
QUERIES_PAGE = 10  # … and the header's unread notices
QUERIES_API = 6
PAGES = ["partnerships:checks", "partnerships:list"]
ENDPOINTS = ["/api/v1/pairing-checks", "/api/v1/pairings"]


def _user(role=None, org_code=None):
    user = UserFactory()
    if role:
        organisation = Organisation.objects.get(code=org_code) if org_code else None
        RoleFactory(user=user, role=role, organisation=organisation)
    return user


DENIED = [
    (Role.APPLICANT, None),
    (Role.REVIEWER, None),
    (Role.UNIT_ADMIN, "zj-h-330111-1"),  # a supported hospital's administrator
    (Role.UNIT_ADMIN, "zju-first-hospital"),  # a supporting hospital's administrator
    (Role.HOST_COORDINATOR, "zju-first-hospital"),
    (Role.COMMISSION_ADMIN, "wz-hc"),  # a city commission: the provincial programme is not in its jurisdiction
    (Role.COMMISSION_ADMIN, "gx-hc"),
]


def _state():
    return (
        Pairing.objects.count(),
        Organisation.objects.count(),
        AuditEvent.objects.exclude(action__in=LOGIN_TRAIL).count(),
    )


@pytest.fixture
def commission(client):
    client.force_login(_user(Role.COMMISSION_ADMIN, "zj-hc"))
    return client


def test_checks_page_lists_findings_and_counties(commission):
    response = commission.get(reverse("partnerships:checks"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "武警杭州医院" in html
    assert "长兴县" in html
    assert len(response.context["findings"]) == 8
    assert [f.region for f in response.context["counties"]] == ["330383", "330522", "331023"]


def test_list_page_filters(commission):
    url = reverse("partnerships:list")

    def count(**params):
        return commission.get(url, params).context["table"].paginator.count

    assert count() == 165
    assert count(city="330100") == 16
    # The hospitals by code (the checks link them so) or by name.
    assert count(supporting="zju-second-hospital") == 4
    assert count(supporting="浙江大学医学院附属第二医院") == 4
    assert count(supported="建德市第一人民医院") == 1
    assert count(county="330111") == 3  # 富阳
    assert count(year="2015") == 165
    assert count(year="2017") == 0
    # A value that is not valid is an error beside its field; the other filters still apply.
    assert count(year="nonsense", city="330100") == 16
    assert list(commission.get(url, {"year": "nonsense"}).context["filter"].errors) == ["year"]


@pytest.mark.parametrize("page", PAGES)
def test_pages_send_visitors_to_login(client, page):
    before = _state()
    response = client.get(reverse(page))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert _state() == before


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(("role", "org"), [(None, None), *DENIED])
def test_pages_forbidden_for_other_roles(client, page, role, org):
    client.force_login(_user(role, org))
    before = _state()
    assert client.get(reverse(page)).status_code == 403
    assert _state() == before


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_api_anonymous_gets_401_in_json(client, endpoint):
    response = client.get(endpoint)
    assert response.status_code == 401
    assert response.json() == {"errors": [{"field": "auth", "message": "请先登录。"}]}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize(("role", "org"), [(None, None), *DENIED])
def test_api_forbidden_for_other_roles(client, endpoint, role, org):
    client.force_login(_user(role, org))
    before = _state()
    response = client.get(endpoint)
    assert response.status_code == 403
    assert response.json()["errors"][0]["field"] == "request"
    assert _state() == before


def test_api_pairing_checks(commission):
    data = commission.get("/api/v1/pairing-checks").json()
    assert data["programme"] == "zj-pairing-2014"
    assert [(f["rule"], [h["code"] for h in f["hospitals"]], f["count"]) for f in data["findings"][:2]] == [
        ("supported_per_general", ["pla-117-hospital"], 1),
        ("supported_per_general", ["pap-hangzhou-hospital"], 1),
    ]
    assert data["counties_without_pairing"] == [
        {"code": "330383", "name_zh": "龙港市"},
        {"code": "330522", "name_zh": "长兴县"},
        {"code": "331023", "name_zh": "天台县"},
    ]


def test_api_pairings_filters_and_both_parties(commission):
    data = commission.get("/api/v1/pairings", {"supporting": "zju-second-hospital"}).json()
    assert data["count"] == 4
    assert data["results"][0] == {
        "supporting": {
            "code": "zju-second-hospital",
            "name_zh": "浙江大学医学院附属第二医院",
            "name_en": "The Second Affiliated Hospital, Zhejiang University School of Medicine",
        },
        "supported": {
            "code": "jiande-first-peoples-hospital",
            "name_zh": "建德市第一人民医院",
            "name_en": "Jiande First People's Hospital",
        },
        "county": {"code": "330182", "name_zh": "建德市"},
        "city": None,
        "source": "annex1",
        "starts_on": "2014-01-01",
        "ends_on": "2016-12-31",
    }
    assert commission.get("/api/v1/pairings", {"city": "330200", "page_size": 5}).json()["pages"] == 5
    assert commission.get("/api/v1/pairings", {"county": "3301"}).json()["count"] == 20  # 4 in Annex 1, 16 in Annex 2
    assert commission.get("/api/v1/pairings", {"year": 2013}).json()["count"] == 0
    assert commission.get("/api/v1/pairings", {"year": "x"}).status_code == 422


def test_api_unknown_programme_is_404(commission):
    assert commission.get("/api/v1/pairings", {"programme": "nope"}).status_code == 404


# 东阳市 (330783): one pairing; 富阳区 (330111): three.
COUNTY_ROWS = [("330783", 1), ("330111", 3)]


@pytest.mark.parametrize(("county", "rows"), COUNTY_ROWS)
def test_list_page_query_count_does_not_grow_with_rows(client, django_assert_num_queries, county, rows):
    client.force_login(_user(Role.COMMISSION_ADMIN, "zj-hc"))
    url = reverse("partnerships:list")
    with django_assert_num_queries(QUERIES_PAGE):
        response = client.get(url, {"county": county})
    assert len(response.context["rows"]) == rows


@pytest.mark.parametrize(("county", "rows"), COUNTY_ROWS)
def test_api_list_query_count_does_not_grow_with_rows(client, django_assert_num_queries, county, rows):
    client.force_login(_user(Role.COMMISSION_ADMIN, "zj-hc"))
    with django_assert_num_queries(QUERIES_API):
        data = client.get("/api/v1/pairings", {"county": county}).json()
    assert len(data["results"]) == rows
