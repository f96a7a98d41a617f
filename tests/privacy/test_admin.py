"""Retention rules are edited in the admin by superusers only."""

import pytest
from django.urls import reverse

from medtalent.accounts.enums import Role
from medtalent.privacy.models import RetentionRule
from tests.factories import CommissionFactory
from tests.helpers import make_user, rows
from tests.privacy.conftest import english_client

pytestmark = pytest.mark.django_db


def test_a_superuser_changes_a_period(db):
    rule = RetentionRule.objects.get(scope="not_selected")
    client = english_client(make_user(is_superuser=True, is_staff=True))
    url = reverse("admin:privacy_retentionrule_change", args=[rule.pk])
    response = client.post(
        url,
        {
            "scope": "not_selected",
            "name_zh": rule.name_zh,
            "name_en": rule.name_en,
            "years": "5",
            "description_zh": "",
            "description_en": "",
        },
    )
    assert response.status_code == 302
    assert RetentionRule.objects.get(pk=rule.pk).years == 5


def test_commission_staff_may_not_and_nothing_changes(db):
    rule = RetentionRule.objects.get(scope="not_selected")
    user = make_user(Role.COMMISSION_ADMIN, CommissionFactory(), is_staff=True)
    before = rows(RetentionRule)
    client = english_client(user)
    url = reverse("admin:privacy_retentionrule_change", args=[rule.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"scope": "not_selected", "name_zh": "x", "years": "0"}).status_code == 403
    assert rows(RetentionRule) == before
