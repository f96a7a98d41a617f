"""Writes for a hospital's yearly indicators: set one value, save the whole entry table, delete one value.

A value is a percentage from 0 to 100 with at most two decimals, for a year from 2000 to next year. Each
write checks `indicators.change_indicators` on the hospital and leaves an audit row with the old and the new
value (`indicator.set`, `indicator.delete`). The table is all-or-nothing: every bad cell is reported, with
its year and indicator, and nothing is written.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from medtalent.core.errors import ApplicationError, require_perm
from medtalent.core.services import audit_log
from medtalent.indicators.enums import IndicatorKind
from medtalent.indicators.models import IndicatorValue

FIRST_YEAR = 2000
NOTE_MAX = 200
HUNDRED = Decimal(100)


def last_year() -> int:
    return timezone.localdate().year + 1


@dataclass(frozen=True)
class CellError:
    """One bad cell of a table: its position in the rows, year, indicator, field and what is wrong."""

    index: int
    year: int | None
    kind: str
    field: str
    message: str

    def as_dict(self) -> dict:
        return {
            "index": self.index,
            "year": self.year,
            "kind": self.kind,
            "field": self.field,
            "message": self.message,
        }


def _kind_label(kind: str) -> str:
    return str(IndicatorKind(kind).label) if kind in IndicatorKind.values else str(kind)


def parse_year(value) -> int:
    """A year from 2000 to next year, else ApplicationError(field="year")."""
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        # Translators: 年份须为整数，如 2016
        raise ApplicationError(_("The year must be a whole number such as 2016."), field="year") from None
    if not FIRST_YEAR <= year <= last_year():
        # Translators: 年份须在 %(first)s 至 %(last)s 之间
        raise ApplicationError(
            _("The year must be from %(first)s to %(last)s.") % {"first": FIRST_YEAR, "last": last_year()},
            field="year",
        )
    return year


def parse_value(value) -> Decimal:
    """A percentage 0..100 with at most two decimals ("90.5", "90.5 %", 90.5), else ApplicationError."""
    if isinstance(value, bool):
        value = None
    text = str(value if value is not None else "").strip().replace("％", "%").replace("．", ".").rstrip("%").strip()
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite():
        # Translators: 数值须为百分数，如 90.5
        raise ApplicationError(_("The value must be a percentage such as 90.5."), field="value")
    if not Decimal(0) <= number <= HUNDRED:
        # Translators: 数值须在 0 至 100（%）之间
        raise ApplicationError(_("The value must be between 0 and 100 (%)."), field="value")
    if number != number.quantize(Decimal("0.01")):
        # Translators: 数值最多保留两位小数
        raise ApplicationError(_("The value may have at most two decimals."), field="value")
    return number.quantize(Decimal("0.01"))


def parse_kind(value) -> str:
    if value not in IndicatorKind.values:
        # Translators: 未知指标：%(kind)s
        raise ApplicationError(_("Unknown indicator: %(kind)s.") % {"kind": value}, field="kind")
    return value


def parse_note(value) -> str:
    note = str(value or "").strip()
    if len(note) > NOTE_MAX:
        # Translators: 备注最多 %(max)s 个字
        raise ApplicationError(_("The note may have at most %(max)s characters.") % {"max": NOTE_MAX}, field="note")
    return note


def _check_change(actor, organisation) -> None:
    # Translators: 您无权录入该医院的指标
    require_perm(
        actor, "indicators.change_indicators", organisation, _("You may not enter this hospital's indicators.")
    )


def _fmt(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _write(*, actor, organisation, year: int, kind: str, value: Decimal, note: str) -> IndicatorValue:
    """Create or update one value (already checked), with its audit row; unchanged values are left alone."""
    current = (
        IndicatorValue.objects.select_for_update(of=("self",))
        .filter(organisation=organisation, year=year, kind=kind)
        .first()
    )
    old = current.value if current else None
    if current is not None and current.value == value and current.note == note:
        return current
    if current is None:
        current = IndicatorValue.objects.create(
            organisation=organisation, year=year, kind=kind, value=value, note=note, entered_by=actor
        )
    else:
        current.value, current.note, current.entered_by = value, note, actor
        current.save(update_fields=["value", "note", "entered_by", "updated_at"])
    audit_log(
        actor=actor,
        action="indicator.set",
        obj=current,
        from_state=_fmt(old),
        to_state=_fmt(value),
        note=note,
        data={"organisation": organisation.code, "year": year, "kind": kind, "old": _fmt(old), "new": _fmt(value)},
    )
    return current


def _remove(*, actor, indicator: IndicatorValue) -> None:
    audit_log(
        actor=actor,
        action="indicator.delete",
        obj=indicator,
        from_state=_fmt(indicator.value),
        to_state="",
        data={
            "organisation": indicator.organisation.code,
            "year": indicator.year,
            "kind": indicator.kind,
            "old": _fmt(indicator.value),
            "new": "",
        },
    )
    indicator.delete()


@transaction.atomic
def indicator_set(*, actor, organisation, year: int, kind: str, value, note: str = "") -> IndicatorValue:
    """Create or update the hospital's value of `kind` for `year` (audited with the old and new value)."""
    _check_change(actor, organisation)
    year, kind = parse_year(year), parse_kind(kind)
    value, note = parse_value(value), parse_note(note)
    return _write(actor=actor, organisation=organisation, year=year, kind=kind, value=value, note=note)


