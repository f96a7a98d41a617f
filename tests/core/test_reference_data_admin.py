"""The shared reference data in the admin (code tables, specialties, organisations): `core.admin.ReferenceDataAdmin`
asks for `core.view_reference_data` (commission administrators and reference-data editors see it) and for the edit
permissions `accounts.rules` grants (editors of the jurisdiction for organisations, national editors for code
tables; see tests/orgs/test_admin_scope.py and tests/codes/test_admin_scope.py). Superusers may do everything; only
they delete."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from medtalent.accounts.enums import Role
from medtalent.codes.models import CodeTable
from medtalent.orgs.models import Organisation
from tests.factories import CommissionFactory, OrganisationFactory
from tests.helpers import make_user

pytestmark = pytest.mark.django_db

PAGES = ["admin:orgs_organisation_changelist", "admin:codes_codetable_changelist", "admin:codes_specialty_changelist"]


@pytest.fixture
def users():
    return {
        "commission": make_user(Role.COMMISSION_ADMIN, CommissionFactory(), is_staff=True),
        "unit": make_user(Role.UNIT_ADMIN, OrganisationFactory(), is_staff=True),
        "superuser": make_user(is_staff=True, is_superuser=True),
        "editor": make_user(Role.REFERENCE_DATA_EDITOR, CommissionFactory(), is_staff=True),
        "national-editor": make_user(Role.REFERENCE_DATA_EDITOR, CommissionFactory(region=None), is_staff=True),
    }


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(("who", "status"), [("commission", 200), ("superuser", 200), ("editor", 200), ("unit", 403)])
def test_who_sees_the_reference_data(client, users, page, who, status):
    client.force_login(users[who])
    assert client.get(reverse(page)).status_code == status


@pytest.mark.parametrize(
    ("who", "allowed", "inlines"),
    [
        ("commission", False, ["AliasInline", "DepartmentInline"]),  # shown read-only
        # A French hospital lies outside a provincial editor's jurisdiction: its page answers 404 (tests/orgs).
        ("editor", False, ["AliasInline", "DepartmentInline"]),
        ("national-editor", True, ["AliasInline", "DepartmentInline"]),
        ("superuser", True, ["AliasInline", "DepartmentInline"]),
        ("unit", False, []),
    ],
)
def test_who_edits_an_organisation_and_its_inlines(rf, users, who, allowed, inlines):
    # Asked of the admin classes: the change page itself warns about Django 6's URLField scheme (Organisation.website).
    organisation = Organisation.objects.get(code="chu-grenoble")
    request = rf.get("/admin/")
    request.user = users[who]
    model_admin = admin.site.get_model_admin(Organisation)
    assert model_admin.has_change_permission(request, organisation) is allowed
    instances = model_admin.get_inline_instances(request, organisation)
    assert [type(i).__name__ for i in instances] == inlines
    assert [
        (i.has_add_permission(request, organisation), i.has_delete_permission(request, organisation)) for i in instances
    ] == [(allowed, allowed)] * len(inlines)


@pytest.mark.parametrize(
    ("who", "status"), [("commission", 403), ("national-editor", 403), ("superuser", 200), ("unit", 403)]
)
def test_only_a_superuser_deletes(client, users, who, status):
    table = CodeTable.objects.get(slug="sex")
    client.force_login(users[who])
    assert client.get(reverse("admin:codes_codetable_delete", args=[table.pk])).status_code == status
