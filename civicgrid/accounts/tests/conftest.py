"""Accounts checks scope codes through ``accounts.hooks``, which ``geo`` fills in (accounts never
imports geo). Until the geo app registers its lookup, these tests stand one in that reads the
same tables by name, so the account rules are tested whatever the registration state;
``test_scope_code_hook.py`` checks the real registration separately."""

from collections.abc import Iterator

import pytest
from django.apps import apps

from civicgrid.accounts import hooks


def _codes_by_model_name(codes: list[str]) -> set[str]:
    region = apps.get_model("geo", "Region")
    grid = apps.get_model("geo", "Grid")
    known = set(region.objects.filter(code__in=codes).values_list("code", flat=True))
    known |= set(
        grid.objects.filter(code__in=codes, retired_on__isnull=True).values_list("code", flat=True)
    )
    return known


@pytest.fixture(autouse=True)
def _scope_code_lookup() -> Iterator[None]:
    if hooks.code_lookup_registered():
        yield
        return
    hooks.register_code_lookup("tests", _codes_by_model_name)
    yield
    hooks._lookups.pop("tests", None)
