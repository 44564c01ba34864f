"""The one place where volunteer work changes (docs/architecture.md "Volunteers"). Pages and
the API both call these functions; each checks the scope of every object it touches and raises
``ValidationError`` with a Chinese message that the caller shows as is."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from pyproj import Geod

from civicgrid.core.audit import audit_record
from civicgrid.core.pii import blind_index
from civicgrid.geo.models import Region
from civicgrid.notifications.services import notify
from civicgrid.participation.volunteers.choices import (
    CHECKIN_RADIUS_M_DEFAULT,
    MAX_HOURS_PER_ACTIVITY,
    ActivityStatus,
    CheckinMethod,
    SignupStatus,
)
from civicgrid.participation.volunteers.models import Activity, Signup, Team, Volunteer

_GEOD = Geod(ellps="WGS84")


def distance_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Distance on the ellipsoid in metres (never in degrees, ARCHITECTURE stack)."""
    _az, _back, dist = _GEOD.inv(lng1, lat1, lng2, lat2)
    return float(dist)


def _community(code: str) -> Region:
    found = Region.objects.filter(code=code, level="community", retired_on__isnull=True).first()
    if found is None:
        raise ValidationError(_("社区编码无效"))
    return found


def _check_in_scope(actor: Any, code: str) -> None:
    """Writes check the jurisdiction of every object they touch (docs/architecture.md "One way
    in"): out of scope answers like a missing object."""
    if not actor.in_scope(code, reads="ledgers"):
        raise Http404


def _text(value: str, field: str, limit: int, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("此项必填")})
    if len(value) > limit:
        raise ValidationError({field: _("不能超过 %(n)d 个字") % {"n": limit}})
    return value


# --- teams and volunteers --------------------------------------------------------------------


def team_save(
    *,
    actor: Any,
    community_code: str,
    name: str,
    kind: str,
    description: str = "",
    leader: Volunteer | None = None,
    team: Team | None = None,
) -> Team:
    _community(community_code)
    _check_in_scope(actor, community_code)
    if team is not None:
        _check_in_scope(actor, team.community_code)
        if team.community_code != community_code:
            # Its activities and hours belong to the community they were done in.
            raise ValidationError({"community": _("队伍所属社区不能修改")})
    if leader is not None and leader.community_code != community_code:
        raise ValidationError({"leader": _("队长须是本社区的志愿者")})
    team = team or Team(community_code=community_code)
    team.community_code = community_code
    team.name = _text(name, "name", 50)
    team.kind = kind
    team.description = _text(description, "description", 1000, required=False)
    team.leader = leader
    try:
        with transaction.atomic():
            team.save()
    except IntegrityError as exc:
        raise ValidationError({"name": _("本社区已有同名队伍")}) from exc
    return team


def volunteer_register(
    *,
    actor: Any,
    community_code: str,
    name: str,
    phone: str = "",
    skills: str = "",
    teams: list[Team] | None = None,
    user: Any = None,
    person: Any = None,
) -> Volunteer:
    """Staff register an outside person (or a resident) as a volunteer of their community."""
    _community(community_code)
    _check_in_scope(actor, community_code)
    for team in teams or []:
        if team.community_code != community_code:
            raise ValidationError({"teams": _("只能加入本社区的队伍")})
    if person is not None and not actor.in_scope(person.grid_code, reads="ledgers"):
        raise Http404
    phone = _phone(phone)
    volunteer = Volunteer.objects.create(
        community_code=community_code,
        name=_text(name, "name", 50),
        phone=phone,
        phone_index=blind_index(phone, purpose="volunteer-phone") if phone else "",
        skills=_text(skills, "skills", 200, required=False),
        user=user,
        person=person,
    )
    if teams:
        volunteer.teams.set(teams)
    return volunteer


