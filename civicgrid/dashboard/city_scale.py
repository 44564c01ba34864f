"""A whole synthetic city at the scale of a real one, for load tests and capacity planning
(docs/scaling.md "City-scale run"): regions, irregular (Voronoi) grids, buildings, dwellings,
households, people with valid resident IDs, and years of cases with consistent histories.

Everything is written as prepared rows through ``core.bulk`` (COPY on PostgreSQL), batch by
batch, so memory stays bounded whatever the size: only per-grid sample points and a few
counters live for the whole run. Values still go through each field's ``get_db_prep_save``,
so the personal data is encrypted exactly as the ORM would store it, and every row gets the
"+" history row simple-history would have written. The same seed, sizes and ``now`` give the
same rows (ciphertexts apart: the cipher draws a fresh nonce per value).
"""

from __future__ import annotations

import math
import operator
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as time_of_day
from typing import Any

import numpy as np
import shapely
from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.utils import timezone

from civicgrid.accounts.choices import Role
from civicgrid.accounts.demo import DEMO_PASSWORD
from civicgrid.accounts.models import Scope, User
from civicgrid.cases.choices import Action, CaseStatus, Channel, HandlingLevel, Satisfaction, Stage
from civicgrid.cases.deadlines import rule_for, stage_due
from civicgrid.cases.demo import DEMO_MAJORS, descriptions_for
from civicgrid.cases.models import Case, CaseEvent, CaseNumberSequence, Category
from civicgrid.core.bulk import fewer_collections, insert_rows, reserve_ids
from civicgrid.core.pii import EncryptedTextField, blind_index
from civicgrid.fieldwork.choices import VisitPurpose
from civicgrid.fieldwork.models import LastHouseholdVisit, LastPersonVisit, Visit, VisitRule
from civicgrid.fieldwork.visits import latest_visits, rule_for_household, rule_for_tag
from civicgrid.geo.geometry import area_m2, to_geojson, to_shape
from civicgrid.geo.index import bump_version, reset_index
from civicgrid.geo.models import Grid, Region
from civicgrid.registry import identity
from civicgrid.registry.choices import (
    PARTY_STATUSES,
    BuildingType,
    DocumentType,
    DwellingUse,
    Education,
    FloatReason,
    HouseholdKind,
    LodgingType,
    MaritalStatus,
    Occupancy,
    PersonStatus,
    PoliticalStatus,
    Presence,
    Relation,
    Residency,
    Sex,
)
from civicgrid.registry.models import Building, Dwelling, Household, Person, PersonTag, TagKind

# Real Guiyang district codes (known to the resident-ID checker), in the order streets fill them.
DISTRICTS = [
    ("520102", "南明区"),
    ("520103", "云岩区"),
    ("520111", "花溪区"),
    ("520112", "乌当区"),
    ("520113", "白云区"),
    ("520115", "观山湖区"),
    ("520121", "开阳县"),
    ("520122", "息烽县"),
    ("520123", "修文县"),
    ("520181", "清镇市"),
]
# Home counties of the floating population.
ELSEWHERE = [
    ("522401", "贵州省毕节市"),
    ("522501", "贵州省安顺市"),
    ("522601", "贵州省凯里市"),
    ("522701", "贵州省都匀市"),
    ("510104", "四川省成都市"),
    ("530102", "云南省昆明市"),
    ("430102", "湖南省长沙市"),
]
GRIDS_PER_COMMUNITY = 200
COMMUNITIES_PER_STREET = 50
PEOPLE_PER_GRID = 400  # a real grid: 300-500 households
# About 55 km × 50 km around central Guiyang: 25,000 grids of ~0.1 km².
WEST, EAST, SOUTH, NORTH = 106.40, 106.95, 26.35, 26.80
YEARS_OF_CASES = 3
SURNAMES = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚"
)
GIVEN = list(
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国林波宇浩凯婷雪梅琳晨阳文斌"
    "欣怡子轩梓涵一诺宇航思雨佳豪俊杰雨泽家乐嘉欣志远海燕春兰秋菊德胜永福"
)
ETHNICITIES = ["汉族"] * 12 + ["苗族", "布依族", "侗族", "土家族", "彝族", "水族"]
ROADS = ["中华南路", "新华路", "遵义路", "瑞金南路", "宝山南路", "富水中路", "市府路", "都司路"]
ESTATES = ["花果园", "阳光小区", "金桥苑", "翠苑", "和平里", "向阳新村", "锦绣园", "南明花园"]
OCCUPATIONS = ["教师", "司机", "医生", "工人", "个体经营", "公务员", "销售", "厨师", "保安", ""]
MOBILE_PREFIXES = ["138", "139", "150", "151", "152", "158", "177", "180", "186", "187", "199"]
# Household sizes 1–6 with the frequencies of a Chinese city census.
HOUSEHOLD_SIZES = [1, 2, 3, 4, 5, 6]
HOUSEHOLD_WEIGHTS = [20, 29, 27, 14, 7, 3]
EARLIEST_BIRTH = date(1925, 1, 1)
# Care groups as a street's ledger has them: who lives alone at 70+, older couples on their
# own, and a share of low-income households; each with the visit rules' intervals.
ALONE_AGE, ALONE_SHARE = 70, 0.8
EMPTY_NEST_AGE, EMPTY_NEST_SHARE = 65, 0.6
LOW_INCOME_SHARE = 0.015
# Each rule's people and households were last visited up to this many intervals ago, so
# about a fifth are overdue, by a few days to a quarter of an interval; a few fell behind by
# up to four intervals. Whoever was registered (or tagged) after that day is not visited yet.
LAST_VISIT_SPAN, LAPSED_SHARE, LAPSED_SPAN = 1.25, 0.05, 4.0
VISIT_NOTES = ["见面,生活正常", "家中无异常", "已宣传防诈骗知识", "提醒注意用电用气安全"]
GIVEN_NAMES = 600
EDUCATIONS = [str(v) for v in Education.values]
MARITAL = [str(v) for v in MaritalStatus.values]
MOODS = [str(v) for v in Satisfaction.values]


class CityMissing(Exception):
    """``add_cases`` was asked to extend a database that holds no generated city."""


class CityExists(Exception):
    """The database already holds grids: a city is generated only into an empty one."""


