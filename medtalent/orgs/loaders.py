"""The organisations MedTalent ships (`data/organisations.yaml`) and host departments (`data/departments_*.yaml`).

Idempotent: organisations are matched by `code`, aliases by organisation and name, departments by
organisation and code; rows are created when missing and updated when they differ, nothing is deleted.
A reference the shipped data cannot resolve (region, country, parent, specialty) stops the load with an
error naming the organisation: the data file is wrong then.
"""

from __future__ import annotations

from pathlib import Path

from medtalent.codes.models import Code, Specialty
from medtalent.core.seeding import SeedDataError, SeedReport, read_yaml, sync_m2m, upsert, upsert_known
from medtalent.orgs.enums import AliasKind, HospitalLevel, HospitalType, OrganisationKind
from medtalent.orgs.models import Department, Organisation, OrganisationAlias

DATA_DIR = Path(__file__).resolve().parent / "data"
ORGANISATIONS_FILE = DATA_DIR / "organisations.yaml"
DEPARTMENT_FILES = "departments_*.yaml"

TEXT_FIELDS = ("name_zh", "name_en", "name_local", "city", "website", "description_zh", "description_en")


def _codes(table: str, wanted: set[str]) -> dict[str, Code]:
    return {c.code: c for c in Code.objects.filter(table__slug=table, code__in=wanted)}


def _check_choice(owner: str, field: str, value: str, choices) -> None:
    if value and value not in choices.values:
        raise SeedDataError(f"{owner}: {field} {value!r} is not one of {list(choices.values)}")


def load_organisation_entries(entries: list[dict], report: SeedReport) -> dict[str, Organisation]:
    """Organisations (with their aliases) from data-file entries, for every loader that ships some.

    A parent is one listed earlier or one already in the database (shipped by another loader). Returns the
    entries' organisations by code; a reference the data cannot resolve raises SeedDataError."""
    regions = _codes("region", {str(e["region"]) for e in entries if e.get("region")})
    countries = _codes("country", {str(e["country"]) for e in entries if e.get("country")})
    parents_known = {
        o.code: o for o in Organisation.objects.filter(code__in={e["parent"] for e in entries if e.get("parent")})
    }
    existing_aliases = {
        (a.organisation_id, a.name): a
        for a in OrganisationAlias.objects.filter(organisation__code__in=[e["code"] for e in entries])
    }
    by_code: dict[str, Organisation] = {}
    for entry in entries:
        code = entry["code"]
        owner = f"organisation {code}"
        if code in by_code:
            raise SeedDataError(f"{owner} is listed twice")
        _check_choice(owner, "kind", entry.get("kind", ""), OrganisationKind)
        _check_choice(owner, "level", str(entry.get("level") or ""), HospitalLevel)
        _check_choice(owner, "hospital_type", entry.get("hospital_type") or "", HospitalType)
        region, country, parent = entry.get("region"), entry.get("country"), entry.get("parent")
        if region and str(region) not in regions:
            raise SeedDataError(f"{owner} ({entry['name_zh']}): region {region} is not in the region table")
        if country and str(country) not in countries:
            raise SeedDataError(f"{owner} ({entry['name_zh']}): country {country} is not in the country table")
        parent_org = (by_code.get(parent) or parents_known.get(parent)) if parent else None
        if parent and parent_org is None:
            raise SeedDataError(f"{owner}: parent {parent!r} is unknown or listed after it")
        values = {name: str(entry.get(name) or "").strip() for name in TEXT_FIELDS}
        values.update(
            kind=entry["kind"],
            level=str(entry.get("level") or ""),
            hospital_type=entry.get("hospital_type") or "",
            region_id=regions[str(region)].pk if region else None,
            country_id=countries[str(country)].pk if country else None,
            parent_id=parent_org.pk if parent_org else None,
        )
        organisation = upsert(Organisation, lookup={"code": code}, values=values, report=report)
        by_code[code] = organisation
        for alias in entry.get("aliases") or []:
            kind = alias.get("kind", AliasKind.HISTORICAL)
            _check_choice(owner, "alias kind", kind, AliasKind)
            upsert_known(
                OrganisationAlias,
                existing=existing_aliases,
                key=(organisation.pk, alias["name"]),
                create={"organisation": organisation, "name": alias["name"]},
                values={"kind": kind},
                report=report,
            )
    return by_code


def load_organisations(report: SeedReport, data_dir: Path = DATA_DIR) -> dict[str, Organisation]:
    """Load organisations, their aliases and departments; returns the organisations by code."""
    by_code = load_organisation_entries(read_yaml(data_dir / ORGANISATIONS_FILE.name) or [], report)
    for path in sorted(data_dir.glob(DEPARTMENT_FILES)):
        _load_departments(read_yaml(path), by_code, report, source=path.name)
    return by_code


def _load_departments(data: dict, organisations: dict[str, Organisation], report: SeedReport, *, source: str) -> None:
    org_code = data["organisation"]
    organisation = organisations.get(org_code)
    if organisation is None:
        raise SeedDataError(f"{source}: organisation {org_code!r} is not in the organisations data")
    departments = data.get("departments") or []
    wanted = {code for d in departments for code in d.get("specialties") or []}
    specialties = {s.code: s for s in Specialty.objects.filter(code__in=wanted)}
    missing = sorted(wanted - set(specialties))
    if missing:
        raise SeedDataError(f"{source}: departments of {org_code} name unknown specialties {missing}")

    seen: set[str] = set()
    for position, entry in enumerate(departments, start=1):
        code = entry["code"]
        if code in seen:
            raise SeedDataError(f"{source}: department {code} is listed twice")
        seen.add(code)
        department = upsert(
            Department,
            lookup={"organisation": organisation, "code": code},
            values={
                "name_zh": entry["name_zh"],
                "name_en": entry.get("name_en", ""),
                "name_local": entry.get("name_local", ""),
                "supervisors": str(entry.get("supervisors") or "").strip(),
                "supervisors_en": str(entry.get("supervisors_en") or "").strip(),
                "expertise_zh": str(entry.get("expertise_zh") or "").strip(),
                "expertise_en": str(entry.get("expertise_en") or "").strip(),
                "sort": position * 10,
            },
            report=report,
        )
        sync_m2m(department, "specialties", [specialties[c] for c in entry.get("specialties") or []], report)
