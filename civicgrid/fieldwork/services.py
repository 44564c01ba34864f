"""Writes for field work: start a patrol, add its track points in bulk, end it and compute its
metrics, report a problem found on the way (docs/architecture.md "Field work").

Pages and the API call these same functions; none of them trusts the caller for scope: the
worker's grid is checked here, and only the patrol's own worker may add to or end it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from pyproj import Geod, Transformer
from shapely.geometry import LineString, Point, shape
from shapely.geometry.base import BaseGeometry

from civicgrid.accounts.choices import Role
from civicgrid.fieldwork.choices import FlagKind
from civicgrid.fieldwork.models import Patrol, PatrolFinding, PatrolFlag, PatrolStandard, TrackPoint
from civicgrid.geo.models import Grid
from civicgrid.registry.models import Building

if TYPE_CHECKING:
    from civicgrid.accounts.models import User
    from civicgrid.cases.models import Case

GEOD = Geod(ellps="WGS84")

# A phone's clock may run a little ahead of the server's, and the first fix may come just
# before the worker tapped "start": both are tolerated by this much.
CLOCK_SLACK = timedelta(minutes=5)
# A patrol may be started (and so synced) this long after the fact, for phones offline for days.
MAX_START_AGE = timedelta(days=7)
# An open patrol older than this is one the worker forgot to end: it is closed at its last
# point and a new one starts, so "one open patrol per worker" never pins yesterday's patrol.
STALE_OPEN = timedelta(hours=12)
# A point received more than this after it was taken is a back-dated upload (电子监察).
BACKDATED_AFTER = timedelta(days=1)


# Vertices per track on the on-duty map: an overview; the replay reads the whole track.
MAP_VERTICES = 100


def track_outline(rows: Sequence[Sequence[Any]]) -> list[list[float]]:
    """``[[lng, lat], …]`` of at most ``MAP_VERTICES`` of a track's time-ordered
    ``(…, lat, lng)`` rows, every step-th one with the first and last kept: the on-duty map
    shows where each worker went; the exact track with its times is the patrol's own
    (audited) replay."""
    if len(rows) > MAP_VERTICES:
        step = -(-len(rows) // (MAP_VERTICES - 1))
        rows = [*rows[:-1:step], rows[-1]]
    return [[row[-1], row[-2]] for row in rows]


def pack_outline(outline: list[list[float]]) -> bytes:
    """The outline as stored on the patrol (``Patrol.outline``)."""
    return np.asarray(outline, dtype="<f8").reshape(-1).tobytes()


def unpack_outline(stored: bytes | memoryview) -> list[list[float]]:
    return np.frombuffer(stored, dtype="<f8").reshape(-1, 2).tolist()


@dataclass
class TrackUpload:
    """What became of one upload of track points: ``refused`` holds (index in the input,
    Chinese reason) for every point not stored."""

    accepted: int = 0
    duplicates: int = 0
    refused: list[tuple[int, str]] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# Standards


def all_standards() -> list[PatrolStandard]:
    return list(PatrolStandard.objects.all())


def pick_standard(standards: Iterable[PatrolStandard], grid_code: str) -> PatrolStandard:
    """The standard whose prefix is the longest prefix of ``grid_code`` (an unsaved default
    when the table is empty, so a missing seed never stops a patrol)."""
    best: PatrolStandard | None = None
    for standard in standards:
        if grid_code.startswith(standard.region_prefix) and (
            best is None or len(standard.region_prefix) > len(best.region_prefix)
        ):
            best = standard
    return best if best is not None else PatrolStandard(region_prefix="")


def standard_for(grid_code: str) -> PatrolStandard:
    return pick_standard(all_standards(), grid_code)


# ---------------------------------------------------------------------------------------------
# Geometry helpers (metres in a local projection, never degrees)


@lru_cache(maxsize=256)
def _local_transformer(lng0: float, lat0: float) -> Transformer:
    return Transformer.from_crs(
        "EPSG:4326",
        f"+proj=aeqd +lat_0={lat0} +lon_0={lng0} +datum=WGS84 +units=m +no_defs",
        always_xy=True,
    )


def local_projection(geom: BaseGeometry) -> Transformer:
    """An azimuthal equidistant projection centred on ``geom`` (a grid is a few hundred
    metres across, so distances and areas in it are exact to well under a metre)."""
    centre = geom.centroid
    # Rounded so that the patrols of one grid share a cached transformer.
    return _local_transformer(round(centre.x, 3), round(centre.y, 3))


def project(geom: BaseGeometry, transformer: Transformer) -> BaseGeometry:
    return shapely.transform(
        geom, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1]))
    )


def project_xy(
    lngs: Sequence[float], lats: Sequence[float], transformer: Transformer
) -> np.ndarray:
    x, y = transformer.transform(np.asarray(lngs, dtype=float), np.asarray(lats, dtype=float))
    return np.column_stack([x, y])


def grid_shape(grid: Grid) -> BaseGeometry:
    return shape(grid.geometry)


# ---------------------------------------------------------------------------------------------
# Patrols


def _worker_grid(worker: User, grid: Grid | None) -> Grid:
    if grid is not None:
        if not worker.in_scope(grid.code, reads="tracks") or grid.retired_on is not None:
            raise ValidationError({"grid": _("只能在本人负责的网格巡查")})
        return grid
    codes = [c for c in worker.scope_codes if len(c) == 15]
    grids = list(Grid.objects.filter(code__in=codes, retired_on__isnull=True).order_by("code"))
    if not grids:
        raise ValidationError({"grid": _("您还没有负责的网格,无法开始巡查")})
    if len(grids) > 1:
        raise ValidationError({"grid": _("您负责多个网格,请选择本次巡查的网格")})
    return grids[0]


def _parse_time(value: Any) -> datetime | None:
    """An aware datetime from a datetime or an ISO 8601 string; None when it is not one.
    Naive times are the city's local time (the phones run on Beijing time)."""
    if isinstance(value, str):
        text = value.strip()
        try:
            # The C parser takes what phones send ("…T09:30:00.123Z", "+08:00") quickly.
            value = datetime.fromisoformat(text)
        except ValueError:
            try:
                value = parse_datetime(text)
            except ValueError:
                return None
    if not isinstance(value, datetime):
        return None
    try:
        if value.tzinfo is None or value.utcoffset() is None:
            value = timezone.make_aware(value)
        # Years at the edge of the calendar cannot be compared across time zones.
        value.astimezone(UTC)
    except (OverflowError, ValueError):
        return None
    return value


