"""A later send of a known order changes the case once: new content is recorded, 催办 becomes
the system's supervision step, and a resend of the same update changes nothing more."""

from typing import Any

import pytest

from civicgrid.cases.choices import Action, CaseStatus
from civicgrid.cases.models import Case, CaseEvent
from civicgrid.cases.workflow import case_transition
from civicgrid.integrations.models import HotlineOrder, HotlineOrderUpdate
from civicgrid.integrations.tests.test_hotline_idempotent import ORDER, post

pytestmark = pytest.mark.django_db


def test_update_is_recorded_once(hotline_key: Any) -> None:
    post(hotline_key, ORDER)
    changed = {**ORDER, "content": ORDER["content"] + "。市民再次来电,垃圾已堆到路上"}
    assert post(hotline_key, changed).status_code == 200
    assert post(hotline_key, changed).status_code == 200
    [update] = HotlineOrderUpdate.objects.all()
    assert update.changed == ["content"]
    assert "再次来电" in update.note
    assert Case.objects.count() == 1


def test_urge_supervises_the_case_once(hotline_key: Any, users: Any) -> None:
    answer = post(hotline_key, ORDER).json()
    case = Case.objects.get(number=answer["case_number"])
    case_transition(case=case, action=Action.ACCEPT, actor=users.secretary)
    urged = {**ORDER, "urge": True, "urge_note": "市民第三次来电催办"}
    assert post(hotline_key, urged).json() == answer
    assert post(hotline_key, urged).json() == answer
    case.refresh_from_db()
    assert case.supervised and case.supervise_reason == "市民第三次来电催办"
    assert CaseEvent.objects.filter(case=case, action=Action.SUPERVISE).count() == 1
    assert case.status == CaseStatus.ACCEPTED


def test_another_systems_order_number_is_refused(
    hotline_key: Any, city: Any, secadmin: Any
) -> None:
    from civicgrid.integrations.keys import HOTLINE_ORDERS
    from civicgrid.integrations.tests.conftest import make_key

    post(hotline_key, ORDER)
    other = make_key(secadmin, city.street_a.code, [HOTLINE_ORDERS])
    response = post(other, {**ORDER, "content": "改写"})
    assert response.status_code == 422
    assert HotlineOrder.objects.get().api_key == hotline_key.row
