"""The Belt and Road Medical Talent Training Alliance as shipped data (`data/alliance.yaml`, from seed 002).

Idempotent: organisations are matched by `code`, memberships by alliance and organisation, committees and
events by `code`; rows are created when missing and updated when they differ, nothing is deleted. A
reference the shipped data cannot resolve (organisation, region, country, committee, kind) stops the load
with a SeedDataError naming the row: the data file is wrong then.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from medtalent.alliance.enums import EventKind, MembershipKind
from medtalent.alliance.models import Committee, Event, Membership
from medtalent.codes.models import Code
from medtalent.core.seeding import SeedDataError, SeedReport, read_yaml, sync_m2m, upsert
from medtalent.orgs.loaders import load_organisation_entries
from medtalent.orgs.models import Organisation

DATA_FILE = Path(__file__).resolve().parent / "data" / "alliance.yaml"

EVENT_TEXT_FIELDS = (
    "name_zh",
    "name_en",
    "date_note_zh",
    "date_note_en",
    "place_zh",
    "place_en",
    "description_zh",
    "description_en",
)


def _text(entry: dict, name: str) -> str:
    return str(entry.get(name) or "").strip()


def _date(owner: str, value) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise SeedDataError(f"{owner}: {value!r} is not an ISO date") from exc


def _check_choice(owner: str, field: str, value: str, choices) -> None:
    if value and value not in choices.values:
        raise SeedDataError(f"{owner}: {field} {value!r} is not one of {list(choices.values)}")


def _codes(table: str, wanted: set[str]) -> dict[str, Code]:
    return {c.code: c for c in Code.objects.filter(table__slug=table, code__in=wanted)}


class _Resolver:
    """Organisations by code: those this file defines, then those other loaders shipped."""

    def __init__(self, data: dict, defined: dict[str, Organisation]):
        self.orgs = dict(defined)
        wanted = {data.get("alliance") or ""}
        for entry in [*(data.get("members") or []), *(data.get("partners") or [])]:
            wanted.add(entry if isinstance(entry, str) else entry["organisation"])
        for committee in data.get("committees") or []:
            wanted.update([committee.get("chair") or "", *(committee.get("members") or [])])
        for event in data.get("events") or []:
            wanted.update(event.get("organisers") or [])
        missing = wanted - set(self.orgs) - {""}
        self.orgs.update({o.code: o for o in Organisation.objects.filter(code__in=missing)})

    def __call__(self, owner: str, code: str) -> Organisation:
        try:
            return self.orgs[code]
        except KeyError:
            raise SeedDataError(
                f"{owner}: organisation {code!r} is not defined here nor in the organisations data"
            ) from None


def load_alliance(report: SeedReport, data_file: Path = DATA_FILE) -> Organisation:
    """Load the alliance, its members and partners, committees and events; returns the alliance."""
    data = read_yaml(data_file) or {}
    defined = load_organisation_entries(data.get("organisations") or [], report)
    org = _Resolver(data, defined)
    alliance = org("alliance", data["alliance"])

    seen: set[int] = set()
    for kind, section in ((MembershipKind.MEMBER, "members"), (MembershipKind.PARTNER, "partners")):
        for entry in data.get(section) or []:
            entry = {"organisation": entry} if isinstance(entry, str) else entry
            owner = f"{section} {entry['organisation']}"
            organisation = org(owner, entry["organisation"])
            if organisation.pk in seen:
                raise SeedDataError(f"{owner} is listed twice")
            seen.add(organisation.pk)
            if kind == MembershipKind.PARTNER and organisation.country_id is None:
                raise SeedDataError(f"{owner}: a partner abroad needs a country")
            upsert(
                Membership,
                lookup={"alliance": alliance, "organisation": organisation},
                values={
                    "kind": kind,
                    "joined_on": _date(owner, entry.get("joined_on")),
                    "note_zh": _text(entry, "note_zh"),
                    "note_en": _text(entry, "note_en"),
                },
                report=report,
            )

    committees: dict[str, Committee] = {}
    for entry in data.get("committees") or []:
        owner = f"committee {entry['code']}"
        if entry["code"] in committees:
            raise SeedDataError(f"{owner} is listed twice")
        chair = org(owner, entry["chair"]) if entry.get("chair") else None
        committee = upsert(
            Committee,
            lookup={"code": entry["code"]},
            values={
                "alliance": alliance,
                "chair": chair,
                "name_zh": _text(entry, "name_zh"),
                "name_en": _text(entry, "name_en"),
                "description_zh": _text(entry, "description_zh"),
                "description_en": _text(entry, "description_en"),
            },
            report=report,
        )
        sync_m2m(committee, "members", [org(owner, code) for code in entry.get("members") or []], report)
        committees[entry["code"]] = committee

    events = data.get("events") or []
    countries = _codes("country", {str(c) for e in events for c in e.get("countries") or []})
    codes: set[str] = set()
    for entry in events:
        owner = f"event {entry['code']}"
        if entry["code"] in codes:
            raise SeedDataError(f"{owner} is listed twice")
        codes.add(entry["code"])
        _check_choice(owner, "kind", entry.get("kind", ""), EventKind)
        if not entry.get("kind"):
            raise SeedDataError(f"{owner}: kind is missing")
        committee_code = entry.get("committee")
        if committee_code and committee_code not in committees:
            raise SeedDataError(f"{owner}: committee {committee_code!r} is unknown")
        unknown = sorted({str(c) for c in entry.get("countries") or []} - set(countries))
        if unknown:
            raise SeedDataError(f"{owner}: countries {unknown} are not in the country table")
        starts_on, ends_on = _date(owner, entry.get("starts_on")), _date(owner, entry.get("ends_on"))
        if starts_on and ends_on and ends_on < starts_on:
            raise SeedDataError(f"{owner}: ends before it starts")
        values = {name: _text(entry, name) for name in EVENT_TEXT_FIELDS}
        values.update(
            alliance=alliance,
            kind=entry["kind"],
            starts_on=starts_on,
            ends_on=ends_on,
            participants=entry.get("participants"),
            committee=committees[committee_code] if committee_code else None,
        )
        event = upsert(Event, lookup={"code": entry["code"]}, values=values, report=report)
        sync_m2m(event, "countries", [countries[str(c)] for c in entry.get("countries") or []], report)
        sync_m2m(event, "organisers", [org(owner, code) for code in entry.get("organisers") or []], report)
    return alliance
