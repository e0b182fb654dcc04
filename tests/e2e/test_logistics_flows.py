"""Logistics over HTTP (LOG-02..05): shipment life cycle and its events, carriers and freight per
month, field-service orders from repair call to settlement (paid by finance), returned goods.
After every scenario `make check-ledger`'s invariants must hold (fixture `ledger_checked`)."""
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from crm_common.branch_time import current_day

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("ledger_checked")]


def _ship(api, fulfilment, quantities, **extra):
    lines = [{"fulfilment_line_id": line["id"], "quantity": quantity}
             for line, quantity in zip(fulfilment["lines"], quantities, strict=False) if quantity]
    return api.post("/shipments", json={"fulfilment_id": fulfilment["id"], "lines": lines, **extra})


def test_shipment_life_cycle_gives_quantities_back_and_tells_sales(rep_a, rep_b, approved_order, bus, helpers):
    made = approved_order(prices=("7.00", "8.00"), quantities=["10", "5"])
    fulfilment = made["fulfilment"]
    order_lines = [line["order_line_id"] for line in fulfilment["lines"]]
    with bus.listen("logistics.shipment_recorded") as recorded, bus.listen("logistics.shipment_cancelled") as cancelled:
        planned = _ship(rep_a, fulfilment, ["4", "5"], status="pending", carrier="德邦", tracking_no="DB1")
        assert planned.status_code == 201, planned.text
        planned = planned.json()
        assert planned["status"] == "pending" and planned["shipped_at"] is None
        before = helpers.table_counts()
        over = _ship(rep_a, fulfilment, ["6.001"])  # 4 of 10 are reserved by the pending shipment
        assert over.status_code == 422 and "lines" in over.json()["errors"]
        assert rep_b.post(f"/shipments/{planned['id']}/ship").status_code == 404
        assert helpers.table_counts() == before

        assert rep_a.post(f"/shipments/{planned['id']}/ship").json()["status"] == "shipped"
        got = recorded(lambda d: d["shipment_id"] == planned["id"])
        assert got and sorted((x["order_line_id"], x["quantity"]) for x in got[0]["lines"]) == sorted(
            [(order_lines[0], "4.000"), (order_lines[1], "5.000")])
        assert got[0]["order_id"] == made["order"]["id"] and got[0]["owner_id"] == made["order"]["owner_id"]

        second = _ship(rep_a, fulfilment, ["6"]).json()
        assert rep_a.get(f"/fulfilments/{fulfilment['id']}").json()["status"] == "completed"
        assert rep_a.post(f"/shipments/{second['id']}/deliver").json()["status"] == "delivered"
        assert rep_a.post(f"/shipments/{second['id']}/cancel").status_code == 409  # delivered: a return now

        undone = rep_a.post(f"/shipments/{planned['id']}/cancel")
        assert undone.status_code == 200 and undone.json()["status"] == "cancelled"
        assert cancelled(lambda d: d["shipment_id"] == planned["id"])
        assert rep_a.post(f"/shipments/{planned['id']}/cancel").status_code == 409
    after = rep_a.get(f"/fulfilments/{fulfilment['id']}").json()
    assert after["status"] == "open"
    assert [(line["shipped"], line["remaining"]) for line in after["lines"]] == [("6.000", "4.000"), ("0.000", "5.000")]
    # a pending shipment cancelled was never recorded: no event for it
    quiet = _ship(rep_a, fulfilment, ["1"], status="pending").json()
    with bus.listen("logistics.shipment_cancelled") as cancelled:
        rep_a.post(f"/shipments/{quiet['id']}/cancel")
        assert not cancelled(lambda d: d["shipment_id"] == quiet["id"], timeout=1.0)


