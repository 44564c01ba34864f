"""Who reads whose work log: a grid worker their own (another worker's is 404, as if missing),
supervisors their jurisdiction's (audited), department, resident and auditor nobody's (403),
an outsider nothing outside their street (404). Pages and API alike."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from civicgrid.core.models import AuditEntry
from civicgrid.fieldwork.tests.test_worklog_records import DAY, one_of_each

DAY_Q = f"?day={DAY:%Y-%m-%d}"


def _get(user: Any, url: str) -> Any:
    client = Client()
    client.force_login(user)
    return client.get(url)


def _urls(users: Any, city: Any) -> dict[str, str]:
    grid = city.grids["a1_west"]
    return {
        "worker_page": f"/fieldwork/worklog/worker/{users.worker.pk}/{DAY_Q}",
        "grid_page": f"/fieldwork/worklog/grid/{grid.pk}/{DAY_Q}",
        "worker_api": f"/api/v1/fieldwork/worklog/workers/{users.worker.pk}{DAY_Q}",
        "grid_api": f"/api/v1/fieldwork/worklog/grids/{grid.pk}{DAY_Q}",
    }


def test_a_grid_worker_cannot_read_another_workers_log(users: Any, city: Any) -> None:
    from civicgrid.accounts.choices import Role
    from civicgrid.testing.users import make_user

    colleague = make_user("colleague", Role.GRID_WORKER, city.grids["a1_east"].code)
    one_of_each(users, city)
    for url in _urls(users, city).values():
        if "grid" in url.split("worklog/")[1]:
            continue
        assert _get(colleague, url).status_code == 404, url


@pytest.mark.parametrize("who", ["department", "resident", "auditor"])
def test_roles_without_tracks_are_refused(users: Any, city: Any, who: str) -> None:
    for url in [*_urls(users, city).values(), "/fieldwork/worklog/", "/fieldwork/worklog/stats/"]:
        assert _get(getattr(users, who), url).status_code == 403, url


def test_an_outsider_gets_404_for_a_worker_or_grid_elsewhere(users: Any, city: Any) -> None:
    for url in _urls(users, city).values():
        assert _get(users.outsider, url).status_code == 404, url


def test_a_secretarys_read_of_a_workers_log_is_audited(users: Any, city: Any) -> None:
    made = one_of_each(users, city)
    response = _get(users.secretary, _urls(users, city)["worker_page"])
    assert response.status_code == 200
    assert f"/fieldwork/patrols/{made['patrol'].pk}/" in response.content.decode()
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.field) == (users.secretary, "worklog_view", "worklog")
    assert (entry.target_type, entry.target_id) == ("accounts.user", str(users.worker.pk))

    response = _get(users.command, _urls(users, city)["grid_api"])
    assert response.status_code == 200 and len(response.json()["entries"]) == 5
    assert AuditEntry.objects.filter(actor=users.command, action="worklog_view").count() == 1


def test_the_worker_reading_their_own_log_is_not_audited(users: Any, city: Any) -> None:
    one_of_each(users, city)
    assert _get(users.worker, "/fieldwork/worklog/" + DAY_Q).status_code == 200
    response = _get(users.worker, _urls(users, city)["worker_api"])
    assert response.status_code == 200 and len(response.json()["entries"]) == 5
    # Their own grid shows their own work only, unaudited.
    assert _get(users.worker, _urls(users, city)["grid_page"]).status_code == 200
    assert not AuditEntry.objects.exists()


def test_a_workers_grid_log_leaves_out_colleagues(users: Any, city: Any) -> None:
    from civicgrid.accounts.choices import Role
    from civicgrid.fieldwork.tests.test_worklog_records import at, patrol
    from civicgrid.testing.users import make_user

    grid = city.grids["a1_west"]
    colleague = make_user("colleague", Role.GRID_WORKER, grid.code)
    patrol(colleague, grid, at(7))
    patrol(users.worker, grid, at(8))
    mine = _get(users.worker, _urls(users, city)["grid_api"]).json()["entries"]
    assert [e["worker_id"] for e in mine] == [users.worker.pk]
    everyone = _get(users.cadre, _urls(users, city)["grid_api"]).json()["entries"]
    assert {e["worker_id"] for e in everyone} == {users.worker.pk, colleague.pk}


def test_a_supervisor_sees_only_the_work_done_in_their_jurisdiction(users: Any, city: Any) -> None:
    from civicgrid.accounts.models import Scope
    from civicgrid.fieldwork import worklog
    from civicgrid.fieldwork.tests.test_worklog_records import at, patrol

    Scope.objects.create(user=users.worker, code=city.grids["a2"].code)
    patrol(users.worker, city.grids["a1_west"], at(8))
    patrol(users.worker, city.grids["a2"], at(15))
    cadre_of_a1 = _get(users.cadre, _urls(users, city)["worker_api"]).json()["entries"]
    assert [e["grid_code"] for e in cadre_of_a1] == [city.grids["a1_west"].code]
    street = _get(users.command, _urls(users, city)["worker_api"]).json()["entries"]
    assert len(street) == 2
    own = _get(users.worker, _urls(users, city)["worker_api"]).json()["entries"]
    assert len(own) == 2
    counted = worklog.stats(users.cadre, period="day", day_from=DAY)
    assert [r.counts["patrols"] for r in counted] == [1]
