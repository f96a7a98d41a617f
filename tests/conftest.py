"""Test harness. The seed data (code tables, specialties, organisations, programmes) is loaded once
per session into the test database, as `make run` loads it; each test runs in a rolled-back transaction."""

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_seeds", stdout=StringIO(), stderr=StringIO())


@pytest.fixture
def api_client(client):
    return client


@pytest.fixture
def english():
    """Messages asserted word for word as their English msgids, whatever the Chinese catalogue says.
    A module that checks every message so uses `pytestmark = pytest.mark.usefixtures("english")`."""
    with translation.override("en"):
        yield


@pytest.fixture
def english_browser(client, english):
    """`english`, and the test client's browser chose English too (language cookie and header)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client
