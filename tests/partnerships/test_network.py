"""The city pairing network (graph): the selector on real cities, the page and GET /api/v1/pairing-network
for every role."""

import pytest
from django.urls import reverse

from medtalent.accounts.enums import Role
from medtalent.codes.models import Code
from medtalent.partnerships import selectors, services
from medtalent.partnerships.models import Pairing
from tests.partnerships.conftest import ROLE_MAKERS, db_state, make_user, user_for

pytestmark = pytest.mark.django_db

URL = "/pairings/network/"
API = "/api/v1/pairing-network"
LISHUI = "331100"
DENIED = ["applicant", "reviewer", "unit_unrelated", "unit_supporting", "unit_supported", "commission_fujian"]

# 丽水市: its list (Annex 2) names 9 relationships of 2 city hospitals; the provincial hospitals (Annex 1)
# support 6 more hospitals in its counties. 15 relationships, 7 supporting and 11 supported hospitals.
LISHUI_SUPPORTING = [
    ("zju-first-hospital", 1),  # 浙江大学医学院附属第一医院 → 景宁县人民医院
    ("zju-second-hospital", 1),  # → 龙泉市人民医院
    ("zj-hospital-of-tcm", 2),  # 浙江省中医院 → 松阳县人民医院, 松阳县中医院
    ("zj-xinhua-hospital", 1),  # 浙江省新华医院 → 云和县中医院
    ("wmu-second-hospital", 1),  # 温州医科大学附属第二医院 → 青田县人民医院
    ("zj-h-331100-1", 4),  # 丽水市中心医院
    ("zj-h-331100-2", 5),  # 丽水市人民医院
]


@pytest.fixture
def programme():
    return selectors.pairing_programme_get()


def _city(code):
    return Code.objects.get(table__slug="region", code=code)


def _network(programme, code):
    return selectors.pairing_network(programme=programme, city=_city(code))


def test_lishui_network_numbers(programme):
    network = _network(programme, LISHUI)
    supporting = [n for n in network["nodes"] if n["category"] == "supporting"]
    supported = [n for n in network["nodes"] if n["category"] == "supported"]
    assert len(network["links"]) == 15
    assert len(network["pairings"]) == 15
    assert len(supporting) == 7
    assert len(supported) == 11
    assert network["counties"] == []
    assert {(n["id"], n["supported_count"]) for n in supporting} == set(LISHUI_SUPPORTING)
    # Supported hospitals come grouped by county (region code order).
    assert [n["county_code"] for n in supported] == sorted(n["county_code"] for n in supported)
    assert [n["county"] for n in supported][:2] == ["莲都区", "青田县"]
    assert sum(1 for link in network["links"] if link["annex"] == "annex2") == 9
    assert sum(1 for link in network["links"] if link["city"] == LISHUI) == 9


def test_supporting_node_and_link_fields(programme):
    network = _network(programme, LISHUI)
    node = next(n for n in network["nodes"] if n["id"] == "zj-h-331100-2")
    assert node == {
        "id": "zj-h-331100-2",
        "name": "丽水市人民医院",
        "name_zh": "丽水市人民医院",
        "name_en": node["name_en"],
        "category": "supporting",
        "county": "丽水市",
        "county_code": "331100",
        "supported_count": 5,
        "symbol_size": 48,
    }
    jingning = next(n for n in network["nodes"] if n["id"] == "zj-h-331127-1")
    assert (jingning["category"], jingning["county"], jingning["supported_count"], jingning["symbol_size"]) == (
        "supported",
        "景宁畲族自治县",
        0,
        14,
    )
    pairing = Pairing.objects.get(supporting__code="zju-first-hospital", supported__code="zj-h-331127-1")
    assert {
        "source": "zju-first-hospital",
        "target": "zj-h-331127-1",
        "pairing": pairing.pk,
        "annex": "annex1",
        "city": None,
    } in network["links"]


def test_wenzhou_network_lists_its_county_with_no_pairing(programme):
    network = _network(programme, "330300")
    assert network["counties"] == [{"code": "330383", "name_zh": "龙港市"}]
    assert len(network["links"]) == 20


def test_network_costs_four_queries(programme, django_assert_num_queries):
    city = _city(LISHUI)
    with django_assert_num_queries(4):
        selectors.pairing_network(programme=programme, city=city)


def test_network_city_choice():
    cities = [_city("330100"), _city(LISHUI)]
    assert selectors.network_city(cities=cities, code="").code == "330100"
    assert selectors.network_city(cities=cities, code=LISHUI).code == LISHUI
    assert selectors.network_city(cities=cities, code="110000") is None
    assert selectors.network_city(cities=[], code="") is None


# The page ----------------------------------------------------------------------------------------------------


@pytest.fixture
def commission_client(client):
    client.force_login(user_for("commission_zhejiang"))
    return client


def test_url_name():
    assert reverse("partnerships:network") == URL


