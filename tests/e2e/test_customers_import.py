"""CSV import as a background job and the command-line import (CUS-12)."""
import subprocess
import sys
import uuid

import pytest
from stdnum.cn import uscc

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def importer(admin, org, helpers):
    role = admin.post("/roles", json={"name": "Importer", "data_scope": "own", "permissions": [
        "customers.read", "customers.write", "customers.import"]}).json()
    response = admin.post("/users", json={"code": "imp_w", "name": "Importer West", "password": "imp_w-password",
                                          "department_id": org["departments"]["Sales West"]["id"],
                                          "role_ids": [role["id"]]})
    assert response.status_code == 201, response.text
    return helpers.login("imp_w", "imp_w-password")


def run_job(api, helpers, csv_text, **options):
    job = api.post("/customer-imports", json=options)
    assert job.status_code == 201, job.text
    job_id = job.json()["id"]
    chunk = api.post(f"/customer-imports/{job_id}/chunks", json={"first_row": 1, "csv": csv_text})
    assert chunk.status_code == 200, chunk.text
    assert api.post(f"/customer-imports/{job_id}/start").json()["status"] == "queued"
    return helpers.eventually(lambda: (lambda j: j if j["status"] in ("done", "failed") else None)(
        api.get(f"/customer-imports/{job_id}").json()), timeout=30)


def test_import_dry_run_row_errors_all_or_nothing_and_upsert(importer, rep_a, helpers):
    mark = uuid.uuid4().hex[:6]
    theirs = rep_a.post("/customers", json={"name": f"甲的客户{mark}"}).json()
    csv_text = (
        "code,name,province,tags\n"
        f"IMP-{mark}-1,导入客户一{mark},江苏,vip|new\n"
        f"IMP-{mark}-2,,江苏,\n"                       # row 2: name missing
        f",导入客户三{mark},上海,\n"                    # row 3: no code → generated
        f"{theirs['code']},抢别人的客户{mark},北京,\n"   # row 4: someone else's code
        f"IMP-{mark}-1,重复代码{mark},江苏,\n"          # row 5: same code again in the file
    )
    before = importer.get("/customers", params={"name": mark}).json()["items"]
    assert before == []
    dry = run_job(importer, helpers, csv_text, dry_run=True)
    assert (dry["status"], dry["created"], dry["error_count"]) == ("done", 2, 3)
    assert sorted(e["row"] for e in dry["errors"]) == [2, 4, 5]
    assert importer.get("/customers", params={"name": mark}).json()["items"] == []
    strict = run_job(importer, helpers, csv_text, all_or_nothing=True)
    assert (strict["status"], strict["created"]) == ("failed", 0)
    assert importer.get("/customers", params={"name": mark}).json()["items"] == []
    loose = run_job(importer, helpers, csv_text)
    assert (loose["status"], loose["created"], loose["updated"], loose["error_count"]) == ("done", 2, 0, 3)
    names = {c["name"] for c in importer.get("/customers", params={"name": mark}).json()["items"]}
    assert names == {f"导入客户一{mark}", f"导入客户三{mark}"}
    assert rep_a.get(f"/customers/{theirs['id']}").json()["name"] == f"甲的客户{mark}"
    again = run_job(importer, helpers, f"code,name,city\nIMP-{mark}-1,导入客户一改名{mark},苏州\n")
    assert (again["created"], again["updated"]) == (0, 1)
    changed = importer.get("/customers", params={"code": f"IMP-{mark}-1"}).json()["items"][0]
    assert (changed["name"], changed["city"], changed["tags"]) == (f"导入客户一改名{mark}", "苏州市", ["vip", "new"])


def fresh_credit_code() -> str:
    """A valid 统一社会信用代码 no other test uses (one live customer per code)."""
    body = f"91330106{uuid.uuid4().int % 10**9:09d}"
    return body + uscc.calc_check_digit(body)


def test_import_applies_the_identifier_rules_of_create(importer, rep_a, helpers):
    mark, held, new = uuid.uuid4().hex[:6], fresh_credit_code(), fresh_credit_code()
    theirs = rep_a.post("/customers", json={"name": f"持码客户{mark}", "credit_code": held})
    assert theirs.status_code == 201, theirs.text
    csv_text = ("name,kind,credit_code,id_number\n"
                f"已有代码{mark},company,{held},\n"               # row 1: a live customer's credit code
                f"新代码{mark},company,{new},\n"
                f"同码再来{mark},company,{new},\n"                 # row 3: the same code earlier in the file
                f"个人带码{mark},individual,{fresh_credit_code()},\n"  # row 4: a company field on a person
                f"公司带证{mark},company,,110101199003071233\n")    # row 5: an ID number on a company
    dry = run_job(importer, helpers, csv_text, dry_run=True)
    assert (dry["created"], dry["error_count"]) == (1, 4)
    assert sorted((e["row"], list(e["errors"])) for e in dry["errors"]) == [
        (1, ["credit_code"]), (3, ["credit_code"]), (4, ["credit_code"]), (5, ["id_number"])]
    done = run_job(importer, helpers, csv_text)
    assert (done["created"], done["error_count"]) == (1, 4)
    [landed] = importer.get("/customers", params={"name": mark}).json()["items"]
    assert (landed["name"], landed["credit_code"]) == (f"新代码{mark}", new)
    duplicate = importer.post("/customers", json={"name": f"手工{mark}", "credit_code": new})
    assert duplicate.status_code == 409  # create and import agree on what they hold


def test_import_refuses_unknown_columns_and_foreign_jobs(importer, admin, rep_a):
    job = importer.post("/customer-imports", json={}).json()
    bad = importer.post(f"/customer-imports/{job['id']}/chunks", json={"first_row": 1, "csv": "name,owner_id\nx,y\n"})
    assert bad.status_code == 422 and "owner_id" in bad.text
    assert admin.get(f"/customer-imports/{job['id']}").status_code == 404  # jobs are their uploader's
    assert rep_a.post("/customer-imports", json={}).status_code == 403


def test_command_line_import_with_progress(stack, tmp_path, admin):
    mark = uuid.uuid4().hex[:6]
    path = tmp_path / "customers.csv"
    path.write_text("name,city\n" + "".join(f"命令行客户{mark}-{i},南京\n" for i in range(12)), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "crm_customers", "import", str(path), "--gateway-url",
         f"http://127.0.0.1:{stack.gateway_port}", "--username", "admin"],
        env={**stack.env("customers"), "CRM_PASSWORD": stack.extra_env["CRM_ADMIN_PASSWORD"]}, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "done: 12 created" in result.stdout and "import" in result.stderr  # tqdm draws on stderr
    assert len(admin.get("/customers", params={"name": f"命令行客户{mark}"}).json()["items"]) == 12
