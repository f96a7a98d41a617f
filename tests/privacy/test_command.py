"""`manage.py anonymise_expired`: anonymises the people whose every record has passed its period, under the shipped
rules and under a policy of our own (2 and 7 years); idempotent; `--dry-run` changes nothing."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from medtalent.core.models import AuditEvent
from medtalent.people.models import Person
from medtalent.privacy import services
from medtalent.privacy.enums import DeletionRequestState as D
from medtalent.privacy.models import Anonymisation, DeletionRequest
from tests.factories import PersonFactory, UserFactory
from tests.helpers import rows
from tests.privacy.conftest import application, set_rules, stint, years_ago

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("anonymise_expired", *args, stdout=out)
    return out.getvalue()


def quiet_since(person: Person, years: int) -> Person:
    Person.objects.filter(pk=person.pk).update(updated_at=years_ago(years))
    return person


@pytest.fixture
def people(db):
    """Each person with one record, three years and a bit old (or a stint that ended eight years ago)."""
    rejected = PersonFactory(user=UserFactory())
    application(rejected, "rejected", decided=years_ago(3, days=10))
    selected = PersonFactory(user=UserFactory())
    application(selected, "recommended", decided=years_ago(3, days=10))
    old_stint = PersonFactory()
    stint(old_stint, "completed", ends_on=timezone.localdate().replace(year=timezone.localdate().year - 8))
    in_selection = PersonFactory()
    application(in_selection, "submitted", decided=years_ago(9))
    idle = quiet_since(PersonFactory(user=UserFactory()), 3)
    active = PersonFactory(user=UserFactory())
    staff = quiet_since(PersonFactory(user=UserFactory(is_staff=True)), 3)
    for person in (rejected, selected, old_stint, in_selection):
        quiet_since(person, 3)
    return {
        "rejected": rejected,
        "selected": selected,
        "old_stint": old_stint,
        "in_selection": in_selection,
        "idle": idle,
        "active": active,
        "staff": staff,
    }


def anonymised(people) -> set[str]:
    done = set(Anonymisation.objects.values_list("person_id", flat=True))
    return {key for key, person in people.items() if person.pk in done}


def test_with_the_shipped_rules(people):
    # 10 years for programme records, 3 for applications never selected, 2 for profiles without records.
    run()
    assert anonymised(people) == {"rejected", "idle"}


def test_with_a_policy_of_our_own(people):
    set_rules(programme_record=7, not_selected=2, no_application=2)
    run()
    assert anonymised(people) == {"rejected", "old_stint", "idle"}
    set_rules(programme_record=2)
    run()
    assert anonymised(people) == {"rejected", "old_stint", "idle", "selected"}


def test_dry_run_lists_and_changes_nothing(people):
    before = rows(Person, Anonymisation, AuditEvent)
    out = run("--dry-run")
    assert rows(Person, Anonymisation, AuditEvent) == before
    assert out.splitlines() == [
        f"would anonymise person #{people['rejected'].pk} (not_selected)",
        f"would anonymise person #{people['idle'].pk} (no_application)",
        "2 to anonymise (dry run: nothing changed).",
    ]
    for person in people.values():
        assert person.name not in out


def test_a_second_run_changes_nothing(people):
    assert run().splitlines()[-1] == "2 anonymised."
    before = rows(Person, Anonymisation, AuditEvent)
    assert run().splitlines() == ["0 anonymised."]
    assert rows(Person, Anonymisation, AuditEvent) == before


def test_each_anonymisation_is_audited_without_personal_values(people):
    names = {p.name for p in people.values()}
    run()
    events = list(AuditEvent.objects.filter(action="person.anonymise").order_by("object_id"))
    assert [int(e.object_id) for e in events] == sorted([people["rejected"].pk, people["idle"].pk])
    assert events[0].actor is None
    assert events[0].data["fields"] == ["name", "id_number", "phone", "email", "health_status", "cv_text", "birth_date"]
    for event in events:
        assert not names & {str(v) for v in event.data.values()}
    rejected = Person.objects.select_related("user").get(pk=people["rejected"].pk)
    assert (rejected.name, rejected.phone, rejected.user.is_active) == (f"已匿名 #{rejected.pk}", "", False)


def test_a_kept_request_is_completed_when_its_period_ends(people):
    selected = people["selected"]
    request = services.deletion_request_create(actor=selected.user, person=selected)
    assert request.state == D.KEPT
    run("--today", (request.kept_until - dt.timedelta(days=1)).isoformat())
    assert DeletionRequest.objects.get(pk=request.pk).state == D.KEPT
    run("--today", (request.kept_until + dt.timedelta(days=1)).isoformat())
    assert DeletionRequest.objects.get(pk=request.pk).state == D.COMPLETED
    assert Anonymisation.objects.get(person=selected).scope == "programme_record"
