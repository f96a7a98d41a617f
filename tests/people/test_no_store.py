"""Pages and files with personal data carry `Cache-Control: no-store`: no browser cache, proxy or shared hospital
PC keeps them. The middleware is appended here with modify_settings (nothing changes once it is in MIDDLEWARE)."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import modify_settings
from django.urls import reverse

from medtalent.applications.models import Application
from medtalent.core.middleware import NoStoreMiddleware
from medtalent.people import services
from tests.factories import ApplicationFactory
from tests.people.conftest import PDF_BYTES, english_client, upload

pytestmark = pytest.mark.django_db

NO_STORE = "medtalent.core.middleware.NoStoreMiddleware"


@pytest.fixture(autouse=True)
def _no_store_middleware():
    """After the authentication middleware, as in settings.MIDDLEWARE once wired (then this changes nothing)."""
    with modify_settings(MIDDLEWARE={"append": NO_STORE}):
        yield


def no_store(response) -> tuple:
    return response.status_code, response["Cache-Control"], response.get("Pragma")


def test_the_person_page_is_not_stored(world):
    response = english_client(world.unit_admin).get(reverse("people:detail", args=[world.person.pk]))
    assert no_store(response) == (200, "no-store", "no-cache")


def test_the_own_profile_page_is_not_stored(world):
    response = english_client(world.person_user).get(reverse("people:profile"))
    assert no_store(response) == (200, "no-store", "no-cache")


def test_a_revealed_id_number_fragment_is_not_stored(world):
    response = english_client(world.unit_admin).post(
        reverse("people:reveal", args=[world.person.pk, "id_number"]), headers={"HX-Request": "true"}
    )
    assert no_store(response) == (200, "no-store", "no-cache")
    assert world.person.id_number in response.content.decode()


def test_a_document_download_is_not_stored(world):
    document = services.document_add(
        actor=world.person_user, person=world.person, kind="cv", uploaded_file=upload("简历.pdf", PDF_BYTES)
    )
    response = english_client(world.unit_admin).get(reverse("people:document", args=[document.pk]))
    # The view sets its own header, which the middleware keeps.
    assert (response.status_code, response["Cache-Control"]) == (200, "private, no-store")
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_the_application_pdf_is_not_stored(world):
    application: Application = ApplicationFactory(person=world.person, unit=world.hospital)
    response = english_client(world.person_user).get(reverse("applications:pdf", args=[application.pk]))
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert response["Cache-Control"] == "no-store"


def test_an_anonymous_public_page_is_left_alone(client):
    response = client.get(reverse("catalog:home"))
    assert (response.status_code, response.has_header("Cache-Control")) == (200, False)


def test_a_view_that_chose_its_caching_keeps_it(world, rf):
    def view(request):
        response = HttpResponse("x")
        response["Cache-Control"] = "private, max-age=60"
        return response

    request = rf.get("/")
    request.user = world.unit_admin
    assert NoStoreMiddleware(view)(request)["Cache-Control"] == "private, max-age=60"
    request.user = world.unit_admin
    assert NoStoreMiddleware(lambda r: HttpResponse("x"))(request)["Cache-Control"] == "no-store"
