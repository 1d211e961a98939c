"""`history` works out most versions from the one read before them; every version must read
exactly as a full read of it alone reads it, whatever the edit between the two."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from diffuse.files.plainscan import scan
from diffuse.reports import snapshot as snapshot_module
from diffuse.reports.snapshot import SectionReader, Versions, _entry, entry_key, snapshot

PROJECT = """\
# Spread of hand hygiene.
id: hh-spread
title: Hand hygiene everywhere
phase: plan
roles:
  diffusion-manager: cy
sites:
  nor:
    status: live
    health: on-track
  nst:
    status: implementing
    health: at-risk
    updated: 2026-03-01
  sou:
    status: planning
    health: off-track
approvals:
  - {gate: plan, body: cpc, by: ben, date: 2026-02-01}
history:
  - {from: initiate, to: plan, date: 2026-02-01, by: cy, reason: ready}
"""

PRACTICE = """\
id: falls
title: Falls prevention
status: approved
vetted_by: [nor, sou]
summary: Fewer falls.
approvals:
  - {body: cpc, by: ben, date: 2026-03-01}
"""

# Each edit is (old, new) on the version before it.
PROJECT_EDITS = [
    ("    status: implementing\n", "    status: live\n"),  # one site's row
    ("    updated: 2026-03-01\n", "    updated: 2026-03-02\n"),  # nothing history shows
    ("    health: off-track\n", "    health: null\n"),
    ("title: Hand hygiene everywhere\n", "title: Hand hygiene, everywhere\n"),
    ("# Spread of hand hygiene.\n", "# Spread.\n# Of hand hygiene.\n"),
    ("  nst:\n", "  nsx:\n"),  # a site renamed
    ("  nsx:\n", "  nor:\n"),  # ... to one that is there already
    ("    status: live\n    health: on-track\n", "    status: done\n    health: on-track\n"),
    (
        "  nor:\n    status: live\n    health: at-risk",
        "  nst:\n    status: live\n    health: at-risk",
    ),
    ("  nor:\n    status: done\n", "  nor:\n    status: live\n"),
    ("  nst:\n", "   nst:\n"),  # deeper than its neighbours
    ("   nst:\n", " nst:\n"),
    (" nst:\n", "  nst:\n"),
    ("    updated: 2026-03-02\n  sou:", "    updated: 2026-03-02  sou:"),  # joined lines
    ("    updated: 2026-03-02  sou:", "    updated: 2026-03-02\n  sou:"),
    ("  - {gate: plan, body", "  - {gate: [plan, body"),  # broken approvals, then a row
    ("    health: null\n", "    health: off-track\n"),
    ("  - {gate: [plan, body", "  - {gate: plan, body"),
    ("    health: off-track\n", "    health: null\n"),
    ("    health: at-risk\n", "    health: at-risk\nphase: close\n"),  # a top key in a row
    ("phase: close\n", ""),
    ("    health: at-risk\n", "    health: at-risk\n  # a comment\n"),
    ("  sou:\n    status: planning\n", "  sou: {status: planning}\n"),
    ("  sou: {status: planning}\n", "  sou: later\n"),
    ("  sou: later\n", "  sou:\n     status: planning\n"),  # deeper than its neighbours
    ("     status: planning\n", "    status: planning\n    status: live\n"),  # twice
    ("    status: live\n    health: null", "    status: live\n  health: null"),
    ("  nor:\n    status: live\n", "  nor:\n    status: sustained\n"),  # the first entry
    ("title: Hand hygiene, everywhere\n", "sites: {}\n"),  # read key in an unread place
    ("sites: {}\n", "title: back\n"),
    ("roles:\n  diffusion-manager: cy\n", "roles:\n  diffusion-manager: cy\nsitesx: 1\n"),
    ("    health: at-risk\n", "    health: 'at risk'\n"),  # quoted: read by YAML
    ("    health: 'at risk'\n", "    health: [a, b\n"),  # broken YAML
    ("    health: [a, b\n", "    health: at-risk\n"),
    ("# Spread.\n", "phase: initiate\n"),  # a key where comments were
    ("phase: initiate\n", "\ufeff# Spread.\n"),
    ("approvals:\n", "approvals:\n  - {gate: execute, body: cpc, by: ada, date: 2026-03-09}\n"),
    ("  nst:\n", "  nst:\r\n"),
    ("  nst:\r\n", "  nst:\n"),
    ("    status: live\n    health: at-risk\n", "    status: live\n\thealth: at-risk\n"),
]


def _versions(text: str, edits: list[tuple[str, str]]) -> list[str]:
    found = [text]
    for old, new in edits:
        assert old in found[-1], old
        found.append(found[-1].replace(old, new, 1))
    return found


def _check(kind: str, texts: list[str]) -> None:
    versions = Versions(kind)
    for text in texts:
        assert versions.snapshot(text) == snapshot(SectionReader(), text, kind), text


def test_each_version_of_a_project_reads_as_a_full_read_of_it() -> None:
    texts = _versions(PROJECT, PROJECT_EDITS)
    _check("project", texts)
    _check("project", texts[::-1])  # and read oldest last, as git gives them


def test_a_read_key_that_appears_where_nothing_was_read_reads_as_a_full_read() -> None:
    # No history section: one written over comments or an unread section is the only one.
    text = PROJECT.split("history:")[0] + "notes: none\n"
    edits = [
        ("# Spread of hand hygiene.\n", "history:\n  - {to: plan, reason: first}\n"),
        ("history:\n  - {to: plan, reason: first}\n", "# Spread.\n"),
        ("notes: none\n", "history:\n  - {to: plan, reason: last}\n"),
        ("history:\n  - {to: plan, reason: last}\n", "notes: none\n"),
        ("notes: none\n", "phase: close\n"),
        ("phase: close\n", "notes: none"),
        ("notes: none", "notes: none\nphase: close"),
        ("  nst:\n", "history:\n  - {to: plan, reason: inside}\n  nst:\n"),
        ("history:\n  - {to: plan, reason: inside}\n  nst:\n", "  nst:\n"),
        ("    health: off-track\n", "    health: off-track\nhistory: []\n"),
    ]
    texts = _versions(text, edits)
    _check("project", texts)
    _check("project", texts[::-1])


def test_approvals_history_and_phase_changed_alone_read_as_a_full_read() -> None:
    added = "  - {gate: execute, body: cpc, by: ada, date: 2026-03-09}\n"
    reason = "  - {from: plan, to: execute, date: 2026-03-09, by: cy, reason: go}\n"
    edits = [
        ("history:\n", added + "history:\n"),  # an approval added at the end
        (added, added + added),  # the same approval twice
        (added + added, added + "history: []\n"),  # ... and a key after it
        (added + "history: []\n", added + "history:\n"),
        ("phase: plan\n", "phase: execute\n"),
        ("reason: ready}\n", "reason: ready}\n" + reason),
        ("phase: execute\n", "phase: [execute\n"),  # broken: the whole text is read
        ("phase: [execute\n", "phase:\n  - execute\n"),
        ("phase:\n  - execute\n", "phase: execute # now\n"),
        ("approvals:\n", "approvals: # the gates\n"),
        ("  - {gate: plan, body: cpc", "  - {gate: plan, body: [cpc"),  # broken approvals
        ("  - {gate: plan, body: [cpc", "  - {gate: plan, body: cpc"),
        ("  - {gate: plan, body: cpc, by: ben, date: 2026-02-01}\n", ""),
        ("approvals: # the gates\n", "approvals: 7\n"),
        (reason, "approvals:\n" + added),  # approvals twice: the later counts
    ]
    texts = _versions(PROJECT, edits)
    _check("project", texts)
    _check("project", texts[::-1])
    listed = PROJECT.replace("phase: plan\n", "phase:\n  - execute\n")  # not a phase
    _check("project", [PROJECT, listed, PROJECT.replace("phase: plan\n", "phase: ''\n")])


def test_rows_changed_together_or_a_second_sites_read_as_a_full_read() -> None:
    both = PROJECT.replace("implementing", "live").replace("planning", "starting")
    twice = PROJECT + "sites:\n  zzz:\n    status: live\n"
    same = PROJECT.replace("  sou:", "  nst:")  # one site twice: the later row counts
    texts = [PROJECT, both, PROJECT, twice, twice.replace("implementing", "live")]
    _check("project", [*texts, same, same.replace("implementing", "live"), PROJECT])


def test_a_file_cut_short_or_lengthened_at_either_end_reads_as_a_full_read() -> None:
    body = PROJECT.removesuffix("\n")
    texts = [PROJECT, body, body + "\n  - {from: plan, to: execute}\n", "", PROJECT, "- a list\n"]
    texts += [PROJECT.replace("history:", "sites:"), "# only a comment\n" + PROJECT]
    _check("project", [*texts, PROJECT.split("approvals:")[0], PROJECT])


def test_each_version_of_a_practice_reads_as_a_full_read_of_it() -> None:
    edits = [
        ("summary: Fewer falls.\n", "summary: Fewer falls, at last.\n"),
        ("status: approved\n", "status: diffusing\n"),
        ("vetted_by: [nor, sou]\n", "vetted_by: [nor, sou, sea]\n"),
        ("summary: Fewer falls, at last.\n", "summary: |\n  text\nstatus: retired\n"),
    ]
    _check("practice", _versions(PRACTICE, edits))


LINES = [
    "  sea:\n",
    "    status: live\n",
    "    health: at-risk\n",
    "    status: null\n",
    "phase: execute\n",
    "sites:\n",
    "approvals:\n",
    "  - {gate: plan, body: cpc}\n",
    "# note\n",
    "\n",
    "   odd: indent\n",
    "  nor: {status: live}\n",
    "notes: text\n",
]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 40),
            st.sampled_from(["insert", "replace", "delete"]),
            st.sampled_from(LINES),
        ),
        max_size=12,
    )
)
def test_random_line_edits_read_as_a_full_read(edits: list[tuple[int, str, str]]) -> None:
    lines = PROJECT.splitlines(keepends=True)
    texts = [PROJECT]
    for at, how, line in edits:
        _apply(lines, at, how, line)
        texts.append("".join(lines))
    _check("project", texts)


def _apply(lines: list[str], at: int, how: str, line: str) -> None:
    """One line inserted, replaced or deleted at `at` (taken modulo the length)."""
    at %= len(lines) + 1
    if how == "insert" or at == len(lines):
        lines.insert(at, line)
    elif how == "replace":
        lines[at] = line
    else:
        del lines[at]


def _edited(text: str, edits: list[tuple[str, str]]) -> str:
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


# Each step changes several pieces in one version: (old, new) pairs applied together.
TOGETHER = [
    [
        (
            "  - {gate: plan",
            "  - {gate: execute, body: cpc, by: ada, date: 2026-03-09}\n  - {gate: plan",
        ),
        ("    status: implementing\n", "    status: live\n"),
    ],  # an approval and a row
    [
        ("    status: live\n    health: on-track\n", "    status: done\n    health: on-track\n"),
        ("    health: off-track\n", "    health: at-risk\n"),
    ],  # the first and last rows
    [
        ("phase: plan\n", "phase: execute\n"),
        ("reason: ready}\n", "reason: ready}\n  - {from: plan, to: execute, reason: go}\n"),
        ("    status: live\n", "    status: sustained\n"),
    ],  # phase, history and a row
    [
        ("title: Hand hygiene everywhere\n", "title: Hand hygiene\n"),
        ("  nst:\n", "  nsx:\n"),
    ],  # an unread section, and a site renamed
    [("  nsx:\n", "  nst:\n"), ("    status: sustained\n", "    status: live\n")],
    [("  nor:\n", "  # first\n  nor:\n"), ("    health: at-risk\n", "    health: on-track\n")],
    [("  # first\n", ""), ("approvals:\n", "approvals:\nnotes: x\n")],  # a top key inside
    [("approvals:\nnotes: x\n", "approvals:\n"), ("  sou:\n", "   sou:\n")],
    [
        ("   sou:\n", "  sou:\n"),
        ("    status: done\n", "    status: done\n  sea:\n    status: live\n"),
    ],
    [("  sea:\n    status: live\n", ""), ("# Spread of hand hygiene.\n", "# Spread.\n")],
    [
        ("    health: on-track\n", "    health: on-track\nphase: close\n"),
        ("    status: live\n", "    status: planning\n"),
    ],  # a top key between two rows
    [("phase: close\n", ""), ("    updated: 2026-03-01\n", "    updated: [2026\n")],  # broken
    [("    updated: [2026\n", "    updated: 2026-03-01\n"), ("  nor:\n", "  nor: {}\n")],
]


def test_several_pieces_changed_at_once_read_as_a_full_read() -> None:
    texts = [PROJECT]
    for step in TOGETHER:
        texts.append(_edited(texts[-1], step))
    _check("project", texts)
    _check("project", texts[::-1])


ADDED = "  - {gate: execute, body: cpc, by: ada, date: 2026-03-09}\n"
# Approvals put after the last one or taken away from the end, each a version of its own.
APPROVALS_RESIZED = [
    ("history:\n", ADDED + "history:\n"),
    ("history:\n", ADDED + ADDED + "history:\n"),  # two at once
    (ADDED + "history:\n", "history:\n"),  # the last taken away
    ("history:\n", "   - {gate: close}\n" + "history:\n"),  # deeper than the others
    ("   - {gate: close}\n", "  # a note\n"),  # a comment after the last one
    ("  # a note\n", "  - [broken\n"),
    ("  - [broken\n", "  - plain words\n"),  # not a mapping
    ("  - plain words\n", "  - gate: close\n    body: cpc\n"),  # block style
    ("history:\n", "  - gate: open\n    body: cpc\n" + "history:\n"),
    ("  - gate: open\n    body: cpc\n", "  - gate: open\n"),  # half of the last one
    ("  - gate: open\n", ""),
    ("  - gate: close\n    body: cpc\n", "  - {gate: close}\n"),
    ("history:\n", ADDED + "notes: x\n" + "history:\n"),  # a key after the new one
    ("notes: x\n", ""),
    ("history:\n", "  - [broken\n" + "history:\n"),
    ("  - [broken\n", ""),
    ("history:\n", "  gate: close\n" + "history:\n"),  # a mapping after a list
    ("  gate: close\n", ""),
    ("  - {gate: plan, body: cpc, by: ben, date: 2026-02-01}\n" + ADDED + ADDED, ""),  # all
    ("  - {gate: close}\n", ""),
    ("approvals:\n", "approvals:\n" + ADDED),
]


def test_approvals_added_or_taken_away_at_the_end_read_as_a_full_read() -> None:
    texts = _versions(PROJECT, APPROVALS_RESIZED)
    _check("project", texts)
    _check("project", texts[::-1])
    practice = _versions(PRACTICE, [("approvals:\n", "approvals:\n  - {body: cpc}\n")] * 3)
    _check("practice", practice)
    _check("practice", practice[::-1])


def test_a_row_and_an_approval_changed_together_need_no_full_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    full = []
    monkeypatch.setattr(snapshot_module, "snapshot", lambda *a: full.append(a) or snapshot(*a))
    texts = [PROJECT]
    for step in TOGETHER[:3]:
        texts.append(_edited(texts[-1], step))
    versions = Versions("project")
    for text in texts:
        assert versions.snapshot(text) == snapshot(SectionReader(), text, "project")
    assert len(full) == 1  # the first version alone is read in full


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(
            st.tuples(
                st.integers(0, 40),
                st.sampled_from(["insert", "replace", "delete"]),
                st.sampled_from(LINES),
            ),
            min_size=1,
            max_size=3,
        ),
        max_size=8,
    )
)
def test_random_line_edits_together_read_as_a_full_read(
    steps: list[list[tuple[int, str, str]]],
) -> None:
    lines = PROJECT.splitlines(keepends=True)
    texts = [PROJECT]
    for edits in steps:
        for at, how, line in edits:
            _apply(lines, at, how, line)
        texts.append("".join(lines))
    _check("project", texts)


@pytest.mark.parametrize(
    "text",
    [
        "  nor:\n    status: live\n    health: on-track\n",
        "  nor:\n    status: null\n    health: NULL\n",
        "nor:\n  updated: 2026-03-01\n",
        "  nor:\n    status: live\n    status: live\n",
        "  nor:\n    status: live\n   health: x\n",
        "  nor:\n  status: live\n",
        "  nor:\n    status: live\n",
        "  nor:\n    status: live\n\n",
        "  nor:\n    status: live",
        "  nor:\n    status: a.b-c_d\n",
    ],
)
def test_a_sites_row_read_without_the_line_scanner_reads_as_the_scanner_reads(text: str) -> None:
    found = _entry(text)
    simple = scan(text)
    assert found is None or (simple is not None and found == simple[0])


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet=" \n:-_.#abn0ulNL", max_size=60),
)
def test_any_text_read_without_the_line_scanner_reads_as_the_scanner_reads(text: str) -> None:
    found = _entry(text)
    simple = scan(text)
    assert found is None or (simple is not None and found == simple[0])


def test_a_list_read_again_and_dropped_leaves_no_keys_for_the_next_list() -> None:
    """The keys of the entries are remembered by the id of the list and of each entry; a
    section worked out again drops the list read before, and the next list made may take
    its place in memory (CPython reuses a freed list at once). Its keys must be its own."""
    reader = SectionReader()
    before = [{"gate": "close", "body": "cpc"}]
    assert reader.keys(before) == (entry_key(before[0]),)
    del before
    after = [{"gate": "open", "body": "cpc"}]
    assert reader.keys(after) == (entry_key(after[0]),)


def test_approvals_resized_back_and_forth_many_times_read_as_a_full_read() -> None:
    # The same sections are worked out again and again, dropping the lists read before.
    texts = _versions(PROJECT, APPROVALS_RESIZED)
    for _ in range(20):
        _check("project", texts[::-1] + texts)
