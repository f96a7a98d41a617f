"""The organisations MedTalent ships (`data/organisations.yaml`) and host departments (`data/departments_*.yaml`).

Idempotent: organisations are matched by `code`, aliases by organisation and name, departments by
organisation and code; rows are created when missing and updated when they differ, nothing is deleted.
A reference the shipped data cannot resolve (region, country, parent, specialty) stops the load with an
error naming the organisation: the data file is wrong then.
"""

from __future__ import annotations

from pathlib import Path

from medtalent.codes.models import Code, Specialty
from medtalent.core.seeding import SeedDataError, SeedReport, read_yaml, sync_m2m, upsert
from medtalent.orgs.enums import AliasKind, HospitalLevel, HospitalType, OrganisationKind
from medtalent.orgs.models import Department, Organisation, OrganisationAlias

DATA_DIR = Path(__file__).resolve().parent / "data"
ORGANISATIONS_FILE = DATA_DIR / "organisations.yaml"
DEPARTMENT_FILES = "departments_*.yaml"

TEXT_FIELDS = ("name_zh", "name_en", "name_local", "city", "website", "description_zh", "description_en")


def _codes(table: str, wanted: set[str]) -> dict[str, Code]:
    return {c.code: c for c in Code.objects.filter(table__slug=table, code__in=wanted)}


def _check_choice(org_code: str, field: str, value: str, choices) -> None:
    if value and value not in choices.values:
        raise SeedDataError(f"organisation {org_code}: {field} {value!r} is not one of {list(choices.values)}")


def load_organisations(report: SeedReport, data_dir: Path = DATA_DIR) -> dict[str, Organisation]:
    """Load organisations, their aliases and departments; returns the organisations by code."""
    entries = read_yaml(data_dir / ORGANISATIONS_FILE.name) or []
    regions = _codes("region", {str(e["region"]) for e in entries if e.get("region")})
    countries = _codes("country", {str(e["country"]) for e in entries if e.get("country")})
    existing_aliases = {(a.organisation_id, a.name): a for a in OrganisationAlias.objects.all()}

    by_code: dict[str, Organisation] = {}
    for entry in entries:
        code = entry["code"]
        if code in by_code:
            raise SeedDataError(f"organisation {code} is listed twice")
        _check_choice(code, "kind", entry["kind"], OrganisationKind)
        _check_choice(code, "level", entry.get("level", ""), HospitalLevel)
        _check_choice(code, "hospital_type", entry.get("hospital_type", ""), HospitalType)
        region_code, country_code, parent_code = entry.get("region"), entry.get("country"), entry.get("parent")
        if region_code and str(region_code) not in regions:
            raise SeedDataError(
                f"organisation {code} ({entry['name_zh']}): region {region_code} is not in the region table"
            )
        if country_code and str(country_code) not in countries:
            raise SeedDataError(
                f"organisation {code} ({entry['name_zh']}): country {country_code} is not in the country table"
            )
        if parent_code and parent_code not in by_code:
            raise SeedDataError(f"organisation {code}: parent {parent_code!r} is unknown or listed after it")

        values = {name: str(entry.get(name) or "").strip() for name in TEXT_FIELDS}
        values.update(
            kind=entry["kind"],
            level=str(entry.get("level") or ""),
            hospital_type=entry.get("hospital_type") or "",
            region_id=regions[str(region_code)].pk if region_code else None,
            country_id=countries[str(country_code)].pk if country_code else None,
            parent_id=by_code[parent_code].pk if parent_code else None,
        )
        organisation = upsert(Organisation, lookup={"code": code}, values=values, report=report)
        by_code[code] = organisation

        for alias in entry.get("aliases") or []:
            kind = alias.get("kind", AliasKind.HISTORICAL)
            if kind not in AliasKind.values:
                raise SeedDataError(f"organisation {code}: alias kind {kind!r} is not one of {list(AliasKind.values)}")
            current = existing_aliases.get((organisation.pk, alias["name"]))
            if current is None:
                OrganisationAlias.objects.create(organisation=organisation, name=alias["name"], kind=kind)
                report.count(OrganisationAlias, "created")
            elif current.kind != kind:
                current.kind = kind
                current.save(update_fields=["kind"])
                report.count(OrganisationAlias, "updated")
            else:
                report.count(OrganisationAlias, "unchanged")

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
                "expertise_zh": str(entry.get("expertise_zh") or "").strip(),
                "expertise_en": str(entry.get("expertise_en") or "").strip(),
                "sort": position * 10,
            },
            report=report,
        )
        sync_m2m(department, "specialties", [specialties[c] for c in entry.get("specialties") or []], report)
