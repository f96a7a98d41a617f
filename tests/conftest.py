"""Test harness. The seed data (code tables, specialties, organisations, programmes) is loaded once
per session into the test database, as `make run` loads it; each test runs in a rolled-back transaction."""

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_seeds", stdout=StringIO(), stderr=StringIO())


@pytest.fixture
def api_client(client):
    return client
