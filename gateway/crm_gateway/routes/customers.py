"""Customers service routes (CUS-*).

Routes that name a user (assign, transfer, complaint handler) are answered here first: the
gateway owns users, so it resolves the id to the user's department and branch and passes that
on; the service then checks it lies inside the caller's data scope.
"""
from crm_common.api_contract import Contract
from crm_common.counting import CountsQuery
from crm_common.exports import MEDIA_TYPES
from crm_common.validation import load_body
from crm_gateway.api_schemas import AssignIn, PoolPeopleIn, TransferAllIn
from crm_gateway import tab_counts
from crm_gateway.files import imports
from crm_gateway.routes.base import Route, action, crud, resolved_user, team_routes

RECORD_KINDS = ("service-records", "care-records", "expenses", "important-dates")


def _assign(c):
    body = load_body(AssignIn(), c.body())
    owner = resolved_user(c, body["owner_id"], "owner_id")
    return c.call("customers", "assign_customer", [c.params["id"], {"owner": owner, **_options(body)}])


def _transfer_all(c):
    body = load_body(TransferAllIn(), c.body())
    return c.call("customers", "transfer_all_customers", [{
        "from": resolved_user(c, body["from_user_id"], "from_user_id"),
        "to": resolved_user(c, body["to_user_id"], "to_user_id"), **_options(body)}])


def _options(body: dict) -> dict:
    return {"keep_previous_owner": body["keep_previous_owner"], "carry_related": body["carry_related"]}


def _pool_people(c):
    body = load_body(PoolPeopleIn(), c.body())
    return c.call("customers", "set_pool_people", [c.params["id"], {
        role: [resolved_user(c, user_id, f"{role}.{index}") for index, user_id in enumerate(body[role])]
        for role in ("members", "admins")}])


def _complaint_action(c):
    handler_id = c.body().get("handler_id")
    handler = resolved_user(c, handler_id, "handler_id") if handler_id is not None else None
    return c.call("customers", "complaint_action", [c.params["id"], c.body(), handler])


def _records(kind: str):
    rpc_kind = kind.replace("-", "_")
    return [
        Route("GET", f"/customers/<id>/{kind}", "customers.read",
              local=lambda c: c.call("customers", "list_records", [rpc_kind, c.params["id"], c.query()]),
              contract=f"customers.list_records:{rpc_kind}"),
        Route("POST", f"/customers/<id>/{kind}", "customers.write", 201,
              local=lambda c: c.call("customers", "create_record", [rpc_kind, c.params["id"], c.body()]),
              contract=f"customers.create_record:{rpc_kind}"),
    ]


def _sub(name: str, rpc_noun: str, *, write_status=201):
    return [Route("GET", f"/customers/<id>/{name}", "customers.read", rpc=f"customers.list_{rpc_noun}s", takes="query"),
            Route("POST", f"/customers/<id>/{name}", "customers.write", write_status,
                  f"customers.create_{rpc_noun}", "body")]


