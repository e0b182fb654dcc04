"""The console's 客户 list and detail, 公海, 审批 and 商机 beyond the day's path (issue 12, part 1).

The list filters by region (cascader), industry, group, owner and tag, sorts, remembers the
columns per user, keeps 场景 and assigns in a batch; export downloads a file. The detail shows every
tab's count, the contacts' reports-to tree and key members, and adds records. 公海 says why and since
when each customer is there, and a rep releases or asks for more days from it. 审批 decides a pool
extension with a comment (a reject without one shows the field error). 商机 are created from the
board. Every screen is photographed at both sizes and checked with axe-core.
"""
import re
import uuid
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from console_browser import (ADMIN_PASSWORD, DESKTOP, PHONE, choose, choose_region, open_screen, pick,
                             sign_in)
from crm_common.branch_time import current_day  # the suite's days are Beijing's

pytestmark = pytest.mark.e2e
MARK = uuid.uuid4().hex[:4]  # names of this run only: the duplicate check refuses a second 杭州某某


@pytest.fixture(scope="module")
def listed(admin, org, helpers):
    """Three customers of the admin's that differ in region, industry, group and tag."""
    key, plain = helpers.group("华东/重点"), helpers.group("华东/普通")
    rows = [
        {"name": f"杭州列表五金{MARK}", "province": "浙江省", "city": "杭州市", "industry": "manufacturing",
         "group_id": key, "tags": ["展会"]},
        {"name": f"宁波列表贸易{MARK}", "province": "浙江省", "city": "宁波市", "industry": "wholesale_retail",
         "group_id": plain, "tags": []},
        {"name": f"南京列表软件{MARK}", "province": "江苏省", "city": "南京市", "industry": "it",
         "group_id": key, "tags": ["展会"]},
    ]
    made = []
    for row in rows:
        response = admin.post("/customers", json={**row, "confirm_duplicate": True})
        assert response.status_code == 201, response.text
        made.append(response.json())
    return made


def rows_shown(page) -> list[str]:
    page.wait_for_load_state("networkidle")
    return [text.strip() for text in page.locator("[data-test=customer-row]").all_text_contents()]


