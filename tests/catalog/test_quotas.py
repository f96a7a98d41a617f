"""Quotas at every level: the pure checker (catalog.quotas), the selectors that feed it, how a quota reads, the
seed files and the API."""

from __future__ import annotations

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from medtalent.catalog.enums import QuotaUnused, Track
from medtalent.catalog.loaders import _load_programme, _Refs
from medtalent.catalog.models import Category, Quota
from medtalent.catalog.quotas import Candidate, QuotaSpec, check_selection, quota_admits, track_for
from medtalent.catalog.selectors import candidates_for_applications, quota_specs_for_round
from medtalent.core.seeding import SeedDataError, SeedReport
from medtalent.orgs.models import Tag
from tests.factories import (
    ApplicationFactory,
    OfferingFactory,
    OrganisationFactory,
    PersonFactory,
    ProgrammeFactory,
    QuotaFactory,
    RoundFactory,
    code,
)

MI = "mountain-island"


def doctor(n: int, *tags: str, **values) -> Candidate:
    return Candidate(id=n, track=Track.DOCTOR, tag_codes=frozenset(tags), **values)


def people(start: int, count: int, *tags: str, **values) -> list[Candidate]:
    return [doctor(start + i, *tags, **values) for i in range(count)]


def nested(unused: str) -> list[QuotaSpec]:
    """30 doctors, of which 5 reserved for hospitals of mountain-area and island counties."""
    return [
        QuotaSpec(id=1, maximum=30, track=Track.DOCTOR),
        QuotaSpec(id=2, maximum=5, parent_id=1, tag=MI, unused=unused),
    ]


def counts(report) -> dict[int, tuple[int, int, int, int, int]]:
    return {
        line.quota.id: (line.matched, line.counted, line.effective_maximum, line.shortfall, line.excess)
        for line in report.lines
    }


# ---- the checker --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("unused", [QuotaUnused.RETURN, QuotaUnused.LAPSE])
def test_reserved_places_filled_by_their_group_leave_25_for_the_others(unused):
    report = check_selection(nested(unused), people(1, 5, MI) + people(100, 25))
    assert report.ok
    assert counts(report) == {1: (30, 30, 30, 0, 0), 2: (5, 5, 5, 0, 0)}


def test_unused_reserved_places_return_to_the_parent():
    report = check_selection(nested(QuotaUnused.RETURN), people(1, 3, MI) + people(100, 27))
    assert report.ok
    assert counts(report) == {1: (30, 30, 30, 0, 0), 2: (3, 3, 5, 0, 0)}


def test_unused_reserved_places_lapse_so_the_others_stay_within_25():
    quotas = nested(QuotaUnused.LAPSE)
    assert check_selection(quotas, people(1, 3, MI) + people(100, 25)).ok
    report = check_selection(quotas, people(1, 3, MI) + people(100, 27))
    assert not report.ok
    assert counts(report) == {1: (30, 30, 28, 0, 2), 2: (3, 3, 5, 0, 0)}
    with translation.override("en"):
        assert report.messages == [
            "quota #1: 30 selected, 2 more than the 28 places available (2 of the 30 places are reserved, unused "
            "and may not be given to others)"
        ]


@pytest.mark.parametrize("unused", [QuotaUnused.RETURN, QuotaUnused.LAPSE])
def test_the_group_beyond_its_reserved_places_competes_for_the_parents_others(unused):
    report = check_selection(nested(unused), people(1, 8, MI) + people(100, 22))
    assert report.ok
    assert counts(report) == {1: (30, 30, 30, 0, 0), 2: (8, 5, 5, 0, 0)}
    over = check_selection(nested(unused), people(1, 8, MI) + people(100, 23))
    assert counts(over)[1] == (31, 31, 30, 0, 1)
    assert counts(over)[2] == (8, 5, 5, 0, 0)


