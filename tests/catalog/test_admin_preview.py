"""The rule preview linked from a category's admin page (eligibility/preview.py, issue 12): a commission
administrator tries the category's rules on a profile of their jurisdiction or on facts typed in, and sees each
rule's verdict, sub-rules included. Nobody else may; nothing is written."""

import datetime as dt

import pytest
from django.urls import reverse

from medtalent.accounts.enums import Role
from medtalent.catalog.models import Category, EligibilityRule
from medtalent.core.models import AuditEvent
from medtalent.people.models import LanguageCertificate
from tests.factories import CommissionFactory, OrganisationFactory, PersonFactory, ProgrammeFactory, RoleFactory, code
from tests.helpers import LOGIN_TRAIL, rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def commission():
    return CommissionFactory(region=code("region", "330400"))


@pytest.fixture
def commission_admin(commission):
    user = RoleFactory(role=Role.COMMISSION_ADMIN, organisation=commission).user
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


@pytest.fixture
def category(commission):
    """hz-senior-like rules: at most 55, (IELTS 6.0 or TOEFL 80), health (the unit confirms it)."""
    programme = ProgrammeFactory(owner=commission)
    category = Category.objects.create(programme=programme, code="test-preview", name_zh="高级访问学者")
    EligibilityRule.objects.create(category=category, kind="max_age", params={"years": 55}, sort=0)
    group = EligibilityRule.objects.create(category=category, kind="any_of", sort=1)
    EligibilityRule.objects.create(
        category=category, parent=group, kind="language_result", params={"test": "ielts", "min_score": "6.0"}, sort=0
    )
    EligibilityRule.objects.create(
        category=category, parent=group, kind="language_result", params={"test": "toefl", "min_score": "80"}, sort=1
    )
    EligibilityRule.objects.create(category=category, kind="health", sort=2)
    return category


def _url(category) -> str:
    return reverse("eligibility:category_preview", args=[category.pk])


def _verdicts(response) -> list[tuple[str, int, str]]:
    return [(row["outcome"].kind, row["depth"], row["outcome"].status) for row in response.context["rows"]]


def _state():
    found = rows(EligibilityRule, LanguageCertificate, AuditEvent)
    found["core.AuditEvent"] = [e for e in found["core.AuditEvent"] if e["action"] not in LOGIN_TRAIL]
    return found


def test_the_page_offers_the_facts_form_with_the_rounds_reference_date(client, commission_admin, category):
    category.programme.rounds.create(code="test-preview-r1", name_zh="第一批", year=2027, reference_date="2027-03-31")
    client.force_login(commission_admin)
    response = client.get(_url(category))
    assert response.status_code == 200
    assert response.context["form"].initial["as_of"] == dt.date(2027, 3, 31)
    assert response.context["result"] is None


def test_typed_facts_show_each_rules_verdict_with_the_groups_children(client, commission_admin, category):
    client.force_login(commission_admin)
    before = _state()
    response = client.post(
        _url(category),
        {
            "as_of": "2027-03-31",
            "birth_date": "1977-01-01",
            "language_test": "toefl",
            "language_score": "85",
            "language_taken_on": "2026-06-01",
        },
    )
    assert response.status_code == 200
    assert _verdicts(response) == [
        ("max_age", 0, "passed"),
        ("any_of", 0, "passed"),
        ("language_result", 1, "failed"),
        ("language_result", 1, "passed"),
        ("health", 0, "pending"),
    ]
    assert response.context["result"].status == "pending"
    assert _state() == before


def test_an_applicant_too_old_fails(client, commission_admin, category):
    client.force_login(commission_admin)
    response = client.post(_url(category), {"as_of": "2027-03-31", "birth_date": "1960-01-01"})
    assert response.status_code == 200
    assert _verdicts(response)[0] == ("max_age", 0, "failed")
    assert response.context["result"].status == "ineligible"


def test_a_profile_of_the_jurisdiction_is_found_by_name_and_judged(client, commission_admin, category):
    person = PersonFactory(
        name="王海州", birth_date=dt.date(1980, 5, 1), employer=OrganisationFactory(region=code("region", "330402"))
    )
    LanguageCertificate.objects.create(person=person, test="ielts", score="6.5", taken_on=dt.date(2026, 1, 10))
    PersonFactory(name="王区外", employer=OrganisationFactory(region=code("region", "450100")))
    client.force_login(commission_admin)
    listed = client.get(_url(category), {"q": "王"}).context["people"]
    assert [p.name for p in listed] == ["王海州"]
    response = client.post(_url(category), {"person": person.pk, "as_of": "2027-03-31"})
    assert response.status_code == 200
    assert response.context["person"] == person
    assert _verdicts(response)[:3] == [
        ("max_age", 0, "passed"),
        ("any_of", 0, "passed"),
        ("language_result", 1, "passed"),
    ]


def test_a_profile_outside_the_jurisdiction_answers_404(client, commission_admin, category):
    outsider = PersonFactory(name="区外人员", employer=OrganisationFactory(region=code("region", "450100")))
    client.force_login(commission_admin)
    response = client.post(_url(category), {"person": outsider.pk, "as_of": "2027-03-31"})
    assert response.status_code == 404


def test_a_category_of_another_commission_answers_404(client, commission_admin):
    other = ProgrammeFactory(owner=CommissionFactory(region=code("region", "450000")))
    category = Category.objects.create(programme=other, code="test-preview-gx", name_zh="区外类别")
    client.force_login(commission_admin)
    before = _state()
    assert client.get(_url(category)).status_code == 404
    assert client.post(_url(category), {"as_of": "2027-03-31"}).status_code == 404
    assert _state() == before


def test_a_unit_admin_is_refused(client, category):
    user = RoleFactory(role=Role.UNIT_ADMIN, organisation=OrganisationFactory(region=code("region", "330402"))).user
    client.force_login(user)
    before = _state()
    assert client.get(_url(category)).status_code == 403
    assert client.post(_url(category), {"as_of": "2027-03-31"}).status_code == 403
    assert _state() == before


def test_a_visitor_is_sent_to_log_in(client, category):
    response = client.get(_url(category))
    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("login"))
