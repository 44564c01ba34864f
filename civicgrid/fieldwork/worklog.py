"""The work log (民情日志 / 痕迹管理): one timeline per grid worker and per grid, and the counts
per worker per day, week or month, made from the records the work already leaves behind (no
second entry, no table a worker fills in; docs/architecture.md "Field work").

Each kind of record is a *source*: a function ``source(*, workers=None, grid_prefix=None,
start, end)`` returning (or yielding) dicts ``{"at", "kind", "worker_id", "grid_code", "title",
"url"}`` for what happened in ``[start, end)``. ``workers`` (users or ids) narrows to those
people, ``None`` meaning every grid worker; ``grid_prefix`` narrows to a grid or a region. A
patrol entry also carries ``minutes`` and ``distance_m`` for the counts. A new kind of work
joins the log by adding its source to ``SOURCES``; each source costs one query whatever the
number of rows, reading only the columns it shows.

Sources do not check who is asking: the caller decides first which workers and grids the
reader may see (``access_worklog_worker`` / ``access_worklog_grid`` / ``jurisdiction_workers``),
exactly as the patrol selectors do, because the log shows patrols, which are location data
(PIPL art. 28): TRACK_READERS only, a grid worker only their own work, and another person's
log read by a supervisor is audited (``audit_view``).

Personal data of the ledgers never appears in clear: a person edited or visited is shown as a
masked name (``core.pii.mask_name``), never with an ID number, a phone or an address.

Counting rule: an entry counts on the local (Beijing) day of its ``at``; a patrol's ``at`` is
its start, so a patrol that crosses midnight counts, with all its minutes and distance, on the
day it started. Weeks run Monday to Sunday; months are calendar months.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import BooleanField, CharField, Count, F, Q, QuerySet, Value
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicgrid.accounts.choices import Role
from civicgrid.accounts.models import User
from civicgrid.cases.choices import Action
from civicgrid.cases.models import CaseEvent
from civicgrid.core.audit import audit_record
from civicgrid.core.pii import mask_name
from civicgrid.core.scoping import prefix_q
from civicgrid.fieldwork import tasks
from civicgrid.fieldwork.choices import VisitPurpose
from civicgrid.fieldwork.models import Patrol, Visit
from civicgrid.fieldwork.selectors import access_worker
from civicgrid.geo.models import Grid

Entry = dict[str, Any]
Source = Callable[..., Iterable[Entry]]

# What each kind is called on the page, the API and the export.
KIND_LABELS = {
    "patrol": gettext_lazy("巡查"),
    "visit": gettext_lazy("入户走访"),
    "case_report": gettext_lazy("上报事件"),
    "case_verify": gettext_lazy("核查事件"),
    "ledger_edit": gettext_lazy("台账维护"),
    "task_item": gettext_lazy("任务事项"),
}

# Audit action codes (labels: core.audit.ACTION_LABELS).
VIEW_ACTION = "worklog_view"
EXPORT_ACTION = "worklog_export"

SPANS = ("day", "week")
PERIODS = ("day", "week", "month")
# Periods of one stats request (31 days, weeks or months) at most.
MAX_PERIODS = 31
# Entries shown on one timeline page: a ledger import can leave thousands of edits in one day;
# the counts still count every one of them.
MAX_PAGE_ENTRIES = 500


def _ids(workers: Iterable[Any]) -> list[int]:
    return [getattr(w, "pk", w) for w in workers]


def _narrow(
    rows: QuerySet[Any],
    *,
    workers: Iterable[Any] | None,
    grid_prefix: str | None,
    worker_field: str,
    role_field: str,
    code_field: str,
) -> QuerySet[Any]:
    if workers is None:
        # The work log is the grid workers' (a resident's report is not anybody's work here).
        rows = rows.filter(**{role_field: Role.GRID_WORKER})
    else:
        rows = rows.filter(**{f"{worker_field}__in": _ids(workers)})
    if grid_prefix:
        rows = rows.filter(**{f"{code_field}__startswith": grid_prefix})
    return rows


def patrol_entries(
    *,
    workers: Iterable[Any] | None = None,
    grid_prefix: str | None = None,
    start: datetime,
    end: datetime,
) -> list[Entry]:
    """Patrols started in the window (a patrol belongs to the moment it started)."""
    rows = _narrow(
        Patrol.objects.filter(started_at__gte=start, started_at__lt=end),
        workers=workers,
        grid_prefix=grid_prefix,
        worker_field="worker_id",
        role_field="worker__role",
        code_field="grid_code",
    )
    found = rows.annotate(flag_count=Count("flags")).values_list(
        "pk",
        "started_at",
        "ended_at",
        "worker_id",
        "grid_code",
        "grid__name",
        "duration_s",
        "distance_m",
        "flag_count",
    )
    out = []
    for pk, started, ended, worker_id, code, grid_name, seconds, metres, flags in found:
        minutes = seconds // 60
        if ended is None:
            title = _("开始巡查 %(grid)s(进行中)") % {"grid": grid_name}
        else:
            title = _("巡查 %(grid)s:%(minutes)d 分钟,%(km).1f 公里") % {
                "grid": grid_name,
                "minutes": minutes,
                "km": metres / 1000,
            }
        if flags:
            title += _(",监察提示 %(n)d 条") % {"n": flags}
        out.append(
            {
                "at": started,
                "kind": "patrol",
                "worker_id": worker_id,
                "grid_code": code,
                "title": title,
                "url": reverse("fieldwork:detail", args=[pk]),
                "target": ("fieldwork.Patrol", pk),
                "minutes": minutes,
                "distance_m": metres,
            }
        )
    return out


def visit_entries(
    *,
    workers: Iterable[Any] | None = None,
    grid_prefix: str | None = None,
    start: datetime,
    end: datetime,
) -> list[Entry]:
    """Household visits; the person visited appears as a masked name."""
    rows = _narrow(
        Visit.objects.filter(visited_at__gte=start, visited_at__lt=end),
        workers=workers,
        grid_prefix=grid_prefix,
        worker_field="worker_id",
        role_field="worker__role",
        code_field="grid_code",
    )
    purposes = dict(VisitPurpose.choices)
    out = []
    for pk, at, worker_id, code, purpose, name, number in rows.values_list(
        "pk", "visited_at", "worker_id", "grid_code", "purpose", "person__name", "household__number"
    ):
        whom = mask_name(name) if name else (_("户 %(n)s") % {"n": number} if number else "")
        out.append(
            {
                "at": at,
                "kind": "visit",
                "worker_id": worker_id,
                "grid_code": code,
                "title": _("入户走访(%(purpose)s)%(whom)s")
                % {"purpose": purposes.get(purpose, purpose), "whom": whom},
                "url": reverse("fieldwork:visit_detail", args=[pk]),
                "target": ("fieldwork.Visit", pk),
            }
        )
    return out


CASE_ACTIONS = {
    Action.REPORT: "case_report",
    Action.VERIFY: "case_verify",
    Action.REWORK: "case_verify",
}


def case_entries(
    *,
    workers: Iterable[Any] | None = None,
    grid_prefix: str | None = None,
    start: datetime,
    end: datetime,
) -> list[Entry]:
    """Cases the worker reported (上报) and checked on site (核查通过 / 返工), from the cases'
    own history. The description is not shown: it may name people."""
    rows = _narrow(
        CaseEvent.objects.filter(at__gte=start, at__lt=end, action__in=list(CASE_ACTIONS)),
        workers=workers,
        grid_prefix=grid_prefix,
        worker_field="actor_id",
        role_field="actor_role",
        code_field="case__grid_code",
    )
    actions = dict(Action.choices)
    out = []
    for at, action, worker_id, code, case_id, number, category in rows.values_list(
        "at",
        "action",
        "actor_id",
        "case__grid_code",
        "case_id",
        "case__number",
        "case__category__name",
    ):
        out.append(
            {
                "at": at,
                "kind": CASE_ACTIONS[action],
                "worker_id": worker_id,
                "grid_code": code,
                "title": _("%(action)s事件 %(number)s(%(category)s)")
                % {"action": actions.get(action, action), "number": number, "category": category},
                "url": reverse("cases:detail", args=[case_id]),
                "target": ("cases.Case", case_id),
            }
        )
    return out


# The ledgers whose history is the worker's ledger work: (model path, entity code, the two label
# columns, the column naming the row a link goes to, the model that row is of). Labels are read
# from the history row itself (the name at the time), the person's through the tag.
LEDGER_HISTORIES = (
    ("registry.Building", "building", "name", "address", "id", "registry.Building"),
    ("registry.Dwelling", "dwelling", "unit", "room", "id", "registry.Dwelling"),
    ("registry.Household", "household", "number", None, "id", "registry.Household"),
    ("registry.Person", "person", "name", None, "id", "registry.Person"),
    ("registry.Organization", "organization", "name", None, "id", "registry.Organization"),
    ("registry.PersonTag", "tag", "person__name", None, "person_id", "registry.Person"),
)
LINKED_MODELS = {entity: linked for _m, entity, _f, _s, _l, linked in LEDGER_HISTORIES}
ENTITY_LABELS = {
    "building": gettext_lazy("楼栋"),
    "dwelling": gettext_lazy("房屋"),
    "household": gettext_lazy("住户"),
    "person": gettext_lazy("人口"),
    "organization": gettext_lazy("组织"),
    "tag": gettext_lazy("人群标签"),
}
ENTITY_URLS = {
    "building": "registry:building_detail",
    "dwelling": "registry:dwelling_detail",
    "household": "registry:household_detail",
    "person": "registry:person_detail",
    "organization": "registry:organization_detail",
    "tag": "registry:person_detail",
}
HISTORY_VERBS = {
    "+": gettext_lazy("新增"),
    "~": gettext_lazy("修改"),
    "-": gettext_lazy("删除"),
}


def _ledger_label(entity: str, first: str, second: str) -> str:
    """What a ledger row is called in the log: people (and the person of a tag) masked."""
    if entity in ("person", "tag"):
        return mask_name(first)
    if entity == "dwelling":
        return f"{first}单元{second}" if first else second
    if entity == "building":
        return first or second
    return first


def ledger_entries(
    *,
    workers: Iterable[Any] | None = None,
    grid_prefix: str | None = None,
    start: datetime,
    end: datetime,
) -> list[Entry]:
    """Ledger rows the worker created, changed or deleted (django-simple-history rows whose
    ``history_user`` is the worker), the six ledgers read in one UNION query."""
    from django.apps import apps

    parts = []
    for model_path, entity, first, second, link, _linked in LEDGER_HISTORIES:
        history = apps.get_model(model_path).history.model
        rows = _narrow(
            history.objects.filter(history_date__gte=start, history_date__lt=end),
            workers=workers,
            grid_prefix=grid_prefix,
            worker_field="history_user_id",
            role_field="history_user__role",
            code_field="grid_code",
        )
        parts.append(
            rows.order_by()
            .annotate(
                wl_entity=Value(entity, output_field=CharField()),
                wl_first=F(first),
                wl_second=F(second) if second else Value("", output_field=CharField()),
                wl_link=F(link),
                wl_worker=F("history_user_id"),
                # A tag of a special group is a secret to whoever may not see such groups.
                wl_special=(
                    F("kind__sensitive")
                    if entity == "tag"
                    else Value(False, output_field=BooleanField())
                ),
            )
            .values_list(
                "history_date",
                "history_type",
                "wl_worker",
                "grid_code",
                "wl_link",
                "wl_entity",
                "wl_first",
                "wl_second",
                "wl_special",
            )
        )
    query = parts[0].union(*parts[1:], all=True)
    out = []
    for at, kind, worker_id, code, link, entity, first, second, special in query:
        verb = HISTORY_VERBS.get(kind, kind)
        label = _ledger_label(entity, first or "", second or "")
        out.append(
            {
                "at": at,
                "kind": "ledger_edit",
                "worker_id": worker_id,
                "grid_code": code,
                "title": f"{verb}{ENTITY_LABELS[entity]} {label}".strip(),
                # A deleted row has no page any more.
                "url": reverse(ENTITY_URLS[entity], args=[link]) if kind != "-" and link else "",
                "target": (LINKED_MODELS[entity], link) if kind != "-" and link else None,
                "special": bool(special),
            }
        )
    return out


# Every kind of work in the log; grid tasks add ``civicgrid.fieldwork.tasks.worklog_entries``.
SOURCES: list[Source] = [
    patrol_entries,
    visit_entries,
    case_entries,
    ledger_entries,
    tasks.worklog_entries,
]


def collect(
    *,
    workers: Iterable[Any] | None = None,
    grid_prefix: str | None = None,
    start: datetime,
    end: datetime,
    sources: Iterable[Source] | None = None,
    within: list[str] | None = None,
) -> list[Entry]:
    """Every source's entries of the window, newest first. Each record is read from exactly one
    source, so nothing is counted twice (a case reported from a patrol is one patrol and one
    report, as it is two pieces of work). ``within``: code prefixes the reader's jurisdiction
    covers; a worker who also holds a grid elsewhere shows a supervisor only the work done
    inside theirs, as ``Patrol.objects.visible_to`` would."""
    if workers is not None:
        workers = _ids(workers)
        if not workers:
            return []
    prefixes = tuple(within) if within is not None else None
    found: list[Entry] = []
    for source in SOURCES if sources is None else sources:
        for entry in source(workers=workers, grid_prefix=grid_prefix, start=start, end=end):
            if prefixes is not None and not entry["grid_code"].startswith(prefixes):
                continue
            entry.setdefault("kind_label", str(KIND_LABELS.get(entry["kind"], entry["kind"])))
            found.append(entry)
    found.sort(key=lambda e: (e["at"], e["kind"], e["url"]), reverse=True)
    return found


# ---------------------------------------------------------------------------------------------
# Days, weeks and months (local time).


def local_bounds(first: date, after: date) -> tuple[datetime, datetime]:
    """Local days ``[first, after)`` as an aware half-open interval."""
    return (
        timezone.make_aware(datetime.combine(first, time.min)),
        timezone.make_aware(datetime.combine(after, time.min)),
    )


def parse_day(raw: str | None, *, default: date | None = None) -> tuple[date, bool]:
    """``YYYY-MM-DD`` or today; the flag says the input was unreadable (then today)."""
    today = default or timezone.localdate()
    text = (raw or "").strip()
    if not text:
        return today, False
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return today, True
    if not 2000 <= day.year <= 2100:
        return today, True
    return day, False


def period_start(period: str, day: date) -> date:
    if period == "week":
        return day - timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    return day


def period_after(period: str, first: date) -> date:
    """The first day of the period after the one starting on ``first``."""
    if period == "week":
        return first + timedelta(days=7)
    if period == "month":
        return (first + timedelta(days=32)).replace(day=1)
    return first + timedelta(days=1)


def period_label(period: str, first: date) -> str:
    if period == "week":
        last = first + timedelta(days=6)
        return f"{first:%Y-%m-%d}~{last:%m-%d}"
    if period == "month":
        return f"{first:%Y-%m}"
    return f"{first:%Y-%m-%d}"


def periods_between(period: str, day_from: date, day_to: date) -> list[date]:
    """First days of the periods from the one holding ``day_from`` to the one holding
    ``day_to``; ``ValueError`` with a Chinese message when the range is backwards or too
    long."""
    if day_from > day_to:
        raise ValueError(_("起始日期不能晚于截止日期"))
    firsts = [period_start(period, day_from)]
    last = period_start(period, day_to)
    while firsts[-1] < last:
        firsts.append(period_after(period, firsts[-1]))
        if len(firsts) > MAX_PERIODS:
            raise ValueError(_("一次最多统计 %(n)d 个周期") % {"n": MAX_PERIODS})
    return firsts


# ---------------------------------------------------------------------------------------------
# Who may read whose log.


def access_worklog_worker(user: Any, worker_id: int) -> User:
    """The worker whose log ``user`` may read: themselves, or for a supervisor one working in
    their jurisdiction for tracks; anyone else 404 (the same rule as the patrol calendar)."""
    return access_worker(user, worker_id)


@dataclass(frozen=True)
class GridLog:
    grid: Grid
    # ``None``: every grid worker's work in the grid; a grid worker reads only their own.
    workers: list[int] | None


def access_worklog_grid(user: Any, grid_id: int) -> GridLog:
    """A grid in ``user``'s jurisdiction for tracks (404 otherwise, as if missing). A grid
    worker reads their own work in it only, never a colleague's patrols."""
    grid = None
    if 0 < grid_id < 2**63:
        grid = Grid.objects.filter(pk=grid_id).first()
    if grid is None or not user.in_scope(grid.code, reads="tracks"):
        raise Http404
    if user.role == Role.GRID_WORKER and not user.is_superuser:
        return GridLog(grid, [user.pk])
    return GridLog(grid, None)


