"""Every route × who is calling (ADM-03, ADM-04, issue 7).

The module runs its own two-branch suite (Shanghai with the gateway, Beijing behind it, as in
test_branches.py) so that "other branch" is the real thing: a Beijing user whose calls go to
Beijing's services and databases. The callers, all holding every permission so that only data
scope decides:

    own     Sales East, scope own      — creates every fixture record through the API
    dept    Sales East, scope department
    other   Sales West, scope own
    branch  Beijing, scope branch      — the widest scope short of head office
    nobody  Sales East, no roles

MATRIX has exactly one entry per route of crm_gateway.routes.ROUTES, keyed by (method, path);
test_matrix_names_every_route_exactly fails on a route without an entry or an entry without a
route. Each entry names the fixture record its path (and body) refers to, and the answer for each
caller in the order above:

- a status code; writes that change state run on a fresh record per caller (`fresh`), so one
  caller's success cannot turn the next caller's answer into a 409;
- `see` / `hide` for lists: 200 and the fixture record is / is not among the items, so a list is
  checked by content, not only by status (so is a customer's statement, by its receivables).
  Other statistics and reports are checked by status only.
- an entry with a `gap` is a known shortcoming (the expectation is what it should be): it runs as
  xfail(strict), so fixing the gap makes it fail until the entry is updated.

Records the matrix does not build (kind None: dead letters, payments, approval flows) are
addressed with a random id, and five field-service steps check their body before the order: those
entries show the permission check and that nothing leaks, not scope on a real record. Admin routes
(users, roles, departments, keys) are scoped by branch by design (directory.py), so other
departments of the same branch manage them too. Head office (scope `all`) is no column: its
reports, an admin's limits and logging out with another's token have tests of their own below.

The generic part stays: every route refuses anonymous callers (401) and callers without its
permission (403), and every route names its permission or is on the ANY_SIGNED_IN list.
"""
import re
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from crm_gateway.identity.permissions import PERMISSIONS
from crm_gateway.routes import ROUTES
from crm_gateway.routes.reports import REPORTS
from crm_common.branch_time import current_day  # the suite's days are Beijing's

pytestmark = pytest.mark.e2e
CALLERS = ("own", "dept", "other", "branch", "nobody")
ANY_SIGNED_IN = {  # the service decides inside (own approvals, dispatched field-service orders, …)
    ("POST", "/auth/logout"), ("POST", "/auth/password"), ("GET", "/me"), ("GET", "/dictionaries"),
    ("GET", "/dictionaries/<kind>"), ("GET", "/regions"), ("GET", "/regions/<code>"),
    ("GET", "/phone-regions/<number>"), ("GET", "/approvals"), ("GET", "/approvals/<id>"),
    ("GET", "/field-service-orders"), ("GET", "/field-service-orders/<id>"), ("GET", "/categories"),
    ("GET", "/dashboard"), ("GET", "/directory/users"), ("GET", "/directory/departments"), ("GET", "/directory/branches"),
    ("GET", "/saved-filters"), ("POST", "/saved-filters"), ("DELETE", "/saved-filters/<id>"),
    # an export job: the list's export permission is checked when it starts; a job is its starter's
    ("POST", "/exports"), ("GET", "/exports/<id>"), ("GET", "/exports/<id>/file"),
    ("GET", "/me/logins"),  # one's own login log
    # the approval engine decides: a preview for the caller, a document's approvals by its read
    # permission, decisions by the stage's approvers, a withdrawal by the submitter
    ("POST", "/approvals/preview"), ("GET", "/approval-history/<document_type>/<id>"), ("POST", "/approvals/<id>/approve"),
    ("POST", "/approvals/<id>/reject"), ("POST", "/approvals/<id>/withdraw"),
    # reports over records of several kinds: each figure within the scope of its records' read
    # permission, the service refusing (403) a caller who holds none of them (routes/reports.py)
    ("GET", "/reports/sales-amounts"), ("GET", "/reports/sales-ranking"), ("GET", "/reports/receipts"),
}
SAMPLE = {"kind": "industry", "code": "110000", "number": "13800138000", "service": "sales", "token": "x",
          "branch": "SH", "document_type": "complaint"}
# path parameters other than <id> that name a fixture record (the rest get SAMPLE or a random id)
PATH_IDS = {"user_id": "user_dept"}
LOG_DIR = Path(__file__).resolve().parents[2] / ".local" / "test-logs" / "authz"


@pytest.fixture(scope="module")
def branches(two_branches):
    """Ports and names of their own, apart from the session suite and test_branches.py's."""
    with two_branches("az", 18040, 18120, LOG_DIR, CRM_ADMIN_PASSWORD="matrix-admin-password",
                      CRM_RATE_LIMIT_PER_MINUTE="100000", CRM_RPC_TIMEOUT_SECONDS="30") as (sh, _):
        yield sh


@pytest.fixture(scope="module")
def people(branches, helpers_for):
    login = helpers_for(branches)
    admin = login("admin", "matrix-admin-password")
    sh = admin.post("/departments", json={"name": f"上海分公司 {_tag()}", "branch": "SH"}).json()
    bj = admin.post("/departments", json={"name": f"北京分公司 {_tag()}", "branch": "BJ"}).json()
    east, west = (admin.post("/departments", json={"name": name, "parent_id": sh["id"]}).json()
                  for name in ("Sales East", "Sales West"))
    roles = {scope: admin.post("/roles", json={"name": f"Everything, {scope} {_tag()}", "data_scope": scope,
                                               "permissions": sorted(PERMISSIONS)}).json()
             for scope in ("own", "department", "branch")}
    users, tag = {}, _tag()  # codes of their own, so the module can run twice against one suite
    for who, department, roles_ in (("own", east, [roles["own"]]), ("dept", east, [roles["department"]]),
                                    ("other", west, [roles["own"]]), ("branch", bj, [roles["branch"]]),
                                    ("nobody", east, [])):
        response = admin.post("/users", json={"code": f"mx_{who}_{tag}", "name": who, "department_id": department["id"],
                                              "password": f"{who}-matrix-password",
                                              "role_ids": [r["id"] for r in roles_]})
        assert response.status_code == 201, response.text
        users[who] = response.json()
    api = {who: login(f"mx_{who}_{tag}", f"{who}-matrix-password") for who in CALLERS}
    return {"api": api, "users": users, "admin": admin, "east": east, "login": login,
            "anonymous": type(admin)(admin.base)}


def _ok(response, *codes):
    assert response.status_code in (codes or (200, 201)), f"{response.request.method} {response.url}: {response.text}"
    return response.json() if response.content else None


def _poll(fetch, timeout=30.0):
    """Events cross processes asynchronously: wait until `fetch()` answers something."""
    deadline = time.monotonic() + timeout
    while not (value := fetch()) and time.monotonic() < deadline:
        time.sleep(0.05)
    return value


def _tag() -> str:
    return uuid.uuid4().hex[:8]


