"""Text matching shared by every search box.

Chinese has no spaces, so a Chinese term matches anywhere (泌尿 finds 泌尿外科). A Latin-script term matches
at the start of a word, so "urology" finds "Urology" and "Uro-oncology" but not "Neurology".
"""

from __future__ import annotations

from django.db.models import Q

# Characters after which a new word starts in names such as "Hépato-biliary (HPB) / liver surgery".
WORD_STARTS = (" ", "-", "(", "/", "（", "·", ",", "'")


def is_latin_word(term: str) -> bool:
    return term.isascii() and term[:1].isalnum()


def text_match_q(term: str, *fields: str) -> Q:
    """A filter matching rows where any of `fields` contains `term` (at a word start for Latin script)."""
    q = Q()
    for field in fields:
        if is_latin_word(term):
            q |= Q(**{f"{field}__istartswith": term})
            for start in WORD_STARTS:
                q |= Q(**{f"{field}__icontains": f"{start}{term}"})
        else:
            q |= Q(**{f"{field}__icontains": term})
    return q
