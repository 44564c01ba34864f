from collections.abc import Iterator

import pytest

from civicgrid.core.worktime import clear_calendar_cache


@pytest.fixture(autouse=True)
def _fresh_work_calendar() -> Iterator[None]:
    # Test transactions roll back without post_delete signals: never let one test's calendar
    # rows linger in the per-process cache.
    clear_calendar_cache()
    yield
    clear_calendar_cache()
