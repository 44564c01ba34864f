"""One page of a list, at a cost that does not grow with the table (docs/architecture.md
"City scale").

Two things made list pages slow on a big jurisdiction: an exact ``COUNT(*)`` over every row
the user may see, and ``OFFSET`` paging (the database reads and throws away every row before
the page). So:

* the count stops at ``PAGE_COUNT_CAP`` rows ("共 10,000+ 条"); below the cap it is exact and
  pages are numbered as before (``?page=N``, an OFFSET of at most the cap);
* past the cap, 上一页/下一页 carry a signed cursor holding the sort key of the page's
  first/last row (``?after=`` / ``?before=``) and the database seeks to it through the index
  of the list's ordering ("keyset" paging); 末页 (``?last=1``) reads the ordering backwards.

A cursor only narrows the query it is applied to, which always starts from ``visible_to``:
whoever made it, it cannot show a row outside the reader's jurisdiction. A garbled, tampered
or foreign cursor (another list's ordering) gives the first page, never an error.
"""

from __future__ import annotations

import contextlib
import datetime
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db.models import F, Model, Q, QuerySet
from django.db.models.expressions import OrderBy
from django.db.models.query import ModelIterable
from django.http import HttpRequest, QueryDict

MAX_PAGE_SIZE = 200
_SALT = "civicgrid.pagination.cursor"
#: Query parameters that position a page (dropped when a link builds another position).
_POSITION = ("page", "after", "before", "last")


def count_cap() -> int:
    """Above this many rows (``PAGE_COUNT_CAP``) a list says "N+" and pages by cursor."""
    return int(settings.PAGE_COUNT_CAP)


@dataclass
class ListPaginator:
    """What templates and APIs read as ``page.paginator``: ``count`` is exact unless
    ``capped`` (then it is the cap and the list holds more)."""

    count: int
    per_page: int
    capped: bool

    @property
    def num_pages(self) -> int:
        """Pages reachable by number (all of them unless capped)."""
        return max(1, math.ceil(self.count / self.per_page))


class ListPage(Sequence[Any]):
    """A page with the interface of Django's ``Page`` (``object_list``, ``number``,
    ``has_next()``, ``paginator.count``…) plus ready query strings for the pager links.
    ``number`` is 0 for a page reached by cursor past the cap (its position is unknown)."""

    def __init__(
        self,
        object_list: list[Any],
        number: int,
        paginator: ListPaginator,
        *,
        next_query: str | None,
        previous_query: str | None,
        first_query: str,
        last_query: str,
    ) -> None:
        self.object_list = object_list
        self.number = number
        self.paginator = paginator
        self.next_query = next_query
        self.previous_query = previous_query
        self.first_query = first_query
        self.last_query = last_query

    def __repr__(self) -> str:
        return f"<ListPage {self.number or '?'} ({len(self.object_list)} rows)>"

    def __len__(self) -> int:
        return len(self.object_list)

    def __getitem__(self, index: Any) -> Any:
        return self.object_list[index]

    def __iter__(self) -> Iterator[Any]:
        return iter(self.object_list)

    @property
    def next_cursor(self) -> str:
        """The ``after=`` cursor of the next page, for API clients ("" when the next page is
        reached by number, or there is none)."""
        return QueryDict(self.next_query or "").get("after", "")

    def has_next(self) -> bool:
        return self.next_query is not None

    def has_previous(self) -> bool:
        return self.previous_query is not None

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1

    def start_index(self) -> int:
        if not self.object_list or not self.number:
            return 0
        return (self.number - 1) * self.paginator.per_page + 1

    def end_index(self) -> int:
        if not self.number:
            return 0
        return self.start_index() + len(self.object_list) - 1 if self.object_list else 0


# ------------------------------------------------------------------------------ the sort key


@dataclass(frozen=True)
class _Key:
    """One column of the ordering: a path (``reported_at``, ``grid__code``) and direction."""

    path: str
    desc: bool

    def order(self, reverse: bool = False) -> OrderBy:
        return OrderBy(F(self.path), descending=self.desc != reverse)


