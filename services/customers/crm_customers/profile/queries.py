"""The customer detail view (CUS-02): one read across the areas, each giving its latest records."""
from crm_common.principal import Principal
from crm_customers.aftersales.queries import recent_records
from crm_customers.contacts.queries import of_customer as contacts_of
from crm_customers.customers.queries import READ, find, latest_history, reveal
from crm_customers.interactions.queries import count as count_interactions, recent as recent_interactions
from crm_customers.profile.schemas import CustomerDetailOut
from crm_customers.relations.queries import of_customer as relations_of

RECENT = 20  # of each kind of record


def get(uow, principal: Principal, customer_id) -> dict:
    """The customer with its sub-resources; a customer in the branch's pool is visible too."""
    principal.require(READ)
    with uow:
        s = uow.session
        customer = find(s, principal, customer_id, pool=True)
        out = reveal(principal, customer, CustomerDetailOut().dump(customer))
        out["contacts"] = contacts_of(s, customer.id)
        out["key_members"] = [c for c in out["contacts"] if c["is_key_member"]]
        out.update(recent_records(s, customer.id, RECENT))
        out["interactions"] = recent_interactions(s, customer.id, RECENT)
        out["relations"] = relations_of(s, customer.id)
        out["history"] = latest_history(s, customer.id, RECENT)
        out["interaction_count"] = count_interactions(s, customer.id)
        return out
