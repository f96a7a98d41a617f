"""The admin: the programme's yearly key work and dimensions are editable (audited); targets and reviews are
read-only there (they change through the services)."""

import pytest
from django.urls import reverse

from medtalent.accounts.enums import Role
from medtalent.annual import services
from medtalent.annual.enums import TargetKind
from medtalent.annual.models import EvaluationDimension, YearFocus
from medtalent.core.models import AuditEvent
from tests.annual.conftest import COMMISSION, make_user, org
from tests.factories import CommissionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_commission():
    user = make_user(Role.COMMISSION_ADMIN, org(COMMISSION))
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


def test_commission_edits_a_dimension_and_it_is_audited(client, staff_commission, pairing):
    client.force_login(staff_commission)
    assert client.get(reverse("admin:annual_yearfocus_changelist")).status_code == 200
    assert client.get(reverse("admin:annual_evaluationdimension_changelist")).status_code == 200
    dimension = EvaluationDimension.objects.get(programme=pairing.programme, code="organisation")
    url = reverse("admin:annual_evaluationdimension_change", args=[dimension.pk])
    response = client.post(
        url,
        {
            "programme": pairing.programme.pk,
            "code": "organisation",
            "name_zh": "组织管理",
            "name_en": "Organisation and management",
            "max_score": 20,
            "sort": 10,
        },
    )
    assert response.status_code == 302
    assert EvaluationDimension.objects.get(pk=dimension.pk).max_score == 20
    event = AuditEvent.objects.get(action="evaluationdimension.change", object_id=str(dimension.pk))
    assert event.data == {"fields": ["max_score"]}


def test_targets_are_read_only_in_the_admin(client, staff_commission, pairing):
    target = services.target_create(
        actor=staff_commission, pairing=pairing, year=2015, kind=TargetKind.TEAM, title="团队"
    )
    client.force_login(staff_commission)
    assert client.get(reverse("admin:annual_yearlytarget_changelist")).status_code == 200
    assert client.get(reverse("admin:annual_yearlytarget_add")).status_code == 403
    response = client.post(reverse("admin:annual_yearlytarget_change", args=[target.pk]), {"title": "改"})
    assert response.status_code == 403
    assert client.get(reverse("admin:annual_yearlytarget_change", args=[target.pk])).status_code == 200


def test_another_provinces_commission_sees_none_of_it(client, pairing):
    user = make_user(Role.COMMISSION_ADMIN, CommissionFactory())
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client.force_login(user)
    response = client.get(reverse("admin:annual_yearfocus_changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count == 0
    focus = YearFocus.objects.filter(programme=pairing.programme).first()
    assert client.get(reverse("admin:annual_yearfocus_change", args=[focus.pk])).status_code in (302, 403)
