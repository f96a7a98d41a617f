"""The money, service and grading policies of the seed programmes (`data/policies.yaml`): cost-share rules with
their shares, service periods, clawback rules and grading scales with their levels.

Idempotent (`core.seeding.upsert`): each row is matched by its natural key, created when missing, updated when it
differs (unless an administrator changed it since); nothing is deleted. A programme or category the file names
that does not exist, a payer or trigger that is not a choice, or ratios not adding up to 100 % stop the load
with an error naming the entry.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from medtalent.catalog.models import Category, Programme
from medtalent.core.seeding import SeedDataError, SeedReport, read_yaml, upsert
from medtalent.policy.enums import CapPer, ClawbackMethod, ClawbackTrigger, Payer, Rounding
from medtalent.policy.funding import CostShareRuleSpec, ShareSpec, spec_problems
from medtalent.policy.models import (
    ClawbackRule,
    CostShare,
    CostShareRule,
    GradeLevel,
    GradingScale,
    ServiceTerms,
)

DATA_FILE = Path(__file__).resolve().parent / "data" / "policies.yaml"


def _choice(where: str, field: str, value: Any, choices) -> str:
    if value not in choices.values:
        raise SeedDataError(f"{where}: {field} {value!r} is not one of {list(choices.values)}")
    return value


def _decimal(where: str, field: str, value: Any) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise SeedDataError(f"{where}: {field} {value!r} is not a number") from None


def _owner(where: str, entry: dict) -> dict[str, Any]:
    programme = Programme.objects.filter(code=entry["programme"]).first()
    if programme is None:
        raise SeedDataError(f"{where}: unknown programme {entry['programme']!r}")
    category = None
    if entry.get("category"):
        category = Category.objects.filter(code=entry["category"], programme=programme).first()
        if category is None:
            raise SeedDataError(f"{where}: programme {programme.code} has no category {entry['category']!r}")
    return {"programme": programme, "category": category}


def load_policies(report: SeedReport, path: Path = DATA_FILE) -> None:
    data = read_yaml(path) or {}
    for position, entry in enumerate(data.get("cost_shares") or [], start=1):
        _load_cost_share(entry, report, where=f"{path.name}: cost share {position} ({entry.get('programme')})")
    for position, entry in enumerate(data.get("service_terms") or [], start=1):
        where = f"{path.name}: service period {position} ({entry.get('programme')})"
        upsert(
            ServiceTerms,
            lookup=_owner(where, entry),
            values={"service_years": _decimal(where, "service_years", entry["service_years"])},
            report=report,
        )
    for position, entry in enumerate(data.get("clawbacks") or [], start=1):
        where = f"{path.name}: clawback {position} ({entry.get('programme')})"
        method = _choice(where, "method", entry.get("method", ClawbackMethod.FULL), ClawbackMethod)
        percentage = _decimal(where, "percentage", entry.get("percentage"))
        if method == ClawbackMethod.PERCENTAGE and percentage is None:
            raise SeedDataError(f"{where}: a percentage refund needs a percentage")
        upsert(
            ClawbackRule,
            lookup={
                **_owner(where, entry),
                "trigger": _choice(where, "trigger", entry["trigger"], ClawbackTrigger),
                "payer": _choice(where, "payer", entry["payer"], Payer),
            },
            values={"method": method, "percentage": percentage},
            report=report,
        )
    for position, entry in enumerate(data.get("grading_scales") or [], start=1):
        _load_scale(entry, report, where=f"{path.name}: grading scale {position} ({entry.get('programme')})")


def _load_cost_share(entry: dict, report: SeedReport, *, where: str) -> None:
    shares = entry.get("shares") or []
    specs = []
    for share in shares:
        specs.append(
            ShareSpec(
                payer=_choice(where, "payer", share["payer"], Payer),
                ratio=_decimal(where, "ratio", share["ratio"]) or Decimal(0),
                cap=_decimal(where, "cap", share.get("cap")),
                cap_per=_choice(where, "cap_per", share.get("cap_per", CapPer.PERSON), CapPer),
                excess_payer=share.get("excess_payer") or "",
            )
        )
    rounding = _choice(where, "rounding", entry.get("rounding", Rounding.CENT), Rounding)
    problems = spec_problems(CostShareRuleSpec(shares=tuple(specs), rounding=rounding))
    if problems:
        raise SeedDataError(f"{where}: {'; '.join(p.message for p in problems)}")
    rule = upsert(
        CostShareRule,
        lookup={**_owner(where, entry), "year": entry.get("year")},
        values={
            "rounding": rounding,
            "note_zh": str(entry.get("note_zh") or "").strip(),
            "note_en": str(entry.get("note_en") or "").strip(),
        },
        report=report,
    )
    for position, spec in enumerate(specs, start=1):
        upsert(
            CostShare,
            lookup={"rule": rule, "payer": spec.payer},
            values={
                "ratio": spec.ratio,
                "cap": spec.cap,
                "cap_per": spec.cap_per,
                "excess_payer": spec.excess_payer,
                "sort": position * 10,
            },
            report=report,
        )


def _load_scale(entry: dict, report: SeedReport, *, where: str) -> None:
    levels = entry.get("levels") or []
    codes = [level["code"] for level in levels]
    if len(set(codes)) != len(codes):
        raise SeedDataError(f"{where}: a level code appears twice")
    if not any(level.get("passes", True) for level in levels):
        raise SeedDataError(f"{where}: no level passes")
    scale = upsert(
        GradingScale,
        lookup=_owner(where, entry),
        values={"name_zh": entry["name_zh"], "name_en": entry.get("name_en", "")},
        report=report,
    )
    for position, level in enumerate(levels, start=1):
        upsert(
            GradeLevel,
            lookup={"scale": scale, "code": level["code"]},
            values={
                "name_zh": level["name_zh"],
                "name_en": level.get("name_en", ""),
                "passes": bool(level.get("passes", True)),
                "certificate": bool(level.get("certificate", False)),
                "triggers_clawback": bool(level.get("triggers_clawback", False)),
                "sort": position * 10,
            },
            report=report,
        )
