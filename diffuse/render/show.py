"""Full views of one practice or one project, for `diffuse show`."""

from __future__ import annotations

import re
from datetime import date

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.table import Table
from rich.text import Text

from diffuse.frameworks.dissemination import EVIDENCE, plan_warnings
from diffuse.models import (
    DutyRecord,
    DutyStatus,
    Health,
    Metric,
    Organisation,
    Practice,
    Project,
    SiteState,
    SiteStatus,
    Workflow,
    project_workflow,
)
from diffuse.render import HEALTH_SYMBOL, STATUS_SYMBOL, clean, gate_text, health_label
from diffuse.reports.measures import metric_summary, number
from diffuse.reports.reviews import review_due
from diffuse.reports.status.build import add_months
from diffuse.reports.status.grid import Row
from diffuse.reports.status.report import ShowData
from diffuse.rules.gates import GateReport
from diffuse.rules.scope import site_state

DUTY_SYMBOL = {
    DutyStatus.DONE: "✓ done",
    DutyStatus.NOT_APPLICABLE: "– n/a",
    DutyStatus.OPEN: "○ open",
}


def _t(value: object) -> Text:
    return Text(clean(value if value is not None else "-"))


def _hang(prefix: str, value: object) -> Table:
    """`prefix` then `value`, its wrapped lines starting under the value, not at column 0."""
    table = Table.grid()
    table.add_column(no_wrap=True)
    table.add_column(overflow="fold")
    table.add_row(Text(clean(prefix)), _t(value))
    return table


def _hang_lines(text: str) -> list[RenderableType]:
    """Each line of `text` hung after its indent and leading mark."""
    found: list[RenderableType] = []
    for line in text.splitlines():
        lead = re.match(r"\s*(?:[✗✓] )?", line)
        cut = lead.end() if lead else 0
        found.append(_hang(line[:cut], line[cut:]) if cut else _t(line))
    return found


def _facts(facts: list[str], width: int | None, indent: str = "    ") -> list[Text]:
    """`facts` joined by ' · ' and wrapped between facts, never inside one (a label and
    its date stay together), each line under `indent`."""
    lines: list[Text] = []
    current = ""
    for fact in (clean(f) for f in facts):
        joined = f"{current} · {fact}" if current else fact
        if current and width is not None and len(indent) + len(joined) > width:
            lines.append(Text(indent + current))
            joined = fact
        current = joined
    if current:
        lines.append(Text(indent + current))
    return lines


class _Link:
    """A URL on a line of its own, never folded: indented under its element where it fits,
    less where it does not, and past the edge only when the URL alone is wider."""

    def __init__(self, url: str, indent: int = 6) -> None:
        self.url, self.indent = clean(url), indent

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        room = max(0, min(self.indent, options.max_width - len(self.url)))
        yield Text(" " * room + self.url, no_wrap=True, overflow="ignore")


