"""Downloads of personal data leave an audit event naming who, what and which region, never the contents."""

from __future__ import annotations

import pytest
from django.urls import reverse

from medtalent.core.models import AuditEvent
from medtalent.people import services
from tests.factories import ApplicationFactory
from tests.people.conftest import PDF_BYTES, english_client, private_media, upload, world  # noqa: F401

pytestmark = pytest.mark.django_db


def test_a_document_download_is_audited(world):  # noqa: F811
    document = services.document_add(
        actor=world.person_user, person=world.person, kind="cv", uploaded_file=upload("简历.pdf", PDF_BYTES)
    )
    response = english_client(world.unit_admin).get(reverse("people:document", args=[document.pk]))
    assert b"".join(response.streaming_content) == PDF_BYTES
    event = AuditEvent.objects.get(action="document.download")
    assert (event.actor_id, event.object_type, event.object_id, event.data) == (
        world.unit_admin.pk,
        "people.document",
        str(document.pk),
        {"kind": "cv"},
    )
    assert event.region_code == "330106"


def test_a_refused_document_download_is_not_audited(world):  # noqa: F811
    document = services.document_add(
        actor=world.person_user, person=world.person, kind="cv", uploaded_file=upload("简历.pdf", PDF_BYTES)
    )
    client = english_client(world.other_unit_admin)  # logging in may be audited itself
    before = AuditEvent.objects.count()
    assert client.get(reverse("people:document", args=[document.pk])).status_code == 404
    assert AuditEvent.objects.count() == before


def test_the_application_pdf_is_audited(world):  # noqa: F811
    application = ApplicationFactory(person=world.person, unit=world.hospital)
    response = english_client(world.person_user).get(reverse("applications:pdf", args=[application.pk]))
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="application.pdf")
    assert (event.actor_id, event.object_id, event.data) == (world.person_user.pk, str(application.pk), {})