def test_the_list_filters_sorts_remembers_columns_keeps_scenes_and_assigns(browser, base, admin, org, listed):
    screen = open_screen(browser, DESKTOP, "desktop")
    page = screen.page
    sign_in(screen, base, "admin", ADMIN_PASSWORD, "/customers")
    page.wait_for_selector("[data-test=customer-table]")
    page.fill("input[aria-label='名称']", MARK)

    choose_region(page, "[data-test=f-region]", ["浙江省"])
    page.click("button[type=submit]:has-text('查询')")
    expect(page.locator("[data-test=customer-row]", has_text=MARK)).to_have_count(2)
    assert not any("南京" in name for name in rows_shown(page))
    choose(page, "[data-test=f-industry]", "批发零售")
    page.click("button[type=submit]:has-text('查询')")
    expect(page.locator("[data-test=customer-row]", has_text=MARK)).to_have_count(1)
    assert [n for n in rows_shown(page) if MARK in n] == [f"宁波列表贸易{MARK}"]

    page.click("button:has-text('重置')")
    page.fill("input[aria-label='名称']", MARK)
    choose_region(page, "[data-test=f-group]", ["华东", "重点"])  # the 客户群 cascader works the same way
    page.fill("input[aria-label='标签']", "展会")
    choose(page, "[data-test=sort]", "名称")
    page.click("button[type=submit]:has-text('查询')")
    expect(page.locator("[data-test=customer-row]")).to_have_count(2)
    names = rows_shown(page)
    by_name = admin.get("/customers", params={"name": MARK, "group": "华东/重点", "tag": "展会", "sort": "name"}).json()
    assert names == [c["name"] for c in by_name["items"]] and {n[:2] for n in names} == {"杭州", "南京"}

    # 场景: saved for this user on the server, and applied again after a reset
    page.click("[data-test=save-scene]")
    page.fill(".el-message-box input", f"重点展会{MARK}")
    page.click(".el-message-box button:has-text('保存')")
    page.wait_for_selector(".el-message:has-text('已保存')")
    saved = [s for s in admin.get("/saved-filters", params={"list": "customers"}).json()["items"]
             if s["name"] == f"重点展会{MARK}"]
    assert saved and saved[0]["query"] == {"name": MARK, "group": "华东/重点", "tag": "展会", "sort": "name"}
    page.click("button:has-text('重置')")
    expect(page.locator("[data-test=customer-row]", has_text=MARK)).to_have_count(3)
    choose(page, "[data-test=scene]", f"重点展会{MARK}")
    expect(page.locator("[data-test=customer-row]")).to_have_count(2)

    # the column chooser is remembered for this user across a reload
    expect(page.locator(".el-table__header th", has_text="标签")).to_have_count(0)
    page.click("[data-test=columns]")
    page.locator(".column-chooser .el-checkbox", has_text="标签").click()
    expect(page.locator(".el-table__header th", has_text="标签")).to_have_count(1)
    page.reload()
    page.wait_for_selector("[data-test=customer-table]")
    expect(page.locator(".el-table__header th", has_text="标签")).to_have_count(1)

    # export downloads the filtered list as a file
    page.click("button:has-text('重置')")
    page.fill("input[aria-label='名称']", MARK)
    page.click("button[type=submit]:has-text('查询')")
    expect(page.locator("[data-test=customer-row]", has_text=MARK)).to_have_count(3)
    with page.expect_download() as download:
        page.click("[data-test=export]")
    content = open(download.value.path(), encoding="utf-8-sig").read()
    assert all(c["name"] in content for c in listed), content[:500]
    screen.shoot("customers-filters")

    # batch assign to a user picked from the directory
    page.locator(".el-table__body tr", has_text=f"宁波列表贸易{MARK}").locator(".el-checkbox").click()
    page.locator(".el-table__body tr", has_text=f"南京列表软件{MARK}").locator(".el-checkbox").click()
    page.click("[data-test=assign]")
    pick(page, "#assign-owner", "rep_a")
    screen.shoot("customers-assign")
    page.click("[data-test=assign-confirm]")
    page.wait_for_selector(".el-message:has-text('已分配')")
    rep_a = org["users"]["rep_a"]["id"]
    assert [admin.get(f"/customers/{c['id']}").json()["owner_id"] == rep_a for c in listed] == [False, True, True]
    # a row's name is a plain link the router follows: the detail opens in the same page
    opened = next(c for c in listed if c["name"] == f"南京列表软件{MARK}")
    page.locator("[data-test=customer-row]", has_text=f"南京列表软件{MARK}").first.click()
    expect(page).to_have_url(f"{base}/customers/{opened['id']}")
    expect(page.locator(".header-card")).to_contain_text(f"南京列表软件{MARK}")
    assert not screen.problems, screen.problems
    page.context.close()


@pytest.fixture(scope="module")
def detailed(admin, listed):
    """The first listed customer with a reports-to chain, a key member, a relation and an opportunity."""
    customer = listed[0]
    path = f"/customers/{customer['id']}"
    boss = admin.post(f"{path}/contacts", json={"name": "周总", "title": "总经理", "is_key_member": True,
                                                "decision_role": "decision_maker"}).json()
    buyer = admin.post(f"{path}/contacts", json={"name": "吴经理", "title": "采购经理", "reports_to_id": boss["id"],
                                                 "decision_role": "influencer"}).json()
    admin.post(f"{path}/contacts", json={"name": "郑工", "reports_to_id": buyer["id"]})
    assert admin.post(f"{path}/relations", json={"to_id": listed[2]["id"], "kind": "partner"}).status_code == 201
    stage = admin.post("/opportunity-stages", json={"name": f"方案{MARK}", "position": 50, "probability": 50}).json()
    assert admin.post("/opportunities", json={
        "customer_id": customer["id"], "title": f"年度框架{MARK}", "stage_id": stage["id"],
        "expected_amount": "80000.00", "expected_close_date": "2027-06-30"}).status_code == 201
    return {**customer, "stage": stage}


