"""Settings for the test suite: the development defaults plus fast hashing."""

import os

# A developer's .env (the demo's) never reaches the tests.
os.environ["CIVICGRID_ENV_FILE"] = ""
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("AXES_ENABLED", "0")
# Signing in with two factors is tested on its own (accounts/tests/test_two_factor*.py); the
# rest of the suite signs the command centre in with a password.
os.environ.setdefault("OTP_REQUIRED_ROLES", "")
# Tests travel in time by days; idle limits are tested with their own settings.
os.environ.setdefault("STAFF_IDLE_MINUTES", "0")
os.environ.setdefault("FIELD_IDLE_MINUTES", "0")

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# One process: calendar changes clear the cache by signal; never reload mid-test.
WORK_CALENDAR_CACHE_SECONDS = 0
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    import tempfile

    # A file, not the in-memory default: with an in-memory database the live server's
    # threads share one connection, and two concurrent page requests (a map fetching grids
    # and coverage at once) then collide inside one transaction. One file per test process.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"civicgrid-test-{os.getpid()}.sqlite3")
    }

if "replica" in DATABASES:  # noqa: F405
    # The suite's pages read the primary: most tests write inside a transaction the replica
    # never sees, and the others would race replication. The routing tests switch the router
    # on themselves (civicgrid/core/tests/test_replica_*.py); the alias stays, a mirror of the
    # test database.
    DATABASE_ROUTERS = []
    MIDDLEWARE = [m for m in MIDDLEWARE if m != "civicgrid.core.replica.ReplicaPinMiddleware"]  # noqa: F405