@pytest.fixture(scope="module")
def world(people):
    """Fixture records, all made by `own` through the API (`dept` approves): `ids[kind]` the
    shared one, `make[kind]()` a new one (for entries that change state)."""
    o, dept = people["api"]["own"], people["api"]["dept"]
    me, east = people["users"]["own"], people["east"]
    later = (datetime.now(timezone.utc) + timedelta(days=3)).replace(microsecond=0)
    ids = {"user_own": me["id"], "user_dept": people["users"]["dept"]["id"], "east": east["id"],
           "east_path": east["path"], "event_day": later.date().isoformat()}
    make = {}

    def kind(name):
        def register(factory):
            make[name] = factory
            return factory
        return register

    def post(path, body=None, **kwargs):
        return _ok(o.post(path, json=body if body is not None else {}, **kwargs))

    @kind("customer")
    def _customer():
        return post("/customers", {"name": f"矩阵客户 {_tag()}", "confirm_duplicate": True})["id"]

    ids["customer"] = _customer()
    kind("product")(lambda: post("/products", {"code": f"MX-{_tag()}", "name": "矩阵货品", "list_price": "10.00",
                                               "unit": "pcs"})["id"])
    product = ids["product"] = make["product"]()
    kind("contact")(lambda: post(f"/customers/{ids['customer']}/contacts", {"name": "联系人"})["id"])
    kind("relation")(lambda: post(f"/customers/{ids['customer']}/relations",
                                  {"to_id": _customer(), "kind": "partner"})["id"])
    kind("interaction")(lambda: post(f"/customers/{ids['customer']}/interactions",
                                     {"kind": "call", "summary": "电话"})["id"])
    kind("complaint")(lambda: post(f"/customers/{ids['customer']}/complaints",
                                   {"subject": "发货延迟", "detail": "晚了三天"})["id"])
    @kind("extension")
    def _extension():
        request = post(f"/customers/{_customer()}/extension-requests", {"days": 30, "reason": "谈判中"})["id"]

        def opened():  # sales opens the approval when customers' event reaches it
            response = o.get(f"/extension-requests/{request}/approvals")
            return response.status_code == 200 and response.json()
        assert _poll(opened), "the approval of the extension request was never opened"
        return request

    @kind("expense")
    def _expense():
        expense = post(f"/customers/{ids['customer']}/expenses",
                       {"category": "travel", "amount": "66.00", "spent_on": "2026-03-01"})["id"]

        def opened():  # sales opens the reimbursement's approval when customers' event reaches it
            response = o.get(f"/expenses/{expense}/approvals")
            return response.status_code == 200 and response.json()
        assert _poll(opened), "the approval of the expense was never opened"
        return expense

    @kind("deleted_customer")
    def _deleted():
        customer = _customer()
        _ok(o.delete(f"/customers/{customer}"), 204)
        return customer

    @kind("follow_up")
    def _follow_up():  # on a customer of its own: no later interaction of another entry supersedes it
        return post(f"/customers/{_customer()}/interactions", {"kind": "call", "summary": "回访",
                                                               "next_followup_on": "2026-01-01"})["id"]

    level = f"mx{_tag()}".lower()
    _ok(people["admin"].put(f"/dictionaries/value_level/{level}", json={"label": level}))
    # a recycle rule of the module's own: its customers fall back in 3 days
    _ok(people["admin"].put("/customer-pool/settings", json={"rules": [
        {"value_level": level, "days_without_followup": 3, "notice_days": 1, "protection_days": 0}]}))
    kind("recycle_due_customer")(lambda: post("/customers", {"name": f"将回收 {_tag()}", "value_level": level,
                                                             "confirm_duplicate": True})["id"])
    kind("saved_filter")(lambda: post("/saved-filters", {"list": "customers", "name": f"场景 {_tag()}",
                                                         "query": {"industry": "manufacturing"}})["id"])
    kind("import")(lambda: post("/customer-imports")["id"])

    @kind("export")
    def _export():
        job = _ok(o.post("/exports", json={"list": "customers"}), 202)
        assert _poll(lambda: o.get(f"/exports/{job['id']}").json()["status"] == "done")
        return job["id"]
    ids["export"] = _export()
    kind("price_rule")(lambda: post("/price-rules", {"name": f"量大 {_tag()}", "kind": "volume", "priority": 50,
                                                     "discount_percent": "1", "product_id": product,
                                                     "min_quantity": "1000"})["id"])
    kind("stage")(lambda: post("/opportunity-stages", {"name": f"阶段 {_tag()}", "position": 50,
                                                       "probability": "50", "outcome": "open"})["id"])
    ids["stage"] = make["stage"]()
    kind("opportunity")(lambda: post("/opportunities", {
        "customer_id": ids["customer"], "title": "ERP 项目", "stage_id": ids["stage"],
        "expected_amount": "1000.00", "expected_close_date": "2030-01-01"})["id"])
    kind("competitor")(lambda: post("/competitors", {"name": f"对手 {_tag()}"})["id"])
    lines = [{"product_id": product, "quantity": "100"}]
    kind("quote")(lambda: post("/quotes", {"customer_id": ids["customer"], "valid_until": "2030-01-01",
                                           "lines": lines})["id"])
    kind("order")(lambda: post("/orders", {"customer_id": ids["customer"], "lines": lines})["id"])

    @kind("order_submitted")
    def _submitted():
        order = make["order"]()
        post(f"/orders/{order}/submit")
        return order

    @kind("order_advanced")
    def _advanced():
        """A submitted order finance has heard of (sales.order_submitted): it takes advances."""
        order = _submitted()
        assert _poll(lambda: o.get(f"/orders/{order}/advance-receipts").status_code == 200)
        return order

    @kind("order_approved")
    def _approved():
        order = _submitted()
        _ok(dept.post(f"/orders/{order}/approve", json={}))
        return order

    ids["order_approved"] = _approved()
    receivable = _poll(lambda: o.get("/receivables", params={"order_id": ids["order_approved"]}).json()["items"])[0]
    ids["receivable"], ids["receivable_amount"] = receivable["id"], receivable["amount"]
    fulfilment = _poll(
        lambda: o.get("/fulfilments", params={"order_id": ids["order_approved"]}).json()["items"])[0]["id"]
    ids["fulfilment"] = fulfilment
    fulfilment_line = _ok(o.get(f"/fulfilments/{fulfilment}"))["lines"][0]["id"]
    order_line = _ok(o.get(f"/orders/{ids['order_approved']}"))["lines"][0]["id"]
    ids["fulfilment_line"], ids["order_line"] = fulfilment_line, order_line
    kind("shipment")(lambda: post("/shipments", {"fulfilment_id": fulfilment, "status": "pending", "lines": [
        {"fulfilment_line_id": fulfilment_line, "quantity": "1"}]})["id"])
    shipped = make["shipment"]()
    post(f"/shipments/{shipped}/ship")
    kind("return")(lambda: post("/returns", {"order_id": ids["order_approved"], "reason": "破损", "lines": [
        {"order_line_id": order_line, "quantity": "0.01"}]})["id"])
    kind("contract")(lambda: post("/contracts", {
        "customer_id": ids["customer"], "kind": "service", "title": "年度维保服务", "start_date": "2026-01-01",
        "end_date": "2030-12-31", "amount": "1200.00",
        "commission_split": [{"user_id": me["id"], "percent": "100"}]})["id"])

    @kind("contract_submitted")
    def _contract_submitted():
        contract = make["contract"]()
        post(f"/contracts/{contract}/submit")
        return contract

    @kind("contract_active")
    def _contract_active():
        contract = _contract_submitted()
        _ok(dept.post(f"/contracts/{contract}/approve", json={}))
        return contract

    kind("contract_change")(lambda: post(f"/contracts/{_contract_active()}/change",
                                         {"description": "增补条款", "amount": "1300.00"})["changes"][-1]["id"])

    kind("campaign")(lambda: post("/campaigns", {
        "name": f"展会 {_tag()}", "kind": "exhibition", "starts_on": "2026-01-01", "ends_on": "2030-12-31",
        "budget": "50000.00", "participants": [me["id"]]})["id"])
    kind("campaign_task")(lambda: post(f"/campaigns/{make['campaign']()}/tasks", {"title": "布展"})["tasks"][0]["id"])
    kind("field")(lambda: post("/customer-fields", {"entity": "customer", "key": f"f{_tag()}", "label": "规模",
                                                    "type": "text"})["id"])
    kind("target")(lambda: post("/targets", {"subject": "user", "user_id": me["id"], "department_path": east["path"],
                                             "period": current_day().strftime("%Y-%m"), "amount": "1000.00"})["id"])
    ids["approval"] = _ok(o.get(f"/orders/{_submitted()}/approvals"))[0]["id"]
    kind("carrier")(lambda: post("/carriers", {"name": f"承运 {_tag()}", "rates": []})["id"])
    kind("field_service")(lambda: post("/field-service-orders", {
        "contact_name": "李工", "contact_phone": "13800000000", "address": "无锡市新区 8 号",
        "equipment": "6135 柴油机", "fault_description": "启动困难"})["id"])
    kind("bank_account")(lambda: post("/bank-accounts", {"name": f"基本户 {_tag()}", "bank_name": "工商银行",
                                                         "account_no": _tag(), "currency": "CNY"})["id"])
    ids["bank_account"] = make["bank_account"]()
    kind("receipt")(lambda: post("/receipts", {"receivable_id": ids["receivable"], "amount": "1.00",
                                               "method": "bank_transfer", "bank_account_id": ids["bank_account"]})["id"])
    kind("invoice")(lambda: post("/invoices", {"order_id": ids["order_approved"], "amount": "1.00"})["id"])
    kind("buyer_title")(lambda: post("/buyer-titles", {"customer_id": ids["customer"], "name": "矩阵抬头"})["id"])
    kind("announcement")(lambda: post("/announcements", {"title": "月度会议", "body": "周五下午三点"})["id"])
    kind("event")(lambda: post("/calendar/events", {"title": "拜访", "starts_at": later.isoformat(),
                                                     "ends_at": (later + timedelta(hours=1)).isoformat()})["id"])
    ids["category"] = post("/categories", {"kind": "business", "name": f"售后 {_tag()}"})["id"]
    ids["article_category"] = post("/categories", {"kind": "article", "name": f"知识 {_tag()}"})["id"]
    kind("call")(lambda: post("/calls", {"phone": "13800001111", "summary": "空调不制冷"})["id"])
    kind("work_order")(lambda: post("/work-orders", {"call_id": make["call"](), "category_id": ids["category"],
                                                     "title": "上门维修", "description": "滨江区"})["id"])
    kind("article")(lambda: post("/articles", {"category_id": ids["article_category"], "title": "退货流程",
                                               "body": "七天无理由"})["id"])
    kind("diary")(lambda: post("/diary", {"entry_date": "2026-03-11", "title": "拜访", "content": "采购计划"})["id"])
    kind("plan")(lambda: post("/plans", {"period": "weekly", "day": "2026-03-12", "title": "周计划",
                                         "content": "拜访五家客户"})["id"])
    kind("reminder")(lambda: post("/reminders", {"title": "回电话", "due_at": later.isoformat()})["id"])
    kind("document")(lambda: _ok(o.post("/documents", params={"name": "报价单.pdf"}, data=b"%PDF-1.4 matrix\n",
                                        headers={"Content-Type": "application/pdf"}))["id"])
    kind("sms")(lambda: post("/sms", {"phone": "13700001234", "body": "您的订单已发货"})["id"])
    kind("opt_out")(lambda: post("/sms/opt-outs", {"phone": f"139{uuid.uuid4().int % 10**8:08d}",
                                                   "reason": "客户要求"})["phone"])
    kind("department")(lambda: post("/departments", {"name": f"部门 {_tag()}", "parent_id": east["id"]})["id"])
    kind("role")(lambda: post("/roles", {"name": f"角色 {_tag()}", "data_scope": "own",
                                         "permissions": ["customers.read"]})["id"])
    kind("user")(lambda: post("/users", {"code": f"u{_tag()}", "name": "同事", "department_id": east["id"],
                                         "password": "colleague-password", "role_ids": []})["id"])
    kind("api_key")(lambda: post("/api-keys", {"name": "ERP", "user_id": me["id"], "permissions": ["customers.read"],
                                               "data_scope": "own", "read_only": True})["id"])
    kind("refresh_token")(lambda: _ok(people["anonymous"].post("/auth/login", json={
        "username": me["code"], "password": "own-matrix-password"}))["refresh_token"])

    def _with_member(base, record):  # a record whose team has `dept` in it, for the removals
        _ok(o.put(f"/{base}/{record}/members/{ids['user_dept']}", json={"access": "read_only"}))
        return record
    kind("customer_team")(lambda: _with_member("customers", _customer()))
    kind("opportunity_team")(lambda: _with_member("opportunities", make["opportunity"]()))
    kind("contract_team")(lambda: _with_member("contracts", make["contract"]()))

    for name, factory in make.items():
        ids.setdefault(name, factory())
    ids["goods_return"] = _goods_return(o, dept, ids)
    ids["notification"] = _poll(lambda: o.get("/notifications").json()["items"])[0]["id"]
    return {"ids": ids, "make": make}


