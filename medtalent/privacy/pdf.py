"""A person's data as a readable PDF (WeasyPrint, Noto CJK, rendered in Chinese like every document we print):
the same content as the JSON download (`selectors.person_data`)."""

from __future__ import annotations

from django.utils import timezone

from medtalent.core.pdf import chinese_date, chinese_html, pdf_document
from medtalent.people.models import Person
from medtalent.people.services import PROFILE_FIELDS
from medtalent.privacy.selectors import person_data

# The profile's fields in the order of the profile page (the fields a person edits, and beside them what others
# set: the talent designations, the unit's confirmation of an incident); labels are the model's (in Chinese).
SHOWN_AFTER = {"health_status": ("designations",), "serious_incident_declared": ("serious_incident_confirmed",)}
PROFILE_ORDER = tuple(name for field in PROFILE_FIELDS for name in (field, *SHOWN_AFTER.get(field, ())))


def _display(value) -> str:
    if value is None or value == "":
        return "—"
    if value is True:
        return "是"
    if value is False:
        return "否"
    if isinstance(value, list):
        return "、".join(str(v) for v in value) or "—"
    return str(value)


def _context(user) -> dict:
    data = person_data(user=user) or {}
    profile = data.get("profile", {})
    rows = [(str(Person._meta.get_field(name).verbose_name), _display(profile.get(name))) for name in PROFILE_ORDER]
    return {"title": "个人信息副本", "data": data, "profile_rows": rows, "today": chinese_date(timezone.localdate())}


def person_data_html(*, user) -> str:
    return chinese_html("privacy/pdf/my_data.html", lambda: _context(user))


def person_data_pdf(*, user) -> bytes:
    return pdf_document(person_data_html(user=user)).write_pdf()
