"""Run MedTalent the way production does and check it answers: `make test-production` (part of `make test`).

    .venv/bin/python scripts/production_check.py [--database-url postgres://…/medtalent_prodcheck]

With the settings docs/deploy.md gives (DEBUG off, HSTS, SSL redirect behind a proxy, secure cookies) on a
throw-away PostgreSQL database: `check --deploy` must be clean, then the two Procfile processes (gunicorn and
the worker) are started under honcho exactly as the Procfile says, and the script checks that
- `/healthz` answers 200 (database, migrations, and the worker's heartbeat);
- the home page answers in Chinese, a static file comes from WhiteNoise with a far-future cache header;
- an unknown page answers 404 in the site's layout, and plain HTTP is redirected to HTTPS.
Everything it starts is stopped at the end, whatever happens. Exit status 1 on the first failed check.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def recreate_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def fetch(url: str, *, https: bool = True) -> tuple[int, dict[str, str], str]:
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"} if https else {})

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode("utf-8", "replace")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/medtalent_prodcheck")
    args = parser.parse_args()
    port = free_port()
    env = {
        **os.environ,
        "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        # The production settings of docs/deploy.md.
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "FIELD_ENCRYPTION_SALTS": secrets.token_urlsafe(16),
        "FIELD_HASH_KEY": secrets.token_urlsafe(32),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": args.database_url,
        "SECURE_PROXY_SSL_HEADER": "1",
        "SECURE_SSL_REDIRECT": "1",
        "SECURE_HSTS_SECONDS": "31536000",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
        "SECURE_HSTS_PRELOAD": "1",
        "STATIC_ROOT": str(ROOT / "var" / "prodcheck-static"),
        "MEDIA_ROOT": str(ROOT / "var" / "prodcheck-private"),
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
        "GUNICORN_ACCESS_LOG": "",
        "WORKER_HEARTBEAT_SECONDS": "1",
    }
    manage = [sys.executable, "manage.py"]

    def run(*command: str) -> None:
        print("$", " ".join(command[1:] if command[0] == sys.executable else command), flush=True)
        subprocess.run(command, cwd=ROOT, env=env, check=True)

    recreate_database(args.database_url)
    run(*manage, "migrate", "--no-input", "-v", "0")
    run(*manage, "collectstatic", "--no-input", "-v", "0")
    run(*manage, "check", "--deploy", "--fail-level", "WARNING")

    print(f"$ honcho start (Procfile: web on 127.0.0.1:{port}, worker)", flush=True)
    processes = subprocess.Popen(
        [str(VENV_BIN / "honcho"), "--no-colour", "start", "-f", "Procfile"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    failures: list[str] = []
    try:
        deadline = time.monotonic() + 60
        status, body = 0, ""
        while time.monotonic() < deadline and processes.poll() is None:
            try:
                status, _, body = fetch(f"{base}/healthz", https=False)
            except OSError:
                status = 0
            if status == 200:
                break
            time.sleep(0.5)
        checks = [
            ("GET /healthz answers 200 over plain HTTP", status == 200, body),
        ]
        status, headers, body = fetch(f"{base}/")
        checks.append(("GET / answers 200 in Chinese", status == 200 and "项目" in body, f"{status}"))
        checks.append(
            ("HSTS is sent", headers.get("Strict-Transport-Security", "").startswith("max-age=31536000"), headers)
        )
        checks.append(("CSP is sent", "default-src 'self'" in headers.get("Content-Security-Policy", ""), headers))
        status, headers, _ = fetch(f"{base}/", https=False)
        checks.append(
            (
                "plain HTTP is redirected to HTTPS",
                status == 301 and headers.get("Location", "").startswith("https://"),
                status,
            )
        )
        manifest = ROOT / "var" / "prodcheck-static" / "staticfiles.json"
        hashed = next(
            (
                name
                for path, name in json.loads(manifest.read_text())["paths"].items()
                if path.startswith("css/") and path.endswith(".css")
            ),
            "",
        )
        status, headers, _ = fetch(f"{base}/static/{hashed}")
        checks.append(
            (
                f"WhiteNoise serves /static/{hashed} for a year",
                status == 200 and "max-age=315360000" in headers.get("Cache-Control", ""),
                (status, headers.get("Cache-Control")),
            )
        )
        status, _, body = fetch(f"{base}/no-such-page/")
        checks.append(("an unknown page answers 404 in the site's layout", status == 404 and "<html" in body, status))
        for name, ok, detail in checks:
            print(f"{'ok  ' if ok else 'FAIL'} {name}", flush=True)
            if not ok:
                failures.append(f"{name}: {detail!s:.500}")
    finally:
        if processes.poll() is None:
            os.killpg(processes.pid, signal.SIGTERM)
        try:
            output, _ = processes.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(processes.pid, signal.SIGKILL)
            output, _ = processes.communicate()
    if failures:
        print("\n".join(["", "Production check failed:", *failures, "", "Process output:", output[-5000:]]))
        return 1
    print("Production check passed: gunicorn and the worker from the Procfile, DEBUG off, PostgreSQL.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
