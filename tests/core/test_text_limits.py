"""Every free-text field has a maximum length: in the model (full_clean), in the forms and the API schemas that
write it (the same constant), and in the services (`check_lengths`). The seed data fits."""

from __future__ import annotations

import pytest
from annotated_types import MaxLen
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Max
from django.db.models.functions import Length
from django.utils import translation

from medtalent.alliance import api as alliance_api
from medtalent.alliance import forms as alliance_forms
from medtalent.alliance.models import Event, Membership
from medtalent.annual import api as annual_api
from medtalent.annual import forms as annual_forms
from medtalent.annual.models import AnnualReview, AnnualReviewScore, YearlyTarget
from medtalent.applications import forms as application_forms
from medtalent.applications import import_columns
from medtalent.applications.models import Application
from medtalent.core.errors import ApplicationError
from medtalent.core.limits import TEXT_DOCUMENT, TEXT_LONG, TEXT_MEDIUM, TEXT_NOTE, check_length, check_lengths
from medtalent.people.models import LanguageCertificate, Person
from medtalent.stints import api as stints_api
from medtalent.stints import forms as stints_forms
from medtalent.stints.models import Stint

# The one text field left without a limit: the audit trail's note (core/models.py is not this change's to edit);
# every service that writes a note into it bounds the note first.
UNBOUNDED = {"core.AuditEvent.note"}


def text_fields() -> list[tuple[str, models.TextField]]:
    return [
        (f"{model._meta.label}.{field.name}", field)
        for model in apps.get_models()
        if model.__module__.startswith("medtalent.")
        for field in model._meta.concrete_fields
        if isinstance(field, models.TextField)
    ]


def schema_max_length(schema, name: str) -> int:
    return next(m.max_length for m in schema.model_fields[name].metadata if isinstance(m, MaxLen))


def test_every_text_field_has_a_limit_that_full_clean_checks():
    fields = text_fields()
    unbounded = {label for label, field in fields if field.max_length is None}
    limits = {
        label: (field.max_length, [v.limit_value for v in field.validators if isinstance(v, MaxLengthValidator)])
        for label, field in fields
        if label not in UNBOUNDED
    }

    assert unbounded == UNBOUNDED
    assert {label: limit for label, (limit, _v) in limits.items()} == {
        label: limit for label, (_l, [limit]) in limits.items()
    }
    assert {limit for limit, _v in limits.values()} == {TEXT_NOTE, TEXT_MEDIUM, TEXT_LONG, TEXT_DOCUMENT}
    assert (limits["people.Person.cv_text"][0], limits["applications.Application.plan_content"][0]) == (5000, 5000)
    # 55, notifications.Notice.note (issue 9); issue 10: people.ProfileChangeProposal.proposed_value,
    # registration.AccountRequest.reason, privacy.RetentionRule.description_zh/_en, privacy.DeletionRequest.reason/refusal
    assert len(limits) == 63


@pytest.mark.django_db
def test_the_seed_data_fits_every_limit():
    """The seeds are loaded once per session (tests/conftest.py); none of their texts is over its limit."""
    longest, too_long = {}, []
    for label, field in text_fields():
        if field.max_length is None:
            continue
        longest[label] = field.model.objects.aggregate(longest=Max(Length(field.name)))["longest"] or 0
        if longest[label] > field.max_length:
            too_long.append((label, longest[label], field.max_length))

    assert too_long == []
    assert longest["catalog.Programme.notes_en"] > TEXT_MEDIUM  # the longest seed text: a programme's notes


def test_full_clean_refuses_a_text_one_character_over_the_limit():
    person = Person(name="王", cv_text="字" * (TEXT_LONG + 1))

    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            person.clean_fields(exclude=[f.name for f in Person._meta.fields if f.name != "cv_text"])
        messages = error.value.message_dict

    assert messages == {"cv_text": ["Ensure this value has at most 5000 characters (it has 5001)."]}
    Person(name="王", cv_text="字" * TEXT_LONG).clean_fields(exclude=["id_number", "email"])


