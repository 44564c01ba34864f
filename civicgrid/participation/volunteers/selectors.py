"""Reads of volunteer work. Staff lists start from ``visible_to(user)``; single objects come
from ``access_*`` (404 out of scope, docs/architecture.md "One way in"). Public reads give
only what the public presenter shows: open activities and hours totals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.http import Http404
from django.utils import timezone

from civicgrid.core.scoping import access_object
from civicgrid.geo.models import Region
from civicgrid.participation.volunteers.choices import ActivityStatus, SignupStatus
from civicgrid.participation.volunteers.models import Activity, Signup, Team, Volunteer

PUBLIC_RANKING_SIZE = 10


def public_community(code: str) -> Region:
    found = Region.objects.filter(code=code, level="community", retired_on__isnull=True).first()
    if found is None:
        raise Http404
    return found


def with_taken(queryset: QuerySet[Activity]) -> QuerySet[Activity]:
    return queryset.select_related("team").annotate(
        taken=Count("signups", filter=Q(signups__status=SignupStatus.SIGNED))
    )


def upcoming(queryset: QuerySet[Activity]) -> QuerySet[Activity]:
    today = timezone.localdate()
    return with_taken(queryset.filter(status=ActivityStatus.OPEN, date__gte=today)).order_by(
        "date", "starts_at", "pk"
    )


def public_activities(community_code: str) -> QuerySet[Activity]:
    return upcoming(Activity.objects.filter(community_code=community_code))


def public_activity(pk: Any) -> Activity:
    """Any activity that was not cancelled may be looked at by its number (the portal links
    it); its public presentation holds no personal data."""
    found = (
        with_taken(Activity.objects.exclude(status=ActivityStatus.CANCELLED)).filter(pk=pk).first()
    )
    if found is None:
        raise Http404
    return found


def credited(queryset: QuerySet[Signup], year: int | None = None) -> QuerySet[Signup]:
    rows = queryset.filter(
        status=SignupStatus.SIGNED,
        activity__status=ActivityStatus.CLOSED,
        hours__isnull=False,
    )
    if year is not None:
        rows = rows.filter(activity__date__year=year)
    return rows


def volunteer_hours(volunteer: Volunteer, year: int | None = None) -> Decimal:
    total = credited(Signup.objects.filter(volunteer=volunteer), year).aggregate(h=Sum("hours"))
    return total["h"] or Decimal("0")


def team_hours(team: Team, year: int | None = None) -> Decimal:
    total = credited(Signup.objects.filter(activity__team=team), year).aggregate(h=Sum("hours"))
    return total["h"] or Decimal("0")


def ranking(community_code: str, year: int, limit: int = PUBLIC_RANKING_SIZE) -> dict[str, Any]:
    """Top volunteers and teams of a community by credited hours in ``year``."""
    rows = credited(Signup.objects.filter(activity__community_code=community_code), year)
    people = (
        rows.values("volunteer_id", "volunteer__name")
        .annotate(hours=Sum("hours"), times=Count("pk"))
        .order_by("-hours", "volunteer_id")[:limit]
    )
    teams = (
        rows.values("activity__team_id", "activity__team__name")
        .annotate(hours=Sum("hours"))
        .order_by("-hours", "activity__team_id")[:limit]
    )
    return {"volunteers": list(people), "teams": list(teams)}


def certificate_rows(volunteer: Volunteer, year: int) -> list[Signup]:
    return list(
        credited(Signup.objects.filter(volunteer=volunteer), year)
        .select_related("activity", "activity__team")
        .order_by("activity__date", "activity__starts_at")
    )


def valid_year(year: int) -> int:
    if not 2000 <= year <= timezone.localdate().year:
        raise Http404
    return year


# --- staff -----------------------------------------------------------------------------------


def staff_teams(user: Any, year: int | None = None) -> QuerySet[Team]:
    """The jurisdiction's teams with their size and (a subquery, so the member join does not
    multiply it) their credited hours in ``year``."""
    hours = (
        credited(Signup.objects.filter(activity__team=OuterRef("pk")), year)
        .order_by()
        .values("activity__team")
        .annotate(total=Sum("hours"))
        .values("total")
    )
    return (
        Team.objects.visible_to(user)
        .filter(retired_on__isnull=True)
        .select_related("leader")
        .annotate(size=Count("members", distinct=True), hours=Subquery(hours))
    )


def staff_volunteers(user: Any, q: str = "") -> QuerySet[Volunteer]:
    rows = Volunteer.objects.visible_to(user).filter(retired_on__isnull=True)
    if q:
        rows = rows.filter(name__contains=q[:50])
    return rows.prefetch_related("teams")


def staff_activities(user: Any, *, past: bool = False) -> QuerySet[Activity]:
    rows = with_taken(Activity.objects.visible_to(user))
    today = timezone.localdate()
    if past:
        return rows.filter(Q(date__lt=today) | ~Q(status=ActivityStatus.OPEN)).order_by(
            "-date", "-starts_at", "-pk"
        )
    return rows.filter(date__gte=today, status=ActivityStatus.OPEN).order_by("date", "starts_at")


def access_team(user: Any, pk: Any, *, for_write: bool = False) -> Team:
    return access_object(Team.objects.all(), user, pk, for_write=for_write)


def access_volunteer(user: Any, pk: Any, *, for_write: bool = False) -> Volunteer:
    return access_object(Volunteer.objects.all(), user, pk, for_write=for_write)


def access_activity(user: Any, pk: Any, *, for_write: bool = False) -> Activity:
    return access_object(with_taken(Activity.objects.all()), user, pk, for_write=for_write)


def access_signup(user: Any, pk: Any, *, for_write: bool = False) -> Signup:
    """A sign-up is in scope when its activity is."""
    try:
        row = Signup.objects.select_related("activity", "volunteer").get(pk=pk)
    except (Signup.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    access_activity(user, row.activity_id, for_write=for_write)
    return row


def attendance(activity: Activity) -> list[Signup]:
    return list(
        Signup.objects.filter(activity=activity)
        .select_related("volunteer")
        .order_by("status", "signed_at", "pk")
    )


# --- the resident's own ------------------------------------------------------------------------


def my_signups(user: Any) -> list[Signup]:
    return list(
        Signup.objects.filter(volunteer__user=user)
        .select_related("activity", "activity__team")
        .order_by("-activity__date", "-activity__starts_at")[:50]
    )


def my_hours(user: Any, year: int) -> Decimal:
    rows = credited(Signup.objects.filter(volunteer__user=user), year)
    return rows.aggregate(h=Sum("hours"))["h"] or Decimal("0")


def resident_upcoming(user: Any, community: str = "") -> QuerySet[Activity]:
    """Open activities of the resident's communities and of the rest of their streets (and
    of a community they chose on the page). The resident's community is the one they take part
    in (participation.residents: their claim, or their latest request) as well as those they
    volunteer in, so a resident new to volunteering sees their own street's activities."""
    from civicgrid.participation.residents import resident_community

    codes = list(
        Volunteer.objects.filter(user=user, retired_on__isnull=True).values_list(
            "community_code", flat=True
        )
    )
    own = resident_community(user)
    if own:
        codes.append(own)
    if community:
        codes.append(community)
    query = Q(pk__in=[])
    for street in {c[:9] for c in codes}:
        query |= Q(community_code__startswith=street)
    return upcoming(Activity.objects.filter(query))


def this_year() -> int:
    return timezone.localdate().year


def today() -> date:
    return timezone.localdate()
