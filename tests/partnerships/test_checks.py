import pytest

from medtalent.catalog.enums import ProgrammeType
from medtalent.partnerships.models import Pairing, PairingRule
from medtalent.partnerships.selectors import counties_without_pairing, pairing_findings, pairing_programme_get
from tests.factories import OrganisationFactory, ProgrammeFactory, code

pytestmark = pytest.mark.django_db


def _programme(*rules):
    programme = ProgrammeFactory(programme_type=ProgrammeType.PAIRING_SUPPORT)
    for position, (kind, params) in enumerate(rules, start=1):
        PairingRule.objects.create(programme=programme, kind=kind, params=params, text_zh=kind, sort=position)
    return programme


def _hospital(level="3A", hospital_type="general", region="330100"):
    return OrganisationFactory(level=level, hospital_type=hospital_type, region=code("region", region))


def _pair(programme, supporting, n, region="330921"):
    for _ in range(n):
        Pairing.objects.create(programme=programme, supporting=supporting, supported=_hospital("", "general", region))


@pytest.mark.parametrize(("supported", "finding"), [(1, True), (2, False), (3, False), (4, False), (5, True)])
def test_general_hospital_target_and_tolerance_boundaries(supported, finding):
    programme = _programme(("supported_per_general", {"target": 3, "tolerance": 1}))
    hospital = _hospital()
    _pair(programme, hospital, supported)
    findings = pairing_findings(programme=programme)
    assert [(f.rule, f.hospitals[0].code, f.count) for f in findings] == (
        [("supported_per_general", hospital.code, supported)] if finding else []
    )


@pytest.mark.parametrize(("supported", "finding"), [(1, False), (2, False), (3, False), (4, True)])
def test_specialty_hospital_target_and_tolerance_boundaries(supported, finding):
    programme = _programme(("supported_per_specialty", {"target": 2, "tolerance": 1}))
    hospital = _hospital(hospital_type="specialty")
    _pair(programme, hospital, supported)
    assert len(pairing_findings(programme=programme)) == (1 if finding else 0)


def test_tolerance_zero_makes_the_target_exact():
    programme = _programme(("supported_per_specialty", {"target": 2, "tolerance": 0}))
    hospital = _hospital(hospital_type="specialty")
    _pair(programme, hospital, 1)
    assert [f.count for f in pairing_findings(programme=programme)] == [1]


def test_count_rules_ignore_non_tertiary_and_other_types():
    programme = _programme(
        ("supported_per_general", {"target": 3, "tolerance": 1}),
        ("supported_per_specialty", {"target": 2, "tolerance": 1}),
    )
    _pair(programme, _hospital(level="2A"), 1)
    _pair(programme, _hospital(hospital_type="tcm"), 1)
    assert pairing_findings(programme=programme) == []


def test_county_with_and_without_a_pairing():
    programme = _programme(("county_coverage", {"province": "330900"}))  # 舟山: 岱山县, 嵊泗县 (+2 districts)
    _pair(programme, _hospital(), 1, region="330921")
    findings = pairing_findings(programme=programme)
    assert [(f.rule, f.region, f.region_name) for f in findings] == [("county_coverage", "330922", "嵊泗县")]
    assert [c.code for c in counties_without_pairing(programme=programme)] == ["330922"]
    _pair(programme, _hospital(), 1, region="330922")
    assert pairing_findings(programme=programme) == []


def test_a_county_supported_only_by_a_non_tertiary_hospital_is_not_covered():
    programme = _programme(("county_coverage", {"province": "330900"}))
    _pair(programme, _hospital(), 1, region="330921")
    _pair(programme, _hospital(level="2A"), 1, region="330922")
    assert [c.code for c in counties_without_pairing(programme=programme)] == ["330922"]


def test_duplicate_relationship_in_either_direction():
    programme = _programme(("no_duplicate", {}))
    a, b, c = _hospital(), _hospital(), _hospital()
    Pairing.objects.create(programme=programme, supporting=a, supported=b)
    Pairing.objects.create(programme=programme, supporting=a, supported=c)
    assert pairing_findings(programme=programme) == []
    Pairing.objects.create(programme=programme, supporting=b, supported=a)
    findings = pairing_findings(programme=programme)
    assert [(f.rule, {h.code for h in f.hospitals}) for f in findings] == [("no_duplicate", {a.code, b.code})]


def test_real_data_findings():
    programme = pairing_programme_get()
    findings = pairing_findings(programme=programme)
    assert [(f.rule, [h.name_zh for h in f.hospitals], f.region_name, f.count) for f in findings] == [
        ("supported_per_general", ["解放军117医院"], "", 1),
        ("supported_per_general", ["武警杭州医院"], "", 1),
        ("supported_per_general", ["温州市人民医院"], "", 5),
        ("supported_per_general", ["浙江衢化医院"], "", 1),
        ("supported_per_general", ["丽水市人民医院"], "", 5),
        # 龙港市 became a county-level city in 2019, out of 苍南县.
        ("county_coverage", [], "龙港市", None),
        ("county_coverage", [], "长兴县", None),
        ("county_coverage", [], "天台县", None),
    ]


def test_checks_cost_five_queries(django_assert_num_queries):
    programme = pairing_programme_get()
    with django_assert_num_queries(5):
        pairing_findings(programme=programme)