def jurisdiction_workers(user: Any, first: date) -> list[User]:
    """The grid workers whose work ``user`` may count: a grid worker themselves; a supervisor
    every grid worker holding (or having held since ``first``) a grid in their jurisdiction
    for tracks, with their scopes loaded."""
    from django.db.models import Prefetch

    from civicgrid.accounts.models import Scope

    if not user.reads("tracks"):
        return []
    scopes = Prefetch("scopes", queryset=Scope.objects.order_by("code"))
    if user.role == Role.GRID_WORKER and not user.is_superuser:
        return list(User.objects.filter(pk=user.pk).prefetch_related(scopes))
    rows = User.objects.filter(role=Role.GRID_WORKER)
    if not user.sees_everything:
        held = Q(scopes__retired_on__isnull=True) | Q(scopes__retired_on__gte=first)
        rows = rows.filter(prefix_q("scopes__code", user.scope_codes) & held)
    return list(rows.distinct().prefetch_related(scopes).order_by("full_name", "pk"))


def reader_codes(user: Any) -> list[str] | None:
    """The code prefixes that bound what ``user`` reads of other people's work (``None``: no
    bound, for the superuser, and for a grid worker, who only ever reads their own)."""
    if user.sees_everything or user.role == Role.GRID_WORKER:
        return None
    return list(user.scope_codes)


