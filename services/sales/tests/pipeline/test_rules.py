"""Pipeline rules: an opportunity moves while open and stays as it ended."""
import pytest

from crm_common.statemachine import TransitionNotAllowed
from crm_sales.pipeline.rules import LIFECYCLE


def test_an_open_opportunity_moves_and_is_won_or_lost():
    assert LIFECYCLE.next_status("open", "move") == "open"
    assert (LIFECYCLE.next_status("open", "win"), LIFECYCLE.next_status("open", "lose")) == ("won", "lost")


@pytest.mark.parametrize("ended", ["won", "lost"])
def test_an_ended_opportunity_does_nothing_more(ended):
    assert LIFECYCLE.allowed_actions(ended) == []
    with pytest.raises(TransitionNotAllowed):
        LIFECYCLE.next_status(ended, "move")
