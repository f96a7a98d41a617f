"""Reads for applications, scoped by the caller's roles."""

from __future__ import annotations

from django.db.models import F, Q, QuerySet, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404

from medtalent.accounts.enums import Role
from medtalent.accounts.selectors import jurisdiction_q, organisation_ids_for_role
from medtalent.applications.enums import ApplicationState
from medtalent.applications.models import Application, Preference
from medtalent.catalog.models import Category, Offering, Round
from medtalent.catalog.selectors import programmes_manageable_by, programmes_visible_to
from medtalent.core.models import AuditEvent
from medtalent.eligibility.facts import Result
from medtalent.eligibility.selectors import eligibility_for_application
from medtalent.people.enums import DocumentKind
from medtalent.people.models import Document


def applications_visible_to(*, user) -> QuerySet[Application]:
    """The applicant's own, the unit administrator's unit's, and those inside a commission's jurisdiction."""
    if not getattr(user, "is_authenticated", False):
        return Application.objects.none()
    visible = Q(person__user=user)
    unit_ids = organisation_ids_for_role(user=user, role=Role.UNIT_ADMIN)
    if unit_ids:
        visible |= Q(unit_id__in=unit_ids)
    visible |= jurisdiction_q(user=user, region_field="unit__region__code")
    visible |= Q(round__programme__in=programmes_manageable_by(user=user))
    return Application.objects.filter(visible)


def applications_for_unit(*, user, unit_id: int | None = None) -> QuerySet[Application]:
    """What a unit administrator works on: their unit's applications, with what the list shows."""
    unit_ids = organisation_ids_for_role(user=user, role=Role.UNIT_ADMIN)
    if unit_id is not None:
        unit_ids = [u for u in unit_ids if u == unit_id]
    return (
        Application.objects.filter(unit_id__in=unit_ids)
        .select_related("person", "person__title", "round", "round__programme", "category", "unit")
        .order_by(F("submitted_at").desc(nulls_last=True), "-updated_at", "-id")
    )


def applications_for_person(*, user) -> QuerySet[Application]:
    return (
        Application.objects.filter(person__user=user)
        .select_related("round", "round__programme", "category", "unit")
        .order_by("-updated_at", "-id")
    )


# ------------------------------------------------------------------------------------- web pages (issue 3)


def application_for_user(*, user, pk: int, for_update: bool = False) -> Application:
    """One application the user may see, with what its pages show; 404 for anything else."""
    qs = applications_visible_to(user=user).select_related(
        "person",
        "person__user",
        "person__sex",
        "person__ethnicity",
        "person__political_status",
        "person__education",
        "person__degree",
        "person__title",
        "person__specialty",
        "person__employer",
        "person__employer__region",
        "round",
        "round__programme",
        "round__programme__owner",
        "round__programme__owner__region",
        "category",
        "unit",
        "unit__region",
        "exception_by",
    )
    application = get_object_or_404(qs, pk=pk)
    if not user.has_perm("applications.view_application", application):
        raise Http404
    return application


def application_preferences(*, application: Application) -> list[Preference]:
    return list(
        application.preferences.select_related(
            "offering", "offering__host", "offering__department", "offering__specialty"
        ).order_by("rank")
    )


def round_offerings(*, round_: Round) -> list[Offering]:
    return list(
        Offering.objects.filter(round=round_).select_related("host", "department", "specialty").order_by("sort", "id")
    )


# The audit actions of the applicant's edits (services.application_update, application_set_preferences).
EDIT_ACTIONS = ("application.update", "application.preferences")


def application_history(*, application: Application) -> list[AuditEvent]:
    """The audit rows of one application (creation, transitions, exceptions), oldest first; not the autosaves
    and preference changes, logged too but one per save."""
    return list(
        AuditEvent.objects.filter(object_type=Application._meta.label_lower, object_id=str(application.pk))
        .exclude(action__in=EDIT_ACTIONS)
        .select_related("actor")
        .order_by("created_at", "id")
    )


def person_photo(*, person) -> Document | None:
    """The person's newest photo, if they uploaded one."""
    return Document.objects.filter(person=person, kind=DocumentKind.PHOTO).order_by("-uploaded_at", "-id").first()


def open_round_for_apply(*, user, code: str) -> Round:
    """A round of a programme the user may see, by code (404 otherwise), with its categories and rules."""
    return get_object_or_404(
        Round.objects.filter(programme__in=programmes_visible_to(user=user))
        .select_related("programme", "programme__owner")
        .prefetch_related("programme__categories"),
        code=code,
    )


def live_applications_for_round(*, person, round_: Round) -> dict[int | None, Application]:
    """The person's applications to a round that are not withdrawn, by category id."""
    return {
        a.category_id: a
        for a in Application.objects.filter(person=person, round=round_).exclude(state=ApplicationState.WITHDRAWN)
    }


def eligibility_by_category(*, person, round_: Round) -> list[tuple[Category | None, Result]]:
    """For the category chooser: each category of the round's programme with the person's eligibility.

    The result is computed as for a (not saved) application of the person to that category, so the
    chooser and the submitted application say exactly the same thing.
    """
    categories: list[Category | None] = [*round_.programme.categories.all()] or [None]
    prefetch_related_objects([person], "designations")  # read once, not once per category
    rows: list[tuple[Category | None, Result]] = []
    for category in categories:
        draft = Application(person=person, round=round_, category=category, unit_id=person.employer_id)
        rows.append((category, eligibility_for_application(application=draft)))
    return rows


def unit_filter_querysets(*, user) -> dict[str, QuerySet]:
    """The rounds (with their programme) and categories that occur in the unit's applications: what the list's
    filters offer, by name. Lazy: a filter fragment that draws no select runs no query."""
    base = applications_for_unit(user=user).order_by()
    return {
        "rounds": Round.objects.filter(pk__in=base.values("round_id"))
        .select_related("programme")
        .order_by("programme__sort", "year", "id"),
        "categories": Category.objects.filter(
            pk__in=base.filter(category__isnull=False).values("category_id")
        ).order_by("programme_id", "sort", "code"),
    }


def applications_by_ids_for_unit(*, user, ids: list[int]) -> list[Application]:
    """The applications a unit administrator decides on; ids outside their unit are simply not found."""
    return list(applications_for_unit(user=user).filter(pk__in=ids).select_related("unit__region"))
