from marshmallow import fields, validate

from crm_common.pagination import ListQuery
from crm_customers.interactions.schemas import InteractionOut


class RecycleDueQuery(ListQuery):
    # today and the next N calendar days (branch time zone); 0 = due by the end of today
    within_days = fields.Integer(load_default=7, validate=validate.Range(0, 365))
    owner_id = fields.UUID()


class FollowUpQuery(ListQuery):
    due_by = fields.Date()  # default: today in the branch's time zone
    owner_id = fields.UUID()


class FollowUpOut(InteractionOut):
    """The latest interaction of a customer, whose next follow-up is due."""
    customer_name = fields.String()
