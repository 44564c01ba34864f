from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated

from ninja import Field, Schema

MAX_PK = 2**63 - 1
Pk = Annotated[int, Field(ge=1, le=MAX_PK)]


class ActivityOut(Schema):
    id: int
    title: str
    team: str
    team_kind: str
    date: date
    starts_at: time
    ends_at: time
    place: str
    lat: float | None
    lng: float | None
    places: int
    places_left: int
    full: bool
    status: str
    status_label: str
    started: bool
    description: str
    community_code: str
    url: str


class ActivityStaffOut(ActivityOut):
    checkin_radius_m: int
    case_number: str
    task_title: str
    planned_hours: str


class SignupStaffOut(Schema):
    id: int
    name: str
    phone: str
    status: str
    status_label: str
    present: bool
    checked_in_at: datetime | None
    checkin_method: str
    checkin_distance_m: int | None
    checked_out_at: datetime | None
    hours: str
    hours_reason: str


class ActivityDetailOut(Schema):
    activity: ActivityStaffOut
    signups: list[SignupStaffOut]


class RankRow(Schema):
    name: str
    hours: str


class VolunteerRankingOut(Schema):
    year: int
    volunteers: list[RankRow]
    teams: list[RankRow]


class MySignupOut(Schema):
    id: int
    activity: ActivityOut
    status: str
    status_label: str
    signed: bool
    checked_in: bool
    checked_out: bool
    hours: str


class MeOut(Schema):
    year: int
    hours: str
    signups: list[MySignupOut]
    upcoming: list[ActivityOut]


class SignupIn(Schema):
    phone: str = Field("", max_length=20)


class CheckinIn(Schema):
    lat: float | None = None
    lng: float | None = None


class TeamIn(Schema):
    community_code: str = Field(..., min_length=12, max_length=12)
    name: str = Field(..., min_length=1, max_length=50)
    kind: str = Field(..., max_length=20)
    description: str = Field("", max_length=1000)
    leader_id: Pk | None = None


class VolunteerTeamOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    leader: str
    description: str
    hours: str


class VolunteerIn(Schema):
    community_code: str = Field(..., min_length=12, max_length=12)
    name: str = Field(..., min_length=1, max_length=50)
    phone: str = Field("", max_length=20)
    skills: str = Field("", max_length=200)
    team_ids: list[Pk] = Field(default_factory=list, max_length=50)


class VolunteerOut(Schema):
    id: int
    name: str
    phone: str
    skills: str
    teams: list[str]
    has_account: bool
    joined_on: date
    hours: str


class ActivityIn(Schema):
    team_id: Pk
    title: str = Field(..., min_length=1, max_length=100)
    date: date
    starts_at: time
    ends_at: time
    place: str = Field(..., min_length=1, max_length=200)
    places: int = Field(..., ge=1, le=1000)
    lat: float | None = Field(None, ge=-90, le=90)
    lng: float | None = Field(None, ge=-180, le=180)
    description: str = Field("", max_length=2000)
    checkin_radius_m: int | None = Field(None, ge=50, le=5000)
    case_id: Pk | None = None
    task_id: Pk | None = None


# The field named ``date`` shadows the type inside the class body: name the types apart.
Day = date
Clock = time


class ActivityPatchIn(Schema):
    """Only the fields sent are changed; ``case_id``/``task_id`` sent as null remove the link."""

    team_id: Pk | None = None
    title: str | None = Field(None, min_length=1, max_length=100)
    date: Day | None = None
    starts_at: Clock | None = None
    ends_at: Clock | None = None
    place: str | None = Field(None, min_length=1, max_length=200)
    places: int | None = Field(None, ge=1, le=1000)
    lat: float | None = Field(None, ge=-90, le=90)
    lng: float | None = Field(None, ge=-180, le=180)
    description: str | None = Field(None, max_length=2000)
    checkin_radius_m: int | None = Field(None, ge=50, le=5000)
    case_id: Pk | None = None
    task_id: Pk | None = None


class StaffSignupIn(Schema):
    volunteer_id: Pk


class VolunteerAttendanceIn(Schema):
    present: list[Pk] = Field(default_factory=list, max_length=1000)


class HoursIn(Schema):
    hours: float
    reason: str = Field(..., min_length=1, max_length=200)


class CountOut(Schema):
    ticked: int