def audit_view(
    user: Any, target: Any, *, who: str, start: date, end: date, request: HttpRequest | None
) -> None:
    """Reading another person's log (it shows their patrols: location data) is audited."""
    audit_record(
        actor=user,
        action=VIEW_ACTION,
        target=target,
        field="worklog",
        reason=f"{who} {start:%Y-%m-%d}~{end:%Y-%m-%d}",
        request=request,
    )


# ---------------------------------------------------------------------------------------------
# What the reader may know of and open (docs/architecture.md "One way in"): the log is the
# worker's, but each entry names a record with its own access rule. A case reported in a
# neighbouring grid, a person who moved away, a task withdrawn from the grid: the reader may
# read the log and still not the record, and a link would answer 404. So each entry carries
# its ``target`` (model, pk) and the link is kept only when the record is in
# ``Model.objects.visible_to(reader)``, the same rule its page applies through ``access_*``;
# an entry whose very existence is hidden from the reader (a tag of a special group, for whoever
# may not see special groups: registry ``PersonTagQuerySet.visible_to``) is left out.


def known_to(entries: list[Entry], viewer: Any) -> list[Entry]:
    """``entries`` without those ``viewer`` may not know of (no query)."""
    from civicgrid.registry.querysets import sees_special_groups

    if sees_special_groups(viewer):
        return entries
    return [e for e in entries if not e.get("special")]


