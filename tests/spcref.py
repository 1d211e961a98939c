"""The qicharts2 reference series (tests/data/spc_reference) and how diffuse takes each one.

A stored series holds qicharts2's inputs (``y``, ``n``, ``x`` when several values share
a period, ``part``, ``freeze``, ``exclude``, ``multiply``, ``screen``, ``cl_fixed``,
``y_neg``, ``agg``) and its outputs: ``cl``, ``lcl`` and ``ucl`` as runs of equal
numbers ``[value, count]``, ``signal`` (positions, from 1, of points outside their
limits), ``runs`` (per part: useful points, longest run, its limit, crossings, their
minimum, runs signal), ``value`` where the charted value is not the input (t, mr, xbar,
s, aggregated periods) and ``mr``, the moving-range chart of an I chart.
"""

from __future__ import annotations

import gzip
import json
import math
from pathlib import Path
from typing import Any

from diffuse.reports.rmath import r_sum
from diffuse.reports.spc import SUBGROUP_CHARTS, PartResult, Point, aggregate

REFERENCE = Path(__file__).parent / "data" / "spc_reference" / "qicharts2.json.gz"
RATIO_CHARTS = {"p", "u", "pp", "up"}


def _vectors(series: dict[str, Any]) -> dict[str, Any]:
    # jsonlite writes a vector of one number as that number; R's vectors are lists here.
    for record, key in ((series, "y"), (series, "n"), (series, "value"), (series.get("mr"), "y")):
        if record is None or key not in record or isinstance(record[key], list):
            continue
        if record[key] is not None or key != "n":  # a missing n is no n; a missing y is NA
            record[key] = [record[key]]
    return series


SERIES: list[dict[str, Any]] = [
    _vectors(s) for s in json.loads(gzip.decompress(REFERENCE.read_bytes()))["series"]
]


def periods(series: dict[str, Any]) -> list[list[int]]:
    """Positions of the input values in each period, in period order."""
    xs = series["x"] or list(range(1, len(series["y"]) + 1))
    groups: dict[int, list[int]] = {}
    for index, x in enumerate(xs):
        groups.setdefault(x, []).append(index)
    return [groups[x] for x in sorted(groups)]


def reference_call(series: dict[str, Any]) -> tuple[list[Point], dict[str, Any]]:
    """The points and options of `spc.analyse` for a stored series: qicharts2's `part`
    lists the positions (from 1) after which a new part starts, `exclude` the positions
    of excluded periods."""
    chart, ys, ns = series["chart"], series["y"], series["n"]
    cuts = series["part"] or []
    excluded = set(series["exclude"] or [])
    points = []
    for index, group in enumerate(periods(series)):
        values = [ys[k] for k in group]
        common = {"part": sum(cut <= index for cut in cuts), "excluded": index + 1 in excluded}
        if chart in RATIO_CHARTS:
            point = Point(num=r_sum(values), den=r_sum([ns[k] for k in group]), **common)
        elif chart in SUBGROUP_CHARTS:
            point = Point(subgroup=tuple(values), **common)
        elif chart == "c":
            point = Point(y=aggregate(values, "sum"), **common)
        else:
            point = Point(y=aggregate(values, series["agg"]), **common)
        points.append(point)
    options = {
        "multiply": series["multiply"],
        "freeze": series["freeze"],
        "screen_mr": series["screen"],
        "cl": series["cl_fixed"],
        "y_neg": series["y_neg"],
    }
    return points, options


def expand(series: dict[str, Any], name: str) -> list[float | None]:
    """A stored output line, one number per period (None for NA)."""
    if name != "value":
        return [value for value, count in series[name] for _ in range(count)]
    if "value" in series:
        return list(series["value"])
    scale = series["multiply"]
    if series["chart"] in RATIO_CHARTS:
        return [y / n * scale for y, n in zip(series["y"], series["n"], strict=True)]
    return [y * scale for y in series["y"]]


def close(value: float | None, expected: float | None) -> bool:
    """Equal to 1e-9 relative; None and nan both stand for R's NA."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return expected is None
    if expected is None:
        return False
    return abs(value - expected) <= 1e-9 * max(1.0, abs(expected))


def runs_figures(part: PartResult) -> list[int | None]:
    # qicharts2 reports NA (null) for the runs figures of a part without useful points.
    runs = part.runs
    useful = runs.n_useful > 0
    return [
        runs.n_useful,
        runs.longest_run if useful else None,
        runs.longest_run_max,
        runs.n_crossings if useful else None,
        runs.n_crossings_min,
        int(runs.runs_signal),
    ]
