"""Catalogue speed: 5,000 programmes and 50,000 offerings, on SQLite and on PostgreSQL.

    .venv/bin/python bench/catalogue.py            # both databases (PostgreSQL when a server answers)
    .venv/bin/python bench/catalogue.py --only sqlite

Prints the median time of the catalogue page and of GET /api/v1/programmes with a search term. The data
generator is fixed (seeded), so runs are comparable. Target: median under 50 ms for both.
"""

from __future__ import annotations

import argparse
import statistics
import time

from _common import databases, run_workers, setup_django

DATABASES = databases("bench-catalogue.sqlite3")
PROGRAMMES = 5_000
OFFERINGS_PER_PROGRAMME = 10
HOSTS = 1_000
REPEAT = 40
SEED = 20261123


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", choices=sorted(DATABASES))
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return run_worker()
    for _name, _done in run_workers(__file__, DATABASES, only=args.only):
        pass


def run_worker() -> None:
    name = setup_django()
    from django.test import Client

    generate()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh planner statistics, as a production database has
    client = Client()
    cases = [
        ("catalogue page, search 泌尿", "/", {"q": "泌尿"}, {}),
        ("catalogue page, no filter", "/", {}, {}),
        ("catalogue page, HTMX search urology + FR", "/", {"q": "urology", "country": "FR"}, {"HX-Request": "true"}),
        ("GET /api/v1/programmes?q=泌尿", "/api/v1/programmes", {"q": "泌尿"}, {}),
        ("GET /api/v1/programmes?q=cardiology", "/api/v1/programmes", {"q": "cardiology"}, {}),
    ]
    from medtalent.catalog.models import Offering, Programme

    print(f"{name}: {Programme.objects.count()} programmes, {Offering.objects.count()} offerings")
    for label, path, params, headers in cases:
        times = []
        for i in range(REPEAT + 3):
            start = time.perf_counter()
            response = client.get(path, params, headers=headers)
            elapsed = (time.perf_counter() - start) * 1000
            assert response.status_code == 200, (label, response.status_code)
            if i >= 3:  # warm-up
                times.append(elapsed)
        print(
            f"  {label:<45} median {statistics.median(times):6.1f} ms   p90 {sorted(times)[int(REPEAT * 0.9)]:6.1f} ms"
        )


def generate() -> None:
    """Fixed synthetic catalogue: 1,000 hosts, 5,000 programmes, 50,000 offerings (idempotent)."""
    import random

    from django.db import transaction

    from medtalent.catalog.enums import DurationUnit, ProgrammeStatus, ProgrammeType, Track
    from medtalent.catalog.models import Offering, Programme, ProgrammeSpecialty, Round
    from medtalent.codes.models import Code, Specialty
    from medtalent.orgs.enums import OrganisationKind
    from medtalent.orgs.models import Organisation

    if Programme.objects.filter(code__startswith="bench-").count() >= PROGRAMMES:
        return
    rng = random.Random(SEED)
    countries = list(
        Code.objects.filter(
            table__slug="country", code__in=["GB", "US", "DE", "FR", "IT", "ES", "JP", "CA", "SG", "NL", "HU", "AU"]
        )
    )
    specialties = list(Specialty.objects.all())
    owner = Organisation.objects.get(code="zj-hc")
    with transaction.atomic():
        hosts = Organisation.objects.bulk_create(
            [
                Organisation(
                    code=f"bench-host-{i}",
                    name_zh=f"基准医院{i}",
                    name_en=f"Benchmark Hospital {i}",
                    kind=OrganisationKind.HOSPITAL,
                    country=rng.choice(countries),
                )
                for i in range(HOSTS)
            ]
        )
        programmes = Programme.objects.bulk_create(
            [
                Programme(
                    code=f"bench-{i}",
                    name_zh=f"基准项目{i}",
                    name_en=f"Benchmark programme {i}",
                    owner=owner,
                    programme_type=rng.choice(ProgrammeType.values),
                    status=ProgrammeStatus.PUBLISHED,
                    duration_min=rng.randint(1, 3),
                    duration_max=rng.randint(3, 12),
                    duration_unit=DurationUnit.MONTH,
                    sort=1000 + i,
                )
                for i in range(PROGRAMMES)
            ]
        )
        through = Programme.countries.through
        through.objects.bulk_create([through(programme_id=p.pk, code_id=rng.choice(countries).pk) for p in programmes])
        ProgrammeSpecialty.objects.bulk_create(
            [
                ProgrammeSpecialty(programme=p, specialty=s, label_zh=s.name_zh)
                for p in programmes
                for s in rng.sample(specialties, 3)
            ]
        )
        rounds = Round.objects.bulk_create(
            [Round(programme=p, code=f"bench-{p.pk}-r1", name_zh="第一批", year=2026) for p in programmes]
        )
        Offering.objects.bulk_create(
            [
                Offering(round=r, host=rng.choice(hosts), specialty=rng.choice(specialties), track=Track.DOCTOR, sort=j)
                for r in rounds
                for j in range(OFFERINGS_PER_PROGRAMME)
            ],
            batch_size=5000,
        )


if __name__ == "__main__":
    main()
