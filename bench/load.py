"""Load figures of the production set-up on this machine, printed, never asserted.

    .venv/bin/python bench/load.py                                   # 50 users, 60 s, 2 then 4 web processes
    .venv/bin/python bench/load.py --users 10 --seconds 15 --workers 2
    .venv/bin/python bench/load.py --reuse       # skip step 1: start from the data the last run prepared

1. A PostgreSQL database of its own (`medtalent_load`, dropped and created again at every run): migrate,
   `load_seeds`, `load_demo --force`, then a fixed generator (random.Random(SEED)): the Excel file of
   bench/applications.py imported by each demo unit into the open demo round (hundreds of applicant users with
   draft, submitted, recommended and returned applications), the load accounts `load-applicant-<i>` (eligible
   profiles, no application yet) and `load-unit-<i>` (unit administrators of the two demo units), all with
   the password PASSWORD. `--big-catalogue` adds the 5,000 programmes of bench/catalogue.py.
2. `collectstatic`, then the Procfile's processes as production runs them: `gunicorn --config
   config/gunicorn.py config.wsgi` (DEBUG off, no access log, a free port on 127.0.0.1) and `manage.py worker`
   (or django-tasks-db's `db_worker` while that command does not exist). Each web-process count starts from the
   same prepared data (`medtalent_load_prepared`, a copy made before the first run and kept for `--reuse`),
   after a short anonymous warm-up that is not counted.
3. Locust, headless, one process, with bench/locustfile.py: visitors (catalogue, searches, programme pages,
   the API), applicants (log in, profile autosave, a draft in the demo round, submit once) and unit
   administrators (their list, an application, recommend). Every response is checked.
4. A table per web-process count by request group (and the slowest requests, over the whole run and once
   every user is started), a 10-second timeline, the CPU used by each part and by the rest of the machine (a
   warning when other work competed for the cores), and the verdicts: "0 failed requests", "p95 under 300 ms
   for pages", over the whole run, printed as MET / NOT MET. The exit status is 0 whatever the figures; it is
   not 0 only when the set-up itself failed. Raw CSV, every request and the logs: bench/output/load-*.

Everything it starts (gunicorn, the worker, Locust) runs in its own process group and is stopped on the way
out, Ctrl-C and errors included. Traffic goes to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib.util
import json
import os
import random
import resource
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from _common import PG_SERVER, ROOT

DB_NAME = "medtalent_load"
DB_COPY = "medtalent_load_prepared"  # the prepared data, copied back before each web-process count
OUTPUT = ROOT / "bench" / "output"
MEDIA = ROOT / "var" / "load-private"
PY = ROOT / ".venv" / "bin" / "python"
LOCUST = ROOT / ".venv" / "bin" / "locust"
PASSWORD = "load-test-medtalent-2026"  # every load account; the demo accounts keep theirs
SEED = 20261201
MAX_USERS = 200  # Locust runs as ONE process on this 2-core machine, beside the server it measures
PAGE_P95_TARGET_MS = 300
# Chinese (and a few English) terms tried against the catalogue; those that find something are searched.
SEARCH_TERMS = ["泌尿", "心血管", "护理", "急诊", "儿科", "肿瘤", "重症", "麻醉", "神经", "骨科", "临床", "进修"]
SEARCH_TERMS += ["人才", "温州", "浙江", "广西", "美国", "英国", "德国", "法国", "克利夫兰", "对口支援"]
LATIN_TERMS = ["urology", "cardiology", "nursing", "oncology", "clinical"]
BG_CATEGORIES = ["wz-bysh-clinical", "wz-bysh-innovation"]  # the demo units' imported applications
GROUPS = ("page", "fragment", "api", "post")
GROUP_HELP = {
    "page": "full HTML pages (GET)",
    "fragment": "HTMX fragments (GET)",
    "api": "JSON API (GET /api/v1)",
    "post": "POSTs: log in/out, autosaves, new draft, submit, recommend",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=50, help=f"concurrent Locust users (at most {MAX_USERS})")
    parser.add_argument("--seconds", type=int, default=60, help="Locust run time per web-process count")
    parser.add_argument("--workers", default="2,4", help="gunicorn web processes (WEB_CONCURRENCY), e.g. 2,4")
    parser.add_argument("--spawn-rate", type=float, default=10, help="users started per second")
    parser.add_argument("--people", type=int, default=600, help="background applicants imported by the units")
    parser.add_argument("--accounts", type=int, default=300, help="load-applicant-<i> accounts")
    parser.add_argument("--big-catalogue", action="store_true", help="add bench/catalogue.py's 5,000 programmes")
    parser.add_argument(
        "--reuse", action="store_true", help=f"start from the data prepared by the last run ({DB_COPY}), if any"
    )
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--fixture", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.prepare:
        prepare(args)
        return 0
    try:
        workers = [int(w) for w in args.workers.split(",") if w.strip()]
    except ValueError:
        parser.error("--workers takes numbers separated by commas, e.g. 2,4")
    if not workers or min(workers) < 1:
        parser.error("--workers takes numbers separated by commas, e.g. 2,4")
    if not 1 <= args.users <= MAX_USERS:
        parser.error(f"--users must be between 1 and {MAX_USERS}: Locust shares this machine with the server")
    if args.seconds < 5:
        parser.error("--seconds must be at least 5")

    # SIGTERM and SIGHUP stop the run like Ctrl-C does: through the finally blocks below.
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _interrupt)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    processes = Processes()
    try:
        results = run(args, workers, processes)
    except KeyboardInterrupt:
        print("\nInterrupted: stopping what was started.")
        return 130
    except SetupError as error:
        print(f"\nSET-UP FAILED: {error}")
        return 1
    except subprocess.TimeoutExpired as error:
        print(f"\nSET-UP FAILED: {' '.join(map(str, error.cmd))[:200]} did not finish within {error.timeout:.0f} s")
        return 1
    finally:
        processes.stop_all()
    print_report(args, results)
    return 0


class SetupError(Exception):
    pass


def _interrupt(signum, frame):
    raise KeyboardInterrupt


# ------------------------------------------------------------------------------------------- orchestration


def run(args, workers: list[int], processes: Processes) -> list[dict]:
    cores = os.cpu_count() or 1
    print(f"== Load test: {args.users} users, {args.seconds} s, gunicorn web processes {workers}, {cores} cores ==")
    print(
        f"Locust: one process (one core at most) with {args.users} users, spawn rate {args.spawn_rate}/s; it shares "
        f"the {cores} cores with gunicorn, the worker and PostgreSQL, so the figures are on the pessimistic side."
    )
    env = server_env()
    fixture = OUTPUT / "load-fixture.json"
    if args.reuse and database_exists(DB_COPY) and fixture.exists():
        print(f"Reusing the data prepared by the last run ({DB_COPY}, {fixture.relative_to(ROOT)}).")
        database_copy(DB_COPY, DB_NAME)
    else:
        prepare_database(args, env, fixture)
    manage(env, "collectstatic", "--noinput", "-v", "0", timeout=600)

    worker_command = ["manage.py", "worker"]
    if not manage_has_command(env, "worker"):
        worker_command = ["manage.py", "db_worker", "--no-reload"]
        print("NOTE: `manage.py worker` does not exist yet: running django-tasks-db's `db_worker --no-reload`.")
    results = []
    for index, count in enumerate(workers):
        if index:
            database_copy(DB_COPY, DB_NAME)  # the same data for every web-process count
        results.append(run_one(args, count, env, worker_command, processes))
    return results


def prepare_database(args, env: dict, fixture: Path) -> None:
    """The load database from scratch: migrate, seeds, demo accounts, the generator; then its copy."""
    database_recreate()
    started = time.perf_counter()
    print(f"Preparing {PG_SERVER}/{DB_NAME}: migrate, load_seeds, load_demo --force, generated data …")
    manage(env, "migrate", "--no-input", "-v", "0", timeout=900)
    manage(env, "load_seeds", timeout=900, log="load-seeds.log")
    manage(env, "load_demo", "--force", timeout=300, log="load-demo.log")
    command = [str(PY), str(Path(__file__).resolve()), "--prepare", "--fixture", str(fixture)]
    command += ["--people", str(args.people), "--accounts", str(args.accounts)]
    if args.big_catalogue:
        command.append("--big-catalogue")
    # Imports run through the import task at once (immediate backend): no worker is running yet.
    prepare_env = {**env, "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "LOG_LEVEL": "WARNING"}
    done = subprocess.run(command, env=prepare_env, cwd=ROOT, timeout=1800, check=False)
    if done.returncode:
        raise SetupError(f"the data generator stopped (exit {done.returncode})")
    database_copy(DB_NAME, DB_COPY)
    print(f"Prepared in {time.perf_counter() - started:.0f} s.")


def run_one(args, web_processes: int, env: dict, worker_command: list[str], processes: Processes) -> dict:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    tag = f"w{web_processes}"
    print(f"\n-- {web_processes} web processes on {base} --")
    web_env = {**env, "WEB_CONCURRENCY": str(web_processes), "BIND": f"127.0.0.1:{port}", "GUNICORN_ACCESS_LOG": ""}
    worker = processes.start("worker", [str(PY), *worker_command], env, OUTPUT / f"load-{tag}-worker.log")
    web = processes.start(
        "gunicorn",
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "--config", "config/gunicorn.py", "config.wsgi"],
        web_env,
        OUTPUT / f"load-{tag}-gunicorn.log",
    )
    try:
        health = wait_ready(base, web, timeout=90)
        print(f"Server answers on / ; /healthz: {health}")
        print(f"Warm-up (not counted): {warm_up(base, web_processes)} anonymous requests")
        busy = machine_busy(seconds=3)
        if busy > 25:
            print(
                f"WARNING: before the run, with the server idle, {busy:.0f} % of the machine's CPU is in use by others"
            )
        sampler = CpuSampler(web.pid, worker.pid)
        sampler.start()
        children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        try:
            result = run_locust(args, base, tag, processes)
        finally:
            sampler.stop()
        children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        result["cpu"] = sampler.used()
        result["cpu"]["locust"] = (children_after.ru_utime + children_after.ru_stime) - (
            children_before.ru_utime + children_before.ru_stime
        )
        machine = result["cpu"].pop("machine")
        result["cpu"]["other processes"] = max(0.0, machine - sum(result["cpu"].values()))
        result["web_processes"] = web_processes
        # Settled: once every user is started (users / spawn rate) and 5 s more.
        settled_from = args.users / args.spawn_rate + 5
        result.update(request_log(OUTPUT / f"load-{tag}-requests.csv", settled_from))
        result["server_errors"] = count_server_errors(OUTPUT / f"load-{tag}-gunicorn.log")
        return result
    finally:
        processes.stop(web)
        processes.stop(worker)
        print(f"Stopped gunicorn and the worker; port {port} {'free' if port_free(port) else 'STILL IN USE'}.")


def run_locust(args, base: str, tag: str, processes: Processes) -> dict:
    prefix = OUTPUT / f"load-{tag}"
    result_file = OUTPUT / f"load-{tag}-groups.json"
    result_file.unlink(missing_ok=True)
    unit_admins = min(8, max(2, args.users // 12))
    env = {
        **os.environ,
        "LOAD_FIXTURE": str(OUTPUT / "load-fixture.json"),
        "LOAD_RESULT": str(result_file),
        "LOAD_UNIT_ADMINS": str(unit_admins),
    }
    command = [
        str(LOCUST),
        "-f",
        str(ROOT / "bench" / "locustfile.py"),
        "--headless",
        "--users",
        str(args.users),
        "--spawn-rate",
        str(args.spawn_rate),
        "--run-time",
        f"{args.seconds}s",
        "--stop-timeout",
        "10",
        "--host",
        base,
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
        "--exit-code-on-error",
        "0",
    ]
    print(f"Locust: {args.users} users ({unit_admins} unit administrators), {args.seconds} s …", flush=True)
    log = OUTPUT / f"load-{tag}-locust.log"
    locust = processes.start("locust", command, env, log)
    hard_timeout = args.seconds + 120
    try:
        code = locust.wait(timeout=hard_timeout)
    except subprocess.TimeoutExpired as exc:
        raise SetupError(f"Locust did not stop within {hard_timeout} s (see {log})") from exc
    finally:
        processes.stop(locust)
    if code != 0 or not result_file.exists():
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-15:])
        raise SetupError(f"Locust stopped with exit {code} and no figures:\n{tail}")
    return json.loads(result_file.read_text())


# ---------------------------------------------------------------------------------------------- processes


class Processes:
    """What this script started, each in its own process group, stopped group by group."""

    def __init__(self):
        self.running: list[tuple[str, subprocess.Popen, object]] = []

    def start(self, name: str, command: list[str], env: dict, log: Path) -> subprocess.Popen:
        out = log.open("w")
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.running.append((name, process, out))
        return process

    def stop(self, process: subprocess.Popen, grace: float = 35) -> None:
        """SIGTERM to the process group (gunicorn finishes its requests), SIGKILL after `grace` seconds."""
        for entry in list(self.running):
            if entry[1] is not process:
                continue
            name, _, out = entry
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=grace)
                except subprocess.TimeoutExpired:
                    print(f"{name} did not stop within {grace:.0f} s: killed")
            # Whatever is left in the group (a gunicorn worker, a reloader) goes too.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=5)
            out.close()
            self.running.remove(entry)

    def stop_all(self) -> None:
        for _, process, _ in reversed(list(self.running)):
            # Ignore Ctrl-C while stopping: a second one must not leave a server behind.
            previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
            try:
                self.stop(process)
            finally:
                signal.signal(signal.SIGINT, previous)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) != 0


def wait_ready(base: str, web: subprocess.Popen, timeout: float) -> str:
    """Wait until / answers 200, then give /healthz (if the project has it) up to 30 s to say ok."""
    deadline = time.monotonic() + timeout
    while True:
        if web.poll() is not None:
            raise SetupError(f"gunicorn stopped (exit {web.returncode}); see bench/output/load-w*-gunicorn.log")
        status, _ = http_get(base + "/")
        if status == 200:
            break
        if time.monotonic() > deadline:
            raise SetupError(f"the server did not answer 200 on / within {timeout:.0f} s (last: {status})")
        time.sleep(0.5)
    deadline = time.monotonic() + 30
    while True:
        status, body = http_get(base + "/healthz")
        if status == 404:
            return "not there (404)"
        if status == 200:
            return "200 " + body.strip()[:200]
        if time.monotonic() > deadline:
            return f"NOT OK after 30 s: {status} {body.strip()[:300]}"
        time.sleep(1)


def warm_up(base: str, web_processes: int) -> int:
    """A few anonymous pages per web process, so that the figures are not those of the first request of each."""
    fixture = json.loads((OUTPUT / "load-fixture.json").read_text())
    paths = ["/", "/accounts/login/", f"/programmes/{fixture['programmes'][0]}/", "/api/v1/programmes?q=clinical"]
    paths += [f"/?q={urllib.parse.quote(term)}" for term in fixture["search_terms"][:2]]
    for _ in range(2 * web_processes):
        for path in paths:
            http_get(base + path)
    return 2 * web_processes * len(paths)


def http_get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # always http://127.0.0.1
            return response.status, response.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")
    except (urllib.error.URLError, OSError):
        return 0, ""


def machine_busy(seconds: float) -> float:
    """The share of all cores in use over `seconds`, in %."""
    import psutil

    return psutil.cpu_percent(interval=seconds)


class CpuSampler(threading.Thread):
    """CPU seconds used during the run by gunicorn (master and workers, recycled ones included), the worker and
    the PostgreSQL backends of the load database, sampled every second so that a process that ends during the
    run (a recycled gunicorn worker, a backend whose connection reached CONN_MAX_AGE) still counts."""

    def __init__(self, web_pid: int, worker_pid: int):
        super().__init__(name="cpu-sampler", daemon=True)
        self.roots = {"gunicorn": web_pid, "worker": worker_pid}
        self.first: dict[tuple, float] = {}
        self.last: dict[tuple, float] = {}
        self.stopping = threading.Event()
        self.machine_start = self.machine_end = self._machine()
        self.sample(initial=True)

    @staticmethod
    def _machine() -> float:
        import psutil

        t = psutil.cpu_times()
        return t.user + t.nice + t.system + t.irq + t.softirq + t.steal

    def _processes(self):
        import psutil

        for group, pid in self.roots.items():
            with contextlib.suppress(psutil.Error):
                root = psutil.Process(pid)
                yield group, root
                yield from ((group, child) for child in root.children(recursive=True))
        for process in psutil.process_iter(["name", "cmdline"]):
            if process.info["name"] == "postgres" and f" {DB_NAME} " in " ".join(process.info["cmdline"] or []) + " ":
                yield "postgresql (load db)", process

    def sample(self, initial: bool = False) -> None:
        import psutil

        for group, process in self._processes():
            with contextlib.suppress(psutil.Error):
                times = process.cpu_times()
                key = (group, process.pid, process.create_time())
                self.first.setdefault(key, times.user + times.system if initial else 0.0)
                self.last[key] = times.user + times.system

    def run(self) -> None:
        while not self.stopping.wait(1.0):
            self.sample()

    def stop(self) -> None:
        self.sample()
        self.machine_end = self._machine()
        self.stopping.set()
        self.join(timeout=5)

    def used(self) -> dict[str, float]:
        totals = dict.fromkeys((*self.roots, "postgresql (load db)"), 0.0)
        for key, last in self.last.items():
            totals[key[0]] += last - self.first.get(key, 0.0)
        return {**totals, "machine": self.machine_end - self.machine_start}


def request_log(requests_csv: Path, settled_from: float, window: int = 10) -> dict:
    """From the locustfile's list of every request: a timeline (requests, failures, p95 of pages per `window`
    seconds) and the figures by name and for pages once the users are all started and settled."""
    import csv

    rows = []
    if requests_csv.exists():
        with requests_csv.open() as file:
            rows = [
                (float(r["second"]), f"{r['method']} {r['name']}", float(r["ms"]), r["failed"] == "1")
                for r in csv.DictReader(file)
            ]

    def pct(values: list[float], q: float) -> float:
        values = sorted(values)
        return values[min(len(values) - 1, int(len(values) * q))] if values else 0.0

    windows: dict[int, list] = {}
    for second, name, ms, failed in rows:
        windows.setdefault(int(second // window), []).append((name, ms, failed))
    timeline = [
        {
            "from": k * window,
            "requests": len(v),
            "failed": sum(f for _, _, f in v),
            "page_p95": pct([ms for n, ms, _ in v if " page:" in n], 0.95),
        }
        for k, v in sorted(windows.items())
    ]
    settled = [(n, ms, f) for second, n, ms, f in rows if second >= settled_from]
    by_name: dict[str, list[float]] = {}
    for name, ms, _ in settled:
        by_name.setdefault(name, []).append(ms)
    pages = [ms for n, ms, _ in settled if " page:" in n]
    return {
        "timeline": timeline,
        "settled_from": settled_from,
        "settled_pages": {"requests": len(pages), "p95": pct(pages, 0.95), "median": pct(pages, 0.5)},
        "settled_failed": sum(f for _, _, f in settled),
        "settled_names": [
            {"name": n, "requests": len(v), "median": pct(v, 0.5), "p95": pct(v, 0.95)} for n, v in by_name.items()
        ],
    }


def count_server_errors(log: Path) -> list[str]:
    """Tracebacks and gunicorn's worker timeouts from the server's log."""
    lines = log.read_text(errors="replace").splitlines() if log.exists() else []
    keys = ("Traceback", "WORKER TIMEOUT", "Internal Server Error", "ERROR")
    return [line for line in lines if any(key in line for key in keys)][:20]


# ------------------------------------------------------------------------------------------------ database


def server_env() -> dict:
    """The production environment of the Procfile's processes, pointed at the load database."""
    env = {key: value for key, value in os.environ.items() if key not in {"DJANGO_SETTINGS_MODULE", "TASKS_BACKEND"}}
    env.update(
        {
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            # Fixed, not random: a --reuse run reads the people the last run encrypted.
            "FIELD_ENCRYPTION_SALTS": "bench-load-field-salt",
            "FIELD_HASH_KEY": "bench-load-field-hash-key",
            "ALLOWED_HOSTS": "127.0.0.1",
            # The load accounts log in with a password only (no authenticator app in Locust), and 300 of them from
            # one address would trip the lockout by address: both are measured by the tests, not by the load.
            "MFA_REQUIRED": "0",
            "AXES_LOCKOUT_PARAMETERS": "username",
            "SECURE_COOKIES": "0",  # plain http on the loopback
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_HSTS_SECONDS": "0",
            "DATABASE_URL": f"{PG_SERVER}/{DB_NAME}",
            "MEDIA_ROOT": str(MEDIA),
            "STORAGE_S3_BUCKET": "",  # files on the local disk, sessions in the database: nothing else to run
            "REDIS_URL": "",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def manage(env: dict, *command: str, timeout: float, log: str | None = None) -> None:
    """`python manage.py …`; its output goes to bench/output/<log> (or is shown when it fails)."""
    done = subprocess.run(
        [str(PY), "manage.py", *command],
        cwd=ROOT,
        env=env,
        timeout=timeout,
        check=False,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    if log:
        (OUTPUT / log).write_text(done.stdout)
    if done.returncode:
        raise SetupError(f"manage.py {' '.join(command)} stopped (exit {done.returncode}):\n{done.stdout[-3000:]}")


def manage_has_command(env: dict, name: str) -> bool:
    done = subprocess.run(
        [str(PY), "manage.py", "help", "--commands"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    return name in done.stdout.split()


def _admin_connection():
    import psycopg

    try:
        return psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=5)
    except psycopg.Error as error:
        raise SetupError(f"no PostgreSQL server answers at {PG_SERVER}: {error}") from error


def database_drop(name: str) -> None:
    with _admin_connection() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def database_exists(name: str) -> bool:
    with _admin_connection() as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def database_recreate() -> None:
    with _admin_connection() as conn:
        for name in (DB_NAME, DB_COPY):
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')


def database_copy(source: str, target: str) -> None:
    """`target` as a copy of `source` (PostgreSQL's template copy: files, planner statistics included)."""
    with _admin_connection() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')


# ---------------------------------------------------------------------------------------------- the report


def print_report(args, results: list[dict]) -> None:
    print(f"\n== Load figures: {args.users} users, {args.seconds} s per run, traffic to 127.0.0.1 only ==")
    for group, text in GROUP_HELP.items():
        print(f"  {group:<9} {text}")
    header = f"  {'group':<44} {'requests':>8} {'failed':>7} {'req/s':>7} {'median':>7} {'p95':>7} {'p99':>7}"
    for result in results:
        count = result["web_processes"]
        print(f"\n-- gunicorn, {count} web processes (sync, 1 thread each) --")
        print(header + "   (ms)")
        for group in (*GROUPS, "all"):
            row = result["groups"].get(group)
            if row:
                print("  " + _row(group if group != "all" else "ALL", row))
        print("  slowest requests by p95, whole run:")
        for row in sorted(result["names"], key=lambda r: -r["p95"])[:5]:
            print("    " + _row(row["name"], row, width=42))
        print(f"  slowest requests by p95 once settled (from {result['settled_from']:.0f} s on):")
        for row in sorted(result["settled_names"], key=lambda r: -r["p95"])[:5]:
            label = row["name"][:42]
            print(f"    {label:<42} {row['requests']:>8} {'':>7} {'':>7} {row['median']:>7.0f} {row['p95']:>7.0f}")
        if result.get("failures"):
            print("  failures:")
            for failure in result["failures"][:10]:
                print(f"    {failure['occurrences']:>4} × {failure['name']}: {failure['error'][:150]}")
        notes = result.get("notes") or {}
        if notes:
            print("  what the users did: " + ", ".join(f"{k} {v}" for k, v in sorted(notes.items())))
        if result.get("timeline"):
            print(
                "  timeline (10 s windows: requests, pages p95 ms): "
                + "; ".join(f"{w['from']}s {w['requests']} req {w['page_p95']:.0f}" for w in result["timeline"])
            )
        cpu = result.get("cpu") or {}
        capacity = (os.cpu_count() or 1) * result["seconds"]
        print(
            "  CPU used during the run (core-seconds, of "
            f"{capacity:.0f} available): "
            + ", ".join(f"{name} {value:.0f}" for name, value in sorted(cpu.items(), key=lambda kv: -kv[1]))
        )
        if cpu.get("other processes", 0) > 0.15 * capacity:
            print(
                f"  WARNING: other processes on this machine (and the kernel) used {cpu['other processes']:.0f} "
                "core-seconds during the run: the server had less CPU than the figures suggest."
            )
        if result.get("server_errors"):
            print("  server log (errors):")
            for line in result["server_errors"][:8]:
                print(f"    {line[:160]}")
    print("\n== Verdicts (printed, not asserted) ==")
    for result in results:
        count = result["web_processes"]
        total = result["groups"].get("all", {})
        pages = result["groups"].get("page", {})
        failed = total.get("failures", 0)
        ok_failed = bool(total.get("requests")) and failed == 0
        ok_pages = bool(pages.get("requests")) and pages["p95"] < PAGE_P95_TARGET_MS
        print(
            f"  {count} web processes: 0 failed requests: {'MET' if ok_failed else 'NOT MET'} "
            f"({failed} of {total.get('requests', 0)} failed)"
        )
        print(
            f"  {count} web processes: p95 under {PAGE_P95_TARGET_MS} ms for pages: "
            f"{'MET' if ok_pages else 'NOT MET'} "
            f"(p95 {pages.get('p95', 0):.0f} ms over {pages.get('requests', 0)} pages)"
        )
        settled = result.get("settled_pages") or {}
        print(
            f"      for information, once settled (from {result.get('settled_from', 0):.0f} s on): pages p95 "
            f"{settled.get('p95', 0):.0f} ms over {settled.get('requests', 0)} pages, "
            f"{result.get('settled_failed', 0)} failed requests"
        )
    print(
        f"\nRaw figures: {OUTPUT.relative_to(ROOT)}/load-w<N>_stats.csv, _failures.csv, _stats_history.csv, "
        "-requests.csv (every request); the logs are there too."
    )


def _row(label: str, row: dict, width: int = 44) -> str:
    return (
        f"{label[:width]:<{width}} {row['requests']:>8} {row['failures']:>7} {row['rps']:>7.1f} "
        f"{row['median']:>7.0f} {row['p95']:>7.0f} {row['p99']:>7.0f}"
    )


# ------------------------------------------------------------------------------------------ the generator


def prepare(args) -> None:
    """In a subprocess with the production settings: the load data, then the fixture the locustfile reads."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.db.models import Count

    from medtalent.accounts.enums import Role
    from medtalent.accounts.models import RoleAssignment, User
    from medtalent.accounts.services import role_assign
    from medtalent.applications import imports
    from medtalent.applications.enums import ApplicationState
    from medtalent.applications.models import Application, ImportJob
    from medtalent.applications.services import application_submit, applications_decide
    from medtalent.catalog.models import Round
    from medtalent.codes.idnumber import check_character
    from medtalent.codes.models import Code
    from medtalent.core.errors import ApplicationError
    from medtalent.people.models import Person
    from medtalent.people.services import consent_give
    from medtalent.setup.management.commands.load_demo import DEMO_ROUND_CODE

    started = time.perf_counter()
    rng = random.Random(SEED)
    bench_applications = _bench_module("applications")
    hashed = make_password(PASSWORD)  # hashed once (PBKDF2, as production): every load account shares it
    round_ = Round.objects.select_related("programme").get(code=DEMO_ROUND_CODE)
    categories = {c.code: c for c in round_.programme.categories.all()}
    demo_admins = [User.objects.get(username=name) for name in ("unit-zju1", "unit-zjph")]
    units = [RoleAssignment.objects.get(user=admin, role=Role.UNIT_ADMIN).organisation for admin in demo_admins]

    # 1. Background applicants: bench/applications.py's Excel file, imported by each demo unit into the demo round.
    per_unit = max(1, args.people // len(units))
    serial = 0
    for index, (unit, admin) in enumerate(zip(units, demo_admins, strict=True)):
        category = categories[BG_CATEGORIES[index % len(BG_CATEGORIES)]]
        bench_applications._bench_target = lambda round_=round_, category=category: (round_, category, round_)
        content = bench_applications.generate_file(per_unit, seed=SEED + index)
        upload = SimpleUploadedFile("load.xlsx", content)
        job = imports.import_job_create(actor=admin, unit=unit, round_=round_, category=category, upload=upload)
        job.refresh_from_db()
        if job.state != ImportJob.State.DONE:
            raise SystemExit(f"import for {unit.name_zh}: {job.state} {job.errors[:3]}")
        applications = list(
            Application.objects.filter(unit=unit, round=round_, person__user__isnull=True)
            .select_related("person", "round", "category")
            .order_by("pk")
        )
        users = []
        for application in applications:
            users.append(User(username=f"load-bg-{serial}", display_name=application.person.name, password=hashed))
            serial += 1
        User.objects.bulk_create(users)
        for application, user in zip(applications, users, strict=True):
            application.person.user = user
            role_assign(actor=None, user=user, role=Role.APPLICANT)
        Person.objects.bulk_update([a.person for a in applications], ["user"])
        # Most submit (the eligible ones get through); the unit then decides on some of them.
        for application in applications:
            if rng.random() < 0.7:
                user = application.person.user
                consent_give(actor=user, person=application.person)
                consent_give(actor=user, person=application.person, kind="sensitive")
                try:
                    application_submit(actor=user, application=application)
                except ApplicationError:
                    continue  # not eligible: stays a draft, as in life
                draw = rng.random()
                if draw < 0.2:
                    applications_decide(actor=admin, applications=[application], to="recommended", opinion="同意推荐。")
                elif draw < 0.25:
                    applications_decide(
                        actor=admin, applications=[application], to="returned", opinion="请补充研修计划的具体内容。"
                    )

    # 2. The load applicants: eligible profiles at the demo units, consent given, no application yet.
    codes = {
        (c.table.slug, c.code): c
        for c in Code.objects.filter(table__slug__in=["sex", "education", "title", "ethnicity", "political_status"])
        .select_related("table")
        .filter(code__in=["1", "2", "11", "14", "21", "231", "232", "233", "01", "13"])
    }
    users = [User(username=f"load-applicant-{i}", display_name="", password=hashed) for i in range(args.accounts)]
    User.objects.bulk_create(users)
    seen = set(Person.objects.exclude(id_number=None).values_list("id_number", flat=True))
    for i, user in enumerate(users):
        role_assign(actor=None, user=user, role=Role.APPLICANT)
        born = dt.date(1979, 1, 1) + dt.timedelta(days=rng.randint(0, 11 * 365))  # 35 to 47 years old
        while True:
            first17 = f"{rng.choice(bench_applications.REGIONS)}{born:%Y%m%d}{rng.randint(0, 999):03d}"
            number = first17 + check_character(first17)
            if number not in seen:
                seen.add(number)
                break
        sex = "1" if int(first17[16]) % 2 else "2"
        name = rng.choice(bench_applications.SURNAMES) + "".join(
            rng.choice(bench_applications.GIVEN) for _ in range(rng.choice([1, 2]))
        )
        person = Person.objects.create(
            user=user,
            name=name,
            sex=codes.get(("sex", sex)),
            ethnicity=codes.get(("ethnicity", "01")),
            political_status=codes.get(("political_status", rng.choice(["01", "13"]))),
            birth_date=born,
            id_number=number,
            education=codes.get(("education", rng.choice(["11", "14", "21", "21"]))),
            graduated_from=rng.choice(["浙江大学", "温州医科大学", "复旦大学", "中山大学"]),
            title=codes.get(("title", rng.choice(["231", "232", "233", "233"]))),
            residency_completed=True,
            employer=units[i % len(units)],
            department=rng.choice(bench_applications.DEPARTMENTS),
            phone=f"13{rng.randint(0, 999_999_999):09d}",
            email=f"load{i}@example.cn",
            health_status="健康",
            native_place="浙江温州",
            teaching_experience=rng.random() < 0.5,
            admin_years=rng.choice([0, 0, 1, 2, 4, 6]),
        )
        consent_give(actor=user, person=person)
        consent_give(actor=user, person=person, kind="sensitive")
        User.objects.filter(pk=user.pk).update(display_name=name)

    # 3. Unit administrators for the load, four per demo unit.
    for i in range(8):
        user = User.objects.create(username=f"load-unit-{i}", display_name=f"负载测试 单位管理员{i}", password=hashed)
        role_assign(actor=None, user=user, role=Role.UNIT_ADMIN, organisation=units[i % len(units)])

    if args.big_catalogue:
        _bench_module("catalogue").generate()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    # The fixture of the locustfile: accounts, the round, programme codes and search terms that find something.
    from django.contrib.auth.models import AnonymousUser

    from medtalent.catalog.selectors import CatalogueFilters, catalogue_page, programmes_visible_to

    anonymous = AnonymousUser()
    found = {}
    for term in [*SEARCH_TERMS, *LATIN_TERMS]:
        page, _ = catalogue_page(user=anonymous, filters=CatalogueFilters(q=term))
        found[term] = page.paginator.count
    codes_visible = list(programmes_visible_to(user=anonymous).order_by("sort", "code").values_list("code", flat=True))
    seeded = [c for c in codes_visible if not c.startswith("bench-")]
    programmes = seeded + rng.sample(
        [c for c in codes_visible if c.startswith("bench-")], 0 if not args.big_catalogue else 50
    )
    fixture = {
        "password": PASSWORD,
        "applicants": args.accounts,
        "unit_admins": [f"load-unit-{i}" for i in range(8)],
        "units": len(units),
        "round": round_.code,
        "programmes": programmes,
        "search_terms": [t for t in SEARCH_TERMS if found[t]],
        "latin_terms": [t for t in LATIN_TERMS if found[t]],
        "departments": bench_applications.DEPARTMENTS,
    }
    Path(args.fixture).write_text(json.dumps(fixture, ensure_ascii=False, indent=1))

    states = dict(
        Application.objects.filter(round=round_).values_list("state").annotate(n=Count("pk")).order_by("state")
    )
    print(
        f"Generated in {time.perf_counter() - started:.0f} s (seed {SEED}): {Person.objects.count():,} people, "
        f"{User.objects.count():,} users ({args.accounts} load-applicant-<i>, 8 load-unit-<i>, password {PASSWORD!r}); "
        "demo round applications: " + ", ".join(f"{ApplicationState(s).label} {n}" for s, n in states.items())
    )
    print(
        f"Catalogue: {len(codes_visible):,} published programmes; searches that find something: "
        + ", ".join(f"{t} ({found[t]})" for t in found if found[t])
    )


def _bench_module(name: str):
    """bench/<name>.py as a module (their generators are reused, not copied)."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


if __name__ == "__main__":
    sys.exit(main())