def linked_for(entries: list[Entry], viewer: Any) -> list[Entry]:
    """``entries`` with ``url`` emptied where ``viewer`` could not open the record: one
    ``visible_to`` query per kind of record linked, whatever the number of entries."""
    from django.apps import apps

    wanted: dict[str, set[int]] = {}
    for entry in entries:
        target = entry.get("target")
        if target and entry.get("url"):
            wanted.setdefault(target[0], set()).add(target[1])
    opens = {
        label: set(
            apps.get_model(label)
            .objects.visible_to(viewer)
            .filter(pk__in=ids)
            .values_list("pk", flat=True)
        )
        for label, ids in wanted.items()
    }
    out = []
    for entry in entries:
        target = entry.get("target")
        if target and target[1] not in opens.get(target[0], ()):
            entry = {**entry, "url": ""}
        out.append(entry)
    return out


# ---------------------------------------------------------------------------------------------
# One page of a timeline.


@dataclass
class TimelineDay:
    day: date
    entries: list[Entry]


@dataclass
class Timeline:
    span: str
    first: date  # oldest day shown
    last: date  # newest day shown
    days: list[TimelineDay]
    older: date  # the ``day`` of the previous (older) page
    newer: date | None  # of the next (newer) page; ``None`` when the page reaches today
    total: int
    truncated: bool = False
    entries: list[Entry] = field(default_factory=list)


