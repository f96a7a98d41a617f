"""Catalogue search and filters, on hand-made programmes and on the seeds' real ones."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser

from medtalent.accounts.enums import Role
from medtalent.catalog.enums import DurationFilter, DurationUnit, ProgrammeStatus, ProgrammeType
from medtalent.catalog.selectors import CatalogueFilters, programmes_search
from medtalent.codes.models import SpecialtySynonym
from tests.factories import (
    CommissionFactory,
    OfferingFactory,
    ProgrammeFactory,
    ProgrammeSpecialtyFactory,
    RoleFactory,
    RoundFactory,
    SpecialtyFactory,
    code,
)

pytestmark = pytest.mark.django_db
ANON = AnonymousUser()


def codes(**filters) -> set[str]:
    return set(programmes_search(user=ANON, filters=CatalogueFilters(**filters)).values_list("code", flat=True))


def seeded(**filters) -> set[str]:
    """Only the seed training programmes (codes starting zj-, wz-, gx-; not the pairing plan) among the results."""
    return {c for c in codes(**filters) if c.split("-")[0] in {"zj", "wz", "gx"} and c != "zj-pairing-2014"}


URO = {"zj-uk-clinical", "zj-us-cleveland", "zj-de-clinical", "zj-fr-grenoble"}


def test_search_chinese_fragment_finds_every_programme_accepting_urology():
    assert seeded(q="泌尿") == URO


def test_search_english_name_finds_the_same_programmes():
    assert seeded(q="urology") == URO
    assert seeded(q="Urology") == URO


def test_search_french_service_name_finds_grenoble():
    assert seeded(q="Rythmologie") == {"zj-fr-grenoble"}


def test_search_synonym_lands_on_cardiology_including_narrower_services():
    found = seeded(q="心血管内科")
    assert {"zj-uk-clinical", "zj-us-cleveland", "zj-de-clinical", "zj-fr-grenoble", "gx-excellent-young"} <= found
    assert "wz-bysh" not in found


def test_search_misspelt_host_alias_finds_the_uk_programme():
    assert seeded(q="Imperial Collage") == {"zj-uk-clinical"}


def test_search_host_name_and_programme_code():
    assert seeded(q="Grenoble") == {"zj-fr-grenoble"}
    assert seeded(q="wz-bysh") == {"wz-bysh"}


def test_search_category_name_finds_its_programme():
    assert seeded(q="领军人才") == {"wz-bysh"}


def test_search_words_are_combined_with_and():
    assert seeded(q="泌尿 Grenoble") == {"zj-fr-grenoble"}


def test_filter_country_on_seeds():
    assert seeded(country="FR") == {"zj-fr-grenoble", "wz-bysh"}
    assert seeded(country="fr") == {"zj-fr-grenoble", "wz-bysh"}
    assert seeded(country="CN") == {"gx-excellent-young"}


def test_filter_programme_type_on_seeds():
    assert seeded(programme_type=ProgrammeType.DOMESTIC_TRAINING) == {"gx-excellent-young"}
    assert seeded(programme_type=ProgrammeType.TALENT_TRACK) == {"wz-bysh"}
    assert codes(programme_type=ProgrammeType.PAIRING_SUPPORT) == {"zj-pairing-2014"}


def test_filter_duration_buckets_on_seeds():
    assert seeded(duration=DurationFilter.OVER_3_MONTHS) == {"gx-excellent-young"}
    assert seeded(duration=DurationFilter.UP_TO_1_MONTH) == {"wz-bysh", "zj-fr-grenoble"}


def test_filter_specialty_includes_narrower_specialties():
    broad = SpecialtyFactory(code="test-broad")
    narrow = SpecialtyFactory(code="test-narrow", parent=broad)
    p_broad = ProgrammeSpecialtyFactory(specialty=broad).programme
    p_narrow = OfferingFactory(specialty=narrow).round.programme
    ProgrammeFactory()
    assert codes(specialty="test-broad") == {p_broad.code, p_narrow.code}
    assert codes(specialty="test-narrow") == {p_narrow.code}


def test_search_synonym_added_by_an_admin_is_found_at_once():
    specialty = SpecialtyFactory(code="test-sleep", name_zh="睡眠医学", name_en="Sleep medicine")
    programme = ProgrammeSpecialtyFactory(specialty=specialty).programme
    SpecialtySynonym.objects.create(specialty=specialty, term="Somnologie", language="fr")
    assert codes(q="somnologie") == {programme.code}


def test_filter_duration_converts_weeks_and_months():
    two_weeks = ProgrammeFactory(duration_min=2, duration_max=2, duration_unit=DurationUnit.WEEK, countries=["ZZ"])
    six_months = ProgrammeFactory(duration_min=6, duration_max=12, duration_unit=DurationUnit.MONTH, countries=["ZZ"])
    two_months = ProgrammeFactory(duration_min=2, duration_max=2, countries=["ZZ"])
    assert codes(country="ZZ", duration=DurationFilter.UP_TO_1_MONTH) == {two_weeks.code}
    assert codes(country="ZZ", duration=DurationFilter.ONE_TO_3_MONTHS) == {two_months.code}
    assert codes(country="ZZ", duration=DurationFilter.OVER_3_MONTHS) == {six_months.code}


def test_open_now_uses_the_round_window_on_both_boundaries():
    today = dt.date(2026, 11, 23)
    opens_today = RoundFactory(application_opens=today, application_closes=today + dt.timedelta(days=5)).programme
    closes_today = RoundFactory(application_opens=today - dt.timedelta(days=5), application_closes=today).programme
    closed_yesterday = RoundFactory(
        application_opens=today - dt.timedelta(days=9), application_closes=today - dt.timedelta(days=1)
    ).programme
    opens_tomorrow = RoundFactory(
        application_opens=today + dt.timedelta(days=1), application_closes=today + dt.timedelta(days=9)
    ).programme
    found = set(
        programmes_search(user=ANON, filters=CatalogueFilters(open_now=True), today=today).values_list(
            "code", flat=True
        )
    )
    assert {opens_today.code, closes_today.code} <= found
    assert closed_yesterday.code not in found
    assert opens_tomorrow.code not in found


def test_open_programmes_come_first():
    today = dt.date(2026, 11, 23)
    closed = ProgrammeFactory(countries=["ZZ"], sort=0)
    open_ = RoundFactory(
        programme=ProgrammeFactory(countries=["ZZ"], sort=9),
        application_opens=today,
        application_closes=today,
    ).programme
    result = list(
        programmes_search(user=ANON, filters=CatalogueFilters(country="ZZ"), today=today).values_list("code", flat=True)
    )
    assert result == [open_.code, closed.code]


def test_drafts_are_hidden_from_visitors_and_other_commissions_but_shown_to_the_owner():
    zhejiang = CommissionFactory(region=code("region", "330000"))
    wenzhou = CommissionFactory(region=code("region", "330300"))
    guangxi = CommissionFactory(region=code("region", "450000"))
    draft = ProgrammeFactory(owner=wenzhou, status=ProgrammeStatus.DRAFT, countries=["ZZ"])
    owner_admin = RoleFactory(role=Role.COMMISSION_ADMIN, organisation=wenzhou).user
    province_admin = RoleFactory(role=Role.COMMISSION_ADMIN, organisation=zhejiang).user
    other_admin = RoleFactory(role=Role.COMMISSION_ADMIN, organisation=guangxi).user
    applicant = RoleFactory(role=Role.APPLICANT).user

    def visible(user):
        return set(programmes_search(user=user, filters=CatalogueFilters(country="ZZ")).values_list("code", flat=True))

    assert visible(ANON) == set()
    assert visible(applicant) == set()
    assert visible(other_admin) == set()
    assert visible(owner_admin) == {draft.code}
    assert visible(province_admin) == {draft.code}
