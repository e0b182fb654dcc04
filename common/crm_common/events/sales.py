"""Events the sales service emits."""
from marshmallow import fields, validate

from crm_common.events.fields import (Currency, EventData, HandOverDone, Id, Money, OwnedEventData, Quantity,
                                      payment_plan)


class OrderLine(EventData):
    line_id = Id()
    product_id = Id()
    product_name = fields.String(required=True)
    quantity = Quantity()
    unit_price = Money()
    amount = Money()


class OrderSubmitted(OwnedEventData):
    order_id = Id()
    number = fields.String(required=True)
    customer_id = Id()
    total = Money()
    currency = Currency()


class OrderApproved(OrderSubmitted):
    payment_terms_days = fields.Integer(required=True)
    approved_by = Id()
    lines = fields.List(fields.Nested(OrderLine), required=True)
    payment_plan = payment_plan()
    # for the report pack (issue 17): when it was approved and whether it is a sale or a sample;
    # messages from before they were added still load (then: the envelope's instant, a sale)
    approved_at = fields.AwareDateTime(allow_none=True, load_default=None)
    order_type = fields.String(allow_none=True, load_default=None)


class OrderEnded(OrderSubmitted):
    """An approved order was completed (`sales.order_completed`) or closed (`sales.order_closed`):
    it no longer counts as open. Its receivables live on in finance."""


class OrderEndedV2(OrderEnded):
    """v2: the order ends what follows it (docs/sales.md, "Ending an order"): logistics releases
    what was not shipped, finance cuts the receivable to what was. `reason` is shown on both."""
    reason = fields.String(required=True, validate=validate.Length(min=1, max=200))


class OrderCancelled(OrderSubmitted):
    """An order was cancelled before approval (draft, submitted or rejected): finance makes what
    was paid in advance against it refundable."""


class ApprovalRequested(OwnedEventData):
    """A document entered an approval step. Who is told: `recipient_user_id` if set, otherwise
    every holder of `audience_permission` whose data scope covers owner/department_path/branch
    (department_path is the step's target department, e.g. the submitter's department)."""
    approval_id = Id()
    document_type = fields.String(required=True)
    document_id = Id()
    document_number = fields.String(required=True)
    step_index = fields.Integer(required=True)
    step_name = fields.String(required=True)
    amount = Money()
    currency = Currency()
    audience_permission = fields.String(required=True, allow_none=True)
    recipient_user_id = fields.String(required=True, allow_none=True)


class ApprovalDecided(OwnedEventData):
    """An approval ended (any document type). Customers applies `pool_extension` decisions; the
    scope is the document's. `decided_by` is the system user when no step of the flow applied."""
    approval_id = Id()
    document_type = fields.String(required=True)
    document_id = Id()
    document_number = fields.String(required=True)
    outcome = fields.String(required=True, validate=validate.OneOf(("approved", "rejected")))
    comment = fields.String(required=True, allow_none=True)
    decided_by = Id()


class ApprovalWithdrawn(OwnedEventData):
    """A pending approval ended without a decision: its document was withdrawn or cancelled."""
    approval_id = Id()
    document_type = fields.String(required=True)
    document_id = Id()
    document_number = fields.String(required=True)
    withdrawn_by = Id()


class ApprovalFlowChanged(EventData):
    """A flow was configured, changed or retired (`configured` false): finance holds its documents
    of that type for approval only while one is configured. Unscoped: flows are configuration."""
    flow_id = Id()
    document_type = fields.String(required=True)
    version = fields.Integer(required=True)
    configured = fields.Boolean(required=True)


class ReturnLine(EventData):
    order_line_id = Id()
    product_id = Id()
    quantity = Quantity()
    unit_price = Money()
    amount = Money()


class ReturnApproved(OwnedEventData):
    """Logistics receives the goods back, finance refunds `total`."""
    return_id = Id()
    number = fields.String(required=True)
    order_id = Id()
    customer_id = Id()
    lines = fields.List(fields.Nested(ReturnLine), required=True)
    total = Money()
    currency = Currency()


class ContractExpiring(OwnedEventData):
    contract_id = Id()
    number = fields.String(required=True)
    title = fields.String(required=True)
    customer_id = Id()
    end_date = fields.Date(required=True)
    days_left = fields.Integer(required=True)


class OpportunityFacts(EventData):
    """What the reports count of an opportunity at one moment (before or after a change)."""
    stage_id = Id()
    status = fields.String(required=True, validate=validate.OneOf(("open", "won", "lost")))
    expected_amount = Money()
    currency = Currency()
    probability = fields.Decimal(as_string=True, required=True)
    owner_id = Id()
    department_path = fields.String(required=True)
    branch = fields.String(required=True)


class OpportunityChanged(OwnedEventData):
    """An opportunity was created (`before` null), edited, moved, won or lost, or changed hands:
    the facts before and after, so the reports' read models take back the one and add the other
    (docs/reports.md), and the customers' pools their facts (a creation opens, leaving `open`
    closes: CUS-15). The scope is the opportunity's after the change."""
    opportunity_id = Id()
    customer_id = fields.String(allow_none=True, load_default=None, validate=validate.Length(equal=36))  # none: older messages
    created_at = fields.AwareDateTime(required=True)
    changed_at = fields.AwareDateTime(required=True)
    before = fields.Nested(OpportunityFacts, required=True, allow_none=True)
    after = fields.Nested(OpportunityFacts, required=True)


class ContractSigned(OwnedEventData):
    """A contract's approval made it active (签约): it counts as signed on that day."""
    contract_id = Id()
    number = fields.String(required=True)
    customer_id = Id()
    amount = Money()
    currency = Currency()
    signed_at = fields.AwareDateTime(required=True)


EVENTS = {
    ("sales.order_submitted", 1): OrderSubmitted,
    ("sales.order_approved", 1): OrderApproved,
    ("sales.order_cancelled", 1): OrderCancelled,
    ("sales.order_completed", 1): OrderEnded,
    ("sales.order_closed", 1): OrderEnded,
    ("sales.order_completed", 2): OrderEndedV2,
    ("sales.order_closed", 2): OrderEndedV2,
    ("sales.approval_requested", 1): ApprovalRequested,
    ("sales.approval_decided", 1): ApprovalDecided,
    ("sales.return_approved", 1): ReturnApproved,
    ("sales.contract_expiring", 1): ContractExpiring,
    ("sales.approval_withdrawn", 1): ApprovalWithdrawn,
    ("sales.handover_done", 1): HandOverDone,
    ("sales.opportunity_changed", 1): OpportunityChanged,
    ("sales.contract_signed", 1): ContractSigned,
    ("sales.approval_flow_changed", 1): ApprovalFlowChanged,
}

