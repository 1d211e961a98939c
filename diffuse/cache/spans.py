"""The earliest and latest date of a file's model (`date_span`): what the caches keep of
its dates, so that `days` can tell on which days a result still holds. Kept apart from
`days`, which every read of the result cache imports, so that such a read loads no pydantic.
"""

from __future__ import annotations

import functools
import typing
from datetime import date

from pydantic import BaseModel

from diffuse.cache.days import Span


def date_span(item: BaseModel) -> Span | None:
    """The earliest and latest date of `item`, which decide its `date-range` problems on
    any day (below); None when it holds no date."""
    found = all_dates(item)
    return (min(found), max(found)) if found else None


def all_dates(item: BaseModel) -> list[date]:
    """Every date in `item`, in no order: `_dates` without the places, quick enough to
    run on every project of a big tracker."""
    found: list[date] = []
    stack: list[object] = [item]
    while stack:
        value = stack.pop()
        if isinstance(value, date):
            found.append(value)
        elif isinstance(value, BaseModel):
            stack += [getattr(value, name) for name, _key in dated_fields(type(value))]
        elif isinstance(value, list):
            stack += value
        elif isinstance(value, dict):
            stack += value.values()
    return found


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
