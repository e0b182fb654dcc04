"""Numbering rules over HTTP (issue 16): the preview before saving, a rule in effect for the next
document, refusals, and the admin permission."""

import pytest
from crm_common.branch_time import current_day  # the suite's days are Beijing's

pytestmark = pytest.mark.e2e
DEFAULT = {"prefix": "QT", "date_part": "year", "digits": 6, "reset": "year"}


def test_a_rule_is_previewed_then_in_effect_for_the_next_quote(admin, rep_a, product, helpers):
    rules = admin.get("/admin/numbering-rules/HQ")
    assert rules.status_code == 200, rules.text
    by_type = {item["document_type"]: item for item in rules.json()["items"]}
    assert {"customer", "order", "quote", "contract", "shipment", "invoice", "receipt", "return",
            "field_service_order"} <= set(by_type)
    year = current_day().year  # the branch's year; the suite runs in Asia/Shanghai
    assert by_type["order"]["prefix"] == "SO" and by_type["order"]["next_number"].startswith(f"SO-HQ-{year}-")

    rule = {"prefix": "BJD", "date_part": "year_month", "digits": 4, "reset": "month"}
    before = helpers.domain_counts("sales")
    preview = admin.post("/admin/numbering-rules/HQ/quote/preview", json=rule)
    assert preview.status_code == 200, preview.text
    month = preview.json()["next_number"].split("-")[2]
    assert preview.json()["next_number"] == f"BJD-HQ-{month}-0001" and month.startswith(str(year))
    assert helpers.domain_counts("sales") == before  # a preview saves nothing
    assert admin.get("/admin/numbering-rules/HQ").json()["items"] == rules.json()["items"]

    for bad in ({**rule, "prefix": "bjd"}, {**rule, "digits": 2}, {**rule, "date_part": "year", "reset": "month"},
                {**rule, "extra": 1}):
        assert admin.put("/admin/numbering-rules/HQ/quote", json=bad).status_code == 422
    assert admin.put("/admin/numbering-rules/HQ/no_such_type", json=rule).status_code == 404
    assert admin.put("/admin/numbering-rules/XX/quote", json=rule).status_code == 404
    assert rep_a.put("/admin/numbering-rules/HQ/quote", json=rule).status_code == 403
    customer = rep_a.post("/customers", json={"name": "编号规则客户", "confirm_duplicate": True}).json()
    body = {"customer_id": customer["id"], "valid_until": f"{year + 1}-01-31",
            "lines": [{"product_id": product["id"], "quantity": "1"}]}
    assert rep_a.post("/quotes", json=body).json()["number"].startswith(f"QT-HQ-{year}-")
    # the yearly counter of QT is used: counting QT's yearly numbers again from 1 would repeat them
    assert admin.put("/admin/numbering-rules/HQ/quote", json={**DEFAULT, "reset": "never"}).status_code == 409

    try:
        saved = admin.put("/admin/numbering-rules/HQ/quote", json=rule)
        assert saved.status_code == 200, saved.text
        assert saved.json()["is_default"] is False and saved.json()["next_number"] == preview.json()["next_number"]
        numbers = [rep_a.post("/quotes", json=body).json()["number"] for _ in range(2)]
        assert numbers == [f"BJD-HQ-{month}-0001", f"BJD-HQ-{month}-0002"]
        assert admin.post("/admin/numbering-rules/HQ/quote/preview", json=rule).json()["next_number"] == \
            f"BJD-HQ-{month}-0003"
    finally:  # the default again, for every other test of the session
        assert admin.put("/admin/numbering-rules/HQ/quote", json=DEFAULT).status_code == 200
    assert rep_a.post("/quotes", json=body).json()["number"].startswith(f"QT-HQ-{year}-")