def test_carriers_rates_and_freight_per_carrier_and_month(admin, rep_a, approved_order):
    carrier = admin.post("/carriers", json={"name": "顺丰速运", "contact_name": "王经理", "phone": "95338",
                                            "rates": [{"route": "上海-杭州", "unit": "kg", "price": "1.20"}]})
    assert carrier.status_code == 201, carrier.text
    carrier = carrier.json()
    assert carrier["rates"] == [{"route": "上海-杭州", "unit": "kg", "price": "1.20"}]
    assert admin.post("/carriers", json={"name": "X", "rates": [{"route": "a", "unit": "kg", "price": "1.001"}]}
                      ).status_code == 422
    assert admin.patch(f"/carriers/{carrier['id']}", json={"phone": "95338-1"}).json()["phone"] == "95338-1"
    assert admin.patch(f"/carriers/{carrier['id']}", json={"branch": "XX"}).status_code == 422

    fulfilment = approved_order(quantities=["10"])["fulfilment"]
    for fee in ("12.50", "7.50"):
        shipped = _ship(admin, fulfilment, ["1"], carrier_id=carrier["id"], freight_fee=fee)
        assert shipped.status_code == 201, shipped.text
        assert shipped.json()["carrier"] == "顺丰速运"
    cancelled = _ship(admin, fulfilment, ["1"], carrier_id=carrier["id"], freight_fee="100.00").json()
    admin.post(f"/shipments/{cancelled['id']}/cancel")
    assert _ship(admin, fulfilment, ["1"], carrier_id=str(uuid.uuid4())).status_code == 422

    month = current_day().strftime("%Y-%m")  # the branch's month
    report = admin.get("/shipments/freight-report", params={"start": month, "end": month,
                                                             "carrier_id": carrier["id"]})
    assert report.status_code == 200, report.text
    assert report.json()["items"] == [{"carrier_id": carrier["id"], "carrier": "顺丰速运", "month": month,
                                       "currency": "CNY", "shipments": 2, "freight": "20.00"}]
    assert admin.get("/shipments/freight-report", params={"start": "2026-13", "end": month}).status_code == 400


@pytest.fixture(scope="session")
def providers(admin, org, helpers):
    """Two service providers (销售服务商): users of their own role who only see their orders."""
    role = admin.post("/roles", json={"name": "Service provider", "permissions": ["field_service.provider"],
                                      "data_scope": "own"}).json()
    logins = {}
    for code in ("provider_x", "provider_y"):
        user = admin.post("/users", json={"code": code, "name": code, "password": f"{code}-password",
                                          "department_id": org["departments"]["Sales West"]["id"],
                                          "role_ids": [role["id"]]})
        assert user.status_code == 201, user.text
        logins[code] = (user.json(), helpers.login(code, f"{code}-password"))
    return logins


def test_field_service_order_from_repair_call_to_paid_settlement(admin, providers, rep_a, helpers):
    (x_user, x), (_, y) = providers["provider_x"], providers["provider_y"]
    call = admin.post("/field-service-orders", json={
        "contact_name": "李工", "contact_phone": "13800000000", "address": "无锡市新区 8 号",
        "equipment": "6135 柴油机", "fault_description": "启动困难, 冒黑烟"})
    assert call.status_code == 201, call.text
    order = call.json()
    assert order["status"] == "new" and order["number"].startswith("FS-HQ-")
    assert rep_a.post("/field-service-orders", json={}).status_code == 403
    assert rep_a.get("/field-service-orders").status_code == 403

    step = lambda api, name, body=None: api.post(f"/field-service-orders/{order['id']}/{name}", json=body or {})  # noqa: E731
    assert step(admin, "dispatch", {"provider_id": x_user["id"], "provider_name": "无锡服务站"}).status_code == 200
    # the provider sees it; the other provider does not, and cannot touch it
    assert [o["id"] for o in x.get("/field-service-orders").json()["items"]] == [order["id"]]
    assert y.get("/field-service-orders").json()["items"] == []
    assert y.get(f"/field-service-orders/{order['id']}").status_code == 404
    before = helpers.table_counts()
    feedback = {"actual_start": "2026-11-20T08:00:00+08:00", "actual_end": "2026-11-20T11:30:00+08:00",
                "description": "更换喷油嘴", "parts_used": [{"part_no": "PY-01", "name": "喷油嘴", "quantity": "2"}],
                "faulty_parts": [{"part_no": "PY-01", "name": "喷油嘴", "quantity": "2", "cause": "积碳"}],
                "service_items": [{"item": "喷油系统检修", "hours": "3.5"}]}
    assert step(y, "feedback", feedback).status_code == 404
    assert step(x, "feedback", feedback).status_code == 409  # not serviced yet
    assert step(x, "dispatch", {"provider_id": x_user["id"], "provider_name": "me"}).status_code == 403
    assert step(admin, "settle").status_code == 409  # a statement not yet audited cannot be paid
    assert helpers.table_counts() == before

    assert step(admin, "confirm", {"technician_name": "张师傅", "technician_phone": "13900000000"}).json()[
        "status"] == "confirmed"
    arrived = datetime.now(timezone.utc) - timedelta(days=5)
    assert step(admin, "progress", {"arrived_at": arrived.isoformat()}).json()["status"] == "in_service"
    serviced = step(admin, "progress", {"fixed_at": (arrived + timedelta(hours=3)).isoformat(),
                                        "anomalies": "现场缺件, 延误 1 小时"}).json()
    assert serviced["status"] == "serviced" and serviced["feedback_overdue"] is True  # fixed 5 days ago
    assert order["id"] in [o["id"] for o in admin.get("/field-service-orders",
                                                       params={"feedback_overdue": "true"}).json()["items"]]
    given = step(x, "feedback", feedback)
    assert given.status_code == 200, given.text
    assert given.json()["feedback_late"] is True and given.json()["feedback"]["parts_used"][0]["quantity"] == "2"

    assert step(admin, "audit", {"approved": False, "comment": "缺故障照片"}).json()["status"] == "serviced"
    assert step(x, "feedback", feedback).json()["status"] == "feedback_given"
    assert step(admin, "audit", {"approved": True}).json()["status"] == "audited"
    assert step(admin, "fee-statement", {"items": [{"description": "工时费", "amount": "350.00"},
                                                    {"description": "差旅费", "amount": "120.50"}]}).json()[
        "fee_total"] == "470.50"
    assert step(admin, "settle").status_code == 409
    assert step(admin, "hq-audit", {"approved": True}).json()["status"] == "hq_audited"
    settled = step(admin, "settle")
    assert settled.status_code == 200 and settled.json()["status"] == "settled"
    assert [h["action"] for h in settled.json()["history"]][-3:] == ["fee", "hq_audit", "settle"]

    payment = helpers.eventually(lambda: [p for p in admin.get("/payments", params={
        "kind": "field_service_settlement"}).json()["items"] if p["source_id"] == order["id"]])
    assert payment and payment[0]["amount"] == "470.50" and payment[0]["payee"] == "无锡服务站"