def _goods_return(o, dept, ids):
    """Approving a return of shipped goods makes logistics expect them back."""
    _ok(dept.post(f"/returns/{ids['return']}/approve", json={}))
    found = _poll(lambda: o.get("/goods-returns", params={"order_id": ids["order_approved"]}).json()["items"])
    return found[0]["id"]


class E:
    """One route's expectation: the record its path names, the answer per caller (CALLERS order)."""

    def __init__(self, kind, expect, body=None, *, item=None, items="items", fresh=False, query=None, gap=None):
        self.kind, self.body, self.item, self.items = kind, body, item or kind, items
        self.fresh, self.query, self.gap = fresh, query, gap
        self.expect = dict(zip(CALLERS, (token if token in ("see", "hide") else int(token)
                                         for token in expect.split()), strict=True))


READ, LIST, WIDE, WIDE_LIST = "200 200 404 404 403", "see see hide hide 403", "200 200 200 404 403", "see see see hide 403"
WRITE, CREATE, ANYONE = "200 200 404 404 403", "201 201 201 201 403", "200 200 200 200 200"
C = "{customer}"
QUOTE = {"customer_id": C, "valid_until": "2030-01-01", "lines": [{"product_id": "{product}", "quantity": "1"}]}
ORDER = {"customer_id": C, "lines": [{"product_id": "{product}", "quantity": "1"}]}
CONTRACT = {"customer_id": C, "kind": "service", "title": "维保", "start_date": "2026-01-01", "end_date": "2030-12-31",
            "amount": "10.00", "commission_split": [{"user_id": "{user_own}", "percent": "100"}]}

TEAMS = (("customers", "customer"), ("opportunities", "opportunity"), ("contracts", "contract"))
# the report pack (issue 17): status only, like the other statistics; each also as a file
REPORT_QUERIES = {"/reports/sales-ranking": {"by": "order_amount"}, "/reports/targets": {"period": "{month}"},
                  "/reports/customer-ranking": {"by": "new_customers"}}
NUMBER_RULE = {"prefix": "CP", "date_part": "year", "digits": 6, "reset": "year"}