def test_a_reserved_place_goes_only_to_a_candidate_the_parent_takes():
    nurse = Candidate(id=7, track=Track.NURSE, tag_codes=frozenset({MI}))
    report = check_selection(nested(QuotaUnused.RETURN), [nurse])
    assert counts(report) == {1: (0, 0, 30, 0, 0), 2: (0, 0, 5, 0, 0)}


def test_while_selecting_reserved_places_are_held_until_released():
    """`quota_admits`: a 26th ordinary doctor waits for the reserved group; once it is exhausted, places that
    return may be given to others, places that lapse may not."""
    selected = people(1, 3, MI) + people(100, 25)
    another, tagged = doctor(200), doctor(201, MI)
    for unused in (QuotaUnused.RETURN, QuotaUnused.LAPSE):
        assert quota_admits(nested(unused), selected, tagged)
        assert not quota_admits(nested(unused), selected, another)
    assert quota_admits(nested(QuotaUnused.RETURN), selected, another, release_returned=True)
    assert not quota_admits(nested(QuotaUnused.LAPSE), selected, another, release_returned=True)


def test_nested_two_levels_deep():
    """40 places; 10 reserved for Wenzhou's units, of which 4 for those in mountain-area and island counties
    (lapsing); Wenzhou's places return to the 40."""
    quotas = [
        QuotaSpec(id=1, maximum=40),
        QuotaSpec(id=2, maximum=10, parent_id=1, sending_region="330300"),
        QuotaSpec(id=3, maximum=4, parent_id=2, tag=MI, unused=QuotaUnused.LAPSE),
    ]
    wenzhou = frozenset({"330302", "330300", "330000"})
    mountain = people(1, 2, MI, region_codes=wenzhou)
    city = people(10, 7, region_codes=wenzhou)
    others = people(100, 31)
    report = check_selection(quotas, mountain + city + others)
    # Wenzhou holds 2 + 7 but only 10 - 2 unused lapsing places = 8: one Wenzhou candidate competes in the 40,
    # where the 2 lapsing places are lost too.
    assert counts(report) == {1: (40, 40, 38, 0, 2), 2: (9, 8, 8, 0, 0), 3: (2, 2, 4, 0, 0)}
    assert check_selection(quotas, mountain + city + others[:29]).ok


def test_minimum_and_maximum_per_category_track_unit_and_region():
    unit_a, unit_b = 11, 12
    quotas = [
        QuotaSpec(id=1, maximum=3, minimum=2, category="A"),
        QuotaSpec(id=2, maximum=1, track=Track.NURSE),
        QuotaSpec(id=3, maximum=2, sending_unit_id=unit_a),
        QuotaSpec(id=4, maximum=5, minimum=1, sending_region="450000"),
    ]
    selected = [
        Candidate(id=1, category="A", track=Track.DOCTOR, sending_unit_id=unit_a),
        Candidate(id=2, category="B", track=Track.NURSE, sending_unit_id=unit_a),
        Candidate(id=3, category="B", track=Track.NURSE, sending_unit_id=unit_a),
        Candidate(id=4, category="B", track="", sending_unit_id=unit_b, region_codes=frozenset({"330000"})),
    ]
    report = check_selection(quotas, selected)
    assert counts(report) == {
        1: (1, 1, 3, 1, 0),
        2: (2, 2, 1, 0, 1),
        3: (3, 3, 2, 0, 1),
        4: (0, 0, 5, 1, 0),
    }
    assert not report.ok
    assert [line.quota.id for line in report.excesses] == [2, 3]
    assert [line.quota.id for line in report.shortfalls] == [1, 4]
    with translation.override("en"):
        assert report.line_for(1).message == "quota #1: 1 selected, 1 short of the minimum of 2"
        assert report.line_for(2).message == "quota #2: 2 selected, 1 over the limit of 1"


