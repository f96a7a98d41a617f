"""The pairing programme's key specialties and techniques per year and the evaluation's dimensions."""

from __future__ import annotations

from medtalent.core.seeding import SeedReport


def load_annual(report: SeedReport) -> None:
    """Filled in by the annual work (data/annual.yaml)."""
