"""Files that office users can open (issue 14): every list a manager exports is a real download
(CSV with a BOM or .xlsx, Chinese headers and file name), scoped and filtered like its list,
streamed or run as a background job; imports take .xlsx as well as CSV, with a template."""
import csv
import io
import json
import uuid
from urllib.parse import unquote

import openpyxl
import pytest

pytestmark = pytest.mark.e2e

BOM = "\ufeff"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_PERMISSIONS = ["customers.read", "customers.write", "customers.export", "customers.import", "products.read",
                      "orders.read", "orders.write", "orders.export", "fulfilments.read", "receivables.read",
                      "receivables.export", "notifications.read"]


@pytest.fixture(scope="module")
def exporters(admin, org, helpers):
    """One exporting rep (own scope) in each sales department."""
    role = admin.post("/roles", json={"name": "Exporting rep", "data_scope": "own",
                                      "permissions": EXPORT_PERMISSIONS}).json()
    apis = {}
    for code, name, department in (("exp_e", "导出东", "Sales East"), ("exp_w", "导出西", "Sales West")):
        response = admin.post("/users", json={"code": code, "name": name, "password": f"{code}-password",
                                              "department_id": org["departments"][department]["id"],
                                              "role_ids": [role["id"]]})
        assert response.status_code == 201, response.text
        apis[code] = helpers.login(code, f"{code}-password")
    return apis["exp_e"], apis["exp_w"]


def csv_rows(response) -> list[dict]:
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith(BOM), "Excel on a Chinese Windows needs the BOM to read UTF-8"
    return list(csv.DictReader(io.StringIO(text[1:])))


def file_names(response) -> tuple[str, str]:
    """(filename*, filename) of Content-Disposition."""
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    star = disposition.split("filename*=UTF-8''", 1)[1]
    plain = disposition.split('filename="', 1)[1].split('"', 1)[0]
    assert plain.isascii()
    return unquote(star), plain


def xlsx_rows(content: bytes) -> tuple[list, list[list]]:
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    return rows[0], rows[1:]


def finished(api, helpers, job_id, timeout=120):
    return helpers.eventually(lambda: (lambda j: j if j["status"] in ("done", "failed") else None)(
        api.get(f"/exports/{job_id}").json()), timeout=timeout)


def test_customer_export_is_a_csv_excel_opens_scoped_and_filtered(exporters, rep_a):
    east, west = exporters
    mark = uuid.uuid4().hex[:8]
    mine = [east.post("/customers", json={"name": f"导出客户{mark}甲", "city": "上海", "tags": ["vip", "new"],
                                          "confirm_duplicate": True}).json(),
            east.post("/customers", json={"name": f"导出客户{mark}乙", "city": "北京", "notes": "=HYPERLINK(1)",
                                          "confirm_duplicate": True}).json()]
    theirs = west.post("/customers", json={"name": f"导出客户{mark}丙", "city": "上海"}).json()

    response = east.get("/customers/export", params={"name": mark})
    rows = csv_rows(response)
    assert list(rows[0])[:3] == ["客户编号", "客户类型", "客户名称"] and "负责人" in rows[0]
    assert {r["客户名称"] for r in rows} == {c["name"] for c in mine}  # rep B's customer is not in it
    first = next(r for r in rows if r["客户编号"] == mine[0]["code"])
    assert (first["城市"], first["标签"], first["负责人"]) == ("上海市", "vip|new", "导出东")
    assert first["创建时间"][:4].isdigit() and "T" not in first["创建时间"]  # local time, as a person reads it
    second = next(r for r in rows if r["客户编号"] == mine[1]["code"])
    assert second["备注"] == "'=HYPERLINK(1)"  # a formula would run in Excel: it is written as text
    name, ascii_name = file_names(response)
    assert name.startswith("客户_") and name.endswith(".csv") and ascii_name.startswith("customers_")

    assert [r["客户名称"] for r in csv_rows(east.get("/customers/export", params={"name": mark, "city": "北京"}))] \
        == [mine[1]["name"]]
    assert [r["客户名称"] for r in csv_rows(west.get("/customers/export", params={"name": mark}))] == [theirs["name"]]
    assert rep_a.get("/customers/export").status_code == 403  # reading is not exporting
    bad = east.get("/customers/export", params={"status": "nonsense"})
    assert bad.status_code == 400 and bad.headers["Content-Type"] == "application/problem+json"
    assert east.get("/customers/export", params={"format": "pdf"}).status_code == 400


