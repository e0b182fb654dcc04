"""The detail's tab counts (GET /customers/{id}/tab-counts): what each tab's list would show, capped
at a page, in one statement; a customer out of scope is not found; one seen only in the pool has
no counts for the lists that answer only in scope."""
import pytest

from crm_common.errors import NotFound
from crm_customers.aftersales import queries as aftersales
from crm_customers.contacts import queries as contacts
from crm_customers.contacts import use_cases as contact_cases
from crm_customers.customers import queries as customer_queries
from crm_customers.pool.use_cases import ownership
from crm_customers.profile import queries


def test_each_count_is_what_its_list_holds_capped_at_the_limit(uow, rep, customer):
    for name in ("王芳", "李强", "赵敏"):
        contact_cases.create(uow(), rep, customer["id"], {"name": name})
    counts = queries.tab_counts(uow(), rep, customer["id"], {})
    listed = contacts.list_(uow(), rep, customer["id"], {"limit": 100})
    assert counts["contacts"] == {"count": len(listed["items"]), "more": False} == {"count": 3, "more": False}
    history = customer_queries.history(uow(), rep, customer["id"], {"limit": 100})
    assert counts["history"] == {"count": len(history["items"]), "more": False}
    assert counts["service_records"] == {"count": 0, "more": False}
    assert len(aftersales.list_records(uow(), rep, "expenses", customer["id"], {})["items"]) == 0
    assert queries.tab_counts(uow(), rep, customer["id"], {"limit": 2})["contacts"] == {"count": 2, "more": True}
    assert set(counts) == {"contacts", "interactions", "service_records", "care_records", "expenses",
                           "important_dates", "complaints", "relations", "history"}


def test_a_customer_out_of_scope_is_not_found_and_the_limit_is_checked(uow, rep, other_rep, customer):
    with pytest.raises(NotFound):
        queries.tab_counts(uow(), other_rep, customer["id"], {})
    with pytest.raises(NotFound):
        queries.tab_counts(uow(), rep, "not-an-id", {})
    with pytest.raises(Exception, match="limit"):
        queries.tab_counts(uow(), rep, customer["id"], {"limit": 0})


def test_a_customer_seen_only_in_the_pool_has_no_counts_of_the_scoped_lists(uow, rep, other_rep, customer):
    ownership.release(uow(), rep, customer["id"], {})
    with pytest.raises(NotFound):
        contacts.list_(uow(), other_rep, customer["id"], {})
    counts = queries.tab_counts(uow(), other_rep, customer["id"], {})
    assert counts["contacts"] is None and counts["history"] is None and counts["complaints"] is None
    assert counts["interactions"] == {"count": 0, "more": False}
