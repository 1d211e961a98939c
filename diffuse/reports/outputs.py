"""The shapes of every `--format json` output, as JSON Schema: the contract tools build on.

Each output carries `schema_version` (vocab.output_schema_version). Adding a field keeps
the version; renaming or removing one, or changing what it means, raises it. The schemas
list the fields every output has and leave room for new ones (no `additionalProperties:
false`). Field names are the same across commands: `date` for a day, `as_of` for the day
the state shown was judged on, `file`/`line`/`col` for a place, `rule` for a problem's
code, `project`/`practice`/`site` for ids, `live` for a count of live sites, `passed` for a
verdict.
"""

from __future__ import annotations

import json
from typing import Any

from diffuse.reports.status.row import FORECAST_SCHEMA, row_schema
from diffuse.vocab import output_schema_version

TEXT: dict[str, Any] = {"type": "string"}
WHOLE: dict[str, Any] = {"type": "integer"}
NUMBER: dict[str, Any] = {"type": "number"}
FLAG: dict[str, Any] = {"type": "boolean"}
DAY: dict[str, Any] = {"type": "string", "format": "date"}


def _or_null(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def _obj(
    fields: dict[str, Any], optional: dict[str, Any] | None = None, **extra: Any
) -> dict[str, Any]:
    """An object that has every one of `fields`, and may have `optional` ones."""
    properties = {**fields, **(optional or {})}
    return {"type": "object", "required": sorted(fields), "properties": properties, **extra}


def _list(item: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": item}


def _named_by_kind(*also: str) -> dict[str, Any]:
    """An item's id is named for its kind: `practice` for a practice, `project` (beside
    its `practice`) for a project."""
    return {
        "oneOf": [
            {"properties": {"kind": {"const": "practice"}}, "required": ["practice"]},
            {"properties": {"kind": {"const": "project"}}, "required": ["project", *also]},
        ]
    }


_PROBLEM = _obj(
    {
        "file": TEXT,
        "line": WHOLE,
        "col": WHOLE,
        "rule": TEXT,
        "level": {"enum": ["error", "warning"]},
        "message": TEXT,
        "fix": TEXT,
    }
)
_CHANGE = _obj({"kind": TEXT, "id": TEXT, "file": TEXT, "change": TEXT, "ok": FLAG})
_FORECAST = FORECAST_SCHEMA
_MONTH = {"month": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"}, "date": DAY}
_SITE_MONTH = _obj(
    {
        **_MONTH,
        "go_lives": WHOLE,
        "flagged": FLAG,
        "projects": _list(_obj({"project": TEXT, "date": DAY, "actual": FLAG})),
    }
)
_SITE_PROJECT = _obj(
    {
        "project": TEXT,
        "title": TEXT,
        "phase": TEXT,
        "active": FLAG,
        "in_scope": FLAG,
        "status": TEXT,
        "health": {"enum": ["on-track", "at-risk", "off-track"]},
        "go_live_planned": _or_null(DAY),
        "go_live_actual": _or_null(DAY),
        "leader": _or_null(TEXT),
        "leader_name": _or_null(TEXT),
        "adkar": _or_null(TEXT),
        "barriers": _list(
            _obj(
                {
                    "text": TEXT,
                    "since": _or_null(DAY),
                    "source": {"enum": ["update", "row", None]},
                    "days_open": _or_null(WHOLE),
                }
            )
        ),
        "adaptations": _list(
            _obj(
                {
                    "description": TEXT,
                    "requested": _or_null(DAY),
                    "approved_by": _or_null(TEXT),
                    "date": _or_null(DAY),
                }
            )
        ),
        "updated": _or_null(DAY),
        "note": _or_null(TEXT),
    }
)
_REMINDER = _obj(
    {
        "kind": {"enum": ["review", "stale-site", "duty", "barrier", "approval"]},
        "subject": TEXT,
        "site": _or_null(TEXT),
        "text": TEXT,
        "command": TEXT,
        "due": _or_null(DAY),
        "days_overdue": _or_null(WHOLE),
    }
)
_STEP = _obj(
    {
        "action": {"enum": ["open", "update", "close", "keep"]},
        "person": _or_null(TEXT),
        "number": _or_null(WHOLE),
        "title": TEXT,
        "body": TEXT,
        "assignee": _or_null(TEXT),
    }
)
_REMIND = _obj(
    {
        "as_of": DAY,
        "escalate_weeks": WHOLE,
        "people": _list(
            _obj(
                {
                    "person": TEXT,
                    "name": TEXT,
                    "github": _or_null(TEXT),
                    "items": _list(_REMINDER),
                }
            )
        ),
        "unassigned": _list(_REMINDER),
    }
)
# Only with --open-issues.
_REMIND["properties"]["plan"] = _list(_STEP)

OUTPUTS: dict[str, tuple[str, dict[str, Any]]] = {
    "validate": (
        "diffuse validate --format json: every problem of every file",
        _obj({"passed": FLAG, "files": WHOLE, "problems": _list(_PROBLEM)}),
    ),
    "check": (
        "diffuse check --format json: the problems and the changes of state since the base",
        _obj(
            {
                "passed": FLAG,
                "base": _or_null(TEXT),
                "base_commit": _or_null(TEXT),
                "verified_signoff": FLAG,
                "files": WHOLE,
                "changes": _list(
                    _obj({"kind": TEXT, "id": TEXT, "file": TEXT, "change": TEXT, "ok": FLAG})
                ),
                "problems": _list(_PROBLEM),
            }
        ),
    ),
    "status": (
        "diffuse status --format json: one record per project, its cells by column id",
        _obj(
            {
                "as_of": DAY,
                "target_months": WHOLE,
                "grouped_by": _or_null(TEXT),
                "columns": _list(_obj({"id": TEXT, "label": TEXT, "sites": _list(TEXT)})),
                # One record per project, as the status row declares it.
                "projects": _list(row_schema()),
            }
        ),
    ),
    "show": (
        "diffuse show --format json: the practice or project file's fields, with `kind` and "
        "what is computed (a practice's review due date; a project's health, target date, "
        "forecast and next gate); the file's fields are described by practice.schema.json "
        "and project.schema.json",
        _obj(
            {"kind": {"enum": ["practice", "project"]}, "as_of": DAY, "title": TEXT},
            {"practice": TEXT, "project": TEXT},
            **_named_by_kind("practice"),
        ),
    ),
    "history": (
        "diffuse history --format json: the events of one item, newest first",
        _obj(
            {
                "kind": {"enum": ["practice", "project"]},
                "as_of": _or_null(DAY),
                "file": TEXT,
                "commits": WHOLE,
                "events": _list(
                    _obj(
                        {
                            "date": TEXT,
                            "commit": TEXT,
                            "author": TEXT,
                            "email": TEXT,
                            "kind": TEXT,
                            "change": TEXT,
                        }
                    )
                ),
            },
            {"practice": TEXT, "project": TEXT},
            **_named_by_kind(),
        ),
    ),
    "metrics": (
        "diffuse metrics --format json: one chart per metric and site, every point's numbers",
        _obj(
            {
                "project": TEXT,
                "as_of": _or_null(DAY),
                "charts": _list(
                    _obj(
                        {
                            "metric": TEXT,
                            "site": _or_null(TEXT),
                            "chart": _or_null(TEXT),
                            "parts": _list({"type": "object"}),
                            "points": _list(
                                _obj(
                                    {
                                        "date": DAY,
                                        "part": WHOLE,
                                        "value": _or_null(NUMBER),
                                        "centre": _or_null(NUMBER),
                                        "notes": _list(TEXT),
                                    }
                                )
                            ),
                        }
                    )
                ),
            }
        ),
    ),
    "trend": (
        "diffuse trend --format json: sites live week by week against the target line",
        _obj(
            {
                "project": TEXT,
                "approved": DAY,
                "as_of": DAY,
                "in_scope": WHOLE,
                "live": WHOLE,
                "target_date": DAY,
                "forecast": _FORECAST,
                "weeks": _list(
                    _obj({"week": WHOLE, "date": DAY, "live": WHOLE, "target_line": NUMBER})
                ),
            }
        ),
    ),
    "review": (
        "diffuse review --format json: practice reviews due, stale and paused site rows",
        _obj(
            {
                "as_of": DAY,
                "weeks": WHOLE,
                "ahead_days": WHOLE,
                "overdue": FLAG,
                "practices": _list(_obj({"practice": TEXT, "due": _or_null(DAY), "overdue": FLAG})),
                "stale_sites": _list(_obj({"project": TEXT, "site": TEXT, "status": TEXT})),
                "paused_sites": _list(_obj({"project": TEXT, "site": TEXT, "status": TEXT})),
            }
        ),
    ),
    "remind": (
        "diffuse remind --format json: per person, what is theirs to do; with "
        "--open-issues, the plan for their reminder issues",
        _REMIND,
    ),
    "scorecard": (
        "diffuse scorecard --format json: sites compared across projects",
        _obj(
            {
                "as_of": DAY,
                "projects": _list(TEXT),
                "sites": _list(
                    _obj(
                        {
                            "site": TEXT,
                            "in_scope": WHOLE,
                            "live": WHOLE,
                            "open_risks": WHOLE,
                            "projects": _list(
                                _obj(
                                    {
                                        "project": TEXT,
                                        "site": TEXT,
                                        "status": TEXT,
                                        "is_live": FLAG,
                                        "compliance": _list(
                                            _obj({"metric": TEXT, "date": DAY, "met": FLAG})
                                        ),
                                    }
                                )
                            ),
                        }
                    )
                ),
            }
        ),
    ),
    "portfolio": (
        "diffuse portfolio --format json: each project's time to every in-scope site live "
        "against its target, site rows live by month, projects started and closed by quarter",
        _obj(
            {
                "as_of": DAY,
                "target_months": WHOLE,
                "reported_average_months": WHOLE,
                "median_actual_months": _or_null(NUMBER),
                "projects": _list(
                    _obj(
                        {
                            "project": TEXT,
                            "title": TEXT,
                            "phase": TEXT,
                            "approved": _or_null(DAY),
                            "target_months": WHOLE,
                            "target_date": _or_null(DAY),
                            "full_date": _or_null(DAY),
                            "actual": FLAG,
                            "months": _or_null(NUMBER),
                            "months_over_target": _or_null(NUMBER),
                            "live": WHOLE,
                            "in_scope": WHOLE,
                            "note": TEXT,
                        }
                    )
                ),
                "months": _list(_obj({**_MONTH, "live": WHOLE, "in_scope": WHOLE})),
                "quarters": _list(
                    _obj(
                        {
                            "quarter": TEXT,
                            "date": DAY,
                            "started": _list(TEXT),
                            "closed": _list(TEXT),
                        }
                    )
                ),
            }
        ),
    ),
    "sites": (
        "diffuse sites --format json: each site's projects in flight and go-lives by month "
        "against the limit; with SITE, that one site with `kind` and its row in every "
        "project (`projects`)",
        _obj(
            {
                "as_of": DAY,
                "limit": WHOLE,
                "months": _list(TEXT),
                "sites": _list(
                    _obj(
                        {
                            "site": TEXT,
                            "name": TEXT,
                            "region": TEXT,
                            "in_flight": _list(TEXT),
                            "flagged_months": _list(TEXT),
                            "months": _list(_SITE_MONTH),
                        },
                        optional={"kind": TEXT, "projects": _list(_SITE_PROJECT)},
                    )
                ),
            }
        ),
    ),
    "search": (
        "diffuse search --format json: the practices that hold every word of the query",
        _obj(
            {
                "query": TEXT,
                "statuses": _list(TEXT),
                "practices": _list(
                    _obj(
                        {
                            "practice": TEXT,
                            "title": TEXT,
                            "status": TEXT,
                            "summary": _or_null(TEXT),
                            "owner": _or_null(TEXT),
                            "approving_body": TEXT,
                            "review_due": _or_null(DAY),
                        }
                    )
                ),
            }
        ),
    ),
    "risks": (
        "diffuse risks --format json: every open risk of the active projects, highest score first",
        _obj(
            {
                "as_of": DAY,
                "risks": _list(
                    _obj(
                        {
                            "project": TEXT,
                            "number": WHOLE,
                            "category": TEXT,
                            "standard_risk": _or_null(WHOLE),
                            "description": TEXT,
                            "likelihood": _or_null(WHOLE),
                            "impact": _or_null(WHOLE),
                            "score": WHOLE,
                            "owner": _or_null(TEXT),
                            "mitigation": _or_null(TEXT),
                            "status": TEXT,
                        }
                    )
                ),
            }
        ),
    ),
}


def output_schema_name(command: str) -> str:
    return f"{command}.output.schema.json"


def output_schema(command: str) -> dict[str, Any]:
    description, shape = OUTPUTS[command]
    version = output_schema_version(command)
    shape = {
        **shape,
        "required": sorted({"schema_version", *shape["required"]}),
        "properties": {"schema_version": {"const": version}, **shape["properties"]},
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": output_schema_name(command),
        "title": f"diffuse {command} output, version {version}",
        "description": description,
        **shape,
    }


def all_output_schemas() -> dict[str, dict[str, Any]]:
    return {output_schema_name(command): output_schema(command) for command in OUTPUTS}


def output_schemas_json() -> str:
    return json.dumps(all_output_schemas(), indent=2, ensure_ascii=False) + "\n"
