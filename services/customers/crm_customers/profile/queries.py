"""The customer detail view (CUS-02): one read across the areas, each giving its latest records.

One statement: the customer row with every area's list as a correlated sub-select aggregated
to JSON (crm_common.folding), so the detail costs one round trip whatever it shows, and each
sub-select is an index range scan on (customer_id, …) that does not grow with the database.
"""
from sqlalchemy import select

from crm_common.errors import NotFound
from crm_common.principal import Principal
from crm_customers.aftersales.queries import dump_recent_records, recent_records
from crm_customers.contacts import queries as contacts
from crm_customers.customers.models import Customer
from crm_customers.customers.queries import READ, dump_latest_history, findable, latest_history
from crm_customers.interactions import queries as interactions
from crm_customers.profile.schemas import CustomerDetailOut
from crm_customers.relations import queries as relations

RECENT = 20  # of each kind of record


def get(uow, principal: Principal, customer_id) -> dict:
    """The customer with its sub-resources; a customer in the branch's pool is visible too."""
    principal.require(READ)
    records = recent_records(RECENT)
    columns = {"contacts": contacts.of_customer(), "interactions": interactions.recent(RECENT),
               "relations": relations.of_customer(), "history": latest_history(RECENT),
               "interaction_count": interactions.count(), **records}
    stmt = select(Customer, *(expr.label(name) for name, expr in columns.items())) \
        .where(*findable(principal, customer_id, READ, pool=True))
    with uow.reading():
        row = uow.session.execute(stmt).first()
        if row is None:
            raise NotFound("Customer not found")
        out = CustomerDetailOut().dump(row.Customer)
    out["contacts"] = contacts.dump_of_customer(row.contacts)
    out["key_members"] = [c for c in out["contacts"] if c["is_key_member"]]
    out.update(dump_recent_records({kind: getattr(row, kind) for kind in records}))
    out["interactions"] = interactions.dump_recent(row.interactions)
    out["relations"] = relations.dump_of_customer(row.relations)
    out["history"] = dump_latest_history(row.history)
    out["interaction_count"] = row.interaction_count
    return out
