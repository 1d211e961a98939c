"""Commands over measures: metric charts and CSV import, periodic reviews, site scorecards."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from diffuse.cli import completion
from diffuse.cli.app import (
    AsOfOpt,
    CommitOpt,
    DateOpt,
    DetailFormat,
    RootOpt,
    TableFormat,
    app,
    edit_options,
    parse_day,
    tracker_root,
    warn_problems,
)
from diffuse.cli.completion import ByOpt
from diffuse.vocab import ChartType, MeasurePeriod, spoken


class _MetricsGroup(TyperGroup):
    """`diffuse metrics PROJECT ...` is `diffuse metrics show PROJECT ...`."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["show", *args]
        result: list[str] = super().parse_args(ctx, args)
        return result


metrics_app = typer.Typer(
    cls=_MetricsGroup,
    rich_markup_mode=None,
    no_args_is_help=True,
    subcommand_metavar="PROJECT [METRIC] | import PROJECT METRIC FILE.csv | add PROJECT METRIC "
    "| note PROJECT METRIC TEXT",
    help="Chart a project's metrics, or import metric values from a CSV file.\n\n"
    "\b\n"
    "  diffuse metrics PROJECT [METRIC] [--site S]     draw run and control charts\n"
    "  diffuse metrics import PROJECT METRIC FILE.csv  add values from a CSV file\n"
    "  diffuse metrics add PROJECT METRIC --name ...    define a metric on a project\n"
    "  diffuse metrics note PROJECT METRIC TEXT         record a dated note on a metric\n\n"
    "'diffuse metrics PROJECT' is short for 'diffuse metrics show PROJECT'. See the "
    "--help of each command for its options.\n\n"
    "\b\n"
    "Example: diffuse metrics cvc-standardization clabsi-rate --as-of 2011-06-30",
)
app.add_typer(metrics_app, name="metrics")


