"""People (人口): natural key is the blind index of the identity document number."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import connection

from civicgrid.core.pii import mask_name
from civicgrid.registry import identity
from civicgrid.registry.choices import (
    PARTY_STATUSES,
    DocumentType,
    Education,
    FloatReason,
    ImportKind,
    LodgingType,
    MaritalStatus,
    PoliticalStatus,
    Presence,
    Relation,
    Residency,
    Sex,
)
from civicgrid.registry.io.cells import (
    CellError,
    choice_parser,
    parse_date,
    parse_phone,
    refuse_excel_number,
)
from civicgrid.registry.io.columns import GRID_CODE, BatchCells, Column, Row
from civicgrid.registry.io.engine import (
    ImportContext,
    LedgerImporter,
    LedgerReport,
    apply,
)
from civicgrid.registry.io.reader import cell_text
from civicgrid.registry.io.writes import prepare_insert, write_history
from civicgrid.registry.models import Household, Person

_RELATION_WORDS = {
    "本人": Relation.HEAD,
    "户主本人": Relation.HEAD,
    "妻": Relation.SPOUSE,
    "夫": Relation.SPOUSE,
    "子": Relation.CHILD,
    "女": Relation.CHILD,
}
_relation_choice = choice_parser(Relation)


@dataclass(slots=True)
class HouseholdKeys:
    """What the checks read of a household: its full row, as a model instance, was a tenth
    of a large import (measured). The few whose head changes are read whole when written
    (``_link_heads``)."""

    pk: int
    grid_id: int
    dwelling_id: int | None
    head_id: int | None


def parse_relation(value: Any) -> str:
    return _RELATION_WORDS.get(cell_text(value)) or _relation_choice(value)


_STAY = re.compile(r"^(\d+)\s*(个月|月|年)?$")


def parse_stay_months(value: Any) -> int:
    """Expected stay in months: "6", "6个月" or "2年"."""
    match = _STAY.match(cell_text(value))
    if not match:
        raise CellError("预计居住期限应为月数,如 6、6个月 或 1年")
    months = int(match.group(1)) * (12 if match.group(2) == "年" else 1)
    if months > 1200:
        raise CellError("预计居住期限过长")
    return months


class PersonImporter(LedgerImporter):
    """Natural key: the blind index of the identity document number. The grid comes from the
    household (户号) or, for people without one here, from the grid code. Moving a recorded
    person to another household is a lifecycle step (move in/out), not an import."""

    kind = ImportKind.PERSON
    columns = (
        Column("name", "姓名", required=True),
        Column("former_name", "曾用名"),
        Column("document_type", "证件类型", choices=DocumentType, note="留空为居民身份证"),
        Column(
            "id_number",
            "证件号码",
            ("身份证号", "身份证号码", "公民身份号码", "公民身份证号码", "证件号"),
            required=True,
            note="居民身份证校验末位;出生日期、性别由身份证号自动得出",
            pii="id_number",
        ),
        Column("sex", "性别", choices=Sex, note="仅非身份证人员填写"),
        Column("birth_date", "出生日期", note="仅非身份证人员填写"),
        Column("ethnicity", "民族"),
        Column("phone", "联系电话", ("手机号", "手机号码", "电话", "联系方式"), pii="phone"),
        Column("residency", "人口类型", ("人员类型", "人口类别"), choices=Residency),
        Column("number", "户号", ("所属户号",), note="先导入房屋与住户;无户号时填网格编码"),
        Column("relation", "与户主关系", ("关系",), choices=Relation),
        Column("presence", "人户状态", choices=Presence),
        GRID_CODE,
        Column(
            "address", "现住址", ("详细住址", "现居住地址", "居住地址", "现住房屋"), pii="address"
        ),
        Column("hukou_place", "户籍地", ("户籍地址", "户籍所在地")),
        Column("education", "文化程度", ("学历",), choices=Education),
        Column("marital_status", "婚姻状况", ("婚姻状态",), choices=MaritalStatus),
        Column("political_status", "政治面貌", choices=PoliticalStatus),
        Column("occupation", "职业"),
        Column("workplace", "工作单位", ("服务处所", "工作单位或学校")),
        Column("moved_in_on", "迁入日期", note="如 2024-01-05、2024/1/5、2024年1月5日"),
        Column("float_reason", "流入原因", choices=FloatReason),
        Column("arrived_on", "流入日期", ("来本地日期", "来本地时间")),
        Column(
            "expected_stay_months",
            "预计居住期限",
            ("预计居住时长", "预计居住月数"),
            note="月数,如 6、6个月 或 1年",
        ),
        Column("lodging_type", "暂住处所类型", ("住所类型", "居住处所"), choices=LodgingType),
    )

    def __init__(self, ctx: ImportContext, report: LedgerReport) -> None:
        super().__init__(ctx, report)
        self.heads: dict[int, int] = {}  # household pk → line that named its head

    pipelines = True

    def prepare_batch(self, rows: list[Row]) -> Callable[[], None]:
        cells = BatchCells(rows)
        grid_codes = cells.texts("grid_code")
        grids = self.grids_by_code(rows, codes=grid_codes)
        numbers = cells.texts("number")
        # Only what the checks read (``HouseholdKeys``).
        households = {
            number: HouseholdKeys(pk, grid_id, dwelling_id, head_id)
            for number, pk, grid_id, dwelling_id, head_id in self.ctx.scoped(
                Household.objects.current().filter(number__any_of=set(numbers) - {""})
            ).values_list("number", "id", "grid_id", "dwelling_id", "head_id")
        }
        household_grids = self.grids_by_id({h.grid_id for h in households.values()})
        parsed: list[
            tuple[Row, dict[str, Any], HouseholdKeys | None, identity.IdentityInfo | None]
        ] = []
        for i, (values, info) in enumerate(self._values(cells)):
            row = rows[i]
            cells.settle(i)
            household, grid = None, None
            if number := numbers[i]:
                household = households.get(number)
                if household is None:
                    row.fail("number", "户号不存在或不在您的管辖范围内,请先导入房屋与住户")
            if grid_codes[i]:
                grid = self.grid_for(row, grids)
                if grid and household and household.grid_id != grid.pk:
                    row.fail("grid_code", "与户号所在网格不一致")
            elif household is None and row.ok:
                row.fail("grid_code", "请填写户号或网格编码")
            if not row.ok:
                continue
            values["grid"] = household_grids[household.grid_id] if household else grid
            values["household_id"] = household.pk if household else None
            values["dwelling_id"] = household.dwelling_id if household else None
            index = identity.id_number_index(values["id_number"])
            if self.first_seen(row, index, "id_number", "证件号码相同"):
                values["id_number_index"] = index
                parsed.append((row, values, household, info))

        existing = {
            p.id_number_index: p
            for p in Person.objects.current().filter(
                id_number_index__any_of={v["id_number_index"] for _, v, _, _ in parsed}
            )
        }
        # Evaluated per batch rather than per row: Person has no callable defaults.
        defaults = {
            f.attname: f.get_default() for f in Person._meta.concrete_fields if not f.primary_key
        }
        new: list[dict[str, Any]] = []
        changed, fields = [], set[str]()
        accepted: list[tuple[Row, Person | dict[str, Any], HouseholdKeys | None, str]] = []
        for row, values, household, info in parsed:
            index = values.pop("id_number_index")
            person = existing.get(index)
            relation = values["relation"]
            if person is None:
                record = new_person(defaults, values, index, info)
                new.append(record)
                accepted.append((row, record, household, relation))
                continue
            if self._conflict(row, person, values):
                continue
            elif apply(person, values, fields):
                person.fill_derived()
                fields.update(DERIVED_PERSON_FIELDS)
                changed.append(person)
            else:
                self.report.unchanged += 1
            accepted.append((row, person, household, relation))
        writes = [prepare_insert(Person, new, self.ctx)]  # sets each record's "id"
        self.report.created += len(new)
        if changed:
            writes.append(lambda: self.write(Person, [], changed, fields))
        writes.append(
            self._link_heads(
                [
                    (
                        row,
                        person["id"] if isinstance(person, dict) else person.pk,
                        household,
                        relation,
                    )
                    for row, person, household, relation in accepted
                ]
            )
        )

        def write() -> None:
            for step in writes:
                step()

        return write

    def _values(
        self, cells: BatchCells
    ) -> list[tuple[dict[str, Any], identity.IdentityInfo | None]]:
        """Each row's values and parsed identity document, read a column at a time in the
        order a person reads the sheet (which orders a row's failures)."""
        document_types = [
            kind or DocumentType.RESIDENT_ID for kind in cells.column("document_type")
        ]
        infos = cells.column("id_number", parse_identity, None, given=document_types)
        keys = (
            "name",
            "former_name",
            "ethnicity",
            "phone",
            "residency",
            "relation",
            "presence",
            "address",
            "hukou_place",
            "education",
            "marital_status",
            "political_status",
            "occupation",
            "workplace",
            "moved_in_on",
            "float_reason",
            "arrived_on",
            "expected_stay_months",
            "lodging_type",
        )
        columns = [cells.column(key, *self.PARSERS.get(key, ())) for key in keys]
        # Only a document other than the resident ID says the sex and birth date itself.
        other = [kind != DocumentType.RESIDENT_ID for kind in document_types]
        sexes = cells.column("sex", where=other) if any(other) else None
        births = cells.column("birth_date", parse_date, None, where=other) if any(other) else None
        out = []
        for i, row_values in enumerate(zip(*columns, strict=True)):
            info = infos[i]
            values = dict(zip(keys, row_values, strict=True))
            values["document_type"] = document_types[i]
            values["id_number"] = info.number if info is not None else ""
            if other[i]:
                assert sexes is not None and births is not None
                values["sex"], values["birth_date"] = sexes[i], births[i]
            out.append((values, info))
        return out

    # Column key → (parser, default) where the column is more than text or a choice.
    PARSERS: ClassVar[dict[str, tuple[Callable[[Any], Any], Any]]] = {
        "phone": (parse_phone, ""),
        "relation": (parse_relation, ""),
        "moved_in_on": (parse_date, None),
        "arrived_on": (parse_date, None),
        "expected_stay_months": (parse_stay_months, None),
    }

    def _conflict(self, row: Row, person: Person, values: dict[str, Any]) -> bool:
        """A recorded person the row may not update: registered in another jurisdiction,
        recorded under another name, or living in another household or grid."""
        if not self.ctx.allows(person.grid_code):
            row.fail("id_number", "该证件号码已在其他网格登记,请由原网格办理迁出后再迁入")
        elif person.name != values["name"]:
            row.fail(
                "id_number",
                f"该证件号码已登记为“{mask_name(person.name)}”,与填写的姓名不符,请核对",
            )
        elif values["household_id"] is not None and person.household_id not in (
            None,
            values["household_id"],
        ):
            row.fail("number", "该人员已登记在其他住户,迁移请在人员页面办理迁入/迁出")
        elif person.grid_id != values["grid"].pk:
            key = "number" if values["household_id"] is not None else "grid_code"
            row.fail(key, "该人员已登记在其他网格,迁移请在人员页面办理迁入/迁出")
        else:
            values.pop("grid")
            return False
        return True

    def _link_heads(
        self, accepted: list[tuple[Row, int, HouseholdKeys | None, str]]
    ) -> Callable[[], None]:
        """A person (by pk) whose relation is 户主 becomes the head of a household that has
        none: decided now (a second head in the file is refused on its row), written by the
        returned callable."""
        changed: dict[int, HouseholdKeys] = {}
        for row, person_pk, household, relation in accepted:
            if household is None or relation != Relation.HEAD:
                continue
            first = self.heads.get(household.pk)
            if first is not None:
                row.fail("relation", f"与第 {first} 行为同一户的户主,一户只能有一个户主")
                continue
            self.heads[household.pk] = row.line
            if household.head_id in (None, person_pk):
                if household.head_id is None:
                    household.head_id = person_pk
                    changed[household.pk] = household
            else:
                row.fail("relation", "该户已登记了其他户主,更换户主请在住户页面办理")
        heads = [(h.pk, h.head_id) for h in changed.values()]

        def write() -> None:
            if not heads:
                return
            # One parametrised UPDATE run per household: bulk_update's CASE WHEN over up to
            # 2,000 ids cost more to compile than the import of those people (measured).
            meta = Household._meta
            head, updated_at = meta.get_field("head"), meta.get_field("updated_at")
            quote = connection.ops.quote_name
            stamp = updated_at.get_db_prep_save(self.ctx.now, connection)
            table, pk = quote(meta.db_table), quote(meta.pk.column)
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"UPDATE {table} SET {quote(head.column)} = %s,"
                    f" {quote(updated_at.column)} = %s WHERE {pk} = %s",
                    [
                        (head.get_db_prep_save(head_id, connection), stamp, h)
                        for h, head_id in heads
                    ],
                )
            # The history rows copy the households as they now are, read whole.
            households = list(Household.objects.filter(pk__in=[h for h, _ in heads]))
            write_history(Household, households, "~", self.ctx)

        return write


