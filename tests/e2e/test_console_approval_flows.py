"""系统管理 · 审批流程设置 in Chromium against the real suite (issue 17): the administrator enables the
order flow with two steps — a named approver (指定人员), then the submitter's 直属上级 — after the
server refused the first save for a step without its users (the 422 beside the field), previews
who would approve (提交后将由谁审批), and on a phone edits it and previews again; a rep submits an
order and the named approver, in another department and seeing only their own records, finds it
in 审批 with the customer and opens it. An expense's named approver, on a phone, opens the expense
from 审批 (its customer outside their scope) and approves it there. Both sizes photographed,
axe-core, no sideways scrolling."""
import shutil
import uuid

import pytest

pytestmark = pytest.mark.e2e

from playwright.sync_api import expect  # noqa: E402

from console_browser import ADMIN_PASSWORD, DESKTOP, OUTPUT, PHONE, ROOT, choose, open_screen, sign_in  # noqa: E402

PERMISSIONS = ["customers.read", "customers.write", "products.read", "orders.read", "orders.write", "orders.approve",
               "notifications.read", "expenses.approve"]


@pytest.fixture(scope="module")
def people(admin, org, helpers):
    tag = uuid.uuid4().hex[:4]
    role = admin.post("/roles", json={"name": f"流程 {tag}", "permissions": PERMISSIONS, "data_scope": "own"}).json()
    made = {}
    for code, department, manager in (("chief", "Sales West", None), ("named", "Sales West", None),
                                      ("rep", "Sales East", "chief")):
        response = admin.post("/users", json={
            "code": f"af_{code}_{tag}", "name": f"流程{code}{tag}", "password": f"{code}-password-{tag}",
            "department_id": org["departments"][department]["id"], "role_ids": [role["id"]],
            "manager_id": made.get(manager, {}).get("id")})
        assert response.status_code == 201, response.text
        made[code] = {**response.json(), "password": f"{code}-password-{tag}",
                      "api": helpers.login(f"af_{code}_{tag}", f"{code}-password-{tag}")}
    return made


@pytest.fixture
def no_order_flow(admin):
    """The test enables the order flow itself; afterwards the type is back to its default.
    启用流程 starts from the type's last retired version, which other tests of the same suite
    leave as they like: a known one (one step, 按权限) is retired last."""
    for flow in admin.get("/approval-flows", params={"document_type": "order"}).json()["items"]:
        assert admin.post(f"/approval-flows/{flow['id']}/retire", json={}).status_code == 200
    known = admin.post("/approval-flows", json={"document_type": "order", "name": "按权限",
                                                 "steps": [{"name": "x", "approver": {"permission": "orders.approve"}}]})
    assert known.status_code in (200, 201), known.text
    assert admin.post(f"/approval-flows/{known.json()['id']}/retire", json={}).status_code == 200
    yield
    for flow in admin.get("/approval-flows", params={"document_type": "order"}).json()["items"]:
        assert admin.post(f"/approval-flows/{flow['id']}/retire", json={}).status_code == 200


def _admin_tab(browser, base, size, name):
    screen = open_screen(browser, size, name)
    sign_in(screen, base, "admin", ADMIN_PASSWORD, "/admin")
    screen.page.locator(".tabs-bar label", has_text="审批流程设置").click()
    expect(screen.page.locator("[data-test=flow-type]")).to_have_count(11)
    return screen


def _preview(page, names):
    card = page.locator("[data-test=flow-type][data-type=order]")
    card.locator("[data-test=flow-preview]").click()
    card.get_by_label("单据金额").fill("500.00")
    card.locator("[data-test=flow-preview]").click()
    stages = card.locator("[data-test=preview-stage]")
    expect(stages).to_have_count(len(names))
    for stage, name in zip(stages.all(), names, strict=True):
        expect(stage).to_contain_text(name)


