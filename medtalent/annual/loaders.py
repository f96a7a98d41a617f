"""The pairing programme's key specialties and techniques per year and the evaluation's dimensions.

`data/annual.yaml` (seed document 003: the 2015 and 2016 key work, the seven contents of the annual
evaluation). Idempotent: a focus row is matched by programme, year and Chinese text, a dimension by programme
and code. A programme or specialty that is not loaded is named in `report.problems` (the row is skipped, or
loaded without its specialty); malformed data raises `SeedDataError`.
"""

from __future__ import annotations

from pathlib import Path

from medtalent.annual.enums import FOCUS_KINDS
from medtalent.annual.models import EvaluationDimension, YearFocus
from medtalent.catalog.models import Programme
from medtalent.codes.models import Specialty
from medtalent.core.seeding import SeedDataError, SeedReport, read_yaml, upsert

DATA_FILE = Path(__file__).resolve().parent / "data" / "annual.yaml"
FOCUS_KIND_VALUES = [k.value for k in FOCUS_KINDS]


def _text(entry: dict, key: str, where: str, *, required: bool = True) -> str:
    value = entry.get(key)
    if value is None or str(value).strip() == "":
        if required:
            raise SeedDataError(f"annual: {where}: `{key}` is missing")
        return ""
    return str(value).strip()


def _load_focus(programme: Programme, focus: dict, specialties: dict, report: SeedReport) -> None:
    if not isinstance(focus, dict):
        raise SeedDataError(f"annual: {programme.code}: `focus` must map years to lists")
    for year, entries in focus.items():
        if not isinstance(year, int) or not 1900 <= year <= 2100:
            raise SeedDataError(f"annual: {programme.code}: focus year {year!r} is not a year")
        seen: set[str] = set()
        for position, entry in enumerate(entries or [], start=1):
            where = f"{programme.code} {year} #{position}"
            if not isinstance(entry, dict):
                raise SeedDataError(f"annual: {where}: an entry must have kind, zh, en")
            kind = entry.get("kind")
            if kind not in FOCUS_KIND_VALUES:
                raise SeedDataError(f"annual: {where}: kind {kind!r} is not one of {FOCUS_KIND_VALUES}")
            text_zh = _text(entry, "zh", where)
            if text_zh in seen:
                raise SeedDataError(f"annual: {where}: {text_zh} is listed twice for {year}")
            seen.add(text_zh)
            specialty = None
            code = entry.get("specialty")
            if code:
                specialty = specialties.get(code)
                if specialty is None:
                    report.problems.append(f"annual: {where} ({text_zh}): specialty {code} is not loaded")
            upsert(
                YearFocus,
                lookup={"programme": programme, "year": year, "text_zh": text_zh},
                values={
                    "kind": kind,
                    "text_en": _text(entry, "en", where, required=False),
                    "specialty": specialty,
                    "sort": position * 10,
                },
                report=report,
            )


def _load_dimensions(programme: Programme, dimensions: list, report: SeedReport) -> None:
    if not isinstance(dimensions, list):
        raise SeedDataError(f"annual: {programme.code}: `dimensions` must be a list")
    seen: set[str] = set()
    for position, entry in enumerate(dimensions, start=1):
        where = f"{programme.code} dimension #{position}"
        if not isinstance(entry, dict):
            raise SeedDataError(f"annual: {where}: an entry must have code, zh, en, max_score")
        code = _text(entry, "code", where)
        if code in seen:
            raise SeedDataError(f"annual: {where}: code {code} is listed twice")
        seen.add(code)
        max_score = entry.get("max_score", 10)
        if not isinstance(max_score, int) or isinstance(max_score, bool) or not 1 <= max_score <= 1000:
            raise SeedDataError(f"annual: {where}: max_score {max_score!r} must be a whole number from 1 to 1000")
        upsert(
            EvaluationDimension,
            lookup={"programme": programme, "code": code},
            values={
                "name_zh": _text(entry, "zh", where),
                "name_en": _text(entry, "en", where, required=False),
                "max_score": max_score,
                "sort": position * 10,
            },
            report=report,
        )


def load_annual(report: SeedReport, data_file: Path = DATA_FILE) -> None:
    data = read_yaml(data_file) or {}
    programmes = data.get("programmes") or {}
    if not isinstance(programmes, dict):
        raise SeedDataError("annual: `programmes` must map programme codes to their yearly work")
    wanted = {
        entry.get("specialty")
        for spec in programmes.values()
        for entries in ((spec or {}).get("focus") or {}).values()
        for entry in entries or []
        if isinstance(entry, dict) and entry.get("specialty")
    }
    specialties = {s.code: s for s in Specialty.objects.filter(code__in=wanted)}
    for code, spec in programmes.items():
        programme = Programme.objects.filter(code=code).first()
        if programme is None:
            report.problems.append(f"annual: programme {code} is not loaded")
            continue
        spec = spec or {}
        _load_focus(programme, spec.get("focus") or {}, specialties, report)
        _load_dimensions(programme, spec.get("dimensions") or [], report)
