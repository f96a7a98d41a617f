"""The seed catalogue as shipped: counts match the documents, references resolve, a second load changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from medtalent.catalog.loaders import load_programmes
from medtalent.catalog.models import Category, EligibilityRule, Offering, Programme, ProgrammeSpecialty, Round
from medtalent.codes.models import Specialty, SpecialtySynonym
from medtalent.codes.specialties import SeedDataError, load_specialties
from medtalent.core.seeding import SeedReport
from medtalent.orgs.loaders import load_organisations
from medtalent.orgs.models import Department, Organisation, OrganisationAlias

pytestmark = pytest.mark.django_db

SEED_CODES = [
    "zj-uk-clinical",
    "zj-us-cleveland",
    "zj-us-iuhealth",
    "zj-de-clinical",
    "zj-fr-grenoble",
    "wz-bysh",
    "gx-excellent-young",
]


def programme(code: str) -> Programme:
    return Programme.objects.get(code=code)


def accepted(code: str) -> list[str]:
    return list(
        ProgrammeSpecialty.objects.filter(programme__code=code)
        .order_by("sort")
        .values_list("specialty__code", flat=True)
    )


def hosts(code: str) -> list[str]:
    return sorted(
        set(
            Offering.objects.filter(round__programme__code=code, host__isnull=False).values_list(
                "host__code", flat=True
            )
        )
    )


def offerings_per_round(code: str) -> dict[str, int]:
    return {r.code: r.offerings.count() for r in Round.objects.filter(programme__code=code)}


def quotas(code: str) -> list[tuple]:
    return [
        (q.track, q.minimum, q.maximum, q.approximate, q.round_id) for q in programme(code).quotas.order_by("track")
    ]


# ------------------------------------------------------------------------------------------ programmes


def test_the_seven_seed_programmes_are_published_with_owner_and_source():
    rows = Programme.objects.filter(code__in=SEED_CODES).order_by("sort")
    assert [p.code for p in rows] == SEED_CODES
    assert {p.status for p in rows} == {"published"}
    assert {p.code: p.owner.code for p in rows} == {
        "zj-uk-clinical": "zj-hc",
        "zj-us-cleveland": "zj-hc",
        "zj-us-iuhealth": "zj-hc",
        "zj-de-clinical": "zj-hc",
        "zj-fr-grenoble": "zj-hc",
        "wz-bysh": "wz-hc",
        "gx-excellent-young": "gx-hc",
    }
    assert {p.code: p.source_document for p in rows} == {
        **dict.fromkeys(SEED_CODES[:5], "000_66808bca64b4595f.txt"),
        "wz-bysh": "001_a79bbfe8ee2994c9.txt",
        "gx-excellent-young": "004_6eb561ab14f7ce8c.txt",
    }
    assert all(p.name_en and p.summary_en for p in rows)


def test_accepted_specialty_counts_match_the_documents():
    assert {code: len(accepted(code)) for code in SEED_CODES} == {
        "zj-uk-clinical": 27,
        "zj-us-cleveland": 6,
        "zj-us-iuhealth": 7,
        "zj-de-clinical": 22,
        "zj-fr-grenoble": 32,
        "wz-bysh": 0,
        "gx-excellent-young": 14,
    }


def test_hosts_rounds_and_offerings_per_round():
    assert hosts("zj-uk-clinical") == [
        "barts-health",
        "imperial-college-healthcare",
        "royal-free-hospital",
        "st-georges-london",
        "uclh",
    ]
    assert hosts("zj-us-cleveland") == ["cleveland-clinic"]
    assert hosts("zj-us-iuhealth") == ["iu-health"]
    assert hosts("zj-de-clinical") == []
    assert hosts("zj-fr-grenoble") == ["chu-grenoble"]
    assert hosts("wz-bysh") == []
    assert hosts("gx-excellent-young") == ["fah-sysu-guangxi", "gz-women-children-liuzhou", "xiangya-2-guilin"]

    assert offerings_per_round("zj-uk-clinical") == {"zj-uk-clinical-2020": 10}
    assert offerings_per_round("zj-us-cleveland") == {"zj-us-cleveland-2020-1": 6, "zj-us-cleveland-2020-2": 6}
    assert offerings_per_round("zj-us-iuhealth") == {"zj-us-iuhealth-2020": 7}
    assert offerings_per_round("zj-de-clinical") == {"zj-de-clinical-2020-1": 22, "zj-de-clinical-2020-2": 22}
    assert offerings_per_round("zj-fr-grenoble") == {"zj-fr-grenoble-2020-1": 22, "zj-fr-grenoble-2020-2": 22}
    assert offerings_per_round("wz-bysh") == {"wz-bysh-2025": 0}
    assert offerings_per_round("gx-excellent-young") == {
        "gx-excellent-young-2024": 3,
        "gx-excellent-young-2025": 3,
        "gx-excellent-young-2026": 3,
    }


def test_rounds_have_a_stable_order_by_year_and_batch():
    assert [(r.year, r.batch) for r in Round.objects.filter(programme__code="zj-de-clinical")] == [(2020, 1), (2020, 2)]
    assert [r.year for r in Round.objects.filter(programme__code="gx-excellent-young")] == [2024, 2025, 2026]
    sorts = list(Offering.objects.filter(round__code="zj-fr-grenoble-2020-1").values_list("sort", flat=True))
    assert sorts == list(range(10, 230, 10))


def test_quotas_by_track():
    assert quotas("zj-uk-clinical") == [("doctor", None, 40, True, None), ("nurse", None, 10, True, None)]
    assert quotas("zj-us-cleveland") == [("any", 10, 15, True, None)]
    assert quotas("zj-us-iuhealth") == [("any", 10, 15, True, None)]
    assert quotas("zj-de-clinical") == [("any", 20, 30, True, None)]
    assert quotas("zj-fr-grenoble") == [("any", None, 10, True, None)]
    assert quotas("wz-bysh") == [("any", None, 100, True, None)]
    assert quotas("gx-excellent-young") == []
    assert programme("zj-uk-clinical").quotas.get(track="doctor").note_zh == "具体视考试结果而定"


def test_durations_and_costs_in_yuan():
    rows = {p.code: p for p in Programme.objects.filter(code__in=SEED_CODES)}
    assert {c: (p.duration_min, p.duration_max, p.duration_unit) for c, p in rows.items()} == {
        "zj-uk-clinical": (3, 3, "month"),
        "zj-us-cleveland": (2, 2, "month"),
        "zj-us-iuhealth": (2, 2, "month"),
        "zj-de-clinical": (3, 3, "month"),
        "zj-fr-grenoble": (1, 2, "month"),
        "wz-bysh": (7, 90, "day"),
        "gx-excellent-young": (6, 12, "month"),
    }
    assert {c: (p.cost_min, p.cost_max) for c, p in rows.items()} == {
        "zj-uk-clinical": (75000, 85000),
        "zj-us-cleveland": (75000, 85000),
        "zj-us-iuhealth": (70000, 80000),
        "zj-de-clinical": (62000, 62000),
        "zj-fr-grenoble": (60000, 75000),
        "wz-bysh": (None, None),
        "gx-excellent-young": (None, None),
    }
    assert {c: p.since_year for c, p in rows.items()} == {
        "zj-uk-clinical": 2010,
        "zj-us-cleveland": 2013,
        "zj-us-iuhealth": 2012,
        "zj-de-clinical": 2009,
        "zj-fr-grenoble": 2015,
        "wz-bysh": 2025,
        "gx-excellent-young": 2024,
    }
    assert rows["zj-uk-clinical"].cost_covers_zh == (
        "护照签证费、国际旅费以及在进修期间的进修费、住宿费、部分伙食费、公杂费、保险费等"
    )


def test_countries_and_partners():
    def countries(code):
        return sorted(programme(code).countries.values_list("code", flat=True))

    assert countries("zj-uk-clinical") == ["GB"]
    assert countries("zj-de-clinical") == ["DE"]
    assert countries("wz-bysh") == ["CA", "DE", "ES", "FR", "GB", "HU", "IT", "JP", "NL", "SG", "US"]
    assert countries("gx-excellent-young") == ["CN"]
    assert sorted(programme("zj-uk-clinical").partners.values_list("code", flat=True)) == [
        "nhs-south-west",
        "rcp-london",
    ]
    assert list(programme("zj-de-clinical").partners.values_list("code", flat=True)) == [
        "sino-german-foundation-beijing"
    ]


def test_germany_keeps_inclusions_and_exclusions_as_scope_notes():
    link = ProgrammeSpecialty.objects.get(programme__code="zj-de-clinical", label_zh="普外科（非乳腺）")
    assert (link.specialty.code, link.scope_note_zh, link.scope_note_en) == (
        "general-surgery",
        "非乳腺",
        "excluding breast surgery",
    )
    gyn = ProgrammeSpecialty.objects.get(programme__code="zj-de-clinical", specialty__code="gynaecology")
    assert gyn.scope_note_zh == "含乳腺外科，不含生殖医学和妇科内分泌"
    no_host = Offering.objects.filter(round__code="zj-de-clinical-2020-1")
    assert no_host.filter(host__isnull=True, specialty__isnull=False).count() == 22


# ------------------------------------------------------------------------------------------- Grenoble


def test_grenoble_departments_by_track():
    assert Department.objects.filter(organisation__code="chu-grenoble").count() == 22
    offerings = Offering.objects.filter(round__code="zj-fr-grenoble-2020-1")
    assert offerings.filter(track="doctor").count() == 20
    assert list(offerings.filter(track="nurse_manager").values_list("department__name_local", flat=True)) == [
        "Blocs opératoires",
        "Direction des soins",
    ]
    assert offerings.filter(department__isnull=True).count() == 0


def test_grenoble_departments_keep_supervisors_and_expertise_as_published():
    urology = Department.objects.get(organisation__code="chu-grenoble", code="urology")
    assert urology.supervisor_list == [
        "Pr Rambeaud",
        "Pr Descotes (Président association française d'urologie 法国泌尿协会会长)",
        "Pr Long",
    ]
    assert (urology.name_zh, urology.name_local) == ("泌尿科", "Urologie")
    assert urology.expertise_en == "General and oncological urology / computer-assisted surgery"
    assert list(urology.specialties.values_list("code", flat=True)) == ["urology"]
    first = Department.objects.filter(organisation__code="chu-grenoble").first()
    assert first.name_local == "Infectiologie et hygiène hospitalière"


def test_grenoble_extra_requirements_on_offerings():
    offerings = Offering.objects.filter(round__code="zj-fr-grenoble-2020-2")
    imaging = offerings.get(department__code="imaging-thorax-heart")
    assert imaging.requirements_zh == "针对放射科诊断医生，硕士学位以上"
    nursing = offerings.get(department__code="nursing-directorate")
    assert (nursing.track, nursing.requirements_zh) == ("nurse_manager", "针对护理部负责人")


def test_grenoble_accepts_exactly_the_specialties_of_its_departments():
    department_specialties = set(
        Department.objects.filter(organisation__code="chu-grenoble").values_list("specialties__code", flat=True)
    )
    assert set(accepted("zj-fr-grenoble")) == department_specialties
    assert len(department_specialties) == 32


# -------------------------------------------------------------------------------------------- Wenzhou


def test_wenzhou_categories_with_durations_and_report_deadline():
    rows = Category.objects.filter(programme__code="wz-bysh")
    assert [(c.code, c.duration_min, c.duration_max, c.duration_unit) for c in rows] == [
        ("wz-bysh-leading", 1, 2, "month"),
        ("wz-bysh-clinical", 1, 3, "month"),
        ("wz-bysh-innovation", 1, 3, "month"),
        ("wz-bysh-teaching", 2, 2, "week"),
        ("wz-bysh-management", 1, 1, "week"),
    ]
    # The seed writes `unit: month`; deadlines count in workdays.enums.DeadlineUnit ("months").
    assert {(c.report_due_value, c.report_due_unit, c.report_due_roll) for c in rows} == {(1, "months", False)}
    assert all(c.target_zh and c.content_en and c.requirements_zh and c.evaluation_focus_en for c in rows)


def test_wenzhou_category_rules():
    def rules(code):
        return [
            (r.kind, r.params, r.is_blocking)
            for r in EligibilityRule.objects.filter(category__code=code).exclude(kind="designation")
        ]

    assert rules("wz-bysh-leading") == [("max_age", {"years": 55}, True)]
    assert rules("wz-bysh-clinical") == [("max_age", {"years": 50}, True), ("max_age", {"years": 45}, False)]
    assert rules("wz-bysh-innovation") == [("max_age", {"years": 50}, True), ("max_age", {"years": 45}, False)]
    assert rules("wz-bysh-teaching") == [("max_age", {"years": 50}, True), ("teaching_experience", {}, True)]
    assert rules("wz-bysh-management") == [
        ("max_age", {"years": 50}, True),
        ("min_management_years", {"years": 3}, True),
    ]
    priority = EligibilityRule.objects.filter(category__programme__code="wz-bysh", kind="designation")
    assert priority.count() == 5
    assert {r.is_blocking for r in priority} == {False}
    # 国家级人才项目 (D01), 省卫生高层次领军人才培养对象 (D02): codes of the designation table.
    assert priority.get(category__code="wz-bysh-leading").params == {"any_of": ["D01", "D02"]}


def test_wenzhou_general_conditions_are_blocking_programme_rules():
    rows = EligibilityRule.objects.filter(programme__code="wz-bysh")
    assert [(r.kind, r.params, r.is_blocking) for r in rows] == [
        ("min_education", {"code": "21"}, True),
        ("min_title", {"grade": "intermediate", "equivalent_allowed": True}, True),
        ("no_serious_incident", {}, True),
        ("language", {}, True),
        ("health", {}, True),
    ]


def test_guangxi_rules():
    rows = EligibilityRule.objects.filter(programme__code="gx-excellent-young")
    assert [(r.kind, r.params, r.is_blocking) for r in rows] == [
        ("max_age", {"years": 45}, True),
        ("title_or_residency", {"grade": "intermediate", "residency": True, "relaxed_for_levels": ["2"]}, True),
        ("health", {}, True),
    ]


# -------------------------------------------------------------------------------- names and synonyms


def test_misspelt_and_abbreviated_organisation_names_resolve():
    imperial = OrganisationAlias.objects.get(name="Imperial Collage Healthcare NHS Trust")
    assert (imperial.organisation.code, imperial.kind) == ("imperial-college-healthcare", "misspelling")
    jiande = OrganisationAlias.objects.get(name="建德市第一人医院")
    assert (jiande.organisation.name_zh, jiande.kind) == ("建德市第一人民医院", "misspelling")
    assert OrganisationAlias.objects.get(name="省人民医院").organisation.code == "zj-peoples-hospital"
    assert OrganisationAlias.objects.get(name="CHUGA").organisation.code == "chu-grenoble"


def test_specialty_synonyms_resolve():
    def lands_on(term):
        return list(SpecialtySynonym.objects.filter(term__iexact=term).values_list("specialty__code", flat=True))

    assert lands_on("心血管内科") == ["cardiology"]
    for term in ("心内科", "心血管", "Cardiology", "Cardiologie"):
        assert lands_on(term) == ["cardiology"]
    for term in ("泌尿外科", "泌尿科", "泌尿", "Urology", "urology", "Urologie"):
        assert lands_on(term) == ["urology"]
    for term in ("肠胃病学", "消化内科", "Gastroenterology"):
        assert lands_on(term) == ["gastroenterology"]
    for term in ("普外科", "普通外科", "General surgery"):
        assert lands_on(term) == ["general-surgery"]
    for term in ("重症医学", "ICU", "重症医学科", "Critical care"):
        assert lands_on(term) == ["critical-care"]
    for term in ("肿瘤科", "肿瘤医学科", "Oncology"):
        assert lands_on(term) == ["oncology"]
    assert lands_on("Rythmologie") == ["cardiac-electrophysiology"]


def test_narrower_specialties_have_their_broader_one():
    parents = dict(Specialty.objects.filter(parent__isnull=False).values_list("code", "parent__code"))
    assert parents["cardiac-electrophysiology"] == "cardiology"
    assert parents["interventional-radiology"] == "radiology"
    assert parents["gynaecologic-oncology"] == "gynaecology"


# ------------------------------------------------------------------------------------- organisations


def test_organisations_have_both_names_and_a_place():
    seeded = Organisation.objects.filter(code__in=["zj-hc", "wz-hc", "gx-hc", "chu-grenoble", "cleveland-clinic"])
    assert {(o.code, o.region.code if o.region else "", o.country.code if o.country else "") for o in seeded} == {
        ("zj-hc", "330000", ""),
        ("wz-hc", "330300", ""),
        ("gx-hc", "450000", ""),
        ("chu-grenoble", "", "FR"),
        ("cleveland-clinic", "", "US"),
    }
    assert Organisation.objects.get(code="chu-grenoble").name_local == "Centre hospitalier universitaire Grenoble Alpes"
    assert Organisation.objects.get(code="jiande-first-peoples-hospital").region.code == "330182"
    assert Organisation.objects.get(code="xiangya-2-guilin").parent.code == "xiangya-2"
    assert list(
        Organisation.objects.get(code="iu-health").children.order_by("code").values_list("code", flat=True)
    ) == [
        "iu-simon-cancer-center",
        "riley-hospital-for-children",
    ]


def test_the_eighteen_supporting_provincial_hospitals_are_tertiary_a():
    codes = [
        "zhejiang-hospital",
        "zj-peoples-hospital",
        "zj-cancer-hospital",
        "zj-tongde-hospital",
        "zju-first-hospital",
        "zju-second-hospital",
        "zju-sir-run-run-shaw-hospital",
        "zju-womens-hospital",
        "zju-childrens-hospital",
        "zju-stomatology-hospital",
        "zj-hospital-of-tcm",
        "zj-xinhua-hospital",
        "zj-zhongshan-hospital",
        "wmu-first-hospital",
        "wmu-second-hospital",
        "wmu-eye-hospital",
        "pla-117-hospital",
        "pap-hangzhou-hospital",
    ]
    rows = Organisation.objects.filter(code__in=codes)
    assert rows.count() == 18
    assert {o.level for o in rows} == {"3A"}
    assert all(o.region and o.region.code.startswith("330") for o in rows)


# ----------------------------------------------------------------------------------------- idempotency


def test_a_second_load_changes_nothing():
    out = StringIO()
    call_command("load_seeds", stdout=out, stderr=StringIO())
    assert "Seed data already up to date: nothing changed." in out.getvalue()

    report = SeedReport()
    load_specialties(report)
    load_organisations(report)
    load_programmes(report)
    assert report.changed is False
    assert sum(report.unchanged.values()) > 0


def test_a_broken_organisation_reference_stops_the_load_naming_the_organisation(tmp_path):
    (tmp_path / "organisations.yaml").write_text(
        "- {code: nowhere-hospital, name_zh: 无处医院, name_en: Nowhere Hospital, kind: hospital, region: '999999'}\n",
        encoding="utf-8",
    )
    with pytest.raises(SeedDataError, match="nowhere-hospital.*999999"):
        load_organisations(SeedReport(), data_dir=tmp_path)


def test_a_broken_programme_reference_stops_the_load_naming_the_programme(tmp_path):
    (tmp_path / "broken.yaml").write_text(
        "code: broken-programme\nname_zh: 坏项目\nowner: zj-hc\nprogramme_type: overseas_fellowship\n"
        "specialties:\n  - {specialty: no-such-specialty}\n",
        encoding="utf-8",
    )
    with pytest.raises(SeedDataError, match="broken-programme.*no-such-specialty"):
        load_programmes(SeedReport(), data_dir=tmp_path)