ROUTES = [
    # fixed paths before <id> ones read better; werkzeug prefers static segments anyway
    Route("GET", "/customers/statistics", "customers.read", rpc="customers.customer_statistics", takes="query",
          report=True),
    Route("GET", "/customers/recycle-bin", "customers.delete", rpc="customers.list_deleted_customers",
          takes="query"),
    Route("POST", "/customers/transfer-all", "customers.assign", local=_transfer_all,
          contract=Contract(body=TransferAllIn, returns="customers.transfer_all_customers")),
    # the 工作台 (issue 12): who falls back to the pool soon, which follow-ups are due
    Route("GET", "/customers/recycle-due", "customers.read", rpc="customers.list_recycle_due", takes="query",
          default_sort="recycle_due_at"),
    Route("GET", "/follow-ups", "customers.read", rpc="customers.list_follow_ups", takes="query",
          default_sort="next_followup_on"),
    Route("GET", "/customer-fields", "customers.read", rpc="customers.list_field_definitions", takes="query",
          default_sort="key"),
    Route("POST", "/customer-fields", "customers.admin", 201, "customers.create_field_definition", "body"),
    Route("GET", "/customer-fields/<id>", "customers.read", rpc="customers.get_field_definition"),
    Route("PATCH", "/customer-fields/<id>", "customers.admin", rpc="customers.update_field_definition", takes="body"),
    action("customer-fields", "retire", "customers.admin", "customers.retire_field_definition"),
    # the customer group tree (客户群): read by everyone who reads customers, kept like the dictionaries
    Route("GET", "/customer-groups", "customers.read", rpc="customers.list_customer_groups", takes="query",
          default_sort="path"),
    Route("POST", "/customer-groups", "admin.dictionaries", 201, "customers.create_customer_group", "body"),
    Route("PATCH", "/customer-groups/<id>", "admin.dictionaries", rpc="customers.rename_customer_group", takes="body"),
    action("customer-groups", "retire", "admin.dictionaries", "customers.retire_customer_group"),
    Route("GET", "/customer-pool", "customers.read", rpc="customers.list_pool", takes="query"),
    Route("GET", "/customer-pool/settings", "customers.read", rpc="customers.pool_settings"),
    Route("PUT", "/customer-pool/settings", "customers.admin", rpc="customers.update_pool_settings", takes="body"),
    Route("POST", "/customer-pool/run-jobs", "customers.admin", rpc="customers.run_pool_jobs", takes="body"),
    # the branch day's nightly run as the timer does it, at the services' clock; once per day
    Route("POST", "/customer-pool/nightly-run", "customers.admin", rpc="customers.run_nightly_pool_job",
          takes="body"),
    # several pools (CUS-15): customers.read lists those one claims from or administers
    Route("GET", "/customer-pools", "customers.read", rpc="customers.list_pools", default_sort="name"),
    Route("POST", "/customer-pools", "customers.admin", 201, "customers.create_pool", "body"),
    Route("GET", "/customer-pools/<id>", "customers.read", rpc="customers.get_pool"),
    Route("PATCH", "/customer-pools/<id>", "customers.admin", rpc="customers.update_pool", takes="body"),
    Route("PUT", "/customer-pools/<id>/people", "customers.admin", local=_pool_people,
          contract=Contract(body=PoolPeopleIn, returns="customers.set_pool_people")),
    action("customers", "lock", "customers.write", "customers.lock_customer"),
    action("customers", "unlock", "customers.write", "customers.unlock_customer"),
    Route("POST", "/customer-imports", "customers.import", 201, "customers.create_import", "body"),
    # the file an office user has (.xlsx or .csv) and the template to fill in (issue 14)
    Route("GET", "/customer-imports/template", "customers.import", local=imports.template,
          contract=Contract(query=imports.TemplateQuery, media_type=MEDIA_TYPES)),
    Route("POST", "/customer-imports/<id>/file", "customers.import", local=imports.upload,
          max_body=imports.MAX_IMPORT_BYTES,
          contract=Contract(query=imports.ImportFileQuery, raw_body=True, returns="customers.get_import")),
    Route("GET", "/customer-imports/<id>", "customers.import", rpc="customers.get_import"),
    action("customer-imports", "chunks", "customers.import", "customers.add_import_chunk", picks=True),
    action("customer-imports", "start", "customers.import", "customers.start_import"),
    *crud("customers", "customers", "customer", "customers", delete=True, picks=True),
    Route("POST", "/leads", "customers.write", 201, "customers.create_lead", "body", picks=True),
    *team_routes("customers", "customers", "customer", "customers"),
    Route("GET", "/customers/<id>/history", "customers.read", rpc="customers.customer_history", takes="query"),
    Route("GET", "/customers/<id>/summary", "customers.read", rpc="customers.customer_summary"),
    # every tab's count of the detail in one request (the lists themselves load when a tab opens)
    Route("GET", "/customers/<id>/tab-counts", "customers.read", local=tab_counts.tab_counts,
          contract=Contract(query=CountsQuery, returns=tab_counts.TabCountsOut)),
    # stars (关注, issue 17): the caller's own; GET /customers?starred=true lists them
    Route("PUT", "/customers/<id>/star", "customers.read", rpc="customers.star_customer"),
    Route("DELETE", "/customers/<id>/star", "customers.read", 204, "customers.unstar_customer"),
    action("customers", "stage", "customers.write", "customers.change_stage"),
    action("customers", "convert", "customers.write", "customers.convert_lead"),
    action("customers", "back-to-lead", "customers.write", "customers.back_to_lead"),
    action("customers", "merge", "customers.merge", "customers.merge_customers"),
    action("customers", "release", "customers.write", "customers.release_customer"),
    action("customers", "claim", "customers.write", "customers.claim_customer"),
    action("customers", "restore", "customers.delete", "customers.restore_customer"),
    action("customers", "purge", "customers.admin", "customers.purge_customer"),
    # customers.assign, or a pool's admin assigning from their pool (checked by the service)
    Route("POST", "/customers/<id>/assign", "customers.write", local=_assign,
          contract=Contract(body=AssignIn, returns="customers.assign_customer")),
    *_sub("contacts", "contact"),
    # the 通讯录: every contact of the customers the caller may see
    Route("GET", "/contacts", "customers.read", rpc="customers.list_all_contacts", takes="query"),
    Route("GET", "/contacts/<id>", "customers.read", rpc="customers.get_contact"),
    Route("PATCH", "/contacts/<id>", "customers.write", rpc="customers.update_contact", takes="body"),
    Route("DELETE", "/contacts/<id>", "customers.write", 204, "customers.delete_contact"),
    *_sub("relations", "relation"),
    Route("PATCH", "/customer-relations/<id>", "customers.write", rpc="customers.update_relation", takes="body"),
    Route("DELETE", "/customer-relations/<id>", "customers.write", 204, "customers.delete_relation"),
    *_sub("interactions", "interaction"),
    # across customers: a team's visit reports (`?kind=visit&author_id=&since=&until=`)
    Route("GET", "/interactions", "customers.read", rpc="customers.list_all_interactions", takes="query",
          default_sort="-occurred_at"),
    action("interactions", "copy", "customers.write", "customers.copy_interaction"),
    *_sub("complaints", "complaint"),
    # across customers: `?assigned_to=me` is a handler's queue
    Route("GET", "/complaints", "customers.read", rpc="customers.list_all_complaints", takes="query"),
    Route("POST", "/complaints/<id>/actions", "customers.write", local=_complaint_action,
          contract="customers.complaint_action"),
    *_sub("extension-requests", "extension"),
    Route("GET", "/extension-requests/<id>", "customers.read", rpc="customers.get_extension"),
    # The request is the customers service's; its approval runs in the sales engine (SAL-07).
    action("extension-requests", "approve", "customers.approve_extension", "sales.approve_pool_extension"),
    action("extension-requests", "reject", "customers.approve_extension", "sales.reject_pool_extension"),
    Route("GET", "/extension-requests/<id>/approvals", "customers.read", rpc="sales.pool_extension_approvals"),
    # An expense is the customers service's; its reimbursement's approval runs in the sales engine.
    Route("GET", "/expenses/<id>", "customers.read", rpc="customers.get_expense"),
    action("expenses", "approve", "expenses.approve", "sales.approve_expense"),
    action("expenses", "reject", "expenses.approve", "sales.reject_expense"),
    Route("GET", "/expenses/<id>/approvals", "customers.read", rpc="sales.expense_approvals"),
    *[route for kind in RECORD_KINDS for route in _records(kind)],
]
