"""Every schema of the API has a name of its own. The OpenAPI document keys schemas by class
name, so two apps each defining a ``RankingOut`` left one operation documented with the other's
fields (and schemathesis found the answers "violating" the wrong schema)."""

from collections import defaultdict
from collections.abc import Iterator

from ninja import Schema

import config.urls  # noqa: F401  (mounts every app's API)


def _subclasses(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_no_two_api_schemas_share_a_name() -> None:
    modules: dict[str, set[str]] = defaultdict(set)
    for schema in _subclasses(Schema):
        if schema.__module__.startswith("civicgrid.") and ".tests." not in schema.__module__:
            modules[schema.__name__].add(schema.__module__)
    shared = {name: sorted(found) for name, found in modules.items() if len(found) > 1}
    assert shared == {}, "prefix the newer one with its app (e.g. VolunteerRankingOut)"
