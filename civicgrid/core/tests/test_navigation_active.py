"""The menu marks one entry as the current page: the one with the longest address the page
starts with, so a sub-page does not light up its parent entry as well."""

import re
from typing import Any

import pytest


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "current"),
    [("/registry/completeness/", "台账核查"), ("/registry/", "基础台账"), ("/", "工作台")],
)
def test_one_entry_is_current(client: Any, users: Any, path: str, current: str) -> None:
    client.force_login(users.command)
    body = client.get(path).content.decode()
    nav = body[body.index('<nav class="mainnav"') : body.index("</nav>")]
    assert re.findall(r'<a href="[^"]*" class="active">([^<]+)</a>', nav) == [current]