def _as_aware(value: Any, name: str) -> datetime:
    parsed = _parse_time(value)
    if parsed is None:
        raise ValidationError({name: _("时间格式不正确")})
    return parsed


def _close_stale(patrol: Patrol) -> None:
    last = patrol.points.order_by("-at").values_list("at", flat=True).first()
    patrol.ended_at = max(last or patrol.started_at, patrol.started_at)
    patrol.save(update_fields=["ended_at"])
    _finish(patrol)


def patrol_start(
    *,
    worker: User,
    at: datetime | None = None,
    client_key: str = "",
    grid: Grid | None = None,
) -> Patrol:
    """Open a patrol of ``worker`` in their grid (their one grid scope, or ``grid`` if it is
    one of theirs). Idempotent for the phone: the same ``client_key`` returns the patrol it
    created, and a worker who already has an open patrol gets that one back. An open patrol
    left from more than 12 hours before is closed at its last point first."""
    if worker.role != Role.GRID_WORKER:
        raise PermissionDenied(_("只有网格员可以开始巡查"))
    client_key = (client_key or "").strip()
    if len(client_key) > 64:
        raise ValidationError({"client_key": _("客户端标识不能超过 64 个字符")})
    if client_key:
        existing = Patrol.objects.filter(worker=worker, client_key=client_key).first()
        if existing is not None:
            return existing
    now = timezone.now()
    started = _as_aware(at, "at") if at is not None else now
    if started > now + CLOCK_SLACK:
        raise ValidationError({"at": _("开始时间不能晚于当前时间")})
    if started < now - MAX_START_AGE:
        raise ValidationError({"at": _("开始时间不能早于 7 天前")})
    the_grid = _worker_grid(worker, grid)
    open_patrol = Patrol.objects.filter(worker=worker, ended_at__isnull=True).first()
    if open_patrol is not None:
        if open_patrol.started_at >= started - STALE_OPEN:
            return open_patrol
        _close_stale(open_patrol)
    try:
        with transaction.atomic():
            return Patrol.objects.create(
                worker=worker,
                grid=the_grid,
                grid_code=the_grid.code,
                started_at=started,
                client_key=client_key,
            )
    except IntegrityError:
        # The same start sent twice at once: the other request created it.
        return Patrol.objects.get(worker=worker, client_key=client_key)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


