from typing import Any

import pytest

from civicgrid.participation.testing import make_card


@pytest.fixture
def card(users: Any) -> Any:
    """The ``worker``'s published card, with a work phone unlike the account's own."""
    users.worker.phone = "13900001111"
    users.worker.save()
    return make_card(users.worker, phone="0851-85550001")
