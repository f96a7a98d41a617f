"""What the bench scripts share: the two databases, one worker process per database, Django set-up.

Each script runs itself again with `--worker` once per database (PostgreSQL only when a server answers),
so both databases are measured under the same conditions, each in a fresh process.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432")
PG_DATABASE = "medtalent_bench"  # its own database: never the test suite's


def databases(sqlite_file: str) -> dict[str, str]:
    return {"sqlite": f"sqlite:///{ROOT / 'var' / sqlite_file}", "postgresql": f"{PG_SERVER}/{PG_DATABASE}"}


def ensure_pg_database() -> bool:
    try:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=3) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [PG_DATABASE]).fetchone():
                conn.execute(f"CREATE DATABASE {PG_DATABASE}")
        return True
    except Exception:
        return False


def run_workers(
    script: str, urls: dict[str, str], *, only: str | None = None, args: list[str] | None = None, capture: bool = False
) -> Iterator[tuple[str, subprocess.CompletedProcess]]:
    """Run `script --worker [args]` once per database; yields each database's name and finished process."""
    for name, url in urls.items():
        if only and name != only:
            continue
        if name == "postgresql" and not ensure_pg_database():
            print(f"postgresql: SKIPPED, no server answers at {PG_SERVER}")
            continue
        env = {**os.environ, "DATABASE_URL": url, "BENCH_DB_NAME": name}
        yield (
            name,
            subprocess.run(
                [sys.executable, str(Path(script).resolve()), "--worker", *(args or [])],
                env=env,
                check=True,
                cwd=ROOT,
                stdout=subprocess.PIPE if capture else None,
                text=True,
            ),
        )


def setup_django() -> str:
    """In a worker: Django with the test settings, the schema and the seed data; the database's name."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    (ROOT / "var").mkdir(exist_ok=True)
    import django

    django.setup()
    from io import StringIO

    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_seeds", stdout=StringIO(), stderr=StringIO())
    return os.environ["BENCH_DB_NAME"]
