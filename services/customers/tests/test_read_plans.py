"""The plans of the customers service's list and detail reads (issue 15): each reads a few pages'
worth of rows, however big the tables. 15,000 customers (1,000 of them the rep's) with a
history row and a contact each give the planner real statistics; sequential scans are priced
out (`enable_seqscan = off`) as they are on a big table, and every statement a read sends is run
with EXPLAIN ANALYZE: a scan of a big table that examines more than ROWS_READ rows (a
sequential scan, the history's walk backwards over its primary key, a rep's 1,000 customers
sorted to show 50) grows with the database, and the test fails."""
import json

import pytest
from sqlalchemy import event, text

from crm_customers.contacts import queries as contacts
from crm_customers.customers import queries
from crm_customers.interactions import queries as interactions
from crm_customers.profile import queries as profile

BIG = {"customers", "customer_history", "contacts", "interactions", "service_records", "care_records",
       "customer_expenses", "important_dates", "customer_relations"}
ROWS, OWNERS = 15_000, 15
ROWS_READ = 500  # a page is 50; a rep has 1,000 customers here


@pytest.fixture
def loaded(uow, rep):
    """ROWS customers of OWNERS owners (every OWNERS-th the rep's) with one history row and one
    contact each, analysed; returns one of the rep's customers."""
    with uow() as unit:
        s = unit.session
        s.execute(text("""
            INSERT INTO customers (id, code, kind, name, status, tags, custom, name_key, in_pool, last_activity_at,
                                   owner_id, department_path, branch, created_at, updated_at)
            SELECT gen_random_uuid(), 'P-' || g, 'company',
                   '城市' || chr(19968 + g % 3000) || chr(19968 + (g * 7) % 3000) || '有限公司', 'customer', '{}',
                   '{}', '', false, now(),
                   CASE WHEN g % :owners = 0 THEN CAST(:rep AS uuid) ELSE gen_random_uuid() END,
                   '/d1/', 'HQ', now() - g * interval '1 minute', now()
              FROM generate_series(1, :rows) g"""), {"rows": ROWS, "owners": OWNERS, "rep": rep.user_id})
        s.execute(text("""INSERT INTO customer_history (customer_id, kind, data, created_at)
                          SELECT id, 'imported', '{}', created_at FROM customers"""))
        s.execute(text("""INSERT INTO contacts (id, customer_id, name, is_key_member, custom, created_at, updated_at)
                          SELECT gen_random_uuid(), id, '联系人', false, '{}', now(), now() FROM customers"""))
        for table in ("customers", "customer_history", "contacts"):
            s.execute(text(f"ANALYZE {table}"))
        return s.execute(text("SELECT id FROM customers WHERE owner_id = :rep LIMIT 1"),
                         {"rep": rep.user_id}).scalar_one()


@pytest.fixture
def plans_of(uow, service_db):
    """Runs a read and returns the JSON plans of the SELECTs it sent, with their SQL."""
    def run(read):
        sent = []

        def capture(conn, cursor, statement, parameters, context, executemany):
            if statement.lstrip().upper().startswith("SELECT"):
                sent.append((statement, parameters))
        event.listen(service_db, "before_cursor_execute", capture)
        try:
            read()
        finally:
            event.remove(service_db, "before_cursor_execute", capture)
        assert sent, "the read sent no SELECT"
        with uow() as unit:
            connection = unit.session.connection()
            connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
            return [(statement, connection.exec_driver_sql(f"EXPLAIN (ANALYZE, FORMAT JSON) {statement}",
                                                           parameters).scalar()[0]["Plan"])
                    for statement, parameters in sent]
    return run


def _nodes(plan):
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


def whole_reads(plan) -> list[str]:
    """Scans of big tables that examined more than ROWS_READ rows (over all their loops)."""
    bad = []
    for node in _nodes(plan):
        if node.get("Relation Name") not in BIG:
            continue
        examined = node["Actual Loops"] * (node["Actual Rows"] + node.get("Rows Removed by Filter", 0)
                                           + node.get("Rows Removed by Index Recheck", 0))
        if examined > ROWS_READ:
            bad.append(f"{node['Node Type']} on {node['Relation Name']} "
                       f"({node.get('Index Name', 'no index')}): {examined:.0f} rows")
    return bad


