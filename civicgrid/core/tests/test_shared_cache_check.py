"""core.W002: production with a per-process cache is warned that throttles count per process."""

from django.test import override_settings

from civicgrid.core.checks import shared_cache_check

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
DB = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "c"}}


@override_settings(DEBUG=False, CACHES=LOCMEM)
def test_production_on_a_per_process_cache_is_warned() -> None:
    assert [w.id for w in shared_cache_check()] == ["core.W002"]


@override_settings(DEBUG=False, CACHES=DB)
def test_a_shared_cache_is_not_warned() -> None:
    assert shared_cache_check() == []
