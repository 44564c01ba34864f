"""Helpers for the case page tests: a real small image to upload and a way to walk a case
through the real workflow to the step a page test starts from."""

from __future__ import annotations

import io
from types import SimpleNamespace
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from civicgrid.cases.choices import Action, HandlingLevel
from civicgrid.cases.models import Case
from civicgrid.cases.workflow import case_transition
from civicgrid.testing.users import RoleUsers


def png_bytes(colour: str = "#c0392b", size: tuple[int, int] = (64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG")
    return out.getvalue()


def png_upload(name: str = "scene.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


# Each step of the department route, as (action, who takes it, extra input).
DEPARTMENT_ROUTE: list[tuple[str, str, dict[str, Any]]] = [
    (Action.ACCEPT, "secretary", {}),
    (Action.ROUTE, "secretary", {"level": HandlingLevel.STREET}),
    (Action.DISPATCH, "command", {"department": "dept"}),
    (Action.SIGN_FOR, "department", {}),
    (Action.FEEDBACK, "department", {"note": "已清运完毕"}),
    (Action.VERIFY, "worker", {}),
]


def walk(case: Case, users: RoleUsers, *, until: str) -> Case:
    """Take the department route through ``case_transition`` up to and including ``until``."""
    for action, who, extra in DEPARTMENT_ROUTE:
        data = dict(extra)
        if data.get("department") == "dept":
            data["department"] = users.dept
        case = case_transition(case=case, action=action, actor=getattr(users, who), **data)
        if action == until:
            return case
    raise ValueError(f"{until} is not on the department route")


def ensure_seeded_categories() -> None:
    """Transactional (browser) tests empty every table when they end, including the rows the
    data migration seeded; put the category tree and responsibility list back (idempotent)."""
    import importlib

    from django.apps import apps
    from django.db import connection

    seed = importlib.import_module("civicgrid.cases.migrations.0002_seed_categories_and_rules")
    # The data migration reads the alias from its schema editor: the test database's.
    seed.seed(apps, SimpleNamespace(connection=connection))


def browser_sign_in(page: Any, live_server: Any, username: str, password: str) -> None:
    """Sign in and wait until the login page is left, wherever the role lands (residents
    go to their requests, not to the workbench at ``/``)."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
