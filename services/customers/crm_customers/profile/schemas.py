from marshmallow import fields

from crm_common.counting import counts_out

from crm_customers.aftersales.schemas import CareRecordOut, ExpenseOut, ImportantDateOut, ServiceRecordOut
from crm_customers.contacts.schemas import ContactOut
from crm_customers.customers.schemas import CustomerOut, HistoryOut
from crm_customers.interactions.schemas import InteractionOut
from crm_customers.relations.schemas import RelationOut


class CustomerDetailOut(CustomerOut):
    """The customer with the latest of everything hanging off it (CUS-02 detail view)."""
    contacts = fields.List(fields.Nested(ContactOut))
    key_members = fields.List(fields.Nested(ContactOut))
    interactions = fields.List(fields.Nested(InteractionOut))
    service_records = fields.List(fields.Nested(ServiceRecordOut))
    care_records = fields.List(fields.Nested(CareRecordOut))
    expenses = fields.List(fields.Nested(ExpenseOut))
    important_dates = fields.List(fields.Nested(ImportantDateOut))
    relations = fields.List(fields.Nested(RelationOut))
    history = fields.List(fields.Nested(HistoryOut))
    interaction_count = fields.Integer()


# null: a list the caller cannot open (a customer seen only in the pool has no contacts tab for them)
CustomerTabCountsOut = counts_out(("contacts", "interactions", "service_records", "care_records", "expenses",
                                   "important_dates", "complaints", "relations", "history"), "CustomerTabCountsOut")
