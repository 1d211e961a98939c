"""When every in-scope site will be live, at the pace sites have been going live.

Method: a least-squares line through the cumulative number of live sites, one point per
go-live day (the count at the end of that day), plus today's count when no site went
live today. The line reaches the number of in-scope sites on the forecast day.

Why not the average pace since approval: diffusion starts with months of planning in
which no site goes live, then sites go live in waves; dividing by the whole time since
approval forecasts far too late while the waves are under way. A line through the go-live
days measures the pace sites actually go live at, and today's count keeps a stalled
rollout honest: every day without a go-live flattens the line and moves the date out.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from datetime import date, timedelta

from diffuse.limits import LAST_DAY
from diffuse.models import Project
from diffuse.reports.status.grid import Forecast
from diffuse.vocab import LIVE, SiteStatus

MIN_GO_LIVE_DAYS = 2


def forecast(project: Project, site_ids: Sequence[str], as_of: date) -> Forecast:
    """The forecast over `site_ids`, the project's in-scope sites (`rules.scope`)."""
    listed = [project.sites[s] for s in site_ids if s in project.sites]
    # A site the file does not list has not started: counted, but never live.
    unlisted = len(site_ids) - len(listed)
    scoped = [s for s in listed if s.status is not SiteStatus.NOT_APPLICABLE]
    live = [s for s in scoped if s.status in LIVE]
    counts = (len(live), len(scoped) + unlisted)
    dated = sorted(s.go_live_actual for s in live if s.go_live_actual and s.go_live_actual <= as_of)
    if len(live) == counts[1]:
        return Forecast(dated[-1] if dated else None, True, *counts, "every in-scope site is live")
    days = sorted(set(dated))
    if len(days) < MIN_GO_LIVE_DAYS:
        return Forecast(None, False, *counts, "fewer than two go-live dates to take a pace from")
    undated = len(live) - len(dated)  # live without a date: counted as live from the start
    points = [(d, undated + bisect.bisect_right(dated, d)) for d in days]
    if as_of > days[-1]:
        points.append((as_of, len(live)))
    # The count rises from each go-live day to the next, so the slope is positive.
    slope, intercept = least_squares([((d - days[0]).days, n) for d, n in points])
    pace = slope * 30.4375
    note = f"least-squares line through {len(days)} go-live days: {pace:.2f} sites a month"
    reach = (counts[1] - intercept) / slope - 1e-9 if slope > 0 else math.inf
    if not reach <= (LAST_DAY - days[0]).days:
        # A pace that slow reaches the last site beyond any date a tracker holds.
        return Forecast(None, False, *counts, f"{note}, which reaches every site after {LAST_DAY}")
    day = max(days[0] + timedelta(days=math.ceil(reach)), as_of)
    return Forecast(day, False, *counts, note)


def least_squares(points: Sequence[tuple[float, float]]) -> tuple[float, float]:
    """Slope and intercept of the line y = intercept + slope * x closest to `points`."""
    n = len(points)
    mean_x = math.fsum(x for x, _ in points) / n
    mean_y = math.fsum(y for _, y in points) / n
    sxx = math.fsum((x - mean_x) ** 2 for x, _ in points)
    sxy = math.fsum((x - mean_x) * (y - mean_y) for x, y in points)
    slope = sxy / sxx if sxx else 0.0
    return slope, mean_y - slope * mean_x
