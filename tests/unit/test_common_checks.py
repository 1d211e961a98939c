"""The id and day checks every file's values pass through remember what they accepted, so a
tracker's thousand repeats of one site id or one day are read once: what they refuse must
stay refused however often, and after whatever was accepted before."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import BaseModel, ValidationError

from diffuse.models import common
from diffuse.models.common import Day, Id


class Item(BaseModel):
    id: Id
    day: Day


def problems(**values: object) -> list[str]:
    try:
        Item.model_validate(values)
    except ValidationError as exc:
        return [f"{e['loc'][0]}:{e['type']}" for e in exc.errors()]
    return []


@pytest.mark.parametrize("remembered", [10_000, 0], ids=["remembering", "full"])
def test_refusals_hold_after_the_same_text_was_accepted(
    monkeypatch: pytest.MonkeyPatch, remembered: int
) -> None:
    monkeypatch.setattr(common, "_REMEMBERED", remembered)
    for _ in range(2):
        assert problems(id="nst", day="2026-03-04") == []
        assert Item.model_validate({"id": "nst", "day": "2026-03-04"}).day == date(2026, 3, 4)
        # Near misses of what was accepted: another spelling, another day, another range.
        assert problems(id="NST", day="2026-3-04") == ["id:invalid_id", "day:invalid_date"]
        assert problems(id="nst ", day="2026-02-30") == ["id:invalid_id", "day:invalid_date"]
        assert problems(id="../nst", day="1899-12-31") == ["id:invalid_id", "day:day_range"]
        assert problems(id="nst", day="2026-03-04 ") == ["day:invalid_date"]


def test_only_what_was_accepted_is_remembered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(common, "_GOOD_IDS", set())
    monkeypatch.setattr(common, "_GOOD_DAYS", {})
    problems(id="ok-id", day="2026-03-04")
    problems(id="Bad", day="2026-02-30")
    problems(id="x" * 65, day="2300-01-01")
    remembered_ids, remembered_days = common._GOOD_IDS, common._GOOD_DAYS
    assert remembered_ids == {"ok-id"}
    assert remembered_days == {"2026-03-04": date(2026, 3, 4)}
