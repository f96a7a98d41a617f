from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from medtalent.core.errors import ApplicationError
from medtalent.core.models import AuditEvent
from medtalent.indicators import services
from medtalent.indicators.models import IndicatorValue
from tests.indicators.conftest import IC, RO, put_values, role_user, state

pytestmark = [pytest.mark.usefixtures("english"), pytest.mark.django_db]


NEXT_YEAR = timezone.localdate().year + 1


def test_set_creates_a_value_with_an_audit_row(jingning, jingning_admin):
    value = services.indicator_set(
        actor=jingning_admin, organisation=jingning, year=2015, kind=IC, value="86.5", note="统计年报"
    )
    stored = IndicatorValue.objects.get(pk=value.pk)
    assert (stored.year, stored.kind, stored.value, stored.note, stored.entered_by) == (
        2015,
        IC,
        Decimal("86.50"),
        "统计年报",
        jingning_admin,
    )
    event = AuditEvent.objects.get(action="indicator.set", object_id=str(value.pk))
    assert (event.actor, event.from_state, event.to_state) == (jingning_admin, "", "86.50")
    assert event.data == {"organisation": jingning.code, "year": 2015, "kind": IC, "old": "", "new": "86.50"}


def test_set_updates_and_audits_old_and_new_value(jingning, jingning_admin, zj_commission):
    services.indicator_set(actor=jingning_admin, organisation=jingning, year=2015, kind=IC, value=Decimal("86.5"))
    services.indicator_set(actor=zj_commission, organisation=jingning, year=2015, kind=IC, value=88)
    stored = IndicatorValue.objects.get(organisation=jingning, year=2015, kind=IC)
    assert (stored.value, stored.entered_by) == (Decimal("88.00"), zj_commission)
    events = list(
        AuditEvent.objects.filter(action="indicator.set").order_by("id").values_list("from_state", "to_state")
    )
    assert events == [("", "86.50"), ("86.50", "88.00")]


def test_set_the_same_value_again_writes_nothing(jingning, jingning_admin):
    services.indicator_set(actor=jingning_admin, organisation=jingning, year=2015, kind=IC, value="86.5")
    before = state(jingning)
    services.indicator_set(actor=jingning_admin, organisation=jingning, year=2015, kind=IC, value="86.50")
    assert state(jingning) == before


@pytest.mark.parametrize(
    ("year", "value", "field", "message"),
    [
        (1999, "80", "year", f"The year must be from 2000 to {NEXT_YEAR}."),
        (NEXT_YEAR + 1, "80", "year", f"The year must be from 2000 to {NEXT_YEAR}."),
        ("二〇一五", "80", "year", "The year must be a whole number such as 2016."),
        (2015, "100.01", "value", "The value must be between 0 and 100 (%)."),
        (2015, "-0.01", "value", "The value must be between 0 and 100 (%)."),
        (2015, "90.555", "value", "The value may have at most two decimals."),
        (2015, "abc", "value", "The value must be a percentage such as 90.5."),
        (2015, "", "value", "The value must be a percentage such as 90.5."),
        (2015, "NaN", "value", "The value must be a percentage such as 90.5."),
    ],
)
def test_set_refuses_bad_input_naming_the_field(jingning, jingning_admin, year, value, field, message):
    before = state(jingning)
    with pytest.raises(ApplicationError) as refused:
        services.indicator_set(actor=jingning_admin, organisation=jingning, year=year, kind=IC, value=value)
    assert (refused.value.field, refused.value.message) == (field, message)
    assert state(jingning) == before


@pytest.mark.parametrize(("year", "value"), [(2000, "0"), (NEXT_YEAR, "100"), (2015, "90.5 %"), (2016, "89．25")])
def test_set_accepts_the_edges(jingning, jingning_admin, year, value):
    stored = services.indicator_set(actor=jingning_admin, organisation=jingning, year=year, kind=RO, value=value)
    assert stored.value == Decimal(value.replace("%", "").replace("．", ".").strip()).quantize(Decimal("0.01"))


def test_set_refuses_unknown_indicator_and_long_note(jingning, jingning_admin):
    with pytest.raises(ApplicationError) as unknown:
        services.indicator_set(actor=jingning_admin, organisation=jingning, year=2015, kind="beds", value="1")
    assert (unknown.value.field, unknown.value.message) == ("kind", "Unknown indicator: beds.")
    with pytest.raises(ApplicationError) as long_note:
        services.indicator_set(
            actor=jingning_admin, organisation=jingning, year=2015, kind=IC, value="1", note="注" * 201
        )
    assert long_note.value.field == "note"
    assert IndicatorValue.objects.filter(organisation=jingning).count() == 0


