"""geo tells accounts which division and grid codes exist (accounts never imports geo)."""

from typing import Any

import pytest

from civicgrid.accounts import hooks


def test_registered_lookups_decide_which_codes_exist(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hooks, "_lookups", {})
    assert hooks.existing_codes(["520102"]) is None
    hooks.register_code_lookup("a", lambda codes: [c for c in codes if c.startswith("5201")])
    hooks.register_code_lookup("b", lambda codes: {"999"} & set(codes))
    assert hooks.existing_codes(["520102", "520102", "999", "123"]) == {"520102", "999"}


@pytest.mark.django_db
def test_geo_registers_its_codes(city: Any) -> None:
    assert "geo" in hooks._lookups
    assert hooks._lookups["geo"]([city.street_a.code, "520199999"]) == {city.street_a.code}


def test_a_missing_registration_is_a_system_check_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    from civicgrid.accounts.apps import _scope_codes_checkable

    monkeypatch.setattr(hooks, "_lookups", {})
    assert [w.id for w in _scope_codes_checkable()] == ["accounts.W001"]
    hooks.register_code_lookup("x", lambda codes: codes)
    assert _scope_codes_checkable() == []
