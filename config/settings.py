"""MedTalent settings. Everything that differs between machines comes from the environment."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DEBUG off MedTalent refuses to start without it: "
            "set the environment variable SECRET_KEY to a long random string "
            "(or DEBUG=1 on a development machine)."
        )
    SECRET_KEY = "insecure-development-key-only-used-with-DEBUG-on"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "medtalent.core",
    "medtalent.accounts",
    "medtalent.notifications",  # notices and emails after a transition (issue 9)
    "medtalent.codes",
    "medtalent.workdays",  # the working-day calendar and deadlines (issue 12)
    "medtalent.orgs",
    "medtalent.catalog",
    "medtalent.policy",  # cost shares, service periods, clawback, grading scales (issue 12)
    "medtalent.people",
    "medtalent.applications",
    "medtalent.partnerships",
    "medtalent.alliance",
    "medtalent.stints",
    "medtalent.annual",
    "medtalent.indicators",
    "medtalent.registration",  # invitations, self-registration, claiming an imported profile (issue 10)
    "medtalent.privacy",  # separate consent, data download, deletion and retention (issue 10)
    "medtalent.audit",  # the audit trail for auditors (issue 10)
    "medtalent.api",  # personal access tokens (issue 10)
    "medtalent.workspace",  # /me/ and the navigation: the top of the layers (issue 9)
    "medtalent.setup",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rules.apps.AutodiscoverRulesConfig",
    "django_htmx",
    "template_partials",
    "csp",
    "ninja",
    "django_tasks_db",
    "axes",  # lockout after repeated failed logins (issue 10)
    "django_otp",  # two-factor authentication (issue 10)
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tables2",  # the back office's tables: sorting, pagination, export values (issue 11)
    "django_filters",  # their filters (issue 11)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "medtalent.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Issue 10: `Cache-Control: no-store` on every answer to a logged-in user (their pages show personal data).
    "medtalent.core.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Issue 10 [auth]: the OTP device of the session, then idle/absolute session timeouts, two-factor
    # authentication where required, an expired password; axes (lockout pages) last, as its documentation asks.
    "django_otp.middleware.OTPMiddleware",
    "medtalent.accounts.middleware.SessionTimeoutMiddleware",
    "medtalent.accounts.middleware.TwoFactorMiddleware",
    "medtalent.accounts.middleware.PasswordExpiryMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "medtalent" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "medtalent.workspace.context_processors.navigation",
            ],
            "builtins": ["template_partials.templatetags.partials"],
        },
    }
]

if not os.environ.get("DATABASE_URL"):
    (BASE_DIR / "var").mkdir(exist_ok=True)  # the embedded database's folder, on a fresh clone
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'var' / 'medtalent.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {"transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# Issue 10 [auth]: at least 10 characters with letters and digits, no personal information, not one of the last 5.
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "first_name", "last_name", "display_name", "email")},
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "medtalent.accounts.validators.LettersAndDigitsValidator"},
    {"NAME": "medtalent.accounts.validators.PersonalInformationValidator"},
    {"NAME": "medtalent.accounts.validators.PasswordHistoryValidator", "OPTIONS": {"count": 5}},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out username or address (issue 10)
    "django.contrib.auth.backends.ModelBackend",  # restores the user from the session
    "rules.permissions.ObjectPermissionBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "workspace:home"
LOGOUT_REDIRECT_URL = "catalog:home"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "medtalent" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "static"))
STATICFILES_DIRS = [BASE_DIR / "medtalent" / "static"]
# Uploaded files go through STORAGES["default"]: the private folder MEDIA_ROOT by default, or an S3-compatible
# object store (MinIO, a cloud's OSS/COS/S3) when STORAGE_S3_BUCKET is set, so that every web node and worker
# sees the same files. Either way files have no public URL: permission-checked views stream them.
STORAGE_S3_BUCKET = os.environ.get("STORAGE_S3_BUCKET", "")
DEFAULT_STORAGE = (
    {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": STORAGE_S3_BUCKET,
            "endpoint_url": os.environ.get("STORAGE_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("STORAGE_S3_REGION") or None,
            "access_key": os.environ.get("STORAGE_S3_ACCESS_KEY") or None,
            "secret_key": os.environ.get("STORAGE_S3_SECRET_KEY") or None,
            "location": os.environ.get("STORAGE_S3_PREFIX", "medtalent"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
    if STORAGE_S3_BUCKET
    else {"BACKEND": "medtalent.core.storage.PrivateStorage"}
)
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
# Uploaded files live outside the web root and are only served through permission-checked views.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "private"))
MEDTALENT_UPLOAD_MAX_BYTES = int(os.environ.get("MEDTALENT_UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "MedTalent <noreply@medtalent.local>")
# Notifications (issue 9): the address the links in emails start with (no request when a notice is sent).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Behind a TLS-terminating load balancer: it sets X-Forwarded-Proto, and Django trusts it only when told to.
if env_bool("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the load balancer probes over plain HTTP
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# No inline scripts or styles, no asset from another host: hospital intranets have no internet.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Background work (an Excel import of thousands of rows) through django-tasks, the backport of Django 6's
# tasks, on a durable queue in the database (django-tasks-db): the web process enqueues, `manage.py worker`
# (the Procfile's `worker`, one or more processes on any machine) runs. A task whose worker stops beating
# for WORKER_HEARTBEAT_TIMEOUT seconds is failed with a message the user sees.
TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
WORKER_HEARTBEAT_SECONDS = int(os.environ.get("WORKER_HEARTBEAT_SECONDS", "10"))
WORKER_HEARTBEAT_TIMEOUT = int(os.environ.get("WORKER_HEARTBEAT_TIMEOUT", "60"))
# A queued task that no live worker has picked up after this many seconds is failed, so no page waits forever.
TASK_QUEUE_TIMEOUT = int(os.environ.get("TASK_QUEUE_TIMEOUT", "600"))
# Uploaded import files are deleted this many days after their import finished (`manage.py cleanup_imports`).
IMPORT_FILE_RETENTION_DAYS = int(os.environ.get("IMPORT_FILE_RETENTION_DAYS", "30"))

# Web processes keep no state of their own: sessions live in the database, or in Redis when REDIS_URL is set,
# which then also becomes the cache shared by every process on every node.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "medtalent"),
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Names shown in the page title and the API schema.
SITE_NAME = _("MedTalent")

# ---- Security and personal data (issue 10; docs/security.md) ----

# -- Login lockout (django-axes), two-factor authentication (django-otp), passwords, sessions --
# Lockout (docs/security/auth.md): after AXES_FAILURE_LIMIT failed logins in a row for one username, or from one
# address, further logins are refused for AXES_COOLOFF_MINUTES (each refused try starts the wait again).
AXES_ENABLED = env_bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_MINUTES = int(os.environ.get("AXES_COOLOFF_MINUTES", "30"))
AXES_COOLOFF_TIME = AXES_COOLOFF_MINUTES / 60  # hours, as a float: axes reads it as minutes * 60
# "username,ip_address": either one locks; "username" alone when many users share one address (a hospital's NAT).
AXES_LOCKOUT_PARAMETERS = env_list("AXES_LOCKOUT_PARAMETERS", "username,ip_address")
AXES_RESET_ON_SUCCESS = env_bool("AXES_RESET_ON_SUCCESS", default=False)
AXES_LOCKOUT_CALLABLE = "medtalent.accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "medtalent.accounts.lockout.client_ip"
AXES_VERBOSE = False
# The client's address comes from X-Forwarded-For only behind this many trusted proxies (the right-most entries are
# theirs); 0 (the default without SECURE_PROXY_SSL_HEADER): REMOTE_ADDR, as a client can forge the header.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "1" if env_bool("SECURE_PROXY_SSL_HEADER") else "0"))

# Two-factor authentication (TOTP + recovery codes): required for every staff role when MFA_REQUIRED (by default
# whenever DEBUG is off), offered to applicants. Read at each request, so a test may override it.
MFA_REQUIRED = env_bool("MFA_REQUIRED", default=not DEBUG)
OTP_TOTP_ISSUER = "MedTalent"
MFA_RECOVERY_CODES = 10

# Passwords expire after PASSWORD_MAX_AGE_DAYS (0: never); the user is sent to the password change page.
PASSWORD_MAX_AGE_DAYS = int(os.environ.get("PASSWORD_MAX_AGE_DAYS", "90"))

# Sessions: logged out after SESSION_IDLE_TIMEOUT seconds without a request (a banner warns
# SESSION_IDLE_WARNING seconds before), and SESSION_ABSOLUTE_TIMEOUT seconds after logging in whatever happens.
SESSION_IDLE_TIMEOUT = int(os.environ.get("SESSION_IDLE_TIMEOUT", "1800"))
SESSION_IDLE_WARNING = int(os.environ.get("SESSION_IDLE_WARNING", "120"))
SESSION_ABSOLUTE_TIMEOUT = int(os.environ.get("SESSION_ABSOLUTE_TIMEOUT", "43200"))
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
SESSION_SAVE_EVERY_REQUEST = False  # the last-activity stamp is written at most once a minute

# -- Personal fields encrypted at rest, and the keyed hash that finds a person by ID number --
# Person.id_number, phone, health_status and cv_text are encrypted (Fernet, django-fernet-encrypted-fields) with
# keys derived from SECRET_KEY (then SECRET_KEY_FALLBACKS) and each salt of FIELD_ENCRYPTION_SALTS (comma-separated,
# newest first: new values use the first, reading tries all; `manage.py rotate_field_keys` re-encrypts with the
# newest). FIELD_HASH_KEY keys the HMAC of the ID number that finds a person and keeps the number unique.
# docs/security/personal-data.md.
SALT_KEY = env_list("FIELD_ENCRYPTION_SALTS")
FIELD_HASH_KEY = os.environ.get("FIELD_HASH_KEY", "")
if not SALT_KEY or not FIELD_HASH_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_SALTS or FIELD_HASH_KEY is not set. With DEBUG off MedTalent refuses to start "
            "without them: personal data is encrypted with them. Set FIELD_ENCRYPTION_SALTS to a random string "
            "(comma-separated, newest first, when rotating) and FIELD_HASH_KEY to another long random string, "
            "and keep both safe, apart from the backups: without them the encrypted data cannot be read "
            "(or DEBUG=1 on a development machine)."
        )
    SALT_KEY = SALT_KEY or ["insecure-development-field-salt-only-used-with-DEBUG-on"]
    FIELD_HASH_KEY = FIELD_HASH_KEY or "insecure-development-hash-key-only-used-with-DEBUG-on"

# -- Personal access tokens and rate limits --
# Personal access tokens (docs/security/api.md): a token lasts at most API_TOKEN_MAX_DAYS days. Rate limits of the
# API, per token or logged-in user (API_RATE_LIMIT) and per address for visitors (API_ANON_RATE_LIMIT): "N/s|m|h|d",
# empty for none; counted in the cache (shared by every process only with REDIS_URL).
API_TOKEN_MAX_DAYS = int(os.environ.get("API_TOKEN_MAX_DAYS", "90"))
API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "600/m")
API_ANON_RATE_LIMIT = os.environ.get("API_ANON_RATE_LIMIT", "120/m")

# -- Invitations, self-registration, claiming an imported profile (docs/security/registration.md) --
# An invitation link works this many days after it was (last) sent.
REGISTRATION_INVITATION_DAYS = int(os.environ.get("REGISTRATION_INVITATION_DAYS", "7"))
# Failed claims of an imported profile allowed per account, and per client address, in the window (hours).
REGISTRATION_CLAIM_MAX_FAILURES = int(os.environ.get("REGISTRATION_CLAIM_MAX_FAILURES", "5"))
REGISTRATION_CLAIM_MAX_FAILURES_PER_IP = int(os.environ.get("REGISTRATION_CLAIM_MAX_FAILURES_PER_IP", "20"))
REGISTRATION_CLAIM_WINDOW_HOURS = int(os.environ.get("REGISTRATION_CLAIM_WINDOW_HOURS", "24"))
# Self-registrations accepted from one client address in that window.
REGISTRATION_MAX_PER_IP = int(os.environ.get("REGISTRATION_MAX_PER_IP", "20"))
