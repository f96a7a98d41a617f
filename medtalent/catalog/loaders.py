"""The seed programmes MedTalent ships, one YAML file per programme in `data/programmes/`.

A file holds the programme (owner, type, texts, cost, duration, countries, partners), the specialties it
accepts, its quotas, eligibility rules, talent categories (with their own rules) and rounds with offerings.
Offerings listed at programme level are offered in every round; a round may list its own instead.
`specialties: from_departments` accepts the specialties of the host departments the offerings name.

Idempotent: every row is matched by a natural key (codes; a rule by its owner, kind and blocking flag; an
offering by round, host, department, specialty and track), created when missing, updated when it differs;
nothing is deleted. References are resolved by code (organisation, specialty, department, country) and a
reference the shipped data cannot resolve stops the load with an error naming the programme.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from medtalent.catalog.enums import DurationUnit, ProgrammeStatus, ProgrammeType, RuleKind, Track
from medtalent.catalog.models import Category, EligibilityRule, Offering, Programme, ProgrammeSpecialty, Quota, Round
from medtalent.codes.models import Code, Specialty
from medtalent.core.seeding import SeedDataError, SeedReport, read_yaml, sync_m2m, upsert
from medtalent.orgs.models import Department, Organisation

DATA_DIR = Path(__file__).resolve().parent / "data" / "programmes"
FROM_DEPARTMENTS = "from_departments"


class _Refs:
    """Everything the programme files may point at, fetched once, looked up by code with clear errors."""

    def __init__(self) -> None:
        self.organisations = {o.code: o for o in Organisation.objects.all()}
        self.specialties = {s.code: s for s in Specialty.objects.all()}
        self.countries = {c.code: c for c in Code.objects.filter(table__slug="country")}
        self.departments = {(d.organisation_id, d.code): d for d in Department.objects.all()}
        self.department_specialties: dict[int, list[Specialty]] = {}
        through = Department.specialties.through.objects.select_related("specialty")
        for link in through.order_by("specialty__sort", "specialty__code"):
            self.department_specialties.setdefault(link.department_id, []).append(link.specialty)

    def organisation(self, where: str, code: str) -> Organisation:
        try:
            return self.organisations[code]
        except KeyError:
            raise SeedDataError(f"{where}: unknown organisation {code!r}") from None

    def specialty(self, where: str, code: str) -> Specialty:
        try:
            return self.specialties[code]
        except KeyError:
            raise SeedDataError(f"{where}: unknown specialty {code!r}") from None

    def country(self, where: str, code: str) -> Code:
        try:
            return self.countries[code]
        except KeyError:
            raise SeedDataError(f"{where}: country {code!r} is not in the country table") from None

    def department(self, where: str, host: Organisation | None, code: str) -> Department:
        if host is None:
            raise SeedDataError(f"{where}: department {code!r} needs a host")
        try:
            return self.departments[(host.pk, code)]
        except KeyError:
            raise SeedDataError(f"{where}: {host.code} has no department {code!r}") from None


def _choice(where: str, field: str, value: Any, choices) -> str:
    if value not in choices.values:
        raise SeedDataError(f"{where}: {field} {value!r} is not one of {list(choices.values)}")
    return value


def _text(entry: dict, name: str) -> str:
    return str(entry.get(name) or "").strip()


def _duration(where: str, entry: dict) -> dict[str, Any]:
    duration = entry.get("duration") or {}
    unit = duration.get("unit", DurationUnit.MONTH)
    return {
        "duration_min": duration.get("min"),
        "duration_max": duration.get("max"),
        "duration_unit": _choice(where, "duration unit", unit, DurationUnit),
    }


def load_programmes(report: SeedReport, data_dir: Path = DATA_DIR) -> list[Programme]:
    """Load every `*.yaml` in `data_dir`, in file-name order; returns the programmes."""
    refs = _Refs()
    programmes = []
    seen: dict[str, str] = {}
    for path in sorted(data_dir.glob("*.yaml")):
        data = read_yaml(path)
        code = data["code"]
        if code in seen:
            raise SeedDataError(f"programme {code} is defined in both {seen[code]} and {path.name}")
        seen[code] = path.name
        programmes.append(_load_programme(data, refs, report, where=f"programme {code} ({path.name})"))
    return programmes


def _load_programme(data: dict, refs: _Refs, report: SeedReport, *, where: str) -> Programme:
    cost = data.get("cost") or {}
    values = {
        "name_zh": data["name_zh"],
        "name_en": data.get("name_en", ""),
        "owner_id": refs.organisation(where, data["owner"]).pk,
        "programme_type": _choice(where, "programme_type", data["programme_type"], ProgrammeType),
        "status": _choice(where, "status", data.get("status", ProgrammeStatus.DRAFT), ProgrammeStatus),
        "cost_min": cost.get("min"),
        "cost_max": cost.get("max"),
        "since_year": data.get("since_year"),
        "source_document": data.get("source_document", ""),
        "sort": data.get("sort", 0),
        **_duration(where, data),
    }
    for name in ("summary", "training_mode", "cost_covers", "notes"):
        values[f"{name}_zh"] = _text(data, f"{name}_zh")
        values[f"{name}_en"] = _text(data, f"{name}_en")
    programme = upsert(Programme, lookup={"code": data["code"]}, values=values, report=report)
    sync_m2m(programme, "countries", [refs.country(where, c) for c in data.get("countries") or []], report)
    sync_m2m(programme, "partners", [refs.organisation(where, c) for c in data.get("partners") or []], report)

    _load_rules(data.get("rules") or [], {"programme": programme}, report, where=where)
    for position, entry in enumerate(data.get("categories") or [], start=1):
        _load_category(entry, programme, position, report, where=where)

    rounds = []
    for entry in data.get("rounds") or []:
        round_ = _load_round(entry, programme, report, where=where)
        offerings = entry.get("offerings", data.get("offerings") or [])
        rounds.append(
            (round_, [_load_offering(o, round_, p, refs, report, where=where) for p, o in enumerate(offerings, 1)])
        )

    for entry in data.get("quotas") or []:
        _load_quota(entry, programme, None, report, where=where)
    for (round_, _), entry in zip(rounds, data.get("rounds") or [], strict=True):
        for quota in entry.get("quotas") or []:
            _load_quota(quota, programme, round_, report, where=where)

    specialties = data.get("specialties") or []
    if specialties == FROM_DEPARTMENTS:
        specialties = _department_specialties(rounds, refs, where=where)
    seen_labels: set[tuple[str, str]] = set()
    for position, entry in enumerate(specialties, start=1):
        specialty = refs.specialty(where, entry["specialty"])
        label_zh = entry.get("label_zh", specialty.name_zh)
        if (specialty.code, label_zh) in seen_labels:
            raise SeedDataError(f"{where}: specialty {specialty.code} with label {label_zh!r} is listed twice")
        seen_labels.add((specialty.code, label_zh))
        upsert(
            ProgrammeSpecialty,
            lookup={"programme": programme, "specialty": specialty, "label_zh": label_zh},
            values={
                "label_en": entry.get("label_en", specialty.name_en),
                "scope_note_zh": _text(entry, "scope_note_zh"),
                "scope_note_en": _text(entry, "scope_note_en"),
                "sort": position * 10,
            },
            report=report,
        )
    return programme


def _department_specialties(rounds, refs: _Refs, *, where: str) -> list[dict]:
    """The specialties of the departments the offerings name, in offering order, each once.

    Within a department the offering's own specialty comes first, then the others in taxonomy order.
    """
    codes: list[str] = []
    for _, offerings in rounds:
        for offering in offerings:
            if offering.department_id is None:
                continue
            linked = refs.department_specialties.get(offering.department_id, [])
            linked = sorted(linked, key=lambda s: s.pk != offering.specialty_id)  # stable: keeps taxonomy order
            for specialty in linked:
                if specialty.code not in codes:
                    codes.append(specialty.code)
    if not codes:
        raise SeedDataError(
            f"{where}: specialties {FROM_DEPARTMENTS}, but no offering names a department with specialties"
        )
    return [{"specialty": code} for code in codes]


def _load_rules(entries: list[dict], owner: dict[str, Any], report: SeedReport, *, where: str) -> None:
    seen: set[tuple[str, bool]] = set()
    for position, entry in enumerate(entries, start=1):
        kind = _choice(where, "rule kind", entry["kind"], RuleKind)
        blocking = bool(entry.get("blocking", True))
        if (kind, blocking) in seen:
            raise SeedDataError(f"{where}: two {'blocking' if blocking else 'non-blocking'} {kind} rules for one owner")
        seen.add((kind, blocking))
        upsert(
            EligibilityRule,
            lookup={**owner, "kind": kind, "is_blocking": blocking},
            values={
                "params": entry.get("params") or {},
                "text_zh": _text(entry, "text_zh"),
                "text_en": _text(entry, "text_en"),
                "sort": position * 10,
            },
            report=report,
        )


def _load_category(entry: dict, programme: Programme, position: int, report: SeedReport, *, where: str) -> Category:
    where = f"{where}, category {entry['code']}"
    report_due = entry.get("report_due") or {}
    values = {
        "programme_id": programme.pk,
        "name_zh": entry["name_zh"],
        "name_en": entry.get("name_en", ""),
        "report_due_value": report_due.get("value"),
        "report_due_unit": _choice(where, "report due unit", report_due.get("unit", DurationUnit.MONTH), DurationUnit),
        "sort": position * 10,
        **_duration(where, entry),
    }
    for name in ("target", "content", "requirements", "evaluation_focus"):
        values[f"{name}_zh"] = _text(entry, f"{name}_zh")
        values[f"{name}_en"] = _text(entry, f"{name}_en")
    category = upsert(Category, lookup={"code": entry["code"]}, values=values, report=report)
    if category.programme_id != programme.pk:
        raise SeedDataError(f"{where}: the category code is already used by another programme")
    _load_rules(entry.get("rules") or [], {"category": category}, report, where=where)
    return category


def _load_round(entry: dict, programme: Programme, report: SeedReport, *, where: str) -> Round:
    values = {
        "programme_id": programme.pk,
        "name_zh": entry["name_zh"],
        "name_en": entry.get("name_en", ""),
        "year": entry.get("year"),
        "batch": entry.get("batch"),
        "application_opens": entry.get("application_opens"),
        "application_closes": entry.get("application_closes"),
        "starts_on": entry.get("starts_on"),
        "ends_on": entry.get("ends_on"),
        "period_note_zh": _text(entry, "period_note_zh"),
        "period_note_en": _text(entry, "period_note_en"),
    }
    return upsert(Round, lookup={"code": entry["code"]}, values=values, report=report)


def _load_offering(
    entry: dict, round_: Round, position: int, refs: _Refs, report: SeedReport, *, where: str
) -> Offering:
    where = f"{where}, round {round_.code}, offering {position}"
    host = refs.organisation(where, entry["host"]) if entry.get("host") else None
    department = refs.department(where, host, entry["department"]) if entry.get("department") else None
    specialty = refs.specialty(where, entry["specialty"]) if entry.get("specialty") else None
    return upsert(
        Offering,
        lookup={
            "round": round_,
            "host": host,
            "department": department,
            "specialty": specialty,
            "track": _choice(where, "track", entry.get("track", Track.DOCTOR), Track),
        },
        values={
            "capacity": entry.get("capacity"),
            "requirements_zh": _text(entry, "requirements_zh"),
            "requirements_en": _text(entry, "requirements_en"),
            "sort": position * 10,
        },
        report=report,
    )


def _load_quota(entry: dict, programme: Programme, round_: Round | None, report: SeedReport, *, where: str) -> Quota:
    return upsert(
        Quota,
        lookup={
            "programme": programme,
            "round": round_,
            "track": _choice(where, "track", entry.get("track", Track.ANY), Track),
        },
        values={
            "minimum": entry.get("min"),
            "maximum": entry["max"],
            "approximate": bool(entry.get("approximate", True)),
            "note_zh": _text(entry, "note_zh"),
            "note_en": _text(entry, "note_en"),
        },
        report=report,
    )
