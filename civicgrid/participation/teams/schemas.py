from __future__ import annotations

from datetime import date

from ninja import Field, Schema

from civicgrid.participation.teams.choices import ContactWay, TeamRole


class TeamGridOut(Schema):
    id: int
    code: str
    name: str
    member_count: int


class WorkerOut(Schema):
    id: int
    name: str
    role: str
    role_display: str
    work_phone: str


class TeamMemberOut(Schema):
    id: int
    grid_code: str
    kind: str
    kind_display: str
    role: str
    role_display: str
    name: str
    department: str
    user_id: int | None
    person_id: int | None
    work_phone: str
    public: bool
    since: date
    until: date | None
    current: bool


class GridRefOut(Schema):
    id: int
    code: str
    name: str


class TeamOut(Schema):
    grid: GridRefOut
    workers: list[WorkerOut]
    members: list[TeamMemberOut]


class TeamMemberIn(Schema):
    role: TeamRole
    user: int | None = Field(None, ge=1, le=2**53)
    person: int | None = Field(None, ge=1, le=2**53)
    name: str = Field("", max_length=50)
    work_phone: str = Field("", max_length=20)
    public: bool = False
    since: date | None = None


class LeaveIn(Schema):
    until: date | None = None


class PartyMemberOut(Schema):
    id: int
    name: str
    grid_code: str
    grid_name: str
    branch: str
    is_staff_account: bool
    since: date
    link_count: int | None


class PartyMemberIn(Schema):
    person: int | None = Field(None, ge=1, le=2**53)
    user: int | None = Field(None, ge=1, le=2**53)
    grid: int | None = Field(None, ge=1, le=2**53)
    branch: str = Field("", max_length=100)


class HouseholdRefOut(Schema):
    id: int
    label: str
    head_name: str
    building: str
    grid_code: str


class LinkOut(Schema):
    id: int
    party_member_id: int
    household: HouseholdRefOut
    since: date
    until: date | None


class LinkIn(Schema):
    household: int = Field(..., ge=1, le=2**53)


class ContactOut(Schema):
    id: int
    link_id: int
    household_id: int
    contacted_on: date
    way: str
    way_display: str
    note: str
    issues: str
    case_number: str


class RaiseCaseIn(Schema):
    category: int = Field(..., ge=1, le=2**53)
    description: str = Field("", max_length=1000)


class ContactIn(Schema):
    contacted_on: date | None = None
    way: ContactWay
    note: str = Field("", max_length=1000)
    issues: str = Field("", max_length=1000)
    raise_case: RaiseCaseIn | None = None


class PartyMemberDetailOut(Schema):
    member: PartyMemberOut
    links: list[LinkOut]
    contacts: list[ContactOut]


class CoverageRowOut(Schema):
    grid_code: str
    grid_name: str
    total: int
    with_link: int
    without_link: int
    with_contact: int
    without_contact: int


class UncoveredOut(Schema):
    id: int
    grid_code: str
    label: str
    head_name: str
    building: str
    linked: bool
    contacted: bool


class CoverageOut(Schema):
    days: int
    code: str
    rows: list[CoverageRowOut]
    totals: dict[str, int]
    uncovered: list[UncoveredOut]
    uncovered_count: int
