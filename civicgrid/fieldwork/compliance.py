"""一日双巡: one verdict per grid worker, grid and day, stored for assessment
(docs/architecture.md "Field work").

The verdict reads the patrol rows (their metrics were computed when each patrol ended), never
the track points, and writes all rows of a day with bulk upserts: a street or a whole city is a
handful of queries, and running it twice (or in two processes at once) gives the same rows.

Rules, from the grid's ``PatrolStandard``. A patrol counts in the window (morning or
afternoon) its start falls in; it is *good* when it lasts ``min_minutes`` and at least
``min_inside_share`` of its track lies in the grid. The verdict is the first rule that fails,
from the most to the least severe:

1. ``NONE`` — no finished patrol that day;
2. ``ONE_ONLY`` — fewer patrols than ``patrols_per_day``, or they do not fall in different
   windows (two in the morning is still one round of 一日双巡);
3. ``TOO_SHORT`` — a window has no patrol long enough;
4. ``OUTSIDE`` — a window has patrols long enough, but none mostly inside the grid;
5. otherwise ``COMPLIANT``.

Only working days are judged (``core.worktime``: weekends, national holidays and make-up
workdays): 一日双巡 is a duty of the working day, and assessment counts every stored verdict as a
day the worker had to patrol (应巡天数). A rest day therefore has no verdict at all, not even for a
worker who walked: a lone Saturday patrol would otherwise count as 只巡一次 against them. Their
patrols stay and are shown as patrols; only the derived verdict is absent.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicgrid.accounts.choices import Role
from civicgrid.accounts.models import Scope
from civicgrid.core.scoping import prefix_q
from civicgrid.core.worktime import is_workday
from civicgrid.fieldwork.choices import ComplianceStatus
from civicgrid.fieldwork.models import DailyCompliance, Patrol, PatrolStandard
from civicgrid.fieldwork.services import all_standards, pick_standard
from civicgrid.geo.models import Grid

GRID_CODE_LENGTH = 15
BATCH = 2000


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The local (Beijing) day as an aware half-open interval."""
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def _window(standard: PatrolStandard, at: datetime) -> int | None:
    local = timezone.localtime(at).time()
    if standard.morning_start <= local < standard.morning_end:
        return 0
    if standard.afternoon_start <= local < standard.afternoon_end:
        return 1
    return None


WINDOW_NAMES = (gettext_lazy("上午"), gettext_lazy("下午"))


def _join(names: Any) -> str:
    # The list separator is text too: "、" in Chinese, ", " in the English catalogue.
    return str(_("、")).join(str(n) for n in names)


def verdict(standard: PatrolStandard, patrols: list[dict[str, Any]]) -> tuple[str, str]:
    """(status, Chinese note) for one worker's finished patrols of a grid on one day; each
    patrol a dict with ``started_at``, ``duration_s`` and ``inside_share``."""
    s = ComplianceStatus
    if not patrols:
        return s.NONE, str(_("当天没有完成的巡查"))
    required = max(1, standard.patrols_per_day)
    windows_needed = min(required, 2)
    by_window: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for p in patrols:
        slot = _window(standard, p["started_at"])
        if slot is not None:
            by_window[slot].append(p)
    names = [str(WINDOW_NAMES[w]) for w in sorted(by_window)]
    if len(patrols) < required or len(by_window) < windows_needed:
        if by_window:
            where = _("只在%(w)s时段内巡查") % {"w": _join(names)}
        else:
            where = _("巡查均不在规定时段内")
        return s.ONE_ONLY, str(
            _("巡查 %(n)d 次,%(where)s,需在 %(k)d 个不同时段各巡查一次")
            % {"n": len(patrols), "where": where, "k": windows_needed}
        )
    min_s = standard.min_minutes * 60
    short = [w for w, ps in by_window.items() if not any(p["duration_s"] >= min_s for p in ps)]
    if short:
        longest = max(p["duration_s"] for w in short for p in by_window[w]) // 60
        return s.TOO_SHORT, str(
            _("%(w)s巡查最长 %(d)d 分钟,不足 %(m)d 分钟")
            % {
                "w": _join(str(WINDOW_NAMES[w]) for w in sorted(short)),
                "d": longest,
                "m": standard.min_minutes,
            }
        )

    def good(p: dict[str, Any]) -> bool:
        return p["duration_s"] >= min_s and (p["inside_share"] or 0) >= standard.min_inside_share

    outside = [w for w, ps in by_window.items() if not any(good(p) for p in ps)]
    if outside:
        best = max(
            (p["inside_share"] or 0) for w in outside for p in by_window[w]
            if p["duration_s"] >= min_s
        )  # fmt: skip
        return s.OUTSIDE, str(
            _("%(w)s巡查网格内轨迹仅占 %(p)d%%,低于 %(m)d%%")
            % {
                "w": _join(str(WINDOW_NAMES[w]) for w in sorted(outside)),
                "p": round(best * 100),
                "m": round(standard.min_inside_share * 100),
            }
        )
    return s.COMPLIANT, str(
        _("%(w)s各巡查一次,均达标") % {"w": _join(names)}
        if len(names) > 1
        else _("巡查 %(n)d 次,达标") % {"n": len(patrols)}
    )


