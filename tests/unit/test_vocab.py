"""vocab: the choices the models, the help text and the commands' checks all take."""

from __future__ import annotations

import pytest

from diffuse.errors import DiffuseError
from diffuse.vocab import Health, SiteStatus, pick, spoken


def test_help_lists_the_choices_in_their_order() -> None:
    assert spoken(Health) == "on-track, at-risk or off-track"
    assert spoken(SiteStatus).startswith("not-started, planning, ")


def test_a_value_outside_the_vocabulary_names_the_option_and_the_choices() -> None:
    assert pick(Health, "at-risk", "--health") is Health.AT_RISK
    with pytest.raises(DiffuseError) as refused:
        pick(Health, "fine", "--health")
    assert str(refused.value) == "--health: 'fine' is not one of: on-track, at-risk, off-track"
