"""Check-in on the phone is refused outside the time window and far from the place, with the
distance in the message; inside both it is recorded with the distance."""

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError

from civicgrid.participation.volunteers import services
from civicgrid.participation.volunteers.choices import CheckinMethod
from civicgrid.participation.volunteers.testing import make_volunteer


@pytest.fixture
def signed(city: Any, users: Any, activity: Any) -> Any:
    volunteer = make_volunteer(city.comm_a1)
    services.signup(activity=activity, volunteer=volunteer, actor=users.cadre)
    return volunteer


def test_too_early_and_too_late(activity: Any, signed: Any) -> None:
    here = {"lat": activity.lat, "lng": activity.lng}
    early = time_machine.travel(activity.start - timedelta(minutes=31))
    with early, pytest.raises(ValidationError, match="签到尚未开始"):
        services.checkin_self(activity=activity, volunteer=signed, **here)
    late = time_machine.travel(activity.end + timedelta(minutes=1))
    with late, pytest.raises(ValidationError, match="签到已关闭"):
        services.checkin_self(activity=activity, volunteer=signed, **here)


def test_far_away_gives_the_distance(activity: Any, signed: Any) -> None:
    with time_machine.travel(activity.start - timedelta(minutes=10)):
        # 0.01° of latitude north: about 1.1 km.
        with pytest.raises(ValidationError) as refused:
            services.checkin_self(
                activity=activity, volunteer=signed, lat=activity.lat + 0.01, lng=activity.lng
            )
        message = refused.value.messages[0]
        assert "超出 500 米签到范围" in message
        assert "约 110" in message  # 1106-1109 m
        with pytest.raises(ValidationError, match="请允许获取位置"):
            services.checkin_self(activity=activity, volunteer=signed, lat=None, lng=None)


def test_near_and_in_time_is_recorded(activity: Any, signed: Any) -> None:
    with time_machine.travel(activity.start - timedelta(minutes=10)):
        row = services.checkin_self(
            activity=activity, volunteer=signed, lat=activity.lat + 0.001, lng=activity.lng
        )
    assert row.checkin_method == CheckinMethod.SELF
    assert 100 <= (row.checkin_distance_m or 0) <= 120
    with time_machine.travel(activity.start), pytest.raises(ValidationError, match="已签到"):
        services.checkin_self(
            activity=activity, volunteer=signed, lat=activity.lat, lng=activity.lng
        )
