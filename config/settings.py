"""CivicGrid settings. Everything environment-specific comes from environment variables or
an optional `.env` (config/env.py); docs/configuration.md lists them all."""

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env, env_bool, env_database, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)
# The development key is only accepted with DEBUG on, so a production box without SECRET_KEY
# fails at start instead of signing sessions with a published key.
SECRET_KEY = env_str("SECRET_KEY", "dev-insecure-civicgrid-key" if DEBUG else None)
# Separate from SECRET_KEY so that rotating one never makes personal data unreadable.
# Comma-separated: the first key encrypts, every key decrypts (rotation).
FIELD_ENCRYPTION_KEYS = env_list(
    "FIELD_ENCRYPTION_KEY",
    ["ZGV2LW9ubHktZmllbGQta2V5LWNpdmljZ3JpZC0wMDA="] if DEBUG else [],
)
BLIND_INDEX_KEY = env_str("BLIND_INDEX_KEY", "dev-only-blind-index-key" if DEBUG else None)
# Keys the audit trail's hash chain (civicgrid.core.audit_chain). It is not in the database, so
# whoever can edit rows there cannot re-link the chain after an edit. Changing it makes the
# existing chain fail verification: keep it with the other keys. Defaults to one derived from
# BLIND_INDEX_KEY, which must never change either.
AUDIT_CHAIN_KEY = env_str("AUDIT_CHAIN_KEY", "audit-chain:" + BLIND_INDEX_KEY)
# Encrypts `manage.py backup` archives (civicgrid.core.backup, docs/backup.md). A key of its
# own, neither SECRET_KEY nor the personal-data keys: the archive travels to other machines and
# people, and rotating one secret must never make the others' data unreadable. Empty: backup
# and restore refuse to run. BACKUP_DIR is where `backup` without --output writes (the nightly
# job); empty: --output is required.
BACKUP_KEY = env_str("BACKUP_KEY", "")
BACKUP_DIR = env_str("BACKUP_DIR", "")
# Audit entries are kept at least this long before archive_audit may prune them (网络安全法 §21).
AUDIT_RETENTION_DAYS = max(180, env_int("AUDIT_RETENTION_DAYS", 180))
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])

INSTALLED_APPS = [
    "civicgrid.accounts.apps.CivicAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    # Listed so the API docs page serves Swagger UI from our static files, never a CDN.
    "ninja",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "civicgrid.core",
    "civicgrid.accounts",
    "civicgrid.geo",
    "civicgrid.notifications",
    "civicgrid.registry",
    "civicgrid.cases",
    "civicgrid.fieldwork",
    "civicgrid.assessment",
    "civicgrid.participation",
    # Parts of participation with models of their own (each its own migrations).
    "civicgrid.participation.councils",
    "civicgrid.participation.volunteers",
    "civicgrid.participation.teams",
    "civicgrid.participation.joint",
    "civicgrid.integrations",
    "civicgrid.dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Content-Security-Policy on every page and API answer (see the CSP section below).
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Slides the session expiry with one write a minute, not one per request (below).
    "civicgrid.core.session_refresh.SessionRefreshMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "civicgrid.accounts.middleware.PasswordChangeRequiredMiddleware",
    "civicgrid.accounts.middleware.SecondFactorMiddleware",
    "civicgrid.accounts.middleware.IdleTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "civicgrid.core.context_processors.navigation",
                "civicgrid.notifications.context_processors.unread_notifications",
                "civicgrid.geo.context_processors.basemap",
            ],
        },
    },
]