def _field_path(model: type[Model], path: str) -> tuple[bool, str | None]:
    """(nullable anywhere along the path, attribute name on the row when local)."""
    parts = path.split("__")
    current: Any = model
    nullable = False
    attname: str | None = None
    for i, part in enumerate(parts):
        name = current._meta.pk.name if part == "pk" else part
        field = current._meta.get_field(name)
        nullable = nullable or bool(getattr(field, "null", False))
        if i == len(parts) - 1:
            if field.is_relation:
                # Ordering by a relation means by its target's ordering: not a plain value.
                raise FieldDoesNotExist(path)
            attname = field.attname if len(parts) == 1 else None
        else:
            if not field.is_relation or field.many_to_many or field.one_to_many:
                raise FieldDoesNotExist(path)
            current = field.related_model
    return nullable, attname


def _sort_keys(queryset: QuerySet[Any]) -> list[_Key] | None:
    """The queryset's ordering as plain non-null columns ending with the primary key, or None
    when it cannot be sought (expressions, nullable columns, values() rows…)."""
    if queryset._iterable_class is not ModelIterable:
        return None
    query = queryset.query
    if query.distinct or query.combinator:
        return None
    ordering: Sequence[Any] = query.order_by or (
        queryset.model._meta.ordering if query.default_ordering else ()
    )
    model = queryset.model
    keys: list[_Key] = []
    for item in ordering:
        if isinstance(item, str):
            desc = item.startswith("-")
            path = item.lstrip("-+")
        elif isinstance(item, OrderBy) and isinstance(item.expression, F):
            if item.nulls_first or item.nulls_last:
                return None
            desc, path = item.descending, item.expression.name
        else:
            return None
        if path == "?":
            return None
        try:
            nullable, _ = _field_path(model, path)
        except FieldDoesNotExist:
            return None
        if nullable:
            # NULLs sort at different ends on SQLite and PostgreSQL and never compare: a cursor
            # would skip them. Such lists stay on numbered pages (bounded by the cap).
            return None
        if path in ("pk", model._meta.pk.name):
            keys.append(_Key("pk", desc))
            return keys
        keys.append(_Key(path, desc))
    keys.append(_Key("pk", False))
    return keys


def _value_of(row: Model, key: _Key, index: int) -> Any:
    if key.path == "pk":
        return row.pk
    _, attname = _field_path(type(row), key.path)
    if attname is not None:
        return getattr(row, attname)
    return getattr(row, f"_seek_{index}")


def _annotated(queryset: QuerySet[Any], keys: list[_Key]) -> QuerySet[Any]:
    """Related columns of the ordering read back on each row (as ``_seek_<i>``)."""
    extra = {
        f"_seek_{i}": F(k.path) for i, k in enumerate(keys) if k.path != "pk" and "__" in k.path
    }
    return queryset.annotate(**extra) if extra else queryset


_SENTINELS: dict[str, tuple[Any, Any]] = {
    "DateTimeField": (
        datetime.datetime(1, 1, 2, tzinfo=datetime.UTC),
        datetime.datetime(9999, 12, 30, tzinfo=datetime.UTC),
    ),
    "DateField": (datetime.date.min, datetime.date.max),
    "CharField": ("", "\U0010ffff"),
    "AutoField": (-(2**62), 2**62),
    "BigAutoField": (-(2**62), 2**62),
    "IntegerField": (-(2**62), 2**62),
    "PositiveIntegerField": (-(2**62), 2**62),
}


