"""One panel failing leaves the others standing: it answers 数据暂不可用 on its own."""

from typing import Any

import pytest

from civicgrid.dashboard import screen
from civicgrid.testing.users import RoleUsers


@pytest.mark.django_db
def test_a_failing_panel_is_marked_and_the_rest_answer(
    client: Any, users: RoleUsers, monkeypatch: Any
) -> None:
    def broken(user: Any, clock: Any) -> dict[str, Any]:
        raise RuntimeError("fact table unavailable")

    monkeypatch.setitem(screen.BUILDERS, "trend", broken)
    client.force_login(users.command)
    response = client.get("/screen/data.json")
    assert response.status_code == 200
    panels = response.json()["panels"]
    assert panels["trend"] == {"ok": False, "error": "数据暂不可用"}
    assert all(panels[name]["ok"] for name in screen.PANELS if name != "trend")
    assert all("as_of" in panels[name] for name in screen.PANELS if name != "trend")
