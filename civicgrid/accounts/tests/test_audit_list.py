from typing import Any

import pytest

from civicgrid.core.audit import audit_record
from civicgrid.testing.queries import count_queries
from civicgrid.testing.users import RoleUsers


@pytest.mark.django_db
def test_auditor_reads_the_trail(client: Any, users: RoleUsers) -> None:
    audit_record(
        actor=users.cadre, action="unmask", target=users.resident, field="phone", reason="上门核实"
    )
    client.force_login(users.auditor)
    response = client.get("/accounts/audit/")
    assert response.status_code == 200
    assert "上门核实" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["sysadmin", "cadre", "worker", "command"])
def test_other_roles_cannot_read_the_trail(client: Any, users: RoleUsers, role: str) -> None:
    client.force_login(getattr(users, role))
    assert client.get("/accounts/audit/").status_code == 403


@pytest.mark.django_db
def test_trail_page_query_count_does_not_grow(client: Any, users: RoleUsers) -> None:
    def add(n: int) -> None:
        for i in range(n):
            audit_record(actor=users.cadre, action="unmask", target=users.resident, reason=f"r{i}")

    add(5)
    client.force_login(users.auditor)
    few = count_queries(client, "/accounts/audit/?size=50")
    add(60)
    assert count_queries(client, "/accounts/audit/?size=50") == few <= 12
    body = client.get("/accounts/audit/?size=50").content.decode()
    assert body.count("<tr><td>") == 50


@pytest.mark.django_db
def test_trail_shows_chinese_labels_not_codes(client: Any, users: RoleUsers) -> None:
    from civicgrid.accounts.models import User

    audit_record(
        actor=users.secretary,
        action="unmask",
        target=users.resident,
        field="id_number,phone,address",
        reason="上门核实",
        result="denied",
    )
    client.force_login(users.auditor)
    body = client.get("/accounts/audit/").content.decode()
    row = body[body.index("上门核实") - 400 : body.index("上门核实") + 200]
    assert "查看敏感信息" in row
    assert f"{User._meta.verbose_name} #{users.resident.pk}" in row
    assert "身份证号、电话、详细住址" in row
    assert "拒绝" in body
    assert "id_number" not in body and "accounts.user" not in body


@pytest.mark.django_db
def test_action_filter_lists_labels_and_filters_by_code(client: Any, users: RoleUsers) -> None:
    audit_record(actor=users.cadre, action="unmask", target=users.resident, reason="甲")
    audit_record(actor=users.cadre, action="export_unmasked", target=users.resident, reason="乙")
    client.force_login(users.auditor)
    body = client.get("/accounts/audit/").content.decode()
    assert '<option value="export_unmasked" >导出未脱敏台账</option>' in body
    filtered = client.get("/accounts/audit/?action=unmask").content.decode()
    assert "甲" in filtered and "乙" not in filtered


def test_unknown_codes_fall_back_to_the_raw_text() -> None:
    from civicgrid.core.audit import action_label, field_label, result_label, target_label

    assert action_label("something_new") == "something_new"
    assert field_label("phone,shoe_size") == "电话、shoe_size"
    assert result_label("error") == "error"
    assert target_label("nowhere.thing", "7") == "nowhere.thing #7"
    assert target_label("registry.person", "60").endswith(" #60")
    assert target_label("registry.person", "60") != "registry.person #60"


@pytest.mark.django_db
def test_auditor_filters_refusals(client: Any, users: RoleUsers) -> None:
    audit_record(actor=users.cadre, action="unmask", target=users.resident, reason="允许的")
    audit_record(
        actor=users.worker, action="unmask", target=users.resident, reason="被拒的", result="denied"
    )
    client.force_login(users.auditor)
    body = client.get("/accounts/audit/?result=denied").content.decode()
    assert "被拒的" in body and "允许的" not in body


@pytest.mark.django_db
def test_auditor_filters_by_date_and_ignores_a_bad_date(client: Any, users: RoleUsers) -> None:
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    with time_machine.travel(timezone.now() - timedelta(days=30)):
        audit_record(actor=users.cadre, action="unmask", target=users.resident, reason="上月的")
    audit_record(actor=users.cadre, action="unmask", target=users.resident, reason="今天的")
    client.force_login(users.auditor)
    since = (timezone.localdate() - timedelta(days=1)).isoformat()
    body = client.get(f"/accounts/audit/?since={since}").content.decode()
    assert "今天的" in body and "上月的" not in body
    until = (timezone.localdate() - timedelta(days=10)).isoformat()
    body = client.get(f"/accounts/audit/?until={until}").content.decode()
    assert "上月的" in body and "今天的" not in body
    body = client.get("/accounts/audit/?since=2026-02-30&until=9999-12-31").content.decode()
    assert "上月的" in body and "今天的" in body
    body = client.get("/accounts/audit/?since=garbage").content.decode()
    assert "上月的" in body and "今天的" in body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("action", "field", "label"),
    [("worklog_view", "worklog", "民情日志"), ("worklog_export", "worklog_stats", "工作量统计")],
)
def test_work_log_reads_name_what_was_read(
    client: Any, users: RoleUsers, action: str, field: str, label: str
) -> None:
    audit_record(actor=users.command, action=action, target=users.worker, field=field, reason="甲")
    client.force_login(users.auditor)
    body = client.get("/accounts/audit/").content.decode()
    row = body[body.index("<tbody>") : body.index("</tbody>")]
    assert f"<td>{label}</td>" in row and "巡查轨迹" not in row
