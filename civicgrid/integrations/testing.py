"""Objects the permission matrix needs from this app (civicgrid/testing/matrix.py)."""

from __future__ import annotations

from typing import Any

from civicgrid.cases.choices import Channel
from civicgrid.cases.models import Case


def world_open311_case(world: Any) -> Case:
    """A request that came in through Open311 in the world's grid (made once per world)."""
    found = Case.objects.filter(channel=Channel.OPEN311).first()
    if found is not None:
        return found
    from civicgrid.testing.cases import report_case

    return report_case(world.users.command, channel=Channel.OPEN311, description="公开诉求")


def world_api_key(world: Any) -> Any:
    from civicgrid.integrations.keys import HOTLINE_ORDERS, api_key_create
    from civicgrid.integrations.models import ApiKey

    found = ApiKey.objects.first()
    if found is not None:
        return found
    key, _raw = api_key_create(
        by=world.secadmin,
        name="矩阵密钥",
        owner_system="市12345热线平台",
        scopes=[world.city.street_a.code],
        operations=[HOTLINE_ORDERS],
    )
    return key
