"""`diffuse metrics show --format json` agrees with qicharts2 on a sample of the reference
series (tests/data/spc_reference), through the tracker files and the command line: values on
dates (several on one date for aggregated periods and subgroups), parts as dates,
exclusions, freeze, --multiply, --cl, --no-screen-mr and --no-y-neg. The library itself
is checked on every series in test_spc_reference.py."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import Run
from spcref import RATIO_CHARTS, SERIES, close, expand, periods

START = date(2000, 1, 1)
KIND = {"c": "count", "p": "proportion", "pp": "proportion", "u": "rate", "up": "rate"}


def _expressible(series: dict[str, Any]) -> bool:
    # --multiply scales numerator/denominator charts only; a fixed centre is given in
    # chart units, so it is taken only where no scaling stands between the two.
    plain_scaled = series["chart"] not in RATIO_CHARTS and series["multiply"] != 1
    scaled_cl = series["cl_fixed"] is not None and series["multiply"] != 1
    return len(series["y"]) <= 400 and not plain_scaled and not scaled_cl


EXPRESSIBLE = [s for s in SERIES if _expressible(s)]
SAMPLE = EXPRESSIBLE[::20] + [s for s in EXPRESSIBLE if s["cl_fixed"] is not None][:4]


def _day(period: int) -> str:
    return (START + timedelta(days=period)).isoformat()


def _metric_yaml(series: dict[str, Any]) -> str:
    chart = series["chart"]
    lines = [
        f"  - id: {series['id']}",
        "    name: reference series",
        "    level: outcome",
        f"    kind: {KIND.get(chart, 'measurement')}",
        "    direction: lower",
    ]
    if chart == "c" or series["agg"] != "mean":
        lines.append(f"    aggregate: {'sum' if chart == 'c' else series['agg']}")
    if series["freeze"]:
        lines.append(f"    freeze: {series['freeze']}")
    if series["part"]:
        lines.append(f"    parts: [{', '.join(_day(k) for k in series['part'])}]")
    lines.append("    values:")
    for period, group in enumerate(periods(series)):
        for k in group:
            y = series["y"][k]
            if chart in RATIO_CHARTS:
                value = f"numerator: {y!r}, denominator: {series['n'][k]!r}"
            else:
                value = f"value: {float(y)!r}"
            lines.append(f"      - {{date: {_day(period)}, {value}}}")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def reference_tracker(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import shutil

    from conftest import FIXTURE

    root = tmp_path_factory.mktemp("reference") / "tracker"
    shutil.copytree(FIXTURE, root)
    path = root / "projects" / "hh-spread.yaml"
    path.write_text(path.read_text() + "metrics:\n" + "".join(map(_metric_yaml, SAMPLE)))
    return root


def _arguments(series: dict[str, Any]) -> list[str]:
    args = ["metrics", "show", "hh-spread", series["id"], "--chart", series["chart"]]
    args += ["--format", "json"]
    for period in series["exclude"] or []:
        args += ["--exclude", f"{_day(period - 1)}=reference"]
    if series["chart"] in RATIO_CHARTS:
        args += ["--multiply", repr(float(series["multiply"]))]
    if series["cl_fixed"] is not None:
        args += ["--cl", repr(float(series["cl_fixed"]))]
    if not series["screen"]:
        args.append("--no-screen-mr")
    if not series["y_neg"]:
        args.append("--no-y-neg")
    return args


def test_the_sample_covers_every_chart() -> None:
    assert len(SAMPLE) >= 40
    assert {s["chart"] for s in SAMPLE} == {s["chart"] for s in SERIES}
    for option in ("x", "exclude", "part", "freeze", "cl_fixed"):
        assert any(s[option] is not None for s in SAMPLE), option
    assert any(not s["y_neg"] for s in SAMPLE) and any(not s["screen"] for s in SAMPLE)


@pytest.mark.parametrize("series", SAMPLE, ids=[s["id"] for s in SAMPLE])
def test_metrics_json_agrees_with_qicharts2(
    series: dict[str, Any], reference_tracker: Path, run: Run
) -> None:
    result = run(*_arguments(series), cwd=reference_tracker)
    assert result.exit_code == 0, result.stdout + result.stderr
    (chart,) = json.loads(result.stdout)["charts"]
    points = chart["points"]
    for name, key in (("cl", "centre"), ("lcl", "lcl"), ("ucl", "ucl"), ("value", "value")):
        expected = expand(series, name)
        got = [p[key] for p in points]
        wrong = [
            k for k, (a, b) in enumerate(zip(got, expected, strict=True), 1) if not close(a, b)
        ]
        assert not wrong, f"{name} differs at {wrong[:5]}"
    signals = [k for k, p in enumerate(points, 1) if p["sigma_signal"]]
    assert signals == (series["signal"] or [])
    parts = [
        [
            p["n_useful"],
            p["longest_run"] if p["n_useful"] else None,
            p["longest_run_max"],
            p["n_crossings"] if p["n_useful"] else None,
            p["n_crossings_min"],
            int(p["runs_signal"]),
        ]
        for p in chart["parts"]
    ]
    assert parts == series["runs"]