MATRIX = {
    # --- identity: sessions, reference data (any signed-in user), directory (branch admins) ---
    # no wrong password here: five at once would trip the brute-force throttle for later runs
    ("GET", "/openapi.json"): E(None, ANYONE),
    ("POST", "/auth/login"): E(None, "422 422 422 422 422", {"username": "mx_nobody"}),
    ("POST", "/auth/refresh"): E(None, "401 401 401 401 401", {"refresh_token": "not-a-token"}),
    # someone else's refresh token: 204 all the same (see test_logout_with_another_users_token_ends_nothing)
    ("POST", "/auth/logout"): E(None, "204 204 204 204 204", {"refresh_token": "{refresh_token}"}),
    ("POST", "/auth/password"): E(None, "422 422 422 422 422", {"current_password": "wrong", "new_password": "x"}),
    ("GET", "/me"): E(None, ANYONE),
    ("GET", "/me/logins"): E(None, ANYONE),
    ("GET", "/users/<id>/logins"): E("user", WIDE),
    ("GET", "/departments"): E("department", WIDE_LIST),
    ("POST", "/departments"): E(None, "201 201 201 404 403", {"name": "新部门 {tag}", "parent_id": "{east}"}),
    ("GET", "/departments/<id>"): E("department", WIDE),
    ("PATCH", "/departments/<id>"): E("department", WIDE, {"name": "改名 {tag}"}),
    ("GET", "/field-permissions"): E(None, "200 200 200 200 403"),  # the allow-list, the same for all
    # under the parent it already has: scope and permission only (tests/e2e/test_department_moves.py moves)
    ("POST", "/departments/<id>/move"): E("department", WIDE, {"parent_id": "{east}"}),
    ("GET", "/roles"): E("role", "see see see see 403"),
    ("POST", "/roles"): E(None, CREATE, {"name": "角色 {tag}", "data_scope": "own", "permissions": []}),
    ("GET", "/roles/<id>"): E("role", "200 200 200 200 403"),
    ("PATCH", "/roles/<id>"): E("role", "200 200 200 403 403", {"name": "角色 {tag}"},
                                gap="roles are shared by every branch: Beijing's admin edits the roles Shanghai's "
                                    "users hold (within Beijing's own permissions and scope)"),
    ("GET", "/users"): E("user", WIDE_LIST),
    ("POST", "/users"): E(None, "201 201 201 422 403", {"code": "u{tag}", "name": "新同事", "department_id": "{east}",
                                                         "password": "colleague-password", "role_ids": []}),
    ("GET", "/users/<id>"): E("user", WIDE),
    ("PATCH", "/users/<id>"): E("user", WIDE, {"name": "改名"}),
    ("POST", "/users/<id>/unlock-login"): E("user", WIDE),
    # the receiver must lie in the caller's scope (a Sales West rep of own scope reaches nobody else)
    ("POST", "/users/<id>/hand-over"): E("user", "202 202 422 404 403", {"to_user_id": "{user_own}"}, fresh=True),
    ("GET", "/hand-overs/<id>"): E(None, "404 404 404 404 403"),
    ("GET", "/admin/dead-letters"): E(None, "200 200 200 200 403"),
    ("GET", "/branches"): E(None, "200 200 200 200 403"),
    # a branch's 公司名称 is named in that branch (Beijing's admins do not name Shanghai)
    ("PUT", "/branches/<branch>"): E(None, "200 200 200 404 403", {"company_name": "矩阵公司 {tag}"}),
    ("POST", "/admin/dead-letters/<service>/<id>/replay"): E(None, "404 404 404 404 403"),
    ("GET", "/operation-log"): E(None, "200 200 200 200 403"),
    # numbering rules are set per branch: Shanghai's admins manage Shanghai's, Beijing's do not
    ("GET", "/admin/numbering-rules/<branch>"): E(None, "200 200 200 404 403"),
    ("PUT", "/admin/numbering-rules/<branch>/<document_type>"): E(None, "200 200 200 404 403", NUMBER_RULE),
    ("POST", "/admin/numbering-rules/<branch>/<document_type>/preview"): E(None, "200 200 200 404 403",
                                                                           NUMBER_RULE),
    ("GET", "/api-keys"): E("api_key", WIDE_LIST),  # keys are managed in their user's branch
    ("POST", "/api-keys"): E(None, "201 201 201 422 403", {"name": "ERP", "user_id": "{user_own}",
                                                            "permissions": ["customers.read"], "data_scope": "own"}),
    ("DELETE", "/api-keys/<id>"): E("api_key", "204 204 204 404 403", fresh=True),
    # the directory: every signed-in user of the branch, no permission needed (ADM-16)
    ("GET", "/directory/users"): E("user", "see see see hide see"),
    ("GET", "/directory/departments"): E("department", "see see see hide see"),
    ("GET", "/directory/branches"): E(None, ANYONE),  # what each branch prints, for the print views
    # saved filters (场景) are their user's alone
    ("GET", "/saved-filters"): E("saved_filter", "see hide hide hide hide"),
    ("POST", "/saved-filters"): E(None, "201 201 201 201 201", {"list": "customers", "name": "场景 {tag}",
                                                                "query": {"status": "customer"}}),
    ("DELETE", "/saved-filters/<id>"): E("saved_filter", "204 404 404 404 404", fresh=True),
    ("GET", "/dictionaries"): E(None, ANYONE),
    ("GET", "/dictionaries/<kind>"): E(None, ANYONE),
    ("PUT", "/dictionaries/<kind>/<code>"): E(None, "200 200 200 200 403", {"label": "北京"}),
    ("GET", "/regions"): E(None, ANYONE),
    ("GET", "/regions/<code>"): E(None, ANYONE),
    ("GET", "/phone-regions/<number>"): E(None, ANYONE),
    # --- customers and what hangs off them ---
    ("GET", "/customers/statistics"): E(None, "200 200 200 200 403", query={"by": "status"}),  # statistics and reports: status only
    # exports (issue 14): what each caller's file holds is tested in test_exports.py
    ("GET", "/customers/export"): E(None, "200 200 200 200 403"),
    ("PUT", "/customers/<id>/star"): E("customer", READ),
    ("DELETE", "/customers/<id>/star"): E("customer", "204 204 404 404 403"),
    ("GET", "/contacts/export"): E(None, "200 200 200 200 403"),
    ("GET", "/interactions/export"): E(None, "200 200 200 200 403"),
    ("GET", "/orders/export"): E(None, "200 200 200 200 403"),
    ("GET", "/receivables/export"): E(None, "200 200 200 200 403"),
    ("POST", "/exports"): E(None, "202 202 202 202 403", {"list": "customers"}),
    ("GET", "/exports/<id>"): E("export", "200 404 404 404 404"),
    ("GET", "/exports/<id>/file"): E("export", "200 404 404 404 404"),
    ("GET", "/customers/recycle-bin"): E("deleted_customer", LIST),
    # handing over an East colleague's customers: not for someone who cannot see that colleague
    ("POST", "/customers/transfer-all"): E(None, "200 200 422 422 403",
                                           {"from_user_id": "{new:user}", "to_user_id": "{user_own}"}),
    ("GET", "/customer-fields"): E(None, "200 200 200 200 403"),
    ("POST", "/customer-fields"): E(None, CREATE, {"entity": "customer", "key": "f{tag}", "label": "员工数",
                                                    "type": "number"}),
    # custom field definitions are the branch's configuration, like products
    ("GET", "/customer-fields/<id>"): E("field", WIDE),
    ("PATCH", "/customer-fields/<id>"): E("field", WIDE, {"label": "员工规模"}),
    ("POST", "/customer-fields/<id>/retire"): E("field", WIDE, fresh=True),
    # the customer group tree is the branch's dictionary (kept with admin.dictionaries); the matrix
    # builds no group, so renaming and retiring show the permission check on a random id
    ("GET", "/customer-groups"): E(None, "200 200 200 200 403"),
    ("POST", "/customer-groups"): E(None, CREATE, {"name": "群 {tag}"}),
    ("PATCH", "/customer-groups/<id>"): E(None, "404 404 404 404 403", {"name": "改名"}),
    ("POST", "/customer-groups/<id>/retire"): E(None, "404 404 404 404 403"),
    ("GET", "/customer-pool"): E(None, "200 200 200 200 403"),
    ("GET", "/customer-pool/settings"): E(None, "200 200 200 200 403"),
    ("PUT", "/customer-pool/settings"): E(None, "200 200 200 200 403", {}),
    # pools (CUS-15): an admin manages the pools of departments in their scope; a made-up
    # department is outside every scope short of the branch (Beijing's answers its own branch)
    ("GET", "/customer-pools"): E(None, "200 200 200 200 403"),
    ("POST", "/customer-pools"): E(None, "422 422 422 201 403", {"name": "公海 {tag}", "department_path": "/mx{tag}/"}),
    ("GET", "/customer-pools/<id>"): E(None, "404 404 404 404 403"),
    ("PATCH", "/customer-pools/<id>"): E(None, "404 404 404 404 403", {"name": "改名"}),
    ("PUT", "/customer-pools/<id>/people"): E(None, "404 404 404 404 403", {"members": []}),
    ("POST", "/customer-pool/nightly-run"): E(None, "200 200 200 200 403", {}),
    ("POST", "/customers/<id>/lock"): E("customer", WRITE, fresh=True),
    ("POST", "/customers/<id>/unlock"): E("customer", "409 409 404 404 403", fresh=True),
    ("POST", "/customer-imports"): E(None, CREATE, {}),
    # an import job is its creator's alone, whatever the scope
    ("GET", "/customer-imports/<id>"): E("import", "200 404 404 404 403"),
    ("GET", "/customer-imports/template"): E(None, "200 200 200 200 403"),
    ("POST", "/customer-imports/<id>/file"): E("import", "200 404 404 404 403"),
    ("POST", "/customer-imports/<id>/chunks"): E("import", "200 404 404 404 403",
                                                 {"first_row": 1, "csv": "name\n矩阵导入\n"}, fresh=True),
    ("POST", "/customer-imports/<id>/start"): E("import", "200 404 404 404 403", fresh=True),
    ("GET", "/customers"): E("customer", LIST),
    ("GET", "/customers/<id>"): E("customer", READ),
    ("POST", "/customers"): E(None, CREATE, {"name": "新客户 {tag}"}),
    ("PATCH", "/customers/<id>"): E("customer", WRITE, {"industry": "manufacturing"}),
    ("DELETE", "/customers/<id>"): E("customer", "204 204 404 404 403", fresh=True),
    ("POST", "/leads"): E(None, CREATE, {"name": "线索 {tag}", "source": "cold_visit"}),
    ("GET", "/customers/<id>/history"): E("customer", READ),
    ("GET", "/customers/<id>/summary"): E("customer", READ),
    ("GET", "/customers/recycle-due"): E("recycle_due_customer", LIST, query={"within_days": 30, "limit": 200}),
    ("GET", "/follow-ups"): E("follow_up", LIST),
    ("POST", "/customers/<id>/stage"): E("customer", "409 409 404 404 403", {"stage": "proposal"}),
    ("POST", "/customers/<id>/convert"): E("customer", "409 409 404 404 403"),
    ("POST", "/customers/<id>/back-to-lead"): E("customer", WRITE, fresh=True),
    # the target in the path answers first; a source the caller cannot see is invalid input (422)
    ("POST", "/customers/<id>/merge"): E("customer", WRITE, {"source_id": "{new:customer}"}, fresh=True),
    ("POST", "/customers/<id>/release"): E("customer", WRITE, fresh=True),
    ("POST", "/customers/<id>/claim"): E("customer", "409 409 404 404 403", fresh=True),
    ("POST", "/customers/<id>/restore"): E("deleted_customer", WRITE, fresh=True),
    ("POST", "/customers/<id>/purge"): E("deleted_customer", WRITE, fresh=True),
    # scope first (out of sight: 404, before the body); then the new owner must lie in the
    # caller's scope: own scope can hand over to no one
    ("POST", "/customers/<id>/assign"): E("customer", "422 200 404 404 403", {"owner_id": "{user_dept}"}, fresh=True),
    ("GET", "/customers/<id>/tab-counts"): E("customer", READ),
    ("GET", "/customers/<id>/contacts"): E("customer", "see see 404 404 403", item="contact"),
    ("POST", "/customers/<id>/contacts"): E("customer", "201 201 404 404 403", {"name": "新联系人"}),
    ("GET", "/contacts"): E("contact", LIST),
    ("GET", "/contacts/<id>"): E("contact", READ),
    ("PATCH", "/contacts/<id>"): E("contact", WRITE, {"title": "经理"}),
    ("DELETE", "/contacts/<id>"): E("contact", "204 204 404 404 403", fresh=True),
    ("GET", "/customers/<id>/relations"): E("customer", "see see 404 404 403", item="relation"),
    ("POST", "/customers/<id>/relations"): E("customer", "201 201 404 404 403",
                                             {"to_id": "{new:customer}", "kind": "partner"}),
    ("PATCH", "/customer-relations/<id>"): E("relation", WRITE, {"notes": "独家代理"}),
    ("DELETE", "/customer-relations/<id>"): E("relation", "204 204 404 404 403", fresh=True),
    ("GET", "/interactions"): E("interaction", LIST),
    ("GET", "/complaints"): E("complaint", LIST),
    ("GET", "/customers/<id>/interactions"): E("customer", "see see 404 404 403", item="interaction"),
    ("POST", "/customers/<id>/interactions"): E("customer", "201 201 404 404 403", {"kind": "call", "summary": "回访"}),
    ("POST", "/interactions/<id>/copy"): E("interaction", WRITE, {"summary": "第二次拜访"}),
    ("GET", "/customers/<id>/complaints"): E("customer", "see see 404 404 403", item="complaint"),
    ("POST", "/customers/<id>/complaints"): E("customer", "201 201 404 404 403", {"subject": "质量", "detail": "划痕"}),
    ("POST", "/complaints/<id>/actions"): E("complaint", WRITE, {"action": "assign", "handler_id": "{user_own}"},
                                            fresh=True),
    ("GET", "/customers/<id>/extension-requests"): E("customer", "200 200 404 404 403"),
    # only the owner asks to extend the protection period (409 for a colleague who may see it)
    ("POST", "/customers/<id>/extension-requests"): E("customer", "201 409 404 404 403",
                                                      {"days": 30, "reason": "谈判中"}, fresh=True),
    # approving one's own request is not a decision; turning it down is a withdrawal
    ("POST", "/extension-requests/<id>/approve"): E("extension", "403 200 404 404 403", {}, fresh=True),
    ("POST", "/extension-requests/<id>/reject"): E("extension", "403 200 404 404 403", {"comment": "不批"},
                                                   fresh=True),
    ("GET", "/extension-requests/<id>"): E("extension", READ),
    ("GET", "/extension-requests/<id>/approvals"): E("extension", READ),
    ("GET", "/customers/<id>/service-records"): E("customer", READ),
    ("POST", "/customers/<id>/service-records"): E("customer", "201 201 404 404 403", {
        "kind": "repair", "occurred_at": "2026-01-02T03:04:05+00:00", "summary": "上门维修"}),
    ("GET", "/customers/<id>/care-records"): E("customer", READ),
    ("POST", "/customers/<id>/care-records"): E("customer", "201 201 404 404 403",
                                                {"kind": "gift", "occurred_on": "2026-02-01"}),
    ("GET", "/customers/<id>/expenses"): E("customer", READ),
    ("POST", "/customers/<id>/expenses"): E("customer", "201 201 404 404 403",
                                            {"category": "travel", "amount": "88.50", "spent_on": "2026-03-01"}),
    # who recorded the expense does not approve its reimbursement
    ("POST", "/expenses/<id>/approve"): E("expense", "403 200 404 404 403", {}, fresh=True),
    ("POST", "/expenses/<id>/reject"): E("expense", "403 200 404 404 403", {"comment": "不批"}, fresh=True),
    ("GET", "/expenses/<id>"): E("expense", READ),
    ("GET", "/expenses/<id>/approvals"): E("expense", READ),
    ("GET", "/customers/<id>/important-dates"): E("customer", READ),
    ("POST", "/customers/<id>/important-dates"): E("customer", "201 201 404 404 403",
                                                   {"label": "合作周年", "date": "2030-05-01"}),
    # team members (团队成员): whoever sees the record sees its team; its owner or a manager in
    # scope changes it (the member named by the path is `dept`)
    **{("GET", f"/{base}/<id>/members"): E(kind, READ) for base, kind in TEAMS},
    **{("PUT", f"/{base}/<id>/members/<user_id>"): E(kind, WRITE, {"access": "read_write"})  # idempotent
       for base, kind in TEAMS},
    **{("DELETE", f"/{base}/<id>/members/<user_id>"): E(f"{kind}_team", "204 204 404 404 403", fresh=True)
       for base, kind in TEAMS},
    # --- sales: a record named in a body that the caller cannot see is invalid input (422) ---
    ("GET", "/products"): E("product", WIDE_LIST),
    ("GET", "/products/<id>"): E("product", WIDE),
    ("POST", "/products"): E(None, CREATE, {"code": "P-{tag}", "name": "货品", "list_price": "1.00", "unit": "pcs"}),
    ("PATCH", "/products/<id>"): E("product", WIDE, {"name": "改名货品"}),
    ("GET", "/price-rules"): E("price_rule", WIDE_LIST),
    ("GET", "/price-rules/<id>"): E("price_rule", WIDE),
    ("POST", "/price-rules"): E(None, CREATE, {"name": "量大", "kind": "volume", "discount_percent": "1",
                                               "min_quantity": "5000"}),
    ("PATCH", "/price-rules/<id>"): E("price_rule", WIDE, {"priority": 40}),
    ("GET", "/opportunity-stages"): E("stage", WIDE_LIST),
    ("POST", "/opportunity-stages"): E(None, CREATE, {"name": "阶段 {tag}", "position": 60, "probability": "60",
                                                      "outcome": "open"}),
    ("PATCH", "/opportunity-stages/<id>"): E("stage", WIDE, {"probability": "55"}),
    ("GET", "/opportunity-forecast"): E(None, "200 200 200 200 403", query={"group_by": "owner"}),
    ("GET", "/opportunities"): E("opportunity", LIST),
    ("GET", "/opportunities/<id>"): E("opportunity", READ),
    ("GET", "/opportunities/<id>/stage-history"): E("opportunity", READ),
    ("PUT", "/opportunities/<id>/star"): E("opportunity", READ),
    ("DELETE", "/opportunities/<id>/star"): E("opportunity", "204 204 404 404 403"),
    ("POST", "/opportunities"): E(None, "201 201 422 422 403", {"customer_id": C, "title": "新项目",
                                                                "stage_id": "{stage}", "expected_amount": "1.00",
                                                                "expected_close_date": "2030-01-01"}),
    ("PATCH", "/opportunities/<id>"): E("opportunity", WRITE, {"title": "ERP 二期"}),
    ("POST", "/opportunities/<id>/move"): E("opportunity", WRITE, {"stage_id": "{stage}"}),
    ("POST", "/opportunities/<id>/win"): E("opportunity", WRITE, {"reason": "价格"}, fresh=True),
    ("POST", "/opportunities/<id>/lose"): E("opportunity", WRITE, {"reason": "价格"}, fresh=True),
    ("POST", "/opportunities/<id>/competitor-quotes"): E("opportunity", "201 201 404 404 403",
                                                         {"competitor_id": "{competitor}", "amount": "9.00"}),
    ("GET", "/competitors"): E("competitor", WIDE_LIST),
    ("GET", "/competitors/<id>"): E("competitor", WIDE),
    ("POST", "/competitors"): E(None, CREATE, {"name": "对手 {tag}"}),
    ("PATCH", "/competitors/<id>"): E("competitor", WIDE, {"profile": "华东龙头"}),
    ("POST", "/competitors/<id>/activities"): E("competitor", "201 201 201 404 403",
                                                {"happened_on": "2026-11-01", "description": "降价"}),
    ("GET", "/quotes"): E("quote", LIST),
    ("GET", "/quotes/<id>"): E("quote", READ),
    ("POST", "/quotes"): E(None, "201 201 422 422 403", QUOTE),
    # a PATCH finds its document first: the others learn nothing of the customer in the body either
    ("PATCH", "/quotes/<id>"): E("quote", WRITE, QUOTE),
    ("POST", "/quotes/<id>/convert"): E("quote", "201 201 404 404 403", {}, fresh=True),
    ("POST", "/quotes/<id>/cancel"): E("quote", WRITE, {"reason": "客户放弃"}, fresh=True),
    ("GET", "/orders"): E("order", LIST),
    ("GET", "/orders/<id>"): E("order", READ),
    ("POST", "/orders"): E(None, "201 201 422 422 403", ORDER),
    ("PATCH", "/orders/<id>"): E("order", WRITE, ORDER),
    ("GET", "/sample-report"): E(None, "200 200 200 200 403"),
    ("GET", "/orders/<id>/approvals"): E("order_submitted", READ),
    ("POST", "/orders/<id>/submit"): E("order", WRITE, fresh=True),
    # approving is the department head's: the owner may not approve their own order
    ("POST", "/orders/<id>/approve"): E("order_submitted", "403 200 404 404 403", {}, fresh=True),
    ("POST", "/orders/<id>/reject"): E("order_submitted", "403 200 404 404 403", {"comment": "价格"}, fresh=True),
    ("POST", "/orders/<id>/cancel"): E("order", WRITE, {}, fresh=True),
    # 撤回 is the submitter's alone
    ("POST", "/orders/<id>/withdraw"): E("order_submitted", "200 403 404 404 403", {}, fresh=True),
    ("POST", "/orders/<id>/complete"): E("order", "409 409 404 404 403", {}),
    ("POST", "/orders/<id>/close"): E("order", "409 409 404 404 403", {}),
    ("GET", "/returns"): E("return", LIST),
    ("GET", "/returns/<id>"): E("return", READ),
    ("POST", "/returns"): E(None, "201 201 422 422 403", {"order_id": "{order_approved}", "reason": "破损",
                                                          "lines": [{"order_line_id": "{order_line}", "quantity": "0.01"}]}),
    ("GET", "/returns/<id>/approvals"): E("return", READ),
    ("POST", "/returns/<id>/approve"): E("return", "403 200 404 404 403", {}, fresh=True),
    ("POST", "/returns/<id>/reject"): E("return", "403 200 404 404 403", {"comment": "不符"}, fresh=True),
    ("GET", "/contracts"): E("contract", LIST),
    ("GET", "/contracts/<id>"): E("contract", READ),
    ("POST", "/contracts"): E(None, "201 201 422 422 403", CONTRACT),
    ("PATCH", "/contracts/<id>"): E("contract", WRITE, CONTRACT),
    ("GET", "/contracts/<id>/approvals"): E("contract_submitted", READ),
    ("POST", "/contracts/<id>/submit"): E("contract", WRITE, fresh=True),
    ("POST", "/contracts/<id>/withdraw"): E("contract", "409 409 404 404 403", {}),  # a draft waits for nobody
    ("POST", "/contracts/<id>/approve"): E("contract_submitted", "403 200 404 404 403", {}, fresh=True),
    ("POST", "/contracts/<id>/reject"): E("contract_submitted", "403 200 404 404 403", {"comment": "不符"},
                                          fresh=True),
    ("POST", "/contracts/<id>/change"): E("contract_active", WRITE, {"description": "增补条款", "amount": "1300.00"},
                                          fresh=True),
    ("POST", "/contracts/<id>/terminate"): E("contract_active", WRITE, {"reason": "客户倒闭"}, fresh=True),
    # a change or termination waits for its own approval, which the one who asked cannot give
    ("POST", "/contract-changes/<id>/approve"): E("contract_change", "403 200 404 404 403", {}, fresh=True),
    ("POST", "/contract-changes/<id>/reject"): E("contract_change", "403 200 404 404 403", {"comment": "不符"},
                                                 fresh=True),
    ("GET", "/contract-changes/<id>/approvals"): E("contract_change", READ),
    ("POST", "/contracts/<id>/close"): E("contract_active", WRITE, {"reason": "履约完毕"}, fresh=True),
    ("POST", "/contracts/<id>/renew"): E("contract_active", WRITE, {"end_date": "2031-12-31"},
                                         fresh=True),
    ("GET", "/campaigns"): E("campaign", LIST),
    ("GET", "/campaigns/<id>"): E("campaign", READ),
    ("POST", "/campaigns"): E(None, CREATE, {"name": "展会 {tag}", "kind": "exhibition", "starts_on": "2026-01-01",
                                             "ends_on": "2026-12-31", "budget": "1.00", "participants": []}),
    ("PATCH", "/campaigns/<id>"): E("campaign", WRITE, {"participants": ["{user_own}", "{user_dept}"]}),
    ("POST", "/campaign-tasks/<id>/done"): E("campaign_task", WRITE, fresh=True),
    ("POST", "/campaigns/<id>/costs"): E("campaign", "201 201 404 404 403",
                                         {"description": "展位", "amount": "1.00", "spent_on": "2026-03-01"}),
    ("POST", "/campaigns/<id>/tasks"): E("campaign", "201 201 404 404 403", {"title": "样品", "due_on": "2026-02-20"}),
    ("POST", "/campaigns/<id>/leads"): E("campaign", "201 201 422 422 403", {"customer_id": "{new:customer}"}),
    ("GET", "/campaigns/<id>/report"): E("campaign", READ),
    ("GET", "/targets"): E("target", LIST),
    ("GET", "/targets/<id>"): E("target", READ),
    # own scope may not set a department's target
    ("POST", "/targets"): E(None, "422 201 422 422 403", {"subject": "department", "department_path": "{east_path}",
                                                          "period": "{period}", "amount": "1.00"},
                            gap="Beijing sets a target for a Shanghai department (201): sales never reads the "
                                "org chart, so any department path of the right shape is taken"),
    ("PATCH", "/targets/<id>"): E("target", WRITE, {"amount": "2000.00"}),
    ("POST", "/targets/<id>/close"): E("target", WRITE, fresh=True),
    ("GET", "/approval-flows"): E(None, "200 200 200 200 403"),
    ("GET", "/approval-flows/<id>"): E(None, "404 404 404 404 403"),
    ("POST", "/approval-flows"): E(None, "422 422 422 422 403", {"document_type": "invoice", "name": "I", "steps": []}),
    ("PATCH", "/approval-flows/<id>"): E(None, "404 404 404 404 403", {"name": "x"}),
    ("POST", "/approval-flows/<id>/retire"): E(None, "404 404 404 404 403", {}),
    ("POST", "/approval-people/sync"): E(None, "200 200 200 200 403", {}),
    ("GET", "/approvals"): E(None, "200 200 200 200 200"),
    ("GET", "/approvals/<id>"): E("approval", "200 200 404 404 404"),
    ("POST", "/approvals/preview"): E(None, "200 200 200 200 200", {"document_type": "order"}),
    ("GET", "/approval-history/<document_type>/<id>"): E(None, "404 404 404 404 404"),  # no such type
    # an order's approval is decided on the order's own route, where the order changes with it
    ("POST", "/approvals/<id>/approve"): E("approval", "409 409 404 404 404", {}),
    ("POST", "/approvals/<id>/reject"): E("approval", "409 409 404 404 404", {"comment": "不行"}),
    ("POST", "/approvals/<id>/withdraw"): E("approval", "409 409 404 404 404", {}),
    # --- logistics ---
    ("GET", "/fulfilments"): E("fulfilment", LIST),
    ("GET", "/fulfilments/<id>"): E("fulfilment", READ),
    ("GET", "/shipments/freight-report"): E(None, "200 200 200 200 403", query={"start": "2026-01", "end": "2026-12"}),
    ("GET", "/shipments"): E("shipment", LIST),
    ("GET", "/shipments/<id>"): E("shipment", READ),
    ("POST", "/shipments"): E(None, "201 201 404 404 403", {"fulfilment_id": "{fulfilment}", "status": "pending",
                                                            "lines": [{"fulfilment_line_id": "{fulfilment_line}",
                                                                       "quantity": "1"}]}),
    ("POST", "/shipments/<id>/ship"): E("shipment", WRITE, fresh=True),
    ("POST", "/shipments/<id>/deliver"): E("shipment", "409 409 404 404 403"),  # pending: not shipped yet
    ("POST", "/shipments/<id>/cancel"): E("shipment", WRITE, fresh=True),
    # carriers and bank accounts are owned records like any other, not branch-wide reference data
    ("GET", "/carriers"): E("carrier", LIST),
    ("GET", "/carriers/<id>"): E("carrier", READ),
    ("POST", "/carriers"): E(None, CREATE, {"name": "承运 {tag}", "rates": []}),
    ("PATCH", "/carriers/<id>"): E("carrier", WRITE, {"phone": "95338"}),
    ("GET", "/goods-returns"): E("goods_return", LIST),
    ("GET", "/goods-returns/<id>"): E("goods_return", READ),
    ("POST", "/goods-returns/<id>/receive"): E("goods_return", "422 422 404 404 403",
                                               {"lines": [{"order_line_id": "{order_line}", "quantity": "99"}]}),
    ("GET", "/field-service-orders"): E("field_service", "see see hide hide 403"),
    ("GET", "/field-service-orders/<id>"): E("field_service", READ),
    ("POST", "/field-service-orders"): E(None, CREATE, {"contact_name": "李工", "contact_phone": "13800000000",
                                                        "address": "无锡", "equipment": "柴油机",
                                                        "fault_description": "冒黑烟"}),
    ("POST", "/field-service-orders/<id>/dispatch"): E("field_service", WRITE, {"provider_id": "{user_own}",
                                                                                "provider_name": "服务站"}, fresh=True),
    # on a new order: scope first, then the order's state
    **{("POST", f"/field-service-orders/<id>/{step}"): E("field_service", "409 409 404 404 403", {})
       for step in ("progress", "settle")},
    # these steps check their (large) body first: here only the permission check is shown
    **{("POST", f"/field-service-orders/<id>/{step}"): E("field_service", "422 422 422 422 403", {})
       for step in ("confirm", "feedback", "audit", "fee-statement", "hq-audit")},
    # --- finance ---
    ("GET", "/receivables"): E("receivable", LIST),
    ("GET", "/receivables/<id>"): E("receivable", READ),
    ("GET", "/receivables/<id>/plan"): E("receivable", READ),
    ("PUT", "/receivables/<id>/plan"): E("receivable", WRITE, {"instalments": [
        {"due_date": "2030-01-01", "amount": "{receivable_amount}"}]}),
    ("GET", "/receivables/<id>/invoicing"): E("receivable", READ),
    ("GET", "/receipts"): E("receipt", LIST),
    ("GET", "/receipts/<id>"): E("receipt", READ),
    ("POST", "/receipts"): E(None, "201 201 404 404 403", {"receivable_id": "{receivable}", "amount": "0.01",
                                                           "method": "bank_transfer"}),
    ("POST", "/receipts/<id>/reverse"): E("receipt", WRITE, {"reason": "退回"}, fresh=True),
    ("GET", "/orders/<id>/advance-receipts"): E("order_advanced", READ),
    ("POST", "/orders/<id>/advance-receipts"): E("order_advanced", "201 201 404 404 403",
                                                 {"amount": "0.01", "method": "bank_transfer"}),
    ("GET", "/bank-accounts"): E("bank_account", LIST),
    ("GET", "/bank-accounts/<id>"): E("bank_account", READ),
    ("POST", "/bank-accounts"): E(None, CREATE, {"name": "户 {tag}", "bank_name": "工商银行", "account_no": "{tag}",
                                                 "currency": "CNY"}),
    ("GET", "/bank-accounts/<id>/entries"): E("bank_account", READ),
    ("GET", "/invoices"): E("invoice", LIST),
    ("GET", "/invoices/<id>"): E("invoice", READ),
    ("POST", "/invoices"): E(None, "201 201 422 422 403", {"order_id": "{order_approved}", "amount": "0.01"}),
    ("POST", "/invoices/<id>/issue"): E("invoice", "409 409 404 404 403"),  # issued already
    ("POST", "/invoices/<id>/fapiao"): E("invoice", WRITE, {"fapiao_number": "{digits}", "fapiao_date": "2026-12-01"},
                                         fresh=True),
    ("POST", "/invoices/<id>/reverse"): E("invoice", WRITE, {"reason": "开票有误"}, fresh=True),
    ("GET", "/buyer-titles"): E("buyer_title", LIST),
    ("GET", "/buyer-titles/<id>"): E("buyer_title", READ),
    ("POST", "/buyer-titles"): E(None, CREATE, {"customer_id": C, "name": "抬头 {tag}"}),
    ("PATCH", "/buyer-titles/<id>"): E("buyer_title", WRITE, {"name": "新抬头"}),
    ("GET", "/payments"): E(None, "200 200 200 200 403"),
    ("GET", "/payments/<id>"): E(None, "404 404 404 404 403"),
    ("POST", "/payments/<id>/pay"): E(None, "404 404 404 404 403", {"bank_account_id": "{bank_account}"}),
    ("GET", "/finance/ageing"): E(None, "200 200 200 200 403"),
    # a statement is built from the receivables in the caller's scope: empty for the others
    ("GET", "/finance/statements/<id>"): E("customer", "see see hide hide 403", item="receivable",
                                           items="receivables", query={}),
    # --- workspace ---
    ("GET", "/announcements"): E("announcement", WIDE_LIST),
    ("GET", "/announcements/<id>"): E("announcement", WIDE),
    ("POST", "/announcements"): E(None, CREATE, {"title": "通知", "body": "内容"}),
    ("POST", "/announcements/<id>/read"): E("announcement", WIDE),
    # edits and withdrawal are the author's side: write scope, like receipts
    ("PATCH", "/announcements/<id>"): E("announcement", WRITE, {"body": "改到周六"}),
    ("POST", "/announcements/<id>/withdraw"): E("announcement", WRITE, fresh=True),
    ("GET", "/announcements/<id>/read-receipts"): E("announcement", READ),  # the author's business
    # notifications carry the scope of what they are about: the department head sees the team's
    ("GET", "/notifications"): E("notification", LIST),
    ("GET", "/notifications/unread-count"): E(None, "200 200 200 200 403"),
    ("POST", "/notifications/<id>/read"): E("notification", WRITE),
    ("GET", "/calendar/events"): E("event", LIST, query={"view": "month", "date": "{event_day}"}),
    ("POST", "/calendar/events"): E(None, CREATE, {"title": "会", "starts_at": "2030-01-01T09:00:00+00:00",
                                                   "ends_at": "2030-01-01T10:00:00+00:00"}),
    ("GET", "/calendar/events/<id>"): E("event", READ),
    # department scope on calendar.use: the head sees and manages the team's diary of events
    ("PATCH", "/calendar/events/<id>"): E("event", WRITE, {"title": "改期"}),
    ("DELETE", "/calendar/events/<id>"): E("event", "204 204 404 404 403", fresh=True),
    ("POST", "/calendar/feed-token"): E(None, "200 200 200 200 403"),
    ("GET", "/calendar/feed/<token>.ics"): E(None, "404 404 404 404 404"),
    ("GET", "/categories"): E(None, ANYONE, query={"kind": "business"}),
    ("POST", "/categories"): E(None, CREATE, {"kind": "business", "name": "类别 {tag}"}),
    ("GET", "/calls"): E("call", LIST),
    ("GET", "/calls/<id>"): E("call", READ),
    ("POST", "/calls"): E(None, CREATE, {"phone": "13800002222", "summary": "咨询"}),
    ("POST", "/calls/<id>/handle"): E("call", WRITE, {"result": "已回复"}, fresh=True),
    ("GET", "/call-statistics"): E(None, "200 200 200 200 403", query={"date_from": "2026-01-01",
                                                                        "date_to": "2026-01-31"}),
    ("GET", "/work-orders"): E("work_order", LIST),
    ("GET", "/work-orders/<id>"): E("work_order", READ),
    ("POST", "/work-orders"): E(None, "201 201 404 422 403", {"call_id": "{new:call}", "category_id": "{category}",
                                                              "title": "维修", "description": "上门"}),
    ("POST", "/work-orders/<id>/close"): E("work_order", WRITE, {"resolution": "更换"}, fresh=True),
    # the assignee must lie in the caller's scope (checked first, as for customers): own scope can hand to no one
    ("POST", "/work-orders/<id>/assign"): E("work_order", "422 200 422 422 403", {"assignee_id": "{user_dept}"},
                                            fresh=True),
    ("GET", "/articles"): E("article", WIDE_LIST),
    ("GET", "/articles/<id>"): E("article", WIDE),
    ("POST", "/articles"): E(None, "201 201 201 422 403", {"category_id": "{article_category}", "title": "新文章",
                                                           "body": "正文"}),
    ("PATCH", "/articles/<id>"): E("article", "200 200 403 404 403", {"title": "改标题"}),  # readable: 403
    ("GET", "/diary"): E("diary", LIST),
    ("POST", "/diary"): E(None, CREATE, {"entry_date": "2026-03-12", "title": "日志", "content": "内容"}),
    ("GET", "/diary/<id>"): E("diary", READ),
    ("PATCH", "/diary/<id>"): E("diary", "200 404 404 404 403", {"title": "改"}),
    ("GET", "/plans"): E("plan", LIST),
    ("POST", "/plans"): E(None, CREATE, {"period": "weekly", "day": "2026-03-19", "title": "计划", "content": "内容"}),
    ("GET", "/plans/<id>"): E("plan", READ),
    ("POST", "/plans/<id>/records"): E("plan", "201 404 404 404 403", {"content": "完成两家"}),
    ("GET", "/documents"): E("document", LIST),
    ("POST", "/documents"): E(None, CREATE),
    ("GET", "/documents/<id>"): E("document", READ),
    ("GET", "/documents/<id>/content"): E("document", READ),
    ("DELETE", "/documents/<id>"): E("document", "204 204 404 404 403", fresh=True),
    ("POST", "/documents/<id>/shares"): E("document", WRITE, {"department_paths": ["{east_path}"]}),
    ("GET", "/reminders"): E("reminder", "see hide hide hide 403"),
    ("POST", "/reminders"): E(None, CREATE, {"title": "提醒", "due_at": "2030-01-01T09:00:00+00:00"}),
    ("POST", "/reminders/<id>/done"): E("reminder", "200 404 404 404 403", fresh=True),
    ("GET", "/sms"): E("sms", LIST),
    ("POST", "/sms"): E(None, CREATE, {"phone": "13700005678", "body": "您好"}),
    ("GET", "/sms/opt-outs"): E("opt_out", WIDE_LIST),
    ("POST", "/sms/opt-outs"): E(None, CREATE, {"phone": "136{digits}", "reason": "客户要求"}),
    ("DELETE", "/sms/opt-outs/<id>"): E("opt_out", "204 204 204 404 403", fresh=True),
    ("GET", "/dashboard"): E(None, ANYONE),
    # jobs that touch every record run last, on a "now" long past so they change nothing
    ("POST", "/customer-pool/run-jobs"): E(None, "200 200 200 200 403", {"now": "2000-01-01T00:00:00+00:00"}),
    ("POST", "/contract-reminders/run"): E(None, "200 200 200 200 403", {"now": "2000-01-01T00:00:00+00:00"}),
    ("POST", "/field-service-reminders/run"): E(None, "200 200 200 200 403", {"now": "2000-01-01T00:00:00+00:00"}),
    ("POST", "/finance/dunning/run"): E(None, "200 200 200 200 403", {"as_of": "2000-01-01"}),
    **{("GET", path): E(None, "200 200 200 200 403", query=REPORT_QUERIES.get(path, {})) for path in REPORTS},
    **{("GET", f"{path}/export"): E(None, "200 200 200 200 403", query=REPORT_QUERIES.get(path, {}))
       for path in REPORTS},
}


