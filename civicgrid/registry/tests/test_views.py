from typing import Any

import pytest
from django.utils import translation

from civicgrid.core.models import AuditEntry
from civicgrid.registry.tests.conftest import Ledger, grant
from civicgrid.testing.users import RoleUsers

pytestmark = pytest.mark.django_db


def pages(ledger: Ledger) -> list[str]:
    return [
        f"/registry/grids/{ledger.building.grid_id}/",
        f"/registry/buildings/{ledger.building.pk}/",
        f"/registry/dwellings/{ledger.dwelling.pk}/",
        f"/registry/households/{ledger.household.pk}/",
        f"/registry/people/{ledger.head.pk}/",
        f"/registry/organizations/{ledger.organization.pk}/",
    ]


@pytest.mark.parametrize("role", ["worker", "cadre", "secretary", "command", "sysadmin"])
def test_staff_of_the_area_open_every_level(
    client: Any, users: RoleUsers, ledger: Ledger, role: str
) -> None:
    client.force_login(getattr(users, role))
    for url in pages(ledger):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", ["outsider"])
def test_others_get_404_at_every_level(
    client: Any, users: RoleUsers, ledger: Ledger, role: str
) -> None:
    client.force_login(getattr(users, role))
    for url in pages(ledger):
        assert client.get(url).status_code == 404, url


def test_outsider_cannot_edit_or_unmask(client: Any, users: RoleUsers, ledger: Ledger) -> None:
    grant(users.outsider, "unmask_pii")
    client.force_login(users.outsider)
    assert client.get(f"/registry/people/{ledger.head.pk}/edit/").status_code == 404
    response = client.post(f"/registry/people/{ledger.head.pk}/unmask/", {"reason": "入户核实身份"})
    assert response.status_code == 404
    assert not AuditEntry.objects.exists()


def test_household_page_shows_masked_numbers(client: Any, users: RoleUsers, ledger: Ledger) -> None:
    client.force_login(users.worker)
    body = client.get(f"/registry/households/{ledger.household.pk}/").content.decode()
    number = ledger.head.id_number
    assert number not in body
    assert f"{number[:4]}**********{number[-4:]}" in body
    assert "138****5678" in body
    assert "13812345678" not in body


def test_edit_form_does_not_send_plaintext(client: Any, users: RoleUsers, ledger: Ledger) -> None:
    client.force_login(users.worker)
    body = client.get(f"/registry/people/{ledger.head.pk}/edit/").content.decode()
    assert ledger.head.id_number not in body
    assert "13812345678" not in body


def test_unmask_with_reason_shows_number_and_audits(
    client: Any, users: RoleUsers, ledger: Ledger
) -> None:
    grant(users.secretary, "unmask_pii")
    client.force_login(users.secretary)
    response = client.post(
        f"/registry/people/{ledger.head.pk}/unmask/",
        {"reason": "办理低保核实身份"},
        HTTP_USER_AGENT="pytest-browser",
        REMOTE_ADDR="10.1.2.3",
    )
    assert ledger.head.id_number in response.content.decode()
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.reason) == (
        users.secretary,
        "unmask",
        "办理低保核实身份",
    )
    assert entry.target_id == str(ledger.head.pk)
    assert (entry.ip, entry.user_agent) == ("10.1.2.3", "pytest-browser")


def test_unmask_without_reason_is_refused(client: Any, users: RoleUsers, ledger: Ledger) -> None:
    grant(users.secretary, "unmask_pii")
    client.force_login(users.secretary)
    response = client.post(f"/registry/people/{ledger.head.pk}/unmask/", {"reason": "看"})
    assert response.status_code == 400
    assert ledger.head.id_number not in response.content.decode()
    assert "至少4个字" in response.content.decode()
    assert not AuditEntry.objects.exists()


