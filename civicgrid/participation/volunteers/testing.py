"""Volunteer objects for tests and for the permission matrix's world."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone

from civicgrid.participation.volunteers.choices import TeamKind
from civicgrid.participation.volunteers.models import Activity, Signup, Team, Volunteer


def make_team(community: Any, name: str = "环保志愿队", kind: str = TeamKind.ENVIRONMENT) -> Team:
    return Team.objects.create(community_code=community.code, name=name, kind=kind)


def make_volunteer(
    community: Any, name: str = "张三华", *, user: Any = None, phone: str = "13800001234"
) -> Volunteer:
    return Volunteer.objects.create(
        community_code=community.code, name=name, user=user, phone=phone
    )


def make_activity(
    team: Team,
    author: Any,
    *,
    title: str = "小区环境清扫",
    start: datetime | None = None,
    hours: float = 2,
    places: int = 5,
    lat: float | None = None,
    lng: float | None = None,
    radius: int = 500,
) -> Activity:
    """An activity starting at ``start`` (default: tomorrow 09:00, local time), written
    directly so that tests may place it in the past."""
    if start is None:
        tomorrow = timezone.localdate() + timedelta(days=1)
        start = timezone.make_aware(datetime.combine(tomorrow, time(9, 0)))
    local = timezone.localtime(start)
    end = local + timedelta(hours=hours)
    return Activity.objects.create(
        team=team,
        community_code=team.community_code,
        title=title,
        date=local.date(),
        starts_at=local.time().replace(microsecond=0),
        ends_at=end.time().replace(microsecond=0),
        place="小区广场",
        lat=lat,
        lng=lng,
        places=places,
        checkin_radius_m=radius,
        created_by=author,
    )


def world_team(world: Any) -> Team:
    found = world.objects.get("vol_team")
    if found is None:
        found = world.objects["vol_team"] = make_team(world.city.comm_a1, name="矩阵志愿队")
    return found


def world_volunteer(world: Any) -> Volunteer:
    found = world.objects.get("vol_volunteer")
    if found is None:
        found = world.objects["vol_volunteer"] = make_volunteer(world.city.comm_a1, "矩阵志愿者")
    return found


def world_activity(world: Any) -> Activity:
    """An upcoming activity of comm_a1 (in the world's jurisdiction), with the matrix's
    volunteer signed up."""
    found = world.objects.get("vol_activity")
    if found is None:
        found = world.objects["vol_activity"] = make_activity(
            world_team(world), world.users.cadre, title="矩阵志愿活动"
        )
        Signup.objects.create(activity=found, volunteer=world_volunteer(world))
    return found


def world_signup(world: Any) -> Signup:
    return Signup.objects.get(activity=world_activity(world), volunteer=world_volunteer(world))
