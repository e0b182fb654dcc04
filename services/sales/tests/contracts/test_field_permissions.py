"""A contract's amount under field permissions, through the sales service's own entrypoints (what
the broker calls: the rpc entrypoint shapes answers and checks writes, crm_common.field_policy)."""
from datetime import timedelta
from types import SimpleNamespace

import pytest

from crm_common import branch_time
from crm_common.errors import InvalidInput
from crm_sales.service import SalesService


def _body(customer, rep):
    today = branch_time.current_day()
    return {"customer_id": customer["id"], "kind": "service", "title": "年度维保", "start_date": today.isoformat(),
            "end_date": (today + timedelta(days=365)).isoformat(), "amount": "12000.00",
            "commission_split": [{"user_id": rep.user_id, "percent": "100"}]}


def _call(uow, principal, customers, method, *args):
    worker = SimpleNamespace(uow=uow, principal=principal, lookup_customer=customers)
    return getattr(SalesService, method)(worker, *args)


@pytest.fixture
def masked(principal_factory, rep):
    """The rep, with a role that masks contract amounts everywhere."""
    return principal_factory(permissions=rep.permissions, scope=rep.scope, user_id=rep.user_id,
                             fields={"contract.amount": {"access": "read_only", "mask": "all"}})


def test_an_amount_masked_everywhere_is_masked_in_the_list_and_the_detail_and_cannot_be_written(
        uow, rep, masked, customers, customer):
    draft = _call(uow, rep, customers, "create_contract", _body(customer, rep))
    assert draft["amount"] == "12000.00"  # the rep without the rule
    assert _call(uow, masked, customers, "get_contract", draft["id"])["amount"] == "****"
    assert [c["amount"] for c in _call(uow, masked, customers, "list_contracts", {})["items"]] == ["****"]
    with pytest.raises(InvalidInput) as refused:
        _call(uow, masked, customers, "update_contract", draft["id"], {"amount": "1.00"})
    assert "amount" in refused.value.errors
    assert _call(uow, rep, customers, "get_contract", draft["id"])["amount"] == "12000.00"


def test_a_change_orders_before_and_after_follow_the_contract_amount():
    """As the contract's own amount: masked where it is (a list, or everywhere), absent when hidden."""
    from crm_common import field_policy
    from crm_sales.contracts.schemas import ContractOut

    def dumped():
        return {"amount": "130000.00", "changes": [{"kind": "change", "before": {"amount": "120000.00"},
                                                    "after": {"amount": "130000.00", "end_date": "2027-12-31"}}]}
    plan = field_policy.plan_of(ContractOut)
    in_lists = {"contract": {"amount": ("read_only", "list")}}
    change = field_policy.shape(plan, in_lists, [dumped()], listing=True)[0]["changes"][0]
    assert (change["before"], change["after"]) == ({"amount": "****"}, {"amount": "****", "end_date": "2027-12-31"})
    assert field_policy.shape(plan, in_lists, dumped(), listing=False) == dumped()  # the detail shows it whole
    hidden = field_policy.shape(plan, {"contract": {"amount": ("hidden", "none")}}, dumped(), listing=False)
    assert hidden == {"changes": [{"kind": "change", "before": {}, "after": {"end_date": "2027-12-31"}}]}
