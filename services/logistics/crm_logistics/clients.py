"""RPCs to other services: none, on purpose.

Everything this service needs from the others arrives as events (sales.order_approved and the
rest, docs/events.md), so it keeps working, and keeps its answers, while any other service is
down. A new call to another service goes here, with its timeout and what to answer when the other
side is down.
"""
