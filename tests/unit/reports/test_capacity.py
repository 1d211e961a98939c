"""Capacity for change: each site's projects in flight and go-lives by month, flagged above
the organisation's limit, and one site in detail."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from diffuse.errors import DiffuseError
from diffuse.reports.capacity import site_capacity, site_detail
from diffuse.rules.load import load_tracker

AS_OF = date(2026, 11, 22)


def add_project(tracker: Path, project: str, sites: str, phase: str = "initiate") -> None:
    """Another project of the hand-hygiene practice, approved 2026-10-01, with `sites` as
    its `sites:` block."""
    (tracker / "projects" / f"{project}.yaml").write_text(
        f"id: {project}\npractice: hand-hygiene\ntitle: {project}\nphase: {phase}\n"
        f"approved: 2026-10-01\nsites:\n{sites}",
        encoding="utf-8",
    )


def set_limit(tracker: Path, limit: int) -> None:
    path = tracker / "organisation.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "  target_months: 6\n", f"  target_months: 6\n  max_golives_per_month: {limit}\n"
        )
    )


@pytest.fixture
def busy(tracker: Path) -> Path:
    """North Street Clinic plans three go-lives in January 2027, one in a closed project."""
    add_project(tracker, "two", "  nst: {status: planning, go_live_planned: 2027-01-11}\n")
    add_project(tracker, "three", "  nst: {status: planning, go_live_planned: 2027-01-25}\n")
    path = tracker / "projects" / "hh-spread.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "    barriers: [gel dispensers on back order]\n",
            "    barriers: [gel dispensers on back order]\n    go_live_planned: 2027-01-04\n",
        ),
        encoding="utf-8",
    )
    return tracker


def test_a_month_above_the_limit_is_flagged(busy: Path) -> None:
    capacity = site_capacity(load_tracker(busy).catalog, AS_OF)
    assert capacity.limit == 2
    assert capacity.months[0] == date(2026, 8, 1)
    assert capacity.months[-1] == date(2027, 11, 1)
    nst = next(s for s in capacity.sites if s.site == "nst")
    assert nst.in_flight == ["hh-spread", "three", "two"]
    [january] = nst.flagged
    assert january.month == date(2027, 1, 1)
    assert [(g.project, g.day, g.actual) for g in january.go_lives] == [
        ("hh-spread", date(2027, 1, 4), False),
        ("two", date(2027, 1, 11), False),
        ("three", date(2027, 1, 25), False),
    ]
    assert capacity.flagged == 1


def test_the_limit_is_the_organisations_setting(busy: Path) -> None:
    set_limit(busy, 3)
    capacity = site_capacity(load_tracker(busy).catalog, AS_OF)
    assert capacity.limit == 3
    assert capacity.flagged == 0


def test_a_live_site_counts_its_actual_go_live_and_is_not_in_flight(tracker: Path) -> None:
    capacity = site_capacity(load_tracker(tracker).catalog, date(2026, 3, 15), ("nor",))
    [nor] = capacity.sites
    assert nor.in_flight == []
    march = next(m for m in nor.months if m.month == date(2026, 3, 1))
    assert [(g.project, g.day, g.actual) for g in march.go_lives] == [
        ("hh-spread", date(2026, 3, 1), True)
    ]
    # Before its go-live day the site was not live: the project was in flight there.
    earlier = site_capacity(load_tracker(tracker).catalog, date(2026, 2, 20), ("nor",))
    assert earlier.sites[0].in_flight == ["hh-spread"]


def test_projects_not_yet_approved_and_sites_out_of_scope_do_not_count(busy: Path) -> None:
    capacity = site_capacity(load_tracker(busy).catalog, date(2026, 9, 1), ("nst", "sea"))
    nst, sea = capacity.sites
    assert nst.in_flight == ["hh-spread"]
    assert sea.in_flight == []
    assert all(m.count == 0 for m in sea.months)


def test_an_unknown_site_is_refused(tracker: Path) -> None:
    with pytest.raises(DiffuseError, match="unknown site 'nowhere'"):
        site_capacity(load_tracker(tracker).catalog, AS_OF, ("nowhere",))
    with pytest.raises(DiffuseError, match="unknown site 'nowhere'"):
        site_detail(load_tracker(tracker).catalog, "nowhere", AS_OF)


def test_site_detail_shows_every_project_at_the_site(busy: Path) -> None:
    path = busy / "projects" / "hh-spread.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "    health: at-risk\n", "    health: at-risk\n    leader: cy\n    updated: 2026-11-02\n"
    )
    text += (
        "updates:\n"
        "  - {date: 2026-09-14, site: nst, text: 'Gel dispensers on back order until December'}\n"
        "  - {date: 2026-09-01, site: nor, text: gel dispensers on back order at nor too}\n"
    )
    path.write_text(text, encoding="utf-8")
    detail = site_detail(load_tracker(busy).catalog, "nst", AS_OF)
    assert (detail.site, detail.name, detail.region, detail.kind) == (
        "nst",
        "North Street Clinic",
        "North",
        "clinic",
    )
    assert [p.project for p in detail.projects] == ["hh-spread", "three", "two"]
    first = detail.projects[0]
    assert (first.status.value, first.health.value, first.phase) == (
        "implementing",
        "at-risk",
        "plan",
    )
    assert (first.leader, first.leader_name) == ("cy", "Cy Manager")
    assert first.go_live_planned == date(2027, 1, 4)
    [barrier] = first.barriers
    assert (barrier.since, barrier.source, barrier.days_open) == (date(2026, 9, 14), "update", 69)
    assert [m.month for m in detail.load.flagged] == [date(2027, 1, 1)]


def test_a_barrier_no_update_names_is_open_since_the_row_was_updated(tracker: Path) -> None:
    path = tracker / "projects" / "hh-spread.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("    health: at-risk\n", "    health: at-risk\n    updated: 2026-11-02\n")
    )
    [barrier] = site_detail(load_tracker(tracker).catalog, "nst", AS_OF).projects[0].barriers
    assert (barrier.since, barrier.source, barrier.days_open) == (date(2026, 11, 2), "row", 20)


def test_a_barrier_with_no_date_says_so(tracker: Path) -> None:
    [barrier] = site_detail(load_tracker(tracker).catalog, "nst", AS_OF).projects[0].barriers
    assert (barrier.text, barrier.since, barrier.source, barrier.days_open) == (
        "gel dispensers on back order",
        None,
        "",
        None,
    )


def test_a_site_out_of_scope_is_shown_as_such(tracker: Path) -> None:
    [line] = site_detail(load_tracker(tracker).catalog, "sea", AS_OF).projects
    assert (line.project, line.in_scope, line.status.value) == (
        "hh-spread",
        False,
        "not-applicable",
    )
