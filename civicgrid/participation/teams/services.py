"""Writes of grid teams and party members' household links.

Every write checks the scope of every object it touches (docs/architecture.md "One way in",
rule 8): the grid, the department account, the person or household named by ID. A target the
actor may not see is answered exactly like a missing one. Errors are ``ValidationError`` with a
Chinese message per field; pages and the API show them as they are."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicgrid.accounts.choices import Role
from civicgrid.accounts.models import User
from civicgrid.geo.models import Grid
from civicgrid.participation.teams.choices import (
    COMMUNITY_ROLES,
    CONTACT_RECORDERS,
    DEPARTMENT_ROLES,
    PARTY_MANAGERS,
    TEAM_MANAGERS,
    ContactWay,
    MemberKind,
)
from civicgrid.participation.teams.models import (
    HouseholdLink,
    PartyContact,
    PartyMember,
    TeamMember,
)
from civicgrid.registry.identity import normalise_phone
from civicgrid.registry.models import Household, Person

NAME_MAX = 50
TEXT_MAX = 1000
# Contacts are entered after the fact, but not years after: older entries would rewrite coverage.
MAX_CONTACT_AGE = timedelta(days=366)


def _may(actor: Any, roles: frozenset[Any]) -> None:
    if not (actor.is_superuser or actor.role in roles):
        raise PermissionDenied


def _grid_for_write(actor: Any, grid: Any, roles: frozenset[Any]) -> Grid:
    _may(actor, roles)
    pk = getattr(grid, "pk", grid)
    found = Grid.objects.visible_to(actor).current().filter(pk=pk).first() if pk else None
    if found is None or not actor.in_scope(found.code, reads="ledgers"):
        raise ValidationError({"grid": _("网格不存在或不在您的管辖范围内")})
    return found


def _name(value: str, field: str = "name") -> str:
    name = " ".join((value or "").split())
    if not name:
        raise ValidationError({field: _("请填写姓名")})
    if len(name) > NAME_MAX:
        raise ValidationError({field: _("姓名不能超过 50 个字")})
    return name


def _phone(value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    try:
        phone = normalise_phone(value)
    except ValidationError as exc:
        raise ValidationError({"work_phone": exc.messages}) from exc
    if len(phone) > 20:
        raise ValidationError({"work_phone": _("电话号码格式不正确")})
    return phone


def _since(value: date | None) -> date:
    today = timezone.localdate()
    if value is None:
        return today
    if value > today + timedelta(days=31):
        raise ValidationError({"since": _("加入日期不能晚于一个月后")})
    return value


def team_member_add(
    *,
    actor: Any,
    grid: Any,
    role: str,
    user: Any = None,
    person: Any = None,
    name: str = "",
    work_phone: str = "",
    public: bool = False,
    since: date | None = None,
) -> TeamMember:
    """Add a member to ``grid``'s team. A department role takes a department account whose
    department serves the grid (its region code is a prefix of the grid's code); a community
    role takes a name and work phone, optionally a person of this grid's ledger."""
    grid = _grid_for_write(actor, grid, TEAM_MANAGERS)
    member = TeamMember(grid=grid, role=role, public=bool(public), since=_since(since))
    member.created_by = actor
    if role in DEPARTMENT_ROLES:
        pk = getattr(user, "pk", user)
        account = (
            User.objects.filter(pk=pk, role=Role.DEPARTMENT, is_active=True)
            .select_related("department")
            .first()
            if pk
            else None
        )
        dept = account.department if account is not None else None
        if account is None or dept is None or dept.retired_on is not None:
            raise ValidationError({"user": _("请选择职能部门的在岗账号")})
        if not grid.code.startswith(dept.region_code):
            raise ValidationError(
                {"user": _("“%(dept)s”不负责该网格所在区域") % {"dept": dept.name}}
            )
        if TeamMember.objects.current().filter(grid=grid, user=account).exists():
            raise ValidationError({"user": _("该人员已在本网格团队中")})
        member.kind = MemberKind.DEPARTMENT
        member.user = account
        member.name = account.full_name or account.username
        # A member's own account phone is never published: the work phone typed for the team,
        # or the department's public number.
        member.work_phone = _phone(work_phone or dept.phone or "")
    elif role in COMMUNITY_ROLES:
        member.kind = MemberKind.COMMUNITY
        if person:
            pk = getattr(person, "pk", person)
            found = Person.objects.visible_to(actor).current().filter(pk=pk).first()
            if found is None or found.grid_id != grid.pk:
                raise ValidationError({"person": _("本网格台账中没有该人员")})
            member.person = found
            name = name or found.name
        member.name = _name(name)
        member.work_phone = _phone(work_phone)
    else:
        raise ValidationError({"role": _("请选择团队角色")})
    member.save()
    return member


def team_member_leave(*, actor: Any, member: TeamMember, until: date | None = None) -> TeamMember:
    """Leaving keeps the record (rule 4): the member gets an end date."""
    _grid_for_write(actor, member.grid_id, TEAM_MANAGERS)
    if member.until is not None and member.until <= timezone.localdate():
        raise ValidationError({"until": _("该成员已退出团队")})
    until = until or timezone.localdate()
    if until < member.since:
        raise ValidationError({"until": _("退出日期不能早于加入日期")})
    member.until = until
    member.save(update_fields=["until"])
    return member


# --- party members -------------------------------------------------------------------------


def party_member_add(
    *,
    actor: Any,
    person: Any = None,
    user: Any = None,
    grid: Any = None,
    branch: str = "",
    since: date | None = None,
) -> PartyMember:
    """Register a party member who keeps in touch with households: a person of the ledger
    whose political status says party member, or a staff account working in ``grid``."""
    _may(actor, PARTY_MANAGERS)
    branch = " ".join((branch or "").split())
    if len(branch) > 100:
        raise ValidationError({"branch": _("党支部名称不能超过 100 个字")})
    row = PartyMember(branch=branch, since=_since(since))
    if person:
        pk = getattr(person, "pk", person)
        found = Person.objects.visible_to(actor).current().filter(pk=pk).select_related("grid")
        found_person = found.first()
        if found_person is None:
            raise ValidationError({"person": _("人员不存在或不在您的管辖范围内")})
        if not found_person.is_party_member:
            raise ValidationError({"person": _("该人员的政治面貌不是党员")})
        row.person = found_person
        row.name = found_person.name
        row.grid = _grid_for_write(actor, found_person.grid_id, PARTY_MANAGERS)
    elif user:
        row.grid = _grid_for_write(actor, grid, PARTY_MANAGERS)
        pk = getattr(user, "pk", user)
        account = User.objects.filter(pk=pk, is_active=True).exclude(role=Role.RESIDENT).first()
        if account is None:
            raise ValidationError({"user": _("请选择在岗的工作人员账号")})
        # A community's own staff only: the account works somewhere in the grid's community.
        community = row.grid.code[:12]
        codes = account.scope_codes
        if not account.is_superuser and not any(
            c.startswith(community) or community.startswith(c) for c in codes
        ):
            raise ValidationError({"user": _("该工作人员不在本社区工作")})
        row.user = account
        row.name = account.full_name or account.username
    else:
        raise ValidationError({"person": _("请选择台账中的党员或工作人员账号")})
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError as exc:
        raise ValidationError({"person": _("该党员已登记")}) from exc
    return row


def household_link(
    *, actor: Any, party_member: PartyMember, household: Any, since: date | None = None
) -> HouseholdLink:
    """Link a household of the same community to a party member."""
    _may(actor, PARTY_MANAGERS)
    if not PartyMember.objects.visible_to(actor).current().filter(pk=party_member.pk).exists():
        raise ValidationError({"party_member": _("党员不存在或不在您的管辖范围内")})
    pk = getattr(household, "pk", household)
    found = Household.objects.visible_to(actor).current().filter(pk=pk).first() if pk else None
    if found is None:
        raise ValidationError({"household": _("住户不存在或不在您的管辖范围内")})
    if found.grid_code[:12] != party_member.community_code:
        raise ValidationError({"household": _("只能联系本社区的住户")})
    try:
        with transaction.atomic():
            return HouseholdLink.objects.create(
                party_member=party_member, household=found, since=_since(since)
            )
    except IntegrityError as exc:
        raise ValidationError({"household": _("该住户已由这名党员联系")}) from exc


def household_unlink(*, actor: Any, link: HouseholdLink) -> HouseholdLink:
    _may(actor, PARTY_MANAGERS)
    if not HouseholdLink.objects.visible_to(actor).filter(pk=link.pk).exists():
        raise ValidationError({"link": _("联系户不存在或不在您的管辖范围内")})
    if link.until is not None:
        raise ValidationError({"link": _("该联系已结束")})
    link.until = timezone.localdate()
    link.save(update_fields=["until"])
    return link


def _text(value: str, field: str) -> str:
    value = (value or "").strip()
    if len(value) > TEXT_MAX:
        raise ValidationError({field: _("不能超过 1000 个字")})
    return value


@transaction.atomic
def contact_record(
    *,
    actor: Any,
    link: HouseholdLink,
    contacted_on: date | None,
    way: str,
    note: str = "",
    issues: str = "",
    raise_case: dict[str, Any] | None = None,
) -> PartyContact:
    """Record a contact like a visit: the household must be visible to the recorder, the date
    not in the future nor over a year back; issues found may raise a case through the one
    intake (cases.services.case_report), located at the household's building."""
    _may(actor, CONTACT_RECORDERS)
    found = (
        HouseholdLink.objects.visible_to(actor)
        .current()
        .select_related("household__dwelling__building")
        .filter(pk=link.pk)
        .first()
    )
    if found is None:
        raise ValidationError({"link": _("联系户不存在或不在您的管辖范围内")})
    link = found
    today = timezone.localdate()
    contacted_on = contacted_on or today
    if contacted_on > today:
        raise ValidationError({"contacted_on": _("联系日期不能晚于今天")})
    if contacted_on < today - MAX_CONTACT_AGE:
        raise ValidationError({"contacted_on": _("联系日期不能早于一年前")})
    if way not in ContactWay.values:
        raise ValidationError({"way": _("请选择联系方式:上门、电话或微信")})
    note = _text(note, "note")
    issues = _text(issues, "issues")
    if not note and not issues:
        raise ValidationError({"note": _("请填写联系情况")})
    case = None
    if raise_case:
        case = _raise_case(actor, link, raise_case, issues or note)
    return PartyContact.objects.create(
        link=link,
        contacted_on=contacted_on,
        way=way,
        note=note,
        issues=issues,
        case=case,
        recorded_by=actor,
    )


def _raise_case(actor: Any, link: HouseholdLink, data: dict[str, Any], text: str) -> Any:
    from civicgrid.cases.choices import Channel
    from civicgrid.cases.models import Category
    from civicgrid.cases.services import case_report

    category = data.get("category")
    if not isinstance(category, Category):
        try:
            category = Category.objects.current().minors().filter(pk=int(category or 0)).first()
        except (TypeError, ValueError):
            category = None
    if category is None:
        raise ValidationError({"category": _("未知的事件小类")})
    household = link.household
    building = household.dwelling.building if household.dwelling_id else None
    # Where the problem is: the household's building (its address, never the room: the case
    # travels to departments), else the household's grid.
    return case_report(
        channel=Channel.GRID_WORKER,
        category=category,
        description=str(data.get("description") or text),
        lat=building.lat if building is not None else None,
        lng=building.lng if building is not None else None,
        address=building.address if building is not None else "",
        actor=actor,
        grid=household.grid if building is None or building.lat is None else None,
    )
