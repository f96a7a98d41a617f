"""Seed data of the people app: the privacy notices (the general one and the sensitive-information one)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from medtalent.core.seeding import SeedReport, read_yaml, upsert
from medtalent.people.models import PrivacyNotice

DATA_FILE = Path(__file__).resolve().parent / "data" / "privacy_notices.yaml"


def load_privacy_notices(report: SeedReport) -> None:
    for entry in read_yaml(DATA_FILE):
        upsert(
            PrivacyNotice,
            lookup={"kind": entry.get("kind", "general"), "version": str(entry["version"])},
            values={
                "text_zh": entry["text_zh"].strip(),
                "text_en": entry["text_en"].strip(),
                "published_at": dt.datetime.fromisoformat(entry["published_at"]),
            },
            report=report,
        )
