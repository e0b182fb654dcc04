import pytest

from crm_gateway.rate_limit import RateLimited, RateLimiter


def test_allows_up_to_the_limit_then_says_when_to_retry():
    limiter = RateLimiter(per_minute=3)
    for second in (0.0, 1.0, 2.0):
        limiter.check("u1", now=second)
    with pytest.raises(RateLimited) as refused:
        limiter.check("u1", now=10.0)
    assert refused.value.retry_after == 50  # the first hit leaves the window at 60 s


def test_window_slides_and_callers_are_independent():
    limiter = RateLimiter(per_minute=2)
    limiter.check("u1", now=0.0)
    limiter.check("u1", now=30.0)
    limiter.check("u2", now=30.0)
    limiter.check("u1", now=60.5)  # the hit at 0 s has left the window
    with pytest.raises(RateLimited):
        limiter.check("u1", now=61.0)
