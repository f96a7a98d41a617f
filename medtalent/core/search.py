"""Text matching shared by every search box.

Chinese has no spaces, so a Chinese term matches anywhere (泌尿 finds 泌尿外科). A Latin-script term matches
at the start of a word, so "urology" finds "Urology" and "Uro-oncology" but not "Neurology".
"""

from __future__ import annotations

from django.db.models import Q

# Characters after which a new word starts in names such as "Hépato-biliary (HPB) / liver surgery".
WORD_STARTS = (" ", "-", "(", "/")


def is_latin_word(term: str) -> bool:
    return term.isascii() and term[:1].isalnum()


def has_letter_case(term: str) -> bool:
    return term.lower() != term.upper()


def text_match_q(term: str, *fields: str) -> Q:
    """A filter matching rows where any of `fields` contains `term` (at a word start for Latin script)."""
    # A term without letter case (Chinese, digits) needs no case folding: a plain LIKE spares PostgreSQL
    # an UPPER() of every row.
    lookup = "icontains" if has_letter_case(term) else "contains"
    q = Q()
    for field in fields:
        contains = Q(**{f"{field}__{lookup}": term})
        if is_latin_word(term):
            # The plain `contains` comes first: it rules out most rows with one LIKE, so the word-start
            # patterns are evaluated only for the few rows that contain the term at all.
            word_start = Q(**{f"{field}__istartswith": term})
            for start in WORD_STARTS:
                word_start |= Q(**{f"{field}__icontains": f"{start}{term}"})
            contains &= word_start
        q |= contains
    return q