def test_track_any_round_offering_and_host_filters():
    quotas = [
        QuotaSpec(id=1, maximum=1, track=Track.ANY, round_id=5),
        QuotaSpec(id=2, maximum=1, offering_id=8),
        QuotaSpec(id=3, maximum=1, host_id=9),
    ]
    selected = [
        Candidate(id=1, round_id=5, track=Track.NURSE, offering_id=8, host_id=9),
        Candidate(id=2, round_id=6, track="", offering_id=7, host_id=9),
    ]
    assert counts(check_selection(quotas, selected)) == {
        1: (1, 1, 1, 0, 0),
        2: (1, 1, 1, 0, 0),
        3: (2, 2, 1, 0, 1),
    }


def test_overlapping_reserved_quotas_do_not_depend_on_the_order():
    """x fits both reserved quotas, y only the first: either order fills both, none competes for the rest."""
    quotas = [
        QuotaSpec(id=1, maximum=2),
        QuotaSpec(id=2, maximum=1, parent_id=1, tag="a", unused=QuotaUnused.LAPSE),
        QuotaSpec(id=3, maximum=1, parent_id=1, tag="b", unused=QuotaUnused.LAPSE),
    ]
    x, y = doctor(1, "a", "b"), doctor(2, "a")
    for order in ([x, y], [y, x]):
        assert counts(check_selection(quotas, order)) == {1: (2, 2, 2, 0, 0), 2: (2, 1, 1, 0, 0), 3: (1, 1, 1, 0, 0)}


def test_a_candidate_counts_once_and_admitting_one_already_selected_changes_nothing():
    quotas = [QuotaSpec(id=1, maximum=1)]
    one = doctor(1)
    assert check_selection(quotas, [one, one]).ok
    assert quota_admits(quotas, [one], one)


def test_a_quota_already_over_does_not_block_a_candidate_it_does_not_count():
    quotas = [QuotaSpec(id=1, maximum=1, track=Track.NURSE), QuotaSpec(id=2, maximum=5)]
    nurses = [Candidate(id=i, track=Track.NURSE) for i in range(2)]
    assert quota_admits(quotas, nurses, doctor(9))
    assert not quota_admits(quotas, nurses, Candidate(id=9, track=Track.NURSE))


def test_track_from_title_series_or_offering():
    assert track_for(title_series="physician") == Track.DOCTOR
    assert track_for(title_series="nurse") == Track.NURSE
    assert track_for(title_series="pharmacist") == ""
    assert track_for(title_series=None) == ""
    assert track_for(title_series="nurse", offering_track=Track.NURSE_MANAGER) == Track.NURSE_MANAGER
    assert track_for(title_series="nurse", offering_track=Track.ANY) == Track.NURSE


# ---- property: a selection of admitted candidates never exceeds a maximum ------------------------------------

TAGS = ("a", "b")
candidate_strategy = st.builds(
    Candidate,
    id=st.integers(1, 40),
    track=st.sampled_from([Track.DOCTOR, Track.NURSE, ""]),
    category=st.sampled_from(["A", "B"]),
    tag_codes=st.frozensets(st.sampled_from(TAGS), max_size=2),
)


@st.composite
def quota_trees(draw):
    """A root quota with up to two reserved quotas (one of them holding a third), maxima that fit."""
    root_max = draw(st.integers(0, 12))
    quotas = [QuotaSpec(id=1, maximum=root_max, track=draw(st.sampled_from([Track.ANY, Track.DOCTOR])))]
    room = root_max
    for n, tag in enumerate(TAGS, start=2):
        if room and draw(st.booleans()):
            maximum = draw(st.integers(0, room))
            room -= maximum
            unused = draw(st.sampled_from([QuotaUnused.RETURN, QuotaUnused.LAPSE]))
            quotas.append(QuotaSpec(id=n, maximum=maximum, parent_id=1, tag=tag, unused=unused))
    if len(quotas) > 1 and draw(st.booleans()):
        quotas.append(
            QuotaSpec(id=9, maximum=draw(st.integers(0, quotas[1].maximum)), parent_id=quotas[1].id, category="A")
        )
    if draw(st.booleans()):
        quotas.append(QuotaSpec(id=10, maximum=draw(st.integers(0, 6)), category="B"))
    return quotas


