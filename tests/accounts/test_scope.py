"""Roles, scopes and the demo accounts."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from medtalent.accounts.enums import Role
from medtalent.accounts.models import RoleAssignment, User
from medtalent.accounts.selectors import roles_for_user
from medtalent.accounts.services import role_assign
from medtalent.catalog.models import Round
from medtalent.codes.regionnames import region_prefix
from medtalent.core.errors import ApplicationError
from medtalent.core.models import AuditEvent
from medtalent.people.models import Person
from tests.factories import OrganisationFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("code", "prefix"),
    [("330000", "33"), ("330300", "3303"), ("330302", "330302"), ("450000", "45"), ("110100", "1101"), ("", "")],
)
def test_region_prefix(code, prefix):
    assert region_prefix(code) == prefix


@pytest.mark.django_db
def test_a_user_may_hold_several_roles_each_scoped():
    user = UserFactory()
    hospital = OrganisationFactory()
    role_assign(actor=None, user=user, role=Role.UNIT_ADMIN, organisation=hospital)
    role_assign(actor=None, user=user, role=Role.REVIEWER)
    role_assign(actor=None, user=user, role=Role.REVIEWER)  # idempotent
    assert [(r.role, r.organisation) for r in roles_for_user(user=User.objects.get(pk=user.pk))] == [
        (Role.REVIEWER, None),
        (Role.UNIT_ADMIN, hospital),
    ]


@pytest.mark.django_db
def test_an_organisation_role_without_organisation_is_refused_and_nothing_is_saved():
    user = UserFactory()
    with pytest.raises(ApplicationError) as excinfo:
        role_assign(actor=None, user=user, role=Role.UNIT_ADMIN)
    assert excinfo.value.field == "organisation"
    assert RoleAssignment.objects.filter(user=user).count() == 0


@pytest.mark.django_db
def test_load_demo_creates_one_account_per_role_and_is_idempotent(settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("load_demo", stdout=out)
    call_command("load_demo", stdout=StringIO())
    roles = {
        (r.user.username, r.role, r.organisation.name_zh if r.organisation else None)
        for r in RoleAssignment.objects.filter(
            user__username__in=[
                "commission",
                "unit-zju1",
                "unit-zjph",
                "applicant",
                "reviewer",
                "host",
                "unit-jingning",
                "alliance",
            ]
        ).select_related("user", "organisation")
    }
    assert roles == {
        ("commission", Role.COMMISSION_ADMIN, "浙江省卫生健康委员会"),
        ("unit-zju1", Role.UNIT_ADMIN, "浙江大学医学院附属第一医院"),
        ("unit-zjph", Role.UNIT_ADMIN, "浙江省人民医院"),
        ("applicant", Role.APPLICANT, None),
        ("reviewer", Role.REVIEWER, None),
        ("host", Role.HOST_COORDINATOR, "中山大学附属第一医院广西医院"),
        ("unit-jingning", Role.UNIT_ADMIN, "景宁县人民医院"),
        ("alliance", Role.ALLIANCE_SECRETARIAT, "“一带一路”医学人才培养联盟"),
    }
    assert User.objects.get(username="applicant").check_password("medtalent-demo")
    assert Round.objects.filter(code="wz-bysh-demo-open").count() == 1
    staff = Person.objects.filter(name__endswith="（演示）").order_by("name")
    assert [(p.name, p.employer.name_zh, p.title.code) for p in staff] == [
        ("刘洋（演示）", "景宁县人民医院", "233"),
        ("王建国（演示）", "浙江大学医学院附属第一医院", "232"),
        ("陈敏（演示）", "浙江大学医学院附属第一医院", "233"),
    ]
    assert "medtalent-demo" in out.getvalue()


@pytest.mark.django_db
def test_load_demo_writes_through_services_with_an_audit_row_each_and_nothing_twice(settings):
    settings.DEBUG = True

    call_command("load_demo", stdout=StringIO())
    first = sorted(AuditEvent.objects.filter(actor=None).values_list("action", flat=True))
    call_command("load_demo", stdout=StringIO())
    second = sorted(AuditEvent.objects.filter(actor=None).values_list("action", flat=True))

    assert {action: first.count(action) for action in set(first)} == {
        "user.create": 10,
        "role.assign": 10,
        "round.create": 1,
        "person.create": 4,  # and the demo applicant's own profile (issue 10)
    }
    assert second == first
    assert User.objects.get(username="applicant").check_password("medtalent-demo")


@pytest.mark.django_db
def test_load_demo_refuses_with_debug_off_and_creates_nothing(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("load_demo", stdout=StringIO())
    assert not User.objects.filter(username="applicant").exists()


def test_start_up_without_secret_key_and_debug_off_stops_with_a_clear_message():
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE"}}
    env["DEBUG"] = "0"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
