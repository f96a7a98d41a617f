"""The agreement between the two hospitals of a pairing as a PDF (WeasyPrint), laid out like Annex 3 of
the 2014 plan (浙江省“万名医师支援农村卫生工程”支援协议).

The agreement is an official Chinese document: always rendered in Chinese, whatever the UI language.
Fonts come from Debian's fonts-noto-cjk through @font-face local(); no URL is ever fetched. Seal spaces for
甲方（支援医院） and 乙方（受援医院） with their dates (the approval dates when approved).
"""

from __future__ import annotations

from itertools import groupby

from medtalent.core.pdf import chinese_date, chinese_html, pdf_document
from medtalent.partnerships import selectors
from medtalent.partnerships.models import Agreement
from medtalent.partnerships.services import ADDED_SECTION, ADDED_SORT_LAST

TITLE = "浙江省“万名医师支援农村卫生工程”支援协议"
STATES_ZH = {"draft": "草稿", "awaiting_approval": "待审批", "approved": "已批准", "superseded": "已被新版本取代"}


BLANK_DATE = "    年  月  日"  # filled in by hand next to the seal


def _month(value) -> str:
    return f"{value.year}年{value.month}月"


def agreement_context(*, agreement: Agreement) -> dict:
    pairing = agreement.pairing
    sections = [
        {"title": title, "clauses": list(clauses)}
        for title, clauses in groupby(selectors.agreement_clauses(agreement=agreement), key=lambda c: c.section)
    ]
    if not any(s["title"] == ADDED_SECTION for s in sections):
        # The annex's 四、其他事项 is printed even when the parties added nothing (before the closing clause).
        at = next((i for i, s in enumerate(sections) if s["clauses"][0].sort > ADDED_SORT_LAST), len(sections))
        sections.insert(at, {"title": ADDED_SECTION, "clauses": []})
    return {
        "title": TITLE,
        "agreement": agreement,
        "state": STATES_ZH.get(agreement.state, agreement.state),
        "supporting": pairing.supporting.name_zh,
        "supported": pairing.supported.name_zh,
        "sections": sections,
        "term": f"{_month(agreement.starts_on)}至{_month(agreement.ends_on)}",
        "supporting_date": chinese_date(agreement.approved_by_supporting_at, blank=BLANK_DATE),
        "supported_date": chinese_date(agreement.approved_by_supported_at, blank=BLANK_DATE),
    }


def agreement_html(*, agreement: Agreement) -> str:
    return chinese_html("partnerships/pdf/agreement.html", lambda: agreement_context(agreement=agreement))


def agreement_document(*, agreement: Agreement):
    """The rendered WeasyPrint document (pages and boxes), e.g. to inspect its text."""
    return pdf_document(agreement_html(agreement=agreement))


def agreement_pdf(*, agreement: Agreement) -> bytes:
    return agreement_document(agreement=agreement).write_pdf()


def agreement_filename(*, agreement: Agreement) -> str:
    pairing = agreement.pairing
    return f"{pairing.supporting.name_zh}-{pairing.supported.name_zh}-支援协议-v{agreement.version}.pdf"