def test_matrix_names_every_route_exactly():
    routes = [(r.method, r.path) for r in ROUTES]
    assert len(routes) == len(set(routes))
    assert sorted(set(routes) - set(MATRIX)) == [], "routes without a matrix entry"
    assert sorted(set(MATRIX) - set(routes)) == [], "matrix entries naming no route"


def _fill(value, ids, make):
    if isinstance(value, dict):
        return {k: _fill(v, ids, make) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, ids, make) for v in value]
    if not isinstance(value, str):
        return value
    if (new := re.fullmatch(r"\{new:(\w+)\}", value)) is not None:
        return make[new.group(1)]()
    return re.sub(r"\{(\w+)\}", lambda m: _placeholder(m.group(1), ids), value)


def _placeholder(name, ids):
    if name == "tag":
        return _tag()
    if name == "period":  # targets are unique per subject and month
        return f"{2040 + uuid.uuid4().int % 900}-{1 + uuid.uuid4().int % 12:02d}"
    if name == "month":
        return current_day().strftime("%Y-%m")
    if name == "digits":
        return f"{uuid.uuid4().int % 10**8:08d}"
    return str(ids[name])


def _request(method, path, entry, record, ids, make) -> tuple[str, dict]:
    path = re.sub(r"<([a-z_]+)>", lambda m: str(record) if m.group(1) == "id" and record else
                  str(ids[PATH_IDS[m.group(1)]]) if m.group(1) in PATH_IDS else
                  SAMPLE.get(m.group(1), str(uuid.uuid4())), path)
    if method == "GET":
        default = {"limit": 200} if _listing(entry) else {}
        return path, {"params": _fill(entry.query if entry.query is not None else default, ids, make)}
    if method == "POST" and path.startswith("/customer-imports/") and path.endswith("/file"):
        return path, {"params": {"name": "导入.csv"}, "data": "客户名称\n矩阵导入\n".encode()}
    if method == "POST" and path == "/documents":
        return path, {"params": {"name": "上传.pdf"}, "data": b"%PDF-1.4 matrix\n",
                      "headers": {"Content-Type": "application/pdf"}}
    return path, {"json": _fill(entry.body or {}, ids, make)} if method != "DELETE" else {}


