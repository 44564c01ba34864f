"""Settings come from the environment, and from an optional `.env` file beside manage.py
(docs/configuration.md lists every variable).

Parsing is environs' (a maintained library): a malformed value fails at start-up with the
variable's name, never later at first use. The process environment always wins over `.env`, so
`DEBUG=0 python manage.py …` overrides a demo `.env`. `CIVICGRID_ENV_FILE` names another file;
empty reads none (the test settings do that so a developer's `.env` never leaks into tests).
"""

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from environs import Env, EnvError

BASE_DIR = Path(__file__).resolve().parent.parent

env = Env()
_file = os.environ.get("CIVICGRID_ENV_FILE", str(BASE_DIR / ".env"))
if _file and Path(_file).is_file():
    env.read_env(_file, recurse=False, override=False)


def _read(parse: Any, name: str, default: Any) -> Any:
    try:
        return parse(name, default)
    except EnvError as exc:
        raise ImproperlyConfigured(f"{name}={os.environ.get(name)!r}: {exc}") from exc


def env_str(name: str, default: str | None = None) -> str:
    if default is None and name not in os.environ:
        raise ImproperlyConfigured(f"Environment variable {name} is required")
    return str(_read(env.str, name, default))


def env_bool(name: str, default: bool = False) -> bool:
    if os.environ.get(name, "x").strip() == "":
        return False  # `DEBUG=` switches a flag off, as an empty value always has here
    return bool(_read(env.bool, name, default))


def env_int(name: str, default: int) -> int:
    return int(_read(env.int, name, default))


def env_list(name: str, default: list[str]) -> list[str]:
    values = _read(env.list, name, default)
    return [str(item).strip() for item in values if str(item).strip()]


# The database engines CivicGrid runs on (docs/configuration.md).
DATABASE_ENGINES = ("django.db.backends.postgresql", "django.db.backends.sqlite3")


def env_database(name: str, default: str, conn_max_age: int) -> dict[str, Any]:
    """A database URL (dj-database-url) as a DATABASES entry. A URL that does not parse, names
    an engine CivicGrid does not run on, or no database stops start-up with the variable's
    name; the message never repeats the URL, which may hold a password."""
    url = env_str(name, default)
    try:
        config = dict(dj_database_url.parse(url, conn_max_age=conn_max_age))
    except ValueError as exc:  # dj-database-url's ParseError, UnknownSchemeError
        scheme = url.split("://", 1)[0] if "://" in url else "(none)"
        raise ImproperlyConfigured(
            f"{name}: not a database URL (scheme {scheme!r}); "
            "use postgres://user:password@host:port/name or sqlite:///path"
        ) from exc
    if config.get("ENGINE") not in DATABASE_ENGINES:
        raise ImproperlyConfigured(
            f"{name}: engine {config.get('ENGINE')!r} is not supported (PostgreSQL or SQLite)"
        )
    if not config.get("NAME"):
        raise ImproperlyConfigured(f"{name}: the URL names no database")
    return config
