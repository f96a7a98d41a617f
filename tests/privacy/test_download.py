"""The person downloads all their data as JSON and as PDF: in clear (their own), audited, never cached; a fixed
number of queries whatever the number of applications; and the privacy page with its links."""

import json

import pytest
from django.urls import reverse

from medtalent.applications.services import application_withdraw
from medtalent.core.models import AuditEvent
from medtalent.core.pdf import pdf_document
from medtalent.privacy.pdf import person_data_html
from tests.privacy.conftest import EMAIL, ID_NUMBER, NAME, PHONE, application, english_client, stint

pytestmark = pytest.mark.django_db

JSON_URL = reverse("privacy:download_json")
PDF_URL = reverse("privacy:download_pdf")


def test_the_json_holds_everything_in_clear(world):
    app = application(world.person, "submitted")
    application_withdraw(actor=world.user, application=app)
    stint(world.person, "completed", ends_on=app.created_at.date())
    response = english_client(world.user).get(JSON_URL)
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"].startswith('attachment; filename="medtalent-my-data-')
    data = json.loads(response.content)
    assert sorted(data) == [
        "applications",
        "consents",
        "deletion_requests",
        "documents",
        "language_certificates",
        "profile",
        "stints",
    ]
    profile = data["profile"]
    assert (profile["name"], profile["id_number"], profile["phone"], profile["email"]) == (
        NAME,
        ID_NUMBER,
        PHONE,
        EMAIL,
    )
    assert (profile["health_status"], profile["cv_text"]) == ("良好", "2010年起任心内科主治医师")
    assert data["language_certificates"] == [{"test": "IELTS", "score": "7.0", "taken_on": "2024-05-01"}]
    assert [d["file_name"] for d in data["documents"]] == ["简历.pdf"]
    assert [(h["from"], h["to"]) for h in data["applications"][0]["history"]] == [("submitted", "withdrawn")]
    assert data["applications"][0]["state"] == "Withdrawn"
    assert [s["host"] for s in data["stints"]] == ["First Affiliated Hospital, ZJU"]
    assert sorted(c["notice"] for c in data["consents"]) == ["Privacy notice", "Sensitive personal information"]


def test_each_download_is_audited_without_the_data(world):
    client = english_client(world.user)
    client.get(JSON_URL)
    events = list(AuditEvent.objects.filter(action="person.data_download").values_list("actor_id", "object_id", "data"))
    assert events == [(world.user.pk, str(world.person.pk), {"format": "json"})]


def test_the_pdf_is_served_uncached_and_audited(world):
    response = english_client(world.user).get(PDF_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert response.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="person.data_download", data={"format": "pdf"}).count() == 1


def test_the_pdf_reads_in_chinese_with_the_clear_values(world):
    html = person_data_html(user=world.user)
    for text in (
        "个人信息副本",
        "个人档案",
        ID_NUMBER,
        PHONE,
        "简历.pdf",
        "IELTS",
    ):
        assert text in html
    pages = pdf_document(html).pages
    assert len(pages) >= 1


def test_a_visitor_is_sent_to_log_in_and_a_user_without_a_profile_gets_404(world):
    assert english_client().get(JSON_URL).status_code == 302
    assert english_client(world.other).get(JSON_URL).status_code == 404
    assert english_client(world.other).get(PDF_URL).status_code == 404
    assert AuditEvent.objects.filter(action="person.data_download").count() == 0


@pytest.mark.parametrize("count", [1, 3])
def test_the_json_costs_the_same_queries_for_1_and_3_applications(world, count, django_assert_num_queries):
    for _ in range(count):
        app = application(world.person, "submitted")
        application_withdraw(actor=world.user, application=app)
        stint(world.person, "completed", ends_on=app.created_at.date())
    client = english_client(world.user)
    client.get(JSON_URL)  # the session and the user are loaded once
    with django_assert_num_queries(QUERIES):
        client.get(JSON_URL)


QUERIES = 16  # session, user, profile and its 4 prefetches (designations, languages, earlier titles, documents), applications, preferences, history, stints, …


def test_the_privacy_page_shows_consents_downloads_and_deletion(world):
    html = english_client(world.user).get(reverse("privacy:home")).content.decode()
    assert html.count('class="button danger" href="/me/privacy/withdraw/') == 2
    assert f'href="{JSON_URL}"' in html
    assert f'href="{PDF_URL}"' in html
    assert 'href="/me/privacy/deletion/"' in html
    assert "Records of programmes taken part in: 10 years" in html


def test_the_profile_links_to_the_privacy_page(world):
    html = english_client(world.user).get(reverse("people:profile")).content.decode()
    assert 'href="/me/privacy/"' in html
