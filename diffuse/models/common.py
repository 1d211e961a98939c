"""Types shared by every file kind: ids, dates, the strict base model."""

from __future__ import annotations

import math
import re
from datetime import date
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict
from pydantic_core import PydanticCustomError

from diffuse.layout import ID_PATTERN
from diffuse.limits import DAY_RANGE, FIRST_DAY, LAST_DAY, MAX_FIGURE

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


class Base(BaseModel):
    """Unknown keys are errors: a typo in a hand-edited file must never pass silently."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, validate_default=False)


# The ids and days already read and found good, so that the many repeats of a site's id or
# a day in a tracker are looked up rather than matched again; bounded, as a tracker's text
# is not.
_GOOD_IDS: set[str] = set()
_GOOD_DAYS: dict[str, date] = {}
_REMEMBERED = 10_000


def _check_id(value: str) -> str:
    # Ids become file names and CLI arguments: keeping them to a safe alphabet rules out
    # path traversal ("../x"), spaces and case clashes on case-insensitive file systems.
    if value in _GOOD_IDS:
        return value
    if not ID_PATTERN.fullmatch(value):
        raise PydanticCustomError(
            "invalid_id",
            "expected an id of lowercase letters, digits and '-', starting with a letter "
            "or digit, at most 64 characters",
        )
    if len(_GOOD_IDS) < _REMEMBERED:
        _GOOD_IDS.add(value)
    return value


def _parse_day(value: Any) -> Any:
    # YAML scalars reach the models as text; only an ISO calendar day is a date here, so
    # "2025-02-30", "12/01/2010" or a bare number are reported rather than guessed at.
    text = value if isinstance(value, str) else None
    if text is not None:
        known = _GOOD_DAYS.get(text)
        if known is not None:
            return known
        if _ISO_DAY.fullmatch(text):
            try:
                value = date.fromisoformat(text)
            except ValueError:
                raise PydanticCustomError("invalid_date", "not a real calendar day") from None
    if not isinstance(value, date):
        raise PydanticCustomError("invalid_date", "expected a date as YYYY-MM-DD")
    if not FIRST_DAY <= value <= LAST_DAY:
        raise PydanticCustomError("day_range", f"expected a date {DAY_RANGE}")
    if text is not None and len(_GOOD_DAYS) < _REMEMBERED:
        _GOOD_DAYS[text] = value
    return value


def _usable_figure(value: float) -> float:
    # pydantic reads '1e999', 'nan' and a 400-digit number as floats; none can be charted.
    if math.isnan(value):
        raise PydanticCustomError("figure_range", "expected a finite number")
    if not abs(value) <= MAX_FIGURE:
        raise PydanticCustomError(
            "figure_range", f"expected a number from -{MAX_FIGURE:,.0f} to {MAX_FIGURE:,.0f}"
        )
    return value


def _one_or_many(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


Id = Annotated[str, AfterValidator(_check_id)]
Day = Annotated[date, BeforeValidator(_parse_day)]
Figure = Annotated[float, AfterValidator(_usable_figure)]
IdList = Annotated[list[Id], BeforeValidator(_one_or_many)]
