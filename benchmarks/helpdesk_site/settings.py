"""django-helpdesk's ticket API (``POST /api/tickets/``) with the server settings CivicGrid
runs with: DEBUG off, sessions in the database, the same SQLite options (WAL, IMMEDIATE
transactions) or the same PostgreSQL server, mail not sent (CivicGrid's intake only queues
its notifications, so neither side pays a mail server)."""

import os

import dj_database_url

DEBUG = False
SECRET_KEY = os.environ.get("HELPDESK_BENCH_SECRET", "helpdesk-bench-only")
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
USE_TZ = True
TIME_ZONE = "Asia/Shanghai"
ROOT_URLCONF = "benchmarks.helpdesk_site.urls"
WSGI_APPLICATION = "benchmarks.helpdesk_site.wsgi.application"
SITE_ID = 1
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.sites",
    "django.contrib.messages",
    "django.contrib.humanize",
    "django.contrib.staticfiles",
    "rest_framework",
    "helpdesk",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # CivicGrid's SQLite options (config/settings.py).
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
STATIC_URL = "/static/"
MEDIA_ROOT = os.environ.get("HELPDESK_BENCH_MEDIA", "/tmp")
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
REST_FRAMEWORK = {
    # The session cookie, as CivicGrid's phone app signs in (a password check per request
    # with basic authentication would measure the hasher, not the ticket API).
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
}
HELPDESK_TEAMS_MODE_ENABLED = False
