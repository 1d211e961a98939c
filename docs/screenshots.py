"""Save the README's screenshots of the demo report: the Status Tracker and a project page.

    python docs/screenshots.py

Builds the report of the demo tracker into a temporary folder and photographs two pages
with headless Debian chromium (`apt-get install chromium`), writing docs/report-index.png
and docs/report-project.png.
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
}
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
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        build = [sys.executable, "-m", "diffuse", "report", "--out", str(site)]
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


if __name__ == "__main__":
    main()