PointRow = tuple[datetime, float, float, float | None]


def _check_point(
    raw: Any, patrol: Patrol, standard: PatrolStandard, now: datetime
) -> PointRow | str:
    """The point as (at, lat, lng, accuracy), or the Chinese reason it is refused."""
    if not isinstance(raw, dict):
        return _("定位点格式不正确")
    at = _parse_time(raw.get("at"))
    if at is None:
        return _("定位时间缺失或格式不正确")
    lat, lng = _number(raw.get("lat")), _number(raw.get("lng"))
    if lat is None or lng is None:
        return _("经纬度缺失或不是数字")
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        return _("经纬度超出范围")
    accuracy = None
    if raw.get("accuracy") not in (None, ""):
        accuracy = _number(raw.get("accuracy"))
        if accuracy is None or accuracy < 0:
            return _("定位精度不是有效数字")
        if accuracy > standard.max_accuracy_m:
            return _("定位精度 %(a)d 米,超过 %(m)d 米上限") % {
                "a": round(accuracy),
                "m": standard.max_accuracy_m,
            }
    if at > now + CLOCK_SLACK:
        return _("定位时间晚于当前时间")
    if at < patrol.started_at - CLOCK_SLACK:
        return _("定位时间早于巡查开始时间")
    if patrol.ended_at is not None and at > patrol.ended_at + CLOCK_SLACK:
        return _("定位时间晚于巡查结束时间")
    return at, lat, lng, accuracy


