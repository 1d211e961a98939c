"""Several values of one metric, site and date made into one period, as qicharts2 does.

qicharts2 charts one point per period (its ``x``): numerators and denominators are summed
and divided, counts summed, other values averaged with ``agg.fun`` (mean by default).
xbar and s charts keep the period's values as a subgroup. diffuse follows that, with the
metric's ``aggregate`` field choosing mean, median or sum for plain values; a period is
excluded when any of its values is.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby

from diffuse.models.project import Measure, Metric
from diffuse.vocab import Aggregate, MetricKind

SUMMED_KINDS = frozenset({MetricKind.COUNT})


def default_aggregate(metric: Metric) -> Aggregate:
    """The metric's aggregate, or the default of its kind: sum for counts, else mean."""
    if metric.aggregate is not None:
        return metric.aggregate
    return Aggregate.SUM if metric.kind in SUMMED_KINDS else Aggregate.MEAN


def group_by_date(measures: Sequence[Measure]) -> list[tuple[Measure, ...]]:
    """The values of each date, in date order (``measures`` are in date order)."""
    return [tuple(group) for _, group in groupby(measures, key=lambda m: m.date)]


def merge(metric: Metric, group: tuple[Measure, ...], how: Aggregate | None = None) -> Measure:
    """One measure standing for the period's values (the only one when there is one)."""
    if len(group) == 1:
        return group[0]
    from diffuse.reports.rmath import r_sum
    from diffuse.reports.spc import aggregate

    first = group[0]
    excluded = next((m.excluded for m in group if m.excluded is not None), None)
    if all(m.numerator is not None and m.denominator for m in group):
        numerator = r_sum([m.numerator or 0.0 for m in group])
        denominator = r_sum([m.denominator or 0.0 for m in group])
        return first.model_copy(
            update={
                "numerator": numerator,
                "denominator": denominator,
                "value": None,
                "excluded": excluded,
            }
        )
    fun = (how or default_aggregate(metric)).value
    value = aggregate([metric.point(m) for m in group], fun)
    return first.model_copy(
        update={"numerator": None, "denominator": None, "value": value, "excluded": excluded}
    )
