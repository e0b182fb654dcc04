"""Every RPC this service makes to another one, each with its timeout and what happens when the
other side is down or slow. The workspace asks others only for conveniences, never for a rule.

| call                       | timeout | when customers does not answer in time                     |
| customers.find_by_phone    | 3 s     | the call is logged unmatched (a warning in the log)        |
"""
import logging

import eventlet
from nameko.rpc import RpcProxy

log = logging.getLogger(__name__)
LOOKUP_TIMEOUT_SECONDS = 3


class CustomersClient:
    customers = RpcProxy("customers")

    def who_is_calling(self, phone):
        """A call is logged even when customers is slow or down: the match is a convenience."""
        try:
            with eventlet.Timeout(LOOKUP_TIMEOUT_SECONDS):
                return self.customers.find_by_phone(phone)
        except (Exception, eventlet.Timeout) as exc:
            log.warning("phone lookup in customers failed (%s); call logged unmatched", type(exc).__name__)
            return None
