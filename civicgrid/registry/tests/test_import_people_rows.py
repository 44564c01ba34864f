"""New people are written without the ORM (``writes.prepare_insert``): the rows, their keys and
their history must be what ``Person.save()`` and simple-history would have written."""

from pathlib import Path

import pytest

from civicgrid.registry.choices import DocumentType, PersonStatus, Presence, Residency, Sex
from civicgrid.registry.io import writes
from civicgrid.registry.io.kinds import import_ledger
from civicgrid.registry.models import Household, Person
from civicgrid.registry.tests.factories import (
    make_building,
    make_dwelling,
    make_household,
    resident_id,
)
from civicgrid.testing.city import TestCity
from civicgrid.testing.ledger_files import csv_file
from civicgrid.testing.users import RoleUsers

HEADER = ["姓名", "证件类型", "证件号码", "性别", "出生日期", "联系电话", "户号", "与户主关系"]
HEADER += ["网格编码", "现住址", "政治面貌", "人口类型"]


@pytest.mark.django_db
def test_imported_people_match_what_save_writes_across_batches(
    tmp_path: Path, city: TestCity, users: RoleUsers, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(writes, "BATCH_SIZE", 2)  # keys must line up batch after batch
    west = city.grids["a1_west"]
    dwelling = make_dwelling(make_building(west, "甲一路1号"), room="101")
    numbers = ["H001", "H002", "H003"]
    for number in numbers:
        make_household(dwelling, number=number)
    rows = [
        ["张三", "", resident_id(), "", "", "13800001111", "H001", "户主", "", "", "", ""],
        ["李四", "", resident_id(male=False), "", "", "", "H002", "配偶", "", "甲一路1号", "", ""],
        [
            "王五",
            "护照",
            "E12345678",
            "女",
            "1990-02-03",
            "",
            "",
            "",
            west.code,
            "",
            "中共党员",
            "流动",
        ],
        ["赵六", "", resident_id(), "", "", "", "H002", "户主", "", "", "群众", ""],
        ["孙七", "", resident_id(male=False), "", "", "", "H003", "户主", "", "", "", ""],
    ]
    report = import_ledger("person", csv_file(tmp_path / "p.csv", HEADER, rows), user=users.worker)
    assert report.ok, report.errors
    assert report.created == 5

    people = {p.name: p for p in Person.objects.all()}
    for person in people.values():
        saved = Person.objects.get(pk=person.pk)
        saved.fill_derived()
        derived = ["name_initials", "id_number_index", "phone_index", "address_index"]
        derived += ["is_party_member", "birth_date", "sex", "grid_code"]
        assert [getattr(person, f) for f in derived] == [getattr(saved, f) for f in derived]
        assert person.created_at is not None and person.updated_at == person.created_at

        (history,) = person.history.all()
        assert (history.history_type, history.history_user) == ("+", users.worker)
        for field in Person._meta.concrete_fields:
            if field.attname != "name_initials":
                assert getattr(history, field.attname) == getattr(person, field.attname)

    zhang, wang = people["张三"], people["王五"]
    assert (zhang.sex, zhang.document_type, zhang.status) == (
        Sex.MALE,
        DocumentType.RESIDENT_ID,
        PersonStatus.LIVING,
    )
    assert (zhang.phone, zhang.presence, zhang.residency) == (
        "13800001111",
        Presence.CONSISTENT,
        Residency.REGISTERED,
    )
    assert (wang.sex, str(wang.birth_date), wang.is_party_member) == (
        Sex.FEMALE,
        "1990-02-03",
        True,
    )
    assert (wang.residency, wang.household_id, wang.grid_id) == (Residency.FLOATING, None, west.pk)
    assert people["李四"].address == "甲一路1号" and people["李四"].household is not None

    heads = dict(Household.objects.values_list("number", "head__name"))
    assert heads == {"H001": "张三", "H002": "赵六", "H003": "孙七"}
    assert all(h.history.latest("history_id").head_id == h.head_id for h in Household.objects.all())
