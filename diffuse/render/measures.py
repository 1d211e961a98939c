"""Tables for `diffuse review`, `diffuse scorecard` and `diffuse metrics import`."""

from __future__ import annotations

import json
from typing import Any

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from diffuse.edits.csvimport import ImportOutcome
from diffuse.escape import clean
from diffuse.render.colour import STATUS_SYMBOL
from diffuse.render.csvtext import csv_text
from diffuse.reports.reviews import PracticeReview, ReviewReport, SiteUpdate
from diffuse.reports.scorecard import Scorecard, SiteScore
from diffuse.vocab import OUTPUT_SCHEMA_VERSION, output_schema_version


def _table(
    heads: tuple[str, ...],
    rows: list[list[Text]],
    right: tuple[str, ...] = (),
    flex: tuple[str, ...] = (),
    lead: int = 2,
) -> RenderableType:
    """A plain table whose figures keep their full width; only `flex` columns give way,
    between words. When even that does not fit, each row becomes a block (see `_Stacked`)."""
    return _Stacked(heads, rows, right, flex, lead)


class _Stacked:
    """A table where it fits; narrower, one block per row: its first `lead` cells on one
    line, the other fields below it as 'name value' joined by ' · ' and wrapped between
    fields, a `flex` field on a hanging line of its own."""

    def __init__(
        self,
        heads: tuple[str, ...],
        rows: list[list[Text]],
        right: tuple[str, ...],
        flex: tuple[str, ...],
        lead: int,
    ) -> None:
        self.heads, self.rows, self.right, self.flex, self.lead = heads, rows, right, flex, lead
        self.total = False  # the last row is a total, set apart

    def needed(self) -> int:
        widths = [
            max(
                [len(head)]
                + [
                    max((len(w) for w in row[index].plain.split()), default=0)
                    if head in self.flex
                    else len(row[index].plain)
                    for row in self.rows
                ]
            )
            for index, head in enumerate(self.heads)
        ]
        return sum(widths) + 2 * (len(widths) - 1)

    def table(self, total: bool) -> Table:
        table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
        for index, head in enumerate(self.heads):
            widest = max([len(head), *(len(row[index].plain) for row in self.rows)])
            table.add_column(
                head,
                justify="right" if head in self.right else "left",
                no_wrap=head not in self.flex,
                min_width=None if head in self.flex else widest,
            )
        for number, row in enumerate(self.rows):
            table.add_row(*row, end_section=total and number == len(self.rows) - 2)
        return table

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if self.needed() <= options.max_width:
            yield self.table(self.total)
            return
        for number, row in enumerate(self.rows):
            if self.total and number == len(self.rows) - 1:
                yield Text("")
            yield Text("  ").join([Text(c.plain, style="bold") for c in row[: self.lead]])
            facts: list[str] = []
            hung: list[tuple[str, str]] = []
            for head, cell in zip(self.heads[self.lead :], row[self.lead :], strict=True):
                if head in self.flex:
                    hung.append((head, cell.plain))
                elif cell.plain != "-":
                    facts.append(f"{head} {cell.plain}")
            yield from _joined(facts, options.max_width)
            for head, value in hung:
                grid = Table.grid()
                grid.add_column(no_wrap=True)
                grid.add_column()
                grid.add_row(f"    {head}: ", Text(value))
                yield grid


def _joined(facts: list[str], width: int, indent: str = "    ") -> list[Text]:
    """`facts` joined by ' · ', wrapped between facts, never inside one."""
    lines: list[Text] = []
    current = ""
    for fact in facts:
        joined = f"{current} · {fact}" if current else fact
        if current and len(indent) + len(joined) > width:
            lines.append(Text(indent + current))
            joined = fact
        current = joined
    if current:
        lines.append(Text(indent + current))
    return lines


def _title(text: str) -> Text:
    return Text(text, style="bold underline")


# -- review -------------------------------------------------------------------------------


