"""Shared set-up for the privacy tests: a person with both consents, sensitive data, a document, and helpers to give
them applications and stints of any state and age."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from medtalent.accounts.models import User
from medtalent.applications.models import Application
from medtalent.people.enums import DocumentKind, NoticeKind
from medtalent.people.models import Consent, Document, LanguageCertificate, Person
from medtalent.people.selectors import current_privacy_notice
from medtalent.privacy.models import RetentionRule
from medtalent.stints.enums import StintKind
from medtalent.stints.models import Stint
from tests.factories import ApplicationFactory, OrganisationFactory, PersonFactory, UserFactory, code
from tests.people.conftest import make_id

ID_NUMBER = make_id("330106", "19850315", "123")
PHONE = "13912345678"
EMAIL = "wang.li@example.cn"
NAME = "王丽华"


@pytest.fixture(autouse=True)
def private_media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def english_client(user: User | None = None) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if user is not None:
        client.force_login(user)
    return client


def years_ago(years: int, days: int = 0) -> dt.datetime:
    now = timezone.now()
    return now.replace(year=now.year - years) - dt.timedelta(days=days)


def give_consents(person: Person) -> None:
    for kind in NoticeKind.values:
        Consent.objects.create(person=person, notice=current_privacy_notice(kind=kind))


def application(person: Person, state: str, *, decided: dt.datetime | None = None, submitted: bool = True):
    """An application of `person` in `state`, decided (or withdrawn) at `decided`."""
    app = ApplicationFactory(person=person, state=state)
    when = decided or timezone.now()
    Application.objects.filter(pk=app.pk).update(
        submitted_at=when if submitted else None,
        decided_at=decided if state in ("recommended", "rejected") else None,
        updated_at=when,
    )
    app.refresh_from_db()
    return app


def stint(person: Person, state: str, *, ends_on: dt.date) -> Stint:
    stint_ = Stint.objects.create(
        kind=StintKind.UPWARD,
        state=state,
        person=person,
        home=person.employer,
        host=OrganisationFactory(name_zh="浙江大学医学院附属第一医院", name_en="First Affiliated Hospital, ZJU"),
        starts_on=ends_on - dt.timedelta(days=90),
        ends_on=ends_on,
    )
    Stint.objects.filter(pk=stint_.pk).update(updated_at=timezone.now())
    return stint_


def set_rules(**years: int) -> None:
    for scope, value in years.items():
        RetentionRule.objects.filter(scope=scope).update(years=value)


@dataclass
class World:
    person: Person
    user: User
    document: Document
    other: User


@pytest.fixture
def world(db) -> World:
    user = UserFactory(email=EMAIL)
    person = PersonFactory(
        user=user,
        name=NAME,
        employer=OrganisationFactory(region=code("region", "330106")),
        id_number=ID_NUMBER,
        phone=PHONE,
        email=EMAIL,
        health_status="良好",
        cv_text="2010年起任心内科主治医师",
    )
    give_consents(person)
    LanguageCertificate.objects.create(person=person, test="ielts", score="7.0", taken_on=dt.date(2024, 5, 1))
    document = Document(
        person=person, kind=DocumentKind.CV, original_name="简历.pdf", content_type="application/pdf", size=9
    )
    document.file.save("cv.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    document.save()
    return World(person=person, user=user, document=document, other=UserFactory())
