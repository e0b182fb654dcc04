"""Bank accounts through their use cases on the finance database alone."""
from datetime import date
from decimal import Decimal

import pytest

from crm_common.errors import Conflict, Forbidden, InvalidInput, NotFound
from crm_finance.banking import queries, use_cases

ACCOUNT = {"name": "基本户", "bank_name": "招商银行", "account_no": "6225-0001", "currency": "CNY"}


@pytest.fixture
def treasurer(principal_factory):
    return principal_factory(permissions={"bank_accounts.read", "bank_accounts.write"}, scope="own")


def test_a_new_account_starts_empty(uow, treasurer):
    account = use_cases.create(uow(), treasurer, ACCOUNT)
    assert account["balance"] == "0.00" and account["owner_id"] == treasurer.user_id
    assert queries.entries(uow(), treasurer, account["id"], {}) == {"items": [], "next_cursor": None,
                                                                   "balance": "0.00"}


def test_an_account_number_is_registered_once(uow, treasurer):
    use_cases.create(uow(), treasurer, ACCOUNT)
    with pytest.raises(Conflict) as refused:
        use_cases.create(uow(), treasurer, {**ACCOUNT, "name": "另一个"})
    assert refused.value.errors == {"account_no": ["Already registered."]}
    assert len(queries.list_(uow(), treasurer, {})["items"]) == 1


@pytest.mark.parametrize("change", [{"currency": "rmb"}, {"balance": "100.00"}, {"name": ""}])
def test_a_bad_or_server_field_is_invalid_and_nothing_is_written(uow, treasurer, change):
    with pytest.raises(InvalidInput):
        use_cases.create(uow(), treasurer, {**ACCOUNT, **change})
    assert queries.list_(uow(), treasurer, {})["items"] == []


def test_another_owners_account_is_not_found(uow, treasurer, principal_factory):
    account = use_cases.create(uow(), treasurer, ACCOUNT)
    other = principal_factory(permissions=treasurer.permissions, scope="own")
    with pytest.raises(NotFound):
        queries.get(uow(), other, account["id"])
    with pytest.raises(NotFound):
        queries.entries(uow(), other, account["id"], {})


def test_booking_moves_the_balance_with_an_entry(uow, treasurer):
    account = use_cases.create(uow(), treasurer, ACCOUNT)
    with uow() as unit:
        locked = use_cases.lock_for_booking(unit.session, treasurer, account["id"], "CNY")
        use_cases.book(unit.session, locked, Decimal("80.00"), "receipt",
                       "00000000-0000-0000-0000-000000000001", "RC-1", date(2026, 3, 1))
    entries = queries.entries(uow(), treasurer, account["id"], {})
    assert entries["balance"] == "80.00" and entries["items"][0]["source_number"] == "RC-1"


def test_accounts_are_listed_by_name(uow, treasurer):
    for name, number in (("乙户", "2"), ("甲户", "1")):
        use_cases.create(uow(), treasurer, {**ACCOUNT, "name": name, "account_no": number})
    names = [item["name"] for item in queries.list_(uow(), treasurer, {})["items"]]
    assert names == sorted(names)


def test_without_the_permission_nothing_is_read_or_opened(uow, principal_factory):
    nobody = principal_factory(permissions={"receipts.read"}, scope="all")
    with pytest.raises(Forbidden):
        queries.list_(uow(), nobody, {})
    with pytest.raises(Forbidden):
        use_cases.create(uow(), nobody, ACCOUNT)
