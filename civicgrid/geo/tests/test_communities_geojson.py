"""The command screen's community layer: the outlines of the communities in the caller's
jurisdiction, and none of another street's."""

from typing import Any

import pytest

from civicgrid.testing.city import TestCity
from civicgrid.testing.users import RoleUsers

URL = "/api/v1/geo/communities.geojson"


@pytest.mark.django_db
def test_a_street_command_gets_its_communities(
    client: Any, city: TestCity, users: RoleUsers
) -> None:
    client.force_login(users.command)
    data = client.get(URL).json()
    codes = sorted(f["properties"]["code"] for f in data["features"])
    assert codes == [city.comm_a1.code, city.comm_a2.code]
    first = data["features"][0]
    assert first["geometry"]["type"] == "Polygon"
    assert first["properties"]["name"] == city.comm_a1.short_name


@pytest.mark.django_db
def test_a_secretary_gets_only_their_community(
    client: Any, city: TestCity, users: RoleUsers
) -> None:
    client.force_login(users.secretary)
    codes = [f["properties"]["code"] for f in client.get(URL).json()["features"]]
    assert codes == [city.comm_a1.code]


@pytest.mark.django_db
def test_a_retired_community_is_not_drawn(client: Any, city: TestCity, users: RoleUsers) -> None:
    city.comm_a2.retired_on = "2025-06-01"
    city.comm_a2.save()
    client.force_login(users.command)
    codes = [f["properties"]["code"] for f in client.get(URL).json()["features"]]
    assert codes == [city.comm_a1.code]