def _planner_bounds(queryset: QuerySet[Any], keys: list[_Key]) -> QuerySet[Any]:
    """On SQLite, bound the ordering's first column on both sides (always true).

    Without statistics SQLite takes any two-sided range (the jurisdiction's codes) as
    selective, reads it through the code index and sorts all of it, a whole city for the
    command centre, to show 50 rows ordered by date. A two-sided range on the ordering's own
    column makes the ordering's index the cheaper plan: it walks it and stops after one page
    (docs/architecture.md "City scale"). Only past the count cap: a jurisdiction of fewer rows
    is cheaper to read through its codes and sort (a grid worker's few cases in a city's
    million). PostgreSQL plans from statistics: nothing added."""
    from django.db import connections

    if connections[queryset.db].vendor != "sqlite":
        return queryset
    key = keys[0]
    field = queryset.model._meta.pk if key.path == "pk" else None
    if field is None and "__" not in key.path:
        field = queryset.model._meta.get_field(key.path)
    bounds = _SENTINELS.get(field.get_internal_type()) if field is not None else None
    if bounds is None:
        return queryset
    path = "pk" if key.path == "pk" else key.path
    return queryset.filter(**{f"{path}__gte": bounds[0], f"{path}__lte": bounds[1]})


def _encode(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return {"dt": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"d": value.isoformat()}
    if isinstance(value, Decimal):
        return {"dec": str(value)}
    if isinstance(value, bool | int | float | str):
        return value
    return {"s": str(value)}


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if "dt" in value:
            return datetime.datetime.fromisoformat(value["dt"])
        if "d" in value:
            return datetime.date.fromisoformat(value["d"])
        if "dec" in value:
            return Decimal(value["dec"])
        return str(value["s"])
    return value


def _signature(keys: list[_Key]) -> str:
    return ",".join(("-" if k.desc else "") + k.path for k in keys)


def make_cursor(row: Model, keys: list[_Key]) -> str | None:
    values = [_value_of(row, k, i) for i, k in enumerate(keys)]
    if any(v is None for v in values):
        return None
    return signing.dumps(
        {"o": _signature(keys), "v": [_encode(v) for v in values]}, salt=_SALT, compress=True
    )


def read_cursor(token: str, keys: list[_Key]) -> list[Any] | None:
    """The sort-key values in ``token``, or None when it is not a cursor of this ordering."""
    try:
        data = signing.loads(token, salt=_SALT)
        if not isinstance(data, dict) or data.get("o") != _signature(keys):
            return None
        values = [_decode(v) for v in data["v"]]
    except (signing.BadSignature, ValueError, TypeError, KeyError, AttributeError):
        return None
    return values if len(values) == len(keys) else None


def _beyond(keys: list[_Key], values: list[Any], *, backwards: bool) -> Q:
    """Rows strictly after the cursor in the ordering (before it when ``backwards``).

    Written as ``first >= v AND (first > v OR (first = v AND second > w) ...)``: the leading
    bound alone is what lets both databases start the index scan at the cursor (docs/
    architecture.md "City scale"); the OR then only trims the ties."""
    later = Q(pk__in=[])
    for i, key in enumerate(keys):
        op = "lt" if key.desc != backwards else "gt"
        term = Q(**{f"{key.path}__{op}": values[i]})
        for prev, value in zip(keys[:i], values[:i], strict=False):
            term &= Q(**{prev.path: value})
        later |= term
    first = keys[0]
    op = "lte" if first.desc != backwards else "gte"
    return Q(**{f"{first.path}__{op}": values[0]}) & later


# ---------------------------------------------------------------------------------- paginate


def _query(request: HttpRequest, **position: Any) -> str:
    params: QueryDict = request.GET.copy()
    for name in _POSITION:
        params.pop(name, None)
    for name, value in position.items():
        params[name] = str(value)
    return params.urlencode()


def _page_number(raw: str | None, last: int) -> int:
    number = 1
    with contextlib.suppress(TypeError, ValueError):
        number = int(raw or 1)
    return min(max(number, 1), last)


def paginate(
    request: HttpRequest, queryset: QuerySet[Any] | Sequence[Any], per_page: int | None = None
) -> ListPage:
    """One page of ``queryset`` (see the module docstring); a bad or too-large page number or a
    bad cursor falls back to a valid page, never an error."""
    size = per_page or settings.PAGE_SIZE
    with contextlib.suppress(ValueError):
        size = min(int(request.GET.get("size", size)), MAX_PAGE_SIZE)
    size = max(size, 1)
    if not isinstance(queryset, QuerySet):
        return _exact_page(request, Paginator(queryset, size), size)

    cap = count_cap()
    # Any cap+1 rows tell "more than the cap": no ordering, so the database picks the cheapest.
    count = queryset.order_by().values("pk")[: cap + 1].count()
    keys = _sort_keys(queryset)
    if keys is not None:
        queryset = _annotated(queryset.order_by(*(k.order() for k in keys)), keys)
    paginator = ListPaginator(min(count, cap), size, capped=count > cap)
    first_query = _query(request)
    last_query = _query(request, last=1)

    if keys is not None and paginator.capped:
        queryset = _planner_bounds(queryset, keys)
        for direction in ("after", "before"):
            token = request.GET.get(direction)
            values = read_cursor(token, keys) if token else None
            if values is not None:
                return _seek_page(request, queryset, keys, paginator, values, direction)
        if request.GET.get("last"):
            return _seek_page(request, queryset, keys, paginator, None, "before")

    last_number = paginator.num_pages
    number = (
        last_number
        if request.GET.get("last")
        else _page_number(request.GET.get("page"), last_number)
    )
    offset = (number - 1) * size
    rows = list(queryset[offset : offset + size]) if count else []
    has_next = number < last_number
    next_query: str | None = _query(request, page=number + 1) if has_next else None
    if paginator.capped and number == last_number:
        # The numbered pages end at the cap; the rest is reached by cursor.
        token = make_cursor(rows[-1], keys) if keys is not None and rows else None
        next_query = _query(request, after=token) if token else None
    previous_query = None
    if number > 1:
        previous_query = _query(request, page=number - 1) if number > 2 else first_query
    return ListPage(
        rows,
        number,
        paginator,
        next_query=next_query,
        previous_query=previous_query,
        first_query=first_query,
        last_query=last_query,
    )


def _seek_page(
    request: HttpRequest,
    queryset: QuerySet[Any],
    keys: list[_Key],
    paginator: ListPaginator,
    values: list[Any] | None,
    direction: str,
) -> ListPage:
    """The ``size`` rows after the cursor (``after``) or before it (``before``; with no cursor:
    the last rows of the list), read through the ordering's index, one row more to know
    whether the list goes on."""
    size = paginator.per_page
    backwards = direction == "before"
    rows_qs = queryset
    if values is not None:
        rows_qs = rows_qs.filter(_beyond(keys, values, backwards=backwards))
    if backwards:
        rows_qs = rows_qs.order_by(*(k.order(reverse=True) for k in keys))
    rows = list(rows_qs[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
    # Going forwards there is a row before (the cursor's); going backwards one after it.
    has_next = more if not backwards else values is not None
    has_previous = more if backwards else True
    next_token = make_cursor(rows[-1], keys) if rows and has_next else None
    prev_token = make_cursor(rows[0], keys) if rows and has_previous else None
    previous_query = _query(request, before=prev_token) if prev_token else None
    if not rows and values is not None:
        # Past either end (the rows around the cursor went away): offer the ends.
        previous_query = _query(request, last=1) if not backwards else None
    return ListPage(
        rows,
        0,
        paginator,
        next_query=_query(request, after=next_token) if next_token else None,
        previous_query=previous_query,
        first_query=_query(request),
        last_query=_query(request, last=1),
    )


def _exact_page(request: HttpRequest, paginator: Paginator, size: int) -> ListPage:
    """A page of a plain list (already in memory): numbered, exact."""
    page = paginator.get_page(request.GET.get("page"))
    number = page.number
    return ListPage(
        list(page.object_list),
        number,
        ListPaginator(paginator.count, size, capped=False),
        next_query=_query(request, page=number + 1) if page.has_next() else None,
        previous_query=(
            (_query(request, page=number - 1) if number > 2 else _query(request))
            if page.has_previous()
            else None
        ),
        first_query=_query(request),
        last_query=_query(request, page=paginator.num_pages),
    )
