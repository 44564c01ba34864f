"""Settings for the test suite: the development defaults plus fast hashing."""

import os

os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("AXES_ENABLED", "0")

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# One process: calendar changes clear the cache by signal; never reload mid-test.
WORK_CALENDAR_CACHE_SECONDS = 0
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
