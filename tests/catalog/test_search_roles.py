"""Issue 11: the catalogue finds programmes by the staff they take (doctor, nurse, nurse manager …) and by
their type, in Chinese and in English, with a number of queries that does not grow with the results."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import translation

from medtalent.catalog.enums import ProgrammeType, Track
from medtalent.catalog.selectors import (
    CatalogueFilters,
    programme_type_values_matching,
    programmes_search,
    text_matches,
    track_values_matching,
)
from tests.factories import OfferingFactory, ProgrammeFactory, QuotaFactory

pytestmark = pytest.mark.django_db
ANON = AnonymousUser()
SEED_PREFIXES = {"zj", "wz", "gx"}


def codes(**filters) -> set[str]:
    return set(programmes_search(user=ANON, filters=CatalogueFilters(**filters)).values_list("code", flat=True))


def seeded(**filters) -> set[str]:
    return {c for c in codes(**filters) if c.split("-")[0] in SEED_PREFIXES}


# The UK programme takes about ten nurses (quota and offerings), Indiana has a nursing offering, and Grenoble
# takes nurse managers (护理管理人员, its 护理部 and operating theatres).
NURSES = {"zj-uk-clinical", "zj-us-iuhealth", "zj-fr-grenoble"}


@pytest.mark.parametrize("term", ["护士", "nurse", "Nurse", "NURSE", "nurses"])
def test_search_nurse_finds_the_programmes_that_take_nurses(term):
    expected = NURSES if term != "nurses" else set()  # a Latin word matches from the start of a word only
    assert seeded(q=term) == expected


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_search_finds_roles_in_both_languages_whatever_the_page_language(language):
    with translation.override(language):
        assert seeded(q="护士") == NURSES
        assert seeded(q="nurse") == NURSES
        assert "zj-uk-clinical" in seeded(q="医生")
        assert "zj-uk-clinical" in seeded(q="physician")


def test_search_uk_programme_by_nurse_and_country_words():
    assert seeded(q="护士 London") == {"zj-uk-clinical"}


def test_search_nurse_manager_synonyms_find_grenoble_only():
    assert seeded(q="护士长") == {"zj-fr-grenoble"}
    assert seeded(q="护理管理人员") == {"zj-fr-grenoble"}


def test_search_doctor_finds_programmes_taking_doctors_not_the_one_without():
    doctors = {"zj-uk-clinical", "zj-us-cleveland", "zj-us-iuhealth", "zj-de-clinical", "zj-fr-grenoble"}
    assert seeded(q="医生") == doctors | {"gx-excellent-young"}
    # "Hundred Doctors Abroad" and "Ten Thousand Doctors" also have the word in their English names.
    assert seeded(q="doctor") == doctors | {"gx-excellent-young", "wz-bysh", "zj-pairing-2014"}
    assert seeded(q="physician") == doctors | {"gx-excellent-young"}


def test_search_by_a_quota_track_alone():
    with_quota = QuotaFactory(track=Track.NURSE, programme__countries=["ZZ"]).programme
    doctors_only = QuotaFactory(track=Track.DOCTOR, programme__countries=["ZZ"]).programme
    assert codes(q="nurse", country="ZZ") == {with_quota.code}
    assert codes(q="护士", country="ZZ") == {with_quota.code}
    assert codes(q="doctor", country="ZZ") == {doctors_only.code}


def test_search_by_an_offering_track_alone():
    with_offering = OfferingFactory(track=Track.NURSE, round__programme__countries=["ZZ"]).round.programme
    OfferingFactory(track=Track.DOCTOR, round__programme__countries=["ZZ"])
    assert codes(q="nurse", country="ZZ") == {with_offering.code}


def test_search_by_programme_type_in_both_languages():
    talent = ProgrammeFactory(programme_type=ProgrammeType.TALENT_TRACK, countries=["ZZ"])
    ProgrammeFactory(programme_type=ProgrammeType.OVERSEAS_FELLOWSHIP, countries=["ZZ"])
    assert codes(q="人才培养", country="ZZ") == {talent.code}
    assert codes(q="talent", country="ZZ") == {talent.code}


def test_track_values_matching_uses_labels_and_synonyms():
    assert track_values_matching("护士") == [Track.NURSE, Track.NURSE_MANAGER]
    assert track_values_matching("nurse") == [Track.NURSE, Track.NURSE_MANAGER]
    assert track_values_matching("医师") == [Track.DOCTOR]
    assert track_values_matching("manager") == [Track.NURSE_MANAGER, Track.MANAGER]
    assert track_values_matching("urology") == []
    assert programme_type_values_matching("fellowship") == [ProgrammeType.OVERSEAS_FELLOWSHIP]
    assert programme_type_values_matching("海外") == [ProgrammeType.OVERSEAS_FELLOWSHIP]


@pytest.mark.parametrize(
    ("term", "text", "expected"),
    [
        ("nurse", "Nurse manager", True),
        ("manager", "Nurse manager", True),
        ("urse", "Nurse", False),
        ("护士", "护士长", True),
        ("士", "护士", True),
        ("nurse", "head-nurse", True),
    ],
)
def test_text_matches_follows_the_database_search(term, text, expected):
    assert text_matches(term, text) is expected


# Catalogue page for a visitor searching one word: the term's specialty and organisation look-ups, then the
# page's own 7 (count, page of programmes, countries, quotas, hosts, the two filter choice lists). The tracks
# are matched in Python and add subqueries, not queries.
SEARCH_QUERIES = 9


@pytest.mark.parametrize("rows", [1, 3])
def test_catalogue_search_for_a_role_keeps_a_constant_number_of_queries(client, django_assert_num_queries, rows):
    for _ in range(rows):
        programme = ProgrammeFactory(countries=["ZZ"])
        QuotaFactory(programme=programme, track=Track.NURSE)
        OfferingFactory(round__programme=programme, track=Track.NURSE)
        OfferingFactory(round__programme=programme, track=Track.DOCTOR)
    with django_assert_num_queries(SEARCH_QUERIES):
        response = client.get(reverse("catalog:home"), {"q": "nurse", "country": "ZZ"})
    assert response.status_code == 200
    assert len(response.context["rows"]) == rows