def test_check_lengths_names_the_field_and_its_limit():
    check_lengths(Person, {"cv_text": "字" * TEXT_LONG, "name": "王", "employer": None, "admin_years": 3})

    with pytest.raises(ApplicationError) as error, translation.override("en"):
        check_lengths(Person, {"name": "王", "cv_text": "字" * 1_000_000})

    assert (error.value.field, error.value.message, error.value.extra) == (
        "cv_text",
        "“CV” is too long: at most 5,000 characters, this has 1,000,000.",
        {"max_length": 5000, "length": 1_000_000},
    )


def test_check_lengths_checks_char_fields_too_and_may_rename_the_field():
    with pytest.raises(ApplicationError) as error, translation.override("en"):
        check_lengths(Application, {"unit_opinion": "意" * 2001}, fields={"unit_opinion": "opinion"})

    assert (error.value.field, error.value.message) == (
        "opinion",
        "“Unit opinion” is too long: at most 2,000 characters, this has 2,001.",
    )
    with pytest.raises(ApplicationError) as error:
        check_lengths(Person, {"name": "王" * 51})
    assert error.value.field == "name"


def test_check_length_with_an_explicit_limit():
    check_length("备" * 10, limit=10, label="note", field="note")
    check_length(None, limit=10, label="note", field="note")

    with pytest.raises(ApplicationError) as error, translation.override("en"):
        check_length("备" * 11, limit=10, label="note", field="note")

    assert error.value.message == "“Note” is too long: at most 10 characters, this has 11."


@pytest.mark.parametrize(
    ("schema", "name", "model", "field"),
    [
        (alliance_api.EventIn, "description_zh", Event, "description_zh"),
        (alliance_api.EventIn, "description_en", Event, "description_en"),
        (alliance_api.EventIn, "name_zh", Event, "name_zh"),
        (alliance_api.EventIn, "place_en", Event, "place_en"),
        (annual_api.ReviewIn, "summary", AnnualReview, "summary"),
        (annual_api.ReviewIn, "problems", AnnualReview, "problems"),
        (annual_api.ReviewIn, "plan", AnnualReview, "plan"),
        (annual_api.ScoreIn, "comment", AnnualReviewScore, "comment"),
        (stints_api.StintIn, "note", Stint, "note"),
        (stints_api.StintIn, "mentor", Stint, "mentor"),
    ],
)
def test_api_schemas_bound_texts_as_the_model(schema, name, model, field):
    assert schema_max_length(schema, name) == model._meta.get_field(field).max_length


@pytest.mark.parametrize(
    ("form_field", "model", "field"),
    [
        (application_forms.ApplicationForm.base_fields["reason"], Application, "reason"),
        (application_forms.ApplicationForm.base_fields["plan_purpose"], Application, "plan_purpose"),
        (application_forms.ApplicationForm.base_fields["plan_content"], Application, "plan_content"),
        (application_forms.ApplicationForm.base_fields["plan_goals"], Application, "plan_goals"),
        (application_forms.DecisionForm.base_fields["opinion"], Application, "unit_opinion"),
        (application_forms.ExceptionForm.base_fields["note"], Application, "exception_note"),
        (alliance_forms.MembershipFieldsMixin.base_fields["note_zh"], Membership, "note_zh"),
        (alliance_forms.EventForm.base_fields["description_en"], Event, "description_en"),
        (annual_forms.TargetForm.base_fields["description"], YearlyTarget, "description"),
        (annual_forms.TargetStatusForm.base_fields["evidence"], YearlyTarget, "evidence"),
        (annual_forms.ReviewForm.base_fields["summary"], AnnualReview, "summary"),
        (stints_forms.StintScheduleForm.base_fields["schedule"], Stint, "schedule"),
        (stints_forms.PairingStintForm.base_fields["note"], Stint, "note"),
    ],
)
def test_forms_that_are_not_model_forms_bound_texts_as_the_model(form_field, model, field):
    assert form_field.max_length == model._meta.get_field(field).max_length


def test_the_import_template_never_allows_more_than_the_model():
    models = {
        import_columns.PERSON: Person,
        import_columns.LANGUAGE: LanguageCertificate,
    }
    limited = [c for c in import_columns.COLUMNS if c.max_length]
    over = [
        c.header
        for c in limited
        if c.max_length > models.get(c.target, Application)._meta.get_field(c.field).max_length
    ]

    assert over == []
    assert {"执业证书编号", "外语成绩"} <= {c.header for c in limited}
