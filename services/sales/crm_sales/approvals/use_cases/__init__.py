"""Use cases of the approval engine (SAL-07): the engine every document's use cases call
(`engine`: submit, decide, withdraw, preview), its configuration by admins and the gateway
(`flows`: flows, people), and the decisions on other services' documents (`foreign`)."""
from crm_sales.approvals.use_cases.engine import FACTS, decide, preview, start, withdraw, withdraw_by_submitter
from crm_sales.approvals.use_cases.flows import create_flow, retire_flow, sync_people, update_flow
from crm_sales.approvals.use_cases.foreign import (approve_expense, approve_extension, decide_approval, reject_expense,
                                                   reject_extension, withdraw_approval)

__all__ = ["FACTS", "decide", "preview", "start", "withdraw", "withdraw_by_submitter",
           "create_flow", "retire_flow", "sync_people", "update_flow",
           "approve_expense", "approve_extension", "decide_approval", "reject_expense", "reject_extension",
           "withdraw_approval"]