def timeline(
    *,
    workers: Iterable[Any] | None,
    grid_prefix: str | None,
    day: date,
    span: str = "day",
    today: date | None = None,
    within: list[str] | None = None,
    viewer: Any = None,
) -> Timeline:
    """The log of one day, or of the week ending on ``day``, newest first, grouped by local
    day. One query per source; for a ``viewer`` (every page and API call passes the reader),
    what they may know of and open is decided by ``known_to`` and ``linked_for``: one more query per kind of
    record linked."""
    length = 7 if span == "week" else 1
    first = day - timedelta(days=length - 1)
    start, end = local_bounds(first, day + timedelta(days=1))
    entries = collect(workers=workers, grid_prefix=grid_prefix, start=start, end=end, within=within)
    if viewer is not None:
        entries = known_to(entries, viewer)
    total = len(entries)
    shown = entries[:MAX_PAGE_ENTRIES]
    if viewer is not None:
        shown = linked_for(shown, viewer)
    days: list[TimelineDay] = []
    for entry in shown:
        local = timezone.localdate(entry["at"])
        if not days or days[-1].day != local:
            days.append(TimelineDay(local, []))
        days[-1].entries.append(entry)
    today = today or timezone.localdate()
    newer = day + timedelta(days=length)
    return Timeline(
        span=span,
        first=first,
        last=day,
        days=days,
        older=first - timedelta(days=1),
        newer=min(newer, today) if day < today else None,
        total=total,
        truncated=total > len(shown),
        entries=shown,
    )


