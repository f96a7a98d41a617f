"""The programme's yearly key work and the evaluation's dimensions (data/annual.yaml, seed document 003)."""

import pytest

from medtalent.annual.loaders import load_annual
from medtalent.annual.models import EvaluationDimension, YearFocus
from medtalent.catalog.models import Programme
from medtalent.core.seeding import SeedDataError, SeedReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme():
    return Programme.objects.get(code="zj-pairing-2014")


def _focus(programme, year, kind):
    return list(
        YearFocus.objects.filter(programme=programme, year=year, kind=kind)
        .order_by("sort")
        .values_list("text_zh", "specialty__code")
    )


def test_2015_has_two_key_specialties_and_seven_techniques(programme):
    assert _focus(programme, 2015, "key_specialty") == [("重症医学科", "critical-care"), ("病理科", "pathology")]
    assert _focus(programme, 2015, "key_technique") == [
        ("消化内科内镜诊疗技术", "gastroenterology"),
        ("呼吸内科内镜诊疗技术", "respiratory-medicine"),
        ("普通外科内镜诊疗技术", "general-surgery"),
        ("泌尿外科内镜诊疗技术", "urology"),
        ("妇科内镜诊疗技术", "gynaecology"),
        ("血液净化技术", "blood-purification"),
        ("儿童先天性心脏病等20种农村居民重大疾病的诊断和治疗能力", None),
    ]


def test_2016_has_five_techniques(programme):
    assert _focus(programme, 2016, "key_specialty") == []
    assert _focus(programme, 2016, "key_technique") == [
        ("骨科内镜诊疗技术", "orthopaedics"),
        ("胸外科内镜诊疗技术", "thoracic-surgery"),
        ("小儿外科内镜诊疗技术", "paediatric-surgery"),
        ("骨科人工关节植入技术", "orthopaedics"),
        ("急诊心血管介入技术", "interventional-cardiology"),
    ]
    assert YearFocus.objects.get(programme=programme, text_zh="急诊心血管介入技术").text_en == (
        "Emergency cardiovascular intervention"
    )


def test_seven_dimensions_of_ten_points(programme):
    rows = list(EvaluationDimension.objects.filter(programme=programme).values_list("name_zh", "max_score", "code"))
    assert rows == [
        ("组织管理", 10, "organisation"),
        ("人才培养", 10, "talent-training"),
        ("适宜技术普及", 10, "appropriate-techniques"),
        ("重点专科建设", 10, "key-specialties"),
        ("外转率变化", 10, "referral-out-rate"),
        ("医疗技术能力", 10, "technical-capability"),
        ("医疗质量安全", 10, "quality-safety"),
    ]


def test_second_run_changes_nothing():
    report = SeedReport()
    load_annual(report)
    assert (sum(report.created.values()), sum(report.updated.values()), report.problems) == (0, 0, [])
    assert report.unchanged["annual.YearFocus"] == 14
    assert report.unchanged["annual.EvaluationDimension"] == 7


def test_a_row_an_administrator_changed_is_kept_unless_overwritten(programme):
    YearFocus.objects.filter(programme=programme, text_zh="病理科").update(text_en="Histopathology")
    report = SeedReport()
    load_annual(report)
    assert (report.kept["annual.YearFocus"], report.updated["annual.YearFocus"]) == (1, 0)
    assert YearFocus.objects.get(programme=programme, text_zh="病理科").text_en == "Histopathology"
    report = SeedReport(overwrite=True)
    load_annual(report)
    assert (report.kept["annual.YearFocus"], report.updated["annual.YearFocus"]) == (0, 1)
    assert YearFocus.objects.get(programme=programme, text_zh="病理科").text_en == "Pathology"


def test_unknown_programme_and_specialty_are_reported(tmp_path, programme):
    data = tmp_path / "annual.yaml"
    data.write_text(
        "programmes:\n"
        "  no-such-programme:\n"
        "    dimensions: []\n"
        "  zj-pairing-2014:\n"
        "    focus:\n"
        "      2017:\n"
        "        - {kind: key_technique, zh: 测试技术, specialty: no-such-specialty}\n",
        encoding="utf-8",
    )
    report = SeedReport()
    load_annual(report, data_file=data)
    assert report.problems == [
        "annual: programme no-such-programme is not loaded",
        "annual: zj-pairing-2014 2017 #1 (测试技术): specialty no-such-specialty is not loaded",
    ]
    focus = YearFocus.objects.get(programme=programme, year=2017)
    assert (focus.text_zh, focus.specialty_id, focus.kind) == ("测试技术", None, "key_technique")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("      2017:\n        - {kind: team, zh: 甲}\n", "kind 'team' is not one of"),
        ("      2017:\n        - {kind: key_technique}\n", "`zh` is missing"),
        (
            "      2017:\n        - {kind: key_technique, zh: 甲}\n        - {kind: key_specialty, zh: 甲}\n",
            "listed twice",
        ),
        ("      nineteen:\n        - {kind: key_technique, zh: 甲}\n", "is not a year"),
    ],
)
def test_malformed_focus_is_refused(tmp_path, body, message):
    data = tmp_path / "annual.yaml"
    data.write_text("programmes:\n  zj-pairing-2014:\n    focus:\n" + body, encoding="utf-8")
    with pytest.raises(SeedDataError, match=message):
        load_annual(SeedReport(), data_file=data)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("      - {code: a, zh: 甲, max_score: 0}\n", "max_score 0"),
        ("      - {code: a, zh: 甲}\n      - {code: a, zh: 乙}\n", "code a is listed twice"),
        ("      - {zh: 甲}\n", "`code` is missing"),
    ],
)
def test_malformed_dimensions_are_refused(tmp_path, body, message):
    data = tmp_path / "annual.yaml"
    data.write_text("programmes:\n  zj-pairing-2014:\n    dimensions:\n" + body, encoding="utf-8")
    with pytest.raises(SeedDataError, match=message):
        load_annual(SeedReport(), data_file=data)