def test_next_page_adds_the_following_rows_once_however_often_it_is_clicked(browser, base, admin):
    mark = f"翻页{MARK}"
    for i in range(23):
        response = admin.post("/customers", json={"name": f"{mark}客户{i:02d}", "confirm_duplicate": True})
        assert response.status_code == 201, response.text
    first = admin.get("/customers", params={"name": mark, "limit": 20}).json()
    rest = admin.get("/customers", params={"name": mark, "limit": 20, "cursor": first["next_cursor"]}).json()
    expected = [c["name"] for c in first["items"] + rest["items"]]
    assert len(set(expected)) == 23 and not rest.get("next_cursor")

    screen = open_screen(browser, DESKTOP, "desktop")
    page = screen.page
    sign_in(screen, base, "admin", ADMIN_PASSWORD, "/customers")
    page.wait_for_selector("[data-test=customer-table]")
    page.fill("input[aria-label='名称']", mark)
    page.click("button[type=submit]:has-text('查询')")
    expect(page.locator("[data-test=customer-row]")).to_have_count(20)
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url) if "/api/v1/customers?" in r.url and "cursor=" in r.url else None)
    # the second click comes while the page is on its way (or after the last page, when 下一页 is gone)
    page.locator("[data-test=customer-table] ~ div [data-test=more]").dblclick()
    expect(page.locator("[data-test=customer-row]")).to_have_count(23)
    assert rows_shown(page) == expected
    assert len(asked) == 1, asked
    expect(page.locator("[data-test=customer-table] ~ div [data-test=more]")).to_have_count(0)
    assert not screen.problems, screen.problems
    page.context.close()


def test_the_detail_counts_every_tab_draws_the_contact_tree_and_adds_records(browser, base, admin, detailed):
    screen = open_screen(browser, DESKTOP, "desktop")
    page = screen.page
    sign_in(screen, base, "admin", ADMIN_PASSWORD, f"/customers/{detailed['id']}")
    page.wait_for_selector("[data-test=customer-name]")
    tabs = page.locator(".el-tabs__item")
    for label in ("联系人 (3)", "商机 (1)", "合同 (0)", "应收 (0)", "售后 (0)", "纪念日 (0)", "客户关系 (1)"):
        expect(tabs.filter(has_text=label)).to_have_count(1)

    page.click(".el-tabs__item:has-text('联系人')")
    tree = page.locator("[data-test=contact-tree]")
    # 郑工 reports to 吴经理, who reports to 周总: two levels of nesting
    expect(tree.locator(".el-tree-node .el-tree-node .el-tree-node [data-test=contact]", has_text="郑工")).to_have_count(1)
    expect(tree.locator(".el-tree-node .el-tree-node [data-test=contact]", has_text="吴经理")).to_have_count(1)
    expect(page.locator("[data-test=key-members]")).to_contain_text("周总 · 决策者")
    page.fill("#nc-name", "冯助理")
    choose(page, "[data-test=nc-reports]", "周总")
    page.click("[data-test=save-contact]")
    expect(tree.locator(".el-tree-node .el-tree-node [data-test=contact]", has_text="冯助理")).to_have_count(1)
    expect(tabs.filter(has_text="联系人 (4)")).to_have_count(1)

    page.click(".el-tabs__item:has-text('纪念日')")
    page.fill("#d-label", "合作周年")
    page.fill("#d-date", "2027-05-01")
    page.keyboard.press("Enter")
    page.click("[data-test=save-date]")
    expect(page.locator("[data-test=important-date]", has_text="合作周年")).to_have_count(1)
    expect(tabs.filter(has_text="纪念日 (1)")).to_have_count(1)

    page.click(".el-tabs__item:has-text('售后')")
    page.fill("#s-kind", "上门维修")
    page.fill("#s-summary", "更换电机轴承")
    page.click("[data-test=save-service]")
    expect(page.locator("[data-test=service-record]", has_text="更换电机轴承")).to_have_count(1)
    expect(tabs.filter(has_text="售后 (1)")).to_have_count(1)

    page.click(".el-tabs__item:has-text('客户关系')")
    expect(page.locator("[data-test=relation]")).to_contain_text(f"南京列表软件{MARK}")
    page.click(".el-tabs__item:has-text('操作记录')")
    history = page.locator("[data-test=history]")
    for kind in ("创建", "添加联系人", "添加关系", "添加纪念日", "添加服务记录"):
        expect(history.filter(has_text=kind).first).to_be_visible()
    assert len(admin.get(f"/customers/{detailed['id']}/important-dates").json()["items"]) == 1
    assert not screen.problems, screen.problems
    page.context.close()


