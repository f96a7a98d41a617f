"""The seed programmes MedTalent ships, one YAML file per programme in `data/programmes/`.

A file holds the programme (owner, type, texts, cost, duration, countries, partners), the specialties it
accepts, its quotas, eligibility rules, talent categories (with their own rules) and rounds with offerings.
Offerings listed at programme level are offered in every round; a round may list its own instead.
`specialties: from_departments` accepts the specialties of the host departments the offerings name.

Idempotent: every row is matched by a natural key (codes; a rule by its owner, kind and blocking flag, a rule
group also by its position and a rule inside a group by its group and position (see `_load_rules`); an
offering by round, host, department, specialty and track), created when missing, updated when it differs;
nothing is deleted. References are resolved by code (organisation, specialty, department, country) and a
reference the shipped data cannot resolve stops the load with an error naming the programme.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from medtalent.catalog.enums import (
    GROUP_KINDS,
    DurationUnit,
    ProgrammeStatus,
    ProgrammeType,
    QuotaUnused,
    RuleKind,
    Track,
)
from medtalent.catalog.models import Category, EligibilityRule, Offering, Programme, ProgrammeSpecialty, Quota, Round
from medtalent.codes.models import Code, Specialty
from medtalent.core.seeding import SeedDataError, SeedReport, read_yaml, sync_m2m, upsert
from medtalent.orgs.models import Department, Organisation, Tag
from medtalent.workdays.enums import DeadlineUnit

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
        "equivalent_level_allowed": bool(data.get("equivalent_level_allowed", False)),
        **_duration(where, data),
    }
    for name in ("summary", "training_mode", "cost_covers", "notes"):
        values[f"{name}_zh"] = _text(data, f"{name}_zh")
        values[f"{name}_en"] = _text(data, f"{name}_en")
    programme = upsert(Programme, lookup={"code": data["code"]}, values=values, report=report)
    sync_m2m(programme, "countries", [refs.country(where, c) for c in data.get("countries") or []], report)
    sync_m2m(programme, "partners", [refs.organisation(where, c) for c in data.get("partners") or []], report)
    _load_sending(data.get("sending") or {}, programme, refs, report, where=where)

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

    for position, entry in enumerate(data.get("quotas") or [], start=1):
        _load_quota(entry, programme, None, refs, report, where=f"{where}, quota {position}", position=position)
    for (round_, _), entry in zip(rounds, data.get("rounds") or [], strict=True):
        for position, quota in enumerate(entry.get("quotas") or [], start=1):
            quota_where = f"{where}, round {round_.code}, quota {position}"
            _load_quota(quota, programme, round_, refs, report, where=quota_where, position=position)

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


def _load_sending(entry: dict, programme: Programme, refs: _Refs, report: SeedReport, *, where: str) -> None:
    """Which units may send applicants: `sending: {regions: ["330300"], tags: [...], units: [...]}`; none: any."""
    unknown = set(entry) - {"regions", "tags", "units"}
    if unknown:
        raise SeedDataError(f"{where}: sending: unknown keys {sorted(unknown)}")
    region_codes = [str(c) for c in entry.get("regions") or []]
    regions = {c.code: c for c in Code.objects.filter(table__slug="region", code__in=region_codes)}
    tag_codes = list(entry.get("tags") or [])
    tags = {t.code: t for t in Tag.objects.filter(code__in=tag_codes)}
    for value, known, what in ((region_codes, regions, "region"), (tag_codes, tags, "tag")):
        missing = [c for c in value if c not in known]
        if missing:
            raise SeedDataError(f"{where}: sending: unknown {what} codes {missing}")
    sync_m2m(programme, "sending_regions", [regions[c] for c in region_codes], report)
    sync_m2m(programme, "sending_tags", [tags[c] for c in tag_codes], report)
    sync_m2m(programme, "sending_units", [refs.organisation(where, c) for c in entry.get("units") or []], report)


def _load_rules(
    entries: list[dict], owner: dict[str, Any], report: SeedReport, *, where: str, parent: EligibilityRule | None = None
) -> None:
    """An owner's rules (`parent`: inside that group). A group (kind all_of, any_of or not) lists its rules under
    `rules:`. A top-level rule is matched by its kind and blocking flag (one of each per owner), a top-level group
    also by its position (an owner may have several), a rule inside a group by its group and position."""
    seen: set[tuple[str, bool]] = set()
    for position, entry in enumerate(entries, start=1):
        kind = _choice(where, "rule kind", entry["kind"], RuleKind)
        blocking = bool(entry.get("blocking", True))
        group = kind in GROUP_KINDS
        children = entry.get("rules") or []
        if children and not group:
            raise SeedDataError(f"{where}: a {kind} rule cannot hold rules (only all_of, any_of and not can)")
        values = {
            "params": entry.get("params") or {},
            "text_zh": _text(entry, "text_zh"),
            "text_en": _text(entry, "text_en"),
            "sort": position * 10,
        }
        if parent is not None:
            lookup = {**owner, "parent": parent, "sort": position * 10}
            values = {**values, "kind": kind, "is_blocking": blocking}
        elif group:
            lookup = {**owner, "parent": None, "kind": kind, "is_blocking": blocking, "sort": position * 10}
        else:
            if (kind, blocking) in seen:
                label = "blocking" if blocking else "non-blocking"
                raise SeedDataError(f"{where}: two {label} {kind} rules for one owner")
            seen.add((kind, blocking))
            lookup = {**owner, "parent": None, "kind": kind, "is_blocking": blocking}
        values = {k: v for k, v in values.items() if k not in lookup}
        rule = upsert(EligibilityRule, lookup=lookup, values=values, report=report)
        if group:
            _load_rules(children, owner, report, where=f"{where}, {kind} rule {position}", parent=rule)


# A deadline's unit as the seed files write it (`unit: month`, like a duration) or as DeadlineUnit names it.
DEADLINE_UNITS = {"day": DeadlineUnit.DAYS, "week": DeadlineUnit.WEEKS, "month": DeadlineUnit.MONTHS}


def _deadline(where: str, field: str, entry: dict, default_unit: str) -> tuple[int | None, str]:
    """`{value: 1, unit: month}` → (1, "months"); units day/week/month or those of `DeadlineUnit`."""
    unit = entry.get("unit", default_unit)
    unit = DEADLINE_UNITS.get(unit, unit)
    if unit not in DeadlineUnit.values:
        known = [*DEADLINE_UNITS, *DeadlineUnit.values]
        raise SeedDataError(f"{where}: {field} unit {unit!r} is not one of {known}")
    value = entry.get("value")
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
        raise SeedDataError(f"{where}: {field} value {value!r} is not a whole number of at least 1")
    return value, str(unit)


def _load_category(entry: dict, programme: Programme, position: int, report: SeedReport, *, where: str) -> Category:
    where = f"{where}, category {entry['code']}"
    report_due = entry.get("report_due") or {}
    report_due_value, report_due_unit = _deadline(where, "report_due", report_due, DeadlineUnit.MONTHS)
    roll = report_due.get("roll", False)
    if not isinstance(roll, bool):
        raise SeedDataError(f"{where}: report_due roll {roll!r} is not true or false")
    progress_every = entry.get("progress_every") or {}
    progress_value, progress_unit = _deadline(where, "progress_every", progress_every, DeadlineUnit.WEEKS)
    values = {
        "programme_id": programme.pk,
        "name_zh": entry["name_zh"],
        "name_en": entry.get("name_en", ""),
        "report_due_value": report_due_value,
        "report_due_unit": report_due_unit,
        "report_due_roll": roll,
        "progress_every_value": progress_value,
        "progress_every_unit": progress_unit,
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


def _load_quota(
    entry: dict,
    programme: Programme,
    round_: Round | None,
    refs: _Refs,
    report: SeedReport,
    *,
    where: str,
    position: int = 1,
    parent: Quota | None = None,
) -> Quota:
    """A quota: `max` (and `min`, `approximate`, notes), who it counts (`track`, `category` code, `host`,
    `sending_unit` organisation codes, `sending_region` region code, `tag` code) and its reserved places, as quotas
    listed under `children` (`unused: return | lapse` on each). Matched by its programme, round, parent and what
    it counts, so the seeds' quotas stay the rows they were."""
    counts: dict[str, Any] = {
        "track": _choice(where, "track", entry.get("track", Track.ANY), Track),
        "category": None,
        "host": refs.organisation(where, entry["host"]) if entry.get("host") else None,
        "sending_unit": refs.organisation(where, entry["sending_unit"]) if entry.get("sending_unit") else None,
        "sending_region": None,
        "tag": None,
    }
    if entry.get("category"):
        counts["category"] = Category.objects.filter(programme=programme, code=entry["category"]).first()
        if counts["category"] is None:
            raise SeedDataError(f"{where}: the programme has no category {entry['category']!r}")
    if entry.get("sending_region"):
        counts["sending_region"] = Code.objects.filter(table__slug="region", code=str(entry["sending_region"])).first()
        if counts["sending_region"] is None:
            raise SeedDataError(f"{where}: sending_region {entry['sending_region']!r} is not in the region table")
    if entry.get("tag"):
        counts["tag"] = Tag.objects.filter(code=entry["tag"]).first()
        if counts["tag"] is None:
            raise SeedDataError(f"{where}: unknown tag {entry['tag']!r}")
    minimum, maximum = entry.get("min"), entry["max"]
    if minimum is not None and minimum > maximum:
        raise SeedDataError(f"{where}: min {minimum} is larger than max {maximum}")
    quota = upsert(
        Quota,
        lookup={"programme": programme, "round": round_, "parent": parent, **counts},
        values={
            "minimum": minimum,
            "maximum": maximum,
            "approximate": bool(entry.get("approximate", True)),
            "unused": _choice(where, "unused", entry.get("unused", QuotaUnused.RETURN), QuotaUnused),
            "note_zh": _text(entry, "note_zh"),
            "note_en": _text(entry, "note_en"),
            "sort": entry.get("sort", position * 10),
        },
        report=report,
    )
    children = entry.get("children") or []
    if sum(child["max"] for child in children) > maximum:
        raise SeedDataError(f"{where}: the reserved places add up to more than {maximum}")
    for number, child in enumerate(children, start=1):
        _load_quota(child, programme, round_, refs, report, where=f"{where}.{number}", position=number, parent=quota)
    return quota