# ---------------------------------------------------------------------------------------------
# Counts per worker per period.

COUNT_COLUMNS = (
    ("patrols", gettext_lazy("巡查次数")),
    ("patrol_minutes", gettext_lazy("巡查时长(分钟)")),
    ("distance_km", gettext_lazy("巡查里程(公里)")),
    ("visits", gettext_lazy("入户走访")),
    ("cases_reported", gettext_lazy("上报事件")),
    ("cases_verified", gettext_lazy("核查事件")),
    ("ledger_edits", gettext_lazy("台账维护")),
    ("task_items", gettext_lazy("任务事项")),
)
_COUNTED = {
    "patrol": "patrols",
    "visit": "visits",
    "case_report": "cases_reported",
    "case_verify": "cases_verified",
    "ledger_edit": "ledger_edits",
    "task_item": "task_items",
}


def _zero() -> dict[str, Any]:
    return {key: 0 for key, _label in COUNT_COLUMNS}


def count_entries(entries: Iterable[Entry], period: str) -> dict[tuple[int, date], dict[str, Any]]:
    """``{(worker_id, first day of period): counts}`` by the local day of each entry's ``at``."""
    counts: dict[tuple[int, date], dict[str, Any]] = {}
    for entry in entries:
        key = (entry["worker_id"], period_start(period, timezone.localdate(entry["at"])))
        row = counts.setdefault(key, _zero())
        column = _COUNTED.get(entry["kind"])
        if column is None:
            continue
        row[column] += 1
        if entry["kind"] == "patrol":
            row["patrol_minutes"] += entry.get("minutes", 0)
            row["distance_km"] += entry.get("distance_m", 0) / 1000
    return counts