def volunteer_update(
    *,
    volunteer: Volunteer,
    actor: Any,
    name: str,
    skills: str,
    teams: list[Team],
    phone: str = "",
    retire: bool = False,
) -> Volunteer:
    """Staff correct a volunteer's record. An empty phone keeps the stored one (the page only
    ever shows it masked); leaving is a date, never a deletion (rule 4)."""
    _check_in_scope(actor, volunteer.community_code)
    for team in teams:
        if team.community_code != volunteer.community_code:
            raise ValidationError({"teams": _("只能加入本社区的队伍")})
    volunteer.name = _text(name, "name", 50)
    volunteer.skills = _text(skills, "skills", 200, required=False)
    phone = _phone(phone)
    if phone:
        volunteer.phone = phone
        volunteer.phone_index = blind_index(phone, purpose="volunteer-phone")
    if retire and volunteer.retired_on is None:
        volunteer.retired_on = timezone.localdate()
    volunteer.save()
    volunteer.teams.set(teams)
    return volunteer


def phone_valid(value: str) -> bool:
    """Whether ``value`` (spaces removed) is a phone a volunteer may give: 7 to 15 digits."""
    value = "".join((value or "").split())
    return value.isdigit() and 7 <= len(value) <= 15


def _phone(value: str) -> str:
    value = "".join((value or "").split())
    if value and not phone_valid(value):
        raise ValidationError({"phone": _("电话号码应为 7 到 15 位数字")})
    return value


def resident_profile(user: Any, community_code: str, *, phone: str = "") -> Volunteer:
    """The signed-in resident's volunteer record in a community, created on first sign-up."""
    # Checked even when the record exists: a number typed in and then dropped without a word
    # leaves the resident believing the community can call them.
    phone = _phone(phone)
    found = Volunteer.objects.filter(user=user, community_code=community_code).first()
    if found is not None:
        if found.retired_on is not None:
            raise ValidationError(_("您已退出本社区志愿者队伍,请联系社区恢复"))
        return found
    try:
        with transaction.atomic():
            return Volunteer.objects.create(
                community_code=community_code,
                user=user,
                name=(user.full_name or user.username)[:50],
                phone=phone,
                phone_index=blind_index(phone, purpose="volunteer-phone") if phone else "",
            )
    except IntegrityError:
        return Volunteer.objects.get(user=user, community_code=community_code)


# --- activities ------------------------------------------------------------------------------


def _linked_case(actor: Any, code: str, pk: Any) -> Any:
    from civicgrid.cases.models import Case

    found = Case.objects.visible_to(actor).filter(pk=pk).first() if pk else None
    if found is None or not found.grid_code.startswith(code):
        raise ValidationError({"case": _("关联事件不存在或不属于本社区")})
    return found


def _linked_task(actor: Any, code: str, pk: Any) -> Any:
    from civicgrid.fieldwork.models import GridTask

    found = GridTask.objects.visible_to(actor).filter(pk=pk).first() if pk else None
    # A task issued by the street (or the community itself) reaches this community's grids.
    if found is None or not (
        code.startswith(found.region_code) or found.region_code.startswith(code)
    ):
        raise ValidationError({"task": _("关联网格任务不存在或不属于本社区")})
    return found


