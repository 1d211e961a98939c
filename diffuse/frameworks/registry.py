"""The frameworks `diffuse init --framework` ships, by name. Mayo is the default and needs
no declaration; another framework is written into the organisation file as its `workflow`,
where the organisation can adjust it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from diffuse.frameworks import his, ihi_scale_up, ihi_spread
from diffuse.frameworks.mayo import mayo_workflow_data

DEFAULT = "mayo"
FRAMEWORKS: dict[str, Callable[[], dict[str, Any]]] = {
    "mayo": mayo_workflow_data,
    "ihi-spread": ihi_spread.workflow_data,
    "ihi-scale-up": ihi_scale_up.workflow_data,
    "his": his.workflow_data,
}
