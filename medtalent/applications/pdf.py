"""The official application form as a PDF (WeasyPrint), laid out like the annex of document 004
(广西国家区域医疗中心“卓越青年医师”定向进修培养计划申请表), for any programme.

The form is an official Chinese document: it is always rendered in Chinese, whatever the UI language.
Fonts come from Debian's fonts-noto-cjk through @font-face local() (no URL is ever fetched). The ID number
is not on the annex and is never printed; the phone number is printed in full only for a reader allowed to
reveal it, and that reveal is logged like any other.
"""

from __future__ import annotations

import base64
import io

from django.db.models import F
from PIL import Image, UnidentifiedImageError

from medtalent.applications.import_columns import CHOICES
from medtalent.applications.models import Application
from medtalent.applications.selectors import application_preferences, person_photo, round_offerings
from medtalent.catalog.formatting import format_duration
from medtalent.core.pdf import chinese_date, chinese_html, pdf_document
from medtalent.people.masking import mask_phone
from medtalent.people.services import person_reveal

PHOTO_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png"}


def _code_name(code) -> str:
    return code.name_zh if code is not None else ""


def _region_full_name(region) -> str:
    """浙江省杭州市上城区: the region and its parents, without the 市辖区 placeholders of GB/T 2260."""
    names = []
    depth = 0
    while region is not None and depth < 4:
        if region.name_zh not in ("市辖区", "县"):
            names.append(region.name_zh)
        region = region.parent
        depth += 1
    return "".join(reversed(names))


def _photo_data_uri(person) -> str:
    """The person's photo as a data: URI (the file lives in private storage), or "" when there is none
    or it is not a readable JPEG or PNG."""
    document = person_photo(person=person)
    if document is None:
        return ""
    try:
        with document.file.open("rb") as handle:
            content = handle.read()
        with Image.open(io.BytesIO(content)) as image:
            kind = PHOTO_TYPES.get(image.format or "")
            image.verify()
    except (OSError, UnidentifiedImageError, ValueError):
        return ""
    if kind is None:
        return ""
    return f"data:{kind};base64,{base64.b64encode(content).decode('ascii')}"


def _phone(*, application: Application, actor) -> str:
    person = application.person
    if not person.phone:
        return ""
    if actor.has_perm("people.reveal_person", person):
        return person_reveal(actor=actor, person=person, field="phone")
    return mask_phone(person.phone)


def _offering_text(offering) -> str:
    """浙大一院（心血管内科）: the host, with the department or specialty when the offering names one."""
    label = offering.host.name_zh if offering.host else ""
    place = (
        offering.department.name_zh
        if offering.department
        else (offering.specialty.name_zh if offering.specialty else "")
    )
    return "".join(part for part in (label, f"（{place}）" if place and label else place) if part)


def intended_hosts(*, application: Application) -> str:
    """拟申请研修单位: the ranked choices when the round offers several hosts; else what the applicant typed; else the
    host of the round's one offering."""
    hosts: list[str] = []
    for preference in application_preferences(application=application):
        text = _offering_text(preference.offering)
        if text and text not in hosts:
            hosts.append(text)
    if hosts:
        return "、".join(hosts)
    if application.intended_host.strip():
        return application.intended_host.strip()
    offerings = [o for o in round_offerings(round_=application.round) if o.host_id]
    return _offering_text(offerings[0]) if len(offerings) == 1 else ""


def application_form_context(*, application: Application, actor) -> dict:
    person = application.person
    programme = application.round.programme
    education = _code_name(person.education)
    if person.degree is not None:
        education = f"{education}（{person.degree.name_zh}）" if education else person.degree.name_zh
    employer = person.employer or application.unit
    duration = ""
    if application.requested_duration:
        duration = format_duration(
            application.requested_duration, application.requested_duration, application.requested_duration_unit
        )
    return {
        "title": f"{programme.name_zh}申请表",
        "application": application,
        "programme": programme,
        "round": application.round,
        "category": application.category,
        "hospital": application.unit.name_zh,
        "hosts": intended_hosts(application=application),
        "person": person,
        "sex": _code_name(person.sex),
        "ethnicity": _code_name(person.ethnicity),
        "political_status": _code_name(person.political_status),
        "specialty": person.specialty.name_zh if person.specialty else "",
        "birth_date": chinese_date(person.birth_date),
        "education": education,
        "title_name": _code_name(person.title),
        "graduated_on": f"{person.graduated_on.year}年{person.graduated_on.month}月" if person.graduated_on else "",
        "employer": employer.name_zh if employer else "",
        "employer_location": _region_full_name(employer.region) if employer and employer.region_id else "",
        "phone": _phone(application=application, actor=actor),
        "duration": duration,
        "photo": _photo_data_uri(person),
        "title_obtained_on": chinese_date(person.title_obtained_on),
        "licence": _licence_text(person),
        "earlier_titles": "；".join(
            f"{_code_name(r.title)}（{chinese_date(r.obtained_on)}）"
            for r in person.title_records.select_related("title").order_by("obtained_on", "id")
        ),
        "languages": "；".join(
            _language_text(c) for c in person.language_certificates.order_by(F("taken_on").desc(nulls_last=True), "id")
        ),
    }


def _licence_text(person) -> str:
    """执业证书 as the form prints it: the number and the date obtained."""
    parts = [person.licence_number]
    if person.licence_obtained_on:
        parts.append(f"{chinese_date(person.licence_obtained_on)}取得")
    return "，".join(p for p in parts if p)


def _language_text(certificate) -> str:
    """One language result in Chinese: the test, its score or level, and its date (IELTS 6.5，2024年3月15日)."""
    name = CHOICES["language_test"].get(certificate.test, certificate.test)
    parts = [f"{name} {certificate.score}".strip() if certificate.score else name]
    if certificate.level:
        parts.append(certificate.level)
    if certificate.taken_on:
        parts.append(chinese_date(certificate.taken_on))
    return "，".join(parts)


def application_form_html(*, application: Application, actor) -> str:
    return chinese_html(
        "applications/pdf/application_form.html",
        lambda: application_form_context(application=application, actor=actor),
    )


def application_form_document(*, application: Application, actor):
    """The rendered WeasyPrint document (pages and boxes), e.g. to inspect its text."""
    return pdf_document(application_form_html(application=application, actor=actor))


def application_form_pdf(*, application: Application, actor) -> bytes:
    return application_form_document(application=application, actor=actor).write_pdf()


def application_form_filename(*, application: Application) -> str:
    return f"{application.person.name}-{application.round.programme.name_zh}申请表.pdf"