@metrics_app.command("show")
def metrics_show(
    project: Annotated[
        str,
        typer.Argument(metavar="PROJECT", help="Project id.", autocompletion=completion.projects),
    ],
    metric: Annotated[
        str | None, typer.Argument(metavar="[METRIC]", help="Metric id (default: every metric).")
    ] = None,
    site: Annotated[
        list[str] | None,
        typer.Option(
            metavar="SITE",
            help="Only this site's values (repeatable).",
            autocompletion=completion.sites,
        ),
    ] = None,
    chart: Annotated[
        ChartType | None,
        typer.Option(
            help="Chart type (default: the one that fits the metric's kind and data, a run "
            "chart when no control chart fits); i is I/MR; pp and up are Laney's p' and u'.",
            show_default=False,
        ),
    ] = None,
    split: Annotated[
        list[str] | None,
        typer.Option(
            metavar="DATE",
            help="Start a new part on this date, after a change (repeatable; 'none' for "
            "one part). Replaces the metric's recorded parts.",
        ),
    ] = None,
    freeze: Annotated[
        int | None,
        typer.Option(
            metavar="N",
            min=0,
            help="The first N points of each part set centre and limits; 0 for none. "
            "Replaces the metric's recorded freeze.",
        ),
    ] = None,
    exclude: Annotated[
        list[str] | None,
        typer.Option(
            metavar="DATE=REASON",
            help="Leave the points of this date out of centre, limits and runs "
            "(repeatable). Added to the exclusions recorded on values.",
        ),
    ] = None,
    multiply: Annotated[
        float | None,
        typer.Option(
            metavar="N",
            help="Chart numerator/denominator values times N (default: 100, percent, for "
            "proportions; the metric's multiplier for rates); 1 charts plain fractions.",
            show_default=False,
        ),
    ] = None,
    screen_mr: Annotated[
        bool,
        typer.Option(
            "--screen-mr/--no-screen-mr",
            help="Leave moving ranges of 3.267 x their average or more out of the I and "
            "Laney p'/u' limits, as qicharts2 does.",
        ),
    ] = True,
    cl: Annotated[
        float | None,
        typer.Option(
            "--cl",
            metavar="N",
            help="Fix the centre line at N, in chart units, and draw the limits around it "
            "(qicharts2's cl), e.g. --cl 95 for 95% on a p-chart. Replaces the metric's cl.",
            show_default=False,
        ),
    ] = None,
    y_neg: Annotated[
        bool | None,
        typer.Option(
            "--y-neg/--no-y-neg",
            help="Let lower limits go below 0 (qicharts2's y.neg, the default); --no-y-neg "
            "raises them to 0 when no value is negative. Replaces the metric's y_neg.",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        TableFormat, typer.Option("--format", help="Output format.")
    ] = TableFormat.TEXT,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="DATE",
            help="Chart only the values and notes dated on or before this date, YYYY-MM-DD "
            "(default: every value).",
            show_default=False,
        ),
    ] = None,
    root: RootOpt = None,
) -> None:
    """Chart a project's metrics: one chart per metric and site.

    The chart fits the metric: p-chart for proportions, u-chart for rates, c-chart for
    counts, I/MR chart for measurements, t and g charts for time and cases between rare
    events, Laney p'/u' when denominators are very large, and a run chart when values
    lack what a control chart needs. Several values on one date are one period (xbar
    and s charts take them as a subgroup). Signals: Anhøj runs rules and points outside
    3-sigma limits, read from the values known by --as-of. Exit 1 when a chart cannot be
    drawn.

    \b
    Example:
      diffuse metrics show cvc-standardization clabsi-rate --as-of 2011-06-30"""
    from diffuse.limits import MAX_FIGURE
    from diffuse.render.charts import charts_csv, charts_json, print_charts
    from diffuse.render.terminal import make_console
    from diffuse.reports.measures import ChartOptions, load_charts

    if multiply is not None and not (math.isfinite(multiply) and 0 < multiply <= MAX_FIGURE):
        raise typer.BadParameter(
            f"expected a number above 0 and at most {MAX_FIGURE:,.0f}, got {multiply:g}",
            param_hint="--multiply",
        )
    if cl is not None and not (math.isfinite(cl) and abs(cl) <= MAX_FIGURE):
        raise typer.BadParameter(
            f"expected a number of at most {MAX_FIGURE:,.0f}, got {cl:g}", param_hint="--cl"
        )
    options = ChartOptions(
        None if chart is None else chart.value,
        _splits(split),
        freeze,
        _exclusions(exclude or []),
        tuple(site or ()),
        multiply,
        screen_mr,
        cl,
        y_neg,
    )
    day = parse_day(as_of, "--as-of") if as_of else None
    charts, problems = load_charts(tracker_root(root), project, metric, options, day)
    console = make_console()
    if output is TableFormat.TEXT:
        if not charts:
            typer.echo("no metric values recorded")
        print_charts(console, charts)
    else:
        json_out = output is TableFormat.JSON
        text = charts_json(project, charts, day) if json_out else charts_csv(charts)
        console.out(text, end="", highlight=False)
    warn_problems(problems)
    raise typer.Exit(1 if any(c.error for c in charts) else 0)


@metrics_app.command("add")
def metrics_add(
    project: Annotated[str, typer.Argument(metavar="PROJECT", help="Project id.")],
    metric: Annotated[str, typer.Argument(metavar="METRIC", help="New metric id.")],
    name: Annotated[str, typer.Option(metavar="TEXT", help="What is measured.")],
    level: Annotated[
        str,
        typer.Option(metavar="LEVEL", help="education, process, outcome, financial or adoption."),
    ],
    direction: Annotated[
        str, typer.Option(metavar="DIRECTION", help="higher or lower: which is better.")
    ],
    kind: Annotated[
        str,
        typer.Option(
            metavar="KIND",
            help="proportion, rate, count, measurement, time-between or count-between.",
        ),
    ] = "measurement",
    unit: Annotated[str | None, typer.Option(metavar="TEXT", help="Unit shown.")] = None,
    multiplier: Annotated[
        float | None, typer.Option(metavar="N", help="A rate per N units (e.g. 1000).")
    ] = None,
    baseline: Annotated[float | None, typer.Option(metavar="N", help="Baseline value.")] = None,
    target: Annotated[float | None, typer.Option(metavar="N", help="Target value.")] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show the lines that would change; write nothing.")
    ] = False,
    commit: CommitOpt = False,
    by: ByOpt = None,
    on: DateOpt = None,
    root: RootOpt = None,
) -> None:
    """Define a metric on a project; its values come from 'diffuse metrics import'.

    \b
    Example:
      diffuse metrics add hh-spread compliance --name "Hand hygiene compliance" \\
        --level process --kind proportion --direction higher --target 95
    """
    from diffuse.edits.plan import MetricRequest, add_metric

    request = MetricRequest(
        project, metric, name, level, kind, direction, unit, multiplier, baseline, target
    )
    options = edit_options(dry_run, commit, by, on)
    from diffuse.escape import clean

    for line in add_metric(tracker_root(root), request, options).lines():
        typer.echo(clean(line))


