"""The approvals `history` reports added and removed between two versions: each as often
as its count changed, in the order each first appears, however the list changed."""

from __future__ import annotations

from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from diffuse.reports.history import _approvals_changed

APPROVALS = st.lists(st.sampled_from(["a", "b", "c", "d", "e"]), max_size=8).map(tuple)


@given(APPROVALS, APPROVALS, st.booleans())
def test_approvals_added_and_removed_are_counted_as_a_full_count_finds_them(
    before: tuple[str, ...], more: tuple[str, ...], appended: bool
) -> None:
    # Appended (the usual change) or any other list.
    after = before + more if appended else more
    added, removed = _approvals_changed(before, after)
    assert list(added) == list((Counter(after) - Counter(before)).elements())
    assert list(removed) == list((Counter(before) - Counter(after)).elements())
