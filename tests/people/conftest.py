"""Shared set-up for the people tests: one person in a Hangzhou hospital and a user for every role."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from medtalent.accounts.enums import Role
from medtalent.accounts.models import User
from medtalent.codes.idnumber import check_character
from medtalent.people.enums import NoticeKind
from medtalent.people.models import Consent, Person
from medtalent.people.selectors import current_privacy_notice
from tests.factories import CommissionFactory, OrganisationFactory, PersonFactory, RoleFactory, UserFactory, code


def make_id(prefix: str = "330106", birth: str = "19900307", sequence: str = "123") -> str:
    first17 = prefix + birth + sequence
    return first17 + check_character(first17)


# A man born 1990-03-07 in Xihu district, Hangzhou (17th digit 3 is odd).
ID_NUMBER = make_id()
ID_MASKED = "3301**********" + ID_NUMBER[-4:]
PHONE = "13812345678"
PHONE_MASKED = "138****5678"


def png_bytes(size=(4, 4)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg_bytes(size=(4, 4)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 30, 200)).save(buffer, format="JPEG")
    return buffer.getvalue()


PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture(autouse=True)
def private_media(tmp_path, settings):
    """Uploads go to a temporary folder, not to var/ (the default storage follows MEDIA_ROOT)."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def english_client(user: User | None = None) -> Client:
    """A browser that chose English (messages are compared in English), logged in as `user`."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if user is not None:
        client.force_login(user)
    return client


@dataclass
class World:
    hospital: object
    other_hospital: object
    person: Person
    person_user: User
    unit_admin: User
    other_unit_admin: User
    commission: User
    other_commission: User
    reviewer: User
    host: User

    def user(self, role: str) -> User | None:
        return None if role == "anonymous" else getattr(self, role)


ROLES = (
    "person_user",
    "unit_admin",
    "other_unit_admin",
    "commission",
    "other_commission",
    "reviewer",
    "host",
    "anonymous",
)
# Who may see and reveal the person's data: themself, their unit's administrator, the commission over it.
MAY_SEE = {"person_user", "unit_admin", "commission"}


def _role_user(role: Role, organisation=None, *, staff: bool = False) -> User:
    user = RoleFactory(role=role, organisation=organisation).user
    if staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return user


@pytest.fixture
def world(db) -> World:
    hospital = OrganisationFactory(region=code("region", "330106"))
    other_hospital = OrganisationFactory(region=code("region", "350102"))
    person_user = UserFactory()
    person = PersonFactory(
        user=person_user,
        employer=hospital,
        id_number=ID_NUMBER,
        phone=PHONE,
        birth_date=None,
        department="心内科",
    )
    # The person entered their ID number: they gave the separate consent for sensitive information first.
    Consent.objects.create(person=person, notice=current_privacy_notice(kind=NoticeKind.SENSITIVE))
    return World(
        hospital=hospital,
        other_hospital=other_hospital,
        person=person,
        person_user=person_user,
        unit_admin=_role_user(Role.UNIT_ADMIN, hospital),
        other_unit_admin=_role_user(Role.UNIT_ADMIN, other_hospital),
        commission=_role_user(Role.COMMISSION_ADMIN, CommissionFactory(region=code("region", "330100")), staff=True),
        other_commission=_role_user(
            Role.COMMISSION_ADMIN, CommissionFactory(region=code("region", "350000")), staff=True
        ),
        reviewer=_role_user(Role.REVIEWER),
        host=_role_user(Role.HOST_COORDINATOR, OrganisationFactory(region=code("region", "450100"))),
    )
