"""Eligibility speed: 10,000 people against every seed category (and the Guangxi programme), on SQLite and
on PostgreSQL.

    .venv/bin/python bench/eligibility.py            # both databases (PostgreSQL when a server answers)
    .venv/bin/python bench/eligibility.py --only sqlite

The people are a fixed generator (random.Random(SEED)) of engine Facts; the rules are the seed policies as
`load_seeds` stores them, read through the same selectors as the application pages. Prints, per database:
the time to read the rules and code ranks and prepare them, the time to judge everyone against every
policy, and (separately) the time to render every reason in Chinese, as a page or an export would.
Target: under 1 s in total for reading, preparing and judging.

`main()` runs the whole thing and returns the figures, so bench/applications.py can call it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import time

from _common import ROOT, databases, run_workers, setup_django

DATABASES = databases("bench-eligibility.sqlite3")
PEOPLE = 10_000
SEED = 20260630
AS_OF = dt.date(2025, 6, 30)
RESULT_PREFIX = "BENCH-ELIGIBILITY "
REPEAT = 5


def main(argv: list[str] | None = None) -> dict[str, dict]:
    """Run the bench on each database in its own process; print and return the figures by database."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", choices=sorted(DATABASES))
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args, _ = parser.parse_known_args(argv)
    if args.worker:
        run_worker()
        return {}
    figures = {}
    for name, done in run_workers(__file__, DATABASES, only=args.only, capture=True):
        for line in done.stdout.splitlines():
            if line.startswith(RESULT_PREFIX):
                figures[name] = json.loads(line[len(RESULT_PREFIX) :])
            else:
                print(line)
    return figures


def generate_facts(count: int = PEOPLE, seed: int = SEED) -> list:
    """A fixed population: ages 25–65, the usual spread of education, titles and hospital levels."""
    import random

    from medtalent.eligibility.facts import Facts

    rng = random.Random(seed)
    educations = ["11", "14", "21"] * 3 + ["17", "22", "28", "31", "41", ""]
    titles = ["231", "232", "233", "233", "234", "252", "253", "254", "243", "263", "235", ""]
    levels = ["3", "3", "3", "2", "2", "1", ""]
    designations = [f"D{n:02d}" for n in range(1, 18)]
    people = []
    for _ in range(count):
        birth = AS_OF - dt.timedelta(days=rng.randint(25 * 365, 65 * 365))
        people.append(
            Facts(
                birth_date=birth if rng.random() > 0.01 else None,
                education_code=rng.choice(educations),
                title_code=rng.choice(titles),
                residency_completed=rng.random() < 0.5,
                admin_years=rng.choice([0, 0, 0, 1, 2, 3, 4, 5, 8, 12]),
                teaching_experience=rng.random() < 0.6,
                employer_level=rng.choice(levels),
                serious_incident=rng.random() < 0.02,
                designations=frozenset(rng.sample(designations, rng.choice([0, 0, 0, 1, 1, 2, 3]))),
            )
        )
    return people


def timed_runs(repeat: int, seed_codes: list[str], people: list):
    """(total, load, judge) seconds per run, the last run's results and policies."""
    from medtalent.catalog.models import Category, Programme
    from medtalent.codes.selectors import code_ranks
    from medtalent.eligibility.engine import compile_rules
    from medtalent.eligibility.selectors import rules_for

    runs = []
    results: list = []
    policies: list = []
    for _ in range(repeat):
        results = []  # let the previous run's results go
        code_ranks.cache_clear()
        start = time.perf_counter()
        targets = []
        for category in Category.objects.filter(programme__code__in=seed_codes).select_related("programme"):
            targets.append((category.code, rules_for(programme=category.programme, category=category)))
        for programme in Programme.objects.filter(code__in=seed_codes, categories__isnull=True, rules__isnull=False):
            targets.append((programme.code, rules_for(programme=programme)))
        targets = list(dict(targets).items())  # a programme with several rules appears once
        ranks = code_ranks()
        policies = [(code, compile_rules(specs, ranks)) for code, specs in targets]
        load = time.perf_counter() - start

        start = time.perf_counter()
        results = [[policy.evaluate(facts, AS_OF) for facts in people] for _, policy in policies]
        judge = time.perf_counter() - start
        runs.append((load + judge, load, judge))
    return runs, results, policies


def run_worker() -> None:
    name = setup_django()
    from django.db import connection
    from django.utils import translation

    seed_codes = [p.stem for p in (ROOT / "medtalent" / "catalog" / "data" / "programmes").glob("*.yaml")]
    people = generate_facts()

    # 1. Read the rules and ranks (cold cache) and prepare one policy per category or category-less programme;
    # 2. judge everyone against every policy. Repeated; the median run is reported (the machine may be busy).
    # First once as the process stands, then after gc.freeze(): a long-running server freezes what it loaded
    # at start-up, so the collector does not rescan Django and the population on every full collection.
    plain = timed_runs(1, seed_codes, people)[0][0]
    gc.collect()
    gc.freeze()
    runs, results, policies = timed_runs(REPEAT, seed_codes, people)
    _, load, judge = sorted(runs)[len(runs) // 2]

    # 3. Render every reason in Chinese (what a page or an export of all of them would do).
    start = time.perf_counter()
    with translation.override("zh-hans"):
        characters = sum(len(o.message) for per_policy in results for r in per_policy for o in (*r.rules, *r.priority))
    render = time.perf_counter() - start

    outcomes = sum(len(r.rules) + len(r.priority) for per_policy in results for r in per_policy)
    eligible = {
        code: sum(r.eligible for r in per_policy) for (code, _), per_policy in zip(policies, results, strict=True)
    }
    print(
        f"{name} ({connection.vendor}): {len(people):,} people × {len(policies)} policies = "
        f"{len(people) * len(policies):,} judgements, {outcomes:,} rule outcomes"
    )
    print(f"  median of {REPEAT} runs:")
    print(f"  read rules and ranks, prepare policies  {load * 1000:8.1f} ms")
    print(f"  judge everyone                          {judge * 1000:8.1f} ms")
    print(f"  total                                   {(load + judge) * 1000:8.1f} ms   (target < 1000 ms)")
    print(f"  (total without gc.freeze(), one run     {plain[0] * 1000:8.1f} ms)")
    print(f"  render every reason in Chinese          {render * 1000:8.1f} ms   ({characters:,} characters)")
    print("  eligible: " + ", ".join(f"{code} {count:,}" for code, count in eligible.items()))
    figures = {
        "people": len(people),
        "policies": len(policies),
        "load_ms": round(load * 1000, 1),
        "judge_ms": round(judge * 1000, 1),
        "total_ms": round((load + judge) * 1000, 1),
        "runs_total_ms": [round(total * 1000, 1) for total, _, _ in runs],
        "total_without_gc_freeze_ms": round(plain[0] * 1000, 1),
        "render_ms": round(render * 1000, 1),
        "eligible": eligible,
    }
    print(RESULT_PREFIX + json.dumps(figures))


if __name__ == "__main__":
    main()
