"""Demo ledgers for the synthetic city: buildings placed inside their grids, dwellings,
households and people with valid-checksum synthetic ID numbers, floating population, care and
special groups, organisations with valid credit codes — and deliberate gaps for the
completeness audit. Deterministic for the city's seed; bulk writes with history rows."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any, TextIO

from django.contrib.auth.models import Permission
from faker import Faker
from shapely.geometry import Point
from simple_history.utils import bulk_create_with_history, bulk_update_with_history
from stdnum.cn import uscc

from civicgrid.accounts.models import User
from civicgrid.geo.demo import DemoCity
from civicgrid.geo.geometry import to_shape
from civicgrid.geo.models import Grid
from civicgrid.registry import services
from civicgrid.registry.choices import (
    BuildingType,
    DocumentType,
    DwellingUse,
    Education,
    FloatReason,
    HazardLevel,
    HouseholdKind,
    LodgingType,
    MaritalStatus,
    Occupancy,
    OrganizationKind,
    PoliticalStatus,
    Presence,
    Relation,
    RentalType,
    Residency,
)
from civicgrid.registry.identity import make_resident_id
from civicgrid.registry.models import (
    Building,
    Dwelling,
    Household,
    LedgerPolicy,
    Organization,
    Person,
    PersonTag,
    TagKind,
)

GUIYANG_AREAS = ["520102", "520103", "520111", "520112", "520113", "520115"]
# Home counties of the floating population (codes known to the ID-number checker).
ELSEWHERE_AREAS = ["522401", "522501", "522601", "522701", "510104", "530102", "430102"]
ROADS = ["中华南路", "新华路", "遵义路", "瑞金南路", "宝山南路", "富水中路", "市府路", "都司路"]
ESTATES = ["花果园", "阳光小区", "金桥苑", "翠苑", "和平里", "向阳新村", "锦绣园", "南明花园"]
SHOP_KINDS = ["超市", "餐馆", "药店", "五金店", "理发店", "快递站", "面馆", "水果店"]
ETHNICITIES = ["汉族"] * 14 + ["苗族", "布依族", "侗族", "土家族", "彝族", "回族"]
BUILDINGS_PER_GRID = (5, 8)
DWELLINGS_PER_BUILDING = (5, 9)
# A demo grid holds about a tenth of the households of a real one (5–8 small buildings), so
# the grid-size standard of the demo is scaled the same way; at full scale every demo grid
# would be flagged 户数偏少 and the check would show nothing.
DEMO_SCALE = 10


class _Builder:
    def __init__(self, city: DemoCity, seed: int) -> None:
        self.rng = random.Random(seed)
        self.fake = Faker("zh_CN")
        self.fake.seed_instance(seed)
        self.today = date.today()
        self.ids: set[str] = set()
        self.serial = 0
        self.city = city

    # ------------------------------------------------------------------ values
    def point_in(self, grid: Grid) -> tuple[float, float]:
        shape = to_shape(grid.geometry)
        minx, miny, maxx, maxy = shape.bounds
        while True:
            lng, lat = self.rng.uniform(minx, maxx), self.rng.uniform(miny, maxy)
            if shape.contains(Point(lng, lat)):
                return round(lat, 6), round(lng, 6)

    def id_number(self, born: date, male: bool, floating: bool) -> str:
        areas = ELSEWHERE_AREAS if floating else GUIYANG_AREAS
        while True:
            self.serial += 1
            number = make_resident_id(self.rng.choice(areas), born, self.serial, male=male)
            if number not in self.ids:
                self.ids.add(number)
                return number

    def phone(self) -> str:
        return self.rng.choice(["138", "139", "186", "150", "177", "135"]) + "".join(
            self.rng.choice("0123456789") for _ in range(8)
        )

    def birth(self, low: int, high: int) -> date:
        return self.today - timedelta(days=self.rng.randint(low * 365, high * 365))

    def verified(self) -> date | None:
        # Most records were checked this half-year; some never, some long ago (audit gaps).
        roll = self.rng.random()
        if roll < 0.08:
            return None
        if roll < 0.15:
            return self.today - timedelta(days=self.rng.randint(200, 500))
        return self.today - timedelta(days=self.rng.randint(1, 170))

    def uscc_code(self, area: str, individual: bool) -> str:
        kind = "92" if individual else "91"
        body = "".join(self.rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
        first17 = f"{kind}{area}{body}"
        return first17 + uscc.calc_check_digit(first17 + "0")

    # ------------------------------------------------------------------ rows
    def person(
        self, grid: Grid, household: Household | None, dwelling: Dwelling | None, **kw: Any
    ) -> Person:
        male = kw.pop("male", self.rng.random() < 0.5)
        born = kw.pop("born")
        floating = kw.get("residency") == Residency.FLOATING
        surname = kw.pop("surname", self.fake.last_name())
        name = surname + (self.fake.first_name_male() if male else self.fake.first_name_female())
        adult = (self.today - born).days > 18 * 365
        person = Person(
            grid=grid,
            grid_code=grid.code,
            household=household,
            dwelling=dwelling,
            name=name,
            document_type=DocumentType.RESIDENT_ID,
            id_number=self.id_number(born, male, floating),
            phone=self.phone() if adult and self.rng.random() < 0.93 else "",
            ethnicity=self.rng.choice(ETHNICITIES) if self.rng.random() < 0.96 else "",
            hukou_place="贵州省贵阳市"
            if not floating
            else self.rng.choice(["贵州省毕节市", "四川省", "云南省", "湖南省"]),
            education=self.rng.choice(Education.values) if adult else Education.PRIMARY,
            marital_status=self.rng.choice(MaritalStatus.values) if adult else MaritalStatus.SINGLE,
            political_status=self.rng.choices(
                [PoliticalStatus.MASSES, PoliticalStatus.PARTY_MEMBER, PoliticalStatus.LEAGUE],
                weights=[80, 10, 10],
            )[0],
            occupation=self.fake.job()[:50] if adult else "学生",
            last_verified_on=self.verified(),
            presence=Presence.CONSISTENT if not floating else Presence.HERE_NOT_REGISTERED,
            **kw,
        )
        if floating:
            person.float_reason = self.rng.choice(FloatReason.values)
            person.arrived_on = self.today - timedelta(days=self.rng.randint(30, 1500))
            person.expected_stay_months = self.rng.choice([6, 12, 24, 36])
            person.lodging_type = LodgingType.RENTED
        person.fill_derived()
        return person


def build_registry(city: DemoCity, stdout: TextIO | None = None) -> dict[str, int]:
    b = _Builder(city, seed=city.rng.randint(0, 2**31))
    rng = b.rng
    buildings: list[Building] = []
    for grid in city.grids:
        community = grid.community.short_name.removesuffix("社区")
        for n in range(rng.randint(*BUILDINGS_PER_GRID)):
            lat, lng = b.point_in(grid)
            estate = rng.choice(ESTATES)
            buildings.append(
                Building(
                    grid=grid,
                    grid_code=grid.code,
                    address=f"{community}{rng.choice(ROADS)}{rng.randint(1, 300)}号{estate}{n + 1}栋",
                    name=f"{estate}{n + 1}栋",
                    lat=lat,
                    lng=lng,
                    floors=rng.randint(3, 18),
                    units=rng.randint(1, 3),
                    building_type=rng.choices(
                        [BuildingType.RESIDENTIAL, BuildingType.MIXED, BuildingType.BUNGALOW],
                        weights=[80, 15, 5],
                    )[0],
                    property_manager=rng.choice(["", "万科物业", "碧桂园服务", "贵阳城投物业"]),
                    last_verified_on=b.verified(),
                )
            )
    buildings = bulk_create_with_history(buildings, Building, batch_size=1000)

    dwellings: list[Dwelling] = []
    for index, building in enumerate(buildings):
        if index % 37 == 5:
            continue  # gap: a building whose dwellings were never recorded
        for _ in range(rng.randint(*DWELLINGS_PER_BUILDING)):
            floor = rng.randint(1, building.floors)
            unit = str(rng.randint(1, building.units))
            room = f"{floor}{rng.randint(1, 4):02d}"
            if any(
                d.building is building and d.unit == unit and d.room == room
                for d in dwellings[-12:]
            ):
                continue
            occupancy = rng.choices(
                [Occupancy.OWNER, Occupancy.RENTED, Occupancy.VACANT, Occupancy.UNKNOWN],
                weights=[62, 24, 10, 4],
            )[0]
            rented = occupancy == Occupancy.RENTED
            dwellings.append(
                Dwelling(
                    building=building,
                    grid=building.grid,
                    grid_code=building.grid_code,
                    unit=unit,
                    floor=floor,
                    room=room,
                    use=DwellingUse.RESIDENTIAL,
                    occupancy=occupancy,
                    lessor_name=b.fake.name() if rented else "",
                    lessor_phone=b.phone() if rented else "",
                    rental_type=rng.choice([RentalType.WHOLE, RentalType.SHARED]) if rented else "",
                    hazard_level=rng.choices(HazardLevel.values, weights=[80, 15, 5])[0]
                    if rented
                    else "",
                    last_verified_on=b.verified(),
                )
            )
    dwellings = bulk_create_with_history(dwellings, Dwelling, batch_size=1000)

    households: list[Household] = []
    for dwelling in dwellings:
        if dwelling.occupancy in (Occupancy.VACANT, Occupancy.UNKNOWN):
            continue  # UNKNOWN without a household is a deliberate audit gap
        floating = dwelling.occupancy == Occupancy.RENTED
        households.append(
            Household(
                dwelling=dwelling,
                grid=dwelling.grid,
                grid_code=dwelling.grid_code,
                number="" if floating else f"{dwelling.grid_code[-6:]}{len(households):05d}",
                kind=HouseholdKind.FLOATING if floating else HouseholdKind.REGISTERED,
                last_verified_on=b.verified(),
            )
        )
    households = bulk_create_with_history(households, Household, batch_size=1000)

    people: list[Person] = []
    heads: dict[int, Person] = {}
    for household in households:
        floating = household.kind == HouseholdKind.FLOATING
        residency = Residency.FLOATING if floating else Residency.REGISTERED
        surname = b.fake.last_name()
        grid, dwelling = household.grid, household.dwelling
        common = {"residency": residency, "surname": surname}
        head = b.person(
            grid,
            household,
            dwelling,
            born=b.birth(25, 85),
            male=True,
            relation=Relation.HEAD,
            **common,
        )
        members = [head]
        if rng.random() < 0.75:
            members.append(
                b.person(
                    grid,
                    household,
                    dwelling,
                    born=b.birth(25, 80),
                    male=False,
                    relation=Relation.SPOUSE,
                    residency=residency,
                )
            )
        for _ in range(rng.choice([0, 0, 1, 1, 2])):
            members.append(
                b.person(
                    grid,
                    household,
                    dwelling,
                    born=b.birth(1, 30),
                    relation=Relation.CHILD,
                    **common,
                )
            )
        if rng.random() < 0.12:
            members.append(
                b.person(
                    grid,
                    household,
                    dwelling,
                    born=b.birth(70, 95),
                    relation=Relation.PARENT,
                    **common,
                )
            )
        people.extend(members)
        if rng.random() > 0.03:  # gap: a few households never got a head
            heads[household.pk] = head
    people = bulk_create_with_history(people, Person, batch_size=1000)
    for household in households:
        household.head = heads.get(household.pk)
    bulk_update_with_history(
        [h for h in households if h.head is not None], Household, ["head"], batch_size=1000
    )

    tags = _tags(b, people)
    orgs = _organizations(b, buildings)
    _moves(city, people)
    _grant_demo_permissions()
    policy = _scale_policy()
    counts = {
        "buildings": len(buildings),
        "dwellings": len(dwellings),
        "households": len(households),
        "people": len(people),
        "tags": tags,
        "organizations": orgs,
    }
    if stdout is not None:
        stdout.write(
            "基础台账:{buildings} 栋楼,{dwellings} 套房屋,{households} 户,{people} 人,"
            "{tags} 个人群标签,{organizations} 个组织。".format(**counts)
        )
        stdout.write(
            f"演示网格按 1/{DEMO_SCALE} 规模生成,网格规模标准相应设为每网格 "
            f"{policy.households_min}–{policy.households_max} 户、不超过 {policy.people_max} 人"
            "(正式标准见“台账核查标准”,可在后台修改)。"
        )
    return counts


def _scale_policy() -> LedgerPolicy:
    standard = LedgerPolicy()  # the field defaults are the real standard
    policy = LedgerPolicy.current()
    policy.households_min = standard.households_min // DEMO_SCALE
    policy.households_max = standard.households_max // DEMO_SCALE
    policy.people_max = standard.people_max // DEMO_SCALE
    policy.save()
    return policy


def _tags(b: _Builder, people: list[Person]) -> int:
    kinds = {k.code: k for k in TagKind.objects.all()}
    rng = b.rng
    rows: list[PersonTag] = []
    for person in people:
        assert person.birth_date is not None
        age = (b.today - person.birth_date).days // 365
        chosen: list[tuple[str, dict[str, Any]]] = []
        if age >= 70 and rng.random() < 0.25:
            chosen.append((rng.choice(["elderly_alone", "empty_nest"]), {}))
        if age >= 30 and rng.random() < 0.03:
            chosen.append(("veteran", {}))
        if rng.random() < 0.02:
            chosen.append(("disabled", {"grade": rng.randint(1, 4)}))
        if rng.random() < 0.02:
            chosen.append(("low_income", {}))
        if age < 16 and person.residency == Residency.REGISTERED and rng.random() < 0.05:
            chosen.append(("left_behind_child", {}))
        if age >= 18 and rng.random() < 0.004:
            chosen.append(("mental_disorder", {"risk_level": rng.randint(0, 5)}))
        if age >= 18 and rng.random() < 0.003:
            chosen.append(
                (
                    "community_correction",
                    {
                        "correction_type": rng.choice(
                            ["surveillance", "probation", "parole", "outside_custody"]
                        )
                    },
                )
            )
        if age >= 18 and rng.random() < 0.003:
            chosen.append(("released_prisoner", {}))
        if 12 <= age < 25 and rng.random() < 0.02:
            chosen.append(
                ("key_youth", {"attention_level": rng.choice(["general", "key", "strict"])})
            )
        for code, attributes in chosen:
            rows.append(
                PersonTag(
                    person=person,
                    kind=kinds[code],
                    grid=person.grid,
                    grid_code=person.grid_code,
                    attributes=attributes,
                    started_on=b.today - timedelta(days=rng.randint(30, 2000)),
                )
            )
    bulk_create_with_history(rows, PersonTag, batch_size=1000)
    return len(rows)


def _organizations(b: _Builder, buildings: list[Building]) -> int:
    rng = b.rng
    rows: list[Organization] = []
    used: set[str] = set()
    for building in rng.sample(buildings, k=min(len(buildings), len(buildings) // 3)):
        individual = rng.random() < 0.6
        code = b.uscc_code(building.grid_code[:6], individual)
        if code in used:
            continue
        used.add(code)
        kind = OrganizationKind.SHOP if individual else OrganizationKind.ENTERPRISE
        name = f"{b.fake.last_name()}记{rng.choice(SHOP_KINDS)}" if individual else b.fake.company()
        rows.append(
            Organization(
                grid=building.grid,
                grid_code=building.grid_code,
                building=building,
                name=name[:200],
                kind=kind,
                # gap: a few organisations without a credit code
                uscc=code if rng.random() > 0.05 else "",
                address=f"{building.address}底商" if individual else building.address,
                contact_name=b.fake.name(),
                contact_phone=b.phone(),
                staff_count=rng.randint(1, 8) if individual else rng.randint(5, 200),
                last_verified_on=b.verified(),
            )
        )
    bulk_create_with_history(rows, Organization, batch_size=1000)
    return len(rows)


def _moves(city: DemoCity, people: list[Person]) -> None:
    """A few moves so the move log has something to show: two people of the first grid leave
    for another community, one leaves the city."""
    actor = User.objects.filter(username="gridworker").first()
    if actor is None or len(city.grids) < 5:
        return
    first = city.grids[0]
    movers = [p for p in people if p.grid_code == first.code and p.relation == Relation.CHILD][:3]
    today = date.today()
    for person, target in zip(movers[:2], [city.grids[4], city.grids[-1]], strict=False):
        services.person_move_out(
            actor=actor, person=person, moved_on=today - timedelta(days=20), to_grid=target
        )
    if len(movers) > 2:
        services.person_move_out(
            actor=actor,
            person=movers[2],
            moved_on=today - timedelta(days=60),
            destination="广东省深圳市",
        )


def _grant_demo_permissions() -> None:
    """The secretary and the command centre may unmask; only the secretary sees special
    groups. The grid worker sees masked data only."""
    unmask = Permission.objects.get(codename="unmask_pii", content_type__app_label="registry")
    special = Permission.objects.get(
        codename="view_special_groups", content_type__app_label="registry"
    )
    for user in User.objects.filter(username__in=["secretary", "command"]):
        user.user_permissions.add(unmask)
    for user in User.objects.filter(username="secretary"):
        user.user_permissions.add(special)
