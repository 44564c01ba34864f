"""DATABASE_REPLICA_URL is parsed like DATABASE_URL: a bad value stops start-up naming the
variable (never echoing a password), a replica needs PostgreSQL on both sides, and a good one
adds the alias, the router and the pinning middleware."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from civicgrid.core.tests.test_configuration import django as run_django


def django(code: str, env: dict[str, str], tmp_path: Path) -> Any:
    return run_django(code, {"DEBUG": "1", **env}, tmp_path)


PRIMARY = "postgres://civicgrid:primary-secret@db1:5432/civicgrid"


def test_a_bad_replica_url_fails_at_start(tmp_path: Path) -> None:
    for value in ("replica-host", "postgres://u:pw@db2:notaport/civicgrid", "postgres://db2"):
        result = django("", {"DATABASE_URL": PRIMARY, "DATABASE_REPLICA_URL": value}, tmp_path)
        assert result.returncode != 0, value
        assert "DATABASE_REPLICA_URL" in result.stderr, result.stderr
        assert "pw@" not in result.stderr


def test_a_bad_database_url_fails_the_same_way(tmp_path: Path) -> None:
    for value in ("nonsense", "mysql://u:pw@db/civicgrid"):
        result = django("", {"DATABASE_URL": value}, tmp_path)
        assert result.returncode != 0, value
        assert "DATABASE_URL" in result.stderr, result.stderr


def test_a_replica_needs_postgresql_on_both_sides(tmp_path: Path) -> None:
    result = django(
        "", {"DATABASE_REPLICA_URL": "postgres://civicgrid:replica-secret@db2/civicgrid"}, tmp_path
    )
    assert result.returncode != 0
    assert "PostgreSQL" in result.stderr and "replica-secret" not in result.stderr


def test_a_replica_url_adds_the_alias_router_and_middleware(tmp_path: Path) -> None:
    code = (
        "r = settings.DATABASES['replica']\n"
        "print(r['HOST'], r['PORT'], r['NAME'], r['TEST']['MIRROR'], r['CONN_MAX_AGE'])\n"
        "print(settings.DATABASE_ROUTERS[0], settings.MIDDLEWARE[0])\n"
        "print(settings.DATABASES['default']['DISABLE_SERVER_SIDE_CURSORS'],"
        " r['DISABLE_SERVER_SIDE_CURSORS'])\n"
    )
    env = {
        "DATABASE_URL": PRIMARY,
        "DATABASE_REPLICA_URL": "postgres://civicgrid:pw@db2:6432/civicgrid",
        "DB_TRANSACTION_POOLING": "1",
    }
    result = django(code, env, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "db2",
        "6432",
        "civicgrid",
        "default",
        "60",
        "civicgrid.core.replica.ReplicaRouter",
        "civicgrid.core.replica.ReplicaPinMiddleware",
        "True",
        "True",
    ]
    without = django(
        "print(settings.DATABASE_ROUTERS, 'replica' in settings.DATABASES)", {}, tmp_path
    )
    assert without.stdout.split() == ["[]", "False"], without.stderr