def new_person(
    defaults: dict[str, Any],
    values: dict[str, Any],
    id_number_index: str,
    info: identity.IdentityInfo | None,
) -> dict[str, Any]:
    """The column values (by attname) that ``Person(**values)`` followed by ``fill_derived``
    gives, without a model instance per row and reusing the ID parsed during validation
    (``fill_derived`` would parse it a second time)."""
    record = {**defaults, **{k: v for k, v in values.items() if v != "" and v is not None}}
    grid = record.pop("grid")
    record["grid_id"], record["grid_code"] = grid.pk, grid.code
    record["name_initials"] = identity.name_initials(record["name"])
    record["id_number_index"] = id_number_index
    record["phone_index"] = identity.phone_index(record["phone"] or "")
    record["address_index"] = identity.address_index(record["address"] or "")
    record["is_party_member"] = record["political_status"] in PARTY_STATUSES
    if info is not None and record["document_type"] == DocumentType.RESIDENT_ID:
        record["birth_date"], record["sex"] = info.birth_date, info.sex
    return record


DERIVED_PERSON_FIELDS = (
    "name_initials",
    "id_number_index",
    "phone_index",
    "address_index",
    "is_party_member",
    "birth_date",
    "sex",
)


def parse_identity(document_type: str, value: Any) -> identity.IdentityInfo:
    """The validated document with what a resident ID tells (birth date, sex)."""
    refuse_excel_number(value)
    try:
        return identity.parse_document(document_type, cell_text(value))
    except ValidationError as exc:
        raise CellError(exc.messages[0]) from exc
