"""Pure rules of document sharing: what a share request adds."""
import uuid

from crm_workspace.documents.rules import shares_to_add

USER = uuid.UUID("11111111-1111-1111-1111-111111111111")


def test_repeated_and_existing_shares_add_nothing_in_the_order_asked():
    existing = [(str(USER), None)]
    assert shares_to_add(existing, [USER, USER], ["/hq/b/", "/hq/a/", "/hq/b/"]) == [(None, "/hq/b/"),
                                                                                      (None, "/hq/a/")]
    assert shares_to_add(existing + [(None, "/hq/a/")], [USER], ["/hq/a/"]) == []


def test_nothing_asked_adds_nothing():
    assert shares_to_add([], [], []) == []
