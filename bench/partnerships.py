"""Pairing-checks and indicator-trend speed: 10,000 hospitals, 30,000 relationships and 10 years of
indicators, on SQLite and on PostgreSQL.

    .venv/bin/python bench/partnerships.py            # both databases (PostgreSQL when a server answers)
    .venv/bin/python bench/partnerships.py --only sqlite

A fixed generator (random.Random(SEED)) adds to the seed data a pairing programme of 10,000 hospitals in
Zhejiang (2,000 tertiary supporting hospitals, general, specialty and others; 8,000 supported hospitals in
the counties of the province) and 30,000 relationships, with the plan's four rules and its indicator target;
then both indicators (in-county visit rate, referral-out rate) for 2015–2024 for every supported hospital
(8,000 × 10 years × 2 = 160,000 values, added once per database). Prints the median time of the checks page
(`partnerships:checks`) and of `GET /api/v1/pairing-checks`, of `indicators.selectors.indicator_trend` for the
province and for one city (杭州, 330100), of `GET /api/v1/indicators/trend` and of the trend page
(`indicators:trend`), for a provincial commission administrator. Target: under 200 ms each.
"""

from __future__ import annotations

import argparse
import statistics
import time

from _common import databases, run_workers, setup_django

DATABASES = databases("bench-partnerships.sqlite3")
SEED = 20140101
HOSPITALS = 10_000
SUPPORTING = 2_000
RELATIONSHIPS = 30_000
PROGRAMME = "bench-pairing"
REPEAT = 15
INDICATOR_YEARS = range(2015, 2025)
CITY = "330100"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", choices=sorted(DATABASES))
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        run_worker()
        return
    for _name, _done in run_workers(__file__, DATABASES, only=args.only):
        pass


def generate() -> None:
    """The fixed network (created once per database; a rerun finds it and keeps it)."""
    import random

    from django.db import transaction

    from medtalent.catalog.enums import ProgrammeType
    from medtalent.catalog.models import Programme
    from medtalent.codes.models import Code
    from medtalent.orgs.models import Organisation
    from medtalent.partnerships.models import Pairing, PairingRule

    if Programme.objects.filter(code=PROGRAMME).exists():
        return
    rng = random.Random(SEED)
    counties = list(
        Code.objects.filter(table__slug="region", level=3, valid_to__isnull=True, code__startswith="33").order_by(
            "code"
        )
    )
    cities = list(Code.objects.filter(table__slug="region", level=2, code__startswith="33", valid_to__isnull=True))
    with transaction.atomic():
        programme = Programme.objects.create(
            code=PROGRAMME,
            name_zh="对口支援（测试）",
            owner=Organisation.objects.get(code="zj-hc"),
            programme_type=ProgrammeType.PAIRING_SUPPORT,
            status="published",
        )
        for kind, params in [
            ("supported_per_general", {"target": 3, "tolerance": 1}),
            ("supported_per_specialty", {"target": 2, "tolerance": 1}),
            ("county_coverage", {"province": "330000"}),
            ("no_duplicate", {}),
        ]:
            PairingRule.objects.create(programme=programme, kind=kind, params=params, text_zh=kind)
        orgs = []
        for n in range(HOSPITALS):
            supporting = n < SUPPORTING
            orgs.append(
                Organisation(
                    code=f"bench-h-{n}",
                    name_zh=f"测试医院{n}",
                    kind="hospital",
                    level=rng.choice(["3A", "3A", "3B", "3"]) if supporting else rng.choice(["2A", "2B", ""]),
                    hospital_type=rng.choice(["general", "general", "specialty", "tcm", "maternal_child"]),
                    region=rng.choice(cities) if supporting else rng.choice(counties[:-3]),
                )
            )
        Organisation.objects.bulk_create(orgs, batch_size=1000)
        ids = list(Organisation.objects.filter(code__startswith="bench-h-").order_by("id").values_list("id", flat=True))
        supporting_ids, supported_ids = ids[:SUPPORTING], ids[SUPPORTING:]
        pairs: set[tuple[int, int]] = set()
        while len(pairs) < RELATIONSHIPS:
            pairs.add((rng.choice(supporting_ids), rng.choice(supported_ids)))
        rows = [
            Pairing(programme=programme, supporting_id=a, supported_id=b, source="other", sort=i)
            for i, (a, b) in enumerate(sorted(pairs))
        ]
        Pairing.objects.bulk_create(rows, batch_size=2000)