def test_xlsx_export_round_trips_through_the_import(exporters, helpers):
    east, _ = exporters
    mark = uuid.uuid4().hex[:8]
    created = [east.post("/customers", json={"name": f"往返{mark}{i}", "city": "南京", "phone": f"0255566{i:04d}"})
               .json() for i in range(3)]
    response = east.get("/customers/export", params={"name": mark, "format": "xlsx"})
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"] == XLSX
    name, ascii_name = file_names(response)
    assert name.endswith(".xlsx") and ascii_name.endswith(".xlsx")
    header, rows = xlsx_rows(response.content)
    assert header[:3] == ["客户编号", "客户类型", "客户名称"]
    assert sorted(r[header.index("客户编号")] for r in rows) == sorted(c["code"] for c in created)

    # edit the downloaded workbook as a user would (every city), save it, import it back
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    city = header.index("城市") + 1
    for r in range(2, sheet.max_row + 1):
        sheet.cell(row=r, column=city, value="苏州")
    edited = io.BytesIO()
    book.save(edited)
    job = east.post("/customer-imports", json={}).json()
    uploaded = east.post(f"/customer-imports/{job['id']}/file", params={"name": "客户_改.xlsx"},
                         data=edited.getvalue())
    assert uploaded.status_code == 200, uploaded.text
    assert uploaded.json()["total"] == 3
    east.post(f"/customer-imports/{job['id']}/start")
    done = helpers.eventually(lambda: (lambda j: j if j["status"] in ("done", "failed") else None)(
        east.get(f"/customer-imports/{job['id']}").json()), timeout=60)
    assert (done["status"], done["created"], done["updated"], done["error_count"]) == ("done", 0, 3, 0), done
    cities = {c["city"] for c in east.get("/customers", params={"name": mark}).json()["items"]}
    assert cities == {"苏州市"}


def test_the_import_template_and_an_xlsx_and_a_gb18030_csv_import(exporters, helpers):
    east, _ = exporters
    template = east.get("/customer-imports/template")
    assert template.status_code == 200 and template.headers["Content-Type"] == XLSX
    assert file_names(template)[0] == "客户导入模板.xlsx"
    header, rows = xlsx_rows(template.content)
    assert header[:3] == ["客户编号", "客户类型", "客户名称"] and rows == []
    as_csv = east.get("/customer-imports/template", params={"format": "csv"})
    assert as_csv.content.decode("utf-8").startswith(BOM + "客户编号,客户类型,客户名称")

    mark = uuid.uuid4().hex[:8]
    book = openpyxl.load_workbook(io.BytesIO(template.content))
    sheet = book.worksheets[0]
    cols = {h: i + 1 for i, h in enumerate(header)}
    for r, (name, phone) in enumerate(((f"模板导入{mark}一", 13812345678), (f"模板导入{mark}二", None)), start=2):
        sheet.cell(row=r, column=cols["客户名称"], value=name)
        sheet.cell(row=r, column=cols["电话"], value=phone)  # Excel keeps a typed-in number as a number
    sheet.cell(row=3, column=cols["邮箱"], value="not-an-email")
    filled = io.BytesIO()
    book.save(filled)

    def imported(body: bytes, file_name: str) -> dict:
        job = east.post("/customer-imports", json={}).json()
        uploaded = east.post(f"/customer-imports/{job['id']}/file", params={"name": file_name}, data=body)
        assert uploaded.status_code == 200, uploaded.text
        east.post(f"/customer-imports/{job['id']}/start")
        return helpers.eventually(lambda: (lambda j: j if j["status"] in ("done", "failed") else None)(
            east.get(f"/customer-imports/{job['id']}").json()), timeout=60)

    done = imported(filled.getvalue(), "模板.xlsx")
    assert (done["status"], done["created"], done["error_count"]) == ("done", 1, 1)
    assert done["errors"][0]["row"] == 2 and "email" in done["errors"][0]["errors"]
    [customer] = east.get("/customers", params={"name": f"模板导入{mark}"}).json()["items"]
    assert customer["phone"] == "13812345678"

    gbk = f"客户名称,城市\n国标编码{mark},广州\n".encode("gb18030")  # Excel's "CSV" on a Chinese Windows
    done = imported(gbk, "客户.csv")
    assert (done["created"], done["error_count"]) == (1, 0), done
    assert east.get("/customers", params={"name": f"国标编码{mark}"}).json()["items"][0]["city"] == "广州市"

    job = east.post("/customer-imports", json={}).json()
    renamed = east.post(f"/customer-imports/{job['id']}/file", params={"name": "客户.xlsx"}, data=gbk)
    assert renamed.status_code == 415  # not a workbook, whatever its name says
    assert east.post(f"/customer-imports/{job['id']}/file", params={"name": "客户.pdf"}, data=b"%PDF-1").status_code \
        == 415
    assert east.get(f"/customer-imports/{job['id']}").json()["total"] == 0


