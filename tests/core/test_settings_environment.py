"""Settings that come from the environment for a deployment past one machine: Redis for the cache and the
sessions, an S3-compatible object store for uploaded files. Each case imports the settings in a new process."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from medtalent.people.models import Document
result = {
    "cache": settings.CACHES["default"]["BACKEND"],
    "sessions": settings.SESSION_ENGINE,
    "storage": default_storage.__class__.__name__,
    "document_storage": Document._meta.get_field("file").storage.__class__.__name__,
}
if settings.CACHES["default"]["BACKEND"].endswith("RedisCache"):
    cache.set("medtalent-settings-probe", "一", 30)
    result["redis_round_trip"] = cache.get("medtalent-settings-probe")
    cache.delete("medtalent-settings-probe")
if result["storage"] == "S3Storage":
    result["bucket"] = default_storage.bucket_name
    result["endpoint"] = default_storage.endpoint_url
print(json.dumps(result))
"""


def probe(**env: str) -> dict:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("REDIS_URL", "STORAGE_S3_"))}
    completed = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "config.settings_test", "DATABASE_URL": "sqlite:///:memory:", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


def test_without_redis_or_object_store_sessions_live_in_the_database_and_files_on_disk():
    assert probe() == {
        "cache": "django.core.cache.backends.locmem.LocMemCache",
        "sessions": "django.contrib.sessions.backends.db",
        "storage": "PrivateStorage",
        "document_storage": "PrivateStorage",
    }


def test_redis_url_makes_redis_the_cache_and_the_session_store():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        pytest.skip("no Redis server answers at 127.0.0.1:6379")

    assert probe(REDIS_URL="redis://127.0.0.1:6379/15") == {
        "cache": "django.core.cache.backends.redis.RedisCache",
        "sessions": "django.contrib.sessions.backends.cache",
        "storage": "PrivateStorage",
        "document_storage": "PrivateStorage",
        "redis_round_trip": "一",
    }


def test_an_s3_bucket_sends_every_uploaded_file_to_the_object_store():
    assert probe(STORAGE_S3_BUCKET="medtalent-files", STORAGE_S3_ENDPOINT_URL="http://127.0.0.1:9000") == {
        "cache": "django.core.cache.backends.locmem.LocMemCache",
        "sessions": "django.contrib.sessions.backends.db",
        "storage": "S3Storage",
        "document_storage": "S3Storage",
        "bucket": "medtalent-files",
        "endpoint": "http://127.0.0.1:9000",
    }
