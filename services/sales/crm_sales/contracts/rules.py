"""Contract rules free of framework code: the life cycles of a contract and of its change orders,
and the commission split as stored."""
from crm_common.money import CENT
from crm_common.statemachine import StateMachine

LIFECYCLE = StateMachine("contract", {
    "submit": ({"draft", "rejected"}, "submitted"),
    "approve": ({"submitted"}, "active"),
    "reject": ({"submitted"}, "rejected"),
    "withdraw": ({"submitted"}, "draft"),  # 撤回 by the submitter while it waits
    "terminate": ({"active"}, "terminated"),
    "close": ({"active", "terminated"}, "closed"),
})
EDITABLE = {"draft", "rejected"}  # later changes go through a change order
RENEWABLE = {"active", "closed"}
# what a departing owner hands over: contracts still to sign or still running
IN_FORCE_OR_PENDING = ("draft", "submitted", "rejected", "active")

# A change order or termination waits for its own approval, then applies or never does.
CHANGE_LIFECYCLE = StateMachine("contract change", {
    "approve": ({"pending"}, "applied"),
    "reject": ({"pending"}, "rejected"),
})
# change kind -> the approval's document type
DOCUMENT_TYPES = {"change": "contract_change", "terminate": "contract_termination"}


def commission_split(shares) -> list:
    """As stored (JSON): ids and percents as strings, percents to two places."""
    return [{"user_id": str(s["user_id"]), "percent": str(s["percent"].quantize(CENT))} for s in shares]
