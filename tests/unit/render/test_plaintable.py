"""The status grid written without Rich is byte for byte what Rich draws where Rich would
write plain text, and anything else is left to Rich."""

from __future__ import annotations

import io
import random
from datetime import date, timedelta

import pytest
from rich.cells import cell_len

from diffuse.render import plaintable
from diffuse.render.plaintable import ONE_CELL, plain_grids
from diffuse.render.terminal import grid_output, make_console
from diffuse.reports.status.grid import Cell, Column, Forecast, Grid, Row
from diffuse.vocab import Health, SiteStatus

WORDS = ["North", "River Valley", "Lakeshore", "South West", "Metro", "A B C", "ICU", "Ward 7"]
LABELS = [*WORDS, "Saint-Éloi", "Two  spaces", " edge", "Very-long-region-name-here", "東京"]
IDS = ["bcma-rollout", "cvc-standardization", "p", "proj-0001-rollout-b", "x" * 40, "café-rollout"]


class Pipe(io.StringIO):
    encoding = "utf-8"


def _grid(rng: random.Random, labels: list[str], grouped: bool) -> Grid:
    columns = [Column(f"c{i}", rng.choice(labels), (f"s{i}",)) for i in range(rng.randint(0, 9))]
    rows = []
    for n in range(rng.randint(0, 8)):
        cells = [
            Cell(
                rng.randint(0, 5),
                rng.randint(0, 5),
                rng.choice(list(SiteStatus)),
                rng.choice(list(Health)),
            )
            for _ in columns
        ]
        approved = date(2026, 1, 1) + timedelta(days=rng.randint(0, 300))
        forecast = rng.choice(
            [
                None,
                Forecast(None, False, 1, 3, ""),
                Forecast(approved, rng.random() < 0.5, 1, 2, ""),
            ]
        )
        rows.append(
            Row(
                project=f"{rng.choice(IDS)}-{n}" if rng.random() < 0.8 else rng.choice(IDS),
                title="t",
                practice="p",
                phase=rng.choice(["plan", "execute", "initiate", "a phase"]),
                cells=cells,
                in_scope=rng.randint(0, 30),
                live=rng.randint(0, 30),
                approved=approved if rng.random() < 0.9 else None,
                days=rng.randint(0, 900) if rng.random() < 0.9 else None,
                target=approved + timedelta(days=rng.randint(1, 400)),
                health=rng.choice(list(Health)),
                forecast=forecast,
            )
        )
    return Grid(date(2026, 11, 22), 6, columns, rows, "region" if grouped else None)


def _rich(grids: list[Grid], width: int) -> str:
    out = Pipe()
    grid_output(make_console(out, width), grids, "text")
    return out.getvalue()


@pytest.mark.parametrize("seed", range(40))
def test_the_plain_grid_is_what_rich_draws(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(seed)
    width = rng.choice([40, 60, 80, 100, 120, 200])
    monkeypatch.setenv("COLUMNS", str(width))
    written = 0
    for _ in range(25):
        labels = WORDS if rng.random() < 0.7 else LABELS
        grids = [_grid(rng, labels, rng.random() < 0.5), _grid(rng, labels, True)]
        text = plain_grids(grids, "text", Pipe())
        if text is not None:
            written += 1
            assert text == _rich(grids, width)
    assert written  # every seed writes some grids itself


def test_the_demo_grid_is_written_without_rich(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    rng = random.Random(7)
    grids = [_grid(rng, WORDS, False), _grid(rng, WORDS, True)]
    assert plain_grids(grids, "text", Pipe()) == _rich(grids, 200)


@pytest.mark.parametrize(
    ("env", "output"),
    [({}, "json"), ({"FORCE_COLOR": "1"}, "text"), ({"TTY_COMPATIBLE": "1"}, "text")],
)
def test_colour_a_terminal_or_another_format_is_left_to_rich(
    env: dict[str, str], output: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    grids = [_grid(random.Random(1), WORDS, False)]
    assert plain_grids(grids, output, Pipe()) is None


def test_a_terminal_or_another_encoding_is_left_to_rich() -> None:
    class Terminal(Pipe):
        def isatty(self) -> bool:
            return True

    class Latin(Pipe):
        encoding = "latin-1"

    grids = [_grid(random.Random(1), WORDS, False)]
    assert plain_grids(grids, "text", Terminal()) is None
    assert plain_grids(grids, "text", Latin()) is None


def test_every_character_written_is_one_cell_wide_to_rich() -> None:
    assert all(cell_len(c) == 1 for c in ONE_CELL)
    assert "東" not in ONE_CELL and cell_len("東") == 2


def test_the_layout_is_shared_with_the_rich_table() -> None:
    from diffuse.render import terminal

    assert terminal.HEADS is plaintable.HEADS and terminal.column_widths is plaintable.column_widths
