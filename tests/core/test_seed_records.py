"""Shipped values are defaults: `load_seeds` updates a row only while it still holds what the seed wrote,
keeps (and reports) a row an administrator changed, and restores it only with --overwrite."""

from io import StringIO

import pytest
from django.core.management import call_command

from medtalent.codes.models import Specialty
from medtalent.core.models import SeedRecord
from medtalent.core.seeding import SeedReport, upsert
from medtalent.partnerships.enums import PairingRuleKind
from medtalent.partnerships.models import PairingRule

pytestmark = pytest.mark.django_db


def _load(report: SeedReport, **values) -> Specialty:
    obj = upsert(Specialty, lookup={"code": "seed-record-test"}, values=values, report=report)
    report.save_records()
    return obj


def test_a_row_nobody_changed_follows_the_shipped_data():
    _load(SeedReport(), name_zh="旧名", name_en="Old", sort=5)
    report = SeedReport()
    obj = _load(report, name_zh="新名", name_en="New", sort=5)
    obj.refresh_from_db()
    assert (obj.name_zh, obj.name_en, obj.sort) == ("新名", "New", 5)
    assert report.updated["codes.Specialty"] == 1
    assert report.kept["codes.Specialty"] == 0
    assert SeedRecord.objects.get(model="codes.Specialty", object_id=str(obj.pk)).values == {
        "name_zh": "新名",
        "name_en": "New",
        "sort": 5,
    }


def test_a_row_an_administrator_changed_is_kept_and_reported():
    obj = _load(SeedReport(), name_zh="旧名", name_en="Old", sort=5)
    Specialty.objects.filter(pk=obj.pk).update(sort=7)  # the administrator's change
    report = SeedReport()
    _load(report, name_zh="新名", name_en="New", sort=5)
    obj.refresh_from_db()
    assert (obj.name_zh, obj.name_en, obj.sort) == ("旧名", "Old", 7)
    assert report.kept["codes.Specialty"] == 1
    assert report.updated["codes.Specialty"] == 0
    assert report.kept_rows == [f"codes.Specialty {obj} (name_zh, name_en, sort)"]
    assert "1 kept as an administrator changed them" in report.lines()[0]


def test_overwrite_restores_the_shipped_values():
    obj = _load(SeedReport(), name_zh="旧名", name_en="Old", sort=5)
    Specialty.objects.filter(pk=obj.pk).update(sort=7)
    report = SeedReport(overwrite=True)
    _load(report, name_zh="新名", name_en="New", sort=5)
    obj.refresh_from_db()
    assert (obj.name_zh, obj.sort) == ("新名", 5)
    assert report.updated["codes.Specialty"] == 1
    assert report.kept_rows == []


def test_the_same_number_in_another_form_is_not_a_change():
    obj = _load(SeedReport(), name_zh="名", sort=5)
    SeedRecord.objects.filter(model="codes.Specialty", object_id=str(obj.pk)).update(
        values={"name_zh": "名", "sort": "5.0"}
    )
    report = SeedReport()
    _load(report, name_zh="新名", sort=5)
    obj.refresh_from_db()
    assert obj.name_zh == "新名"
    assert report.kept["codes.Specialty"] == 0


def test_load_seeds_keeps_a_pairing_tolerance_changed_in_the_admin():
    rule = PairingRule.objects.get(programme__code="zj-pairing-2014", kind=PairingRuleKind.SUPPORTED_PER_GENERAL)
    assert rule.params == {"target": 3, "tolerance": 1}
    rule.params = {"target": 3, "tolerance": 0}
    rule.save(update_fields=["params"])
    out = StringIO()
    call_command("load_seeds", stdout=out, stderr=StringIO())
    rule.refresh_from_db()
    assert rule.params == {"target": 3, "tolerance": 0}
    assert "kept (changed by an administrator; --overwrite restores the shipped values)" in out.getvalue()
    call_command("load_seeds", "--overwrite", stdout=StringIO(), stderr=StringIO())
    rule.refresh_from_db()
    assert rule.params == {"target": 3, "tolerance": 1}


def test_a_second_run_writes_no_seed_records():
    count = SeedRecord.objects.count()
    assert count > 500
    out = StringIO()
    call_command("load_seeds", stdout=out, stderr=StringIO())
    assert SeedRecord.objects.count() == count
    assert "Seed data already up to date: nothing changed." in out.getvalue()