@settings(max_examples=300, deadline=None)
@given(
    quotas=quota_trees(),
    pool=st.lists(candidate_strategy, max_size=30, unique_by=lambda c: c.id),
    release=st.booleans(),
)
def test_a_selection_of_admitted_candidates_never_exceeds_a_maximum(quotas, pool, release):
    selected: list[Candidate] = []
    for candidate in pool:
        if quota_admits(quotas, selected, candidate, release_returned=release):
            selected.append(candidate)
    assert check_selection(quotas, selected).within_maximum
    # …and each candidate kept would be admitted again beside the others (no order effect)
    for candidate in selected:
        others = [c for c in selected if c.id != candidate.id]
        assert quota_admits(quotas, others, candidate, release_returned=True)


@settings(max_examples=200, deadline=None)
@given(quotas=quota_trees(), selected=st.lists(candidate_strategy, max_size=30))
def test_counts_never_exceed_what_a_quota_matches(quotas, selected):
    report = check_selection(quotas, selected)
    for line in report.lines:
        assert 0 <= line.counted <= line.matched or line.quota.parent_id is None
        assert line.effective_maximum <= line.quota.maximum
        if line.quota.parent_id is not None:
            assert line.counted <= line.quota.maximum


# ---- selectors ----------------------------------------------------------------------------------------------


@pytest.fixture
def mountain_tag():
    tag, _ = Tag.objects.get_or_create(code="test-mountain", defaults={"name_zh": "山区海岛县", "name_en": "Mountain"})
    return tag


