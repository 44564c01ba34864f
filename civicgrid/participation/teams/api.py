"""Grid teams and party members' links over the API: the same selectors, services and
presenters as the pages; every operation declares its policy and the refusals it answers
(docs/architecture.md "One way in"). Service errors (ValidationError → 422, PermissionDenied →
403, Http404 → 404) are answered as JSON by the API root's handlers."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field as SchemaField
from ninja import Query, Router, Schema, Status

from civicgrid.core.policy import LIST, NONE, OBJECT, policy
from civicgrid.core.schemas import errors
from civicgrid.participation.teams import selectors, services
from civicgrid.participation.teams.choices import (
    CONTACT_RECORDERS,
    DEFAULT_COVERAGE_DAYS,
    MAX_COVERAGE_DAYS,
    PARTY_MANAGERS,
    PARTY_READERS,
    TEAM_MANAGERS,
    TEAM_READERS,
)
from civicgrid.participation.teams.presenters import (
    present_contact,
    present_link,
    present_member,
    present_party_member,
    present_team,
    present_uncovered,
)
from civicgrid.participation.teams.schemas import (
    ContactIn,
    ContactOut,
    CoverageOut,
    LeaveIn,
    LinkIn,
    LinkOut,
    PartyMemberDetailOut,
    PartyMemberIn,
    PartyMemberOut,
    TeamGridOut,
    TeamMemberIn,
    TeamMemberOut,
    TeamOut,
)

router = Router(tags=["gridteams"])

MAX_PK = 2**63 - 1
PAGE_MAX = 200


class PageIn(Schema):
    offset: int = SchemaField(0, ge=0, le=10**6)
    limit: int = SchemaField(50, ge=1, le=PAGE_MAX)


class TeamListIn(PageIn):
    q: str = SchemaField("", max_length=30)


class CoverageIn(PageIn):
    days: int = SchemaField(DEFAULT_COVERAGE_DAYS, ge=1, le=MAX_COVERAGE_DAYS)
    code: str = SchemaField("", pattern=r"^\d{0,15}$")


def _pk(pk: int) -> int:
    from django.http import Http404

    if not 0 < pk <= MAX_PK:
        raise Http404
    return pk


@router.get(
    "/grids",
    response={200: list[TeamGridOut], **errors(401, 403, 422)},
    auth=policy(roles=TEAM_READERS, scope=LIST).api,
    summary="我可查看的网格团队",
)
def team_grids(request: HttpRequest, params: Query[TeamListIn]) -> Any:
    grids = selectors.team_grids(request.user, q=params.q)[
        params.offset : params.offset + params.limit
    ]
    return [
        {"id": g.pk, "code": g.code, "name": g.name, "member_count": getattr(g, "member_count", 0)}
        for g in grids
    ]


@router.get(
    "/grids/{pk}",
    response={200: TeamOut, **errors(401, 403, 404, 422)},
    auth=policy(roles=TEAM_READERS, scope=OBJECT).api,
    summary="网格团队:网格员和成员",
)
def team_detail(request: HttpRequest, pk: int) -> Any:
    grid = selectors.access_team_grid(request.user, _pk(pk))
    return present_team(selectors.team_of(grid))


@router.post(
    "/grids/{pk}/members",
    response={201: TeamMemberOut, **errors(401, 403, 404, 422)},
    auth=policy(roles=TEAM_MANAGERS, scope=OBJECT).api,
    summary="加入网格团队成员",
)
def member_add(request: HttpRequest, pk: int, payload: TeamMemberIn) -> Any:
    grid = selectors.access_team_grid(request.user, _pk(pk))
    member = services.team_member_add(
        actor=request.user,
        grid=grid,
        role=payload.role,
        user=payload.user,
        person=payload.person,
        name=payload.name,
        work_phone=payload.work_phone,
        public=payload.public,
        since=payload.since,
    )
    return Status(201, present_member(member))


@router.post(
    "/members/{pk}/leave",
    response={200: TeamMemberOut, **errors(401, 403, 404, 422)},
    auth=policy(roles=TEAM_MANAGERS, scope=OBJECT).api,
    summary="成员退出团队(保留记录)",
)
def member_leave(request: HttpRequest, pk: int, payload: LeaveIn) -> Any:
    member = selectors.access_member(request.user, _pk(pk), for_write=True)
    member = services.team_member_leave(actor=request.user, member=member, until=payload.until)
    return present_member(member)


@router.get(
    "/party-members",
    response={200: list[PartyMemberOut], **errors(401, 403, 422)},
    auth=policy(roles=PARTY_READERS, scope=LIST).api,
    summary="联系户党员",
)
def party_members(request: HttpRequest, params: Query[PageIn]) -> Any:
    rows = selectors.party_members(request.user)[params.offset : params.offset + params.limit]
    return [present_party_member(r) for r in rows]


@router.post(
    "/party-members",
    response={201: PartyMemberOut, **errors(401, 403, 422)},
    auth=policy(roles=PARTY_MANAGERS, scope=NONE).api,
    summary="登记联系户党员",
)
def party_member_add(request: HttpRequest, payload: PartyMemberIn) -> Any:
    row = services.party_member_add(
        actor=request.user,
        person=payload.person,
        user=payload.user,
        grid=payload.grid,
        branch=payload.branch,
    )
    return Status(201, present_party_member(row))


@router.get(
    "/party-members/{pk}",
    response={200: PartyMemberDetailOut, **errors(401, 403, 404, 422)},
    auth=policy(roles=PARTY_READERS, scope=OBJECT).api,
    summary="党员的联系户和联系记录",
)
def party_member_detail(request: HttpRequest, pk: int) -> Any:
    row = selectors.access_party_member(request.user, _pk(pk))
    return {
        "member": present_party_member(row),
        "links": [present_link(link, user=request.user) for link in selectors.member_links(row)],
        "contacts": [present_contact(c) for c in selectors.member_contacts(row)],
    }


@router.post(
    "/party-members/{pk}/links",
    response={201: LinkOut, **errors(401, 403, 404, 422)},
    auth=policy(roles=PARTY_MANAGERS, scope=OBJECT).api,
    summary="添加联系户",
)
def link_add(request: HttpRequest, pk: int, payload: LinkIn) -> Any:
    row = selectors.access_party_member(request.user, _pk(pk), for_write=True)
    link = services.household_link(
        actor=request.user, party_member=row, household=payload.household
    )
    return Status(201, present_link(link, user=request.user))


@router.post(
    "/links/{pk}/end",
    response={200: LinkOut, **errors(401, 403, 404, 422)},
    auth=policy(roles=PARTY_MANAGERS, scope=OBJECT).api,
    summary="结束联系(保留记录)",
)
def link_end(request: HttpRequest, pk: int) -> Any:
    link = selectors.access_link(request.user, _pk(pk), for_write=True)
    link = services.household_unlink(actor=request.user, link=link)
    return present_link(link, user=request.user)


@router.post(
    "/links/{pk}/contacts",
    response={201: ContactOut, **errors(401, 403, 404, 422)},
    auth=policy(roles=CONTACT_RECORDERS, scope=OBJECT).api,
    summary="记录一次联系(上门/电话/微信)",
)
def contact_add(request: HttpRequest, pk: int, payload: ContactIn) -> Any:
    link = selectors.access_link(request.user, _pk(pk), for_write=True)
    contact = services.contact_record(
        actor=request.user,
        link=link,
        contacted_on=payload.contacted_on,
        way=payload.way,
        note=payload.note,
        issues=payload.issues,
        raise_case=payload.raise_case.dict() if payload.raise_case else None,
    )
    return Status(201, present_contact(contact))


@router.get(
    "/coverage",
    response={200: CoverageOut, **errors(401, 403, 422)},
    auth=policy(roles=PARTY_READERS, scope=LIST).api,
    summary="党员联系户覆盖:按网格统计和未覆盖住户",
)
def coverage(request: HttpRequest, params: Query[CoverageIn]) -> Any:
    found = selectors.coverage(request.user, code=params.code, days=params.days)
    page = found.uncovered[params.offset : params.offset + params.limit]
    return {
        "days": found.days,
        "code": found.code,
        "rows": found.rows,
        "totals": found.totals,
        "uncovered": [present_uncovered(h, user=request.user) for h in page],
        "uncovered_count": found.uncovered.count(),
    }
