"""``build_city --add-cases`` finishes a long run in steps: the added cases join the city it
generated, numbered after those already there, with their histories, and the next intake's
number still follows the last one."""

from collections import Counter
from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Max

from civicgrid.cases.choices import Action
from civicgrid.cases.models import Case, CaseEvent, CaseNumberSequence
from civicgrid.cases.services import next_case_number
from civicgrid.dashboard.city_scale import build_city
from civicgrid.geo.models import Grid
from civicgrid.testing.city import TestCity

NOW = datetime(2026, 11, 27, 7, 0, tzinfo=UTC)


@pytest.mark.django_db
def test_added_cases_continue_the_city() -> None:
    build_city(people=200, cases=150, grids=20, seed=5, now=NOW)
    first = Case.objects.aggregate(last=Max("id"))["last"]
    out = StringIO()
    call_command("build_city", add_cases=300, stdout=out)
    assert "已追加 300 件事件" in out.getvalue()
    assert Case.objects.count() == 450
    numbers = list(Case.objects.values_list("number", flat=True))
    assert len(set(numbers)) == 450
    added = Case.objects.filter(id__gt=first)
    grids = dict(Grid.objects.values_list("pk", "code"))
    assert all(grids[c.grid_id] == c.grid_code for c in added)
    assert all(c.number.startswith(c.grid_code[:12]) for c in added)
    reports = Counter(
        CaseEvent.objects.filter(case__in=added, action=Action.REPORT).values_list(
            "case_id", flat=True
        )
    )
    assert len(reports) == 300 and set(reports.values()) == {1}
    # Every counter ends at the highest serial given for its community and day.
    for sequence in CaseNumberSequence.objects.all():
        day = f"{sequence.day:%Y%m%d}"
        serials = [
            int(n.rsplit("-", 1)[1]) for n in numbers if n.startswith(f"{sequence.prefix}-{day}-")
        ]
        assert sequence.last == max(serials)
    latest = Case.objects.order_by("-reported_at").first()
    assert latest is not None
    number = next_case_number(latest.number.split("-")[0], latest.reported_at)
    assert not Case.objects.filter(number=number).exists()


@pytest.mark.django_db
def test_adding_needs_a_generated_city() -> None:
    with pytest.raises(CommandError, match="没有 build_city 生成的城市"):
        call_command("build_city", add_cases=10, stdout=StringIO())
    assert not Case.objects.exists()


def test_adding_does_not_mix_with_a_new_city(city: TestCity) -> None:
    with pytest.raises(CommandError, match="不能与"):
        call_command("build_city", add_cases=10, people=10, stdout=StringIO())
    with pytest.raises(CommandError, match="--people 与 --cases"):
        call_command("build_city", people=10, stdout=StringIO())


@pytest.mark.django_db
def test_adding_after_a_stopped_run_reads_the_numbers_taken() -> None:
    # A run stopped before its end has written no counters: the numbers say what is taken.
    build_city(people=120, cases=200, grids=20, seed=9, now=NOW)
    CaseNumberSequence.objects.all().delete()
    call_command("build_city", add_cases=200, stdout=StringIO())
    assert Case.objects.values("number").distinct().count() == 400
