"""Eligibility speed: 10,000 people against every seed category (and the Guangxi programme) and the bench's
own programme of rule trees, on SQLite and on PostgreSQL.

    .venv/bin/python bench/eligibility.py            # both databases (PostgreSQL when a server answers)
    .venv/bin/python bench/eligibility.py --only sqlite

The people are a fixed generator (random.Random(SEED)) of engine Facts; the rules are the seed policies as
`load_seeds` stores them, and `TREE_PROGRAMME` (loaded the same way): two categories whose rules are trees
("IELTS 6.0, or TOEFL 80, or the commission's assessment at B2"; "attending physician, or residency and a
licence held 3 years"), with licence and title years, an employer tag and a verified title; all read through
the same selectors as the application pages. Prints, per database:
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
TREE_CODE = "bench-rule-trees"
# The rules the facts cannot decide (language, health): half the population has them confirmed by the unit.
UNIT_CONFIRMED = frozenset({"wz-bysh:language", "wz-bysh:health", "gx-excellent-young:health", f"{TREE_CODE}:health"})
TREE_PROGRAMME = f"""\
code: {TREE_CODE}
name_zh: 规则树测试项目
name_en: Rule tree bench programme
owner: zj-hc
programme_type: overseas_fellowship
rules:
  - kind: max_age
    params: {{years: 50}}
  - kind: any_of
    text_en: IELTS 6.0, or TOEFL 80, or the commission's assessment at B2
    rules:
      - kind: language_result
        params: {{test: ielts, min_score: "6.0", valid_years: 2}}
      - kind: language_result
        params: {{test: toefl, min_score: "80", valid_years: 2}}
      - kind: language_result
        params: {{test: assessment, min_level: B2}}
  - kind: health
categories:
  - code: {TREE_CODE}-clinical
    name_zh: 临床骨干
    rules:
      - kind: any_of
        text_en: Attending physician, or residency completed and a practising licence held for 3 years
        rules:
          - kind: min_title
            params: {{code: "233"}}
          - kind: all_of
            rules:
              - kind: title_or_residency
                params: {{grade: senior, residency: true}}
              - kind: licence_years
                params: {{years: 3}}
      - kind: licence_years
        params: {{years: 1}}
  - code: {TREE_CODE}-nursing
    name_zh: 护理骨干
    rules:
      - kind: min_title
        params: {{code: "253", verified: true}}
      - kind: title_years
        params: {{grade: intermediate, series: [nurse], years: 3}}
      - kind: not
        rules:
          - kind: designation
            params: {{any_of: [D17]}}
      - kind: employer_tag
        blocking: false
        params: {{any_of: [mountain-island, underdeveloped]}}
"""


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
    from decimal import Decimal

    from medtalent.eligibility.facts import Facts, LanguageResult

    rng = random.Random(seed)
    educations = ["11", "14", "21"] * 3 + ["17", "22", "28", "31", "41", ""]
    titles = ["231", "232", "233", "233", "234", "252", "253", "254", "243", "263", "235", ""]
    levels = ["3", "3", "3", "2", "2", "1", ""]
    designations = [f"D{n:02d}" for n in range(1, 18)]
    tags = ["mountain-island", "underdeveloped", "county-hospital"]
    people = []

    def day(years_back: int) -> dt.date:
        return AS_OF - dt.timedelta(days=rng.randint(0, years_back * 365))

    def language() -> LanguageResult:
        test = rng.choice(["ielts", "ielts", "toefl", "assessment", "cet6"])
        if test == "assessment":
            return LanguageResult(test, None, rng.choice(["A2", "B1", "B2", "C1"]), day(4))
        score = Decimal(rng.choice(["5.0", "5.5", "6.0", "6.5", "7.0"]) if test == "ielts" else rng.randint(60, 110))
        return LanguageResult(test, score, "", day(4) if rng.random() > 0.05 else None)

    for _ in range(count):
        birth = AS_OF - dt.timedelta(days=rng.randint(25 * 365, 65 * 365))
        title = rng.choice(titles)
        people.append(
            Facts(
                birth_date=birth if rng.random() > 0.01 else None,
                education_code=rng.choice(educations),
                title_code=title,
                residency_completed=rng.random() < 0.5,
                admin_years=rng.choice([0, 0, 0, 1, 2, 3, 4, 5, 8, 12]),
                teaching_experience=rng.random() < 0.6,
                employer_level=rng.choice(levels),
                serious_incident=rng.random() < 0.02,
                designations=frozenset(rng.sample(designations, rng.choice([0, 0, 0, 1, 1, 2, 3]))),
                languages=tuple(language() for _ in range(rng.choice([0, 0, 1, 1, 2]))),
                licence_obtained_on=day(20) if rng.random() < 0.8 else None,
                title_obtained_on=day(12) if title and rng.random() < 0.9 else None,
                earlier_titles=(("254", day(20)),) if title == "253" and rng.random() < 0.5 else (),
                employer_tags=frozenset(rng.sample(tags, rng.choice([0, 0, 1, 2]))),
                verified=frozenset(rng.sample(["title", "education", "licence"], rng.choice([0, 1, 2, 3]))),
                confirmed=UNIT_CONFIRMED if rng.random() < 0.5 else frozenset(),
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

        start, cpu = time.perf_counter(), time.process_time()
        results = [[policy.evaluate(facts, AS_OF) for facts in people] for _, policy in policies]
        judge = time.perf_counter() - start
        runs.append((load + judge, load, judge, time.process_time() - cpu))
    return runs, results, policies


def load_tree_programme() -> None:
    """The bench's programme of rule trees, loaded like a seed file (idempotent)."""
    import tempfile
    from pathlib import Path

    from medtalent.catalog.loaders import load_programmes
    from medtalent.core.seeding import SeedReport

    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / f"{TREE_CODE}.yaml").write_text(TREE_PROGRAMME, encoding="utf-8")
        load_programmes(SeedReport(), data_dir=Path(folder))


