"""CUS-11: after two customers are merged, the other services' records point at the survivor."""
import pytest

pytestmark = pytest.mark.e2e


def test_orders_fulfilments_and_receivables_follow_a_merge(admin, approved_order, rep_a, helpers):
    made = approved_order()
    source = made["customer_id"]
    survivor = rep_a.post("/customers", json={"name": "合并后的客户", "confirm_duplicate": True}).json()["id"]
    merged = admin.post(f"/customers/{survivor}/merge", json={"source_id": source})
    assert merged.status_code == 200, merged.text

    def moved():
        order = rep_a.get(f"/orders/{made['order']['id']}").json()
        receivable = rep_a.get(f"/receivables/{made['receivable']['id']}").json()
        fulfilment = rep_a.get(f"/fulfilments/{made['fulfilment']['id']}").json()
        return {order["customer_id"], receivable["customer_id"], fulfilment["customer_id"]} == {survivor}

    assert helpers.eventually(moved)
    for service, table in (("sales", "orders"), ("logistics", "fulfilments"), ("finance", "receivables")):
        assert helpers.rows(service, f"SELECT count(*) FROM {table} WHERE customer_id = %s", (source,))[0][0] == 0
