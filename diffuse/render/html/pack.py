"""The board pack: the report as one document for the meeting, printed to PDF by headless
Chromium (Debian's `chromium` package; nothing is downloaded).

Its sheets, each starting a new landscape A4 page: a cover; the portfolio summary; the
Status Tracker, one sheet per region so every site fits the page's width; three sheets
per project (its facts, timeline, adoption curve, top risks and dissemination plan; its
sites; up to four key charts); and the sites that need attention.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from diffuse.errors import DiffuseError
from diffuse.render.html import pages
from diffuse.reports.portfolio import Portfolio
from diffuse.vocab import Health

PACKAGE = "chromium"  # Debian's package, which installs /usr/bin/chromium
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--no-pdf-header-footer",
)
TIMEOUT_SECONDS = 300
TOP_RISKS = 3
ATTENTION_ROWS = 28  # rows that fit the sheet on one line each, most pressing first
BARRIER_CHARS = 60
ORDER = {Health.OFF_TRACK: 0, Health.AT_RISK: 1, Health.ON_TRACK: 2}


def chromium() -> str:
    """The browser that prints the pack; a clear error naming the package when missing."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        raise DiffuseError(
            "--pdf needs headless Chromium, which is not installed: install the "
            f"'{PACKAGE}' package (e.g. 'apt-get install {PACKAGE}') and run again"
        )
    return found


def pack_values(
    summary: Portfolio, tracker: pages.Page, portfolio_page: pages.Page, projects: list[pages.Page]
) -> dict[str, Any]:
    sheets = [dict(page.values, title=page.title) for page in projects]
    for sheet in sheets:
        sheet["top_risks"] = sorted(sheet["risks"], key=lambda r: -r.score)[:TOP_RISKS]
    return {
        "tracker": tracker.values,
        "summary": portfolio_page.values,
        "projects": sheets,
        "attention": (found := attention(sheets, summary))[:ATTENTION_ROWS],
        "attention_total": len(found),
    }


def attention(sheets: list[dict[str, Any]], summary: Portfolio) -> list[dict[str, Any]]:
    """Site rows of active projects that are at risk or off track, or hold a barrier."""
    active = {row.project for row in summary.active}
    found = []
    for sheet in sheets:
        project = sheet["project"]
        if project.id not in active:
            continue
        for site in sheet["sites"]:
            state = site["state"]
            if state.status.value == "not-applicable":
                continue
            if state.health is Health.ON_TRACK and not state.barriers:
                continue
            found.append({"project": project, "barrier_line": _barriers(state.barriers), **site})
    return sorted(found, key=lambda s: (ORDER[s["state"].health], s["name"], s["project"].id))


def print_pdf(html: str, style: Path, out: Path) -> None:
    """Print `html` to `out` through headless Chromium; `out` is replaced whole or not at all."""
    exe = chromium()
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DiffuseError(f"{out}: cannot write there ({exc.strerror})") from None
    with tempfile.TemporaryDirectory(prefix="diffuse-pack-") as folder:
        work = Path(folder)
        (work / "pack.html").write_text(html, encoding="utf-8")
        shutil.copyfile(style, work / "style.css")
        printed = work / "pack.pdf"
        argv = [
            exe,
            *FLAGS,
            f"--user-data-dir={work / 'profile'}",
            f"--print-to-pdf={printed}",
            (work / "pack.html").as_uri(),
        ]
        try:
            done = subprocess.run(
                argv,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=TIMEOUT_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise DiffuseError(f"chromium did not finish printing in {TIMEOUT_SECONDS}s") from None
        except OSError as exc:
            raise DiffuseError(f"{exe}: cannot run ({exc.strerror})") from None
        if done.returncode != 0 or not printed.is_file() or printed.stat().st_size == 0:
            said = done.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["no output"]
            raise DiffuseError(f"chromium could not print the pack: {said[0]}")
        staged = out.with_name(f".{out.name}.tmp")
        try:
            shutil.copyfile(printed, staged)
            os.replace(staged, out)
        except OSError as exc:
            staged.unlink(missing_ok=True)
            raise DiffuseError(f"{out}: cannot write ({exc.strerror})") from None


def pack_date(as_of: date) -> str:
    return as_of.strftime("%-d %B %Y")


def _barriers(barriers: list[str]) -> str:
    """The first barrier, cut to one line, and how many more."""
    if not barriers:
        return "-"
    first = barriers[0] if len(barriers[0]) <= BARRIER_CHARS else barriers[0][:BARRIER_CHARS] + "…"
    more = len(barriers) - 1
    return f"{first} (+{more} more)" if more else first