def test_an_opportunity_is_created_from_the_board_and_from_the_customer(browser, base, admin, detailed):
    screen = open_screen(browser, DESKTOP, "desktop")
    page = screen.page
    sign_in(screen, base, "admin", ADMIN_PASSWORD, f"/customers/{detailed['id']}")
    page.click(".el-tabs__item:has-text('商机')")
    page.click("[data-test=new-opportunity]")
    page.wait_for_url(re.compile(r"/opportunities\?customer="))
    page.wait_for_selector("#o-title")
    page.fill("#o-title", f"备件补货{MARK}")
    page.fill("#o-amount", "not-a-number")
    page.fill("#o-close", (current_day() + timedelta(days=60)).isoformat())
    page.keyboard.press("Enter")
    page.click("[data-test=save-opportunity]")
    error = page.locator(".el-form-item:has(#o-amount) .el-form-item__error")
    error.wait_for()
    assert not [o for o in admin.get("/opportunities", params={"customer_id": detailed["id"]}).json()["items"]
                if o["title"] == f"备件补货{MARK}"]
    page.fill("#o-amount", "12000")
    screen.shoot("opportunity-new")
    page.click("[data-test=save-opportunity]")
    column = page.locator("section.kanban-column", has_text=f"方案{MARK}")
    expect(page.locator("[data-test=opportunity]", has_text=f"备件补货{MARK}")).to_have_count(1)
    created = [o for o in admin.get("/opportunities", params={"customer_id": detailed["id"]}).json()["items"]
               if o["title"] == f"备件补货{MARK}"]
    assert len(created) == 1 and created[0]["expected_amount"] == "12000.00"

    # from a column's + the stage is that column's
    column.locator("[data-test=column-new]").click()
    pick(page, "#o-customer", f"宁波列表贸易{MARK}")
    page.fill("#o-title", f"试用订单{MARK}")
    page.fill("#o-amount", "3000")
    page.fill("#o-close", (current_day() + timedelta(days=30)).isoformat())
    page.keyboard.press("Enter")
    page.click("[data-test=save-opportunity]")
    expect(column.locator("[data-test=opportunity]", has_text=f"试用订单{MARK}")).to_have_count(1)
    assert not screen.problems, screen.problems
    page.context.close()


@pytest.fixture
def recycling(admin, helpers):
    """A pool rule for a value level of this test only: its customers fall back within 10 days."""
    level = helpers.pick("value_level", f"p{MARK}".lower())
    assert admin.put("/customer-pool/settings", json={"rules": [
        {"value_level": level, "days_without_followup": 10, "notice_days": 3}]}).status_code == 200
    yield level
    admin.put("/customer-pool/settings", json={"rules": []})