def _insert_points(patrol_id: int, rows: list[PointRow]) -> None:
    """One multi-row insert that skips instants already stored (a concurrent re-send).

    The ORM's ``bulk_create`` builds a model instance and prepares every field of every
    point, which costs more than the insert itself at 20,000 points a second (issue 9
    "Speed"); ``ON CONFLICT DO NOTHING`` is the same statement on SQLite and PostgreSQL."""
    ops = connection.ops
    table = ops.quote_name(TrackPoint._meta.db_table)
    columns = ", ".join(ops.quote_name(c) for c in ("patrol_id", "at", "lat", "lng", "accuracy"))
    sql = f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s) ON CONFLICT DO NOTHING"
    params = [
        (patrol_id, ops.adapt_datetimefield_value(at), lat, lng, accuracy)
        for at, lat, lng, accuracy in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def track_points_add(*, patrol: Patrol, actor: User, points: list[dict[str, Any]]) -> TrackUpload:
    """Store a batch of GPS fixes of ``patrol`` (each ``{at, lat, lng, accuracy?}``; ``at`` an
    aware datetime or an ISO 8601 string, naive times being Beijing time).

    Rules (issue 9 "Bad input"), each refused point reported with its index and reason, the
    good points of the batch always kept:

    - latitude/longitude missing, not a number, NaN/infinite or out of range → refused;
    - accuracy above the standard's ``max_accuracy_m`` (or negative) → refused;
    - a time more than 5 minutes in the future, more than 5 minutes before the patrol
      started, or (for an ended patrol) more than 5 minutes after it ended → refused;
    - a point at an instant already stored for the patrol (or twice in the batch) is a
      duplicate: counted, not stored again, not an error (phones resend after a lost answer);
      a duplicate instant at a different place is recorded as a DUPLICATE flag;
    - points out of order are stored as they come: the track is read ordered by time.

    Ended patrols accept late points within their span (a phone that was offline); their
    metrics and flags are recomputed. Points received more than a day after they were taken
    are recorded as a BACKDATED flag. One insert per call, no per-point transaction.
    Only the patrol's own worker may add points (403 otherwise)."""
    if actor.pk != patrol.worker_id:
        raise PermissionDenied(_("只能上传本人巡查的轨迹"))
    if not isinstance(points, list):
        raise ValidationError({"points": _("轨迹点应为列表")})
    standard = standard_for(patrol.grid_code)
    now = timezone.now()
    result = TrackUpload()
    fresh: dict[datetime, PointRow] = {}
    for index, raw in enumerate(points):
        checked = _check_point(raw, patrol, standard, now)
        if isinstance(checked, str):
            result.refused.append((index, checked))
        elif checked[0] in fresh:
            result.duplicates += 1
        else:
            fresh[checked[0]] = checked
    if not fresh:
        return result
    stored = {
        at: (lat, lng)
        for at, lat, lng in TrackPoint.objects.filter(
            patrol=patrol, at__gte=min(fresh), at__lte=max(fresh)
        ).values_list("at", "lat", "lng")
    }
    new: list[PointRow] = []
    conflicting: list[datetime] = []
    for at, row in fresh.items():
        if at in stored:
            result.duplicates += 1
            lat, lng = stored[at]
            if abs(lat - row[1]) > 1e-6 or abs(lng - row[2]) > 1e-6:
                conflicting.append(at)
        else:
            new.append(row)
    if new:
        _insert_points(patrol.pk, new)
        _move_last_fix(patrol, max(new, key=lambda row: row[0]))
    result.accepted = len(new)
    late = [row[0] for row in new if row[0] < now - BACKDATED_AFTER]
    _record_upload_flags(patrol, conflicting, late, now)
    if patrol.ended_at is not None and new:
        _finish(patrol)
    return result


def _move_last_fix(patrol: Patrol, newest: PointRow) -> None:
    """Move the patrol's last fix (the on-duty map's position) to ``newest`` unless a later
    one is stored: one conditional update, so an offline batch of older points arriving
    after newer ones never moves the worker back."""
    at, lat, lng, _accuracy = newest
    Patrol.objects.filter(Q(last_at__isnull=True) | Q(last_at__lt=at), pk=patrol.pk).update(
        last_at=at, last_lat=lat, last_lng=lng
    )


def _record_upload_flags(
    patrol: Patrol, conflicting: list[datetime], late: list[datetime], now: datetime
) -> None:
    """Flags about uploads rather than about the track: they cannot be recomputed from the
    stored points later, so they are written when seen and ``flag_patrol`` keeps them."""
    flags = []
    if conflicting:
        first = min(conflicting)
        flags.append(
            PatrolFlag(
                patrol=patrol,
                grid_code=patrol.grid_code,
                kind=FlagKind.DUPLICATE,
                at=first,
                detail=_("%(t)s 起 %(n)d 个定位点重复上传且位置不同")
                % {"t": timezone.localtime(first).strftime("%H:%M"), "n": len(conflicting)},
            )
        )
    if late:
        first = min(late)
        hours = (now - first).total_seconds() / 3600
        flags.append(
            PatrolFlag(
                patrol=patrol,
                grid_code=patrol.grid_code,
                kind=FlagKind.BACKDATED,
                at=first,
                detail=_("%(n)d 个定位点在采集 %(h)d 小时后才上传,超过 24 小时")
                % {"n": len(late), "h": int(hours)},
            )
        )
    if flags:
        PatrolFlag.objects.bulk_create(flags)


def _finish(patrol: Patrol) -> None:
    from civicgrid.fieldwork.supervision import flag_patrol

    compute_metrics(patrol)
    flag_patrol(patrol)


def patrol_end(*, patrol: Patrol, actor: User, at: datetime | None = None) -> Patrol:
    """End the patrol (a second call changes nothing), compute its metrics and 电子监察 flags."""
    if actor.pk != patrol.worker_id:
        raise PermissionDenied(_("只能结束本人的巡查"))
    if patrol.ended_at is not None:
        return patrol
    now = timezone.now()
    ended = _as_aware(at, "at") if at is not None else now
    if ended > now + CLOCK_SLACK:
        raise ValidationError({"at": _("结束时间不能晚于当前时间")})
    if ended < patrol.started_at:
        raise ValidationError({"at": _("结束时间不能早于开始时间")})
    # Compare-and-set: two "end" taps at once end the patrol once.
    updated = Patrol.objects.filter(pk=patrol.pk, ended_at__isnull=True).update(ended_at=ended)
    patrol.refresh_from_db()
    if updated:
        _finish(patrol)
    return patrol


def compute_metrics(patrol: Patrol) -> Patrol:
    """Duration, geodesic length, share of the track's length inside the grid, coverage of
    the grid and number of points, from the stored points; saved on the patrol.

    Coverage is the share of the grid's current buildings within ``coverage_radius_m`` of
    the track; for a grid without located buildings it is the share of the grid's area
    within that distance, measured in a local metric projection."""
    rows = list(patrol.points.order_by("at").values_list("at", "lat", "lng"))
    standard = standard_for(patrol.grid_code)
    end = patrol.ended_at or (rows[-1][0] if rows else patrol.started_at)
    patrol.duration_s = max(0, int((end - patrol.started_at).total_seconds()))
    patrol.point_count = len(rows)
    # An open patrol's outline would be stale by its next upload: the map reads its points.
    patrol.outline = pack_outline(track_outline(rows)) if patrol.ended_at is not None else None
    if rows:
        patrol.last_at, patrol.last_lat, patrol.last_lng = rows[-1]
    lats = [r[1] for r in rows]
    lngs = [r[2] for r in rows]
    patrol.distance_m = float(GEOD.line_length(lngs, lats)) if len(rows) >= 2 else 0.0
    if not rows:
        patrol.inside_share = None
        patrol.coverage_share = None
    else:
        poly_ll = grid_shape(patrol.grid)
        transformer = local_projection(poly_ll)
        poly = project(poly_ll, transformer)
        xy = project_xy(lngs, lats, transformer)
        track: BaseGeometry = LineString(xy) if len(rows) >= 2 else Point(xy[0])
        if track.length > 0:
            patrol.inside_share = min(1.0, track.intersection(poly).length / track.length)
        else:
            patrol.inside_share = 1.0 if poly.covers(Point(xy[0])) else 0.0
        patrol.coverage_share = _coverage(patrol, track, poly, transformer, standard)
    patrol.save(
        update_fields=[
            "duration_s", "distance_m", "inside_share", "coverage_share", "point_count",
            "outline", "last_at", "last_lat", "last_lng",
        ]
    )  # fmt: skip
    return patrol


def _coverage(
    patrol: Patrol,
    track: BaseGeometry,
    poly: BaseGeometry,
    transformer: Transformer,
    standard: PatrolStandard,
) -> float | None:
    radius = float(standard.coverage_radius_m)
    located = list(
        Building.objects.filter(grid_id=patrol.grid_id, retired_on__isnull=True).values_list(
            "lng", "lat"
        )
    )
    if located:
        xy = project_xy([b[0] for b in located], [b[1] for b in located], transformer)
        near = shapely.dwithin(track, shapely.points(xy), radius)
        return float(np.count_nonzero(near)) / len(located)
    if poly.area <= 0:
        return None
    return min(1.0, poly.intersection(track.buffer(radius)).area / poly.area)


def patrol_report_case(
    *,
    patrol: Patrol,
    actor: User,
    category: Any,
    description: str,
    lat: float | None = None,
    lng: float | None = None,
    address: str = "",
    photos: Sequence[Any] = (),
    urgent: bool = False,
) -> Case:
    """A problem found on patrol becomes a case through the one intake (cases.services
    .case_report, channel 网格员上报) and is linked to the patrol. Without a position the
    patrol's last point is used, the place the worker stands."""
    from civicgrid.cases.choices import Channel
    from civicgrid.cases.services import case_report

    if actor.pk != patrol.worker_id:
        raise PermissionDenied(_("只能在本人的巡查中上报"))
    if lat is None and lng is None:
        last = patrol.points.order_by("-at").values_list("lat", "lng").first()
        if last is not None:
            lat, lng = last
    with transaction.atomic():
        case = case_report(
            channel=Channel.GRID_WORKER,
            category=category,
            description=description,
            lat=lat,
            lng=lng,
            address=address,
            photos=photos,
            actor=actor,
            urgent=urgent,
        )
        PatrolFinding.objects.create(patrol=patrol, case=case)
    return case
