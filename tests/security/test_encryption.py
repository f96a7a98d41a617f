"""Personal fields are encrypted at rest: the raw columns hold no ID number, phone, health status or CV in clear
(SQLite and PostgreSQL alike), the keyed hash finds the person and keeps the number unique, keys rotate, and the
data migration encrypts rows written before it."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test import override_settings

from medtalent.codes.idnumber import check_character
from medtalent.core.errors import ApplicationError
from medtalent.people.fields import TOKEN_PREFIX, FieldDecryptionError, _fernet, keyed_hash
from medtalent.people.models import Person, ProfileChangeProposal
from medtalent.people.selectors import people_by_id_numbers, person_by_id_number
from medtalent.people.services import person_create
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("medtalent.people.migrations.0004_encrypt_personal_fields")


def make_id(birth: str = "19900307", sequence: str = "123", prefix: str = "330106") -> str:
    first17 = prefix + birth + sequence
    return first17 + check_character(first17)


ID_NUMBER = make_id(sequence="129")
CLEAR = {
    "id_number": ID_NUMBER,
    "phone": "13812345678",
    "health_status": "高血压，已控制",
    "cv_text": "2010年起在浙江大学医学院附属第一医院心血管内科工作，主攻冠脉介入。",
}
FIELDS = ("id_number", "id_number_hash", "phone", "health_status", "cv_text")


def raw_row(pk: int) -> dict:
    """The person's row exactly as the database holds it (every column)."""
    table = connection.ops.quote_name(Person._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE id = %s", [pk])
        columns = [c[0] for c in cursor.description]
        return dict(zip(columns, cursor.fetchone(), strict=True))


def raw_text(pk: int) -> str:
    return " ".join(str(value) for value in raw_row(pk).values())


def test_the_database_holds_no_personal_value_in_clear():
    person = PersonFactory(**CLEAR)

    row = raw_row(person.pk)
    text = raw_text(person.pk)
    for value in (*CLEAR.values(), ID_NUMBER[:14], "1381234", "高血压", "冠脉介入"):
        assert value not in text
    for name in ("id_number", "phone", "health_status", "cv_text"):
        assert row[name].startswith(TOKEN_PREFIX)
    assert row["id_number_hash"] == keyed_hash(ID_NUMBER)
    assert len(row["id_number_hash"]) == 64
    # Read back through the model: the clear values.
    again = Person.objects.get(pk=person.pk)
    assert {name: getattr(again, name) for name in CLEAR} == CLEAR


def test_each_write_encrypts_afresh_so_equal_values_do_not_show():
    a = PersonFactory(phone="13900000000")
    b = PersonFactory(phone="13900000000")
    assert raw_row(a.pk)["phone"] != raw_row(b.pk)["phone"]


def test_the_hash_finds_the_person_however_the_number_is_typed():
    person = PersonFactory(id_number=make_id(sequence="00" + "1"))
    number = person.id_number
    typed = [number, " ".join(number), "".join(chr(ord(c) + 0xFEE0) for c in number), number.lower()]
    assert [person_by_id_number(id_number=t) for t in typed] == [person] * 4
    assert person_by_id_number(id_number=make_id(sequence="003")) is None
    assert person_by_id_number(id_number="") is None
    assert people_by_id_numbers(id_numbers=[number, make_id(sequence="003")]) == {number: person}


def test_a_change_of_the_number_alone_changes_its_hash():
    person = PersonFactory(id_number=ID_NUMBER)
    new = make_id(birth="19800101")
    person.id_number = new
    person.save(update_fields=["id_number"])
    assert raw_row(person.pk)["id_number_hash"] == keyed_hash(new)
    assert person_by_id_number(id_number=new) == person
    assert person_by_id_number(id_number=ID_NUMBER) is None


def test_the_number_stays_unique_and_many_people_may_have_none():
    PersonFactory(id_number=ID_NUMBER)
    PersonFactory(id_number=None)
    PersonFactory(id_number=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonFactory(id_number=ID_NUMBER.lower())
    assert Person.objects.filter(id_number_hash__isnull=True).count() == 2


def test_the_lengths_are_still_checked_on_the_clear_values():
    person = Person(name="长", id_number="1" * 19, phone="1" * 21, health_status="好" * 51, cv_text="字" * 5001)
    with pytest.raises(ValidationError) as refused:
        person.full_clean(exclude=["user"])
    assert sorted(refused.value.message_dict) == ["cv_text", "health_status", "id_number", "phone"]


def test_person_create_refuses_a_taken_number_and_writes_nothing():
    PersonFactory(id_number=ID_NUMBER)
    before = Person.objects.count()
    with pytest.raises(ApplicationError) as refused:
        person_create(actor=None, name="第二个", id_number=ID_NUMBER)
    assert refused.value.field == "id_number"
    assert Person.objects.count() == before


def test_a_proposed_value_is_encrypted_too():
    person = PersonFactory()
    proposal = ProfileChangeProposal.objects.create(person=person, field="phone", proposed_value="13955554444")
    table = connection.ops.quote_name(ProfileChangeProposal._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT proposed_value FROM {table} WHERE id = %s", [proposal.pk])
        (stored,) = cursor.fetchone()
    assert stored.startswith(TOKEN_PREFIX)
    assert "13955554444" not in stored


# ---- rotation ----------------------------------------------------------------------------------------------------


def test_rotation_re_encrypts_with_the_newest_salt_and_the_old_one_can_then_go(settings):
    person = PersonFactory(**CLEAR)
    old = list(settings.SALT_KEY)
    before = raw_row(person.pk)["phone"]

    with override_settings(SALT_KEY=["new-salt-2027", *old]):
        call_command("rotate_field_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115
        rotated = raw_row(person.pk)
    assert rotated["phone"] != before
    # Only the new salt is needed from now on; the old one alone no longer reads the rows.
    with override_settings(SALT_KEY=["new-salt-2027"]):
        assert {name: getattr(Person.objects.get(pk=person.pk), name) for name in CLEAR} == CLEAR
    with override_settings(SALT_KEY=old), pytest.raises(FieldDecryptionError):
        Person.objects.get(pk=person.pk)


def test_rotation_of_the_hash_key_keeps_the_person_findable(settings):
    person = PersonFactory(id_number=ID_NUMBER)
    with override_settings(FIELD_HASH_KEY="a-new-hash-key"):
        assert person_by_id_number(id_number=ID_NUMBER) is None  # not yet rotated
        call_command("rotate_field_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115
        assert person_by_id_number(id_number=ID_NUMBER) == person


def test_a_value_written_with_a_lost_key_is_an_error_not_shown_as_ciphertext():
    person = PersonFactory(phone="13812345678")
    with override_settings(SALT_KEY=["another-salt"]), pytest.raises(FieldDecryptionError):
        Person.objects.get(pk=person.pk)


def test_the_keys_are_derived_once_per_setting():
    _fernet.cache_clear()
    PersonFactory(**CLEAR)
    Person.objects.get(phone="") if False else None
    info = _fernet.cache_info()
    assert (info.misses, info.currsize) == (1, 1)


# ---- the data migration ------------------------------------------------------------------------------------------


class _Editor:
    def __init__(self):
        self.connection = connection


def test_the_data_migration_encrypts_clear_rows_and_may_run_twice():
    person = PersonFactory()
    empty = PersonFactory(id_number=None, phone="")
    table = connection.ops.quote_name(Person._meta.db_table)
    with connection.cursor() as cursor:  # as the rows were before the migration: clear text, no hash
        cursor.execute(
            f"UPDATE {table} SET id_number = %s, phone = %s, health_status = %s, cv_text = %s, "
            "id_number_hash = NULL WHERE id = %s",
            [*CLEAR.values(), person.pk],
        )

    migration.encrypt_existing(apps, _Editor())
    first = raw_row(person.pk)
    migration.encrypt_existing(apps, _Editor())  # a second run changes nothing

    assert raw_row(person.pk) == first
    assert all(value not in raw_text(person.pk) for value in CLEAR.values())
    assert first["id_number_hash"] == keyed_hash(ID_NUMBER)
    assert {name: getattr(Person.objects.get(pk=person.pk), name) for name in CLEAR} == CLEAR
    assert (raw_row(empty.pk)["id_number"], raw_row(empty.pk)["phone"], raw_row(empty.pk)["id_number_hash"]) == (
        None,
        "",
        None,
    )

    migration.decrypt_existing(apps, _Editor())  # and back
    assert {name: raw_row(person.pk)[name] for name in CLEAR} == CLEAR


def test_a_refused_validation_does_not_stop_the_decryption_of_later_reads():
    """The library flags the shared field while it cleans and leaves the flag when a validator fails: every later
    read in the process would then show ciphertext. Ours does not."""
    person = PersonFactory(phone="13812345678")
    with pytest.raises(ValidationError):
        Person(name="太长", phone="1" * 21).full_clean(exclude=["user"])
    assert Person.objects.get(pk=person.pk).phone == "13812345678"
