from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from civicgrid.cases.choices import Action, CaseStatus, Channel
from civicgrid.testing.case_pages import walk
from civicgrid.testing.cases import IN_A1_EAST, put_in_status, report_case
from civicgrid.testing.users import RoleUsers

pytestmark = pytest.mark.django_db


def test_command_centre_filters_by_status(client: Any, users: RoleUsers) -> None:
    accepted = walk(report_case(users.worker), users, until=Action.ACCEPT)
    reported = report_case(users.worker)
    client.force_login(users.command)
    page = client.get("/cases/list/", {"status": "accepted"}).content.decode()
    assert f'data-case="{accepted.number}"' in page
    assert f'data-case="{reported.number}"' not in page


def test_filters_by_channel_and_grid(client: Any, users: RoleUsers) -> None:
    hotline = report_case(
        users.secretary, channel=Channel.HOTLINE, reporter_name="王", point=IN_A1_EAST
    )
    west = report_case(users.worker)
    client.force_login(users.command)
    page = client.get("/cases/list/", {"channel": "hotline"}).content.decode()
    assert f'data-case="{hotline.number}"' in page
    assert f'data-case="{west.number}"' not in page
    page = client.get("/cases/list/", {"grid": west.grid_code}).content.decode()
    assert f'data-case="{west.number}"' in page
    assert f'data-case="{hotline.number}"' not in page


def test_department_list_holds_only_its_cases(client: Any, users: RoleUsers) -> None:
    ours = walk(report_case(users.worker), users, until=Action.DISPATCH)
    other = report_case(users.worker)
    client.force_login(users.department)
    page = client.get("/cases/list/").content.decode()
    assert f'data-case="{ours.number}"' in page
    assert f'data-case="{other.number}"' not in page


def test_outsider_list_and_map_are_empty(client: Any, users: RoleUsers) -> None:
    case = report_case(users.worker)
    client.force_login(users.outsider)
    assert case.number not in client.get("/cases/list/").content.decode()
    assert client.get("/cases/list/map.geojson").json()["features"] == []


def test_map_marks_open_cases_with_their_deadline_colour(client: Any, users: RoleUsers) -> None:
    case = report_case(users.worker)
    client.force_login(users.command)
    features = client.get("/cases/list/map.geojson").json()["features"]
    assert [f["properties"]["number"] for f in features] == [case.number]
    assert features[0]["geometry"]["coordinates"] == [case.lng, case.lat]
    assert features[0]["properties"]["colour"].startswith("#")


def test_every_marker_colour_on_the_map_has_a_legend_entry(client: Any, users: RoleUsers) -> None:
    now = timezone.now()
    running = put_in_status(
        report_case(users.worker, at=now),
        CaseStatus.REPORTED,
        stage_started_at=now,
        stage_due_at=now + timedelta(days=30),
    )
    deferred = put_in_status(report_case(users.worker), CaseStatus.DEFERRED, stage_due_at=None)
    client.force_login(users.command)
    features = client.get("/cases/list/map.geojson").json()["features"]
    colours = {f["properties"]["number"]: f["properties"]["colour"] for f in features}
    page = client.get("/cases/list/").content.decode()
    legend = page.split('id="cases-map-legend"')[1].split("</p>")[0]
    assert f'data-colour="{colours[running.number]}"></span>正常' in legend
    assert f'data-colour="{colours[deferred.number]}"></span>已暂停计时或无时限' in legend


def test_residents_cannot_open_the_command_list(client: Any, users: RoleUsers) -> None:
    client.force_login(users.resident)
    assert client.get("/cases/list/").status_code == 403


def test_list_has_a_constant_query_count(
    client: Any, users: RoleUsers, django_assert_num_queries: Any
) -> None:
    client.force_login(users.command)
    report_case(users.worker)
    client.get("/cases/list/")
    with django_assert_num_queries(8) as few:
        client.get("/cases/list/")
    for _ in range(12):
        report_case(users.worker, point=IN_A1_EAST)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get("/cases/list/")
    assert response.content.decode().count("data-case=") == 13


def test_map_has_a_constant_query_count(
    client: Any, users: RoleUsers, django_assert_num_queries: Any
) -> None:
    client.force_login(users.command)
    report_case(users.worker)
    client.get("/cases/list/map.geojson")
    with django_assert_num_queries(5) as few:
        client.get("/cases/list/map.geojson")
    for _ in range(10):
        report_case(users.worker, point=IN_A1_EAST)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get("/cases/list/map.geojson")
    assert len(response.json()["features"]) == 11
