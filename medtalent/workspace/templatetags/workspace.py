from __future__ import annotations

from django import template
from django.utils.timesince import timesince

register = template.Library()


@register.filter
def age(value) -> str:
    """How long something has waited, in its largest unit: "3 days", "2 hours"."""
    if not value:
        return ""
    return timesince(value, depth=1)