@metrics_app.command("note")
def metrics_note(
    project: Annotated[
        str,
        typer.Argument(metavar="PROJECT", help="Project id.", autocompletion=completion.projects),
    ],
    metric: Annotated[str, typer.Argument(metavar="METRIC", help="Metric id.")],
    text: Annotated[str, typer.Argument(metavar="TEXT", help="What happened, in one line.")],
    site: Annotated[
        str | None,
        typer.Option(
            metavar="SITE",
            help="The site it concerns (default: every site).",
            autocompletion=completion.sites,
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show the lines that would change; write nothing.")
    ] = False,
    commit: CommitOpt = False,
    by: ByOpt = None,
    on: Annotated[
        str | None,
        typer.Option(
            "--date",
            metavar="DATE",
            help="The day the note is about, YYYY-MM-DD (default: today).",
            show_default=False,
        ),
    ] = None,
    root: RootOpt = None,
) -> None:
    """Record a dated note on a metric: a change or an event, marked on its charts.

    \b
    Example:
      diffuse metrics note bcma-rollout scan-compliance --date 2026-10-05 --site ach \\
        "ED super-users moved to cover staffing"
    """
    from diffuse.edits.plan import NoteRequest, add_note

    options = edit_options(dry_run, commit, by, on)
    request = NoteRequest(project, metric, text, site)
    for line in add_note(tracker_root(root), request, options).lines():
        typer.echo(line)


def _splits(values: list[str] | None) -> tuple[date, ...] | None:
    if not values:
        return None
    if values == ["none"]:
        return ()
    return tuple(parse_day(v, "--split") for v in values)


def _exclusions(values: list[str]) -> tuple[tuple[date, str], ...]:
    pairs = []
    for value in values:
        day, _, reason = value.partition("=")
        if not reason.strip():
            raise typer.BadParameter(f"expected DATE=REASON, got {value!r}", param_hint="--exclude")
        pairs.append((parse_day(day.strip(), "--exclude"), reason.strip()))
    return tuple(pairs)


@metrics_app.command("import")
def metrics_import(
    project: Annotated[
        str,
        typer.Argument(metavar="PROJECT", help="Project id.", autocompletion=completion.projects),
    ],
    metric: Annotated[str, typer.Argument(metavar="METRIC", help="Metric id.")],
    file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE.csv",
            help="Columns: site, period (YYYY-MM or YYYY-MM-DD), and value or numerator and "
            "denominator; optional: excluded (a reason).",
        ),
    ],
    replace: Annotated[
        bool,
        typer.Option("--replace", help="Overwrite values already recorded for a site and date."),
    ] = False,
    period: Annotated[
        str | None,
        typer.Option(metavar="PERIOD", help=f"Record every value as {spoken(MeasurePeriod)}."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check the file; change nothing.")
    ] = False,
    root: RootOpt = None,
) -> None:
    """Import metric values from a CSV file into a project file.

    Every problem in the file is reported as FILE.csv:LINE:COL and nothing is written.
    A site and date already recorded is refused unless --replace is given. Otherwise the
    values are appended, changing no other line of the project file.

    \b
    Example: diffuse metrics import cvc-standardization clabsi-rate clabsi.csv --dry-run"""
    from diffuse.edits.csvimport import ImportRequest, import_csv
    from diffuse.render.measures import import_text

    request = ImportRequest(project, metric, file, replace, period, dry_run)
    typer.echo(import_text(import_csv(tracker_root(root), request), metric))


