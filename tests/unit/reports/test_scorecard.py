"""The scorecard's figures per site, as the report's sites page counts them one project at
a time without keeping each project's lines."""

from __future__ import annotations

from datetime import date

from conftest import REPO_ROOT

from diffuse.reports.asof import project_at
from diffuse.reports.scorecard import Scores, Tallies
from diffuse.rules.load import load_tracker


def test_the_sites_totals_are_the_scorecards_figures() -> None:
    for as_of in (date(2026, 6, 1), date(2026, 11, 22)):
        catalog = load_tracker(REPO_ROOT).catalog
        scores, tallies = Scores(catalog, as_of), Tallies(catalog, as_of)
        for project_id in sorted(catalog.projects):
            project = project_at(catalog, catalog.projects[project_id], as_of)
            if project is not None:
                scores.add(project)
                tallies.add(project)
        card = scores.scorecard()
        assert [t.site for t in tallies.sites] == [s.site for s in card.sites]
        measured = 0
        for totals, score in zip(tallies.sites, card.sites, strict=True):
            assert (totals.in_scope, totals.live, totals.open_risks) == (
                score.in_scope,
                score.live,
                score.open_risks,
            )
            assert (totals.share_live, totals.median_days) == (score.share_live, score.median_days)
            assert (totals.compliance_met, totals.compliance_measured) == (
                score.compliance_met,
                len(score.compliance),
            )
            measured += totals.compliance_measured
        # The demo has live sites with compliance measured and days to go-live by November.
        if as_of.month == 11:
            assert measured > 0
            assert any(t.median_days is not None for t in tallies.sites)
