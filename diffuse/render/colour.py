"""The symbols and colours of site statuses and health, and whether to colour at all.

Every status has a symbol and every health a symbol and a word, so nothing is told by
colour alone; NO_COLOR turns colour off and FORCE_COLOR or CLICOLOR_FORCE turn it on when
output is piped.
"""

from __future__ import annotations

import os

from diffuse.vocab import Health, SiteStatus

STATUS_SYMBOL = {
    SiteStatus.NOT_STARTED: ("·", "dim"),
    SiteStatus.PLANNING: ("◔", "cyan"),
    SiteStatus.IMPLEMENTING: ("◑", "blue"),
    SiteStatus.LIVE: ("●", "green"),
    SiteStatus.SUSTAINED: ("★", "bold green"),
    SiteStatus.NOT_APPLICABLE: ("–", "dim"),
}
HEALTH_SYMBOL = {
    Health.ON_TRACK: ("✓", "green"),
    Health.AT_RISK: ("!", "yellow"),
    Health.OFF_TRACK: ("✗", "bold red"),
}


def colour_off() -> bool:
    """NO_COLOR turns colour off when it is set and not empty (no-color.org)."""
    return bool(os.environ.get("NO_COLOR"))


def colour_forced() -> bool:
    """Colour even when piped: FORCE_COLOR set and not empty, or CLICOLOR_FORCE not 0."""
    force = os.environ.get("CLICOLOR_FORCE", "")
    return bool(os.environ.get("FORCE_COLOR")) or (force != "" and force != "0")


def health_label(health: Health) -> str:
    return f"{HEALTH_SYMBOL[health][0]} {health.value}"
