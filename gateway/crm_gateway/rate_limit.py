"""Requests per caller per minute (ADM-10), answered with 429 and Retry-After beyond the limit.

A sliding window of one-second buckets per caller, in the gateway process: the limit holds per
replica (N replicas admit up to N × the limit), which is what protects each replica; a shared
store would be needed for an exact cluster-wide quota.
"""
import math
import os
import time
from collections import defaultdict, deque

from crm_common.errors import CrmError

WINDOW_SECONDS = 60


class RateLimited(CrmError):
    status, title = 429, "Too many requests"

    def __init__(self, retry_after: int):
        super().__init__(f"Rate limit exceeded; retry in {retry_after} s")
        self.retry_after = retry_after


class RateLimiter:
    def __init__(self, per_minute: int | None = None):
        self.per_minute = per_minute or int(os.environ.get("CRM_RATE_LIMIT_PER_MINUTE", "1200"))
        self._hits: dict[str, deque] = defaultdict(deque)

    def check(self, caller: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        hits = self._hits[caller]
        while hits and hits[0] <= now - WINDOW_SECONDS:
            hits.popleft()
        if len(hits) >= self.per_minute:
            raise RateLimited(max(1, math.ceil(hits[0] + WINDOW_SECONDS - now)))
        hits.append(now)