def _keep(screen, name):
    screen.shoot(name)
    screen.no_sideways_scroll()
    docs = ROOT / "docs" / "console"
    shutil.copyfile(OUTPUT / f"{name}-{screen.size}.png", docs / f"{name}-{screen.size}.png")


def test_the_admin_sets_up_a_two_step_order_flow_and_the_named_approver_gets_the_order(
        browser, base, admin, people, product, no_order_flow):
    named, chief, rep = people["named"], people["chief"], people["rep"]
    screen = _admin_tab(browser, base, DESKTOP, "desktop")
    page = screen.page
    order_card = page.locator("[data-test=flow-type][data-type=order]")
    order_card.locator("[data-test=flow-enable]").click()
    dialog = page.locator(".el-dialog:visible")
    dialog.locator("#flow-name").fill("订单两级审批")
    dialog.locator("#step-name-0").fill("销售内勤")
    choose(page, "#step-kind-0", "指定人员")
    dialog.locator("[data-test=flow-step]").first.locator(".el-radio", has_text="依次审批").click()
    dialog.locator("[data-test=flow-save]").click()  # no users named yet: the server says where
    expect(dialog.locator("[data-test=flow-step]").first.locator(".el-form-item__error")).to_be_visible()
    assert admin.get("/approval-flows", params={"document_type": "order"}).json()["items"] == []

    dialog.locator("#step-users-0").click(force=True)
    page.keyboard.type(named["name"])
    page.locator(".el-select-dropdown__item:visible", has_text=named["name"]).first.click()
    dialog.locator("legend").first.click()  # closes the list (Escape would close the dialog)
    dialog.locator("[data-test=step-add]").click()
    dialog.locator("#step-name-1").fill("直属上级审批")
    choose(page, "#step-kind-1", "直属上级")
    expect(dialog.locator("#step-level-1")).to_be_visible()
    dialog.get_by_text("由最高一级上级审批").click()
    dialog.get_by_text("转交流程管理员").click()  # the administrator field appears with it …
    expect(dialog.locator("#flow-admin")).to_be_visible()
    dialog.get_by_text("自动通过").click()  # … and goes with auto-pass
    dialog.get_by_text("从驳回的步骤开始").click()
    screen.shoot("approval-flow-editor")
    dialog.locator("[data-test=flow-save]").click()
    expect(dialog).to_be_hidden()

    flow = admin.get("/approval-flows", params={"document_type": "order"}).json()["items"][0]
    assert (flow["name"], flow["restart"], flow["no_approver"], flow["version"]) == (
        "订单两级审批", "rejected_step", "auto_pass", 1)
    assert [s["approver"] for s in flow["steps"]] == [
        {"kind": "users", "user_ids": [named["id"]], "mode": "sequence"},
        {"kind": "superior", "level": 1, "fallback": "nearest"}]
    expect(order_card.locator(".flow-steps li")).to_have_count(2)
    # the admin has no superior: the second stage passes on its own for them
    _preview(page, [named["name"], "自动通过"])
    _keep(screen, "approval-flows")
    assert not screen.problems, screen.problems
    page.context.close()

    # on a phone: the editor opens with the flow as saved, one column, and a save is version 2
    screen = _admin_tab(browser, base, PHONE, "phone")
    page = screen.page
    order_card = page.locator("[data-test=flow-type][data-type=order]")
    _preview(page, [named["name"], "自动通过"])
    _keep(screen, "approval-flows")
    order_card.locator("[data-test=flow-edit]").click()
    dialog = page.locator(".el-dialog:visible")
    expect(dialog.locator("[data-test=flow-step]")).to_have_count(2)
    expect(dialog.locator("#step-name-1")).to_have_value("直属上级审批")
    screen.shoot("approval-flow-editor")
    screen.no_sideways_scroll()
    dialog.locator("[data-test=flow-save]").click()
    expect(dialog).to_be_hidden()
    assert admin.get("/approval-flows", params={"document_type": "order"}).json()["items"][0]["version"] == 2
    assert not screen.problems, screen.problems
    page.context.close()

    # the rep submits; the named approver (Sales West, scope own) has it in 审批 and opens it
    customer = rep["api"].post("/customers", json={"name": "流程客户", "confirm_duplicate": True}).json()
    order = rep["api"].post("/orders", json={"customer_id": customer["id"],
                                             "lines": [{"product_id": product["id"], "quantity": "2"}]}).json()
    assert rep["api"].post(f"/orders/{order['id']}/submit", json={}).status_code == 200
    stages = rep["api"].get(f"/orders/{order['id']}/approvals").json()[-1]["steps"]
    assert [s["user_ids"] for s in stages] == [[named["id"]], [chief["id"]]]
    screen = open_screen(browser, PHONE, "phone")
    page = screen.page
    sign_in(screen, base, named["code"], named["password"], "/approvals")
    card = page.locator("[data-test=approval][data-type=order]", has_text=order["number"])
    expect(card).to_contain_text("流程客户")
    expect(card.locator("[data-test=approval-lines]")).to_contain_text(f"{product['name']} × 2")
    _keep(screen, "approval-flows-approver")
    card.get_by_role("link", name=order["number"]).click()
    expect(page.get_by_text(order["number"]).first).to_be_visible()
    expect(page.get_by_text("未找到，或你无权查看")).to_have_count(0)
    assert not screen.problems, screen.problems
    page.context.close()