def review_view(report: ReviewReport) -> RenderableType:
    parts: list[RenderableType] = [
        _title(
            f"Practice reviews as of {report.as_of} (overdue, or due within "
            f"{report.ahead_days} days)"
        )
    ]
    parts.append(_practices(report.practices) if report.practices else Text("  none"))
    parts.append(Text(""))
    weeks = f"{report.weeks} weeks ({report.weeks * 7} days)"
    parts.append(_title(f"Site rows not yet sustained and not updated for more than {weeks}"))
    parts.append(_sites(report.stale, paused=False) if report.stale else Text("  none"))
    if report.paused:
        parts += [Text(""), _title("Paused on purpose (not flagged)")]
        parts.append(_sites(report.paused, paused=True))
    parts += [Text(""), Text(review_summary(report))]
    return Group(*parts)


def _practices(items: list[PracticeReview]) -> RenderableType:
    lines: list[RenderableType] = []
    for item in items:
        cadence = "its own" if item.cadence_from == "practice" else "the organisation's"
        head = Text(_state(item), style="bold red" if item.overdue else "yellow")
        head.append(clean(f"  {item.practice}: {item.title}"), style="bold")
        owner = f"{item.owner_name} ({item.owner})" if item.owner_name else item.owner or "none"
        lines += [
            head,
            Padding(
                Text(
                    clean(
                        f"due {item.due} · last review {item.last or 'never'} · every "
                        f"{item.cadence_months} months ({cadence} cadence) · owner {owner}"
                    )
                ),
                (0, 0, 0, 4),
            ),
        ]
    return Group(*lines)


def _state(item: PracticeReview) -> str:
    if item.overdue:
        return f"✗ {-item.days_left} days overdue"
    return "! due today" if item.days_left == 0 else f"! due in {item.days_left} days"


def _sites(items: list[SiteUpdate], paused: bool) -> RenderableType:
    """One line per project, status and last update, listing the sites that share them."""
    rows = []
    groups: dict[tuple[object, ...], list[SiteUpdate]] = {}
    for item in items:
        key = (item.project, item.status, item.updated, item.since, item.pause_until)
        groups.setdefault(key, []).append(item)
    for group in groups.values():
        item = group[0]
        sites = ", ".join(s.site for s in group)
        if paused:
            sites += f" (paused until {item.pause_until}: {item.pause_reason})"
        rows.append(
            [
                Text(clean(item.project)),
                Text(f"{STATUS_SYMBOL[item.status][0]} {item.status.value}"),
                Text(_updated(item)),
                Text("-" if item.days is None else f"{item.days} days"),
                Text(clean(sites)),
            ]
        )
    heads = ("project", "status", "last update", "age", "sites")
    return _table(heads, rows, right=("age",), flex=("sites",))


def _updated(item: SiteUpdate) -> str:
    if item.updated is not None:
        return str(item.updated)
    return f"never (approved {item.since})" if item.since else "never"


def review_summary(report: ReviewReport) -> str:
    overdue = sum(p.overdue for p in report.practices)
    due = len(report.practices) - overdue
    return (
        f"{overdue} review(s) overdue, {due} due soon; {len(report.stale)} stale site "
        f"row(s); {len(report.paused)} paused"
    )


