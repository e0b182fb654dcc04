"""What a departing user hands over in sales (crm_common.handovers): open opportunities and
quotes, orders in progress, contracts not yet ended, and the pending approvals of those, so
relative approvers ("the owner's manager") follow the new owner."""
from crm_sales.approvals.models import ApprovalInstance
from crm_sales.contracts.models import Contract
from crm_sales.contracts.rules import IN_FORCE_OR_PENDING
from crm_sales.orders.models import Order
from crm_sales.orders.rules import IN_PROGRESS
from crm_sales.pipeline.models import Opportunity
from crm_sales.quotes.models import Quote


def handed_over(now) -> dict:
    return {
        "opportunities": (Opportunity, [Opportunity.status == "open"]),
        "quotes": (Quote, [Quote.status == "open"]),
        "orders": (Order, [Order.status.in_(IN_PROGRESS)]),
        "contracts": (Contract, [Contract.status.in_(IN_FORCE_OR_PENDING)]),
        "approvals": (ApprovalInstance, [ApprovalInstance.status == "pending"]),
    }
