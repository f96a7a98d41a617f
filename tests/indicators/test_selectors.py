import datetime as dt
from decimal import Decimal

import pytest

from medtalent.indicators import selectors
from medtalent.indicators.selectors import Target, TrendYear
from medtalent.partnerships.models import Agreement, AgreementTemplate, Pairing
from tests.factories import OrganisationFactory, code
from tests.indicators.conftest import IC, RO, ZJU_FIRST, put_values

pytestmark = pytest.mark.django_db

D = Decimal


def test_series_in_one_query(jingning, django_assert_num_queries):
    put_values(jingning, {(2016, IC): "82", (2015, IC): "80.5", (2015, RO): "15"})
    with django_assert_num_queries(1):
        series = selectors.indicator_series(organisation=jingning)
    assert series == {IC: [(2015, D("80.50")), (2016, D("82.00"))], RO: [(2015, D("15.00"))]}


def test_series_of_a_hospital_without_values(jingning):
    assert selectors.indicator_series(organisation=jingning) == {IC: [], RO: []}


def test_hospital_context_gives_the_term_years_and_the_target_rule(jingning, programme):
    years, rule = selectors.hospital_context(organisation=jingning)
    assert years == [2014, 2015, 2016]
    assert rule.programme == programme
    assert selectors.targets_from(rule) == {IC: Target(D("90.00"), "higher"), RO: Target(None, "lower")}


def test_hospital_context_includes_the_years_of_a_renewed_agreement(jingning, django_assert_num_queries):
    pairing = Pairing.objects.get(supporting__code=ZJU_FIRST, supported=jingning)
    for version, (starts, ends, state) in enumerate(
        [
            (dt.date(2014, 1, 1), dt.date(2016, 12, 31), "superseded"),
            (dt.date(2026, 1, 1), dt.date(2028, 12, 31), "approved"),
        ],
        start=1,
    ):
        Agreement.objects.create(
            pairing=pairing,
            template=AgreementTemplate.objects.get(code="zj-pairing-2014-annex3"),
            version=version,
            starts_on=starts,
            ends_on=ends,
            state=state,
        )
    with django_assert_num_queries(2):
        years, _rule = selectors.hospital_context(organisation=jingning)
    assert years == [2014, 2015, 2016, 2026, 2027, 2028]


def test_hospital_context_of_an_unpaired_hospital():
    assert selectors.hospital_context(organisation=OrganisationFactory()) == ([], None)


def _three_hospitals(network):
    """杭州 (330100): a, b; 丽水 景宁 (331127): c, named by 丽水's list."""
    a = network.supported("a", "330127")  # 淳安县
    b = network.supported("b", "330122")  # 桐庐县
    c = network.supported("c", "331127", city="331100")
    put_values(a, {(2015, IC): "80", (2016, IC): "90", (2015, RO): "20"})
    put_values(b, {(2015, IC): "85", (2016, IC): "92.5", (2015, RO): "10"})
    put_values(c, {(2015, IC): "95.25", (2015, RO): "5"})
    other = OrganisationFactory(region=code("region", "330127"))  # not supported in this programme
    put_values(other, {(2015, IC): "10"})
    return a, b, c


def test_trend_exact_figures_over_the_programme(network, django_assert_num_queries):
    _three_hospitals(network)
    with django_assert_num_queries(2):
        trend = selectors.indicator_trend(programme=network.programme)
    assert list(trend) == [IC, RO]
    assert trend[IC].target == Target(D("90.00"), "higher")
    assert trend[IC].years == [
        # (80 + 85 + 95.25) / 3 = 86.75; 95.25 alone reached 90
        TrendYear(year=2015, n=3, mean=D("86.75"), min=D("80.00"), max=D("95.25"), reached=1),
        # (90 + 92.5) / 2 = 91.25; both reached (90 counts)
        TrendYear(year=2016, n=2, mean=D("91.25"), min=D("90.00"), max=D("92.50"), reached=2),
    ]
    assert trend[RO].target == Target(None, "lower")
    # (20 + 10 + 5) / 3 = 11.666… → 11.67; no number to reach
    assert trend[RO].years == [TrendYear(year=2015, n=3, mean=D("11.67"), min=D("5.00"), max=D("20.00"), reached=None)]


