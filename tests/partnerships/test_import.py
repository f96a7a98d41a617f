from collections import Counter
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

from medtalent.core.seeding import SeedReport, read_yaml
from medtalent.orgs.models import Organisation
from medtalent.partnerships.loaders import DATA_FILE, load_pairings
from medtalent.partnerships.models import Pairing, PairingRule

pytestmark = pytest.mark.django_db

# As printed by scripts/build_pairings.py from document 003 (and written in the YAML header).
PER_CITY = {
    "330100": 16,  # 杭州市
    "330200": 21,  # 宁波市
    "330300": 15,  # 温州市
    "330500": 11,  # 湖州市
    "330400": 11,  # 嘉兴市
    "330600": 10,  # 绍兴市
    "330900": 7,  # 舟山市
    "330700": 10,  # 金华市
    "330800": 6,  # 衢州市
    "331000": 8,  # 台州市
    "331100": 9,  # 丽水市
}


def _pairings():
    return Pairing.objects.filter(programme__code="zj-pairing-2014")


def test_import_counts_per_annex_equal_the_document():
    assert _pairings().filter(source="annex1").count() == 41
    assert _pairings().filter(source="annex2").count() == 124
    assert _pairings().filter(source="annex1").values("supporting").distinct().count() == 18
    assert _pairings().filter(source="annex2").values("supporting").distinct().count() == 49
    assert _pairings().values("supported").distinct().count() == 151


def test_import_counts_per_city_equal_the_document():
    counts = Counter(_pairings().filter(source="annex2").values_list("city__code", flat=True))
    assert dict(counts) == PER_CITY


def test_import_keeps_the_document_order_and_the_term():
    first = _pairings().select_related("supporting", "supported").first()
    assert (first.supporting.name_zh, first.supported.name_zh) == ("浙江医院", "安吉县人民医院")
    last = _pairings().select_related("supporting", "supported").last()
    assert (last.supporting.name_zh, last.supported.name_zh) == ("丽水市人民医院", "缙云县人民医院")
    assert set(_pairings().values_list("starts_on", "ends_on").distinct()) == {
        (__import__("datetime").date(2014, 1, 1), __import__("datetime").date(2016, 12, 31))
    }


def test_import_reuses_existing_organisations_by_name_and_alias():
    jiande = Organisation.objects.get(code="jiande-first-peoples-hospital")
    assert _pairings().filter(supporting__code="zju-second-hospital", supported=jiande).exists()
    assert _pairings().filter(supporting__code="zj-peoples-hospital").count() == 3
    assert not Organisation.objects.filter(name_zh="建德市第一人医院").exists()
    assert not Organisation.objects.filter(name_zh="省人民医院").exists()


def test_import_resolves_historical_names_to_the_division_in_force():
    regions = dict(
        Organisation.objects.filter(
            name_zh__in=[
                "富阳市第二人民医院",
                "临安市中医院",
                "玉环县人民医院",
                "洞头县人民医院",
                "桐庐富春江中心卫生院",
                "余杭区中医院",
            ]
        ).values_list("name_zh", "region__code")
    )
    assert regions == {
        "富阳市第二人民医院": "330111",
        "临安市中医院": "330112",
        "玉环县人民医院": "331083",
        "洞头县人民医院": "330305",
        "桐庐富春江中心卫生院": "330122",
        "余杭区中医院": "330113",
    }


def test_every_hospital_resolves_to_a_region_county_level_for_supported_ones():
    supporting = Organisation.objects.filter(pairings_supporting__programme__code="zj-pairing-2014").distinct()
    supported = Organisation.objects.filter(pairings_supported__programme__code="zj-pairing-2014").distinct()
    assert supporting.filter(region__isnull=True).count() == 0
    assert supported.filter(region__isnull=True).count() == 0
    # The two whose names do not say their county are placed in their city and reported by the loader.
    not_county = sorted(supported.exclude(region__level=3).values_list("name_zh", flat=True))
    assert not_county == ["湖州交通医院", "舟山市普济医院"]


def test_a_second_load_changes_nothing():
    before = (Pairing.objects.count(), Organisation.objects.count(), PairingRule.objects.count())
    report = SeedReport()
    load_pairings(report)
    assert report.changed is False
    assert report.problems == [
        "pairings: supported hospital 湖州交通医院 is placed in 湖州市 only, not in a county-level division",
        "pairings: supported hospital 舟山市普济医院 is placed in 舟山市 only, not in a county-level division",
    ]
    assert (Pairing.objects.count(), Organisation.objects.count(), PairingRule.objects.count()) == before


def test_load_seeds_again_says_nothing_changed():
    out = StringIO()
    call_command("load_seeds", stdout=out, stderr=StringIO())
    assert "nothing changed" in out.getvalue()


def test_rules_are_data_quoting_the_document():
    rules = {r.kind: r for r in PairingRule.objects.filter(programme__code="zj-pairing-2014")}
    assert rules["supported_per_general"].params == {"target": 3, "tolerance": 1}
    assert rules["supported_per_specialty"].params == {"target": 2, "tolerance": 1}
    assert rules["county_coverage"].params == {"province": "330000"}
    assert rules["no_duplicate"].params == {}
    assert "3所左右县级医院" in rules["supported_per_general"].text_zh


def test_loader_reports_a_duplicate_and_an_unresolved_hospital(tmp_path: Path):
    data = read_yaml(DATA_FILE)
    data["pairings"].append(dict(data["pairings"][0]))
    data["hospitals"].append({"name": "不存在的医院", "code": "zhejiang-nowhere", "existing": True, "region": ""})
    data["pairings"].append({"annex": "annex1", "supporting": "浙江医院", "supported": "不存在的医院"})

    path = tmp_path / "pairings.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    before = Pairing.objects.count()
    report = SeedReport()
    load_pairings(report, data_file=path)
    assert report.problems[2:] == [
        "pairings: hospital 不存在的医院 (zhejiang-nowhere) is not among the organisations",
        "pairings: row 166 (浙江医院 → 安吉县人民医院) is listed twice; loaded once",
        "pairings: row 167 (浙江医院 → 不存在的医院) not loaded: 不存在的医院 unresolved",
    ]
    assert Pairing.objects.count() == before