@pytest.fixture
def expense_flow(admin, people):
    """Expenses go to the named approver for one test; the type is back to its default afterwards."""
    made = admin.post("/approval-flows", json={"document_type": "expense_reimbursement", "name": "费用指定人", "steps": [
        {"name": "指定人", "approver": {"kind": "users", "user_ids": [people["named"]["id"]]}}]})
    assert made.status_code == 201, made.text
    yield
    assert admin.post(f"/approval-flows/{made.json()['id']}/retire", json={}).status_code == 200


def test_an_approver_opens_an_expense_from_approvals_on_a_phone_and_approves_it_there(browser, base, people,
                                                                                      expense_flow, helpers):
    rep, named = people["rep"], people["named"]
    customer = rep["api"].post("/customers", json={"name": "费用审批客户", "confirm_duplicate": True}).json()
    expense = rep["api"].post(f"/customers/{customer['id']}/expenses", json={
        "category": "entertainment", "amount": "268.00", "spent_on": "2026-11-20", "notes": "客户来访招待"}).json()
    assert named["api"].get(f"/customers/{customer['id']}").status_code == 404  # the customer is not theirs
    assert helpers.eventually(lambda: named["api"].get(f"/expenses/{expense['id']}/approvals").status_code == 200)
    for size, name in ((DESKTOP, "desktop"), (PHONE, "phone")):
        screen = open_screen(browser, size, name)
        page = screen.page
        sign_in(screen, base, named["code"], named["password"], "/approvals")
        card = page.locator("[data-test=approval][data-type=expense_reimbursement]", has_text="268.00")
        card.locator("[data-test=open-document]").click()
        expect(page.locator("[data-test=document-amount]")).to_have_text("268.00 CNY")
        expect(page.locator("[data-test=document-customer_name]")).to_have_text("费用审批客户")
        expect(page.locator("[data-test=document-category]")).to_have_text("招待")
        _keep(screen, "approval-document")
        if size is PHONE:
            page.get_by_label("意见").fill("招待合理，同意")
            page.locator("[data-test=approve]").click()
            page.wait_for_url(f"{base}/approvals")
            expect(page.locator("[data-test=approval]", has_text="268.00")).to_have_count(0)
        assert not screen.problems, screen.problems
        page.context.close()
    decided = helpers.eventually(lambda: (e := named["api"].get(f"/expenses/{expense['id']}").json())["status"]
                                 == "approved" and e)
    assert decided["decision_comment"] == "招待合理，同意"