def review_json(report: ReviewReport) -> str:
    payload = {
        "schema_version": OUTPUT_SCHEMA_VERSION,
        "as_of": report.as_of.isoformat(),
        "weeks": report.weeks,
        "ahead_days": report.ahead_days,
        "overdue": report.overdue,
        "practices": [_plain({**p._asdict(), "overdue": p.overdue}) for p in report.practices],
        "stale_sites": [_plain(s._asdict()) for s in report.stale],
        "paused_sites": [_plain(s._asdict()) for s in report.paused],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def _plain(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if hasattr(v, "isoformat") else _value(v) for k, v in record.items()}


def _value(value: Any) -> Any:
    return value.value if hasattr(value, "value") else value


# -- scorecard ----------------------------------------------------------------------------


SCORE_NOTES = (
    "live: projects the site is live in / projects that include it\n"
    "median: days from approval to go-live\n"
    "at target: compliance measures whose latest value after go-live meets the target\n"
    "risks: open risks of the projects the site is not live in yet"
)


def scorecard_view(card: Scorecard, detail: bool) -> RenderableType:
    title = f"Site scorecard as of {card.as_of} ({len(card.projects)} projects)"
    rows = [_score_cells(score) for score in [*card.sites, card.overall]]
    heads = ("site", "name", "live", "share", "median", "at target", "risks")
    table = _Stacked(heads, rows, right=heads[2:], flex=("name",), lead=2)
    table.total = True
    parts: list[RenderableType] = [_title(title), table, Text(SCORE_NOTES, style="dim")]
    if detail:
        parts += [_site_detail(score) for score in card.sites]
    return Group(*parts)


def _score_cells(score: SiteScore) -> list[Text]:
    share = "-" if score.share_live is None else f"{score.share_live:.0%}"
    median = "-" if score.median_days is None else f"{score.median_days:g}"
    measured = len(score.compliance)
    compliance = f"{score.compliance_met}/{measured}" if measured else "-"
    return [
        Text(clean(score.site)),
        Text(clean(score.name)),
        Text(f"{score.live}/{score.in_scope}"),
        Text(share),
        Text(median),
        Text(compliance),
        Text(str(score.open_risks)),
    ]


def _site_detail(score: SiteScore) -> RenderableType:
    rows = [
        [
            Text(clean(line.project)),
            Text(f"{STATUS_SYMBOL[line.status][0]} {line.status.value}"),
            Text(str(line.go_live or "-")),
            Text("-" if line.days_to_live is None else str(line.days_to_live)),
            Text(str(line.open_risks)),
        ]
        for line in score.lines
    ]
    heads = ("project", "status", "go-live", "days", "risks")
    parts: list[RenderableType] = [
        Text(""),
        _title(clean(f"{score.site}: {score.name}")),
        _table(heads, rows, right=("days", "risks"), flex=("project",)),
    ]
    checks = [
        Text(
            clean(
                f"  {'✓' if c.met else '✗'} {line.project} {c.metric} {c.value:.4g}% on "
                f"{c.day} (target {c.target:g}%)"
            )
        )
        for line in score.lines
        for c in line.compliance
    ]
    if checks:
        parts += [Text("compliance, latest value after go-live:"), *checks]
    return Group(*parts)


def scorecard_records(card: Scorecard) -> list[dict[str, Any]]:
    return [_score_record(score) for score in [*card.sites, card.overall]]


def _score_record(score: SiteScore) -> dict[str, Any]:
    return {
        "site": score.site,
        "name": score.name,
        "in_scope": score.in_scope,
        "live": score.live,
        "share_live": score.share_live,
        "median_days_to_live": score.median_days,
        "compliance_measured": len(score.compliance),
        "compliance_met": score.compliance_met,
        "open_risks": score.open_risks,
        "projects": [
            {
                **_line_record(line),
                "compliance": [_compliance_record(c) for c in line.compliance],
            }
            for line in score.lines
        ],
    }


def _line_record(line: Any) -> dict[str, Any]:
    # `is_live`: `live` is a count of sites in every output.
    record = _plain({k: v for k, v in vars(line).items() if k != "compliance"})
    return {("is_live" if key == "live" else key): value for key, value in record.items()}


def _compliance_record(check: Any) -> dict[str, Any]:
    # `date`, as every other output names a day.
    record = _plain(vars(check))
    return {("date" if key == "day" else key): value for key, value in record.items()}


def scorecard_json(card: Scorecard) -> str:
    payload = {
        "schema_version": output_schema_version("scorecard"),
        "as_of": card.as_of.isoformat(),
        "projects": card.projects,
        "sites": scorecard_records(card),
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def scorecard_csv(card: Scorecard) -> str:
    fields = [
        "site",
        "name",
        "in_scope",
        "live",
        "share_live",
        "median_days_to_live",
        "compliance_measured",
        "compliance_met",
        "open_risks",
    ]
    return csv_text(fields, scorecard_records(card))


# -- import -------------------------------------------------------------------------------


def import_text(outcome: ImportOutcome, metric: str) -> str:
    added, replaced = len(outcome.added), len(outcome.replaced)
    where = clean(outcome.path)
    if outcome.dry_run:
        return f"dry run: would add {added} and replace {replaced} value(s) of {metric} in {where}"
    if not added and not replaced:
        return f"no rows to import; {where} was not changed"
    return f"added {added} and replaced {replaced} value(s) of {metric} in {where}"


def print_out(console: Console, text: str) -> None:
    console.out(text, end="", highlight=False)