def test_several_pages_are_one_file(exporters, helpers):
    """More rows than one page (2,000): the gateway walks the cursor to the end."""
    east, _ = exporters
    mark = uuid.uuid4().hex[:8]
    body = ("客户名称\n" + "".join(f"分页{mark}-{i}\n" for i in range(4500))).encode()
    job = east.post("/customer-imports", json={}).json()
    assert east.post(f"/customer-imports/{job['id']}/file", params={"name": "多.csv"}, data=body).status_code == 200
    east.post(f"/customer-imports/{job['id']}/start")
    done = helpers.eventually(lambda: (lambda j: j if j["status"] in ("done", "failed") else None)(
        east.get(f"/customer-imports/{job['id']}").json()), timeout=120)
    assert done["created"] == 4500, done
    response = east.get("/customers/export", params={"name": mark})
    assert response.headers["X-Export-Total"] == "4500"
    names = [r["客户名称"] for r in csv_rows(response)]
    assert len(names) == len(set(names)) == 4500


def test_contacts_and_visit_reports_exports(exporters):
    east, west = exporters
    mark = uuid.uuid4().hex[:8]
    customer = east.post("/customers", json={"name": f"联系导出{mark}"}).json()
    other = west.post("/customers", json={"name": f"联系导出{mark}西"}).json()
    contact = east.post(f"/customers/{customer['id']}/contacts", json={
        "name": f"张三{mark}", "mobile": "13900001111", "is_key_member": True}).json()
    west.post(f"/customers/{other['id']}/contacts", json={"name": f"李四{mark}"})
    east.post(f"/customers/{customer['id']}/interactions", json={
        "kind": "visit", "summary": f"拜访{mark}", "contact_id": contact["id"], "occurred_at": "2026-03-02T01:30:00Z"})
    east.post(f"/customers/{customer['id']}/interactions", json={
        "kind": "call", "summary": f"电话{mark}", "occurred_at": "2026-03-01T23:30:00Z"})
    west.post(f"/customers/{other['id']}/interactions", json={"kind": "visit", "summary": f"西边{mark}",
                                                               "occurred_at": "2026-03-02T01:00:00Z"})

    response = east.get("/contacts/export", params={"name": mark})
    rows = csv_rows(response)
    assert [(r["客户名称"], r["姓名"], r["手机"], r["重要成员"]) for r in rows] == [
        (customer["name"], contact["name"], "13900001111", "是")]
    assert file_names(response)[0].startswith("联系人_")
    assert [r["姓名"] for r in csv_rows(west.get("/contacts/export", params={"name": mark}))] == [f"李四{mark}"]

    response = east.get("/interactions/export", params={"customer_id": customer["id"]})
    rows = csv_rows(response)
    assert {r["内容"] for r in rows} == {f"拜访{mark}", f"电话{mark}"}
    visit = next(r for r in rows if r["方式"] == "visit")
    assert (visit["联系人"], visit["记录人"], visit["时间"]) == (contact["name"], "导出东", "2026-03-02 09:30:00")
    assert file_names(response)[0].startswith("跟进记录_")
    # 23:30 UTC on the 1st is the 2nd in Beijing: the day filter is the branch's day
    on_the_2nd = csv_rows(east.get("/interactions/export", params={"customer_id": customer["id"],
                                                                   "since": "2026-03-02", "until": "2026-03-02"}))
    assert len(on_the_2nd) == 2
    visits = csv_rows(east.get("/interactions/export", params={"kind": "visit", "since": "2026-03-02",
                                                               "until": "2026-03-02"}))
    assert f"拜访{mark}" in {r["内容"] for r in visits} and f"西边{mark}" not in {r["内容"] for r in visits}
    assert west.get("/interactions/export", params={"customer_id": customer["id"]}).content.decode() \
        .count("\n") == 1  # the header alone: another rep's customer is out of scope


