"""Official Chinese documents as PDF (WeasyPrint): the application form, the pairing agreement …

They are always rendered in Chinese, whatever the UI language, from templates extending `pdf/base.html`
(A4, Noto CJK fonts through local()). Nothing is fetched from a URL: only `data:` URIs (an embedded photo).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.template.loader import render_to_string
from django.utils import timezone, translation


def chinese_html(template: str, context: Callable[[], dict]) -> str:
    """The document's HTML; `context` is built in Chinese too (durations, code names …)."""
    with translation.override("zh-hans"):
        return render_to_string(template, context())


def pdf_document(html: str):
    """The rendered WeasyPrint document (pages and boxes: `.write_pdf()`, or inspect its text)."""
    # Imported when a PDF is made: WeasyPrint (and pango under it) takes a second to import, which no web or
    # worker process, nor any test without a PDF, should pay at start.
    import weasyprint  # noqa: PLC0415

    fetcher = weasyprint.URLFetcher(allowed_protocols={"data"})
    return weasyprint.HTML(string=html, url_fetcher=fetcher).render()


def chinese_date(value: dt.date | dt.datetime | None, *, blank: str = "") -> str:
    """2026年11月23日 (a datetime in the local time zone); `blank` when there is no date."""
    if value is None:
        return blank
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return f"{value.year}年{value.month}月{value.day}日"
