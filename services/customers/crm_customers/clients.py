"""RPCs to other services: one, on the 404 path only.

Customers is the service others ask (sales checks a customer, the workspace looks up a phone
number). Users named in a request are resolved by the gateway before the call (`AssignIn`,
`TransferAllIn`, a complaint's handler), and the approval of an extension request or an expense
travels as events (`customers.extension_requested` → sales → `sales.approval_decided`), so this
service keeps working, and keeps its answers, while any other service is down. The one call: an
extension request or expense whose customer is outside the caller's scope is theirs to read if
the sales engine asks them to decide it or they decided it (ApproverClient, crm_common.approvers:
5 s, and sales not answering leaves it a 404). A new call to another service goes here, with its
timeout and what to answer when the other side is down.
"""
from crm_common.approvers import ApproverClient

__all__ = ["ApproverClient"]
