import json
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from medtalent.core.models import AuditEvent
from medtalent.indicators.models import IndicatorValue
from tests.indicators.conftest import IC, JINGNING, RO, Network, put_values, role_user, state
from tests.indicators.test_rules import EXPECTED

pytestmark = pytest.mark.django_db

D = Decimal
HOSPITAL_URL = f"/hospitals/{JINGNING}/indicators/"
API_HOSPITAL = f"/api/v1/hospitals/{JINGNING}/indicators"
API_TREND = "/api/v1/indicators/trend"
VIEWERS = sorted(label for label, (view, _change, _trend) in EXPECTED.items() if view)
NON_VIEWERS = sorted(label for label, (view, _change, _trend) in EXPECTED.items() if not view)
CHANGERS = sorted(label for label, (_view, change, _trend) in EXPECTED.items() if change)
NON_CHANGERS = sorted(label for label, (_view, change, _trend) in EXPECTED.items() if not change)
TREND_DENIED = sorted(label for label, (_view, _change, trend) in EXPECTED.items() if not trend)


def login(client, label, *, english=False):
    client.force_login(role_user(label))
    if english:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def table_post(**cells) -> dict:
    """A POST of the entry table of 景宁 (years 2014–2016 of its pairing terms): every cell empty unless given
    as value_<year>_<kind>=…"""
    data = {"new_year": ""}
    for year in [2014, 2015, 2016, "new"]:
        for kind in (IC, RO):
            data[f"value_{year}_{kind}"] = ""
            data[f"note_{year}_{kind}"] = ""
    data.update(cells)
    return data


def test_urls_are_the_agreed_ones():
    assert reverse("indicators:hospital", kwargs={"code": JINGNING}) == HOSPITAL_URL
    assert reverse("indicators:trend") == "/pairings/indicators/"


# ---- the hospital page -------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
def test_hospital_page_sends_visitors_to_login(client, jingning, method):
    before = state(jingning)
    response = getattr(client, method)(HOSPITAL_URL, table_post(**{f"value_2015_{IC}": "90"}))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert state(jingning) == before


@pytest.mark.parametrize("label", VIEWERS)
def test_hospital_page_shown_to_viewers(client, jingning, label):
    put_values(jingning, {(2015, IC): "86.5", (2016, RO): "12"})
    response = login(client, label).get(HOSPITAL_URL)
    assert response.status_code == 200
    may_change = EXPECTED[label][1]
    assert response.context["may_change"] is may_change
    assert (response.context["form"] is not None) is may_change
    html = response.content.decode()
    assert "景宁县人民医院" in html
    assert ('name="value_2015_in_county_visit_rate" value="86.5"' in html) is may_change
    assert "echarts-6.1.0.min.js" in html
    assert [row["year"] for row in response.context["rows"]] == [2014, 2015, 2016]
    chart = response.context["chart"]
    assert (chart["years"], chart["unit"]) == ([2014, 2015, 2016], "%")
    assert [(s["role"], s["data"]) for s in chart["series"]] == [
        ("main", [None, 86.5, None]),
        ("main", [None, None, 12.0]),
    ]
    assert [s["target"]["value"] if s["target"] else None for s in chart["series"]] == [90.0, None]


def test_hospital_page_chart_in_english(client, jingning):
    put_values(jingning, {(2015, IC): "86.5"})
    response = login(client, "own_unit_admin", english=True).get(HOSPITAL_URL)
    series = response.context["chart"]["series"]
    assert [(s["name"], s["target"]) for s in series] == [
        ("In-county visit rate", {"value": 90.0, "label": "Target 90 %"}),
        ("Referral-out rate", None),
    ]
    html = response.content.decode()
    assert 'data-indicator-chart data-source="hospital-chart-data"' in html
    assert '<script id="hospital-chart-data" type="application/json">' in html


def test_hospital_page_without_values_loads_no_chart(client, jingning):
    response = login(client, "supporting_unit_admin").get(HOSPITAL_URL)
    assert response.status_code == 200
    assert response.context["has_values"] is False
    assert "echarts" not in response.content.decode()