def test_returned_goods_are_received_after_sales_approves_the_return(rep_b, admin, org, approved_order, bus,
                                                                     helpers):
    made = approved_order(quantities=["10"])
    line = made["order"]["lines"][0]
    return_id = str(uuid.uuid4())
    bus.publish("sales.return_approved", {
        "return_id": return_id, "number": "RT-HQ-2026-000002", "order_id": made["order"]["id"],
        "customer_id": made["customer_id"],
        "lines": [{"order_line_id": line["id"], "product_id": line["product_id"], "quantity": "3",
                   "unit_price": "19.99", "amount": "59.97"}], "total": "59.97", "currency": "CNY",
        "owner_id": made["order"]["owner_id"], "department_path": made["receivable"]["department_path"],
        "branch": "HQ"})
    found = helpers.eventually(lambda: admin.get("/goods-returns", params={"order_id": made["order"]["id"]}
                                                 ).json()["items"])
    assert found and found[0]["status"] == "expected" and found[0]["return_id"] == return_id
    goods = found[0]
    assert rep_b.get(f"/goods-returns/{goods['id']}").status_code == 403  # no warehouse permission
    # a warehouse keeper of another department does not see it at all
    role = admin.post("/roles", json={"name": "Warehouse West", "data_scope": "department",
                                      "permissions": ["goods_returns.read", "goods_returns.write"]}).json()
    admin.post("/users", json={"code": "keeper_w", "name": "Keeper", "password": "keeper-password",
                               "department_id": org["departments"]["Sales West"]["id"], "role_ids": [role["id"]]})
    keeper = helpers.login("keeper_w", "keeper-password")
    assert keeper.get(f"/goods-returns/{goods['id']}").status_code == 404
    assert keeper.post(f"/goods-returns/{goods['id']}/receive",
                       json={"lines": [{"order_line_id": line["id"], "quantity": "1"}]}).status_code == 404
    before = helpers.table_counts()
    over = admin.post(f"/goods-returns/{goods['id']}/receive",
                      json={"lines": [{"order_line_id": line["id"], "quantity": "3.5"}]})
    assert over.status_code == 422 and helpers.table_counts() == before
    part = admin.post(f"/goods-returns/{goods['id']}/receive",
                      json={"lines": [{"order_line_id": line["id"], "quantity": "1"}]}).json()
    assert part["status"] == "partially_received" and part["lines"][0]["received"] == "1.000"
    assert admin.post(f"/goods-returns/{goods['id']}/receive",
                      json={"lines": [{"order_line_id": line["id"], "quantity": "2"}]}).json()["status"] == "received"
    assert admin.post(f"/goods-returns/{goods['id']}/receive",
                      json={"lines": [{"order_line_id": line["id"], "quantity": "1"}]}).status_code == 409


def test_two_concurrent_shipments_exceeding_the_remainder_one_is_refused(rep_a, approved_order, helpers):
    fulfilment = approved_order(quantities=["10"])["fulfilment"]
    reps = [helpers.login("rep_a", "rep_a-password") for _ in range(2)]
    results = helpers.at_once(*(lambda api=api: _ship(api, fulfilment, ["6"]).status_code for api in reps))
    assert sorted(results) == [201, 422]
    assert rep_a.get(f"/fulfilments/{fulfilment['id']}").json()["lines"][0]["remaining"] == "4.000"
