"""The revocation list is reloaded by one request at a time (identity.revocation): the requests
that find it stale meanwhile wait for that reload instead of each running its own, and a reload
that began before an invalidation (a revocation made through this gateway) does not count.

The database is stood in for by a recorder of the reloads (pure logic: who reloads, and when);
the queries themselves run in every e2e test that signs in."""
import eventlet
from eventlet.event import Event

from crm_gateway.identity.revocation import RevocationList


class _Rows:
    def __init__(self, rows):
        self._rows = rows

    def all(self):
        return self._rows

    def scalars(self):
        return iter(self._rows)


class _Database:
    """Each reload is two statements; each statement waits for `release` when it is set, so that
    other green threads run while a reload is under way."""

    def __init__(self):
        self.statements, self.release = 0, None

    def __call__(self):
        return self

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def execute(self, statement):
        self.statements += 1
        if self.release is not None:
            self.release.wait()
        return _Rows([])


def test_requests_that_find_the_list_stale_together_share_one_reload():
    database = _Database()
    revocations = RevocationList(database)
    database.release = Event()
    waiting = [eventlet.spawn(revocations.is_revoked, "user", 0, "family") for _ in range(16)]
    eventlet.sleep(0)  # every request is now in is_revoked: one reloading, the others waiting for it
    database.release.send()
    assert [request.wait() for request in waiting] == [False] * 16
    assert database.statements == 2


def test_a_reload_begun_before_an_invalidation_does_not_count():
    database = _Database()
    revocations = RevocationList(database)
    database.release = Event()
    first = eventlet.spawn(revocations.is_revoked, "user", 0, "family")
    eventlet.sleep(0)  # its reload has read nothing yet
    revocations.invalidate()  # a revocation committed meanwhile
    database.release.send()
    first.wait()
    database.release = None
    revocations.is_revoked("user", 0, "family")
    assert database.statements == 4
    revocations.is_revoked("user", 0, "family")
    assert database.statements == 4  # fresh now: no third reload within the second