def generate_indicators() -> None:
    """Both indicators for 2015–2024 for every supported hospital of the bench programme, and the programme's
    indicator target (once per database; a rerun finds them and keeps them)."""
    import random
    from decimal import Decimal

    from django.db import transaction

    from medtalent.catalog.models import Programme
    from medtalent.indicators.enums import IndicatorKind
    from medtalent.indicators.models import IndicatorValue
    from medtalent.partnerships.models import Pairing, PairingRule

    programme = Programme.objects.get(code=PROGRAMME)
    PairingRule.objects.get_or_create(
        programme=programme,
        kind="indicator_target",
        defaults={
            "params": {
                "in_county_visit_rate": {"target": 90, "better": "higher"},
                "referral_out_rate": {"better": "lower"},
            },
            "text_zh": "indicator_target",
        },
    )
    if IndicatorValue.objects.filter(organisation__code__startswith="bench-h-").exists():
        return
    rng = random.Random(SEED + 4)
    hospitals = sorted(set(Pairing.objects.filter(programme=programme).values_list("supported_id", flat=True)))
    rows = []
    for hospital in hospitals:
        visits = rng.uniform(70, 88)  # each hospital starts somewhere and improves a little each year
        for year in INDICATOR_YEARS:
            visits = min(99.5, visits + rng.uniform(-1, 2.5))
            for kind, value in (
                (IndicatorKind.IN_COUNTY_VISIT_RATE, visits),
                (IndicatorKind.REFERRAL_OUT_RATE, 100 - visits - rng.uniform(0, 5)),
            ):
                rows.append(
                    IndicatorValue(
                        organisation_id=hospital, year=year, kind=kind, value=Decimal(f"{max(value, 0):.2f}")
                    )
                )
    with transaction.atomic():
        IndicatorValue.objects.bulk_create(rows, batch_size=5000)


def median_ms(action) -> float:
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def run_worker() -> None:
    name = setup_django()
    generate()
    generate_indicators()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh planner statistics, as a production database has
    from django.test import Client

    from medtalent.accounts.enums import Role
    from medtalent.accounts.models import RoleAssignment, User
    from medtalent.orgs.models import Organisation

    user, _ = User.objects.get_or_create(username="bench-commission")
    RoleAssignment.objects.get_or_create(
        user=user, role=Role.COMMISSION_ADMIN, organisation=Organisation.objects.get(code="zj-hc")
    )
    client = Client()
    client.force_login(user)

    for label, url in [
        ("checks page", f"/pairings/checks/?programme={PROGRAMME}"),
        ("GET /api/v1/pairing-checks", f"/api/v1/pairing-checks?programme={PROGRAMME}"),
        ("indicator trend page, province", f"/pairings/indicators/?programme={PROGRAMME}"),
        ("indicator trend page, city 330100", f"/pairings/indicators/?programme={PROGRAMME}&city={CITY}"),
        ("GET /api/v1/indicators/trend, province", f"/api/v1/indicators/trend?programme={PROGRAMME}"),
        ("GET /api/v1/indicators/trend, city 330100", f"/api/v1/indicators/trend?programme={PROGRAMME}&city={CITY}"),
    ]:

        def request(url=url):
            response = client.get(url)
            assert response.status_code == 200, response.status_code

        print(f"{name}: {label}: median {median_ms(request):.0f} ms over {REPEAT} requests")

    from medtalent.catalog.models import Programme
    from medtalent.indicators.selectors import indicator_trend

    programme = Programme.objects.select_related("owner").get(code=PROGRAMME)
    province = indicator_trend(programme=programme)
    reporting = province["in_county_visit_rate"].years[0].n
    assert reporting > 7_000, reporting  # every supported hospital reports
    for label, city in [("province", ""), (f"city {CITY}", CITY)]:
        elapsed = median_ms(lambda city=city: indicator_trend(programme=programme, city=city))
        print(f"{name}: indicator_trend, {label}: median {elapsed:.0f} ms over {REPEAT} calls")


if __name__ == "__main__":
    main()
