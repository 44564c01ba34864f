"""``run_once``: the same (user, scope, key) runs its action once and every repeat gets the
first answer; a failed action leaves the key free; other users and scopes are independent;
old keys are purged."""

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from civicgrid.core.idempotency import purge_expired, run_once
from civicgrid.core.models import IdempotentRequest
from civicgrid.testing.users import RoleUsers

pytestmark = pytest.mark.django_db


def _counter() -> tuple[list[int], Any]:
    runs: list[int] = []

    def action() -> tuple[int, dict[str, Any]]:
        runs.append(1)
        return 201, {"n": len(runs)}

    return runs, action


def test_a_repeat_returns_the_first_answer_without_running_again(users: RoleUsers) -> None:
    runs, action = _counter()
    first = run_once(user=users.worker, scope="test.op", key="k1", action=action)
    second = run_once(user=users.worker, scope="test.op", key="k1", action=action)
    assert len(runs) == 1
    assert (first.status, first.body, first.replayed) == (201, {"n": 1}, False)
    assert (second.status, second.body, second.replayed) == (201, {"n": 1}, True)
    assert IdempotentRequest.objects.count() == 1


def test_keys_are_per_user_and_per_scope(users: RoleUsers) -> None:
    runs, action = _counter()
    run_once(user=users.worker, scope="test.op", key="k1", action=action)
    run_once(user=users.cadre, scope="test.op", key="k1", action=action)
    run_once(user=users.worker, scope="test.other", key="k1", action=action)
    assert len(runs) == 3


def test_a_failed_action_leaves_the_key_free_for_a_corrected_resend(users: RoleUsers) -> None:
    def refuse() -> tuple[int, dict[str, Any]]:
        raise ValidationError("坐标超出范围")

    with pytest.raises(ValidationError):
        run_once(user=users.worker, scope="test.op", key="k1", action=refuse)
    assert not IdempotentRequest.objects.exists()
    runs, action = _counter()
    outcome = run_once(user=users.worker, scope="test.op", key="k1", action=action)
    assert not outcome.replayed and len(runs) == 1


def test_keys_older_than_thirty_days_are_purged(users: RoleUsers) -> None:
    _, action = _counter()
    run_once(user=users.worker, scope="test.op", key="old", action=action)
    run_once(user=users.worker, scope="test.op", key="new", action=action)
    IdempotentRequest.objects.filter(key="old").update(
        created_at=timezone.now() - timedelta(days=31)
    )
    assert purge_expired() == 1
    assert list(IdempotentRequest.objects.values_list("key", flat=True)) == ["new"]
    call_command("purge_idempotency_keys", verbosity=0)
    assert IdempotentRequest.objects.count() == 1
