"""The dunning job on the finance database alone."""
from datetime import timedelta

import pytest

from crm_common.errors import Forbidden, InvalidInput
from crm_finance.db import today
from crm_finance.dunning import use_cases
from crm_finance.receivables import use_cases as receipts


@pytest.fixture
def owner(principal_factory):
    return principal_factory(permissions={"receivables.read", "receipts.write"}, scope="own")


@pytest.fixture
def operator(principal_factory):
    return principal_factory(permissions={"finance.dunning"}, scope="all")


def test_an_overdue_receivable_is_reminded_once_a_day(uow, owner, open_receivable, emitted):
    receivable = open_receivable(owner, terms=0)
    tomorrow = today() + timedelta(days=1)
    assert use_cases.run(uow, tomorrow) == {"as_of": tomorrow, "reminded": 1}
    assert use_cases.run(uow, tomorrow)["reminded"] == 0
    [(_, data)] = emitted("finance.receivable_overdue")
    assert (data["receivable_id"], data["days_overdue"], data["bucket"]) == (receivable["id"], 1, "0-30")
    assert data["outstanding"] == "1000.00" and data["owner_id"] == owner.user_id
    assert use_cases.run(uow, today() + timedelta(days=45))["reminded"] == 1
    assert emitted("finance.receivable_overdue")[-1][1]["bucket"] == "31-60"


def test_what_is_not_yet_due_or_paid_is_not_reminded(uow, owner, open_receivable, emitted):
    open_receivable(owner, terms=30)
    paid = open_receivable(owner, terms=0, lines=("5.00",))
    receipts.create_receipt(uow(), owner, {"receivable_id": paid["id"], "amount": "5.00", "method": "cash"})
    assert use_cases.run(uow, today() + timedelta(days=2))["reminded"] == 0
    assert emitted("finance.receivable_overdue") == []


def test_an_operator_may_catch_up_a_missed_day(uow, owner, operator, open_receivable):
    open_receivable(owner, terms=0)
    day = (today() + timedelta(days=3)).isoformat()
    assert use_cases.run_now(uow, operator, {"as_of": day}) == {"as_of": day, "reminded": 1}


def test_the_trigger_needs_the_permission_and_a_date(uow, owner, operator):
    with pytest.raises(Forbidden):
        use_cases.run_now(uow, owner, {})
    with pytest.raises(InvalidInput):
        use_cases.run_now(uow, operator, {"as_of": "tomorrow"})