@dataclass
class CityReport:
    regions: int = 0
    grids: int = 0
    buildings: int = 0
    dwellings: int = 0
    households: int = 0
    people: int = 0
    cases: int = 0
    events: int = 0
    tags: int = 0
    visits: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    users: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------- prepared rows
def _preparer(f: models.Field[Any, Any]) -> Callable[[Any], Any]:
    """``get_db_prep_save`` for one column, skipped where it cannot change the value (plain
    strings and numbers, dates on PostgreSQL, UTC datetimes on SQLite: what the backend's
    ``adapt_*`` would return); encrypted columns always go through the field (a fresh nonce
    per value), and a flat JSON object once per distinct value (event data repeats a handful
    of shapes)."""
    prep = f.get_db_prep_save
    if isinstance(f, EncryptedTextField):
        return lambda v: prep(v, connection)
    if isinstance(f, models.JSONField):
        memo: dict[Any, Any] = {}

        def json_value(v: Any) -> Any:
            try:
                key = tuple(sorted(v.items()))
                hash(key)
            except (AttributeError, TypeError):  # not a flat object: a geometry, a list
                return prep(v, connection)
            if key not in memo:
                memo[key] = prep(v, connection)
            return memo[key]

        return json_value
    if isinstance(f, (models.CharField, models.TextField)):
        # TextChoices members are str subclasses the drivers may refuse: their value.
        return lambda v: (
            v
            if v is None or type(v) is str
            else str(v)
            if isinstance(v, str)
            else prep(v, connection)
        )
    numbers = (models.IntegerField, models.ForeignKey, models.FloatField, models.BooleanField)
    if isinstance(f, numbers):
        return lambda v: v if v is None or type(v) in (int, float, bool) else prep(v, connection)
    sqlite = connection.vendor == "sqlite"
    if isinstance(f, models.DateTimeField):
        if not sqlite:
            return lambda v: v if v is None or type(v) is datetime else prep(v, connection)
        # SQLite stores naive UTC text (the connection's time zone is UTC under USE_TZ).
        return lambda v: (
            None if v is None else str(v.astimezone(UTC).replace(tzinfo=None))
            if type(v) is datetime and v.tzinfo is not None else prep(v, connection)
        )  # fmt: skip
    if isinstance(f, models.DateField):
        if not sqlite:
            return lambda v: v if v is None or type(v) is date else prep(v, connection)
        return lambda v: None if v is None else str(v) if type(v) is date else prep(v, connection)
    return lambda v: None if v is None else prep(v, connection)


class _Table:
    """Writes records (attname → value) of one model as prepared rows, with their "+"
    historical rows, through ``core.bulk``."""

    def __init__(self, model: type[models.Model], now: datetime) -> None:
        meta = model._meta
        assert meta.pk is not None
        self.table, self.pk = meta.db_table, meta.pk.column
        fields = list(meta.concrete_fields)
        self.attnames = [f.attname for f in fields]
        self.columns = [f.column for f in fields]
        self.prepare = [_preparer(f) for f in fields]
        self.plan = list(zip(self.attnames, self.prepare, strict=True))
        self.defaults = {f.attname: f.get_default() for f in fields if not f.primary_key}
        for f in fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                self.defaults[f.attname] = now
        self.history: tuple[str, list[str], Callable[[Any], Any], list[Any]] | None = None
        manager = getattr(model, "history", None)
        if manager is not None:
            hfields = [f for f in manager.model._meta.concrete_fields if not f.primary_key]
            fixed = {
                "history_date": now,
                "history_change_reason": None,
                "history_type": "+",
                "history_user_id": None,
            }
            position = {a: i for i, a in enumerate(self.attnames)}
            consts: list[Any] = []
            picks = []
            for f in hfields:
                if f.attname in fixed:
                    picks.append(len(self.attnames) + len(consts))
                    consts.append(f.get_db_prep_save(fixed[f.attname], connection))
                else:
                    picks.append(position[f.attname])
            self.history = (
                manager.model._meta.db_table,
                [f.column for f in hfields],
                operator.itemgetter(*picks),
                consts,
            )

    def ids(self, count: int) -> list[int]:
        return reserve_ids(self.table, self.pk, count)

    def record(self, **values: Any) -> dict[str, Any]:
        out = dict(self.defaults)
        out.update(values)
        return out

    def write(self, records: list[dict[str, Any]]) -> int:
        if not records:
            return 0
        plan = self.plan
        rows = [[prep(r[a]) for a, prep in plan] for r in records]
        insert_rows(self.table, self.columns, rows)
        if self.history is not None:
            table, columns, pick, consts = self.history
            insert_rows(table, columns, (pick([*row, *consts]) for row in rows))
        return len(rows)


# ---------------------------------------------------------------------------- geography
@dataclass
class _GridInfo:
    pk: int
    code: str
    district: str  # area code for resident IDs
    community: int  # index into communities
    points: np.ndarray  # sample points inside the grid, shape (k, 2)


def voronoi_grids(count: int, seed: int) -> list[shapely.Polygon]:
    """``count`` irregular cells tiling the city box, ordered so that consecutive runs of
    cells are compact (strips west→east, serpentine south↔north): each community is a run."""
    rng = np.random.default_rng(seed)
    frame = shapely.box(WEST, SOUTH, EAST, NORTH)
    seeds = shapely.multipoints(
        np.column_stack([rng.uniform(WEST, EAST, count), rng.uniform(SOUTH, NORTH, count)])
    )
    cells = shapely.get_parts(shapely.voronoi_polygons(seeds, extend_to=frame))
    cells = shapely.intersection(cells, frame)
    cells = [c for c in cells if c.geom_type == "Polygon" and not c.is_empty]
    communities = max(1, math.ceil(len(cells) / GRIDS_PER_COMMUNITY))
    strips = max(1, round(math.sqrt(communities)))
    centres = shapely.get_coordinates(shapely.centroid(cells))
    strip = np.minimum(((centres[:, 0] - WEST) / (EAST - WEST) * strips).astype(int), strips - 1)
    northing = np.where(strip % 2 == 0, centres[:, 1], -centres[:, 1])
    order = np.lexsort((northing, strip))
    return [cells[i] for i in order]


