"""Events the customers service emits (CUS-07, CUS-08, CUS-11)."""
from marshmallow import fields, validate

from crm_common.events.fields import Currency, EventData, Id, Money, OwnedEventData
from crm_common.team_rules import ACCESS

# handed_over: part of a departing user's hand-over (customers.handover_started tells the rest)
OwnerChangeReasons = ("assigned", "transferred", "claimed", "released", "recycled", "restored", "handed_over")


class OwnerChanged(OwnedEventData):
    """owner_id/department_path are the new ones; a customer in the pool has the system owner."""
    customer_id = Id()
    customer_name = fields.String(required=True)
    previous_owner_id = Id()
    reason = fields.String(required=True, validate=validate.OneOf(OwnerChangeReasons))
    in_pool = fields.Boolean(required=True)
    changed_by = Id()
    # a transfer's two options (issue 17; absent from older messages): the previous owner stays
    # a team member with this access, and sales moves the previous owner's opportunities and
    # contracts of the customer along (contacts have no owner: they always follow the customer)
    previous_owner_access = fields.String(allow_none=True, load_default=None, validate=validate.OneOf(ACCESS))
    carry_related = fields.Boolean(load_default=False)


class RecycleWarning(OwnedEventData):
    """Sent once per due date to the owner: the customer returns to the pool on recycle_at, in
    `days_left` of the branch's days as the job saw it (absent from older messages)."""
    customer_id = Id()
    customer_name = fields.String(required=True)
    recycle_at = fields.AwareDateTime(required=True)
    days_left = fields.Integer(allow_none=True, load_default=None)


class ExtensionRequested(OwnedEventData):
    """For sales: open the request's approval (document type pool_extension). The level and
    reason came later; older messages without them still load."""
    request_id = Id()
    customer_id = Id()
    customer_name = fields.String(required=True)
    customer_level = fields.String(allow_none=True, load_default=None)
    days = fields.Integer(required=True)
    reason = fields.String(allow_none=True, load_default=None)
    requested_by = Id()


class ExtensionDecided(OwnedEventData):
    """Who asked is told (`requested_by`); messages from before it was added still load."""
    request_id = Id()
    customer_id = Id()
    approved = fields.Boolean(required=True)
    decided_by = Id()
    protected_until = fields.AwareDateTime(allow_none=True, required=True)
    customer_name = fields.String(allow_none=True, load_default=None)
    requested_by = fields.String(allow_none=True, load_default=None, validate=validate.Length(equal=36))
    days = fields.Integer(allow_none=True, load_default=None)


class ComplaintAssigned(OwnedEventData):
    """A complaint got its handler (the customer's scope travels, the handler is told)."""
    complaint_id = Id()
    number = fields.String(required=True)
    customer_id = Id()
    customer_name = fields.String(required=True)
    subject = fields.String(required=True)
    handler_id = Id()
    assigned_by = Id()


class HandOverStarted(OwnedEventData):
    """A departing user's records go to another user (the scope is the receiver's): each service
    moves what `from_user_id` owns and answers with `<service>.handover_done`."""
    handover_id = Id()
    from_user_id = Id()
    requested_by = Id()


class DepartmentMoved(EventData):
    """A department moved in the tree (the gateway's 系统管理): every path starting with
    `from_path` now starts with `to_path`. The customers service rewrote its own before emitting;
    each other service rewrites its own (crm_common.department_moves)."""
    department_id = Id()
    parent_id = Id()
    from_path = fields.String(required=True, validate=validate.Regexp(r"^/.+/$"))
    to_path = fields.String(required=True, validate=validate.Regexp(r"^/.+/$"))
    branch = fields.String(required=True)
    moved_by = Id()


class CustomerMerged(OwnedEventData):
    """Other services re-point references from source_id to target_id."""
    source_id = Id()
    target_id = Id()
    merged_by = Id()


class ExpenseRecorded(OwnedEventData):
    """For sales: a customer expense (客户费用) whose reimbursement waits for approval."""
    expense_id = Id()
    customer_id = Id()
    category = fields.String(required=True)
    amount = Money()
    currency = Currency()
    spent_on = fields.Date(required=True)
    recorded_by = Id()


class ExpenseApproved(ExpenseRecorded):
    """For finance: the reimbursement was approved; pay `recorded_by`, who spent the money."""
    approved_by = Id()


class ImportantDateUpcoming(OwnedEventData):
    """For workspace: create a reminder for the customer's owner."""
    customer_id = Id()
    customer_name = fields.String(required=True)
    contact_id = fields.String(required=True, allow_none=True)
    kind = fields.String(required=True, validate=validate.OneOf(("birthday", "important_date")))
    label = fields.String(required=True)
    occurs_on = fields.Date(required=True)


class InteractionRecorded(OwnedEventData):
    """A follow-up (跟进记录) was written: the scope is its author's, who did the follow-up."""
    interaction_id = Id()
    customer_id = Id()
    kind = fields.String(required=True)
    occurred_at = fields.AwareDateTime(required=True)


class LeadCreated(OwnedEventData):
    customer_id = Id()
    created_at = fields.AwareDateTime(required=True)


class LeadConverted(OwnedEventData):
    """A lead became a customer (线索转化); `created_at` is the lead's."""
    customer_id = Id()
    created_at = fields.AwareDateTime(required=True)
    converted_at = fields.AwareDateTime(required=True)


EVENTS = {
    ("customers.owner_changed", 1): OwnerChanged,
    ("customers.recycle_warning", 1): RecycleWarning,
    ("customers.extension_requested", 1): ExtensionRequested,
    ("customers.extension_decided", 1): ExtensionDecided,
    ("customers.customer_merged", 1): CustomerMerged,
    ("customers.expense_recorded", 1): ExpenseRecorded,
    ("customers.expense_approved", 1): ExpenseApproved,
    ("customers.important_date_upcoming", 1): ImportantDateUpcoming,
    ("customers.complaint_assigned", 1): ComplaintAssigned,
    ("customers.handover_started", 1): HandOverStarted,
    ("customers.interaction_recorded", 1): InteractionRecorded,
    ("customers.lead_created", 1): LeadCreated,
    ("customers.lead_converted", 1): LeadConverted,
    ("customers.department_moved", 1): DepartmentMoved,
}