def test_page_shows_the_graph_table_and_counties(commission_client):
    response = commission_client.get(URL, {"programme": "zj-pairing-2014", "city": LISHUI})
    assert response.status_code == 200
    assert response.context["city"].code == LISHUI
    assert (response.context["supporting_count"], response.context["supported_count"]) == (7, 11)
    html = response.content.decode()
    assert 'id="pairing-network-chart"' in html
    assert 'data-nodes="18"' in html
    assert '<script id="pairing-network-data" type="application/json">' in html
    assert "vendor/echarts/echarts-6.1.0.min.js" in html
    assert "js/pairing-network.js" in html
    assert 'id="counties-without-pairing"' in html
    assert '<li class="none">' in html
    assert html.count("<tr data-pairing-id=") == 15
    assert " style=" not in html  # CSP: no inline style
    chart = response.context["chart"]
    assert (len(chart["nodes"]), len(chart["links"])) == (18, 15)
    assert set(chart["labels"]) == {"supporting", "supported", "county", "supports"}


def test_page_defaults_to_the_first_city(commission_client):
    response = commission_client.get(URL)
    assert response.context["city"].code == "330100"
    assert [c.code for c in response.context["cities"]][:2] == ["330100", "330200"]
    assert len(response.context["cities"]) == 11
    assert commission_client.get(URL, {"city": "110000"}).context["city"].code == "330100"


def test_page_lists_counties_with_no_pairing(commission_client):
    html = commission_client.get(URL, {"city": "330300"}).content.decode()
    start = html.index('id="counties-without-pairing"')
    assert 'data-region="330383"' in html[start : start + 300]
    assert "龙港市" in html[start : start + 300]


def test_page_links_each_pairing_to_its_agreement(commission_client, pairing, commission):
    agreement = services.agreement_create_from_template(actor=commission, pairing=pairing)
    response = commission_client.get(URL, {"city": LISHUI})
    html = response.content.decode()
    assert reverse("partnerships:agreement", kwargs={"pk": agreement.pk}) in html
    rows = {p.pk: p for p in response.context["network"]["pairings"]}
    assert rows[pairing.pk].current_agreement.pk == agreement.pk
    assert sum(1 for p in rows.values() if p.may_start_agreement) == 14


def test_page_is_linked_from_the_checks_and_the_list(commission_client):
    for name in ("partnerships:checks", "partnerships:list"):
        html = commission_client.get(reverse(name)).content.decode()
        assert 'id="link-network"' in html
        assert f'href="{URL}?programme=zj-pairing-2014' in html


def test_page_sends_visitors_to_login(client):
    before = db_state()
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={URL}"
    assert db_state() == before


@pytest.mark.parametrize("name", DENIED)
def test_page_refused_for_other_roles(client, name):
    client.force_login(user_for(name))
    before = db_state()
    assert client.get(URL, {"city": LISHUI}).status_code == 403
    assert db_state() == before


def test_page_refused_for_a_city_commission(client):
    # 温州市卫生健康委员会: the provincial programme lies outside its jurisdiction, even for its own city.
    client.force_login(make_user(Role.COMMISSION_ADMIN, "wz-hc"))
    before = db_state()
    assert client.get(URL, {"city": "330300"}).status_code == 403
    assert client.get(API, {"city": "330300"}).status_code == 403
    assert db_state() == before


# 舟山市 (9 pairings) and 丽水市 (15): the same number of queries.
@pytest.mark.parametrize("city", ["330900", LISHUI])
def test_page_query_count_does_not_grow(client, django_assert_num_queries, city):
    client.force_login(user_for("commission_zhejiang"))
    # session, user, roles, programme, cities, pairings, rules, covered counties, counties, agreements
    with django_assert_num_queries(11):  # … and the header's unread notices
        response = client.get(URL, {"city": city})
    assert response.status_code == 200


# The API -----------------------------------------------------------------------------------------------------


def test_api_for_the_commission(commission_client):
    data = commission_client.get(API, {"programme": "zj-pairing-2014", "city": LISHUI}).json()
    assert data["programme"] == "zj-pairing-2014"
    assert data["city"] == {"code": LISHUI, "name_zh": "丽水市"}
    assert len(data["cities"]) == 11
    assert (len(data["nodes"]), len(data["links"]), data["counties"]) == (18, 15, [])
    assert {(n["id"], n["supported_count"]) for n in data["nodes"] if n["category"] == "supporting"} == set(
        LISHUI_SUPPORTING
    )
    assert set(data["links"][0]) == {"source", "target", "pairing", "annex", "city"}


def test_api_default_city_and_counties(commission_client):
    assert commission_client.get(API).json()["city"] == {"code": "330100", "name_zh": "杭州市"}
    assert commission_client.get(API, {"city": "330300"}).json()["counties"] == [
        {"code": "330383", "name_zh": "龙港市"}
    ]


def test_api_unknown_city_is_a_400_on_the_field(commission_client):
    response = commission_client.get(API, {"city": "110000"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "city"


def test_api_unknown_programme_is_404(commission_client):
    assert commission_client.get(API, {"programme": "nope"}).status_code == 404


def test_api_visitor_gets_401(client):
    before = db_state()
    response = client.get(API)
    assert response.status_code == 401
    assert response.json() == {"errors": [{"field": "auth", "message": "请先登录。"}]}
    assert db_state() == before


@pytest.mark.parametrize("name", DENIED)
def test_api_refused_for_other_roles(client, name):
    client.force_login(user_for(name))
    before = db_state()
    response = client.get(API, {"city": LISHUI})
    assert response.status_code == 403
    assert response.json()["errors"][0]["field"] == "request"
    assert db_state() == before


def test_every_role_is_covered():
    assert set(ROLE_MAKERS) == {*DENIED, "commission_zhejiang", "visitor"}
