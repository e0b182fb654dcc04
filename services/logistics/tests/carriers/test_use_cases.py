"""Carriers through their use cases on the logistics database alone."""
import uuid

import pytest

from crm_common.errors import Forbidden, InvalidInput, NotFound
from crm_logistics.carriers import queries, use_cases

RATES = [{"route": "上海-杭州", "unit": "kg", "price": "1.20"}]


@pytest.fixture
def clerk(principal_factory):
    return principal_factory(permissions={"carriers.read", "carriers.write"}, scope="own")


def test_a_carrier_keeps_its_rate_card_in_decimal_strings(uow, clerk):
    carrier = use_cases.create(uow(), clerk, {"name": "顺丰速运", "phone": "95338", "rates": RATES})
    assert carrier["active"] is True and carrier["owner_id"] == clerk.user_id
    again = queries.get(uow(), clerk, carrier["id"])
    assert again["rates"] == RATES and again["phone"] == "95338"


def test_an_update_changes_only_what_it_names(uow, clerk):
    carrier = use_cases.create(uow(), clerk, {"name": "德邦", "rates": RATES})
    updated = use_cases.update(uow(), clerk, carrier["id"], {"active": False, "contact_name": "王经理"})
    assert (updated["name"], updated["active"], updated["contact_name"]) == ("德邦", False, "王经理")
    assert updated["rates"] == RATES


@pytest.mark.parametrize("field", ["owner_id", "branch", "id"])
def test_server_fields_are_refused_and_nothing_is_written(uow, clerk, field):
    with pytest.raises(InvalidInput):
        use_cases.create(uow(), clerk, {"name": "中通", field: str(uuid.uuid4())})
    assert queries.list_(uow(), clerk, {})["items"] == []


def test_a_float_price_or_a_bad_unit_is_refused(uow, clerk):
    with pytest.raises(InvalidInput):
        use_cases.create(uow(), clerk, {"name": "中通", "rates": [{"route": "A-B", "unit": "ton", "price": "1"}]})
    with pytest.raises(InvalidInput):
        use_cases.create(uow(), clerk, {"name": "中通", "rates": [{"route": "A-B", "unit": "kg", "price": "1.001"}]})


def test_another_owners_carrier_is_not_found(uow, clerk, principal_factory):
    carrier = use_cases.create(uow(), clerk, {"name": "圆通"})
    other = principal_factory(permissions=clerk.permissions, scope="own")
    with pytest.raises(NotFound):
        queries.get(uow(), other, carrier["id"])
    with pytest.raises(NotFound):
        use_cases.update(uow(), other, carrier["id"], {"name": "改名"})
    assert queries.get(uow(), clerk, carrier["id"])["name"] == "圆通"


def test_a_malformed_id_is_not_found(uow, clerk):
    with pytest.raises(NotFound):
        queries.get(uow(), clerk, "not-a-uuid")


def test_carriers_are_listed_by_name_and_found_by_part_of_it(uow, clerk):
    for name in ("韵达", "申通快递", "安能物流"):
        use_cases.create(uow(), clerk, {"name": name})
    names = [item["name"] for item in queries.list_(uow(), clerk, {})["items"]]
    assert names == sorted(names) and len(names) == 3
    assert [item["name"] for item in queries.list_(uow(), clerk, {"name": "快递"})["items"]] == ["申通快递"]
    assert queries.list_(uow(), clerk, {"name": "%"})["items"] == []


def test_reading_without_the_permission_is_forbidden(uow, clerk, principal_factory):
    carrier = use_cases.create(uow(), clerk, {"name": "极兔"})
    with pytest.raises(Forbidden):
        queries.get(uow(), principal_factory(permissions={"shipments.read"}, scope="all"), carrier["id"])
    with pytest.raises(Forbidden):
        use_cases.create(uow(), principal_factory(permissions={"carriers.read"}, scope="all"), {"name": "x"})