def activity_create(
    *,
    actor: Any,
    team: Team,
    title: str,
    date: date,
    starts_at: time,
    ends_at: time,
    place: str,
    places: int,
    lat: float | None = None,
    lng: float | None = None,
    description: str = "",
    checkin_radius_m: int | None = None,
    case_id: int | None = None,
    task_id: int | None = None,
) -> Activity:
    _check_in_scope(actor, team.community_code)
    if team.retired_on is not None:
        raise ValidationError({"team": _("该队伍已解散")})
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("结束时间须晚于开始时间")})
    if date < timezone.localdate():
        raise ValidationError({"date": _("活动日期不能早于今天")})
    if not 1 <= int(places) <= 1000:
        raise ValidationError({"places": _("名额应在 1 到 1000 之间")})
    if (lat is None) != (lng is None):
        raise ValidationError({"lat": _("经纬度须同时填写")})
    if lat is not None and lng is not None and not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise ValidationError({"lat": _("经纬度超出范围")})
    default_radius: int = getattr(settings, "VOLUNTEER_CHECKIN_RADIUS_M", CHECKIN_RADIUS_M_DEFAULT)
    radius = checkin_radius_m or default_radius
    if not 50 <= radius <= 5000:
        raise ValidationError({"checkin_radius_m": _("签到范围应在 50 到 5000 米之间")})
    return Activity.objects.create(
        team=team,
        community_code=team.community_code,
        title=_text(title, "title", 100),
        date=date,
        starts_at=starts_at,
        ends_at=ends_at,
        place=_text(place, "place", 200),
        lat=lat,
        lng=lng,
        places=int(places),
        checkin_radius_m=radius,
        description=_text(description, "description", 2000, required=False),
        case=_linked_case(actor, team.community_code, case_id) if case_id else None,
        task=_linked_task(actor, team.community_code, task_id) if task_id else None,
        created_by=actor,
    )


def activity_update(
    *,
    activity: Activity,
    actor: Any,
    changes: dict[str, Any],
) -> Activity:
    """Correct a published activity (docs/architecture.md "Volunteers"). ``changes`` holds only
    the fields to change (the page sends them all, the API's PATCH what it was given); a
    ``case_id``/``task_id`` of ``None`` removes the link. The row is locked so that the places
    are never set below the sign-ups counted in the same transaction. Moving the date or the
    time tells every signed-up volunteer who has an account, once per change."""
    _check_in_scope(actor, activity.community_code)
    with transaction.atomic():
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        if locked.status != ActivityStatus.OPEN:
            raise ValidationError(_("活动已结束或已取消,不能修改"))
        before = (locked.date, locked.starts_at, locked.ends_at)
        team = changes.get("team", locked.team)
        if team.pk != locked.team_id:
            _check_in_scope(actor, team.community_code)
            # Its sign-ups and hours belong to the community the activity is in.
            if team.community_code != locked.community_code:
                raise ValidationError({"team": _("只能改为本社区的队伍")})
            if team.retired_on is not None:
                raise ValidationError({"team": _("该队伍已解散")})
            locked.team = team
        for field, limit, required in (
            ("title", 100, True),
            ("place", 200, True),
            ("description", 2000, False),
        ):
            if field in changes:
                setattr(locked, field, _text(changes[field], field, limit, required=required))
        for field in ("date", "starts_at", "ends_at"):
            if changes.get(field) is not None:
                setattr(locked, field, changes[field])
        if locked.ends_at <= locked.starts_at:
            raise ValidationError({"ends_at": _("结束时间须晚于开始时间")})
        moved = (locked.date, locked.starts_at, locked.ends_at) != before
        if moved and locked.date < timezone.localdate():
            raise ValidationError({"date": _("活动日期不能早于今天")})
        if changes.get("places") is not None:
            places = int(changes["places"])
            if not 1 <= places <= 1000:
                raise ValidationError({"places": _("名额应在 1 到 1000 之间")})
            taken = places_taken(locked)
            if places < taken:
                raise ValidationError(
                    {"places": _("已有 %(n)d 人报名,名额不能少于 %(n)d") % {"n": taken}}
                )
            locked.places = places
        if "lat" in changes or "lng" in changes:
            lat, lng = changes.get("lat"), changes.get("lng")
            if (lat is None) != (lng is None):
                raise ValidationError({"lat": _("经纬度须同时填写")})
            if (
                lat is not None
                and lng is not None
                and not (-90 <= lat <= 90 and -180 <= lng <= 180)
            ):
                raise ValidationError({"lat": _("经纬度超出范围")})
            locked.lat, locked.lng = lat, lng
        if changes.get("checkin_radius_m") is not None:
            radius = int(changes["checkin_radius_m"])
            if not 50 <= radius <= 5000:
                raise ValidationError({"checkin_radius_m": _("签到范围应在 50 到 5000 米之间")})
            locked.checkin_radius_m = radius
        # A link is checked like at creation, but only when it changes: keeping a link made by
        # a colleague does not require reading that case oneself.
        if "case_id" in changes and changes["case_id"] != locked.case_id:
            pk = changes["case_id"]
            locked.case = _linked_case(actor, locked.community_code, pk) if pk else None
        if "task_id" in changes and changes["task_id"] != locked.task_id:
            pk = changes["task_id"]
            locked.task = _linked_task(actor, locked.community_code, pk) if pk else None
        locked.save()
        if moved:
            _tell_moved(locked, before)
    return locked


