"""The official application form (PDF): laid out like the annex of document 004, in Chinese, for any
programme, only for those who may view the application. pdftotext is not installed: the text is read
from WeasyPrint's rendered boxes, the same document that write_pdf() turns into the PDF."""

from __future__ import annotations

import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image

from medtalent.accounts.enums import Role
from medtalent.applications.pdf import application_form_document
from medtalent.catalog.models import Category, Programme
from medtalent.core.models import AuditEvent
from medtalent.people.enums import DocumentKind
from medtalent.people.models import Document
from tests.applications.conftest import open_round
from tests.factories import ApplicationFactory, CommissionFactory, OrganisationFactory, PersonFactory, RoleFactory, code

LABELS = [
    "医院名称",
    "拟申请研修单位",
    "姓名",
    "性别",
    "民族",
    "籍贯",
    "政治面貌",
    "专业",
    "出生年月日",
    "学历",
    "专业技术职务",
    "毕业院校",
    "毕业时间",
    "工作单位",
    "单位所在地",
    "联系电话",
    "健康状况",
    "申请进修时间（时长）",
    "申请进修科室（专业）",
    "个人简历",
    "申请进修原因",
    "研修内容",
    "研修目的",
    "研修目标",
    "工作单位意见",
    "（盖章）",
    "年",
    "月",
    "日",
]


def pdf_text(document) -> str:
    """Every piece of text laid out on the pages, in order."""
    parts = []
    for page in document.pages:
        parts.extend(box.text for box in page._page_box.descendants() if getattr(box, "text", None))
    return "".join(parts)


def has_image(document) -> bool:
    return any(
        type(box).__name__.endswith("ReplacedBox") for page in document.pages for box in page._page_box.descendants()
    )


@pytest.fixture
def filled(world):
    person = world.person
    person.sex = code("sex", "1")
    person.ethnicity = code("ethnicity", "01")
    person.native_place = "浙江温州"
    person.graduated_from = "浙江大学医学院"
    person.health_status = "健康"
    person.cv_text = "2008年至今 心内科医师、主治医师"
    person.save()
    return ApplicationFactory(
        person=person,
        round=world.round,
        requested_duration=6,
        requested_department="心血管内科",
        reason="提高心血管介入诊疗水平",
        plan_purpose="学习介入新技术",
        plan_content="冠脉介入与结构性心脏病",
        plan_goals="回院开展新技术两项",
        unit_opinion="同意推荐",
    )


def test_the_pdf_is_downloaded_as_a_pdf(world, filled, login):
    response = login(world.user("owner")).get(reverse("applications:pdf", args=[filled.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.startswith(b"%PDF-")


def test_the_form_has_every_label_of_the_annex_and_the_applicants_data(world, filled):
    document = application_form_document(application=filled, actor=world.user("owner"))

    text = pdf_text(document)
    assert len(document.pages) == 1
    assert text.startswith(f"{world.programme.name_zh}申请表")
    for label in LABELS:
        assert label in text
    for value in (
        "王晓明",
        "男",
        "汉族",
        "浙江温州",
        "1985年3月15日",
        "主治医师",
        "浙江大学医学院",
        world.unit.name_zh,
        "6 个月",
        "心血管内科",
        "提高心血管介入诊疗水平",
        "学习介入新技术",
        "冠脉介入与结构性心脏病",
        "回院开展新技术两项",
        "同意推荐",
        "13812345678",  # the applicant may see their own phone number
        "照片",  # no photo: the empty box is labelled
    ):
        assert value in text
    assert world.person.id_number not in text  # the annex has no ID number
    assert not has_image(document)
    fonts = {
        box.style["font_family"]
        for page in document.pages
        for box in page._page_box.descendants()
        if getattr(box, "text", None)
    }
    assert {family[0] for family in fonts} <= {"Noto Sans CJK SC", "Noto Serif CJK SC"}
    assert b"Noto-Sans-CJK-SC" in document.write_pdf(uncompressed_pdf=True)


def test_printing_the_full_phone_number_is_logged(world, filled):
    application_form_document(application=filled, actor=world.user("unit_admin"))

    event = AuditEvent.objects.get(action="person.reveal")
    assert (event.actor, event.object_id, event.data) == (
        world.user("unit_admin"),
        str(world.person.pk),
        {"field": "phone"},
    )


def test_a_reader_who_may_not_reveal_gets_the_phone_masked(world):
    """A commission that manages the programme but has no jurisdiction over the applicant's unit."""
    unit = OrganisationFactory(region=code("region", "360102"))
    application = ApplicationFactory(person=PersonFactory(employer=unit, phone="13912345678"), round=world.round)
    reader = RoleFactory(role=Role.COMMISSION_ADMIN, organisation=world.programme.owner).user

    text = pdf_text(application_form_document(application=application, actor=reader))

    assert "139****5678" in text
    assert "13912345678" not in text
    assert not AuditEvent.objects.filter(action="person.reveal").exists()


def add_photo(person, content: bytes) -> Document:
    return Document.objects.create(
        person=person,
        kind=DocumentKind.PHOTO,
        file=ContentFile(content, name="me.png"),
        original_name="me.png",
        content_type="image/png",
        size=len(content),
    )


def test_the_photo_goes_in_the_box(world, filled):
    buffer = io.BytesIO()
    Image.new("RGB", (60, 80), (200, 30, 30)).save(buffer, format="PNG")
    photo = add_photo(world.person, buffer.getvalue())
    try:
        document = application_form_document(application=filled, actor=world.user("owner"))
    finally:
        photo.file.delete(save=False)

    assert has_image(document)
    assert "照片" not in pdf_text(document)


def test_any_programme_gets_its_own_title_and_category(world):
    programme = Programme.objects.get(code="wz-bysh")
    category = Category.objects.get(code="wz-bysh-clinical")
    application = ApplicationFactory(person=world.person, round=open_round(programme=programme), category=category)

    text = pdf_text(application_form_document(application=application, actor=world.user("owner")))

    assert text.startswith(f"{programme.name_zh}申请表")
    assert category.name_zh in text


def test_a_broken_photo_file_leaves_the_box_empty(world, filled):
    photo = add_photo(world.person, b"not an image")
    try:
        document = application_form_document(application=filled, actor=world.user("owner"))
    finally:
        photo.file.delete(save=False)

    assert not has_image(document)
    assert "照片" in pdf_text(document)


def test_commission_outside_gets_404(world, filled, login):
    outsider = RoleFactory(
        role=Role.COMMISSION_ADMIN, organisation=CommissionFactory(region=code("region", "370000"))
    ).user

    response = login(outsider).get(reverse("applications:pdf", args=[filled.pk]))

    assert response.status_code == 404
