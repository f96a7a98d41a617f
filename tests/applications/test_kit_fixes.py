"""Issue 11 on the application pages: an autosave changes only the fields it sends; the intended host institution
(拟申请研修单位) is asked when the round offers no choice and reaches the official form; the unit and the commission
see the applicant's documents on the application; the submission time is not labelled as a state."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from medtalent.applications.forms import ApplicationForm
from medtalent.applications.import_columns import COLUMNS
from medtalent.applications.models import Preference
from medtalent.applications.pdf import application_form_context, application_form_document
from medtalent.core.models import AuditEvent
from medtalent.people.enums import DocumentKind
from medtalent.people.models import Document
from tests.applications.conftest import COMPLETE_FORM, snapshot
from tests.applications.test_pdf import pdf_text
from tests.factories import ApplicationFactory, OfferingFactory, OrganisationFactory

# ------------------------------------------------------------------------------- autosave: only what is sent


def test_an_autosave_of_one_field_leaves_the_others_as_they_were(world, login):
    application = ApplicationFactory(
        person=world.person, round=world.round, reason="旧的理由", plan_goals="旧的目标", requested_duration=6
    )

    response = login(world.user("owner")).post(
        reverse("applications:autosave", args=[application.pk]), {"plan_purpose": "新的目的"}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert 'class="autosave-ok"' in response.content.decode()
    application.refresh_from_db()
    assert (
        application.plan_purpose,
        application.reason,
        application.plan_goals,
        application.requested_duration,
        application.requested_duration_unit,
    ) == ("新的目的", "旧的理由", "旧的目标", 6, "month")
    assert list(AuditEvent.objects.filter(action="application.update").values_list("data", flat=True)) == [
        {"fields": ["plan_purpose"]}
    ]


def test_an_autosave_that_sends_no_choice_keeps_the_ranked_choices(world, login):
    application = ApplicationFactory(person=world.person, round=world.round)
    first, second = OfferingFactory.create_batch(2, round=world.round)
    Preference.objects.create(application=application, offering=second, rank=1)
    Preference.objects.create(application=application, offering=first, rank=2)

    login(world.user("owner")).post(
        reverse("applications:autosave", args=[application.pk]), {"reason": "新的理由"}, HTTP_HX_REQUEST="true"
    )

    assert list(application.preferences.values_list("offering_id", flat=True)) == [second.pk, first.pk]
    assert not AuditEvent.objects.filter(action="application.preferences").exists()


def test_an_autosave_of_one_choice_changes_that_choice_only(world, login):
    application = ApplicationFactory(person=world.person, round=world.round)
    first, second, third = OfferingFactory.create_batch(3, round=world.round)
    Preference.objects.create(application=application, offering=first, rank=1)
    Preference.objects.create(application=application, offering=second, rank=2)

    login(world.user("owner")).post(
        reverse("applications:autosave", args=[application.pk]), {"preference_2": third.pk}, HTTP_HX_REQUEST="true"
    )

    assert list(application.preferences.values_list("offering_id", flat=True)) == [first.pk, third.pk]


def test_a_field_sent_empty_is_emptied(world, login):
    application = ApplicationFactory(person=world.person, round=world.round, reason="旧的理由", plan_goals="旧的目标")

    login(world.user("owner")).post(
        reverse("applications:autosave", args=[application.pk]), {"reason": ""}, HTTP_HX_REQUEST="true"
    )

    application.refresh_from_db()
    assert (application.reason, application.plan_goals) == ("", "旧的目标")


def test_an_autosave_by_somebody_else_changes_nothing(world, login):
    application = ApplicationFactory(person=world.person, round=world.round, reason="旧的理由")
    before = snapshot()

    response = login(world.user("other_applicant")).post(
        reverse("applications:autosave", args=[application.pk]), {"reason": "别人的理由"}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 404
    assert snapshot() == before


# ------------------------------------------------------------------------------- 拟申请研修单位


def test_the_form_asks_for_the_intended_host_when_the_round_offers_no_choice(world, login):
    application = ApplicationFactory(person=world.person, round=world.round)

    with translation.override("en"):
        html = login(world.user("owner")).get(reverse("applications:edit", args=[application.pk])).content.decode()

    assert 'name="intended_host"' in html
    assert 'aria-describedby="id_intended_host-hint"' in html
    assert 'id="id_intended_host-hint"' in html


def test_the_form_asks_for_ranked_choices_instead_when_the_round_offers_several_hosts(world, login):
    application = ApplicationFactory(person=world.person, round=world.round)
    OfferingFactory.create_batch(2, round=world.round)

    html = login(world.user("owner")).get(reverse("applications:edit", args=[application.pk])).content.decode()

    assert 'name="intended_host"' not in html
    assert 'name="preference_1"' in html


def test_a_round_with_one_named_host_does_not_ask(world):
    offering = OfferingFactory(round=world.round)

    form = ApplicationForm(offerings=[offering])

    assert (form.asks_intended_host, "intended_host" in form.fields) == (False, False)


def test_the_intended_host_is_autosaved_and_printed_on_the_form(world, login):
    application = ApplicationFactory(person=world.person, round=world.round, **_typed())

    login(world.user("owner")).post(
        reverse("applications:autosave", args=[application.pk]),
        {"intended_host": "中山大学附属第一医院广西医院"},
        HTTP_HX_REQUEST="true",
    )

    application.refresh_from_db()
    assert application.intended_host == "中山大学附属第一医院广西医院"
    context = application_form_context(application=application, actor=world.user("owner"))
    assert context["hosts"] == "中山大学附属第一医院广西医院"
    text = pdf_text(application_form_document(application=application, actor=world.user("owner")))
    assert "拟申请研修单位：中山大学附属第一医院广西医院" in text


def test_the_ranked_choices_are_printed_when_the_round_offers_several_hosts(world):
    application = ApplicationFactory(person=world.person, round=world.round, intended_host="别的医院")
    first = OfferingFactory(round=world.round, host=OrganisationFactory(name_zh="中山大学附属第一医院广西医院"))
    second = OfferingFactory(round=world.round, host=OrganisationFactory(name_zh="中南大学湘雅二医院桂林医院"))
    Preference.objects.create(application=application, offering=second, rank=1)
    Preference.objects.create(application=application, offering=first, rank=2)

    context = application_form_context(application=application, actor=world.user("owner"))

    assert context["hosts"] == "中南大学湘雅二医院桂林医院、中山大学附属第一医院广西医院"


def test_the_one_host_of_the_round_is_printed_when_nothing_was_typed(world):
    application = ApplicationFactory(person=world.person, round=world.round)
    OfferingFactory(round=world.round, host=OrganisationFactory(name_zh="广州市妇女儿童医疗中心柳州医院"))

    context = application_form_context(application=application, actor=world.user("owner"))

    assert context["hosts"] == "广州市妇女儿童医疗中心柳州医院"


def test_the_unit_sees_the_intended_host_on_the_application(world, login):
    application = ApplicationFactory(person=world.person, round=world.round, intended_host="浙大一院")

    html = login(world.user("unit_admin")).get(reverse("applications:detail", args=[application.pk])).content.decode()

    assert "<dd>浙大一院</dd>" in html


def test_the_import_template_has_an_optional_intended_host_column():
    column = next(c for c in COLUMNS if c.field == "intended_host")

    assert (column.header, column.required, column.target, column.max_length) == (
        "拟申请研修单位",
        False,
        "application",
        100,
    )


def _typed() -> dict:
    return {
        "requested_duration": 6,
        "reason": COMPLETE_FORM["reason"],
        "plan_purpose": COMPLETE_FORM["plan_purpose"],
        "plan_content": COMPLETE_FORM["plan_content"],
        "plan_goals": COMPLETE_FORM["plan_goals"],
    }


# ------------------------------------------------------------------------------- the applicant's documents


def add_document(person, kind=DocumentKind.CV, name="简历.pdf") -> Document:
    return Document.objects.create(
        person=person,
        kind=kind,
        file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="cv.pdf"),
        original_name=name,
        content_type="application/pdf",
        size=15,
    )


@pytest.fixture(autouse=True)
def private_media(tmp_path, settings):
    """Uploads go to a temporary folder, not to var/."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.mark.parametrize("role", ["unit_admin", "commission_in", "owner"])