@app.command()
def review(
    weeks: Annotated[
        int | None,
        typer.Option(
            metavar="N",
            min=1,
            help="Flag site rows not updated for more than N weeks (default: the "
            "organisation's stale_after_weeks).",
        ),
    ] = None,
    ahead: Annotated[
        int,
        typer.Option(metavar="DAYS", min=0, help="List practice reviews due within DAYS."),
    ] = 30,
    strict: Annotated[
        bool,
        typer.Option("--strict", help="Exit 1 when a review is overdue or a site row is stale."),
    ] = False,
    output: Annotated[
        DetailFormat, typer.Option("--format", help="Output format.")
    ] = DetailFormat.TEXT,
    as_of: AsOfOpt = None,
    root: RootOpt = None,
) -> None:
    """List practice reviews due or overdue, and site rows nobody has updated.

    A practice is reviewed every review.cadence_months (default: the organisation's
    review_cadence_months) after its last review or its establishment. An in-scope site
    row not yet sustained, in a project of any phase, is stale when its 'updated' date is
    older than N weeks, unless the site records a pause covering the date. --as-of reads
    the records dated by then. Exit 0, or 1 with --strict when anything is overdue.

    \b
    Example: diffuse review --weeks 4 --as-of 2026-11-22 --strict"""
    from diffuse.render.measures import print_out, review_json, review_view
    from diffuse.render.terminal import make_console
    from diffuse.reports.reviews import review_report
    from diffuse.rules.load import load_tracker

    loaded = load_tracker(tracker_root(root))
    report = review_report(loaded.catalog, parse_day(as_of, "--as-of"), weeks, ahead)
    console = make_console()
    if output is DetailFormat.JSON:
        print_out(console, review_json(report))
    else:
        console.print(review_view(report))
    warn_problems(loaded.problems)
    raise typer.Exit(1 if strict and report.overdue else 0)


@app.command()
def scorecard(
    site: Annotated[
        list[str] | None,
        typer.Option(
            metavar="SITE",
            help="Only this site, with its project detail (repeatable).",
            autocompletion=completion.sites,
        ),
    ] = None,
    output: Annotated[
        TableFormat, typer.Option("--format", help="Output format.")
    ] = TableFormat.TEXT,
    as_of: AsOfOpt = None,
    root: RootOpt = None,
) -> None:
    """Compare sites across projects, so sites can benchmark each other.

    Per site: projects live out of those that include it, median days from approval to
    go-live, compliance measures at target, and open risks of projects it has not gone
    live in yet.

    \b
    Example: diffuse scorecard --site pfh --as-of 2026-11-22 --format csv"""
    from diffuse.render.measures import print_out, scorecard_csv, scorecard_json, scorecard_view
    from diffuse.render.terminal import make_console
    from diffuse.reports.scorecard import build_scorecard
    from diffuse.rules.load import load_tracker

    loaded = load_tracker(tracker_root(root))
    card = build_scorecard(loaded.catalog, parse_day(as_of, "--as-of"), tuple(site or ()))
    console = make_console()
    if output is TableFormat.TEXT:
        console.print(scorecard_view(card, detail=bool(site)))
    else:
        writer = scorecard_json if output is TableFormat.JSON else scorecard_csv
        print_out(console, writer(card))
    warn_problems(loaded.problems)


@app.command()
def trend(
    project: Annotated[str, typer.Argument(metavar="PROJECT", help="Project id.")],
    output: Annotated[
        TableFormat, typer.Option("--format", help="Output format.")
    ] = TableFormat.TEXT,
    as_of: AsOfOpt = None,
    root: RootOpt = None,
) -> None:
    """Show the adoption curve: sites live week by week since approval.

    Each week's count of in-scope sites live (from their go-live dates) beside a straight
    line to every site live on the target date, with the target date and the forecast
    marked. Example: diffuse trend bcma-rollout --as-of 2026-11-22 --format csv"""
    from diffuse.render.measures import print_out
    from diffuse.render.terminal import make_console
    from diffuse.render.trend import trend_csv, trend_json, trend_text
    from diffuse.reports.trend import adoption_trend
    from diffuse.rules.load import find_project, load_tracker

    loaded = load_tracker(tracker_root(root))
    found = find_project(loaded, project)
    curve = adoption_trend(loaded.catalog, found, parse_day(as_of, "--as-of"))
    console = make_console()
    if output is TableFormat.TEXT:
        print_out(console, trend_text(curve, console.width))
    else:
        print_out(console, (trend_json if output is TableFormat.JSON else trend_csv)(curve))
    warn_problems(loaded.problems)
