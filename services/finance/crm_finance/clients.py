"""RPCs to other services: one, on the 404 path only.

Everything this service needs from the others arrives as events (sales.order_approved and the
rest, docs/events.md), so it keeps working, and keeps its answers, while any other service is
down. The one call: an invoice, red-letter reversal or receipt outside the caller's scope is
theirs to read if the sales engine asks them to decide it or they decided it (ApproverClient,
crm_common.approvers: 5 s, and sales not answering leaves it a 404). A new call to another
service goes here, with its timeout and what to answer when the other side is down.
"""
from crm_common.approvers import ApproverClient

__all__ = ["ApproverClient"]