@pytest.mark.parametrize("label", NON_VIEWERS)
def test_hospital_page_is_not_found_for_others(client, jingning, label):
    # Whoever may not see a hospital's indicators gets 404, as for a hospital that does not exist (issue 10).
    put_values(jingning, {(2015, IC): "86.5"})
    login(client, label)
    before = state(jingning)
    assert client.get(HOSPITAL_URL).status_code == 404
    assert client.post(HOSPITAL_URL, table_post(**{f"value_2015_{IC}": "99"})).status_code == 404
    assert state(jingning) == before


@pytest.mark.parametrize("label", sorted(set(NON_CHANGERS) & set(VIEWERS)))
def test_supporting_admins_may_not_post(client, jingning, label):
    put_values(jingning, {(2015, IC): "86.5"})
    before = state(jingning)
    response = login(client, label).post(HOSPITAL_URL, table_post(**{f"value_2015_{IC}": "99"}))
    assert response.status_code == 403
    assert state(jingning) == before


def test_unknown_hospital_is_404(client):
    assert login(client, "zhejiang_commission").get("/hospitals/nope/indicators/").status_code == 404


@pytest.mark.parametrize("label", CHANGERS)
def test_table_post_saves_every_cell(client, jingning, label):
    put_values(jingning, {(2015, IC): "80", (2015, RO): "14"})
    response = login(client, label).post(
        HOSPITAL_URL,
        table_post(
            **{
                f"value_2015_{IC}": "86.5",
                f"note_2015_{IC}": "统计年报",
                f"value_2015_{RO}": "",  # removed
                f"value_2016_{IC}": "88",
                "new_year": "2017",
                f"value_new_{IC}": "90.25",
            }
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == HOSPITAL_URL
    assert list(
        IndicatorValue.objects.filter(organisation=jingning)
        .order_by("year", "kind")
        .values_list("year", "kind", "value", "note")
    ) == [(2015, IC, D("86.50"), "统计年报"), (2016, IC, D("88.00"), ""), (2017, IC, D("90.25"), "")]
    assert AuditEvent.objects.filter(action__startswith="indicator.").count() == 4
    # The added year is now a row of the table.
    assert [row["year"] for row in client.get(HOSPITAL_URL).context["rows"]] == [2014, 2015, 2016, 2017]


def test_table_post_with_errors_saves_nothing_and_shows_them_next_to_the_cells(client, jingning):
    put_values(jingning, {(2015, IC): "80"})
    before = state(jingning)
    response = login(client, "own_unit_admin", english=True).post(
        HOSPITAL_URL,
        table_post(
            **{
                f"value_2014_{IC}": "85",  # good, not saved
                f"value_2015_{IC}": "101",
                f"value_2016_{RO}": "abc",
                "new_year": "1999",
                f"value_new_{RO}": "5",
            }
        ),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {
        f"value_2015_{IC}": ["The value must be between 0 and 100 (%)."],
        f"value_2016_{RO}": ["The value must be a percentage such as 90.5."],
        "new_year": [f"The year must be from 2000 to {settings_year()}."],
        "__all__": [
            "Nothing was saved: 3 cell(s) need correcting. "
            "2015 · In-county visit rate: The value must be between 0 and 100 (%)."
        ],
    }
    html = response.content.decode()
    assert 'value="101"' in html  # what was typed is kept
    assert 'role="alert">The value must be a percentage such as 90.5.</p>' in html
    assert state(jingning) == before


def settings_year() -> int:
    return timezone.localdate().year + 1


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ({f"value_new_{IC}": "90"}, "Enter the year of the new row."),
        ({"new_year": "2018"}, "Enter at least one value for the new year."),
        ({"new_year": "2015", f"value_new_{IC}": "90"}, "This year is already in the table: fill in its row."),
    ],
)
def test_new_row_needs_a_new_year_and_a_value(client, jingning, cells, message):
    before = state(jingning)
    response = login(client, "own_unit_admin", english=True).post(HOSPITAL_URL, table_post(**cells))
    assert response.status_code == 200
    assert response.context["form"].errors == {"new_year": [message]}
    assert state(jingning) == before


@pytest.mark.parametrize("years", [1, 3])
def test_hospital_page_query_count_does_not_grow(client, django_assert_num_queries, jingning, years):
    put_values(jingning, {(2015 + n, kind): "50" for n in range(years) for kind in (IC, RO)})
    login(client, "own_unit_admin")
    client.get(HOSPITAL_URL)  # warm the session
    # session, user, roles, hospital, series, pairings (term years), target rule, notes
    with django_assert_num_queries(9):  # … and the header's unread notices
        response = client.get(HOSPITAL_URL)
    assert len([r for r in response.context["rows"] if r["cells"][0]["value"] is not None]) == years


# ---- the trend page ----------------------------------------------------------------------------------------


def test_trend_page_sends_visitors_to_login(client):
    before = state()
    response = client.get("/pairings/indicators/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert state() == before


@pytest.mark.parametrize("label", TREND_DENIED)
def test_trend_page_forbidden_to_all_but_the_programmes_commission(client, label):
    login(client, label)
    before = state()
    assert client.get("/pairings/indicators/").status_code == 403
    assert state() == before


def test_trend_page_for_the_commission(client):
    network = Network()
    a = network.supported("a", "330127")
    b = network.supported("b", "331127", city="331100")
    put_values(a, {(2015, IC): "80", (2016, IC): "90", (2015, RO): "20"})
    put_values(b, {(2015, IC): "95", (2015, RO): "6"})
    login(client, "zhejiang_commission", english=True)
    response = client.get("/pairings/indicators/", {"programme": network.programme.code})
    assert response.status_code == 200
    ic, ro = response.context["indicators"]
    assert ic["chart"] == {
        "years": [2015, 2016],
        "unit": "%",
        "series": [
            {"name": "Mean", "role": "main", "data": [87.5, 90.0], "target": {"value": 90.0, "label": "Target 90 %"}},
            {"name": "Minimum", "role": "bound", "data": [80.0, 90.0], "target": None},
            {"name": "Maximum", "role": "bound", "data": [95.0, 90.0], "target": None},
        ],
    }
    assert [(y.year, y.n, y.mean, y.reached) for y in ic["trend"].years] == [
        (2015, 2, D("87.50"), 1),
        (2016, 1, D("90.00"), 1),
    ]
    assert ro["chart"]["series"][0]["target"] is None
    html = response.content.decode()
    assert '<script id="trend-chart-in_county_visit_rate" type="application/json">' in html
    assert "<td>87.50</td>" in html
    assert "<td>1 / 2</td>" in html
    lishui = client.get("/pairings/indicators/", {"programme": network.programme.code, "city": "331100"})
    assert [(y.year, y.n, y.mean) for y in lishui.context["indicators"][0]["trend"].years] == [(2015, 1, D("95.00"))]
    assert lishui.context["place"].code == "331100"
    county = client.get("/pairings/indicators/", {"programme": network.programme.code, "county": "330127"})
    assert [(y.year, y.n) for y in county.context["indicators"][0]["trend"].years] == [(2015, 1), (2016, 1)]
    assert len(county.context["counties"]) == 90  # the province's
    assert [c.code for c in lishui.context["counties"]][-2:] == ["331127", "331181"]  # the city's
    assert [c.code for c in county.context["cities"]] == ["331100"]


def test_trend_page_of_the_seed_programme_without_values(client):
    response = login(client, "zhejiang_commission").get("/pairings/indicators/")
    assert response.status_code == 200
    assert response.context["programme"].code == "zj-pairing-2014"
    assert [item["trend"].years for item in response.context["indicators"]] == [[], []]
    assert len(response.context["cities"]) == 11


def test_trend_page_ignores_malformed_filters(client):
    response = login(client, "zhejiang_commission").get("/pairings/indicators/", {"city": "x'--", "county": "3" * 40})
    assert (response.status_code, response.context["city"], response.context["county"]) == (200, "", "")


@pytest.mark.parametrize("hospitals", [1, 3])
def test_trend_page_query_count_does_not_grow(client, django_assert_num_queries, hospitals):
    network = Network()
    for n in range(hospitals):
        put_values(network.supported(f"h{n}", "330127"), {(2015 + y, IC): "50" for y in range(hospitals)})
    login(client, "zhejiang_commission")
    client.get("/pairings/indicators/", {"programme": network.programme.code})
    # session, user, roles, programme, target rule, aggregate, counties, cities
    with django_assert_num_queries(9):  # … and the header's unread notices
        response = client.get("/pairings/indicators/", {"programme": network.programme.code})
    assert [y.n for y in response.context["indicators"][0]["trend"].years] == [hospitals] * hospitals


# ---- the API -----------------------------------------------------------------------------------------------


def test_api_visitors_get_401(client, jingning):
    before = state(jingning)
    for response in (
        client.get(API_TREND),
        client.get(API_HOSPITAL),
        client.put(
            API_HOSPITAL, json.dumps([{"year": 2015, "kind": IC, "value": 90}]), content_type="application/json"
        ),
    ):
        assert response.status_code == 401
        assert response.json()["errors"][0]["field"] == "auth"
    assert state(jingning) == before


@pytest.mark.parametrize("label", TREND_DENIED)
def test_api_trend_forbidden(client, label):
    login(client, label)
    before = state()
    response = client.get(API_TREND)
    assert response.status_code == 403
    assert response.json()["errors"][0]["field"] == "request"
    assert state() == before


def test_api_trend_for_the_commission(client):
    network = Network()
    a = network.supported("a", "330127")
    b = network.supported("b", "331127", city="331100")
    put_values(a, {(2015, IC): "80", (2016, IC): "90", (2015, RO): "20"})
    put_values(b, {(2015, IC): "95.5", (2015, RO): "6"})
    login(client, "zhejiang_commission")
    data = client.get(API_TREND, {"programme": network.programme.code}, HTTP_ACCEPT_LANGUAGE="en").json()
    assert data == {
        "programme": network.programme.code,
        "city": "",
        "county": "",
        "indicators": [
            {
                "kind": IC,
                "name": "In-county visit rate",
                "target": 90.0,
                "better": "higher",
                "years": [
                    {"year": 2015, "n": 2, "mean": 87.75, "min": 80.0, "max": 95.5, "reached": 1},
                    {"year": 2016, "n": 1, "mean": 90.0, "min": 90.0, "max": 90.0, "reached": 1},
                ],
            },
            {
                "kind": RO,
                "name": "Referral-out rate",
                "target": None,
                "better": "lower",
                "years": [{"year": 2015, "n": 2, "mean": 13.0, "min": 6.0, "max": 20.0, "reached": None}],
            },
        ],
    }
    city = client.get(API_TREND, {"programme": network.programme.code, "city": "331100"}).json()
    assert [(y["year"], y["n"], y["mean"]) for y in city["indicators"][0]["years"]] == [(2015, 1, 95.5)]
    assert client.get(API_TREND, {"city": "abc"}).status_code == 422
    assert client.get(API_TREND, {"programme": "nope"}).status_code == 404


@pytest.mark.parametrize("hospitals", [1, 3])
def test_api_trend_query_count_does_not_grow(client, django_assert_num_queries, hospitals):
    network = Network()
    for n in range(hospitals):
        put_values(network.supported(f"h{n}", "331127"), {(2015 + y, RO): "5" for y in range(hospitals)})
    login(client, "zhejiang_commission")
    client.get(API_TREND)
    # session, user, roles, programme, target rule, aggregate
    with django_assert_num_queries(6):
        data = client.get(API_TREND, {"programme": network.programme.code, "county": "331127"}).json()
    assert [y["n"] for y in data["indicators"][1]["years"]] == [hospitals] * hospitals


@pytest.mark.parametrize("label", VIEWERS)
def test_api_hospital_get_for_viewers(client, jingning, label):
    put_values(jingning, {(2016, IC): "82", (2015, RO): "14.5"})
    IndicatorValue.objects.filter(year=2016).update(note="年报")
    data = login(client, label).get(API_HOSPITAL).json()
    assert data == {
        "hospital": {"code": JINGNING, "name_zh": "景宁县人民医院", "name_en": jingning.name_en},
        "values": [
            {"year": 2015, "kind": RO, "value": 14.5, "note": ""},
            {"year": 2016, "kind": IC, "value": 82.0, "note": "年报"},
        ],
    }


@pytest.mark.parametrize("label", NON_VIEWERS)
def test_api_hospital_get_is_not_found_for_others(client, jingning, label):
    login(client, label)
    response = client.get(API_HOSPITAL)
    assert response.status_code == 404
    assert response.json()["errors"][0]["field"] == "path"


@pytest.mark.parametrize("label", NON_CHANGERS)
def test_api_hospital_put_forbidden_changes_nothing(client, jingning, label):
    put_values(jingning, {(2015, IC): "80"})
    before = state(jingning)
    response = login(client, label).put(
        API_HOSPITAL, json.dumps([{"year": 2015, "kind": IC, "value": 99, "note": ""}]), content_type="application/json"
    )
    # 403 for who sees the hospital's indicators but may not enter them; 404 for who may not see them (issue 10).
    assert response.status_code == (403 if label in VIEWERS else 404)
    assert state(jingning) == before


@pytest.mark.parametrize("label", CHANGERS)
def test_api_hospital_put_sets_and_removes(client, jingning, label):
    put_values(jingning, {(2015, IC): "80", (2015, RO): "14"})
    body = [
        {"year": 2015, "kind": IC, "value": 86.5, "note": "年报"},
        {"year": 2015, "kind": RO, "value": None},
        {"year": 2016, "kind": RO, "value": "9.25"},
    ]
    response = login(client, label).put(API_HOSPITAL, json.dumps(body), content_type="application/json")
    assert response.status_code == 200
    assert response.json()["values"] == [
        {"year": 2015, "kind": IC, "value": 86.5, "note": "年报"},
        {"year": 2016, "kind": RO, "value": 9.25, "note": ""},
    ]
    assert AuditEvent.objects.filter(action__startswith="indicator.").count() == 3


def test_api_put_is_all_or_nothing_and_names_index_and_field(client, jingning):
    put_values(jingning, {(2015, IC): "80"})
    before = state(jingning)
    body = [
        {"year": 2015, "kind": IC, "value": 85},
        {"year": 1990, "kind": RO, "value": 5},
        {"year": 2016, "kind": IC, "value": 100.5},
        {"year": 2016, "kind": "beds", "value": 5},
    ]
    login(client, "own_unit_admin")
    response = client.put(API_HOSPITAL, json.dumps(body), content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    assert response.json() == {
        "errors": [
            {"field": "1.year", "message": f"Referral-out rate: The year must be from 2000 to {settings_year()}."},
            {"field": "2.value", "message": "2016 · In-county visit rate: The value must be between 0 and 100 (%)."},
            {"field": "3.kind", "message": "2016 · beds: Unknown indicator: beds."},
        ]
    }
    assert state(jingning) == before
    # A value that is not a number at all: ninja's validation, also naming the item and the field.
    response = client.put(
        API_HOSPITAL, json.dumps([{"year": 2015, "kind": IC, "value": "abc"}]), content_type="application/json"
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["0.value"]
    assert state(jingning) == before


def test_api_unknown_hospital_is_404(client):
    assert login(client, "zhejiang_commission").get("/api/v1/hospitals/nope/indicators").status_code == 404


@pytest.mark.parametrize("years", [1, 3])
def test_api_hospital_query_count_does_not_grow(client, django_assert_num_queries, jingning, years):
    put_values(jingning, {(2015 + n, kind): "50" for n in range(years) for kind in (IC, RO)})
    login(client, "own_unit_admin")
    client.get(API_HOSPITAL)
    # session, user, roles, hospital, series, notes
    with django_assert_num_queries(6):
        data = client.get(API_HOSPITAL).json()
    assert len(data["values"]) == 2 * years
