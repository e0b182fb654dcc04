"""RPCs to other services: none, on purpose.

Customers is the service others ask (sales checks a customer, the workspace looks up a phone
number); it asks nobody. Users named in a request are resolved by the gateway before the call
(`AssignIn`, `TransferAllIn`, a complaint's handler), and the approval of an extension request
travels as events (`customers.extension_requested` → sales → `sales.approval_decided`), so this
service keeps working, and keeps its answers, while any other service is down. A new call to
another service goes here, with its timeout and what to answer when the other side is down.
"""