@pytest.mark.django_db
def test_quota_specs_for_round_in_one_query(django_assert_num_queries, mountain_tag):
    round_ = RoundFactory()
    programme = round_.programme
    category = Category.objects.create(programme=programme, code="test-q-a", name_zh="A类", name_en="Category A")
    top = QuotaFactory(programme=programme, round=round_, maximum=30, category=category, sort=1)
    QuotaFactory(programme=programme, round=round_, parent=top, track=Track.ANY, tag=mountain_tag, maximum=5, sort=2)
    QuotaFactory(programme=programme, round=None, track=Track.ANY, maximum=100, sort=3)
    QuotaFactory(programme=programme, round=RoundFactory(programme=programme), maximum=7)  # another round's
    QuotaFactory(maximum=9)  # another programme's
    with django_assert_num_queries(1), translation.override("en"):
        specs = quota_specs_for_round(round_)
    assert [(s.maximum, s.parent_id, s.round_id, s.category, s.tag, s.track) for s in specs] == [
        (30, None, round_.pk, "test-q-a", None, Track.DOCTOR),
        (5, top.pk, round_.pk, None, "test-mountain", Track.ANY),
        (100, None, None, None, None, Track.ANY),
    ]
    assert [s.label for s in specs] == [
        "Doctor (Category A): about 30",
        "of which about 5 reserved for Mountain",
        "Any staff: about 100",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("number", [1, 3])
def test_candidates_for_applications_in_a_fixed_number_of_queries(django_assert_num_queries, mountain_tag, number):
    county = code("region", "330302")
    mountain_tag.regions.add(code("region", "330300"))
    round_ = RoundFactory()
    category = Category.objects.create(programme=round_.programme, code=f"test-c-{number}", name_zh="B类")
    unit = OrganisationFactory(region=county)
    offering = OfferingFactory(round=round_, track=Track.NURSE_MANAGER)
    applications = [
        ApplicationFactory(round=round_, category=category, person=PersonFactory(employer=unit)) for _ in range(number)
    ]
    nurse = ApplicationFactory(round=round_, person=PersonFactory(title=code("title", "253")))
    placements = {applications[0].pk: offering.pk}
    with django_assert_num_queries(7):
        candidates = candidates_for_applications([*applications, nurse], placements=placements)
    first, *rest, last = candidates
    assert first == Candidate(
        id=applications[0].pk,
        round_id=round_.pk,
        category=category.code,
        track=Track.NURSE_MANAGER,
        offering_id=offering.pk,
        host_id=offering.host_id,
        sending_unit_id=unit.pk,
        region_codes=frozenset({"330302", "330300", "330000"}),
        tag_codes=frozenset({"test-mountain"}),
    )
    assert [(c.track, c.offering_id, c.tag_codes) for c in rest] == [
        (Track.DOCTOR, None, frozenset({"test-mountain"}))
    ] * (number - 1)
    assert (last.track, last.category, last.sending_unit_id) == (Track.NURSE, None, nurse.unit_id)


@pytest.mark.django_db
def test_candidates_for_no_applications_need_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert candidates_for_applications([]) == []


@pytest.mark.django_db
def test_selectors_feed_the_checker(mountain_tag):
    round_ = RoundFactory()
    programme = round_.programme
    top = QuotaFactory(programme=programme, round=round_, maximum=2)
    QuotaFactory(programme=programme, round=round_, parent=top, track=Track.ANY, tag=mountain_tag, maximum=1,
                 unused=QuotaUnused.LAPSE)  # fmt: skip
    tagged_unit = OrganisationFactory()
    tagged_unit.tags.add(mountain_tag)
    plain = [ApplicationFactory(round=round_) for _ in range(2)]
    tagged = ApplicationFactory(round=round_, person=PersonFactory(employer=tagged_unit))
    quotas = quota_specs_for_round(round_)
    two_plain = candidates_for_applications(plain)
    assert not check_selection(quotas, two_plain).ok  # the reserved place lapses
    assert check_selection(quotas, [*two_plain[:1], *candidates_for_applications([tagged])]).ok


# ---- how a quota reads --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_format_quota_for_the_new_levels(mountain_tag):
    programme = ProgrammeFactory()
    category = Category.objects.create(programme=programme, code="test-f-a", name_zh="A类", name_en="Category A")
    top = QuotaFactory(programme=programme, category=category, maximum=30, approximate=False)
    child = QuotaFactory(programme=programme, parent=top, track=Track.ANY, tag=mountain_tag, maximum=5,
                         approximate=False)  # fmt: skip
    lapsing = QuotaFactory(programme=programme, parent=top, track=Track.NURSE, maximum=2, unused=QuotaUnused.LAPSE)
    plain = QuotaFactory(programme=programme, track=Track.NURSE, maximum=10)
    with translation.override("en"):
        assert top.display == "Doctor (Category A): 30"
        assert child.display == "of which 5 reserved for Mountain"
        assert lapsing.display == "of which about 2 reserved for Nurse (unused places lapse)"
        assert plain.display == "Nurse: about 10"
    with translation.override("zh-hans"):
        assert plain.display == "护士约 10 人"  # the wording the catalogue always had


# ---- seed files ---------------------------------------------------------------------------------------------


def seed(data: dict) -> SeedReport:
    report = SeedReport()
    _load_programme(data, _Refs(), report, where=f"programme {data['code']}")
    return report


def programme_data(quotas: list[dict], **extra) -> dict:
    return {
        "code": "test-seed-quotas",
        "name_zh": "名额测试",
        "owner": "zj-hc",
        "programme_type": "overseas_fellowship",
        "categories": [{"code": "test-seed-a", "name_zh": "A类"}],
        "quotas": quotas,
        **extra,
    }


@pytest.mark.django_db
def test_seed_quotas_with_category_tag_and_reserved_places(mountain_tag):
    data = programme_data(
        [
            {
                "track": "doctor",
                "category": "test-seed-a",
                "max": 30,
                "approximate": False,
                "children": [
                    {"tag": "test-mountain", "max": 5, "unused": "lapse"},
                    {"sending_region": "330300", "max": 10},
                ],
            },
            {"track": "nurse", "max": 10},
        ]
    )
    seed(data)
    rows = Quota.objects.filter(programme__code="test-seed-quotas").order_by("parent_id", "sort")
    summary = [
        (
            q.track,
            q.category.code if q.category else None,
            q.tag.code if q.tag else None,
            q.sending_region.code if q.sending_region else None,
            q.maximum,
            q.unused,
            q.parent.maximum if q.parent else None,
        )
        for q in rows
    ]
    assert sorted(summary, key=str) == sorted(
        [
            ("doctor", "test-seed-a", None, None, 30, "return", None),
            ("nurse", None, None, None, 10, "return", None),
            ("any", None, "test-mountain", None, 5, "lapse", 30),
            ("any", None, None, "330300", 10, "return", 30),
        ],
        key=str,
    )
    again = seed(data)  # idempotent: the same rows, nothing created
    assert Quota.objects.filter(programme__code="test-seed-quotas").count() == 4
    assert not any(label == "catalog.Quota" for label, _pk in again.created_rows)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("quota", "error"),
    [
        ({"max": 3, "category": "nope"}, "the programme has no category 'nope'"),
        ({"max": 3, "tag": "nope"}, "unknown tag 'nope'"),
        ({"max": 3, "sending_region": "999999"}, "sending_region '999999' is not in the region table"),
        ({"max": 3, "min": 4}, "min 4 is larger than max 3"),
        ({"max": 3, "children": [{"max": 2}, {"max": 2}]}, "the reserved places add up to more than 3"),
        ({"max": 3, "children": [{"max": 4}]}, "the reserved places add up to more than 3"),
        ({"max": 3, "unused": "keep"}, "unused 'keep' is not one of"),
    ],
)
def test_seed_quota_mistakes_stop_the_load(quota, error):
    with pytest.raises(SeedDataError, match=error.replace("(", r"\(")):
        seed(programme_data([quota]))


