"""The presenters give plain data for staff: names of the worker and the grid, the figures,
Chinese labels; never coordinates (those come only through the audited track read)."""

from typing import Any

from civicgrid.fieldwork.compliance import compliance_for_day
from civicgrid.fieldwork.models import DailyCompliance
from civicgrid.fieldwork.presenters import present_compliance, present_flag, present_patrol
from civicgrid.fieldwork.selectors import patrol_list
from civicgrid.fieldwork.tests.walks import MID_LAT, MONDAY, at, line, walk


def test_patrol_flag_and_verdict(users: Any) -> None:
    patrol = walk(users.worker, line((MID_LAT, 106.725), (MID_LAT, 106.726), at(9), 30))
    shown = present_patrol(patrol_list(users.command).get(), user=users.command)
    assert shown["worker"] == "worker" and shown["grid"] == "甲一社区1号网格"
    assert shown["duration_min"] == 30 and shown["inside_pct"] == 0
    assert shown["flag_count"] == 1 and shown["mine"] is False
    assert present_patrol(patrol, user=users.worker)["mine"] is True
    flag = present_flag(patrol.flags.select_related("patrol__worker", "patrol__grid").get())
    assert flag["kind_label"] == "远离网格"
    compliance_for_day(MONDAY)
    verdict = present_compliance(DailyCompliance.objects.get(worker=users.worker))
    assert (verdict["status_label"], verdict["tone"]) == ("只巡一次", "warn")
    for value in [*shown.values(), *flag.values(), *verdict.values()]:
        assert "26.5" not in str(value) and "106.7" not in str(value)
