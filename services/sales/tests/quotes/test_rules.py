"""Quote rules: revised while open, converted once."""
import pytest

from crm_common.statemachine import TransitionNotAllowed
from crm_sales.quotes.rules import LIFECYCLE


def test_an_open_quote_is_revised_any_number_of_times_then_converted():
    assert LIFECYCLE.next_status(LIFECYCLE.next_status("open", "revise"), "revise") == "open"
    assert LIFECYCLE.next_status("open", "convert") == "converted"


def test_a_converted_quote_is_final():
    with pytest.raises(TransitionNotAllowed, match="allowed now: nothing"):
        LIFECYCLE.next_status("converted", "revise")
