"""The specialty taxonomy MedTalent ships (`data/specialties.yaml`): bilingual names, broader specialties and
the other names (synonyms) users and documents use for them.

Idempotent: rows are matched by `code` (synonyms by specialty and term), created when missing, updated when
they differ; nothing is ever deleted, so specialties an administrator added stay.
"""

from __future__ import annotations

from pathlib import Path

from medtalent.codes.models import Specialty, SpecialtySynonym
from medtalent.core.seeding import SeedDataError, SeedReport, read_yaml, upsert, upsert_known

DATA_FILE = Path(__file__).resolve().parent / "data" / "specialties.yaml"
SYNONYM_LANGUAGES = ("zh", "en", "fr")


def _terms(entry: dict) -> list[tuple[str, str]]:
    """(term, language) pairs of one specialty: its two names first, then the listed synonyms, no duplicates."""
    pairs = [(entry["name_zh"], "zh"), (entry["name_en"], "en")]
    synonyms = entry.get("synonyms") or {}
    unknown = set(synonyms) - set(SYNONYM_LANGUAGES)
    if unknown:
        raise SeedDataError(f"specialty {entry['code']}: unknown synonym language(s) {sorted(unknown)}")
    for language in SYNONYM_LANGUAGES:
        pairs.extend((str(term).strip(), language) for term in synonyms.get(language) or [])
    seen: set[str] = set()
    unique = []
    for term, language in pairs:
        if term and term not in seen:
            seen.add(term)
            unique.append((term, language))
    return unique


def load_specialties(report: SeedReport, path: Path = DATA_FILE) -> dict[str, Specialty]:
    """Load the taxonomy; returns the specialties by code. Raises SeedDataError for inconsistent data."""
    entries = read_yaml(path) or []
    by_code: dict[str, Specialty] = {}
    owner_of_term: dict[str, str] = {}
    existing_synonyms = {(s.specialty_id, s.term): s for s in SpecialtySynonym.objects.all()}

    for position, entry in enumerate(entries, start=1):
        code = entry["code"]
        if code in by_code:
            raise SeedDataError(f"specialty {code} is listed twice in {path.name}")
        parent_code = entry.get("parent")
        if parent_code and parent_code not in by_code:
            raise SeedDataError(
                f"specialty {code}: broader specialty {parent_code!r} is unknown or listed after it in {path.name}"
            )
        specialty = upsert(
            Specialty,
            lookup={"code": code},
            values={
                "name_zh": entry["name_zh"],
                "name_en": entry["name_en"],
                "parent_id": by_code[parent_code].pk if parent_code else None,
                "sort": position * 10,
            },
            report=report,
        )
        by_code[code] = specialty

        for term, language in _terms(entry):
            folded = term.casefold()
            if owner_of_term.setdefault(folded, code) != code:
                raise SeedDataError(f"synonym {term!r} is listed under both {owner_of_term[folded]} and {code}")
            upsert_known(
                SpecialtySynonym,
                existing=existing_synonyms,
                key=(specialty.pk, term),
                create={"specialty": specialty, "term": term},
                values={"language": language},
                report=report,
            )
    return by_code
