"""Template helpers for personal data: the masked form of a field, never the value itself."""

from __future__ import annotations

from django import template

from medtalent.people.masking import MASKERS
from medtalent.people.uploads import max_upload_bytes, megabytes

register = template.Library()


@register.filter
def masked(person, field: str) -> str:
    """{{ person|masked:"id_number" }} → 3303**********123X."""
    if person is None or field not in MASKERS:
        return ""
    return MASKERS[field](getattr(person, field, "") or "")


@register.filter
def filesize(size: int) -> str:
    """A size in bytes as KB or MB, for the documents list."""
    size = int(size or 0)
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} B"


@register.filter
def photo_of(person):
    """The person's newest photo among their (prefetched) documents, or None."""
    if person is None or not getattr(person, "pk", None):
        return None
    return next((doc for doc in person.documents.all() if doc.kind == "photo"), None)


@register.simple_tag
def upload_limit_mb() -> str:
    return megabytes(max_upload_bytes())