def _tell_moved(activity: Activity, before: tuple[date, time, time]) -> None:
    people = [
        row.volunteer.user
        for row in Signup.objects.filter(
            activity=activity, status=SignupStatus.SIGNED, volunteer__user__isnull=False
        ).select_related("volunteer__user")
    ]
    if not people:
        return

    def shown(when: tuple[date, time, time]) -> str:
        return f"{when[0]:%Y-%m-%d} {when[1]:%H:%M}–{when[2]:%H:%M}"

    now = (activity.date, activity.starts_at, activity.ends_at)
    # Plain text: the inbox and the outside channels escape it when they show it.
    notify(
        recipients=people,
        kind="volunteer_activity",
        title=_("志愿活动时间变更:%(title)s") % {"title": activity.title},
        body=_("原定 %(before)s,改为 %(now)s;地点:%(place)s")
        % {"before": shown(before), "now": shown(now), "place": activity.place},
        url=reverse("volunteers:activity", kwargs={"pk": activity.pk}),
        target=activity,
        # One message per change: the key names the move, so a repeated save of the same
        # times sends nothing more, and each later move is told again.
        dedupe_key=f"volunteer-moved:{activity.pk}:{shown(before)}>{shown(now)}",
    )


def activity_cancel(*, activity: Activity, actor: Any) -> Activity:
    """Call an activity off before it ends; sign-ups stay on record, no hours are credited."""
    _check_in_scope(actor, activity.community_code)
    with transaction.atomic():
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        if locked.status != ActivityStatus.OPEN:
            raise ValidationError(_("活动已结束或已取消"))
        if timezone.now() > locked.end:
            raise ValidationError(_("活动已结束,请结项"))
        locked.status = ActivityStatus.CANCELLED
        locked.closed_by = actor
        locked.closed_at = timezone.now()
        locked.save(update_fields=["status", "closed_by", "closed_at"])
    return locked


def places_taken(activity: Activity) -> int:
    return activity.signups.filter(status=SignupStatus.SIGNED).count()


def signup(*, activity: Activity, volunteer: Volunteer, actor: Any) -> Signup:
    """Take one place. The activity row is locked for the count and the insert, so two
    simultaneous sign-ups for the last place give exactly one success (PostgreSQL row lock;
    SQLite serialises writers anyway)."""
    if volunteer.retired_on is not None:
        raise ValidationError(_("该志愿者已退出"))
    with transaction.atomic():
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        if locked.status != ActivityStatus.OPEN:
            raise ValidationError(_("活动已结束或已取消,不能报名"))
        if timezone.now() >= locked.start:
            raise ValidationError(_("活动已开始,报名已截止"))
        existing = Signup.objects.filter(activity=locked, volunteer=volunteer).first()
        if existing is not None and existing.status == SignupStatus.SIGNED:
            raise ValidationError(_("您已报名该活动,无需重复报名"))
        if places_taken(locked) >= locked.places:
            raise ValidationError(_("名额已满"))
        if existing is not None:
            existing.status = SignupStatus.SIGNED
            existing.cancelled_at = None
            existing.signed_by = actor
            existing.save(update_fields=["status", "cancelled_at", "signed_by"])
            return existing
        return Signup.objects.create(activity=locked, volunteer=volunteer, signed_by=actor)


