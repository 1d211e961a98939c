"""`diffuse report`, `search` and `risks` as a user runs them (the browser checks of the
demo report are in test_report_browser.py)."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import Run

AS_OF = "2026-11-22"
HOSTILE = "<script>alert(1)</script>"


def _hostile(tracker: Path) -> None:
    project = tracker / "projects" / "hh-spread.yaml"
    text = project.read_text()
    text = text.replace("title: Hand hygiene everywhere", f"title: '{HOSTILE}'")
    text = text.replace("mitigation: peer champions", "mitigation: '<img src=x onerror=alert(2)>'")
    text = text.replace("gel dispensers on back order", '"</td><script>alert(3)</script>"')
    project.write_text(text)
    practice = tracker / "practices" / "hand-hygiene.yaml"
    practice.write_text(
        practice.read_text().replace(
            "summary: Clean hands before", 'summary: \\"><svg onload=alert(4)> Clean hands before'
        )
    )


def test_report_writes_every_page(run: Run, tracker: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = run("report", "--out", str(out), "--as-of", AS_OF, cwd=tracker)
    assert result.exit_code == 0, result.stderr
    assert result.lines == [f"wrote 10 pages to {out}"]
    names = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    assert names == [
        "index.html",
        "portfolio.html",
        "practices.html",
        "project-hh-spread.html",
        "report.js",
        "risks.html",
        "site-nor.html",
        "site-nst.html",
        "site-sea.html",
        "site-sou.html",
        "sites.html",
        "style.css",
    ]
    index = (out / "index.html").read_text()
    assert "http://" not in index.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in index


def test_text_from_yaml_is_escaped_on_every_page(run: Run, tracker: Path, tmp_path: Path) -> None:
    _hostile(tracker)
    out = tmp_path / "site"
    assert run("report", "--out", str(out), "--as-of", AS_OF, cwd=tracker).exit_code == 0
    html = "".join(p.read_text() for p in out.glob("*.html"))
    for raw in (HOSTILE, "<img src=x", "<svg onload", "</td><script>"):
        assert raw not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html


def test_reordering_characters_are_shown_not_obeyed(
    run: Run, tracker: Path, tmp_path: Path
) -> None:
    project = tracker / "projects" / "hh-spread.yaml"
    text = project.read_text().replace(
        "title: Hand hygiene everywhere", 'title: "Hand hygiene \\u202eereh\\u2066"'
    )
    project.write_text(text)
    out = tmp_path / "site"
    assert run("report", "--out", str(out), "--as-of", AS_OF, cwd=tracker).exit_code == 0
    page = (out / "project-hh-spread.html").read_text()
    assert "\u202e" not in page and "\u2066" not in page
    assert "Hand hygiene \\u202eereh\\u2066" in page


def test_report_replaces_its_own_folder_but_no_other(
    run: Run, tracker: Path, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    assert run("report", "--out", str(out), "--as-of", AS_OF, cwd=tracker).exit_code == 0
    (out / "stale.html").write_text("old")
    assert run("report", "--out", str(out), "--as-of", AS_OF, cwd=tracker).exit_code == 0
    assert not (out / "stale.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "tracker"]
    mine = tmp_path / "notes"
    mine.mkdir()
    (mine / "keep.txt").write_text("mine")
    refused = run("report", "--out", str(mine), "--as-of", AS_OF, cwd=tracker)
    assert refused.exit_code == 1
    assert "not a report folder" in refused.stderr
    assert [p.name for p in mine.iterdir()] == ["keep.txt"]


def test_search_finds_every_word_in_any_field(run: Run, tracker: Path) -> None:
    result = run("search", "BEFORE patient", cwd=tracker)
    assert result.exit_code == 0
    assert result.lines == [
        "hand-hygiene  [approved]  Hand hygiene at the bedside",
        "    owner Ada Chair · Clinical Practice Committee · review due -",
        "    Clean hands before and after every patient contact.",
        "1 practice(s) match",
    ]
    assert run("search", "92%", cwd=tracker).lines[-1] == "1 practice(s) match"
    missed = run("search", "before", "--status", "diffused", cwd=tracker)
    assert missed.lines == ["no practice matches 'before'"]


def test_search_json_and_a_bad_status(run: Run, tracker: Path) -> None:
    found = json.loads(run("search", "hands", "--format", "json", cwd=tracker).stdout)
    assert (found["query"], found["statuses"]) == ("hands", [])
    hits = [(p["practice"], p["status"]) for p in found["practices"]]
    assert hits == [("hand-hygiene", "approved")]
    bad = run("search", "hands", "--status", "live", cwd=tracker)
    assert bad.exit_code == 1
    assert "--status: unknown value 'live'" in bad.stderr


def test_risks_by_score_and_by_standard_risk(run: Run, tracker: Path) -> None:
    result = run("risks", cwd=tracker)
    assert result.exit_code == 0
    assert result.lines == [
        "score L×I  project risk  category  owner: description",
        " 16  4×4  hh-spread R1  culture  owner cy: peer champions",
        "  6  2×3  hh-spread R2  it-changes  owner -: -",
        "2 open risk(s)",
    ]
    grouped = run("risks", "--by-category", cwd=tracker).lines
    assert "4. Information technology: 1 open" in grouped
    assert "7. Cultural acceptance: 1 open" in grouped
    assert "1. Documentation of the practice: 0 open" in grouped
    found = json.loads(
        run("risks", "--as-of", "2026-05-01", "--format", "json", cwd=tracker).stdout
    )
    assert found["as_of"] == "2026-05-01"
    records = found["risks"]
    assert [(r["project"], r["number"], r["score"], r["standard_risk"]) for r in records] == [
        ("hh-spread", 1, 16, 7),
        ("hh-spread", 2, 6, 4),
    ]


def test_report_and_export_keep_going_past_the_hostile_corpus(run: Run, tmp_path: Path) -> None:
    from hostile_corpus import build

    root, _ = build(tmp_path)
    site, db = tmp_path / "site", tmp_path / "t.db"
    for argv in (("report", "--out", str(site)), ("export", "sqlite", str(db))):
        result = run(*argv, "--as-of", AS_OF, cwd=root)
        assert result.exit_code == 1  # every valid file reported, the broken ones counted
        assert "internal error" not in result.stderr
        assert "run 'diffuse validate'" in result.stderr
    assert (site / "project-hh-spread.html").exists()
    assert db.stat().st_size > 0
