"""Pairing-checks speed: 10,000 hospitals and 30,000 relationships, on SQLite and on PostgreSQL.

    .venv/bin/python bench/partnerships.py            # both databases (PostgreSQL when a server answers)
    .venv/bin/python bench/partnerships.py --only sqlite

A fixed generator (random.Random(SEED)) adds to the seed data a pairing programme of 10,000 hospitals in
Zhejiang (2,000 tertiary supporting hospitals, general, specialty and others; 8,000 supported hospitals in
the counties of the province) and 30,000 relationships, with the plan's four rules. Prints the median time
of the checks page (`partnerships:checks`) and of `GET /api/v1/pairing-checks` for a provincial commission
administrator. Target: under 200 ms each. (The indicator chart of issue 4 is not measured here yet.)
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


def run_worker() -> None:
    name = setup_django()
    generate()
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
    ]:
        times = []
        for _ in range(REPEAT):
            start = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - start)
            assert response.status_code == 200, response.status_code
        print(f"{name}: {label}: median {statistics.median(times) * 1000:.0f} ms over {REPEAT} requests")


if __name__ == "__main__":
    main()