def test_those_who_see_the_person_see_the_documents_on_the_application(world, login, role):
    application = ApplicationFactory(person=world.person, round=world.round)
    document = add_document(world.person)

    client = login(world.user(role))
    html = client.get(reverse("applications:detail", args=[application.pk])).content.decode()

    link = reverse("people:document", args=[document.pk])
    assert f'<a href="{link}">简历.pdf</a>' in html
    response = client.get(link)
    assert response.status_code == 200
    assert list(AuditEvent.objects.filter(action="document.download").values_list("actor", "object_id")) == [
        (world.user(role).pk, str(document.pk))
    ]


def test_a_unit_that_no_longer_employs_the_applicant_does_not_see_the_documents(world, login):
    application = ApplicationFactory(person=world.person, round=world.round)
    document = add_document(world.person)
    world.person.employer = world.other_unit
    world.person.save(update_fields=["employer"])

    client = login(world.user("unit_admin"))
    html = client.get(reverse("applications:detail", args=[application.pk])).content.decode()

    assert 'id="documents"' not in html
    assert reverse("people:document", args=[document.pk]) not in html
    assert client.get(reverse("people:document", args=[document.pk])).status_code == 404
    assert not AuditEvent.objects.filter(action="document.download").exists()


def test_the_documents_cost_the_same_queries_with_one_and_three(world, login, django_assert_num_queries):
    application = ApplicationFactory(person=world.person, round=world.round)
    client = login(world.user("unit_admin"))
    url = reverse("applications:detail", args=[application.pk])
    add_document(world.person)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    add_document(world.person, kind=DocumentKind.PHOTO, name="照片.png")
    add_document(world.person, kind=DocumentKind.CERTIFICATE, name="证书.pdf")

    with django_assert_num_queries(len(one)):
        html = client.get(url).content.decode()

    assert html.count('<li class="document">') == 3


# ------------------------------------------------------------------------------- the submission time


def test_my_applications_label_the_submission_time_not_the_state(world, login):
    ApplicationFactory(person=world.person, round=world.round, state="submitted", submitted_at="2026-03-01T10:00Z")
    client = login(world.user("owner"))

    chinese = client.get(reverse("applications:mine"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(reverse("applications:mine")).content.decode()

    assert "提交时间 2026-03-01" in chinese
    assert "Submitted 2026-03-01" in english
