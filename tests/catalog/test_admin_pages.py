"""The catalogue's admin pages as an administrator configures a new policy (issue 12): constraint messages in plain
words, the round's reference date, the new programme and category fields, the history in the site's language, the
organisation tags, the page width."""

import json

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from medtalent.accounts.enums import Role
from medtalent.catalog.models import Category, Quota, Round
from medtalent.core.models import AuditEvent
from medtalent.orgs.models import Organisation, Tag
from tests.factories import CommissionFactory, OrganisationFactory, ProgrammeFactory, RoleFactory, code
from tests.helpers import LOGIN_TRAIL, rows

pytestmark = pytest.mark.django_db

INLINES = ("accepted_specialties", "quotas", "rules", "categories", "rounds")


@pytest.fixture
def commission():
    return CommissionFactory(region=code("region", "330400"))


@pytest.fixture
def commission_admin(commission):
    user = RoleFactory(role=Role.COMMISSION_ADMIN, organisation=commission).user
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


def _programme_data(programme, **inlines) -> dict:
    data = {
        "code": programme.code,
        "name_zh": programme.name_zh,
        "owner": programme.owner_id,
        "programme_type": programme.programme_type,
        "duration_unit": "month",
        "sort": 0,
    }
    for prefix in INLINES:
        forms = inlines.get(prefix, [])
        data.update({f"{prefix}-TOTAL_FORMS": len(forms), f"{prefix}-INITIAL_FORMS": 0})
        for n, form in enumerate(forms):
            data.update({f"{prefix}-{n}-{key}": value for key, value in form.items()})
    return data


def _errors(response, prefix: str) -> list:
    formset = next(f.formset for f in response.context["inline_admin_formsets"] if f.formset.prefix == prefix)
    return [form.errors for form in formset.forms]


def _message(msgid: str) -> str:
    with translation.override("zh-hans"):
        return gettext(msgid)


# ---- Constraints in plain words ---------------------------------------------------------------------------------


def test_a_category_longer_at_least_than_at_most_is_refused_in_plain_words(client, commission, commission_admin):
    programme = ProgrammeFactory(owner=commission)
    client.force_login(commission_admin)
    url = reverse("admin:catalog_programme_change", args=[programme.pk])
    category = {
        "code": "test-dur",
        "name_zh": "时长颠倒",
        "duration_min": 3,
        "duration_max": 2,
        "duration_unit": "month",
    }
    with translation.override("zh-hans"):
        response = client.post(url, _programme_data(programme, categories=[{**category, "sort": 0}]))
    assert response.status_code == 200
    assert _errors(response, "categories")[0]["__all__"] == [
        _message("The shortest duration is longer than the longest.")
    ]
    assert "category_duration_range_ordered" not in response.content.decode()
    assert not Category.objects.filter(code="test-dur").exists()