def _kv(pairs: list[tuple[str, object]]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for key, value in pairs:
        table.add_row(key, _t(value))
    return table


def _section(title: str) -> Text:
    return Text(f"\n{title}", style="bold underline")


def _person(org: Organisation, person_id: str | None) -> str:
    person = org.person(person_id) if person_id else None
    return f"{person.name} ({person.id})" if person else (person_id or "-")


def _leaders(practice: Practice, org: Organisation) -> str:
    named = [
        f"{role} {_person(org, person)}"
        for role, person in practice.leaders.model_dump().items()
        if person
    ]
    return "; ".join(named) or "-"


def practice_view(
    practice: Practice, org: Organisation, projects: list[Project], as_of: date
) -> RenderableType:
    body = org.body(practice.approving_body)
    due = review_due(practice, org)
    review = f"last {practice.review.last or 'never'}; next due {due or '-'}"
    if practice.review.outcome:
        review += f"; found: {practice.review.outcome}"
    if due and due < as_of:
        review += "  ! OVERDUE"
    parts: list[RenderableType] = [
        Text(clean(f"{practice.id}: {practice.title}"), style="bold"),
        _kv(
            [
                ("status", practice.status.value),
                ("approving body", body.name if body else practice.approving_body),
                ("owner", _person(org, practice.owner)),
                ("leaders", _leaders(practice, org)),
                ("discovery", practice.discovery.value if practice.discovery else "-"),
                ("decision", practice.decision.value),
                ("established", practice.established),
                ("review", review),
                ("origin sites", ", ".join(practice.origin_sites) or "-"),
                ("vetted by", ", ".join(practice.vetted_by) or "-"),
                ("supersedes", practice.supersedes),
                ("superseded by", practice.superseded_by),
                ("projects", ", ".join(p.id for p in projects) or "-"),
            ]
        ),
    ]
    if practice.summary:
        parts += [_section("Summary"), _hang("  ", practice.summary.strip())]
    if practice.goal:
        parts += [_section("Goal"), _hang("  ", practice.goal.strip())]
    if practice.key_principles:
        parts.append(_section("Key principles"))
        parts += [_hang("  fixed:     ", p) for p in practice.key_principles.fixed]
        parts += [_hang("  adaptable: ", p) for p in practice.key_principles.adaptable]
    parts += _support_and_approvals(practice, org)
    return Group(*parts)


def _support_and_approvals(practice: Practice, org: Organisation) -> list[RenderableType]:
    parts: list[RenderableType] = []
    if practice.evidence:
        parts.append(_section("Evidence"))
        parts += [_hang(f"  {e.site}: ", e.summary.strip()) for e in practice.evidence]
    if practice.support_elements:
        parts.append(_section("Support elements"))
        for el in practice.support_elements:
            parts.append(_hang(f"  {el.kind.value} · {el.status.value}: ", el.title))
            if el.link:
                parts.append(_Link(el.link))
    if practice.approvals:
        parts.append(_section("Approvals"))
        for a in practice.approvals:
            who = f"{a.body} by {_person(org, a.by)}, {a.decision.value}"
            parts.append(_hang(f"  {a.date}  ", who + (f"; {a.reference}" if a.reference else "")))
    return parts


def project_view(
    project: Project,
    org: Organisation,
    workflow: Workflow,
    row: Row | None,
    gate: GateReport | None,
    width: int | None = None,
) -> RenderableType:
    months = project.target_months or org.settings.target_months
    target = add_months(project.approved, months) if project.approved else None
    parts: list[RenderableType] = [
        Text(clean(f"{project.id}: {project.title}"), style="bold"),
        _kv(
            [
                ("practice", project.practice),
                ("phase", project.phase),
                ("approved", project.approved),
                ("target", f"{target or '-'} ({months} months)"),
                ("forecast", _forecast(row)),
                ("sites live", f"{row.live}/{row.in_scope}" if row else "-"),
            ]
        ),
    ]
    if row is not None:
        style = HEALTH_SYMBOL[row.health][1]
        parts.append(Text(f"health: {health_label(row.health)}", style=style))
        parts += [_hang("  - ", reason) for reason in row.reasons]
    if gate is not None:
        parts += [_section("Next gate"), *_hang_lines(gate_text(gate, workflow))]
    parts += _roles_and_checklist(project, org, workflow)
    parts += _risks_and_metrics(project, width)
    parts.append(_sites(project, org, width, row))
    parts += _adaptations(project)
    parts += _history(project, org)
    return Group(*parts)


def _adaptations(project: Project) -> list[RenderableType]:
    """Each local adaptation, the fixed principle it departs from, and its decision."""
    rows = [(s, a) for s, state in project.sites.items() for a in state.adaptations]
    if not rows:
        return []
    parts: list[RenderableType] = [_section("Local adaptations")]
    for site, a in rows:
        if a.approved_by:
            decided = f"✓ approved by {a.approved_by} on {a.date}"
        elif a.refused_by:
            decided = f"✗ refused by {a.refused_by} on {a.date}"
        else:
            decided = "? not decided"
        touches = f" (departs from the fixed principle '{a.principle}')" if a.principle else ""
        parts.append(_hang(f"  {site}: ", f"{a.description}{touches}; {decided}"))
    return parts


def _forecast(row: Row | None) -> str:
    """The day every site is expected live, beside the target, and how it was made."""
    outlook = row.forecast if row else None
    if outlook is None:
        return "n/a"
    if outlook.done:
        return f"done: every in-scope site live{f' by {outlook.day}' if outlook.day else ''}"
    if outlook.day is None:
        return f"n/a ({outlook.note})"
    late = outlook.days_after(row.target if row else None)
    side = "after" if late and late > 0 else "before"
    versus = "" if late is None else f", {abs(late)} days {side} the target"
    return f"all live by {outlook.day}{versus} ({outlook.note})"


def _roles_and_checklist(
    project: Project, org: Organisation, workflow: Workflow
) -> list[RenderableType]:
    parts: list[RenderableType] = [_section("Checklist by role")]
    workflow = project_workflow(workflow, project)
    for role in workflow.roles:
        duties = [d for d in workflow.duties if d.role == role.id]
        people = ", ".join(_person(org, p) for p in project.roles.get(role.id, [])) or "unassigned"
        done = sum(
            project.checklist.get(d.id) is not None
            and project.checklist[d.id].status is not DutyStatus.OPEN
            for d in duties
        )
        parts.append(Text(clean(f"{role.name}: {people}  [{done}/{len(duties)}]"), style="bold"))
        for duty in duties:
            rec = project.checklist.get(duty.id)
            status = rec.status if rec else DutyStatus.OPEN
            extra = _duty_extra(rec) if rec else ""
            parts.append(
                _hang(
                    f"  {DUTY_SYMBOL[status]:7} {duty.id:20} ",
                    f"(by {duty.due}) {duty.text}{f'  [{extra}]' if extra else ''}",
                )
            )
    return parts


def _duty_extra(rec: DutyRecord) -> str:
    """When and by whom a duty was done (and who recorded it for them), or why it is na."""
    if rec.status is DutyStatus.NOT_APPLICABLE:
        return rec.reason or ""
    said = [str(rec.date)] if rec.date else []
    said += [f"by {rec.by}"] if rec.by else []
    if rec.recorded_by and rec.recorded_by != rec.by:
        said.append(f"recorded by {rec.recorded_by}")
    return ", ".join(said)


def _risks_and_metrics(project: Project, width: int | None) -> list[RenderableType]:
    parts: list[RenderableType] = []
    if project.risks:
        parts.append(_section("Risks (highest score first)"))
        for risk in sorted(project.risks, key=lambda r: -r.score):
            scored = risk.likelihood is not None and risk.impact is not None
            score = f"{risk.score:>2}  {risk.likelihood}×{risk.impact}" if scored else " -  -  "
            owner = f", owner {risk.owner}" if risk.owner else ""
            parts.append(
                _hang(f"  {score}  ", f"{risk.category.value} ({risk.status.value}{owner})")
            )
            if risk.mitigation or risk.description:
                parts.append(_hang("            ", risk.mitigation or risk.description))
    if project.metrics:
        parts += [_section("Metrics"), *(_metric(m, width) for m in project.metrics)]
    if project.dissemination:
        parts += _dissemination(project)
    return parts


def _dissemination(project: Project) -> list[RenderableType]:
    parts: list[RenderableType] = [
        _section("Dissemination plan (evidence: Health Foundation scan)")
    ]
    for item in project.dissemination:
        dates = f"{item.start or '?'} to {item.end or '?'}" if item.start or item.end else ""
        facts = [
            f"{EVIDENCE[item.approach].strength} evidence",
            *([f"for {item.audience}"] if item.audience else []),
            *([f"owner {item.owner}"] if item.owner else []),
            *([dates] if dates else []),
            f"✓ done {item.done}" if item.done else "○ not yet",
        ]
        parts.append(_hang(f"  {item.approach.value}: ", " · ".join(facts)))
    warnings = plan_warnings([item.approach for item in project.dissemination])
    return parts + [_hang("  ! warning: ", text) for text in warnings]


def _metric(metric: Metric, width: int | None) -> RenderableType:
    latest = max(metric.values, key=lambda v: v.date, default=None)
    shown = f"{number(metric.point(latest), metric)} ({latest.date})" if latest else "-"
    chart, signals = metric_summary(metric)
    unit = "" if metric.unit == "%" else metric.unit
    head = [metric.level.value, metric.kind.value, unit, f"{metric.direction.value} is better"]
    facts = [
        f"baseline {number(metric.baseline, metric)}",
        f"target {number(metric.target, metric)}",
        f"latest {shown}",
        f"{len(metric.values)} value(s)",
        f"chart: {chart}",
        f"signals: {signals}",
    ]
    return Group(
        Text(clean(f"{metric.id}  {' · '.join(h for h in head if h)}"), style="bold"),
        _hang("  ", metric.name),
        *_facts(facts, width, "  "),
    )


_SITE_HEADS = (
    "site",
    "status",
    "health",
    "ADKAR",
    "go-live planned",
    "actual",
    "leader",
    "updated",
    "barriers / note",
)
_NOTES_AT_LEAST = 40  # narrower, a long note runs down the page: stack the fields instead


def _sites(
    project: Project, org: Organisation, width: int | None, row: Row | None = None
) -> RenderableType:
    # The health the grid shows (from measures too, see `reports.status.cells`) when the project
    # has a row; else the health recorded.
    shown = {s.id: c.health for s, c in zip(org.sites, row.cells, strict=False)} if row else {}
    rows = [_site_cells(project, site.id, shown.get(site.id)) for site in org.sites]
    widths = [
        max([len(h.split()[0]), *(len(r[i].plain) for r in rows)])
        for i, h in enumerate(_SITE_HEADS[:-1])
    ]
    needed = sum(widths) + 2 * len(widths) + _NOTES_AT_LEAST
    if width is not None and needed > width:
        return Group(_section("Sites"), *(_site_block(cells, width) for cells in rows))
    table = Table(box=None, pad_edge=False)
    for index, head in enumerate(_SITE_HEADS):
        last = index == len(_SITE_HEADS) - 1
        table.add_column(head, no_wrap=not last, min_width=None if last else widths[index])
    for cells in rows:
        table.add_row(*cells)
    return Group(_section("Sites"), table)


def _site_cells(project: Project, site_id: str, health: Health | None = None) -> list[Text]:
    state = site_state(project, site_id)
    notes = "; ".join(_site_notes(state)) or "-"
    health = health or state.health
    return [
        _t(site_id),
        Text(f"{STATUS_SYMBOL[state.status][0]} {state.status.value}"),
        Text(health_label(health), style=HEALTH_SYMBOL[health][1]),
        Text(state.adkar.value if state.adkar else "-"),
        _t(state.go_live_planned),
        _t(state.go_live_actual),
        _t(state.leader),
        _t(state.updated),
        _t(notes),
    ]


def _site_block(cells: list[Text], width: int | None) -> RenderableType:
    """One site's fields stacked: its state on one line, the rest wrapped below it."""
    head = Text("  ").join([cells[0], cells[1], cells[2]])
    facts = [
        f"{name} {cell.plain}"
        for name, cell in zip(
            ("ADKAR", "go-live planned", "actual", "leader", "updated"), cells[3:8], strict=True
        )
        if cell.plain != "-"
    ]
    parts: list[RenderableType] = [head, *_facts(facts, width)]
    if cells[8].plain != "-":
        parts.append(_hang("    ", cells[8].plain))
    return Group(*parts)


def _site_notes(state: SiteState) -> list[str]:
    """Why a site is out of scope first, then its barriers and note."""
    exception = state.exception
    scope = [f"excepted by {exception.approved_by}: {exception.reason}"] if exception else []
    scope += [state.reason] if state.reason and state.status is SiteStatus.NOT_APPLICABLE else []
    return [*scope, *state.barriers, *([state.note] if state.note else [])]


def _history(project: Project, org: Organisation) -> list[RenderableType]:
    parts: list[RenderableType] = []
    if project.history:
        parts.append(_section("Phase history"))
        parts += [
            _hang(f"  {h.date}  ", f"{h.from_phase} -> {h.to}  by {_person(org, h.by)}")
            for h in project.history
        ]
    if project.updates:
        parts.append(_section("Latest updates"))
        recent = sorted(project.updates, key=lambda u: u.date, reverse=True)[:5]
        parts += [_hang(f"  {u.date}  {u.site or 'all'}: ", u.text.strip()) for u in recent]
    return parts


def print_view(console: Console, view: RenderableType) -> None:
    console.print(view)


def item_view(data: ShowData, width: int | None = None) -> RenderableType:
    """The view of one item; `width`, when known, decides whether site rows fit a table."""
    if data.kind == "practice":
        return practice_view(data.item, data.org, data.projects, data.as_of)
    return project_view(data.item, data.org, data.workflow, data.row, data.gate, width)