@dataclass
class StatsRow:
    worker_id: int
    worker: str
    grids: str
    community: str
    period_start: date
    period_end: date  # the period's last day
    period: str
    counts: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return {
            "worker_id": self.worker_id,
            "worker": self.worker,
            "grids": self.grids,
            "community": self.community,
            "period_start": self.period_start,
            "period_end": self.period_end,
            "period": self.period,
            **self.counts,
        }


def stats(user: Any, *, period: str, day_from: date, day_to: date | None = None) -> list[StatsRow]:
    """One row per worker of ``user``'s jurisdiction per period (zeros included), by community,
    worker, then period. Queries: workers (2), grids (1), one per source."""
    firsts = periods_between(period, day_from, day_to or day_from)
    workers = jurisdiction_workers(user, firsts[0])
    if not workers:
        return []
    start, end = local_bounds(firsts[0], period_after(period, firsts[-1]))
    counts = count_entries(
        collect(workers=workers, start=start, end=end, within=reader_codes(user)), period
    )
    codes = {s.code for w in workers for s in w.scopes.all()}
    grids = {
        code: (name, community)
        for code, name, community in Grid.objects.filter(code__in=codes).values_list(
            "code", "name", "community__name"
        )
    }
    rows = []
    for worker in workers:
        held = [
            s.code for s in worker.scopes.all() if s.retired_on is None or s.retired_on >= firsts[0]
        ]
        names = [grids[c][0] for c in held if c in grids]
        communities = sorted({grids[c][1] for c in held if c in grids})
        for first in firsts:
            found = counts.get((worker.pk, first), _zero())
            found["distance_km"] = round(found["distance_km"], 1)
            rows.append(
                StatsRow(
                    worker_id=worker.pk,
                    worker=str(worker),
                    grids="、".join(names),
                    community="、".join(communities),
                    period_start=first,
                    period_end=period_after(period, first) - timedelta(days=1),
                    period=period_label(period, first),
                    counts=found,
                )
            )
    rows.sort(key=lambda r: (r.community, r.grids, r.worker, r.worker_id, r.period_start))
    return rows


def stats_xlsx(rows: list[StatsRow]) -> bytes:
    """The counts as a workbook: Chinese headers, one row per worker per period, every cell
    through ``safe_cell`` (a worker named ``=HYPERLINK(...)`` stays text)."""
    from io import BytesIO

    from openpyxl import Workbook

    from civicgrid.core.spreadsheet import safe_row

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("工作量统计")
    sheet.append(
        safe_row(
            [_("统计周期"), _("网格员"), _("所属社区"), _("负责网格")]
            + [str(label) for _key, label in COUNT_COLUMNS]
        )
    )
    for row in rows:
        sheet.append(
            safe_row(
                [row.period, row.worker, row.community, row.grids]
                + [row.counts[key] for key, _label in COUNT_COLUMNS]
            )
        )
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def stats_export(
    user: Any,
    *,
    period: str,
    day_from: date,
    day_to: date | None = None,
    request: HttpRequest | None = None,
) -> bytes:
    """The workbook of ``stats``, audited with what it holds (like the ledger exports)."""
    rows = stats(user, period=period, day_from=day_from, day_to=day_to)
    content = stats_xlsx(rows)
    workers = len({r.worker_id for r in rows})
    audit_record(
        actor=user,
        action=EXPORT_ACTION,
        target=user,
        field="worklog_stats",
        reason=(
            f"{period_label(period, period_start(period, day_from))}"
            f"~{period_label(period, period_start(period, day_to or day_from))}:"
            f"{workers} 名网格员、{len(rows)} 行"
        ),
        request=request,
    )
    return content
