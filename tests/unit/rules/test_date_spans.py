"""A file's date span (`cache.spans`) decides which dates the `date-range` rule reads one
by one: a date the span missed could lie outside the window unseen. The span's walk reads
only the fields whose annotations may hold a date; here it is checked against a walk of
every field of every model of the demo tracker and the test tracker."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import FIXTURE, REPO_ROOT
from pydantic import BaseModel

from diffuse.cache.spans import all_dates, date_span
from diffuse.rules.load import load_tracker

DAY = date(2026, 11, 22)


def every_date(value: object) -> list[date]:
    """Every date in `value`, found by reading every field, whatever its annotation."""
    if isinstance(value, date):
        return [value]
    if isinstance(value, BaseModel):
        return [d for name in type(value).model_fields for d in every_date(getattr(value, name))]
    if isinstance(value, list | tuple | set | frozenset):
        return [d for item in value for d in every_date(item)]
    if isinstance(value, dict):
        return [d for item in value.values() for d in every_date(item)]
    return []


@pytest.mark.parametrize("root", [REPO_ROOT, FIXTURE], ids=["demo", "fixture"])
def test_the_span_walk_finds_every_date_of_every_model(root: Path) -> None:
    catalog = load_tracker(root, today=DAY).catalog
    items: list[BaseModel] = [*catalog.projects.values(), *catalog.practices.values()]
    assert catalog.organisation is not None
    items.append(catalog.organisation)
    assert sum(len(every_date(item)) for item in items) > 10  # the walk has dates to find
    for item in items:
        expected = sorted(every_date(item))
        assert sorted(all_dates(item)) == expected
        assert date_span(item) == ((expected[0], expected[-1]) if expected else None)