def test_the_category_page_refuses_a_reversed_duration(client, commission, commission_admin):
    programme = ProgrammeFactory(owner=commission)
    category = Category.objects.create(programme=programme, code="test-dur-page", name_zh="类别")
    client.force_login(commission_admin)
    data = {
        "programme": programme.pk,
        "code": category.code,
        "name_zh": category.name_zh,
        "duration_min": 6,
        "duration_max": 3,
        "duration_unit": "month",
        "report_due_unit": "months",
        "progress_every_unit": "weeks",
        "sort": 0,
        "rules-TOTAL_FORMS": 0,
        "rules-INITIAL_FORMS": 0,
    }
    with translation.override("zh-hans"):
        response = client.post(reverse("admin:catalog_category_change", args=[category.pk]), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [
        _message("The shortest duration is longer than the longest.")
    ]
    category.refresh_from_db()
    assert (category.duration_min, category.duration_max) == (None, None)


def test_a_quota_minimum_above_its_maximum_is_refused_in_plain_words(client, commission, commission_admin):
    programme = ProgrammeFactory(owner=commission)
    client.force_login(commission_admin)
    url = reverse("admin:catalog_programme_change", args=[programme.pk])
    quota = {"track": "any", "minimum": 9, "maximum": 3, "unused": "return", "approximate": "on", "sort": 0}
    with translation.override("zh-hans"):
        response = client.post(url, _programme_data(programme, quotas=[quota]))
    assert response.status_code == 200
    # The quota form (admin_quotas.py) names the field and the figures; never the constraint's internal name.
    with translation.override("zh-hans"):
        expected = gettext("The minimum (%(minimum)s) is larger than the maximum (%(maximum)s).") % {
            "minimum": 9,
            "maximum": 3,
        }
    assert _errors(response, "quotas")[0]["minimum"] == [expected]
    assert "quota_range_ordered" not in response.content.decode()
    assert not Quota.objects.filter(programme=programme).exists()


def test_a_round_closing_before_it_opens_is_refused_in_plain_words(client, commission, commission_admin):
    programme = ProgrammeFactory(owner=commission)
    client.force_login(commission_admin)
    url = reverse("admin:catalog_programme_change", args=[programme.pk])
    round_ = {
        "code": "test-window",
        "name_zh": "倒序",
        "application_opens": "2027-03-31",
        "application_closes": "2027-03-01",
    }
    with translation.override("zh-hans"):
        response = client.post(url, _programme_data(programme, rounds=[round_]))
    assert response.status_code == 200
    assert _errors(response, "rounds")[0]["__all__"] == [_message("Applications close before they open.")]
    assert not Round.objects.filter(code="test-window").exists()


# ---- The round's reference date; the new fields ----------------------------------------------------------------


def test_the_round_inline_sets_the_reference_date(client, commission, commission_admin):
    programme = ProgrammeFactory(owner=commission)
    client.force_login(commission_admin)
    url = reverse("admin:catalog_programme_change", args=[programme.pk])
    assert 'name="rounds-__prefix__-reference_date"' in client.get(url).content.decode()
    round_ = {
        "code": "test-ref",
        "name_zh": "第一批",
        "application_opens": "2027-03-01",
        "application_closes": "2027-03-31",
        "reference_date": "2027-03-31",
    }
    response = client.post(url, _programme_data(programme, rounds=[round_]))
    assert response.status_code == 302
    assert Round.objects.get(code="test-ref").reference_date.isoformat() == "2027-03-31"


def test_the_programme_page_sets_who_may_send_and_the_equivalence_switch(client, commission, commission_admin):
    programme = ProgrammeFactory(owner=commission)
    tag = Tag.objects.create(code="hz-county", name_zh="海州县级医院")
    unit = OrganisationFactory(region=code("region", "330402"))
    client.force_login(commission_admin)
    url = reverse("admin:catalog_programme_change", args=[programme.pk])
    html = client.get(url).content.decode()
    for field in ("equivalent_level_allowed", "sending_regions", "sending_tags", "sending_units"):
        assert f'name="{field}"' in html
    data = _programme_data(programme)
    data.update(
        {
            "equivalent_level_allowed": "on",
            "sending_tags": [tag.pk],
            "sending_units": [unit.pk],
            "sending_regions": [code("region", "330400").pk],
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.equivalent_level_allowed is True
    assert list(programme.sending_tags.all()) == [tag]
    assert list(programme.sending_units.all()) == [unit]
    assert [c.code for c in programme.sending_regions.all()] == ["330400"]


def test_the_category_page_sets_the_report_deadline_and_cadence(client, commission, commission_admin):
    programme = ProgrammeFactory(owner=commission)
    category = Category.objects.create(programme=programme, code="test-reports", name_zh="类别")
    client.force_login(commission_admin)
    data = {
        "programme": programme.pk,
        "code": category.code,
        "name_zh": category.name_zh,
        "duration_unit": "month",
        "report_due_value": 10,
        "report_due_unit": "working_days",
        "progress_every_value": 2,
        "progress_every_unit": "weeks",
        "sort": 0,
        "rules-TOTAL_FORMS": 0,
        "rules-INITIAL_FORMS": 0,
    }
    response = client.post(reverse("admin:catalog_category_change", args=[category.pk]), data)
    assert response.status_code == 302
    category.refresh_from_db()
    assert (category.report_due_value, category.report_due_unit, category.report_due_roll) == (
        10,
        "working_days",
        False,
    )
    assert (category.progress_every_value, category.progress_every_unit) == (2, "weeks")


def test_the_category_page_links_to_the_rule_preview(client, commission, commission_admin):
    category = Category.objects.create(programme=ProgrammeFactory(owner=commission), code="test-link", name_zh="类别")
    client.force_login(commission_admin)
    html = client.get(reverse("admin:catalog_category_change", args=[category.pk])).content.decode()
    assert f'href="{reverse("eligibility:category_preview", args=[category.pk])}"' in html


def test_the_programme_add_page_loads_the_catalogue_styles(client, commission_admin):
    client.force_login(commission_admin)
    response = client.get(reverse("admin:catalog_programme_add"))
    assert response.status_code == 200
    assert "css/admin-catalog.css" in response.content.decode()


# ---- The history in the site's language -------------------------------------------------------------------------


def test_the_history_names_an_added_quota_in_chinese_whatever_the_editors_language(
    client, commission, commission_admin
):
    programme = ProgrammeFactory(owner=commission, name_zh="海州计划", name_en="Haizhou plan")
    client.force_login(commission_admin)
    client.cookies["django_language"] = "en"
    quota = {"track": "any", "maximum": 30, "unused": "return", "approximate": "on", "sort": 0}
    with translation.override("en"):
        response = client.post(
            reverse("admin:catalog_programme_change", args=[programme.pk]), _programme_data(programme, quotas=[quota])
        )
    assert response.status_code == 302
    saved = Quota.objects.get(programme=programme)
    with translation.override("zh-hans"):
        chinese = str(saved)
    entry = LogEntry.objects.get(object_id=str(programme.pk), content_type__model="programme")
    assert json.loads(entry.change_message)[-1] == {"added": {"name": "quota", "object": chinese}}
    assert chinese == "各类人员约 30 人"
    assert entry.object_repr == "海州计划"


# ---- Organisation tags ------------------------------------------------------------------------------------------


def test_a_commission_admin_creates_a_tag_for_regions_and_units_of_its_jurisdiction(client, commission_admin):
    inside = OrganisationFactory(region=code("region", "330402"))
    outside = OrganisationFactory(region=code("region", "450100"))
    client.force_login(commission_admin)
    form = client.get(reverse("admin:orgs_tag_add")).context["adminform"].form
    assert inside in form.fields["organisations"].queryset
    assert outside not in form.fields["organisations"].queryset
    response = client.post(
        reverse("admin:orgs_tag_add"),
        {
            "code": "mountain-island",
            "name_zh": "山区海岛县",
            "regions": [code("region", "330402").pk],
            "organisations": [inside.pk],
        },
    )
    assert response.status_code == 302
    tag = Tag.objects.get(code="mountain-island")
    assert [r.code for r in tag.regions.all()] == ["330402"]
    assert list(tag.organisations.all()) == [inside]
    assert AuditEvent.objects.filter(actor=commission_admin, action="admin.add", object_type="orgs.tag").exists()


def test_a_tag_keeps_the_units_outside_the_editors_jurisdiction(client, commission_admin):
    outside = OrganisationFactory(region=code("region", "450100"))
    inside = OrganisationFactory(region=code("region", "330402"))
    tag = Tag.objects.create(code="poor-county", name_zh="欠发达县")
    tag.organisations.add(outside, inside)
    client.force_login(commission_admin)
    response = client.post(
        reverse("admin:orgs_tag_change", args=[tag.pk]), {"code": tag.code, "name_zh": tag.name_zh, "organisations": []}
    )
    assert response.status_code == 302
    assert list(tag.organisations.all()) == [outside]


def test_a_region_outside_the_jurisdiction_cannot_be_tagged(client, commission_admin):
    client.force_login(commission_admin)
    response = client.post(
        reverse("admin:orgs_tag_add"),
        {"code": "far-away", "name_zh": "区外", "regions": [code("region", "450100").pk]},
    )
    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["regions"]
    assert not Tag.objects.filter(code="far-away").exists()


def test_a_unit_admin_cannot_edit_tags(client):
    user = RoleFactory(role=Role.UNIT_ADMIN, organisation=OrganisationFactory()).user
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    tag = Tag.objects.create(code="kept", name_zh="保持")
    before = rows(Tag, Organisation.tags.through, AuditEvent)
    client.force_login(user)
    assert client.get(reverse("admin:orgs_tag_changelist")).status_code == 403
    assert client.post(reverse("admin:orgs_tag_add"), {"code": "new", "name_zh": "新"}).status_code == 403
    response = client.post(reverse("admin:orgs_tag_change", args=[tag.pk]), {"code": "kept", "name_zh": "改"})
    assert response.status_code == 403
    after = rows(Tag, Organisation.tags.through, AuditEvent)
    after["core.AuditEvent"] = [e for e in after["core.AuditEvent"] if e["action"] not in LOGIN_TRAIL]
    assert after == before


def test_the_organisation_page_has_the_tags_field(client):
    superuser = RoleFactory(role=Role.COMMISSION_ADMIN, organisation=CommissionFactory()).user
    superuser.is_staff = superuser.is_superuser = True
    superuser.save(update_fields=["is_staff", "is_superuser"])
    organisation = OrganisationFactory()
    client.force_login(superuser)
    html = client.get(reverse("admin:orgs_organisation_change", args=[organisation.pk])).content.decode()
    assert 'name="tags"' in html