@pytest.mark.parametrize(
    "label",
    ["applicant", "unrelated_unit_admin", "supporting_unit_admin", "wenzhou_commission", "fujian_commission"],
)
def test_set_refused_without_permission_changes_nothing(jingning, label):
    put_values(jingning, {(2015, IC): "80"})
    before = state(jingning)
    with pytest.raises(PermissionDenied):
        services.indicator_set(actor=role_user(label), organisation=jingning, year=2015, kind=IC, value="95")
    assert state(jingning) == before


def test_delete_removes_with_an_audit_row(jingning, jingning_admin):
    value = services.indicator_set(actor=jingning_admin, organisation=jingning, year=2015, kind=IC, value="80")
    pk = value.pk
    services.indicator_delete(actor=jingning_admin, indicator=value)
    assert IndicatorValue.objects.filter(pk=pk).exists() is False
    event = AuditEvent.objects.get(action="indicator.delete")
    assert (event.object_id, event.from_state, event.to_state, event.data["year"]) == (str(pk), "80.00", "", 2015)


def test_delete_refused_for_a_supporting_admin(jingning):
    put_values(jingning, {(2015, IC): "80"})
    before = state(jingning)
    with pytest.raises(PermissionDenied):
        services.indicator_delete(actor=role_user("supporting_unit_admin"), indicator=IndicatorValue.objects.get())
    assert state(jingning) == before


def test_table_saves_sets_updates_and_removes_at_once(jingning, jingning_admin):
    put_values(jingning, {(2015, IC): "80", (2015, RO): "12", (2016, IC): "81"})
    stored = services.indicators_save_table(
        actor=jingning_admin,
        organisation=jingning,
        rows=[
            {"year": 2015, "kind": IC, "value": "80", "note": ""},  # unchanged
            {"year": 2015, "kind": RO, "value": "", "note": ""},  # removed
            {"year": 2016, "kind": IC, "value": "83.5", "note": "年报"},  # updated
            {"year": "2017", "kind": RO, "value": "9.75", "note": ""},  # new
        ],
    )
    assert [(v.year, v.kind, v.value, v.note) for v in stored] == [
        (2015, IC, Decimal("80.00"), ""),
        (2016, IC, Decimal("83.50"), "年报"),
        (2017, RO, Decimal("9.75"), ""),
    ]
    assert list(AuditEvent.objects.order_by("id").values_list("action", "from_state", "to_state")) == [
        ("indicator.delete", "12.00", ""),
        ("indicator.set", "81.00", "83.50"),
        ("indicator.set", "", "9.75"),
    ]


def test_table_is_all_or_nothing_and_names_every_bad_cell(jingning, jingning_admin):
    put_values(jingning, {(2015, IC): "80"})
    before = state(jingning)
    rows = [
        {"year": 2015, "kind": IC, "value": "85", "note": ""},  # good, but not saved
        {"year": 2016, "kind": IC, "value": "120", "note": ""},
        {"year": 2016, "kind": RO, "value": "x", "note": ""},
        {"year": 1990, "kind": RO, "value": "5", "note": ""},
        {"year": 2015, "kind": IC, "value": "86", "note": ""},  # twice
    ]
    with pytest.raises(ApplicationError) as refused:
        services.indicators_save_table(actor=jingning_admin, organisation=jingning, rows=rows)
    errors = refused.value.extra["errors"]
    assert [(e["index"], e["year"], e["kind"], e["field"]) for e in errors] == [
        (1, 2016, IC, "value"),
        (2, 2016, RO, "value"),
        (3, None, RO, "year"),
        (4, 2015, IC, "year"),
    ]
    assert [services.cell_message(services.CellError(**e)) for e in errors] == [
        "2016 · In-county visit rate: The value must be between 0 and 100 (%).",
        "2016 · Referral-out rate: The value must be a percentage such as 90.5.",
        f"Referral-out rate: The year must be from 2000 to {NEXT_YEAR}.",
        "2015 · In-county visit rate: This year's indicator is given twice.",
    ]
    assert refused.value.field == "rows"
    assert refused.value.message == (
        "Nothing was saved: 4 cell(s) need correcting. "
        "2016 · In-county visit rate: The value must be between 0 and 100 (%)."
    )
    assert state(jingning) == before


def test_table_refused_for_a_supporting_admin(jingning):
    put_values(jingning, {(2015, IC): "80"})
    before = state(jingning)
    with pytest.raises(PermissionDenied):
        services.indicators_save_table(
            actor=role_user("city_supporting_unit_admin"),
            organisation=jingning,
            rows=[{"year": 2015, "kind": IC, "value": "99"}],
        )
    assert state(jingning) == before