def assert_indexed(plans):
    for statement, plan in plans:
        assert not whole_reads(plan), f"{whole_reads(plan)} in\n{statement}\n{json.dumps(plan, indent=1)[:3000]}"


def test_the_detail_and_a_customer_s_lists_read_only_that_customer_s_rows(uow, rep, loaded, plans_of):
    detail = plans_of(lambda: profile.get(uow(), rep, str(loaded)))
    assert len(detail) == 2  # the record, then every list in one statement
    assert_indexed(detail)
    for read in (lambda: queries.history(uow(), rep, str(loaded), {}),
                 lambda: contacts.list_(uow(), rep, str(loaded), {}),
                 lambda: interactions.list_(uow(), rep, str(loaded), {})):
        assert_indexed(plans_of(read))


def test_first_pages_and_name_search_are_index_ranges(uow, rep, admin, loaded, plans_of):
    for query in ({}, {"sort": "name"}, {"sort": "-created_at", "limit": 200}):  # my customers
        assert_indexed(plans_of(lambda query=query: queries.list_(uow(), rep, query)))
    # names containing a fragment, for someone who sees everything: a fragment in every name
    # (walk the newest first), in none (the pairs index says so at once)
    for fragment in ("城市", "有限公司", "丁七"):
        plans = plans_of(lambda fragment=fragment: queries.list_(uow(), admin, {"name": fragment}))
        assert_indexed(plans)
    assert any(n.get("Index Name") == "ix_customers_name_bigrams" for _, plan in plans for n in _nodes(plan))


def test_the_tab_counts_are_one_statement_after_the_record_and_read_a_page_at_most(uow, rep, loaded, plans_of):
    counts = plans_of(lambda: profile.tab_counts(uow(), rep, str(loaded), {}))
    assert len(counts) == 2  # the record in scope, then every tab's count
    assert_indexed(counts)


def test_a_team_membership_keeps_my_customers_an_index_range(uow, rep, loaded, plans_of):
    """Issue 17: the scope OR a membership would read and sort all of a rep's customers; the list
    pages the two halves apart, each an index range, and the detail stays two statements."""
    with uow() as unit:
        member_of = unit.session.execute(text("""
            INSERT INTO team_members (kind, record_id, user_id, access, added_by)
            SELECT 'customer', id, CAST(:rep AS uuid), 'read_only', CAST(:rep AS uuid)
              FROM customers WHERE owner_id <> :rep ORDER BY created_at LIMIT 40
            RETURNING record_id"""), {"rep": rep.user_id}).scalars().all()
        unit.session.execute(text("ANALYZE team_members"))
    for query in ({}, {"sort": "name"}, {"sort": "-created_at", "limit": 200}):
        assert_indexed(plans_of(lambda query=query: queries.list_(uow(), rep, query)))
    listed = queries.list_(uow(), rep, {"sort": "created_at", "limit": 200})["items"]
    assert {str(i) for i in member_of} <= {c["id"] for c in listed}  # the oldest: members first, ascending
    detail = plans_of(lambda: profile.get(uow(), rep, str(member_of[0])))
    assert len(detail) == 2
    assert_indexed(detail)


def test_an_export_page_walks_the_scope_and_the_memberships_apart_too(uow, rep, loaded, plans_of, monkeypatch):
    """The export's pages are the list's halves (exports.page(..., either=)): a page after the
    first is two index ranges, not the rep's every customer sorted (the first page also counts)."""
    from dataclasses import replace
    from crm_common import exports as pages
    from crm_customers.exchange import queries as exchange
    exporter = replace(rep, permissions=rep.permissions | {"customers.export"})
    with uow() as unit:
        unit.session.execute(text("""
            INSERT INTO team_members (kind, record_id, user_id, access, added_by)
            SELECT 'customer', id, CAST(:rep AS uuid), 'read_only', CAST(:rep AS uuid)
              FROM customers WHERE owner_id <> :rep ORDER BY created_at LIMIT 40"""), {"rep": rep.user_id})
        unit.session.execute(text("ANALYZE team_members"))
    monkeypatch.setattr(pages, "EXPORT_PAGE_ROWS", 50)
    first = exchange.export_customers(uow(), exporter, {}, None)
    assert first["total"] == ROWS // OWNERS + 40 and len(first["rows"]) == 50
    assert_indexed(plans_of(lambda: exchange.export_customers(uow(), exporter, {}, first["next_cursor"])))