def _listing(entry) -> bool:
    return entry.expect["own"] in ("see", "hide")


def _answer(entry, response, ids):
    if not _listing(entry) or response.status_code != 200:
        return response.status_code
    listed = {item.get("id", item.get("phone")) for item in response.json()[entry.items]}  # opt-outs: by phone
    return "see" if str(ids[entry.item]) in listed else "hide"


@pytest.mark.parametrize("key", [pytest.param(key, id=f"{key[0]} {key[1]}", marks=[pytest.mark.xfail(
    strict=True, reason=entry.gap)] if entry.gap else []) for key, entry in MATRIX.items()])
def test_matrix(key, world, people):
    entry, ids, make = MATRIX[key], world["ids"], world["make"]
    # Records and bodies are made one after the other (they all go through `own`'s session); the
    # five callers then ask at once, each on their own session, which keeps the module's run short.
    requests_ = {who: _request(key[0], key[1], entry, make[entry.kind]() if entry.fresh and who != "nobody"
                               else ids.get(entry.kind), ids, make) for who in CALLERS}
    with ThreadPoolExecutor(len(CALLERS)) as pool:
        responses = dict(zip(CALLERS, pool.map(
            lambda who: people["api"][who].request(key[0], requests_[who][0], **requests_[who][1]), CALLERS), strict=True))
    assert {who: _answer(entry, responses[who], ids) for who in CALLERS} == entry.expect