def test_unmask_without_permission_is_forbidden_and_logged(
    client: Any, users: RoleUsers, ledger: Ledger
) -> None:
    client.force_login(users.worker)
    response = client.post(f"/registry/people/{ledger.head.pk}/unmask/", {"reason": "入户核实身份"})
    assert response.status_code == 403
    assert AuditEntry.objects.get().result == "denied"


def test_bad_id_number_gets_chinese_error_and_keeps_input(
    client: Any, users: RoleUsers, ledger: Ledger
) -> None:
    client.force_login(users.worker)
    response = client.post(
        f"/registry/households/{ledger.household.pk}/members/new/",
        {
            "name": "李四",
            "document_type": "ric",
            "id_number": "520102198005170012",
            "residency": "registered",
            "presence": "consistent",
            "relation": "child",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "校验位不正确" in body
    assert 'value="李四"' in body


def test_a_truncated_mobile_number_gets_a_chinese_error_on_the_member_form(
    client: Any, users: RoleUsers, ledger: Ledger
) -> None:
    from civicgrid.registry.tests.factories import resident_id

    client.force_login(users.worker)
    response = client.post(
        f"/registry/households/{ledger.household.pk}/members/new/",
        {
            "name": "李四",
            "document_type": "ric",
            "id_number": resident_id(),
            "phone": "1398501",
            "residency": "registered",
            "presence": "consistent",
            "relation": "child",
        },
    )
    assert response.status_code == 200
    assert "手机号码应为以1开头的11位数字" in response.content.decode()
    assert not ledger.household.members.filter(name="李四").exists()


def test_worker_adds_a_member(client: Any, users: RoleUsers, ledger: Ledger) -> None:
    from civicgrid.registry.tests.factories import resident_id

    client.force_login(users.worker)
    response = client.post(
        f"/registry/households/{ledger.household.pk}/members/new/",
        {
            "name": "王小明",
            "document_type": "ric",
            "id_number": resident_id(),
            "residency": "registered",
            "presence": "consistent",
            "relation": "child",
        },
    )
    assert response.status_code == 302
    assert ledger.household.members.filter(
        name="王小明", grid_code=ledger.household.grid_code
    ).exists()


def test_verify_stamps_date_and_verifier(client: Any, users: RoleUsers, ledger: Ledger) -> None:
    client.force_login(users.worker)
    client.post(f"/registry/verify/person/{ledger.head.pk}/")
    ledger.head.refresh_from_db()
    assert ledger.head.verified_by == users.worker
    assert ledger.head.last_verified_on is not None


def test_registry_home_and_completeness_render(
    client: Any, users: RoleUsers, ledger: Ledger
) -> None:
    client.force_login(users.secretary)
    assert "王建国" not in client.get("/registry/").content.decode()
    assert client.get("/registry/completeness/").status_code == 200
    assert client.get("/registry/gaps/").status_code == 200
    assert (
        client.get(f"/registry/completeness/?code={users.outsider.scope_codes[0]}").status_code
        == 404
    )


def test_workbench_shows_registry_panel_to_ledger_staff(
    client: Any, users: RoleUsers, ledger: Ledger
) -> None:
    client.force_login(users.worker)
    body = client.get("/").content.decode()
    assert "台账完整度得分" in body
    client.force_login(users.department)
    assert "台账完整度得分" not in client.get("/").content.decode()


def test_unmask_through_htmx_returns_the_fragment(
    client: Any, users: RoleUsers, ledger: Ledger
) -> None:
    grant(users.command, "unmask_pii")
    client.force_login(users.command)
    response = client.post(
        f"/registry/people/{ledger.head.pk}/unmask/",
        {"reason": "入户核实身份"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert "<html" not in body
    assert ledger.head.id_number in body and "13812345678" in body


def test_household_head_is_set_from_the_household_page(
    client: Any, users: RoleUsers, ledger: Ledger
) -> None:
    from civicgrid.registry.tests.factories import make_person

    spouse = make_person(
        ledger.household.grid, name="李芳", household=ledger.household, relation="spouse"
    )
    client.force_login(users.worker)
    client.post(f"/registry/households/{ledger.household.pk}/head/", {"head": spouse.pk})
    ledger.household.refresh_from_db()
    spouse.refresh_from_db()
    assert ledger.household.head == spouse and spouse.relation == "head"


def test_duplicate_records_are_offered_for_merging(
    client: Any, users: RoleUsers, ledger: Ledger
) -> None:
    from datetime import date

    from civicgrid.registry import services
    from civicgrid.registry.models import Person
    from civicgrid.registry.tests.factories import make_person

    services.person_move_out(
        actor=users.worker, person=ledger.head, moved_on=date(2025, 1, 1), destination="外地"
    )
    again = make_person(ledger.household.grid, name="王建国", id_number=ledger.head.id_number)
    client.force_login(users.worker)
    assert "合并为一条记录" in client.get(f"/registry/people/{again.pk}/").content.decode()
    response = client.post(f"/registry/people/{again.pk}/merge/", {"other": ledger.head.pk})
    assert response.url == f"/registry/people/{ledger.head.pk}/"
    assert Person.objects.get(pk=again.pk).merged_into_id == ledger.head.pk
    # The audit entry says where the merge came from, like every other audited action.
    assert AuditEntry.objects.get(action="person_merge").ip == "127.0.0.1"


def _complete(**missing: Any) -> dict[str, Any]:
    fields = {
        "phone": "13812345678",
        "ethnicity": "汉族",
        "education": "college",
        "marital_status": "married",
        "political_status": "masses",
    }
    return {**fields, **missing}


@pytest.mark.parametrize("rows", [2, 12])
def test_gaps_name_the_missing_fields_without_a_query_per_person(
    client: Any, users: RoleUsers, ledger: Ledger, django_assert_num_queries: Any, rows: int
) -> None:
    from civicgrid.registry.models import Person
    from civicgrid.registry.tests.factories import make_person

    Person.objects.filter(pk=ledger.head.pk).update(**_complete())
    grid = ledger.building.grid
    for i in range(rows):
        make_person(grid, name=f"居民{i:02}", dwelling=ledger.dwelling, **_complete())
    make_person(
        grid, name="冯桂花", dwelling=ledger.dwelling, **_complete(ethnicity="", education="")
    )
    client.force_login(users.worker)
    with django_assert_num_queries(14):
        body = client.get("/registry/gaps/").content.decode()
    assert "冯桂花 · 缺 民族、文化程度 · 补全信息" in body
    feng = Person.objects.get(name="冯桂花")
    assert f'href="/registry/people/{feng.pk}/edit/#id_ethnicity"' in body
    assert 'id="id_ethnicity"' in client.get(f"/registry/people/{feng.pk}/edit/").content.decode()
    assert "居民00 ·" not in body.split("人口信息缺项")[1].split("</section>")[0]


def test_the_edit_form_shows_the_dates_it_will_send_back(
    client: Any, users: RoleUsers, ledger: Ledger
) -> None:
    from datetime import date

    from civicgrid.registry.models import Person

    Person.objects.filter(pk=ledger.head.pk).update(moved_in_on=date(2025, 4, 14))
    client.force_login(users.worker)
    with translation.override("zh-hans"):
        body = client.get(f"/registry/people/{ledger.head.pk}/edit/").content.decode()
    assert 'name="moved_in_on" value="2025-04-14"' in body


@pytest.mark.parametrize("who", ["worker", "secretary", "command"])
def test_every_link_on_the_audit_page_opens(
    client: Any, users: RoleUsers, ledger: Ledger, who: str
) -> None:
    import re

    client.force_login(getattr(users, who))
    body = client.get("/registry/completeness/").content.decode()
    links = set(re.findall(r'href="(/registry/(?:gaps|completeness)/\?code=\d+)"', body))
    assert links
    assert {link: client.get(link).status_code for link in links} == dict.fromkeys(links, 200)
