"""How fast a guessing pair is slowed (pure logic); who the client is behind a proxy is test_proxies.py."""
from crm_gateway import settings
from crm_gateway.identity.throttle import delay_seconds


def test_the_delay_doubles_per_failure_of_a_pair_and_is_capped():
    free = settings.LOGIN_FREE_FAILURES
    base = settings.LOGIN_BASE_DELAY_SECONDS
    assert [delay_seconds(n) for n in (0, free - 1, free, free + 1, free + 2)] == [0, 0, base, 2 * base, 4 * base]
    assert delay_seconds(free + 40) == settings.LOGIN_MAX_DELAY_SECONDS