def test_the_pool_says_why_and_since_when_and_a_rep_releases_or_asks_for_days(browser, base, rep_a, admin, recycling):
    released = rep_a.post("/customers", json={"name": f"放入公海五金{MARK}", "confirm_duplicate": True}).json()
    assert rep_a.post(f"/customers/{released['id']}/release", json={}).status_code == 200
    mine = [rep_a.post("/customers", json={"name": f"即将回收{MARK}{i}", "value_level": recycling,
                                          "confirm_duplicate": True}).json() for i in range(2)]
    screen = open_screen(browser, PHONE, "phone")
    page = screen.page
    sign_in(screen, base, "rep_a", "rep_a-password", "/pool")
    card = page.locator("[data-test=pool-customer]", has_text=f"放入公海五金{MARK}")
    expect(card.locator("[data-test=pool-reason]")).to_contain_text(f"主动放入 · 进入公海 {current_day().isoformat()[:4]}")
    screen.shoot("pool-list")

    page.click(".el-tabs__item:has-text('即将掉入公海')")
    first = page.locator("[data-test=my-recycle]", has_text=f"即将回收{MARK}0")
    expect(first).to_contain_text("回收倒计时 10 天")
    screen.shoot("pool-mine")
    first.locator("[data-test=pool-release]").click()
    page.wait_for_selector(".el-message:has-text('已放入公海')")
    expect(page.locator("[data-test=my-recycle]", has_text=f"即将回收{MARK}0")).to_have_count(0)
    assert rep_a.get(f"/customers/{mine[0]['id']}").json()["in_pool"] is True

    page.locator("[data-test=my-recycle]", has_text=f"即将回收{MARK}1").locator("[data-test=pool-extension]").click()
    page.fill("#px-reason", "客户下月签约")
    page.click("[data-test=pool-extension-send]")
    page.wait_for_selector(".el-message:has-text('已提交申请')")
    requests_ = rep_a.get(f"/customers/{mine[1]['id']}/extension-requests").json()["items"]
    assert [(r["days"], r["status"]) for r in requests_] == [(30, "pending")]

    # the detail says when and why it falls back (CUS-15); a lock holds it
    page.goto(f"{base}/customers/{mine[1]['id']}")
    expect(page.locator("[data-test=recycle-left]")).to_have_text("10 天")
    expect(page.locator("[data-test=recycle-why]")).to_have_text("未跟进")
    page.click("[data-test=lock-toggle]")
    page.wait_for_selector(".el-message:has-text('已锁定')")
    expect(page.locator("[data-test=recycle-why]")).to_have_text("已锁定")
    assert rep_a.get(f"/customers/{mine[1]['id']}").json()["locked"] is True
    assert not screen.problems, screen.problems
    page.context.close()


def test_approvals_decide_a_pool_extension_with_a_comment(browser, base, rep_a, admin, helpers):
    customer = rep_a.post("/customers", json={"name": f"延期审批{MARK}", "confirm_duplicate": True}).json()
    request = rep_a.post(f"/customers/{customer['id']}/extension-requests", json={"days": 15, "reason": "跟进中"})
    assert request.status_code == 201, request.text
    screen = open_screen(browser, PHONE, "phone")
    page = screen.page
    sign_in(screen, base, "admin", ADMIN_PASSWORD, "/approvals")
    choose(page, "[data-test=approval-type]", "延期申请")
    card = page.locator("[data-test=approval][data-type=pool_extension]", has_text=customer["name"])
    for _ in range(30):  # the approval opens in sales from the customers service's event
        if card.count():
            break
        page.wait_for_timeout(1000)
        page.reload()
        choose(page, "[data-test=approval-type]", "延期申请")
    card.locator("[data-test=approval-detail]").click()
    screen.shoot("approvals-extension")
    card.locator("[data-test=reject]").click()
    expect(card.locator(".field-error")).to_be_visible()
    assert helpers.eventually(lambda: rep_a.get(f"/customers/{customer['id']}/extension-requests")
                              .json()["items"][0]["status"] == "pending")
    card.locator("input").fill("同意延期，月底前签约")
    card.locator("[data-test=approve]").click()
    page.wait_for_selector(".el-message:has-text('已批准')")
    expect(card).to_have_count(0)
    decided = helpers.eventually(lambda: [r for r in rep_a.get(f"/customers/{customer['id']}/extension-requests")
                                          .json()["items"] if r["status"] == "approved"])
    assert decided[0]["comment"] == "同意延期，月底前签约"
    assert not screen.problems, screen.problems
    page.context.close()