@transaction.atomic
def indicator_delete(*, actor, indicator: IndicatorValue) -> None:
    """Remove one value (audited with the value it had)."""
    _check_change(actor, indicator.organisation)
    locked = IndicatorValue.objects.select_for_update(of=("self",)).filter(pk=indicator.pk).first()
    if locked is None:
        return
    locked.organisation = indicator.organisation
    _remove(actor=actor, indicator=locked)


def _row_problems(index: int, row: dict, seen: set) -> tuple[dict | None, list[CellError]]:
    """One row checked: the cleaned row (value None = remove) or its problems, each naming year and indicator."""
    raw_year, raw_kind = row.get("year"), row.get("kind")
    problems: list[CellError] = []
    year = kind = None
    try:
        year = parse_year(raw_year)
    except ApplicationError as error:
        problems.append(CellError(index, None, str(raw_kind or ""), "year", error.message))
    try:
        kind = parse_kind(raw_kind)
    except ApplicationError as error:
        problems.append(CellError(index, year, str(raw_kind or ""), "kind", error.message))
    raw_value = row.get("value")
    value = None
    if raw_value is not None and str(raw_value).strip() != "":
        try:
            value = parse_value(raw_value)
        except ApplicationError as error:
            problems.append(CellError(index, year, kind or "", "value", error.message))
    try:
        note = parse_note(row.get("note", ""))
    except ApplicationError as error:
        note = ""
        problems.append(CellError(index, year, kind or "", "note", error.message))
    if year is not None and kind is not None:
        if (year, kind) in seen:
            # Translators: 该年份的该指标重复填写
            message = _("This year's indicator is given twice.")
            problems.append(CellError(index, year, kind, "year", message))
        seen.add((year, kind))
    if problems:
        return None, problems
    return {"year": year, "kind": kind, "value": value, "note": note}, []


def cell_message(error: CellError) -> str:
    """“2016 · In-county visit rate: …” — where the problem is, then what it is."""
    where = " · ".join(part for part in (str(error.year or ""), _kind_label(error.kind) if error.kind else "") if part)
    return f"{where}: {error.message}" if where else error.message


@transaction.atomic
def indicators_save_table(*, actor, organisation, rows: Iterable[dict]) -> list[IndicatorValue]:
    """Save several years at once: rows of {year, kind, value, note}; a value None or "" removes the cell.

    All or nothing: if any cell is wrong, ApplicationError(field="rows") whose `extra["errors"]` lists every
    bad cell (index, year, kind, field, message) and nothing is written. Returns the values now stored."""
    _check_change(actor, organisation)
    cleaned: list[dict] = []
    problems: list[CellError] = []
    seen: set[tuple[int, str]] = set()
    for index, row in enumerate(rows):
        good, bad = _row_problems(index, row, seen)
        problems += bad
        if good is not None:
            cleaned.append(good)
    if problems:
        # Translators: 有 %(count)s 处需要更正，未保存任何内容：%(first)s
        message = _("Nothing was saved: %(count)s cell(s) need correcting. %(first)s") % {
            "count": len(problems),
            "first": cell_message(problems[0]),
        }
        raise ApplicationError(message, field="rows", extra={"errors": [p.as_dict() for p in problems]})
    existing = {
        (v.year, v.kind): v
        for v in IndicatorValue.objects.select_for_update(of=("self",)).filter(
            organisation=organisation, year__in={r["year"] for r in cleaned}
        )
    }
    for row in cleaned:
        current = existing.get((row["year"], row["kind"]))
        if row["value"] is None:
            if current is not None:
                current.organisation = organisation
                _remove(actor=actor, indicator=current)
            continue
        _write(actor=actor, organisation=organisation, **row)
    return list(IndicatorValue.objects.filter(organisation=organisation).order_by("year", "kind"))
