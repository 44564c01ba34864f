"""Settings are read from the environment and an optional .env (docs/configuration.md): a bad
value stops start-up with the variable's name, the environment wins over the file, and the
documented production settings pass `check --deploy`. Each case runs Django in a fresh process
because settings are read once per process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[3]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k" * 20 + "-production-secret-key-with-enough-variety-0123456789",
    "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
    "BLIND_INDEX_KEY": "blind-index-key-for-the-test",
    "ALLOWED_HOSTS": "grid.example.gov.cn",
    "HTTPS": "1",
    "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
    "CSRF_TRUSTED_ORIGINS": "https://grid.example.gov.cn",
    "CACHE_BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "CACHE_LOCATION": "civicgrid_cache",
}


def django(
    code: str, env: dict[str, str], tmp_path: Path, env_file: str = ""
) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "DEBUG", "DATABASE"))
    }
    clean |= {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "CIVICGRID_ENV_FILE": env_file,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        **env,
    }
    script = "import django; django.setup()\nfrom django.conf import settings\n" + code
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_bad_boolean_names_the_variable(tmp_path: Path) -> None:
    result = django("", {"DEBUG": "1", "HTTPS": "maybe"}, tmp_path)
    assert result.returncode != 0
    assert "HTTPS='maybe'" in result.stderr


def test_bad_integer_names_the_variable(tmp_path: Path) -> None:
    result = django("", {"DEBUG": "1", "PAGE_SIZE": "fifty"}, tmp_path)
    assert result.returncode != 0
    assert "PAGE_SIZE='fifty'" in result.stderr


def test_production_without_secret_key_refuses_to_start(tmp_path: Path) -> None:
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = django("", env, tmp_path)
    assert "SECRET_KEY is required" in result.stderr


def test_env_file_is_read_and_the_environment_wins(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text("DEBUG=1\nPAGE_SIZE=25\nNOTIFY_MAX_ATTEMPTS=9\n", encoding="utf-8")
    result = django(
        "print(settings.PAGE_SIZE, settings.NOTIFY_MAX_ATTEMPTS)",
        {"NOTIFY_MAX_ATTEMPTS": "3"},
        tmp_path,
        str(dotenv),
    )
    assert result.stdout.split() == ["25", "3"], result.stderr


def test_email_url_sets_the_mail_server(tmp_path: Path) -> None:
    code = "print(settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS)"
    result = django(
        code,
        {"DEBUG": "1", "EMAIL_URL": "submission://mailer:pw@smtp.example.gov.cn:587"},
        tmp_path,
    )
    assert result.stdout.split() == [
        "django.core.mail.backends.smtp.EmailBackend", "smtp.example.gov.cn", "587", "True"
    ], result.stderr  # fmt: skip


def test_unknown_email_scheme_fails_loudly(tmp_path: Path) -> None:
    result = django("", {"DEBUG": "1", "EMAIL_URL": "smtp+tls://mailer:pw@host:587"}, tmp_path)
    assert "EMAIL_URL" in result.stderr
    assert result.returncode != 0


def test_https_behind_a_proxy(tmp_path: Path) -> None:
    code = (
        "print(settings.SECURE_PROXY_SSL_HEADER, settings.SESSION_COOKIE_SECURE, "
        "settings.SECURE_SSL_REDIRECT, settings.SECURE_HSTS_SECONDS, settings.CSRF_TRUSTED_ORIGINS)"
    )
    result = django(code, PRODUCTION, tmp_path)
    assert result.stdout.strip() == (
        "('HTTP_X_FORWARDED_PROTO', 'https') True True 31536000 ['https://grid.example.gov.cn']"
    ), result.stderr


def test_documented_production_settings_pass_check_deploy(tmp_path: Path) -> None:
    code = (
        "from django.core.management import call_command\n"
        "call_command('check', deploy=True, fail_level='WARNING')\nprint('clean')"
    )
    result = django(code, PRODUCTION, tmp_path)
    assert result.stdout.strip().endswith("clean"), result.stderr


def test_bad_field_key_fails_the_system_check(tmp_path: Path) -> None:
    code = "from django.core.management import call_command\ncall_command('check')"
    result = django(code, {"DEBUG": "1", "FIELD_ENCRYPTION_KEY": "not-a-fernet-key"}, tmp_path)
    assert result.returncode != 0
    assert "core.E001" in result.stderr
