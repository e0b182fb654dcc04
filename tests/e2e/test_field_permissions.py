"""Field permissions (字段权限, issue 17) over HTTP: an administrator sets a role's rules (checked
against the allow-list); the services obey them in get, list, the export stream and the background
export's file, and refuse a write of a field the role may not change; an administrator sees all."""
import csv
import io
import uuid

import openpyxl
import pytest

pytestmark = pytest.mark.e2e

PERMISSIONS = ["customers.read", "customers.write", "customers.export", "products.read", "orders.read",
               "orders.export"]
RULES = {"customer.phone": {"access": "read_only", "mask": "list"},
         "customer.email": {"access": "read_only", "mask": "all"},
         "customer.notes": {"access": "hidden"},
         "order.total": {"access": "read_only", "mask": "list"}}
PHONE, EMAIL, NOTES = "13812345678", "zhang.san@example.com", "只给经理看的备注"


@pytest.fixture(scope="module")
def restricted(admin, org, helpers):
    """A user of a role with field rules, reading the whole branch (so they see the admin's records)."""
    role = admin.post("/roles", json={"name": "字段受限", "data_scope": "all", "permissions": PERMISSIONS,
                                      "fields": RULES})
    assert role.status_code == 201, role.text
    response = admin.post("/users", json={"code": "fperm_u", "name": "字段受限用户", "password": "fperm_u-password",
                                          "department_id": org["departments"]["Sales East"]["id"],
                                          "role_ids": [role.json()["id"]]})
    assert response.status_code == 201, response.text
    return helpers.login("fperm_u", "fperm_u-password"), role.json()


@pytest.fixture(scope="module")
def record(admin):
    mark = uuid.uuid4().hex[:8]
    response = admin.post("/customers", json={"name": f"字段权限{mark}", "phone": PHONE, "email": EMAIL,
                                              "notes": NOTES, "confirm_duplicate": True})
    assert response.status_code == 201, response.text
    return response.json()


def csv_rows(response) -> list[dict]:
    assert response.status_code == 200, response.text
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8").lstrip("\ufeff"))))


def test_an_administrator_sets_rules_from_the_allow_list_only(admin, restricted):
    _, role = restricted
    assert role["fields"]["customer.notes"] == {"access": "hidden", "mask": "none"}
    catalogue = admin.get("/field-permissions")
    assert catalogue.status_code == 200
    assert {"customer.phone", "contact.mobile", "opportunity.expected_amount", "order.total",
            "contract.amount"} <= {item["key"] for item in catalogue.json()["items"]}
    for bad, key in (({"customer.name": {"access": "hidden"}}, "fields"),
                     ({"customer.notes": {"access": "read_only", "mask": "list"}}, "fields"),
                     ({"customer.phone": {"access": "secret"}}, "fields")):
        refused = admin.patch(f"/roles/{role['id']}", json={"fields": bad})
        assert refused.status_code == 422, refused.text
        assert key in refused.json()["errors"]
    assert admin.get(f"/roles/{role['id']}").json()["fields"] == role["fields"]  # nothing changed
    user, _ = restricted
    assert user.get("/field-permissions").status_code == 403
    me = user.get("/me").json()
    assert me["fields"]["customer.phone"] == {"access": "read_only", "mask": "list"}


def test_hidden_is_absent_and_masks_apply_in_lists_only_or_everywhere(restricted, record):
    user, _ = restricted
    row = user.get("/customers", params={"name": record["name"]}).json()["items"][0]
    assert (row["phone"], row["email"]) == ("138****5678", "z***@example.com")
    assert "notes" not in row
    detail = user.get(f"/customers/{record['id']}").json()
    assert (detail["phone"], detail["email"]) == (PHONE, "z***@example.com")
    assert "notes" not in detail


def test_the_export_file_is_masked_and_lacks_hidden_columns(restricted, record, helpers):
    user, _ = restricted
    rows = csv_rows(user.get("/customers/export", params={"name": record["name"]}))
    assert [(r["电话"], r["邮箱"]) for r in rows] == [("138****5678", "z***@example.com")]
    assert "备注" not in rows[0]
    job = user.post("/exports", json={"list": "customers", "format": "xlsx", "query": {"name": record["name"]}})
    assert job.status_code == 202, job.text
    done = helpers.eventually(lambda: (lambda j: j if j["status"] in ("done", "failed") else None)(
        user.get(f"/exports/{job.json()['id']}").json()), timeout=120)
    assert done["status"] == "done", done
    sheet = openpyxl.load_workbook(io.BytesIO(user.get(f"/exports/{done['id']}/file").content), read_only=True)
    header, *cells = [list(r) for r in sheet.worksheets[0].iter_rows(values_only=True)]
    assert "备注" not in header
    assert [(r[header.index("电话")], r[header.index("邮箱")]) for r in cells] == [("138****5678", "z***@example.com")]


def test_a_write_of_a_read_only_or_hidden_field_is_422_naming_it_and_changes_nothing(admin, restricted, record):
    user, _ = restricted
    for body, field in (({"phone": "13900001111"}, "phone"), ({"notes": "改"}, "notes"),
                        ({"email": "li.si@example.com", "industry": "贸易"}, "email")):
        refused = user.patch(f"/customers/{record['id']}", json=body)
        assert refused.status_code == 422, refused.text
        assert refused.headers["Content-Type"].startswith("application/problem+json")
        assert field in refused.json()["errors"]
    seen = admin.get(f"/customers/{record['id']}").json()
    assert (seen["phone"], seen["email"], seen["notes"], seen["industry"]) == (PHONE, EMAIL, NOTES, None)
    created = user.post("/customers", json={"name": f"带备注{uuid.uuid4().hex[:6]}", "notes": "x"})
    assert created.status_code == 422 and "notes" in created.json()["errors"]


def test_an_administrator_sees_everything(admin, record):
    row = admin.get("/customers", params={"name": record["name"]}).json()["items"][0]
    assert (row["phone"], row["email"], row["notes"]) == (PHONE, EMAIL, NOTES)
    assert "fields" in admin.get("/me").json() and admin.get("/me").json()["fields"] == {}


def test_an_order_total_is_masked_in_the_list_and_its_export_not_in_its_detail(admin, restricted, record, product):
    user, _ = restricted
    order = admin.post("/orders", json={"customer_id": record["id"],
                                        "lines": [{"product_id": product["id"], "quantity": "2"}]})
    assert order.status_code == 201, order.text
    order = order.json()
    listed = [o for o in user.get("/orders", params={"customer_id": record["id"]}).json()["items"]]
    assert [o["total"] for o in listed] == ["****"]
    detail = user.get(f"/orders/{order['id']}").json()
    assert detail["total"] == order["total"] and detail["lines"][0]["amount"] == order["lines"][0]["amount"]
    assert [r["金额"] for r in csv_rows(user.get("/orders/export", params={"customer_id": record["id"]}))] == ["****"]
