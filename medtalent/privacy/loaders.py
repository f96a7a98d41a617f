"""Seed data of the privacy app: the default retention rules (`data/retention_rules.yaml`)."""

from __future__ import annotations

from pathlib import Path

from medtalent.core.seeding import SeedDataError, SeedReport, read_yaml, upsert
from medtalent.privacy.enums import RetentionScope
from medtalent.privacy.models import RetentionRule

DATA_FILE = Path(__file__).resolve().parent / "data" / "retention_rules.yaml"


def load_retention_rules(report: SeedReport, path: Path = DATA_FILE) -> None:
    for entry in read_yaml(path):
        if entry["scope"] not in RetentionScope.values:
            raise SeedDataError(f"{path.name}: unknown retention scope {entry['scope']!r}")
        upsert(
            RetentionRule,
            lookup={"scope": entry["scope"]},
            values={
                "years": int(entry["years"]),
                "name_zh": entry["name_zh"],
                "name_en": entry["name_en"],
                "description_zh": entry.get("description_zh", ""),
                "description_en": entry.get("description_en", ""),
            },
            report=report,
        )