_conn_max_age = env_int("DB_CONN_MAX_AGE", 60)
DATABASES = {
    "default": env_database(
        "DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=_conn_max_age
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + a busy timeout let the web process and background workers share one file. The
    # connection is kept like PostgreSQL's (DB_CONN_MAX_AGE): opening one runs the PRAGMAs and
    # closing the last one checkpoints the WAL, together a third of an intake request's time
    # (docs/scaling.md "Intake over HTTP").
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }

# A PostgreSQL streaming replica for the read-only heavy pages (views marked @reads_replica:
# command screens, exports, reports, analysis); everything else and every write stays on the
# primary (civicgrid.core.replica, docs/scaling.md "Topology"). Through PgBouncer, give the
# replica's pool here. In tests it mirrors the test database, which reaches it by replication.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL", "")
# A browser that wrote reads the primary for this long (replication lag hides nothing it saved).
REPLICA_PIN_SECONDS = env_int("REPLICA_PIN_SECONDS", 15)
# Farther behind than this, or unreachable, the replica is skipped (checked per process at most
# every REPLICA_CHECK_SECONDS).
REPLICA_MAX_LAG_SECONDS = env_int("REPLICA_MAX_LAG_SECONDS", 30)
REPLICA_CHECK_SECONDS = env_int("REPLICA_CHECK_SECONDS", 5)
DATABASE_ROUTERS: list[str] = []
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = env_database(
        "DATABASE_REPLICA_URL", DATABASE_REPLICA_URL, conn_max_age=_conn_max_age
    )
    for _alias in ("default", "replica"):
        if DATABASES[_alias]["ENGINE"] != "django.db.backends.postgresql":
            raise ImproperlyConfigured(
                "DATABASE_REPLICA_URL: a read replica needs PostgreSQL for both DATABASE_URL "
                "and DATABASE_REPLICA_URL (streaming replication)"
            )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["civicgrid.core.replica.ReplicaRouter"]
    # Outermost, so it sees every write of the request, the session's included.
    MIDDLEWARE.insert(0, "civicgrid.core.replica.ReplicaPinMiddleware")
# Behind PgBouncer in transaction mode a connection changes hands between transactions, so
# server-side cursors (.iterator()) cannot survive; DB_TRANSACTION_POOLING=1 turns them off on
# every alias (docs/scaling.md "Topology").
if env_bool("DB_TRANSACTION_POOLING", default=False):
    for _database in DATABASES.values():
        _database["DISABLE_SERVER_SIDE_CURSORS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        # Our accounts keep the person's name in full_name (first_name/last_name stay empty),
        # and a work phone is as guessable as the name.
        "OPTIONS": {"user_attributes": ("username", "full_name", "email", "phone")},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("PASSWORD_MIN_LENGTH", 8)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # 等保 2.0 level 3: passwords mix letters and digits.
    {"NAME": "civicgrid.accounts.passwords.LettersAndDigitsValidator"},
]
# Days a password lasts before its owner must change it; 0 = never expires.
PASSWORD_MAX_AGE_DAYS = env_int("PASSWORD_MAX_AGE_DAYS", 0)
# Two factors (TOTP app + recovery codes, django-otp) are required for these roles and optional
# for everyone else. 等保 2.0 level 3 asks it of administrators; the command centre sees the
# whole jurisdiction. The demo's .env empties it so the demo accounts sign in with a password.
OTP_REQUIRED_ROLES = env_list("OTP_REQUIRED_ROLES", ["sysadmin", "secadmin", "auditor", "command"])
OTP_TOTP_ISSUER = "CivicGrid"
# Idle sessions end: office staff after STAFF_IDLE_MINUTES without a request; grid workers, whose
# phone app queues work offline and sends it later, after FIELD_IDLE_MINUTES; residents keep
# SESSION_COOKIE_AGE.
STAFF_IDLE_MINUTES = env_int("STAFF_IDLE_MINUTES", 30)
FIELD_IDLE_MINUTES = env_int("FIELD_IDLE_MINUTES", 8 * 60)
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "accounts:login"
# 等保 2.0 level 3: lock out after repeated failures and end idle sessions.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.5  # hours
# One counter per user name *and* address together: wrong passwords for one account lock that
# account from that address only, never colleagues behind the same office NAT.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_ENABLED = env_bool("AXES_ENABLED", default=True)
# The same client address as the audit trail (civicgrid.core.client_ip).
AXES_CLIENT_IP_CALLABLE = "civicgrid.core.client_ip.client_ip"
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_RESET_ON_SUCCESS = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
# The idle limits slide without a session write on every request: SessionRefreshMiddleware
# saves an unchanged session at most once per SESSION_REFRESH_SECONDS (civicgrid.core
# .session_refresh), so an API call costs one write transaction, not two.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = env_int("SESSION_REFRESH_SECONDS", 60)
# Each process re-reads case categories and responsibility rules at least this often, even
# when no change stamp reached it through the cache (docs/architecture.md, "Cases").
INTAKE_LOOKUP_SECONDS = env_int("INTAKE_LOOKUP_SECONDS", 60)
# Lists count at most this many rows ("共 10,000+ 条"); past it they page by cursor.
PAGE_COUNT_CAP = env_int("PAGE_COUNT_CAP", 10_000)

# Client address (civicgrid.core.client_ip). By default the app is reached directly and only
# the socket address counts. Behind reverse proxies that append to X-Forwarded-For, give either
# their number or their addresses/networks hop by hop, outermost first (TRUSTED_PROXIES wins).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])
# Anything else that asks django-ipware directly gets the socket address, never a header a
# client could forge.
IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # In production file names carry a content hash (collectstatic), so browsers may cache
        # them for a year and a deploy can never serve a page with last release's script.
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True

# Stored files on S3-compatible object storage (MinIO, OSS, COS; django-storages, the `prod`
# extra) when S3_BUCKET is set; local disk under MEDIA_ROOT otherwise. Files stay private:
# they are served only through access-checked views (civicgrid/core/files.py).
S3_BUCKET = env_str("S3_BUCKET", "")
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env_str("S3_ENDPOINT_URL", "") or None,
            "access_key": env_str("S3_ACCESS_KEY", "") or None,
            "secret_key": env_str("S3_SECRET_KEY", "") or None,
            "region_name": env_str("S3_REGION", "") or None,
            "file_overwrite": False,
            "default_acl": "private",
        },
    }

TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "civicgrid@localhost")
# One URL for the mail server, e.g. submission://user:password@smtp.example.gov.cn:587 (STARTTLS)
# or smtp://user:password@host:465?ssl=True (dj-email-url); it sets the backend, host, port,
# user, password and TLS/SSL together. An unknown scheme fails here rather than mail vanishing.
if env_str("EMAIL_URL", ""):
    _email = env.dj_email_url("EMAIL_URL")
    if "EMAIL_BACKEND" not in _email:
        raise ImproperlyConfigured(
            "EMAIL_URL: unknown scheme (use submission://, smtp://, console:)"
        )
    globals().update(_email)

# HTTPS. Behind a TLS-terminating proxy Django sees plain HTTP: name the header the proxy sets
# (X-Forwarded-Proto) so request.is_secure() and the CSRF origin check see https, and list the
# public origins. HTTPS=1 turns on what `check --deploy` asks for: redirect to https, secure
# cookies and a one-year HSTS (each can be set on its own).
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
_proxy_header = env_str("SECURE_PROXY_SSL_HEADER", "")
if _proxy_header:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_header.upper().replace("-", "_"), "https")
_https = env_bool("HTTPS", default=False)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=_https)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=_https)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=_https)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if _https else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=_https)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=_https)

# The base map (civicgrid/geo/basemap.py, docs/configuration.md "Maps"): 天地图 with a key, or
# any XYZ tile template (GCJ-02 providers say so in MAP_TILE_CRS); with neither, maps draw the
# city's own street and community boundaries.
MAP_BASE = env_str("MAP_BASE", "")
TIANDITU_KEY = env_str("TIANDITU_KEY", "")
MAP_TILE_URL = env_str("MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = env_str("MAP_TILE_ATTRIBUTION", "")
MAP_TILE_CRS = env_str("MAP_TILE_CRS", "wgs84")
MAP_CENTER = (26.58, 106.71)  # Guiyang


# Content-Security-Policy (docs/architecture.md "Rule 7 — output is safe by construction").
# No inline script anywhere: behaviour lives in static/js and user text reaches the DOM as
# text, so a name such as <img onerror=...> that slipped into the page could not run. Styles
# come from static CSS only (htmx's own indicator <style> is switched off in base.html).
def _tile_source(url: str) -> list[str]:
    """The img-src entry for an XYZ tile template: its origin, a ``{s}`` subdomain becoming a
    wildcard. A relative template is already covered by 'self'."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return []
    labels = parts.netloc.split(".")
    if "{" in labels[0]:
        labels[0] = "*"
    if any("{" in label for label in labels[1:]):
        # CSP allows a wildcard only as the leftmost label: fall back to the scheme.
        return [f"{parts.scheme}:"]
    return [f"{parts.scheme}://{'.'.join(labels)}"]


CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": [
            "'self'",
            "data:",
            "blob:",
            *_tile_source(MAP_TILE_URL),
            *(["https://*.tianditu.gov.cn"] if MAP_BASE == "tianditu" else []),
        ],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

PAGE_SIZE = env_int("PAGE_SIZE", 50)

# Volunteers check in on the phone within this distance of the activity's place, from this
# many minutes before it starts (civicgrid.participation.volunteers).
VOLUNTEER_CHECKIN_RADIUS_M = env_int("VOLUNTEER_CHECKIN_RADIUS_M", 500)
VOLUNTEER_CHECKIN_EARLY_MINUTES = env_int("VOLUNTEER_CHECKIN_EARLY_MINUTES", 30)

# Outside systems (civicgrid.integrations, docs/integrations.md). API key secrets are stored as
# an HMAC keyed with the pepper (empty: SECRET_KEY); changing it invalidates every key.
API_KEY_PEPPER = env_str("API_KEY_PEPPER", "")
# The category a hotline work order lands in when its category text matches none of ours.
HOTLINE_FALLBACK_CATEGORY = env_str("HOTLINE_FALLBACK_CATEGORY", "2299")
# The contact shown in Open311 discovery.
OPEN311_CONTACT = env_str("OPEN311_CONTACT", "")

# Abuse limits count in the cache (civicgrid.core.throttle). The default cache lives in one
# process; with several web workers point it at a shared backend so they count together, e.g.
# CACHE_BACKEND=django.core.cache.backends.db.DatabaseCache CACHE_LOCATION=civicgrid_cache
# (then `manage.py createcachetable`). core.W002 warns when production runs on the default.
# Covering indexes (INCLUDE) are a PostgreSQL optimisation for the assessment sums; SQLite
# builds the same indexes on their key columns alone, which is all it can use.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

CACHES = {
    "default": {
        "BACKEND": env_str("CACHE_BACKEND", "django.core.cache.backends.locmem.LocMemCache"),
        "LOCATION": env_str("CACHE_LOCATION", "civicgrid"),
    }
}
UNMASK_LIMIT_PER_HOUR = env_int("UNMASK_LIMIT_PER_HOUR", 30)
# The public community portal (civicgrid.participation), per client address.
PORTAL_PAGE_LIMIT_PER_MINUTE = env_int("PORTAL_PAGE_LIMIT_PER_MINUTE", 120)
PORTAL_LOCATE_LIMIT_PER_MINUTE = env_int("PORTAL_LOCATE_LIMIT_PER_MINUTE", 20)
CASE_TRACK_LIMIT_PER_NUMBER = env_int("CASE_TRACK_LIMIT_PER_NUMBER", 10)
CASE_TRACK_LIMIT_PER_CLIENT = env_int("CASE_TRACK_LIMIT_PER_CLIENT", 30)
CASE_TRACK_WINDOW_SECONDS = env_int("CASE_TRACK_WINDOW_SECONDS", 3600)

# Stored files are served only after an access check (civicgrid.core.files). Empty: Django
# streams them; "nginx": X-Accel-Redirect to PROTECTED_MEDIA_PREFIX (an `internal` location
# aliasing MEDIA_ROOT); "apache": X-Sendfile.
PROTECTED_MEDIA_SERVER = env_str("PROTECTED_MEDIA_SERVER", "")
PROTECTED_MEDIA_PREFIX = env_str("PROTECTED_MEDIA_PREFIX", "/protected-media/")

# Cases: duplicate suggestions at intake and photo uploads.
CASE_DUPLICATE_RADIUS_M = env_int("CASE_DUPLICATE_RADIUS_M", 100)
CASE_DUPLICATE_WINDOW_HOURS = env_int("CASE_DUPLICATE_WINDOW_HOURS", 72)
CASE_PHOTO_MAX_BYTES = env_int("CASE_PHOTO_MAX_BYTES", 8 * 1024 * 1024)
# Checked from the image header before decoding, so a decompression bomb is never unpacked; a
# 50-megapixel phone camera is the largest ordinary source.
CASE_PHOTO_MAX_PIXELS = env_int("CASE_PHOTO_MAX_PIXELS", 50_000_000)

# Working hours for deadlines (core.worktime); validated when the core app starts.
WORK_PERIODS = env_list("WORK_PERIODS", ["09:00-12:00", "13:30-17:30"])
# A deadline is "due soon" with less than this share of its allowed working time left, or,
# when its start is unknown, with less than this many working minutes left.
DEADLINE_DUE_SOON_PERCENT = env_int("DEADLINE_DUE_SOON_PERCENT", 20)
DEADLINE_DUE_SOON_MINUTES = env_int("DEADLINE_DUE_SOON_MINUTES", 120)
# How long a process trusts its copy of the admin calendar table (another process may have
# changed it); 0 = until a change in this process clears it.
WORK_CALENDAR_CACHE_SECONDS = env_int("WORK_CALENDAR_CACHE_SECONDS", 300)

# Notifications (civicgrid.notifications). The webhook receives JSON for staff messages and
# for SMS to residents (an SMS gateway plugs in there); empty disables both channels.
NOTIFY_WEBHOOK_URL = env_str("NOTIFY_WEBHOOK_URL", "")
NOTIFY_WEBHOOK_TOKEN = env_str("NOTIFY_WEBHOOK_TOKEN", "")
NOTIFY_WEBHOOK_TIMEOUT = env_int("NOTIFY_WEBHOOK_TIMEOUT", 10)  # seconds
NOTIFY_MAX_ATTEMPTS = env_int("NOTIFY_MAX_ATTEMPTS", 5)
NOTIFY_RETRY_SECONDS = env_int("NOTIFY_RETRY_SECONDS", 60)  # first retry; doubles each time
# Links in e-mails and webhook payloads are made absolute with this base.
NOTIFY_SITE_URL = env_str("NOTIFY_SITE_URL", "http://127.0.0.1:8000")

# Periodic jobs, run by `manage.py run_scheduler` (one per installation): "command [args]" →
# cron line (minute hour day month weekday, local time). Every job is idempotent.
PERIODIC_JOBS = {
    "escalate_overdue": "*/5 * * * *",
    "send_outbox": "*/10 * * * *",
    "patrol_compliance": "30 0 * * *",
    "purge_tracks": "0 3 * * *",
    "purge_import_uploads": "30 3 * * *",
    "verify_audit": "0 4 * * *",
    # The nightly encrypted backup, when there is somewhere to put it (docs/backup.md).
    **({"backup --keep 14": "30 2 * * *"} if BACKUP_DIR else {}),
    "purge_idempotency_keys": "40 3 * * *",
    "task_reminders": "0 8 * * *",
    # Facts for assessment and the command-centre screen; an open month is recounted nightly
    # until it is frozen on the 3rd (two days for late events), then disclosed.
    "assessment_rollup": "15 1 * * *",
    "assessment_snapshot": "0 5 3 * *",
    # The month's reports per street and district, once it is frozen (civicgrid.assessment).
    "assessment_report": "30 5 3 * *",
    "publish_disclosure": "0 6 3 * *",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

SITE_TITLE = _("CivicGrid 社区网格化管理平台")
