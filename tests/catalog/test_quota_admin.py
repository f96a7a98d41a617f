"""The quotas on a programme's admin page (catalog/admin_quotas.py): choices of the programme's own, plain messages
for every mistake, and the add page that says to save the programme first."""

from __future__ import annotations

import pytest
from django.forms import inlineformset_factory
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from medtalent.accounts.enums import Role
from medtalent.catalog.admin_quotas import QUOTA_FIELDS, SAVE_PROGRAMME_FIRST, QuotaForm, QuotaFormSet
from medtalent.catalog.enums import QuotaUnused, Track
from medtalent.catalog.models import Category, Programme, Quota
from medtalent.core.models import AuditEvent
from tests.factories import CommissionFactory, ProgrammeFactory, QuotaFactory, RoleFactory, RoundFactory, code
from tests.helpers import LOGIN_TRAIL

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

QuotaFormSetForTest = inlineformset_factory(
    Programme, Quota, form=QuotaForm, formset=QuotaFormSet, fields=QUOTA_FIELDS, fk_name="programme", extra=0
)


def row(**values) -> dict:
    base = {"track": Track.ANY, "unused": QuotaUnused.RETURN, "sort": 0, "maximum": 10, "approximate": ""}
    return {**base, **values}


def formset_data(programme, rows: list[dict], *, initial: int = 0) -> dict:
    data = {"quotas-TOTAL_FORMS": len(rows), "quotas-INITIAL_FORMS": initial}
    for index, values in enumerate(rows):
        for key, value in values.items():
            data[f"quotas-{index}-{key}"] = "" if value is None else value
        data[f"quotas-{index}-programme"] = programme.pk
    return data


def errors_of(programme, rows: list[dict], *, initial: int = 0) -> list[dict]:
    formset = QuotaFormSetForTest(formset_data(programme, rows, initial=initial), instance=programme, prefix="quotas")
    assert not formset.is_valid()
    return [dict(form.errors) for form in formset.forms]


def existing(quota: Quota, **changes) -> dict:
    values = {
        "id": quota.pk,
        "round": quota.round_id,
        "parent": quota.parent_id,
        "track": quota.track,
        "unused": quota.unused,
        "sort": quota.sort,
        "maximum": quota.maximum,
        "minimum": quota.minimum,
        "approximate": "on" if quota.approximate else "",
    }
    return {**values, **changes}


# ---- the form's checks --------------------------------------------------------------------------------------


def test_minimum_above_maximum_says_so_in_plain_words():
    programme = ProgrammeFactory()
    assert errors_of(programme, [row(minimum=5, maximum=3)]) == [
        {"minimum": ["The minimum (5) is larger than the maximum (3)."]}
    ]
    assert not Quota.objects.filter(programme=programme).exists()


def test_reserved_places_above_their_parents_are_refused():
    programme = ProgrammeFactory()
    parent = QuotaFactory(programme=programme, maximum=30)
    errors = errors_of(programme, [existing(parent), row(parent=parent.pk, maximum=31)], initial=1)
    assert errors == [{}, {"maximum": ["The reserved places (31) are more than the 30 places they are in."]}]


def test_reserved_places_together_above_the_parents_are_refused():
    programme = ProgrammeFactory()
    parent = QuotaFactory(programme=programme, maximum=30)
    QuotaFactory(programme=programme, parent=parent, maximum=20)
    errors = errors_of(programme, [existing(parent), row(parent=parent.pk, maximum=15)], initial=1)
    assert errors == [
        {"maximum": ["The places reserved within this quota add up to 35, more than its 30."]},
        {"maximum": ["The places reserved within the same quota add up to 35, more than its 30."]},
    ]


def test_lowering_a_parent_below_its_reserved_places_is_refused():
    programme = ProgrammeFactory()
    parent = QuotaFactory(programme=programme, maximum=30)
    child = QuotaFactory(programme=programme, parent=parent, maximum=5)
    errors = errors_of(programme, [existing(parent, maximum=4), existing(child)], initial=2)
    assert errors == [{}, {"maximum": ["The reserved places (5) are more than the 4 places they are in."]}]
    parent.refresh_from_db()
    assert parent.maximum == 30


def test_a_quota_of_another_programme_cannot_be_the_parent():
    programme = ProgrammeFactory()
    foreign = QuotaFactory(maximum=30)
    assert errors_of(programme, [row(parent=foreign.pk, maximum=3)]) == [
        {"parent": ["Choose one of this programme's own."]}
    ]


def test_no_quota_is_reserved_within_itself_or_its_own_reserved_places():
    programme = ProgrammeFactory()
    top = QuotaFactory(programme=programme, maximum=30)
    child = QuotaFactory(programme=programme, parent=top, maximum=5)
    assert errors_of(programme, [existing(top, parent=top.pk), existing(child)], initial=2)[0] == {
        "parent": ["A quota cannot be reserved within itself."]
    }
    errors = errors_of(programme, [existing(top, parent=child.pk), existing(child)], initial=2)
    assert errors[0] == {"parent": ["A quota cannot be reserved within itself or within its own reserved places."]}
    top.refresh_from_db()
    assert top.parent_id is None


def test_the_sending_region_must_be_a_region():
    programme = ProgrammeFactory()
    country = code("country", "FR")
    errors = errors_of(programme, [row(sending_region=country.pk)])
    assert list(errors[0]) == ["sending_region"]


def test_places_reserved_in_a_rounds_quota_belong_to_that_round():
    round_ = RoundFactory()
    programme = round_.programme
    parent = QuotaFactory(programme=programme, round=round_, maximum=30)
    errors = errors_of(programme, [existing(parent), row(parent=parent.pk, maximum=3)], initial=1)
    assert errors[1] == {"round": [f"Places reserved within a round's quota belong to the same round ({round_.name})."]}