def signup_cancel(*, activity: Activity, volunteer: Volunteer) -> Signup:
    with transaction.atomic():
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        found = Signup.objects.filter(
            activity=locked, volunteer=volunteer, status=SignupStatus.SIGNED
        ).first()
        if found is None:
            raise ValidationError(_("您没有报名该活动"))
        if timezone.now() >= locked.start or locked.status != ActivityStatus.OPEN:
            raise ValidationError(_("活动已开始,不能取消报名"))
        found.status = SignupStatus.CANCELLED
        found.cancelled_at = timezone.now()
        found.save(update_fields=["status", "cancelled_at"])
        return found


def _active_signup(activity: Activity, volunteer: Volunteer) -> Signup:
    found = Signup.objects.filter(
        activity=activity, volunteer=volunteer, status=SignupStatus.SIGNED
    ).first()
    if found is None:
        raise ValidationError(_("您没有报名该活动"))
    return found


def _window_check(activity: Activity, now: datetime) -> None:
    if activity.status != ActivityStatus.OPEN:
        raise ValidationError(_("活动已结束,不能签到"))
    opens = activity.checkin_opens
    if now < opens:
        raise ValidationError(
            _("签到尚未开始:%(at)s 起可签到")
            % {"at": timezone.localtime(opens).strftime("%m-%d %H:%M")}
        )
    if now > activity.end:
        raise ValidationError(_("活动已结束,签到已关闭"))


def checkin_self(
    *, activity: Activity, volunteer: Volunteer, lat: float | None, lng: float | None
) -> Signup:
    """The volunteer checks in on the phone: inside the time window and near the place."""
    found = _active_signup(activity, volunteer)
    if found.checked_in_at is not None:
        raise ValidationError(_("您已签到"))
    _window_check(activity, timezone.now())
    distance = None
    if activity.lat is not None and activity.lng is not None:
        if lat is None or lng is None:
            raise ValidationError(_("请允许获取位置后再签到"))
        if not (-90 <= lat <= 90 and -180 <= lng <= 180):
            raise ValidationError(_("位置无效"))
        distance = round(distance_m(lat, lng, activity.lat, activity.lng))
        if distance > activity.checkin_radius_m:
            raise ValidationError(
                _("您距活动地点约 %(d)d 米,超出 %(r)d 米签到范围")
                % {"d": distance, "r": activity.checkin_radius_m}
            )
    found.checked_in_at = timezone.now()
    found.checkin_method = CheckinMethod.SELF
    found.checkin_distance_m = distance
    found.save(update_fields=["checked_in_at", "checkin_method", "checkin_distance_m"])
    return found


def checkout_self(*, activity: Activity, volunteer: Volunteer) -> Signup:
    found = _active_signup(activity, volunteer)
    if found.checked_in_at is None:
        raise ValidationError(_("尚未签到,不能签退"))
    if found.checked_out_at is not None:
        raise ValidationError(_("您已签退"))
    if activity.status != ActivityStatus.OPEN:
        raise ValidationError(_("活动已结束"))
    found.checked_out_at = timezone.now()
    found.save(update_fields=["checked_out_at"])
    return found


def attendance_mark(*, activity: Activity, actor: Any, present: list[int]) -> int:
    """The organiser ticks who came (signed-up volunteers of this activity only)."""
    _check_in_scope(actor, activity.community_code)
    if activity.status != ActivityStatus.OPEN:
        raise ValidationError(_("活动已结束,考勤不能再修改"))
    if timezone.now() < activity.checkin_opens:
        raise ValidationError(_("活动尚未开始,不能登记考勤"))
    rows = Signup.objects.filter(activity=activity, status=SignupStatus.SIGNED)
    ticked = rows.filter(pk__in=present, checked_in_at__isnull=True).update(
        checked_in_at=timezone.now(), checkin_method=CheckinMethod.ORGANISER
    )
    rows.exclude(pk__in=present).update(checked_in_at=None, checkin_method="", checked_out_at=None)
    return ticked


