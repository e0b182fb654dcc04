"""How many opportunities, quotes, orders and contracts of one customer the caller sees: the counts
of the customer detail's sales tabs, each list as it pages (its scope and customer filter), in one
statement; a list the caller may not read is left out (null)."""
from crm_common.counting import CountsQuery, capped_counts
from crm_common.errors import NotFound
from crm_common.principal import Principal
from crm_common.records import is_uuid
from crm_common.validation import load_query
from crm_sales.contracts import queries as contracts
from crm_sales.contracts.models import Contract
from crm_sales.orders import queries as orders
from crm_sales.pipeline import queries as pipeline
from crm_sales.pipeline.models import Opportunity
from crm_sales.quotes import queries as quotes
from crm_sales.quotes.models import Quote

TABS = {  # name → (permission, the customer's list)
    "opportunities": ("opportunities.read",
                      lambda p, c: pipeline.visible(p).where(Opportunity.customer_id == c)),
    "quotes": ("orders.read", lambda p, c: quotes.visible(p).where(Quote.customer_id == c)),
    "orders": ("orders.read", lambda p, c: orders.filtered(p, {"customer_id": c})),
    "contracts": ("contracts.read", lambda p, c: contracts.visible(p).where(Contract.customer_id == c)),
}


def tab_counts(uow, principal: Principal, customer_id, query) -> dict:
    q = load_query(CountsQuery(), query)
    if not is_uuid(customer_id):
        raise NotFound("Customer not found")
    lists = {name: build(principal, str(customer_id)) for name, (permission, build) in TABS.items()
             if principal.has(permission)}
    with uow.reading():
        counts = capped_counts(uow.session, lists, q["limit"])
    return {name: counts.get(name) for name in TABS}