def test_head_office_reads_every_report(people, world):
    """Reports are no pages to merge: head office gets each branch's own, side by side."""
    wrong = []
    for route in ROUTES:
        if route.report and "<" not in route.path:
            query = _fill(MATRIX[(route.method, route.path)].query or {}, world["ids"], world["make"])
            response = people["admin"].get(route.path, params=query)
            if response.status_code != 200 or set(response.json()) != {"branches", "missing_branches"} \
                    or set(response.json()["branches"]) != {"SH", "BJ"}:
                wrong.append(f"{route.path}: {response.status_code} {response.text[:200]}")
    assert not wrong, wrong


def test_an_admin_short_of_head_office_grants_nothing_beyond_their_own(people):
    branch, me = people["api"]["branch"], people["users"]["branch"]
    head_office = next(r for r in people["admin"].get("/roles").json()["items"] if r["data_scope"] == "all")
    assert branch.post("/roles", json={"name": f"总部 {_tag()}", "data_scope": "all",
                                       "permissions": ["customers.read"]}).status_code == 403
    assert branch.patch(f"/roles/{head_office['id']}", json={"name": "总部"}).status_code == 403
    # one's own roles are changed by another administrator (422) — and never to a wider one
    assert branch.patch(f"/users/{me['id']}", json={"role_ids": [head_office["id"]]}).status_code == 422
    assert branch.get("/me").json()["data_scope"] == "branch"


