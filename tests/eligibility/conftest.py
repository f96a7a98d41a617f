"""Helpers for the eligibility tests: people and applications made directly (no shared factories needed)."""

from __future__ import annotations

import datetime as dt

import pytest

from medtalent.applications.models import Application
from medtalent.catalog.models import Category, Round
from medtalent.codes.models import Code
from medtalent.people.models import Person
from tests.factories import OrganisationFactory


def code(table: str, value: str) -> Code:
    return Code.objects.get(table__slug=table, code=value)


def make_person(
    *,
    birth_date: dt.date | None = dt.date(1980, 1, 1),
    education: str = "21",
    title: str = "233",
    level: str = "3A",
    designations: tuple[str, ...] = (),
    **fields,
) -> Person:
    person = Person.objects.create(
        name="测试医生",
        birth_date=birth_date,
        education=code("education", education) if education else None,
        title=code("title", title) if title else None,
        employer=OrganisationFactory(level=level),
        **fields,
    )
    person.designations.set([code("designation", d) for d in designations])
    return person


def make_application(*, person: Person, round_code: str, category_code: str | None = None) -> Application:
    round_ = Round.objects.get(code=round_code)
    category = Category.objects.get(code=category_code) if category_code else None
    return Application.objects.create(person=person, round=round_, category=category, unit_id=person.employer_id)


@pytest.fixture
def person_factory():
    return make_person


@pytest.fixture
def application_factory():
    return make_application
