"""The earliest and latest date of a file's model (`date_span`): what the caches keep of
its dates, so that `days` can tell on which days a result still holds. Kept apart from
`days`, which every read of the result cache imports, so that such a read loads no pydantic.
"""

from __future__ import annotations

import functools
import operator
import typing
from collections.abc import Callable
from datetime import date

from pydantic import BaseModel

from diffuse.cache.days import Span


def date_span(item: BaseModel) -> Span | None:
    """The earliest and latest date of `item`, which decide its `date-range` problems on
    any day (below); None when it holds no date."""
    if _last and _last[0][0] is item:
        return _last[0][1]
    found = all_dates(item)
    span = (min(found), max(found)) if found else None
    # A project read is asked for its span as it is registered, then as its entry in the
    # file cache is written: the second time it is not walked again. Nothing changes a
    # model once read.
    _last[:] = [(item, span)]
    return span


_last: list[tuple[BaseModel, Span | None]] = []


def all_dates(item: BaseModel) -> list[date]:
    """Every date in `item`, in no order: `_dates` without the places, quick enough to
    run on every project of a big tracker."""
    found: list[date] = []
    stack: list[object] = [item]
    pop = stack.pop
    while stack:
        value = pop()
        if isinstance(value, date):
            found.append(value)
        elif isinstance(value, BaseModel):
            stack += _reader(type(value))(value)
        elif isinstance(value, list):
            stack += value
        elif isinstance(value, dict):
            stack += value.values()
    return found


@functools.cache
def _reader(model: type[BaseModel]) -> Callable[[BaseModel], tuple[object, ...]]:
    """The reader of the fields of `model` that may hold a date (`dated_fields`): a tuple of
    their values, read in C by `attrgetter` rather than a name at a time."""
    names = [name for name, _key in dated_fields(model)]
    return operator.attrgetter(*names) if len(names) > 1 else _one_or_none(names)


def _one_or_none(names: list[str]) -> Callable[[BaseModel], tuple[object, ...]]:
    """A reader for one field or none: `attrgetter` of one name gives its value alone."""
    if not names:
        return lambda _value: ()
    one = operator.attrgetter(names[0])
    return lambda value: (one(value),)


@functools.cache
def dated_fields(model: type[BaseModel]) -> tuple[tuple[str, str], ...]:
    """The fields of `model` that may hold a date, each with the key it is written under:
    found from the annotations once, so no date field added later is missed and the walk
    skips the text and figures that make up most of a file."""
    return tuple(
        (name, field.alias or name)
        for name, field in model.model_fields.items()
        if _may_hold_date(field.annotation)
    )


def _may_hold_date(annotation: object) -> bool:
    if annotation is date:
        return True
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return bool(dated_fields(annotation))
    return any(_may_hold_date(arg) for arg in typing.get_args(annotation))
