"""Who edits organisations in the admin (issue 10, finding 1): reference-data editors, inside their commission's
jurisdiction, and superusers. Commission administrators only see them; nobody moves an organisation out of their
jurisdiction; every change leaves an audit row."""

from __future__ import annotations

import pytest
from django.urls import reverse

from medtalent.accounts.enums import Role
from medtalent.core.models import AuditEvent
from medtalent.orgs.admin import REGION_OUTSIDE_JURISDICTION
from medtalent.orgs.models import Organisation
from tests.factories import OrganisationFactory, code
from tests.helpers import make_user, rows
from tests.orgs.admin_forms import change_form_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def zhejiang_hospital():
    return OrganisationFactory(code="test-hz-hospital", name_zh="杭州测试医院", region=code("region", "330106"))


@pytest.fixture
def guangxi_hospital():
    return OrganisationFactory(code="test-nn-hospital", name_zh="南宁测试医院", region=code("region", "450100"))


@pytest.fixture
def editor():
    return make_user(Role.REFERENCE_DATA_EDITOR, "zj-hc", is_staff=True)


@pytest.fixture
def superuser():
    return make_user(is_staff=True, is_superuser=True)


def _url(organisation) -> str:
    return reverse("admin:orgs_organisation_change", args=[organisation.pk])


def _form(client, superuser, organisation) -> dict:
    """The change form as it stands, read by a superuser (who sees every organisation)."""
    client.force_login(superuser)
    data = change_form_data(client.get(_url(organisation)))
    client.logout()
    return data


def test_a_commission_admin_sees_but_cannot_change_an_organisation(client, superuser, zhejiang_hospital):
    data = _form(client, superuser, zhejiang_hospital)
    client.force_login(make_user(Role.COMMISSION_ADMIN, "zj-hc", is_staff=True))
    before = rows(Organisation, AuditEvent)

    assert client.get(_url(zhejiang_hospital)).status_code == 200  # read-only
    response = client.post(_url(zhejiang_hospital), {**data, "name_zh": "改名医院"})

    assert response.status_code == 403
    assert rows(Organisation, AuditEvent) == before


def test_an_editor_changes_an_organisation_inside_the_jurisdiction_and_it_is_audited(
    client, superuser, editor, zhejiang_hospital
):
    data = _form(client, superuser, zhejiang_hospital)
    wenzhou = code("region", "330302")
    client.force_login(editor)

    response = client.post(_url(zhejiang_hospital), {**data, "name_zh": "杭州改名医院", "region": str(wenzhou.pk)})

    assert response.status_code == 302
    zhejiang_hospital.refresh_from_db()
    assert (zhejiang_hospital.name_zh, zhejiang_hospital.region_id) == ("杭州改名医院", wenzhou.pk)
    event = AuditEvent.objects.get(action="admin.change", object_type="orgs.organisation")
    assert (event.actor, event.object_id) == (editor, str(zhejiang_hospital.pk))
    assert event.data == {"changed": ["name_zh", "region"]}


def test_an_editor_cannot_see_or_change_an_organisation_outside_the_jurisdiction(
    client, superuser, editor, guangxi_hospital
):
    data = _form(client, superuser, guangxi_hospital)
    missing = reverse("admin:orgs_organisation_change", args=[Organisation.objects.order_by("pk").last().pk + 1000])
    client.force_login(editor)
    before = rows(Organisation, AuditEvent)

    outside_get = client.get(_url(guangxi_hospital))
    outside_post = client.post(_url(guangxi_hospital), {**data, "region": str(code("region", "330106").pk)})

    assert outside_get.status_code == outside_post.status_code == client.get(missing).status_code == 404
    assert rows(Organisation, AuditEvent) == before


def test_an_editor_cannot_move_an_organisation_out_of_the_jurisdiction(client, superuser, editor, zhejiang_hospital):
    data = _form(client, superuser, zhejiang_hospital)
    client.force_login(editor)
    before = rows(Organisation, AuditEvent)

    moved = client.post(_url(zhejiang_hospital), {**data, "region": str(code("region", "450100").pk)})
    cleared = client.post(_url(zhejiang_hospital), {**data, "region": ""})

    for response in (moved, cleared):
        assert response.status_code == 200
        assert response.context["adminform"].form.errors["region"] == [str(REGION_OUTSIDE_JURISDICTION)]
    assert rows(Organisation, AuditEvent) == before


def test_an_editor_adds_an_organisation_only_inside_the_jurisdiction(client, editor):
    client.force_login(editor)
    url = reverse("admin:orgs_organisation_add")
    base = {
        "code": "test-new-hospital",
        "name_zh": "新建测试医院",
        "kind": "hospital",
        "aliases-TOTAL_FORMS": "0",
        "aliases-INITIAL_FORMS": "0",
        "departments-TOTAL_FORMS": "0",
        "departments-INITIAL_FORMS": "0",
        "is_active": "on",
    }
    before = rows(Organisation, AuditEvent)

    refused = client.post(url, {**base, "region": str(code("region", "450100").pk)})

    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors["region"] == [str(REGION_OUTSIDE_JURISDICTION)]
    assert rows(Organisation, AuditEvent) == before

    added = client.post(url, {**base, "region": str(code("region", "330106").pk)})

    assert added.status_code == 302
    organisation = Organisation.objects.get(code="test-new-hospital")
    assert organisation.region.code == "330106"
    event = AuditEvent.objects.get(action="admin.add")
    assert (event.actor, event.object_type, event.object_id) == (editor, "orgs.organisation", str(organisation.pk))


def test_the_editor_list_and_region_choices_are_the_jurisdiction(client, editor, zhejiang_hospital, guangxi_hospital):
    client.force_login(editor)

    listed = client.get(reverse("admin:orgs_organisation_changelist"), {"q": "测试医院"})
    regions = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "orgs", "model_name": "organisation", "field_name": "region", "term": "区"},
    )

    assert [o.code for o in listed.context["cl"].result_list] == ["test-hz-hospital"]
    codes = [row["text"].split()[0] for row in regions.json()["results"]]
    assert codes
    assert [c for c in codes if not c.startswith("33")] == []


def test_a_superuser_moves_any_organisation_anywhere(client, superuser, guangxi_hospital):
    data = _form(client, superuser, guangxi_hospital)
    client.force_login(superuser)
    hangzhou = code("region", "330106")

    response = client.post(_url(guangxi_hospital), {**data, "region": str(hangzhou.pk)})

    assert response.status_code == 302
    guangxi_hospital.refresh_from_db()
    assert guangxi_hospital.region_id == hangzhou.pk
    assert AuditEvent.objects.filter(action="admin.change", object_id=str(guangxi_hospital.pk)).count() == 1


def test_only_a_superuser_deletes_an_organisation(client, editor, zhejiang_hospital):
    client.force_login(editor)
    before = rows(Organisation, AuditEvent)

    response = client.post(reverse("admin:orgs_organisation_delete", args=[zhejiang_hospital.pk]), {"post": "yes"})

    assert response.status_code == 403
    assert rows(Organisation, AuditEvent) == before
