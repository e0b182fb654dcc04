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


def test_time_in_stages_sums_each_stay_and_counts_the_current_one_until_now():
    from datetime import datetime, timedelta, timezone

    from crm_sales.pipeline.rules import time_in_stages
    t0 = datetime(2026, 3, 1, tzinfo=timezone.utc)
    hour = timedelta(hours=1)
    stays, per_stage = time_in_stages([("a", t0, t0 + 2 * hour), ("b", t0 + 2 * hour, t0 + 5 * hour),
                                       ("a", t0 + 5 * hour, None)], now=t0 + 6 * hour)
    assert stays == [7200, 10800, 3600]
    assert per_stage == {"a": 10800, "b": 10800}
