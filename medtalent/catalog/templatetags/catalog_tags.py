"""Small helpers for the catalogue's pages: lists joined the way each language writes them, aliases worth
showing, and the wording for a figure the policy does not give."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django import template
from django.conf import settings
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from medtalent.orgs.enums import AliasKind

register = template.Library()

# Han characters and CJK punctuation: an alias written with them means nothing to an English reader.
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def _chinese() -> bool:
    return (get_language() or settings.LANGUAGE_CODE).startswith("zh")


@register.simple_tag
def list_separator() -> str:
    """Between the items of a list: `英国、法国` in Chinese, `United Kingdom, France` in English."""
    return "、" if _chinese() else ", "


@register.simple_tag
def clause_separator() -> str:
    """Between clauses that may themselves hold commas: `医生：约 40；护士：约 10` / `Doctor: about 40; Nurse: …`."""
    return "；" if _chinese() else "; "


@register.filter
def join_list(items: Iterable) -> SafeString:
    """`{{ places|join_list }}`: the items escaped and joined with the active language's list separator."""
    return mark_safe(list_separator().join(str(conditional_escape(item)) for item in items))


@register.filter
def shown_aliases(aliases: Iterable) -> list:
    """The aliases a public page lists: not the misspellings (kept only so searches find the host), and in
    English none written in Chinese characters."""
    chinese = _chinese()
    return [a for a in aliases if a.kind != AliasKind.MISSPELLING and (chinese or not CJK.search(a.name))]


@register.simple_tag
def not_stated() -> str:
    """Said where the policy document gives no figure (a fee, a quota, a department's capacity)."""
    # Translators: 中文：政策未说明
    return _("not stated in the policy")
