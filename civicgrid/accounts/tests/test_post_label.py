"""The header names a person's post: a command centre is a street's, a district's or the
city's by its jurisdiction, under the one command role."""

import pytest
from django.test import Client

from civicgrid.accounts.choices import Role
from civicgrid.testing.users import make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("codes", "label"),
    [
        (("520102001",), "街道网格管理中心"),
        (("520102",), "区网格化服务管理中心"),
        (("5201",), "市网格化服务管理中心"),
        (("520102001", "520103"), "区网格化服务管理中心"),
    ],
)
def test_a_command_centre_is_named_by_its_jurisdiction(codes: tuple[str, ...], label: str) -> None:
    assert make_user("centre", Role.COMMAND, *codes).post_label == label


def test_other_roles_keep_their_name() -> None:
    assert make_user("worker", Role.GRID_WORKER, "520102001001001").post_label == "网格员"


def test_the_header_shows_the_post() -> None:
    client = Client()
    client.force_login(make_user("district", Role.COMMAND, "520102"))
    assert "district · 区网格化服务管理中心" in client.get("/").content.decode()