def test_the_new_screens_at_both_sizes_are_photographed_and_pass_axe(browser, base, detailed):
    tabs = ("联系人", "商机", "合同", "应收", "售后", "纪念日", "客户关系", "操作记录")
    for size, name in ((DESKTOP, "desktop"), (PHONE, "phone")):
        screen = open_screen(browser, size, name)
        page = screen.page
        sign_in(screen, base, "admin", ADMIN_PASSWORD, f"/customers/{detailed['id']}")
        page.wait_for_selector("[data-test=customer-name]")
        for tab in tabs:
            page.click(f".el-tabs__item:has-text('{tab}')")
            screen.shoot(f"customer-tab-{tab}")
        for shot, path in (("customers-admin", "/customers"), ("pool-admin", "/pool"), ("approvals-admin", "/approvals"),
                           ("opportunities-admin", "/opportunities")):
            page.goto(base + path)
            page.wait_for_selector(".page-head")
            screen.shoot(shot)
        if size is PHONE:
            page.goto(base + "/customers")
            page.click("[data-test=more-filters]")
            screen.shoot("customers-filters-open")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= size["width"], f"horizontal scrolling at {name}: {width}px"
        assert not screen.problems, screen.problems
        page.context.close()


def test_the_team_tab_adds_and_removes_members_and_the_transfer_keeps_the_old_owner(
        browser, base, admin, org, detailed):
    """团队成员 (issue 17): on the customer, on its opportunity, and the transfer dialog's options."""
    rep_b = org["users"]["rep_b"]
    path = f"/customers/{detailed['id']}"
    for size, name in ((DESKTOP, "desktop"), (PHONE, "phone")):
        screen = open_screen(browser, size, name)
        page = screen.page
        sign_in(screen, base, "admin", ADMIN_PASSWORD, path)
        page.wait_for_selector("[data-test=customer-name]")
        page.click(".el-tabs__item:has-text('团队成员')")
        pick(page, f"#tm-user-{detailed['id']}", "rep_b")
        choose(page, f"#tm-access-{detailed['id']}", "读写")
        page.click("[data-test=team-add]")
        expect(page.locator("[data-test=team-member]", has_text="Rep B")).to_contain_text("读写")
        screen.shoot("customer-team")
        assert [(m["user_id"], m["access"]) for m in admin.get(f"{path}/members").json()] == [(rep_b["id"], "read_write")]
        page.locator("[data-test=team-member]", has_text="Rep B").locator("[data-test=team-remove]").click()
        expect(page.locator("[data-test=team-member]")).to_have_count(0)
        assert admin.get(f"{path}/members").json() == []
        # an opportunity's team opens from its card
        page.click(".el-tabs__item:has-text('商机')")
        page.locator("[data-test=opportunity-team]").first.click()
        expect(page.locator("[data-test=record-team] [data-test=team-members]")).to_be_visible()
        if size is PHONE:
            screen.shoot("opportunity-team")
        screen.no_sideways_scroll()
        assert not screen.problems, screen.problems
        page.context.close()

    # the transfer dialog's two options: the admin stays on the team, read only
    screen = open_screen(browser, DESKTOP, "desktop")
    page = screen.page
    moved = admin.post("/customers", json={"name": f"团队转移{MARK}", "confirm_duplicate": True}).json()
    sign_in(screen, base, "admin", ADMIN_PASSWORD, "/customers")
    page.wait_for_selector("[data-test=customer-table]")
    page.fill("input[aria-label='名称']", moved["name"])
    page.click("button[type=submit]:has-text('查询')")
    expect(page.locator("[data-test=customer-row]")).to_have_count(1)
    page.locator(".el-table__body tr", has_text=moved["name"]).locator(".el-checkbox").click()
    page.click("[data-test=assign]")
    pick(page, "#assign-owner", "rep_b")
    page.click("[data-test=assign-keep]")
    page.click("[data-test=assign-carry]")
    screen.shoot("customers-transfer-options")
    page.click("[data-test=assign-confirm]")
    page.wait_for_selector(".el-message:has-text('已分配')")
    members = admin.get(f"/customers/{moved['id']}/members").json()
    assert [(m["access"]) for m in members] == ["read_only"] and admin.get(f"/customers/{moved['id']}").json()[
        "owner_id"] == rep_b["id"]
    assert not screen.problems, screen.problems
    page.context.close()