def clear_verdicts(days: list[date], *, codes: list[str] | None = None) -> int:
    """Remove the verdicts of ``days`` (within ``codes``); returns how many. Verdicts are derived
    from the patrols, which stay, so removing them loses nothing the job cannot write again."""
    if not days:
        return 0
    rows = DailyCompliance.objects.filter(day__in=days)
    if codes is not None:
        rows = rows.filter(prefix_q("grid_code", codes))
    removed, _by_model = rows.delete()
    return removed


def clear_rest_days(start: date, end: date) -> int:
    """Remove the verdicts of the non-working days in [start, end]; returns how many."""
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    return clear_verdicts([d for d in days if not is_workday(d)])


def compliance_for_day(day: date, *, codes: list[str] | None = None) -> int:
    """Write the DailyCompliance rows of ``day`` for every active grid worker with a current
    grid scope (each grid they hold), and for any worker and grid with a finished patrol that
    day; ``codes`` limits the run to those code prefixes. Returns the number of rows written.
    Idempotent: a second run rewrites the same rows.

    A non-working day gets no rows, and any it still holds are removed: they were written
    before the job consulted the work calendar, or before the day was declared a holiday."""
    if not is_workday(day):
        clear_verdicts([day], codes=codes)
        return 0
    scope_q = Q(
        retired_on__isnull=True,
        user__role=Role.GRID_WORKER,
        user__is_active=True,
    )
    patrol_q = Q()
    if codes is not None:
        scope_q &= prefix_q("code", codes)
        patrol_q &= prefix_q("grid_code", codes)
    pairs: set[tuple[int, str]] = set()
    for user_id, code in Scope.objects.filter(scope_q).values_list("user_id", "code"):
        if len(code) == GRID_CODE_LENGTH:
            pairs.add((user_id, code))
    start, end = day_bounds(day)
    patrols: dict[tuple[int, str], list[dict[str, Any]]] = defaultdict(list)
    rows = (
        Patrol.objects.filter(patrol_q, started_at__gte=start, started_at__lt=end)
        .filter(ended_at__isnull=False)
        .values("worker_id", "grid_code", "started_at", "duration_s", "inside_share")
    )
    for row in rows.iterator(chunk_size=BATCH):
        key = (row["worker_id"], row["grid_code"])
        patrols[key].append(row)
        pairs.add(key)
    grid_ids = dict(
        Grid.objects.filter(code__in={code for _u, code in pairs}).values_list("code", "pk")
    ) if pairs else {}  # fmt: skip
    standards = all_standards()
    by_code: dict[str, PatrolStandard] = {}
    objs: list[DailyCompliance] = []
    for user_id, code in sorted(pairs):
        grid_id = grid_ids.get(code)
        if grid_id is None:
            continue  # a scope naming a grid that does not exist: nothing to judge
        standard = by_code.get(code)
        if standard is None:
            standard = by_code[code] = pick_standard(standards, code)
        found = patrols.get((user_id, code), [])
        status, note = verdict(standard, found)
        objs.append(
            DailyCompliance(
                worker_id=user_id,
                grid_id=grid_id,
                grid_code=code,
                day=day,
                status=status,
                patrols=len(found),
                minutes=sum(p["duration_s"] for p in found) // 60,
                note=note[:200],
            )
        )
    DailyCompliance.objects.bulk_create(
        objs,
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["worker", "grid", "day"],
        update_fields=["grid_code", "status", "patrols", "minutes", "note"],
    )
    return len(objs)
