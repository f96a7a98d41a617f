"""Settings for the test suite: the same as production, with a throw-away key and fast hashing."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
# The salts of the encrypted fields and the key of the ID-number hash (development values).
os.environ.setdefault("FIELD_ENCRYPTION_SALTS", "test-only-field-salt")
os.environ.setdefault("FIELD_HASH_KEY", "test-only-field-hash-key")

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = BASE_DIR / "var" / "test-private"  # noqa: F405
WHITENOISE_AUTOREFRESH = True  # no collectstatic in tests: serve from the finders
# Tasks run at once in the caller's thread, so a test sees their result.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# ---- Security (issue 10) ----
# settings.py requires two-factor authentication whenever DEBUG is off, as it is here: the tests that check the
# requirement turn it on with override_settings; the others log staff in without a second factor.
MFA_REQUIRED = False
# The suite's clients call the API far more often than any person: the limits are tested with override_settings.
API_RATE_LIMIT = ""
API_ANON_RATE_LIMIT = ""
