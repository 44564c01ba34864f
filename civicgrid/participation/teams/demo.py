"""Demo grid teams and party members' household links: a team per demo grid (its grid worker(s)
come from their scopes; a 民警 and a 城管队员 from the demo department accounts of the grid's
district; a 楼栋长 and a party member from the grid's ledger), party members linked to 3–8
households of their community with contacts over the last months. Some households stay
uncovered so the coverage page shows something real."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any, TextIO

from django.utils import timezone

from civicgrid.accounts.choices import Role
from civicgrid.accounts.models import User
from civicgrid.geo.models import Grid
from civicgrid.participation.teams.choices import ContactWay, MemberKind, TeamRole
from civicgrid.participation.teams.models import (
    HouseholdLink,
    PartyContact,
    PartyMember,
    TeamMember,
)
from civicgrid.registry.models import Household, Person

NOTES = [
    "了解家庭近况,无特殊困难",
    "宣传垃圾分类和消防安全",
    "老人身体尚可,提醒按时服药",
    "询问孩子入学情况",
    "转达社区活动通知",
]
ISSUES = ["", "", "", "楼道灯不亮", "下水道堵塞", "邻里噪音纠纷"]


def _handler(users: list[User], code_prefix: str, district: str) -> User | None:
    for user in users:
        dept = user.department
        if (
            dept is not None
            and dept.code.split("-")[0] == code_prefix
            and district.startswith(dept.region_code)
        ):
            return user
    return None


def build_teams(city: Any, stdout: TextIO | None = None) -> dict[str, int]:
    rng = random.Random(city.rng.randint(0, 2**31))
    today = timezone.localdate()
    recorder = User.objects.filter(role=Role.SECRETARY).order_by("pk").first()
    handlers = list(
        User.objects.filter(role=Role.DEPARTMENT, is_active=True)
        .select_related("department")
        .order_by("pk")
    )
    members: list[TeamMember] = []
    party: list[PartyMember] = []
    for grid in Grid.objects.current().order_by("code"):
        since = today - timedelta(days=rng.randint(60, 400))
        for prefix, role in (("gaj", TeamRole.POLICE), ("cgj", TeamRole.URBAN)):
            user = _handler(handlers, prefix, grid.code)
            if user is not None:
                members.append(
                    TeamMember(
                        grid=grid,
                        grid_code=grid.code,
                        kind=MemberKind.DEPARTMENT,
                        role=role,
                        user=user,
                        name=user.full_name or user.username,
                        work_phone=f"08518{rng.randint(5000000, 8999999)}",
                        public=True,
                        since=since,
                    )
                )
        people = list(Person.objects.filter(grid=grid).current().order_by("pk")[:40])
        if not people:
            continue
        head = rng.choice(people)
        members.append(
            TeamMember(
                grid=grid,
                grid_code=grid.code,
                kind=MemberKind.COMMUNITY,
                role=TeamRole.BUILDING_HEAD,
                person=head,
                name=head.name,
                work_phone=f"139{rng.randint(10000000, 99999999)}",
                public=True,
                since=since,
            )
        )
        party_people = [p for p in people if p.is_party_member and p.pk != head.pk]
        if party_people:
            chosen = party_people[0]
            members.append(
                TeamMember(
                    grid=grid,
                    grid_code=grid.code,
                    kind=MemberKind.COMMUNITY,
                    role=TeamRole.PARTY,
                    person=chosen,
                    name=chosen.name,
                    public=rng.random() < 0.7,
                    since=since,
                )
            )
            party.append(
                PartyMember(
                    grid=grid,
                    grid_code=grid.code,
                    person=chosen,
                    name=chosen.name,
                    branch=f"{grid.name}党支部",
                    since=since,
                )
            )
    TeamMember.objects.bulk_create(members, batch_size=500)
    PartyMember.objects.bulk_create(party, batch_size=500)

    links: list[HouseholdLink] = []
    for member in PartyMember.objects.order_by("pk"):
        # Households of the member's community, the own grid first: 3–8 each, leaving the
        # rest uncovered.
        pool = list(
            Household.objects.filter(grid_code__startswith=member.grid_code[:12])
            .current()
            .order_by("grid_code", "pk")
            .values_list("pk", "grid_code")[:60]
        )
        rng.shuffle(pool)
        pool.sort(key=lambda h: h[1] != member.grid_code)
        taken = {pk for link in links for pk in [link.household_id]}
        picks = [h for h in pool if h[0] not in taken][: rng.randint(3, 8)]
        for pk, code in picks:
            links.append(
                HouseholdLink(
                    party_member=member, household_id=pk, grid_code=code, since=member.since
                )
            )
    HouseholdLink.objects.bulk_create(links, batch_size=500)

    contacts: list[PartyContact] = []
    if recorder is not None:
        for link in HouseholdLink.objects.order_by("pk"):
            # Most links had a contact within the quarter, some only long ago, some never.
            for _ in range(rng.choice([0, 1, 1, 2, 3])):
                contacts.append(
                    PartyContact(
                        link=link,
                        household_id=link.household_id,
                        grid_code=link.grid_code,
                        contacted_on=today - timedelta(days=rng.randint(1, 170)),
                        way=rng.choice(ContactWay.values),
                        note=rng.choice(NOTES),
                        issues=rng.choice(ISSUES),
                        recorded_by=recorder,
                    )
                )
        PartyContact.objects.bulk_create(contacts, batch_size=500)
    counts = {
        "team_members": len(members),
        "party_members": len(party),
        "household_links": len(links),
        "party_contacts": len(contacts),
    }
    if stdout is not None:
        stdout.write(
            f"grid teams: {counts['team_members']} members, {counts['party_members']} party "
            f"members, {counts['household_links']} household links, "
            f"{counts['party_contacts']} contacts\n"
        )
    return counts
