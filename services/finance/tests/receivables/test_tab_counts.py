"""The customer detail's 应收 count: the receivables of the customer the caller's list shows."""
from crm_finance.receivables import queries

PERMISSIONS = {"receivables.read"}


def test_the_count_is_the_callers_list_of_the_customers_receivables(uow, principal_factory, open_receivable):
    clerk = principal_factory(permissions=PERMISSIONS, scope="own")
    receivable = open_receivable(clerk)
    customer_id = receivable["customer_id"]
    listed = queries.list_(uow(), clerk, {"customer_id": customer_id})
    assert queries.tab_counts(uow(), clerk, customer_id, {}) == {"receivables": {"count": len(listed["items"]),
                                                                                 "more": False}}
    assert len(listed["items"]) == 1
    stranger = principal_factory(permissions=PERMISSIONS, scope="own")
    assert queries.tab_counts(uow(), stranger, customer_id, {}) == {"receivables": {"count": 0, "more": False}}
    assert queries.tab_counts(uow(), principal_factory(permissions=set()), customer_id, {}) == {"receivables": None}
