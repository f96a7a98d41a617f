"""Commission staff edit the catalogue in the administration pages, inside their jurisdiction only."""

import pytest
from django.urls import reverse

from medtalent.accounts.enums import Role
from medtalent.catalog.admin import EligibilityRuleForm
from medtalent.catalog.models import Programme, Round
from medtalent.core.models import AuditEvent
from tests.factories import CommissionFactory, OrganisationFactory, ProgrammeFactory, RoleFactory, code
from tests.helpers import LOGIN_TRAIL

pytestmark = pytest.mark.django_db


@pytest.fixture
def wenzhou():
    """A city commission (Jiaxing's code: no seed programme lies in its jurisdiction)."""
    return CommissionFactory(region=code("region", "330400"))


@pytest.fixture
def wenzhou_admin(wenzhou):
    user = RoleFactory(role=Role.COMMISSION_ADMIN, organisation=wenzhou).user
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


def test_changelist_shows_only_programmes_in_the_jurisdiction(client, wenzhou, wenzhou_admin):
    own = ProgrammeFactory(owner=wenzhou)
    ProgrammeFactory(owner=CommissionFactory(region=code("region", "450000")))
    client.force_login(wenzhou_admin)
    response = client.get(reverse("admin:catalog_programme_changelist"))
    assert response.status_code == 200
    assert [p.code for p in response.context["cl"].result_list] == [own.code]


def test_editing_a_programme_saves_and_audits(client, wenzhou, wenzhou_admin):
    programme = ProgrammeFactory(owner=wenzhou)
    client.force_login(wenzhou_admin)
    url = reverse("admin:catalog_programme_change", args=[programme.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data.update(
        {
            "code": programme.code,
            "name_zh": "改过的名称",
            "owner": wenzhou.pk,
            "duration_unit": "month",
            "sort": 0,
        }
    )
    for prefix in ("accepted_specialties", "quotas", "rules", "categories", "rounds"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    response = client.post(url, data)
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.name_zh == "改过的名称"
    event = AuditEvent.objects.get(object_type="catalog.programme", object_id=str(programme.pk))
    assert (event.action, event.actor) == ("programme.change", wenzhou_admin)
    assert "name_zh" in event.data["fields"]


def test_a_programme_outside_the_jurisdiction_cannot_be_opened_or_changed(client, wenzhou_admin):
    other = ProgrammeFactory(owner=CommissionFactory(region=code("region", "450000")), name_zh="原名")
    client.force_login(wenzhou_admin)
    url = reverse("admin:catalog_programme_change", args=[other.pk])
    assert client.get(url).status_code == 302  # the admin redirects to its index for an object it hides
    response = client.post(url, {"code": other.code, "name_zh": "被改了"})
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.name_zh == "原名"
    assert not AuditEvent.objects.filter(object_id=str(other.pk), object_type="catalog.programme").exists()


def test_unit_admin_cannot_open_the_catalogue_administration(client):
    user = RoleFactory(role=Role.UNIT_ADMIN, organisation=CommissionFactory()).user
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    before = Programme.objects.count()
    client.force_login(user)
    assert client.get(reverse("admin:catalog_programme_changelist")).status_code == 403
    assert client.post(reverse("admin:catalog_programme_add"), {"code": "x", "name_zh": "x"}).status_code == 403
    assert Programme.objects.count() == before


def _round_form(programme, code: str, host) -> dict:
    return {
        "programme": programme.pk,
        "code": code,
        "name_zh": "2027年第一批",
        "name_en": "2027, batch 1",
        "year": 2027,
        "application_opens": "2027-01-05",
        "application_closes": "2027-02-05",
        "offerings-TOTAL_FORMS": 1,
        "offerings-INITIAL_FORMS": 0,
        "offerings-0-host": host.pk,
        "offerings-0-track": "doctor",
        "offerings-0-capacity": 4,
        "offerings-0-sort": 0,
    }


def test_commission_adds_a_round_with_an_offering_to_its_programme(client, wenzhou, wenzhou_admin):
    programme = ProgrammeFactory(owner=wenzhou)
    host = OrganisationFactory()
    client.force_login(wenzhou_admin)
    response = client.post(reverse("admin:catalog_round_add"), _round_form(programme, "test-2027-1", host))
    assert response.status_code == 302
    round_ = Round.objects.get(code="test-2027-1")
    assert (round_.programme, round_.application_closes.isoformat()) == (programme, "2027-02-05")
    assert [(o.host, o.capacity) for o in round_.offerings.all()] == [(host, 4)]
    actions = set(
        AuditEvent.objects.filter(actor=wenzhou_admin).exclude(action__in=LOGIN_TRAIL).values_list("action", flat=True)
    )
    assert actions == {"round.create", "offering.create"}
    # The inline row is saved through the catalogue's services, audited with the fields its form filled in.
    offering = AuditEvent.objects.get(actor=wenzhou_admin, action="offering.create")
    assert set(offering.data["fields"]) >= {"host", "capacity"}


def test_commission_cannot_add_a_round_to_another_commissions_programme(client, wenzhou_admin):
    other = ProgrammeFactory(owner=CommissionFactory(region=code("region", "450000")))
    client.force_login(wenzhou_admin)
    response = client.post(reverse("admin:catalog_round_add"), _round_form(other, "test-2027-x", OrganisationFactory()))
    assert response.status_code == 200  # the form comes back with an error on the programme field
    assert "programme" in response.context["adminform"].form.errors
    assert not Round.objects.filter(code="test-2027-x").exists()
    assert not AuditEvent.objects.filter(actor=wenzhou_admin).exclude(action__in=LOGIN_TRAIL).exists()


# The rule form has typed fields (catalog/admin_rules.py; issue 12): the JSON `params` field is gone, each problem is
# on the field it is about. More in test_admin_rules.py.
@pytest.mark.parametrize(
    ("kind", "fields", "error_field"),
    [
        ("max_age", {"years": 55}, None),
        ("max_age", {"years": "fifty"}, "years"),
        ("designation", {"designations": ["D01"]}, None),
        ("designation", {"designations": ["D99"]}, "designations"),
        ("min_title", {"grade": "intermediate", "relaxed_for_levels": ["2"]}, None),
        ("min_title", {"grade": "intermediate", "relaxed_for_levels": ["9"]}, "relaxed_for_levels"),
    ],
)
def test_rule_form_checks_parameters(kind, fields, error_field):
    programme = ProgrammeFactory()
    form = EligibilityRuleForm(data={"programme": programme.pk, "kind": kind, "is_blocking": True, "sort": 0, **fields})
    assert form.is_valid() == (error_field is None)
    assert list(form.errors) == ([error_field] if error_field else [])


def test_delete_selected_rounds_leaves_an_audit_row_for_each(client, wenzhou, wenzhou_admin):
    programme = ProgrammeFactory(owner=wenzhou)
    rounds = [
        Round.objects.create(
            programme=programme,
            code=f"bulk-{n}",
            name_zh=f"批次{n}",
            year=2027,
            application_opens="2027-01-01",
            application_closes="2027-02-01",
        )
        for n in (1, 2)
    ]
    client.force_login(wenzhou_admin)

    response = client.post(
        reverse("admin:catalog_round_changelist"),
        {"action": "delete_selected", "_selected_action": [r.pk for r in rounds], "post": "yes"},
    )

    assert response.status_code == 302
    assert Round.objects.filter(programme=programme).count() == 0
    assert sorted(
        AuditEvent.objects.filter(actor=wenzhou_admin, action="round.delete").values_list("object_id", flat=True)
    ) == sorted(str(r.pk) for r in rounds)
