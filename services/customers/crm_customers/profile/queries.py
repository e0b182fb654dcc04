"""The customer detail view (CUS-02): one read across the areas, each giving its latest records.

Two statements whatever the detail shows: the customer in scope (`find`), then every area's list
as a correlated sub-select aggregated to JSON (crm_common.folding), each an index range scan on
(customer_id, …) that does not grow with the database. The second statement depends on nothing
but the customer's id, so it is built and compiled once per process: built per call, SQLAlchemy
spent more time constructing it and computing its cache key than PostgreSQL spent running it.
"""
from functools import cache

from sqlalchemy import bindparam, select

from crm_common.counting import CountsQuery, OwnedCounts
from crm_common.folding import json_list, rows
from crm_common.principal import Principal, in_scope
from crm_common.validation import load_query
from crm_customers.aftersales.models import RECORD_MODELS
from crm_customers.aftersales.queries import (dump_recent_records, listed_complaints, listed_records,
                                              recent_records)
from crm_customers.contacts import queries as contacts
from crm_customers.customers.models import Customer, Phone
from crm_customers.customers.queries import (NO_PHONES, READ, dump_latest_history, find, find_columns,
                                             latest_history, listed_history, reveal)
from crm_customers.interactions import queries as interactions
from crm_customers.profile.schemas import CustomerDetailOut
from crm_customers.relations import queries as relations

RECENT = 20  # of each kind of record
RECORD_KINDS = tuple(recent_records(RECENT))


@cache
def _lists(dialect) -> tuple[str, dict]:
    """(SQL, its constant parameters) of the lists of the customer `%(customer_id)s`."""
    columns = {"phones": json_list(Phone, Phone.customer_id == Customer.id, Phone.contact_id.is_(None),
                                   order_by=(Phone.position,), correlate=Customer),
               "contacts": contacts.of_customer(), "interactions": interactions.recent(RECENT),
               "relations": relations.of_customer(), "history": latest_history(RECENT),
               "interaction_count": interactions.count(), **recent_records(RECENT)}
    stmt = select(*(expr.label(name) for name, expr in columns.items())).select_from(Customer) \
        .where(Customer.id == bindparam("customer_id", type_=Customer.id.type))
    compiled = stmt.compile(dialect=dialect)
    return str(compiled), {k: v for k, v in compiled.params.items() if k != "customer_id"}


def get(uow, principal: Principal, customer_id) -> dict:
    """The customer with its sub-resources; a customer in the branch's pool is visible too."""
    principal.require(READ)
    with uow.reading():
        # the customer's columns, then the phones come folded with the lists below
        customer = find_columns(uow.session, principal, customer_id, pool=True)
        connection = uow.session.connection()
        sql, params = _lists(connection.dialect)
        row = connection.exec_driver_sql(sql, {**params, "customer_id": customer["id"]}).mappings().one()
    customer["phones"] = rows(Phone, row["phones"])  # as the entity's relationship: the same schema dumps them
    out = reveal(principal, customer, CustomerDetailOut.shared().dump(customer))
    out["contacts"] = contacts.dump_of_customer(row["contacts"])
    out["key_members"] = [c for c in out["contacts"] if c["is_key_member"]]
    out.update(dump_recent_records({kind: row[kind] for kind in RECORD_KINDS}))
    out["interactions"] = interactions.dump_recent(row["interactions"])
    out["relations"] = relations.dump_of_customer(row["relations"])
    out["history"] = dump_latest_history(row["history"])
    out["interaction_count"] = row["interaction_count"]
    return out


# The lists of the detail's tabs, each as its own list reads it (GET /customers/{id}/<list>).
TAB_COUNTS = OwnedCounts(lambda customer_id: {
    "contacts": contacts.listed(customer_id), "interactions": interactions.listed(customer_id),
    **{kind: listed_records(kind, customer_id) for kind in RECORD_MODELS},
    "complaints": listed_complaints(customer_id), "relations": relations.listed(customer_id),
    "history": listed_history(customer_id)}, Customer.id.type)
# lists that answer only for a customer in the caller's scope, not for one merely in the pool
SCOPED_TABS = ("contacts", "complaints", "history")


def tab_counts(uow, principal: Principal, customer_id, query) -> dict:
    """How many records each tab of the customer's detail holds, up to `limit`: one statement after
    the scope check (null for a list the caller cannot open)."""
    principal.require(READ)
    q = load_query(CountsQuery(), query)
    with uow.reading():
        customer = find(uow.session, principal, customer_id, pool=True, options=NO_PHONES)
        counts = TAB_COUNTS.run(uow.session, customer.id, q["limit"])
        if customer.in_pool and not in_scope(principal, customer.owner_id, customer.department_path,
                                             customer.branch, READ):
            counts.update(dict.fromkeys(SCOPED_TABS))
    return counts