def test_orders_and_receivables_exports(exporters, manager_a, product, helpers, rep_a):
    east, west = exporters
    mark = uuid.uuid4().hex[:8]
    customer = east.post("/customers", json={"name": f"订单导出{mark}"}).json()
    approved = east.post("/orders", json={"customer_id": customer["id"], "payment_terms_days": 30,
                                          "lines": [{"product_id": product["id"], "quantity": "3"}]}).json()
    draft = east.post("/orders", json={"customer_id": customer["id"],
                                       "lines": [{"product_id": product["id"], "quantity": "1"}]}).json()
    assert east.post(f"/orders/{approved['id']}/submit").status_code == 200
    assert manager_a.post(f"/orders/{approved['id']}/approve", json={"comment": "ok"}).status_code == 200

    response = east.get("/orders/export", params={"customer_id": customer["id"]})
    rows = csv_rows(response)
    assert {(r["订单编号"], r["状态"], r["金额"]) for r in rows} == {
        (approved["number"], "已审核", "59.97"), (draft["number"], "草稿", "19.99")}
    assert all(r["客户名称"] == customer["name"] and r["负责人"] == "导出东" for r in rows)
    assert file_names(response)[0].startswith("销售订单_")
    assert [r["订单编号"] for r in csv_rows(east.get("/orders/export", params={
        "customer_id": customer["id"], "status": "draft"}))] == [draft["number"]]
    assert csv_rows(west.get("/orders/export", params={"customer_id": customer["id"]})) == []
    assert rep_a.get("/orders/export").status_code == 403

    helpers.eventually(lambda: east.get("/receivables", params={"order_id": approved["id"]}).json()["items"])
    response = east.get("/receivables/export", params={"customer_id": customer["id"], "format": "xlsx"})
    header, rows = xlsx_rows(response.content)
    assert header[:3] == ["订单编号", "客户ID", "状态"]
    [row] = rows
    assert (row[header.index("订单编号")], row[header.index("应收金额")], row[header.index("欠款")]) == (
        approved["number"], 59.97, 59.97)  # numbers a spreadsheet can add up
    assert file_names(response)[0].startswith("应收款_")
    assert xlsx_rows(west.get("/receivables/export", params={"customer_id": customer["id"],
                                                             "format": "xlsx"}).content)[1] == []
    assert csv_rows(east.get("/receivables/export", params={"customer_id": customer["id"], "overdue": "true"})) == []


