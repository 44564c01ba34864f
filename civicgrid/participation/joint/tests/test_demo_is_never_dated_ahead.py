from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import time_machine

from civicgrid.cases.models import Case, CaseEvent
from civicgrid.participation.joint.demo import build_joint

# The sixth day of the National Day holiday: the working hours of a story that started five
# calendar days back only run on the first working day after it.
HOLIDAY_EVENING = datetime(2026, 10, 6, 20, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_the_bounced_cases_happened_before_the_build_even_in_a_long_holiday(
    city: Any, users: Any, zjj: Any
) -> None:
    with time_machine.travel(HOLIDAY_EVENING, tick=False):
        assert build_joint(city) == {"meetings": 1}
    assert Case.objects.count() == 2
    assert not Case.objects.filter(reported_at__gt=HOLIDAY_EVENING).exists()
    assert not CaseEvent.objects.filter(at__gt=HOLIDAY_EVENING).exists()
