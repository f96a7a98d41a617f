"""Template helpers of the alliance's pages."""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()


@register.filter
def name_list(objects) -> SafeString:
    """The names of `objects` (countries, organisations) as a list in the page's language: 、 between Chinese
    names, a comma between English ones."""
    separator = "、" if (get_language() or "").startswith("zh") else ", "
    return mark_safe(conditional_escape(separator).join(conditional_escape(o.name) for o in objects))


@register.filter
def region_name(region) -> str:
    """A Chinese region's name in the page's language. In English a district or county that has no English name
    of its own is shown by the city (or province) it lies in, never by its Chinese name."""
    if region is None:
        return ""
    if not (get_language() or "").startswith("en"):
        return region.name
    place = region
    while place is not None:
        if place.name_en:
            return place.name_en
        place = place.parent if place.parent_id else None
    return ""
