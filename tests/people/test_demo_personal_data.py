"""The demo staff and the demo applicant have made-up but valid ID numbers and mobile numbers, so that masking,
reveals and encryption show in the demo."""

from io import StringIO

import pytest
from django.core.management import call_command

from medtalent.codes.idnumber import validate_id_number
from medtalent.people.masking import mask_id_number
from medtalent.people.models import Person
from medtalent.setup.management.commands.load_demo import DEMO_STAFF

pytestmark = pytest.mark.django_db


def test_every_demo_person_has_a_valid_id_number_of_their_hospitals_county_and_a_mobile(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    call_command("load_demo", stdout=StringIO())  # nothing twice

    names = [name for name, *_rest in DEMO_STAFF] + ["张医生（演示申请人）"]
    people = list(Person.objects.filter(name__in=names).select_related("employer__region", "sex", "user"))
    assert sorted(p.name for p in people) == sorted(names)
    for person in people:
        result = validate_id_number(person.id_number)
        assert (result.valid, result.errors) == (True, [])
        assert person.id_number[:6] == person.employer.region.code
        assert (result.birth_date, result.sex) == (person.birth_date, person.sex.code)
        assert (len(person.phone), person.phone[:3]) == (11, "138")
        assert mask_id_number(person.id_number) != person.id_number
    applicant = next(p for p in people if p.user is not None)
    assert applicant.user.username == "applicant"