def _credited(activity: Activity, row: Signup, closing: datetime) -> Decimal:
    """Actual time when the volunteer checked out, else the planned duration; never beyond
    the activity's own span nor over the daily limit."""
    planned = activity.planned_hours
    if row.checked_in_at is not None and row.checked_out_at is not None:
        begun = max(row.checked_in_at, activity.start)
        seconds = (row.checked_out_at - begun).total_seconds()
        actual = (Decimal(max(seconds, 0)) / Decimal(3600)).quantize(Decimal("0.01"))
        return min(actual, planned)
    return planned


def activity_close(*, activity: Activity, actor: Any) -> Activity:
    """The organiser closes the activity once it ended: every attendee gets hours."""
    _check_in_scope(actor, activity.community_code)
    with transaction.atomic():
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        if locked.status != ActivityStatus.OPEN:
            raise ValidationError(_("活动已结束,不能重复结项"))
        now = timezone.now()
        if now < locked.start:
            raise ValidationError(_("活动尚未开始,不能结项"))
        rows = list(
            Signup.objects.filter(
                activity=locked, status=SignupStatus.SIGNED, checked_in_at__isnull=False
            )
        )
        for row in rows:
            row.hours = _credited(locked, row, now)
        Signup.objects.bulk_update(rows, ["hours"])
        locked.status = ActivityStatus.CLOSED
        locked.closed_by = actor
        locked.closed_at = now
        locked.save(update_fields=["status", "closed_by", "closed_at"])
    return locked


def parse_hours(value: Any) -> Decimal:
    try:
        hours = Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError({"hours": _("时长应为数字,例如 2.5")}) from exc
    if not hours.is_finite():
        raise ValidationError({"hours": _("时长应为数字,例如 2.5")})
    if hours < 0:
        raise ValidationError({"hours": _("时长不能为负数")})
    if hours > MAX_HOURS_PER_ACTIVITY:
        raise ValidationError({"hours": _("单次活动时长不能超过 24 小时")})
    return hours.quantize(Decimal("0.01"))


def hours_adjust(
    *, row: Signup, actor: Any, hours: Any, reason: str, request: Any = None
) -> Signup:
    """The organiser corrects one volunteer's hours after closing, with a reason (audited)."""
    _check_in_scope(actor, row.activity.community_code)
    if row.activity.status != ActivityStatus.CLOSED:
        raise ValidationError(_("活动结项后才能调整时长"))
    if row.status != SignupStatus.SIGNED:
        raise ValidationError(_("该报名已取消"))
    value = parse_hours(hours)
    reason = _text(reason, "reason", 200)
    before = row.hours
    row.hours = value
    row.hours_reason = reason
    if row.checked_in_at is None:
        # A correction for someone who came but was not ticked counts them as present.
        row.checked_in_at = row.activity.start
        row.checkin_method = CheckinMethod.ORGANISER
    with transaction.atomic():
        row.save(update_fields=["hours", "hours_reason", "checked_in_at", "checkin_method"])
        audit_record(
            actor=actor,
            action="volunteers.hours_adjust",
            target=row,
            field="hours",
            reason=f"{before} → {value}: {reason}",
            request=request,
        )
    return row


def volunteers_of(user: Any) -> list[Volunteer]:
    return list(Volunteer.objects.filter(user=user, retired_on__isnull=True))


def resident_volunteer_for(user: Any, activity: Activity) -> Volunteer | None:
    return Volunteer.objects.filter(user=user, community_code=activity.community_code).first()


def in_street_q(codes: list[str]) -> Q:
    """Activities of the communities of these codes and of the rest of their streets."""
    query = Q(pk__in=[])
    for code in {c[:9] for c in codes}:
        query |= Q(community_code__startswith=code)
    return query
