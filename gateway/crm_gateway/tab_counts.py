"""GET /customers/{id}/tab-counts: every tab of the customer detail counted in one request.

The detail shows each tab's count before the tab is opened. Each service counts its own lists of
the customer in one statement (its `customer_tab_counts` RPC); the gateway asks the three services
at once, so the answer takes as long as the slowest of them instead of fourteen list requests.
The customers service's answer decides: a customer out of scope is a 404 whatever the others say.
A service that does not answer leaves its tabs null (the console then shows their counts when the
tab's own list loads), like the detail's money picture when its read model is not deployed.
"""
import eventlet
from marshmallow import Schema

from crm_common.counting import CountsQuery, counts_out
from crm_common.errors import Unavailable
from crm_common.validation import load_query
from crm_gateway import fanout

SERVICES = {  # service → the tabs it counts (each service's CustomerTabCountsOut-like schema)
    "customers": ("contacts", "interactions", "service_records", "care_records", "expenses", "important_dates",
                  "complaints", "relations", "history"),
    "sales": ("opportunities", "quotes", "orders", "contracts"),
    "finance": ("receivables",),
}
TabCountsOut: type[Schema] = counts_out([tab for tabs in SERVICES.values() for tab in tabs], "TabCountsOut")


def tab_counts(c) -> dict:
    query = load_query(CountsQuery(), c.query())
    args = [c.params["id"], {"limit": query["limit"]}]
    branch = None
    if c.branches.spans_all(c.principal, "customers.read"):
        # head office: the branch holding the customer holds its orders and receivables too
        branch, own = fanout.first_found(c.branches.clients, lambda b: (
            b, c.call("customers", "customer_tab_counts", args, fanout.FANOUT_TIMEOUT, b)))
        others = {s: eventlet.spawn(c.call, s, "customer_tab_counts", args, None, branch) for s in ("sales", "finance")}
    else:
        others = {s: eventlet.spawn(c.call, s, "customer_tab_counts", args) for s in ("sales", "finance")}
        own = c.call("customers", "customer_tab_counts", args)  # raises for a customer out of scope
    answer = dict(own)
    for service, thread in others.items():
        try:
            answer.update(thread.wait())
        except Unavailable:
            answer.update(dict.fromkeys(SERVICES[service]))
    return answer