@pytest.mark.django_db
def test_seed_programmes_keep_their_quotas():
    uk = Quota.objects.filter(programme__code="zj-uk-clinical").order_by("track")
    assert [(q.track, q.maximum, q.parent_id, q.category_id, q.tag_id) for q in uk] == [
        ("doctor", 40, None, None, None),
        ("nurse", 10, None, None, None),
    ]


# ---- API ----------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_programme_detail_api_shows_nested_quotas(client, mountain_tag):
    round_ = RoundFactory()
    programme = round_.programme
    category = Category.objects.create(programme=programme, code="test-api-a", name_zh="A类")
    unit = OrganisationFactory()
    top = QuotaFactory(programme=programme, round=round_, category=category, maximum=30, sort=1)
    child = QuotaFactory(programme=programme, round=round_, parent=top, track=Track.ANY, tag=mountain_tag,
                         sending_unit=unit, sending_region=code("region", "330300"), maximum=5,
                         unused=QuotaUnused.LAPSE, sort=2)  # fmt: skip
    response = client.get(f"/api/v1/programmes/{programme.code}")
    assert response.status_code == 200
    quotas = response.json()["quotas"]
    assert [{k: q[k] for k in ("id", "parent", "category", "track", "tag", "unused", "maximum")} for q in quotas] == [
        {"id": top.pk, "parent": None, "category": "test-api-a", "track": "doctor", "tag": None, "unused": "return",
         "maximum": 30},
        {"id": child.pk, "parent": top.pk, "category": None, "track": "any", "tag": "test-mountain",
         "unused": "lapse", "maximum": 5},
    ]  # fmt: skip
    assert (quotas[1]["sending_unit"], quotas[1]["sending_region"], quotas[1]["round"]) == (
        unit.code,
        "330300",
        round_.code,
    )
    assert (quotas[0]["host"], quotas[0]["offering"]) == (None, None)