def test_a_valid_nested_quota_is_accepted():
    programme = ProgrammeFactory()
    category = Category.objects.create(programme=programme, code="test-qa-a", name_zh="A类")
    parent = QuotaFactory(programme=programme, maximum=30)
    data = formset_data(
        programme,
        [existing(parent), row(parent=parent.pk, maximum=5, category=category.pk, unused=QuotaUnused.LAPSE)],
        initial=1,
    )
    formset = QuotaFormSetForTest(data, instance=programme, prefix="quotas")
    assert formset.is_valid(), [f.errors for f in formset.forms]
    formset.save()
    child = Quota.objects.get(parent=parent)
    assert (child.maximum, child.category, child.unused) == (5, category, QuotaUnused.LAPSE)


# ---- the programme's admin page -----------------------------------------------------------------------------


@pytest.fixture
def commission():
    return CommissionFactory(region=code("region", "330400"))


@pytest.fixture
def commission_admin(client, commission):
    user = RoleFactory(role=Role.COMMISSION_ADMIN, organisation=commission).user
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client.force_login(user)
    return user


def quota_formset(response):
    return next(f.formset for f in response.context["inline_admin_formsets"] if f.formset.prefix == "quotas")


def test_the_add_page_asks_to_save_the_programme_first(client, commission_admin):
    response = client.get(reverse("admin:catalog_programme_add"))
    assert response.status_code == 200
    assert str(SAVE_PROGRAMME_FIRST) in response.content.decode()
    form = quota_formset(response).empty_form
    assert [list(form.fields[name].queryset) for name in ("round", "category", "offering", "parent")] == [[]] * 4


def test_the_change_page_offers_only_the_programmes_own(client, commission, commission_admin):
    programme = ProgrammeFactory(owner=commission)
    own_round = RoundFactory(programme=programme)
    RoundFactory()
    own_quota = QuotaFactory(programme=programme, maximum=30)
    QuotaFactory(maximum=9)
    own_category = Category.objects.create(programme=programme, code="test-qa-own", name_zh="本项目类别")
    Category.objects.create(programme=ProgrammeFactory(), code="test-qa-other", name_zh="他项目类别")
    response = client.get(reverse("admin:catalog_programme_change", args=[programme.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert str(SAVE_PROGRAMME_FIRST) not in html
    form = quota_formset(response).empty_form
    assert list(form.fields["round"].queryset) == [own_round]
    assert list(form.fields["parent"].queryset) == [own_quota]
    assert list(form.fields["category"].queryset) == [own_category]


def management(response, **counts) -> dict:
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data[f"{prefix}-TOTAL_FORMS"] = counts.get(prefix, 0)
        data[f"{prefix}-INITIAL_FORMS"] = 0
    return data


def programme_post(programme, commission, response, rows: list[dict]) -> dict:
    data = {
        "code": programme.code,
        "name_zh": programme.name_zh,
        "owner": commission.pk,
        "programme_type": programme.programme_type,
        "duration_unit": "month",
        "sort": 0,
        **management(response, quotas=len(rows)),
    }
    for index, values in enumerate(rows):
        for key, value in values.items():
            data[f"quotas-{index}-{key}"] = value
    return data


def test_an_invalid_quota_on_the_page_shows_a_plain_message_and_saves_nothing(client, commission, commission_admin):
    programme = ProgrammeFactory(owner=commission)
    url = reverse("admin:catalog_programme_change", args=[programme.pk])
    response = client.post(url, programme_post(programme, commission, client.get(url), [row(minimum=5, maximum=3)]))
    assert response.status_code == 200
    html = response.content.decode()
    with translation.override("zh-hans"):
        message = gettext("The minimum (%(minimum)s) is larger than the maximum (%(maximum)s).")
    assert message == "最少人数（%(minimum)s）大于最多人数（%(maximum)s）。"
    assert message % {"minimum": 5, "maximum": 3} in html
    assert "quota_range_ordered" not in html
    assert not Quota.objects.filter(programme=programme).exists()
    assert not AuditEvent.objects.filter(actor=commission_admin).exclude(action__in=LOGIN_TRAIL).exists()


def test_a_nested_quota_saved_on_the_page_is_audited(client, commission, commission_admin):
    programme = ProgrammeFactory(owner=commission)
    parent = QuotaFactory(programme=programme, maximum=30)
    url = reverse("admin:catalog_programme_change", args=[programme.pk])
    page = client.get(url)
    data = programme_post(programme, commission, page, [row(parent=parent.pk, maximum=5, unused=QuotaUnused.LAPSE)])
    response = client.post(url, data)
    assert response.status_code == 302, response.context and [f.errors for f in quota_formset(response).forms]
    child = Quota.objects.get(parent=parent)
    assert (child.maximum, child.unused) == (5, QuotaUnused.LAPSE)
    event = AuditEvent.objects.get(actor=commission_admin, action="quota.create")
    assert set(event.data["fields"]) >= {"parent", "maximum", "unused"}


def test_deleting_a_quota_that_holds_reserved_places_asks_to_handle_them_first():
    programme = ProgrammeFactory()
    parent = QuotaFactory(programme=programme, maximum=30)
    child = QuotaFactory(programme=programme, parent=parent, maximum=5)
    errors = errors_of(programme, [existing(parent, DELETE="on"), existing(child)], initial=2)
    assert errors == [{}, {"parent": ["The quota chosen is being deleted."]}]
    assert Quota.objects.filter(pk__in=[parent.pk, child.pk]).count() == 2