def test_logout_with_another_users_token_ends_nothing(people, world):
    token = world["make"]["refresh_token"]()
    for who in ("dept", "other", "branch", "nobody"):
        assert people["api"][who].post("/auth/logout", json={"refresh_token": token}).status_code == 204
    assert people["anonymous"].post("/auth/refresh", json={"refresh_token": token}).status_code == 200


def test_every_route_names_its_permission_or_is_listed():
    unnamed = {(r.method, r.path) for r in ROUTES if not r.public and r.permission is None}
    assert unnamed == ANY_SIGNED_IN


def test_every_route_refuses_anonymous_and_unpermitted_callers(people):
    anonymous, nobody = people["anonymous"], people["api"]["nobody"]
    wrong = []
    for route in ROUTES:
        if route.public:
            continue
        path = re.sub(r"<([a-z_]+)>", lambda m: SAMPLE.get(m.group(1), str(uuid.uuid4())), route.path)
        kwargs = {"json": {}} if route.method in ("POST", "PATCH", "PUT") else {}
        status = anonymous.request(route.method, path, **kwargs).status_code
        if status != 401:
            wrong.append(f"anonymous {route.method} {route.path}: {status}")
        if route.permission:
            status = nobody.request(route.method, path, **kwargs).status_code
            if status != 403:
                wrong.append(f"no permission {route.method} {route.path}: {status}")
    assert not wrong, "\n".join(wrong)
