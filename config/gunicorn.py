"""gunicorn settings, all from the environment: `gunicorn --config config/gunicorn.py config.wsgi` (Procfile `web`)."""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
# Processes: WEB_CONCURRENCY, else 2 per core + 1 (each process holds one database connection per thread).
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))  # recycle a process now and then
max_requests_jitter = max_requests // 10
# Behind a load balancer or reverse proxy that sets X-Forwarded-For / X-Forwarded-Proto.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
# `make run` (DEBUG on) reloads on code changes, as runserver did.
reload = os.environ.get("DEBUG", "").strip().lower() in {"1", "true", "yes", "on"}
