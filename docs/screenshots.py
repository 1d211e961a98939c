"""Save the screenshots of the demo report that the README and the docs show: the Status
Tracker, a project page, a site page and one page of the PDF board pack.

    python docs/screenshots.py

Builds the report and the board pack of the demo tracker into a temporary folder,
photographs three pages with headless Debian chromium (`apt-get install chromium`) and
renders the pack's first Status Tracker page with pdftoppm (`apt-get install
poppler-utils`), writing docs/report-index.png, docs/report-project.png,
docs/report-site.png and docs/report-pack.png.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
AS_OF = "2026-11-22"
SHOTS = {
    "report-index.png": ("index.html", "1280,760"),
    "report-project.png": ("project-readmissions-rollout.html", "1000,1500"),
    "report-site.png": ("site-wpk.html", "1280,1500"),
}
PACK_SHOT = "report-pack.png"
PACK_PAGE_TEXT = "Status Tracker: Metro"  # the page of the pack shown in the docs
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


def main() -> None:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        raise SystemExit("chromium is not installed (apt-get install chromium)")
    for tool in ("pdftoppm", "pdftotext"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is not installed (apt-get install poppler-utils)")
    with tempfile.TemporaryDirectory() as folder:
        site, pack = Path(folder) / "site", Path(folder) / "pack.pdf"
        build = [sys.executable, "-m", "diffuse", "report", "--out", str(site), "--pdf", str(pack)]
        subprocess.run([*build, "--as-of", AS_OF, "--root", str(REPO)], check=True)
        for name, (page, size) in SHOTS.items():
            profile = Path(folder) / f"profile-{name}"
            subprocess.run(
                [
                    exe,
                    *FLAGS,
                    f"--user-data-dir={profile}",
                    f"--window-size={size}",
                    f"--screenshot={REPO / 'docs' / name}",
                    (site / page).as_uri(),
                ],
                check=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            print(f"saved docs/{name}")
        text = subprocess.run(
            ["pdftotext", "-layout", str(pack), "-"], capture_output=True, text=True, check=True
        ).stdout
        number = next(n for n, p in enumerate(text.split("\f"), 1) if PACK_PAGE_TEXT in p)
        stem = Path(folder) / "pack-page"
        pages = ["-f", str(number), "-l", str(number)]
        subprocess.run(
            ["pdftoppm", "-png", "-r", "110", "-singlefile", *pages, str(pack), str(stem)],
            check=True,
        )
        shutil.copyfile(stem.with_suffix(".png"), REPO / "docs" / PACK_SHOT)
        print(f"saved docs/{PACK_SHOT} (page {number} of the board pack)")


if __name__ == "__main__":
    main()