def _sample_points(poly: shapely.Polygon, k: int, rng: np.random.Generator) -> np.ndarray:
    minx, miny, maxx, maxy = poly.bounds
    out = np.empty((0, 2))
    while len(out) < k:
        xs = rng.uniform(minx, maxx, 4 * k)
        ys = rng.uniform(miny, maxy, 4 * k)
        inside = shapely.contains_xy(poly, xs, ys)
        out = np.concatenate([out, np.column_stack([xs[inside], ys[inside]])])
    return np.round(out[:k], 6)


@dataclass
class _FieldRecord:
    """One chunk's care tags and visits, written after its people."""

    tags: list[dict[str, Any]] = field(default_factory=list)
    visits: list[dict[str, Any]] = field(default_factory=list)


class _Builder:
    def __init__(
        self,
        *,
        people: int,
        cases: int,
        grids: int,
        seed: int,
        now: datetime,
        batch: int,
        progress: Callable[[str], None],
    ) -> None:
        self.people, self.cases, self.grid_count = people, cases, grids
        self.seed, self.now, self.batch = seed, now, batch
        self.today = timezone.localdate(now)
        self.say = progress
        self.report = CityReport()
        self.tables = {
            m: _Table(m, now)
            for m in (Region, Grid, Building, Dwelling, Household, Person, Case, CaseEvent,
                      PersonTag, Visit, LastHouseholdVisit, LastPersonVisit)
        }  # fmt: skip
        self.grids: list[_GridInfo] = []
        self.community_codes: list[str] = []
        self.initials: dict[str, str] = {}
        self.serials_before: dict[tuple[int, int], int] = {}  # (community, day) → last serial
        pool = random.Random(seed)
        self.given_names = sorted(
            {pool.choice(GIVEN) + (pool.choice(GIVEN) if pool.random() < 0.7 else "")
             for _ in range(GIVEN_NAMES)}
        )  # fmt: skip

    # ---------------------------------------------------------------- regions and grids
    def build_geography(self) -> None:
        started = time.monotonic()
        cells = voronoi_grids(self.grid_count, self.seed)
        n_communities = max(1, math.ceil(len(cells) / GRIDS_PER_COMMUNITY))
        n_streets = max(1, math.ceil(n_communities / COMMUNITIES_PER_STREET))
        n_districts = min(len(DISTRICTS), n_streets)
        regions = self.tables[Region]
        ids = iter(regions.ids(2 + n_districts + n_streets + n_communities))
        province, city = next(ids), next(ids)
        records = [
            regions.record(id=province, code="52", name="贵州省", short_name="贵州省",
                           level="province", parent_id=None, boundary=None),
            regions.record(id=city, code="5201", name="贵阳市", short_name="贵阳市",
                           level="city", parent_id=province, boundary=None),
        ]  # fmt: skip
        districts = []
        for code, name in DISTRICTS[:n_districts]:
            pk = next(ids)
            districts.append((pk, code))
            records.append(
                regions.record(id=pk, code=code, name=name, short_name=name, level="district",
                               parent_id=city, boundary=None)
            )  # fmt: skip
        streets = []
        serial_in_district = [0] * n_districts
        for s in range(n_streets):
            d = s % n_districts
            serial_in_district[d] += 1
            pk, code = next(ids), f"{districts[d][1]}{serial_in_district[d]:03d}"
            streets.append((pk, code, districts[d][1]))
            records.append(
                regions.record(id=pk, code=code, name=f"第{s + 1}街道办事处",
                               short_name=f"第{s + 1}街道", level="street",
                               parent_id=districts[d][0], boundary=None)
            )  # fmt: skip
        community_pks = []
        for c in range(n_communities):
            street_pk, street_code, area = streets[c // COMMUNITIES_PER_STREET]
            pk, code = next(ids), f"{street_code}{c % COMMUNITIES_PER_STREET + 1:03d}"
            members = cells[c * GRIDS_PER_COMMUNITY : (c + 1) * GRIDS_PER_COMMUNITY]
            outline = shapely.coverage_union_all(members)
            records.append(
                regions.record(id=pk, code=code, name=f"第{c + 1}社区居民委员会",
                               short_name=f"第{c + 1}社区", level="community",
                               parent_id=street_pk, boundary=to_geojson(outline))
            )  # fmt: skip
            community_pks.append((pk, code, area))
            self.community_codes.append(code)
        self.report.regions = regions.write(records)

        grid_table = self.tables[Grid]
        grid_ids = grid_table.ids(len(cells))
        rng = np.random.default_rng(self.seed + 1)
        grid_records = []
        for i, (pk, poly) in enumerate(zip(grid_ids, cells, strict=True)):
            community_pk, community_code, area = community_pks[i // GRIDS_PER_COMMUNITY]
            serial = i % GRIDS_PER_COMMUNITY + 1
            code = f"{community_code}{serial:03d}"
            grid_records.append(
                grid_table.record(id=pk, code=code, name=f"第{i + 1}网格",
                                  community_id=community_pk, geometry=to_geojson(poly),
                                  area_m2=area_m2(poly), valid_from=date(2025, 1, 1),
                                  retired_on=None)
            )  # fmt: skip
            self.grids.append(
                _GridInfo(pk, code, area, i // GRIDS_PER_COMMUNITY, _sample_points(poly, 24, rng))
            )
        self.report.grids = grid_table.write(grid_records)
        bump_version()
        self.report.seconds["geography"] = time.monotonic() - started
        self.say(f"区划与网格:{n_communities} 个社区,{len(cells)} 个网格")

    def load_city(self) -> None:
        """What ``build_cases`` needs of a city ``build_city`` made earlier: its grids with
        points inside them, its communities' accounts and the case numbers already given."""
        communities = list(
            Region.objects.filter(level="community").order_by("code").values_list("pk", "code")
        )
        self.community_codes = [code for _, code in communities]
        position = {pk: c for c, (pk, _) in enumerate(communities)}
        rng = np.random.default_rng(self.seed + 1)
        for pk, code, community_id, geometry in (
            Grid.objects.filter(retired_on__isnull=True)
            .order_by("code")
            .values_list("pk", "code", "community_id", "geometry")
        ):
            poly = to_shape(geometry)
            self.grids.append(
                _GridInfo(pk, code, code[:6], position[community_id], _sample_points(poly, 24, rng))
            )
        # (role word of the username, community code) → the account build_users made.
        accounts = {
            (scope.user.username.split("_")[1], scope.code): scope.user
            for scope in Scope.objects.select_related("user").filter(
                user__username__regex=r"^city_(secretary|worker)_[0-9]+$"
            )
        }
        self.command = User.objects.get(username="city_command")
        self.secretaries = [accounts["secretary", code] for code in self.community_codes]
        self.workers = [accounts["worker", code] for code in self.community_codes]
        # The counters are written when a run ends, so a run that was stopped left none:
        # the numbers themselves say which serials are taken.
        of_code = {code: c for c, code in enumerate(self.community_codes)}
        taken = self.serials_before
        for number in Case.objects.values_list("number", flat=True).iterator(chunk_size=50_000):
            prefix, ymd, serial = number.split("-")
            if prefix in of_code:
                key = (of_code[prefix], date(int(ymd[:4]), int(ymd[4:6]), int(ymd[6:])).toordinal())
                taken[key] = max(taken.get(key, 0), int(serial))
        for prefix, day, last in CaseNumberSequence.objects.filter(
            prefix__in=self.community_codes
        ).values_list("prefix", "day", "last"):
            key = (of_code[prefix], day.toordinal())
            taken[key] = max(taken.get(key, 0), last)

    # ---------------------------------------------------------------- accounts
    def build_users(self) -> None:
        password = make_password(DEMO_PASSWORD)  # hashed once: every account shares it
        users: list[User] = [
            User(username="city_command", full_name="市网格管理中心", role=Role.COMMAND,
                 password=password)
        ]  # fmt: skip
        scopes = ["5201"]
        for c, code in enumerate(self.community_codes):
            users.append(User(username=f"city_secretary_{c + 1}", full_name=f"第{c + 1}社区书记",
                              role=Role.SECRETARY, password=password))  # fmt: skip
            users.append(User(username=f"city_worker_{c + 1}", full_name=f"第{c + 1}社区网格员",
                              role=Role.GRID_WORKER, password=password))  # fmt: skip
            scopes += [code, code]
        created = User.objects.bulk_create(users)
        Scope.objects.bulk_create(
            Scope(user=u, code=code) for u, code in zip(created, scopes, strict=True)
        )
        self.command = created[0]
        self.secretaries = created[1::2]
        self.workers = created[2::2]
        self.report.users = [u.username for u in created[:3]]

    # ---------------------------------------------------------------- people
    def _name(self, rng: random.Random, surname: str | None = None) -> tuple[str, str]:
        """A name from a realistic pool (a few hundred surnames × a few hundred given names:
        names repeat in a city, and pinyin initials are worked out once per name)."""
        surname = surname or rng.choice(SURNAMES)
        name = surname + rng.choice(self.given_names)
        initials = self.initials.get(name)
        if initials is None:
            initials = self.initials[name] = identity.name_initials(name)
        return name, initials

    def _resident_id(self, area: str, birth: date, male: bool) -> tuple[str, date]:
        """A unique valid resident ID: the 3-digit sequence counts people of one area, birth
        date and sex (odd for men); a full day moves the birth date on by a day."""
        while True:
            key = (self.area_index[area], birth.toordinal() - EARLIEST_BIRTH.toordinal(), int(male))
            used = int(self.id_counts[key])
            if used < 500:
                self.id_counts[key] = used + 1
                first17 = f"{area}{birth:%Y%m%d}{used * 2 + int(male):03d}"
                return first17 + identity.ric_check_digit(first17), birth
            birth += timedelta(days=1)

    def _birth(self, rng: random.Random, age_lo: int, age_hi: int) -> date:
        lo = max(0, age_lo) * 365
        hi = max(lo + 1, age_hi * 365)
        born = self.today - timedelta(days=rng.randint(lo, hi))
        return max(born, EARLIEST_BIRTH)

    def build_people(self) -> None:
        started = time.monotonic()
        self.visit_rules = list(VisitRule.objects.filter(retired_on__isnull=True))
        self.tag_kinds = dict(
            TagKind.objects.filter(
                code__in=["elderly_alone", "empty_nest", "low_income"], retired_on__isnull=True
            ).values_list("code", "pk")
        )
        # People per (area, birth date, sex): a few MB even for ten million people.
        areas = [code for code, _ in DISTRICTS] + [code for code, _ in ELSEWHERE]
        self.area_index = {code: i for i, code in enumerate(areas)}
        days = self.today.toordinal() - EARLIEST_BIRTH.toordinal() + 400
        self.id_counts = np.zeros((len(areas), days, 2), dtype=np.int16)
        rng = random.Random(self.seed * 7 + 2)
        per_grid, extra = divmod(self.people, len(self.grids))
        chunk: list[tuple[_GridInfo, int]] = []
        pending = 0
        for i, grid in enumerate(self.grids):
            quota = per_grid + (1 if i < extra else 0)
            chunk.append((grid, quota))
            pending += quota
            if pending >= self.batch or i == len(self.grids) - 1:
                with transaction.atomic():
                    self._people_chunk(chunk, rng)
                chunk, pending = [], 0
                done = self.report.people
                spent = time.monotonic() - started
                self.say(f"人口:{done:,}/{self.people:,}({done / max(spent, 1e-9):,.0f} 人/秒)")
        self.report.seconds["people"] = time.monotonic() - started

    def _people_chunk(self, chunk: list[tuple[_GridInfo, int]], rng: random.Random) -> None:
        t = self.tables
        # Plan the chunk first (sizes only), then reserve every key it needs at once.
        plan = []
        for grid, quota in chunk:
            sizes = []
            left = quota
            while left > 0:
                size = min(left, rng.choices(HOUSEHOLD_SIZES, HOUSEHOLD_WEIGHTS)[0])
                sizes.append(size)
                left -= size
            empty = max(0, round(len(sizes) * 0.08))
            plan.append((grid, sizes, empty))
        n_households = sum(len(s) for _, s, _ in plan)
        n_dwellings = n_households + sum(e for _, _, e in plan)
        n_people = sum(q for _, q in chunk)
        # Buildings: floors × units × 2 rooms; reserve generously, use what is needed.
        building_ids = iter(t[Building].ids(max(1, n_dwellings // 12 + 2 * len(plan))))
        dwelling_ids = iter(t[Dwelling].ids(n_dwellings))
        household_ids = iter(t[Household].ids(n_households))
        person_ids = iter(t[Person].ids(n_people))
        buildings, dwellings, households, people = [], [], [], []
        care = _FieldRecord()
        verified_since = self.today - timedelta(days=365)
        for grid, sizes, empty in plan:
            road = rng.choice(ROADS)
            estate = rng.choice(ESTATES)
            gid, gcode = grid.pk, grid.code
            rooms: list[tuple[int, str, str, int, str]] = []  # building, unit, room, floor, address
            b_serial = 0
            while len(rooms) < len(sizes) + empty:
                b_serial += 1
                bpk = next(building_ids)
                floors, units = rng.randint(6, 18), rng.randint(1, 3)
                lng, lat = grid.points[rng.randrange(len(grid.points))]
                address = f"{road}{b_serial * 2}号{estate}{b_serial}栋"
                buildings.append(
                    t[Building].record(id=bpk, grid_id=gid, grid_code=gcode, address=address,
                                       name=f"{estate}{b_serial}栋", lat=float(lat),
                                       lng=float(lng), floors=floors, units=units,
                                       building_type=BuildingType.RESIDENTIAL,
                                       last_verified_on=None)
                )  # fmt: skip
                for unit in range(1, units + 1):
                    for floor in range(1, floors + 1):
                        for door in (1, 2):
                            rooms.append(
                                (bpk, str(unit), f"{floor}{door:02d}", floor,
                                 f"{address}{unit}单元{floor}{door:02d}室")
                            )  # fmt: skip
            rooms = rooms[: len(sizes) + empty]
            occupied = set(rng.sample(range(len(rooms)), len(sizes)))
            h_serial = 0
            for r_index, (bpk, unit_name, room, floor, address) in enumerate(rooms):
                dpk = next(dwelling_ids)
                rented = r_index in occupied and rng.random() < 0.2
                occupancy = (
                    Occupancy.RENTED if rented
                    else Occupancy.OWNER if r_index in occupied else Occupancy.VACANT
                )  # fmt: skip
                dwellings.append(
                    t[Dwelling].record(id=dpk, grid_id=gid, grid_code=gcode, building_id=bpk,
                                       unit=unit_name, floor=floor, room=room,
                                       use=DwellingUse.RESIDENTIAL, occupancy=occupancy)
                )  # fmt: skip
                if r_index not in occupied:
                    continue
                size = sizes[h_serial]
                h_serial += 1
                hpk = next(household_ids)
                floating = rented and rng.random() < 0.7
                members = self._family(
                    rng, size, grid, hpk, dpk, address, floating, person_ids, verified_since
                )
                people.extend(members)
                kind = HouseholdKind.FLOATING if floating else HouseholdKind.REGISTERED
                # Registered when the family moved in (a household's visits fall due from then).
                registered = timezone.make_aware(
                    datetime.combine(members[0]["moved_in_on"], time_of_day(10))
                )
                households.append(
                    t[Household].record(id=hpk, grid_id=gid, grid_code=gcode, dwelling_id=dpk,
                                        number=f"{gcode}{h_serial:04d}", kind=kind,
                                        head_id=members[0]["id"], created_at=registered)
                )  # fmt: skip
                self._care(rng, grid, hpk, kind, occupancy, registered, members, care)
        # Households name their heads and people their households: PostgreSQL and SQLite
        # check these deferred foreign keys at commit, after both are in.
        self.report.buildings += t[Building].write(buildings)
        self.report.dwellings += t[Dwelling].write(dwellings)
        self.report.households += t[Household].write(households)
        self.report.people += t[Person].write(people)
        for record, pk in zip(care.tags, t[PersonTag].ids(len(care.tags)), strict=True):
            record["id"] = pk
        self.report.tags += t[PersonTag].write(care.tags)
        for record, pk in zip(care.visits, t[Visit].ids(len(care.visits)), strict=True):
            record["id"] = pk
        self.report.visits += t[Visit].write(care.visits)
        last_households, last_persons = latest_visits(
            (r["household_id"], r["person_id"], r["visited_at"]) for r in care.visits
        )
        for table, column, latest in (
            (t[LastHouseholdVisit], "household_id", last_households),
            (t[LastPersonVisit], "person_id", last_persons),
        ):
            table.write([table.record(**{column: pk}, visited_at=at) for pk, at in latest.items()])

    def _care(
        self,
        rng: random.Random,
        grid: _GridInfo,
        household: int,
        kind: str,
        occupancy: str,
        registered: datetime,
        members: list[dict[str, Any]],
        care: _FieldRecord,
    ) -> None:
        """The household's care tags and the last visit each rule asked for, as the field
        record of a city that has used the system for years (fieldwork's visit rules)."""
        ages = [(self.today - m["birth_date"]).days // 365 for m in members]
        tagged: list[tuple[dict[str, Any], str]] = []
        if len(members) == 1 and ages[0] >= ALONE_AGE and rng.random() < ALONE_SHARE:
            tagged.append((members[0], "elderly_alone"))
        elif len(members) == 2 and min(ages) >= EMPTY_NEST_AGE and rng.random() < EMPTY_NEST_SHARE:
            tagged += [(m, "empty_nest") for m in members]
        if rng.random() < LOW_INCOME_SHARE:
            tagged.append((members[0], "low_income"))
        worker = self.workers[grid.community].pk
        t = self.tables
        for person, code in tagged:
            kind_id = self.tag_kinds.get(code)
            if kind_id is None:
                continue
            started = max(person["moved_in_on"], self.today - timedelta(days=rng.randint(60, 1500)))
            care.tags.append(
                t[PersonTag].record(person_id=person["id"], kind_id=kind_id, grid_id=grid.pk,
                                    grid_code=grid.code, started_on=started, attributes={})
            )  # fmt: skip
            rule = rule_for_tag(PersonTag(kind_id=kind_id, attributes={}), self.visit_rules)
            since = datetime.combine(started, time_of_day(0), tzinfo=self.now.tzinfo)
            at = self._last_visit(rng, rule, since)
            if at is not None:
                self._visit(care, worker, grid, household, person["id"], at, VisitPurpose.CARE)
        rule = rule_for_household(kind, occupancy, self.visit_rules, today=self.today)
        at = self._last_visit(rng, rule, registered)
        if at is not None:
            self._visit(care, worker, grid, household, None, at, VisitPurpose.ROUTINE)

    def _last_visit(self, rng: random.Random, rule: Any, since: datetime) -> datetime | None:
        if rule is None:
            return None
        lapsed = rng.random() < LAPSED_SHARE
        ago = (
            rng.uniform(LAST_VISIT_SPAN, LAPSED_SPAN) if lapsed else rng.uniform(0, LAST_VISIT_SPAN)
        )
        day = timezone.localtime(self.now - timedelta(days=rule.interval_days * ago))
        at = day.replace(hour=rng.randint(9, 16), minute=rng.randrange(60))
        if at > self.now:  # today, at an hour still to come
            at -= timedelta(days=1)
        return at if at >= since else None

    def _visit(
        self,
        care: _FieldRecord,
        worker: int,
        grid: _GridInfo,
        household: int,
        person: int | None,
        at: datetime,
        purpose: str,
    ) -> None:
        care.visits.append(
            self.tables[Visit].record(
                worker_id=worker, grid_id=grid.pk, grid_code=grid.code, household_id=household,
                person_id=person, visited_at=at, purpose=purpose,
                findings=VISIT_NOTES[len(care.visits) % len(VISIT_NOTES)], created_at=at,
                corrected_fields=[],
            )
        )  # fmt: skip

    def _family(
        self,
        rng: random.Random,
        size: int,
        grid: _GridInfo,
        household: int,
        dwelling: int,
        address: str,
        floating: bool,
        ids: Iterator[int],
        verified_since: date,
    ) -> list[dict[str, Any]]:
        head_age = rng.randint(22, 85) if size == 1 else rng.randint(28, 75)
        head_male = rng.random() < 0.6
        surname = rng.choice(SURNAMES)
        roles: list[tuple[str, int, bool]] = [(Relation.HEAD, head_age, head_male)]
        if size >= 2:
            roles.append((Relation.SPOUSE, max(20, head_age + rng.randint(-5, 5)), not head_male))
        for _ in range(size - len(roles)):
            if head_age > 55 and rng.random() < 0.3:
                roles.append((Relation.GRANDCHILD, rng.randint(0, 15), rng.random() < 0.5))
            elif head_age < 55 and rng.random() < 0.15:
                roles.append((Relation.PARENT, min(100, head_age + rng.randint(22, 32)),
                              rng.random() < 0.5))  # fmt: skip
            else:
                roles.append((Relation.CHILD, max(0, head_age - rng.randint(22, 38)),
                              rng.random() < 0.5))  # fmt: skip
        area, hukou = rng.choice(ELSEWHERE) if floating else (grid.district, "")
        moved_in = self.today - timedelta(days=rng.randint(30, 20 * 365))
        out = []
        person = self.tables[Person]
        for relation, age, male in roles:
            own_surname = surname if relation in (Relation.HEAD, Relation.CHILD,
                                                  Relation.GRANDCHILD) else None  # fmt: skip
            name, initials = self._name(rng, own_surname)
            birth = self._birth(rng, age, age + 1)
            number, birth = self._resident_id(area, birth, male)
            adult = age >= 18
            political = (
                PoliticalStatus.PARTY_MEMBER if adult and rng.random() < 0.08
                else PoliticalStatus.LEAGUE if 14 <= age < 28 and rng.random() < 0.4
                else PoliticalStatus.MASSES
            )  # fmt: skip
            phone = (
                rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
                if adult and rng.random() < 0.8 else ""
            )  # fmt: skip
            out.append(
                person.record(
                    id=next(ids), grid_id=grid.pk, grid_code=grid.code,
                    last_verified_on=verified_since + timedelta(days=rng.randint(0, 364))
                    if rng.random() < 0.7 else None,
                    name=name, name_initials=initials, document_type=DocumentType.RESIDENT_ID,
                    id_number=number, id_number_index=identity.id_number_index(number),
                    birth_date=birth, sex=Sex.MALE if male else Sex.FEMALE,
                    ethnicity=rng.choice(ETHNICITIES),
                    phone=phone, phone_index=identity.phone_index(phone),
                    address=address, address_index=identity.address_index(address),
                    hukou_place=hukou,
                    residency=Residency.FLOATING if floating else Residency.REGISTERED,
                    household_id=household, relation=relation,
                    presence=Presence.HERE_NOT_REGISTERED if floating else Presence.CONSISTENT,
                    dwelling_id=dwelling, occupation=rng.choice(OCCUPATIONS) if adult else "",
                    education=rng.choice(EDUCATIONS) if age >= 16 else "",
                    marital_status=(rng.choice(MARITAL) if adult
                                    else MaritalStatus.SINGLE),
                    political_status=political, is_party_member=political in PARTY_STATUSES,
                    moved_in_on=max(moved_in, birth), status=PersonStatus.LIVING,
                    float_reason=FloatReason.values[0] if floating else "",
                    arrived_on=max(moved_in, birth) if floating else None,
                    expected_stay_months=12 if floating else None,
                    lodging_type=LodgingType.values[0] if floating else "",
                )
            )  # fmt: skip
        return out

    # ---------------------------------------------------------------- cases
    def build_cases(self) -> None:
        started = time.monotonic()
        rng = random.Random(self.seed * 7 + 3)
        minors = list(
            Category.objects.filter(parent__code__in=DEMO_MAJORS, retired_on__isnull=True)
            .select_related("parent")
            .order_by("code")
        )
        if not minors:
            minors = list(Category.objects.filter(parent__isnull=False).order_by("code"))
        texts = {c.pk: descriptions_for(c) for c in minors}
        self.rules: dict[tuple[int, str, bool], Any] = {}
        self.dues: dict[tuple[int, str, datetime], datetime | None] = {}
        self.serials = dict(self.serials_before)
        span = YEARS_OF_CASES * 365 * 86400
        self.made, self.fresh = 0, max(5, self.cases // 1000)
        done = 0
        while done < self.cases:
            size = min(self.batch, self.cases - done)
            with transaction.atomic():
                self._cases_chunk(size, rng, minors, texts, span)
            done += size
            spent = time.monotonic() - started
            self.say(f"事件:{done:,}/{self.cases:,}({done / max(spent, 1e-9):,.0f} 件/秒)")
        # Today's intake numbers its cases after the generated ones.
        CaseNumberSequence.objects.bulk_create(
            (
                CaseNumberSequence(prefix=self.community_codes[c], day=date.fromordinal(d),
                                   last=last)
                for (c, d), last in self.serials.items()
            ),
            batch_size=5000,
            update_conflicts=True,
            unique_fields=["prefix", "day"],
            update_fields=["last"],
        )  # fmt: skip
        self.report.seconds["cases"] = time.monotonic() - started

    def _rule(self, category: Category, code: str, urgent: bool) -> Any:
        key = (category.pk, code[:12], urgent)
        if key not in self.rules:
            self.rules[key] = rule_for(category, code, urgent=urgent)
        return self.rules[key]

    def _due(self, rule: Any, stage: str, start: datetime) -> datetime | None:
        if rule is None:
            return None
        return stage_due(rule, stage, start)

    def _cases_chunk(
        self,
        size: int,
        rng: random.Random,
        minors: list[Category],
        texts: dict[int, list[str]],
        span: int,
    ) -> None:
        t = self.tables
        case_ids = t[Case].ids(size)
        cases: list[dict[str, Any]] = []
        events: list[dict[str, Any]] = []
        for pk in case_ids:
            grid = self.grids[rng.randrange(len(self.grids))]
            category = rng.choice(minors)
            urgent = category.code.startswith("04") and rng.random() < 0.3
            # A city's intake is steady: about a thousandth of three years' cases arrive in
            # the last two days, so the queues hold today's work as they would.
            self.made += 1
            window = 2 * 86400 if self.made <= self.fresh else span
            reported = self.now - timedelta(seconds=rng.randrange(window))
            reported = reported.replace(microsecond=0)
            day = timezone.localdate(reported).toordinal()
            key = (grid.community, day)
            serial = self.serials[key] = self.serials.get(key, 0) + 1
            number = f"{self.community_codes[grid.community]}-{date.fromordinal(day):%Y%m%d}-{serial:04d}"
            lng, lat = grid.points[rng.randrange(len(grid.points))]
            rule = self._rule(category, grid.code, urgent)
            channel = rng.choices(
                [Channel.GRID_WORKER, Channel.HOTLINE, Channel.RESIDENT], [60, 30, 10]
            )[0]
            worker = self.workers[grid.community]
            secretary = self.secretaries[grid.community]
            reporter_name, phone = "", ""
            if channel == Channel.HOTLINE:
                reporter_name = self._name(rng)[0]
                phone = rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
            first_owner: User | None = worker if channel == Channel.GRID_WORKER else self.command
            if channel == Channel.RESIDENT:
                first_owner = None
            report_actor = worker if channel == Channel.GRID_WORKER else self.command
            case = {
                "id": pk, "number": number, "channel": channel, "category_id": category.pk,
                "description": f"{ROADS[pk % len(ROADS)]}附近:{rng.choice(texts[category.pk])}",
                "urgent": urgent, "lat": float(lat), "lng": float(lng), "address": "",
                "grid_id": grid.pk, "grid_code": grid.code, "reporter_name": reporter_name,
                "reporter_phone": phone,
                "reporter_phone_index": blind_index(phone, purpose="phone") if phone else "",
                "first_owner_id": first_owner.pk if first_owner else None,
                "rule_id": rule.pk if rule else None, "level": rule.level if rule else "",
                "reported_at": reported,
            }  # fmt: skip
            history = self._history(rng, case, rule, report_actor, secretary, worker)
            status, stage, stage_started, due = (
                history[-1][1],
                history[-1][2],
                history[-1][3],
                history[-1][4],
            )
            case.update(
                status=status, stage=stage, stage_started_at=stage_started, stage_due_at=due,
                version=len(history) - 1, updated_at=history[-1][0]["at"],
            )  # fmt: skip
            cases.append(t[Case].record(**case))
            events.extend(e for e, *_ in history)
        event_ids = iter(t[CaseEvent].ids(len(events)))
        for event in events:
            event["id"] = next(event_ids)
        self.report.cases += t[Case].write(cases)
        self.report.events += t[CaseEvent].write(events)

    def _history(
        self,
        rng: random.Random,
        case: dict[str, Any],
        rule: Any,
        reporter: User,
        secretary: User,
        worker: User,
    ) -> list[tuple[dict[str, Any], str, str, datetime, datetime | None]]:
        """The case's events as the workflow would write them: (event record, status,
        stage, stage start, stage deadline) after each. Steps follow one another by a few
        hours; the story stops where it would run into the future, so recent cases are open."""
        events = self.tables[CaseEvent]
        at = case["reported_at"]
        due = self._due(rule, Stage.ACCEPT, at)
        first = events.record(
            case_id=case["id"], at=at, action=Action.REPORT, from_status="",
            to_status=CaseStatus.REPORTED, actor_id=reporter.pk, actor_role=reporter.role,
            next_deadline=due,
            data={"channel": case["channel"], "outside_grid": False, "urgent": case["urgent"]},
        )  # fmt: skip
        out = [(first, CaseStatus.REPORTED.value, Stage.ACCEPT.value, at, due)]
        script: list[tuple[str, CaseStatus, User, float, dict[str, Any], str]]
        if rng.random() < 0.03:
            script = [(Action.VOID, CaseStatus.VOIDED, secretary, 0.5, {}, "重复上报,已注销")]
        else:
            mood = rng.choices(MOODS, weights=[70, 22, 8])[0]
            script = [
                (Action.ACCEPT, CaseStatus.ACCEPTED, secretary, 1.0, {}, ""),
                (Action.ROUTE, CaseStatus.COMMUNITY, secretary, 0.5,
                 {"level": HandlingLevel.COMMUNITY}, ""),
                (Action.FEEDBACK, CaseStatus.TO_VERIFY, secretary, 30.0, {}, "已处置完毕"),
                (Action.VERIFY, CaseStatus.CLOSED, worker, 8.0, {}, "现场核查,已整改到位"),
                (Action.EVALUATE, CaseStatus.CLOSED, self.command, 24.0,
                 {"satisfaction": mood}, ""),
            ]  # fmt: skip
        status, stage, started = CaseStatus.REPORTED.value, Stage.ACCEPT.value, at
        for action, target, actor, mean_hours, data, note in script:
            at = at + timedelta(seconds=int(rng.expovariate(1 / mean_hours) * 3600) + 60)
            if at > self.now:
                break
            new_stage = {
                CaseStatus.ACCEPTED: Stage.DISPATCH, CaseStatus.COMMUNITY: Stage.HANDLE,
                CaseStatus.TO_VERIFY: Stage.VERIFY, CaseStatus.CLOSED: Stage.DONE,
                CaseStatus.VOIDED: Stage.DONE,
            }[target].value  # fmt: skip
            ended = new_stage != stage
            deadline = due
            if ended:
                due = self._due(rule, new_stage, at)
            record = events.record(
                case_id=case["id"], at=at, action=action, from_status=status,
                to_status=target, actor_id=actor.pk, actor_role=actor.role,
                stage=stage if ended else "", deadline=deadline,
                on_time=(at <= deadline) if (ended and deadline) else None,
                next_deadline=due, note=note, data=data,
            )  # fmt: skip
            if action == Action.ACCEPT:
                case["accepted_at"] = at
                if case["first_owner_id"] is None:
                    case["first_owner_id"] = actor.pk
            if action == Action.ROUTE:
                case["level"], case["handled_in"] = HandlingLevel.COMMUNITY, CaseStatus.COMMUNITY
            if action == Action.VERIFY:
                case["closed_at"] = at
            if action == Action.EVALUATE:
                case["satisfaction"] = data["satisfaction"]
            if ended:
                stage, started = new_stage, at
            status = target.value
            out.append((record, status, stage, started, due))
        return out


def build_city(
    *,
    people: int,
    cases: int,
    grids: int | None = None,
    seed: int = 2026,
    now: datetime | None = None,
    batch: int = 20_000,
    progress: Callable[[str], None] | None = None,
) -> CityReport:
    """Generate a city of ``people`` persons and ``cases`` cases over ``grids`` grids
    (default: one per 400 people) into an empty database. Raises ``CityExists`` when grids
    are already there. Deterministic for the same arguments."""
    if Grid.objects.exists():
        raise CityExists("数据库中已有网格数据;城市只能生成到空数据库中(请先新建数据库)。")
    now = (now or timezone.now()).replace(minute=0, second=0, microsecond=0)
    builder = _Builder(
        people=people,
        cases=cases,
        grids=grids or max(20, round(people / PEOPLE_PER_GRID)),
        seed=seed,
        now=now,
        batch=batch,
        progress=progress or (lambda line: None),
    )
    started = time.monotonic()
    with transaction.atomic():
        builder.build_geography()
        builder.build_users()
    with fewer_collections():  # a tenth of the run went to full collections (measured)
        builder.build_people()
        builder.build_cases()
    # Fresh statistics, or the planner guesses row counts from an empty table's and picks
    # sequential scans for the list pages (docs/scaling.md "City-scale run").
    analysed = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    builder.report.seconds["analyze"] = time.monotonic() - analysed
    reset_index()
    builder.report.seconds["total"] = time.monotonic() - started
    return builder.report


def add_cases(
    *,
    cases: int,
    seed: int = 2026,
    now: datetime | None = None,
    batch: int = 20_000,
    progress: Callable[[str], None] | None = None,
) -> CityReport:
    """Add ``cases`` cases, with their histories, to a city ``build_city`` generated earlier,
    numbered after the ones it holds: a long run can be finished in steps. Raises
    ``CityMissing`` when the database holds no generated city."""
    if not User.objects.filter(username="city_command").exists():
        raise CityMissing("数据库中没有 build_city 生成的城市;请先生成城市再追加事件。")
    now = (now or timezone.now()).replace(minute=0, second=0, microsecond=0)
    # A new random stream for each extension, so added cases do not repeat earlier ones.
    before = Case.objects.aggregate(last=models.Max("id"))["last"] or 0
    builder = _Builder(
        people=0,
        cases=cases,
        grids=0,
        seed=seed + before,
        now=now,
        batch=batch,
        progress=progress or (lambda line: None),
    )
    started = time.monotonic()
    builder.load_city()
    with fewer_collections():
        builder.build_cases()
    analysed = time.monotonic()
    with connection.cursor() as cursor:
        for model in (Case, CaseEvent):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    builder.report.seconds["analyze"] = time.monotonic() - analysed
    builder.report.seconds["total"] = time.monotonic() - started
    return builder.report


# ---------------------------------------------------------------------------- measuring
def main_pages(person_name: str) -> list[tuple[str, str]]:
    """(label, URL) of the pages a city-scale run times: the case list's first and last page,
    the person list, a search by name, the command screen."""
    from django.urls import reverse

    cases, people = reverse("cases:list"), reverse("registry:people")
    return [
        ("事件列表首页", cases),
        ("事件列表末页", f"{cases}?last=1"),
        ("人口列表", people),
        ("人口搜索(姓名)", f"{people}?q={person_name}"),
        ("指挥大屏", reverse("dashboard:screen")),
    ]


def time_pages(username: str = "city_command", rounds: int = 20) -> dict[str, dict[str, float]]:
    """p50 and p95 in milliseconds of each main page for ``username``, through Django's test
    client in this process (one warm-up request each first), and this process's resident
    memory afterwards: what one web worker holds after serving them."""
    from django.test import Client

    client = Client()
    client.force_login(User.objects.get(username=username))
    name = Person.objects.order_by("pk").values_list("name", flat=True).first() or "王"
    out: dict[str, dict[str, float]] = {}
    for label, url in main_pages(name):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        spent = []
        for _ in range(rounds):
            started = time.perf_counter()
            client.get(url)
            spent.append((time.perf_counter() - started) * 1000)
        spent.sort()
        out[label] = {
            "p50": spent[len(spent) // 2],
            "p95": spent[min(len(spent) - 1, math.ceil(len(spent) * 0.95) - 1)],
        }
    out["rss"] = {"mb": resident_mb()}
    return out


def resident_mb() -> float:
    """This process's resident set size in MB (Linux), 0 where /proc is missing."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def database_size() -> dict[str, Any]:
    """The database's size and its biggest tables and indexes, in MB (PostgreSQL; the file
    size on SQLite)."""
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute(
                "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()"
            )
            return {"total_mb": cursor.fetchone()[0] / 2**20}
        cursor.execute("SELECT pg_database_size(current_database())")
        total = cursor.fetchone()[0]
        cursor.execute(
            "SELECT c.relname, c.relkind, pg_total_relation_size(c.oid) FROM pg_class c"
            " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'"
            " AND c.relkind IN ('r', 'i') ORDER BY pg_total_relation_size(c.oid) DESC LIMIT 15"
        )
        biggest = [(name, kind, size / 2**20) for name, kind, size in cursor.fetchall()]
    return {"total_mb": total / 2**20, "biggest": biggest}