def test_a_background_export_reports_progress_and_serves_its_file(exporters, helpers):
    east, west = exporters
    mark = uuid.uuid4().hex[:8]
    for i in range(3):
        east.post("/customers", json={"name": f"后台导出{mark}{i}"})
    west.post("/customers", json={"name": f"后台导出{mark}西"})
    before = helpers.rows("gateway", "SELECT count(*) FROM export_jobs")[0][0]
    assert east.post("/exports", json={"list": "customers", "query": {"status": "nonsense"}}).status_code == 400
    assert east.post("/exports", json={"list": "passwords"}).status_code == 422
    assert east.post("/exports", json={"list": "customers", "owner_id": "x"}).status_code == 422
    assert helpers.rows("gateway", "SELECT count(*) FROM export_jobs")[0][0] == before  # bad input queues nothing

    started = east.post("/exports", json={"list": "customers", "format": "xlsx", "query": {"name": mark}})
    assert started.status_code == 202, started.text
    job = started.json()
    assert job["status"] in ("queued", "running", "done") and job["file_name"].startswith("客户_")
    done = finished(east, helpers, job["id"])
    assert (done["status"], done["processed"], done["total"]) == ("done", 3, 3), done
    assert west.get(f"/exports/{job['id']}").status_code == 404  # someone else's job
    assert west.get(f"/exports/{job['id']}/file").status_code == 404
    response = east.get(f"/exports/{job['id']}/file")
    assert response.status_code == 200 and response.headers["Content-Type"] == XLSX
    assert int(response.headers["Content-Length"]) == done["size"] == len(response.content)
    assert file_names(response)[0] == done["file_name"]
    header, rows = xlsx_rows(response.content)
    assert sorted(r[header.index("客户名称")] for r in rows) == [f"后台导出{mark}{i}" for i in range(3)]

    as_csv = east.post("/exports", json={"list": "customers", "query": {"name": mark}}).json()
    assert finished(east, helpers, as_csv["id"])["status"] == "done"
    assert len(csv_rows(east.get(f"/exports/{as_csv['id']}/file"))) == 3


def test_an_export_job_outlives_its_gateway(exporters, helpers, stack):
    """A gateway that stopped mid-job (its lease lapses) leaves the job to the next one, which runs it
    again from the start; a job that keeps losing its gateway ends failed, with the reason."""
    east, _ = exporters
    mark = uuid.uuid4().hex[:8]
    for i in range(2):
        east.post("/customers", json={"name": f"重启{mark}{i}"})
    job = east.post("/exports", json={"list": "customers", "query": {"name": mark}}).json()
    stack.kill("gateway")
    stack.start("gateway")
    stack.wait_ready("gateway")
    done = finished(east, helpers, job["id"])
    assert (done["status"], done["processed"]) == ("done", 2), done

    # what a gateway killed while running a job leaves behind: running, its lease in the past
    principal, branches = helpers.rows("gateway", "SELECT principal, branches FROM export_jobs WHERE id = %s",
                                       (job["id"],))[0]
    orphan, hopeless = str(uuid.uuid4()), str(uuid.uuid4())
    for job_id, attempts in ((orphan, 1), (hopeless, 3)):
        helpers.rows("gateway", "INSERT INTO export_jobs (id, user_id, principal, list, format, query, branches,"
                     " status, processed, total, file_name, ascii_name, attempts, owner, lease_until)"
                     " VALUES (%s, %s, %s, 'customers', 'csv', %s, %s, 'running', 1, 2, '客户_x.csv', 'customers_x.csv', %s,"
                     " 'a-gateway-that-died', now() - interval '1 minute') RETURNING id",
                     (job_id, principal["user_id"], json.dumps(principal), json.dumps({"name": mark}),
                      json.dumps(branches), attempts))
    resumed = finished(east, helpers, orphan)
    assert (resumed["status"], resumed["processed"], resumed["attempts"]) == ("done", 2, 2), resumed
    assert len(csv_rows(east.get(f"/exports/{orphan}/file"))) == 2
    given_up = finished(east, helpers, hopeless)
    assert given_up["status"] == "failed" and "attempts" in given_up["error"]
    assert east.get(f"/exports/{hopeless}/file").status_code == 409