def test_trend_filtered_by_city_and_county(network):
    _three_hospitals(network)
    hangzhou = selectors.indicator_trend(programme=network.programme, city="330100", kind=IC)
    assert list(hangzhou) == [IC]
    assert [(y.year, y.n, y.mean) for y in hangzhou[IC].years] == [(2015, 2, D("82.50")), (2016, 2, D("91.25"))]
    lishui = selectors.indicator_trend(programme=network.programme, city="331100", kind=IC)
    assert [(y.year, y.n, y.mean, y.reached) for y in lishui[IC].years] == [(2015, 1, D("95.25"), 1)]
    county = selectors.indicator_trend(programme=network.programme, county="330122")
    assert [(y.year, y.n, y.mean) for y in county[IC].years] == [(2015, 1, D("85.00")), (2016, 1, D("92.50"))]
    assert [(y.year, y.n, y.mean) for y in county[RO].years] == [(2015, 1, D("10.00"))]
    nowhere = selectors.indicator_trend(programme=network.programme, city="330100", county="331127")
    assert (nowhere[IC].years, nowhere[RO].years) == ([], [])


def test_trend_city_named_by_the_pairing_counts_a_hospital_outside_it(network):
    """A hospital listed by 丽水's list (Annex 2) counts for 丽水 even if it lies elsewhere."""
    listed = network.supported("x", "330127", city="331100")
    put_values(listed, {(2015, IC): "70"})
    lishui = selectors.indicator_trend(programme=network.programme, city="331100", kind=IC)
    assert [(y.year, y.n, y.mean) for y in lishui[IC].years] == [(2015, 1, D("70.00"))]


def test_trend_counts_a_hospital_supported_twice_once(network):
    a = network.supported("a", "330127")
    second = OrganisationFactory(region=code("region", "330100"), level="3A")
    network.programme.pairings.create(supporting=second, supported=a)
    put_values(a, {(2015, IC): "80"})
    trend = selectors.indicator_trend(programme=network.programme, kind=IC)
    assert [(y.year, y.n, y.mean) for y in trend[IC].years] == [(2015, 1, D("80.00"))]


def test_target_comes_from_the_rule(network):
    _three_hospitals(network)
    network.rule.params = {IC: {"target": 85, "better": "higher"}, RO: {"target": 10, "better": "lower"}}
    network.rule.save()
    trend = selectors.indicator_trend(programme=network.programme)
    assert trend[IC].target == Target(D("85.00"), "higher")
    assert [(y.year, y.reached) for y in trend[IC].years] == [(2015, 2), (2016, 2)]  # 85 and 95.25; 90 and 92.5
    assert trend[RO].target == Target(D("10.00"), "lower")
    assert [(y.year, y.reached) for y in trend[RO].years] == [(2015, 2)]  # 10 and 5


def test_without_a_target_rule_nothing_is_reached(network):
    _three_hospitals(network)
    network.rule.delete()
    trend = selectors.indicator_trend(programme=network.programme, kind=IC)
    assert trend[IC].target == Target(None, "higher")
    assert [(y.year, y.reached) for y in trend[IC].years] == [(2015, None), (2016, None)]


@pytest.mark.parametrize("hospitals", [1, 3])
def test_trend_query_count_does_not_grow(network, django_assert_num_queries, hospitals):
    for n in range(hospitals):
        hospital = network.supported(f"h{n}", "330127")
        put_values(hospital, {(year, kind): "50" for year in range(2015, 2015 + hospitals) for kind in (IC, RO)})
    with django_assert_num_queries(2):
        trend = selectors.indicator_trend(programme=network.programme, city="330100")
    assert [(y.n, y.mean) for y in trend[IC].years] == [(hospitals, D("50.00"))] * hospitals


def test_trend_ignores_malformed_region_codes(network):
    _three_hospitals(network)
    trend = selectors.indicator_trend(programme=network.programme, city="33'; --", county="abc", kind=IC)
    assert [y.n for y in trend[IC].years] == [3, 2]


def test_trend_counties_of_the_province_or_the_city(programme):
    lishui = selectors.trend_counties(programme=programme, city="331100")
    assert [c.code for c in lishui] == [
        "331102", "331121", "331122", "331123", "331124", "331125", "331126", "331127", "331181"
    ]  # fmt: skip
    province = selectors.trend_counties(programme=programme)
    assert len(province) == 90
    assert {c.code[:2] for c in province} == {"33"}
    assert selectors.trend_counties(programme=programme, city="x") == province