def run_worker() -> None:
    name = setup_django()
    from django.db import connection
    from django.utils import translation

    load_tree_programme()
    seed_codes = [p.stem for p in (ROOT / "medtalent" / "catalog" / "data" / "programmes").glob("*.yaml")]
    seed_codes.append(TREE_CODE)
    people = generate_facts()

    # 1. Read the rules and ranks (cold cache) and prepare one policy per category or category-less programme;
    # 2. judge everyone against every policy. Repeated; the median run is reported (the machine may be busy).
    # First once as the process stands, then after gc.freeze(): a long-running server freezes what it loaded
    # at start-up, so the collector does not rescan Django and the population on every full collection.
    plain = timed_runs(1, seed_codes, people)[0][0]
    gc.collect()
    gc.freeze()
    runs, results, policies = timed_runs(REPEAT, seed_codes, people)
    _, load, judge, judge_cpu = sorted(runs)[len(runs) // 2]

    # 3. Render every reason in Chinese (what a page or an export of all of them would do).
    start = time.perf_counter()
    with translation.override("zh-hans"):
        characters = sum(len(o.message) for per_policy in results for r in per_policy for o in (*r.rules, *r.priority))
    render = time.perf_counter() - start

    outcomes = sum(len(r.rules) + len(r.priority) for per_policy in results for r in per_policy)
    eligible = {
        code: sum(r.eligible for r in per_policy) for (code, _), per_policy in zip(policies, results, strict=True)
    }
    pending = {
        code: sum(r.status == "pending" for r in per_policy)
        for (code, _), per_policy in zip(policies, results, strict=True)
    }
    print(
        f"{name} ({connection.vendor}): {len(people):,} people × {len(policies)} policies = "
        f"{len(people) * len(policies):,} judgements, {outcomes:,} rule outcomes"
    )
    print(f"  median of {REPEAT} runs:")
    print(f"  read rules and ranks, prepare policies  {load * 1000:8.1f} ms")
    print(f"  judge everyone                          {judge * 1000:8.1f} ms   (CPU time {judge_cpu * 1000:.1f} ms)")
    print(f"  total                                   {(load + judge) * 1000:8.1f} ms   (target < 1000 ms)")
    print(f"  (total without gc.freeze(), one run     {plain[0] * 1000:8.1f} ms)")
    print(f"  render every reason in Chinese          {render * 1000:8.1f} ms   ({characters:,} characters)")
    print("  eligible: " + ", ".join(f"{code} {count:,}" for code, count in eligible.items()))
    print("  pending (the unit checks a rule): " + ", ".join(f"{code} {count:,}" for code, count in pending.items()))
    figures = {
        "people": len(people),
        "policies": len(policies),
        "load_ms": round(load * 1000, 1),
        "judge_ms": round(judge * 1000, 1),
        "judge_cpu_ms": round(judge_cpu * 1000, 1),
        "total_ms": round((load + judge) * 1000, 1),
        "runs_total_ms": [round(total * 1000, 1) for total, *_ in runs],
        "total_without_gc_freeze_ms": round(plain[0] * 1000, 1),
        "render_ms": round(render * 1000, 1),
        "eligible": eligible,
        "pending": pending,
    }
    print(RESULT_PREFIX + json.dumps(figures))


if __name__ == "__main__":
    main()
