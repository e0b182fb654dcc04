"""Data dictionary (ADM-06), region data and phone-number region lookup (ADM-07)."""
import pytest

pytestmark = pytest.mark.e2e


def test_pick_lists_are_readable_by_everyone_and_edited_by_admins(admin, rep_a):
    levels = rep_a.get("/dictionaries/value_level").json()["items"]
    assert [entry["code"] for entry in levels] == ["a", "b", "c", "d"]
    assert "industry" in {k["kind"] for k in rep_a.get("/dictionaries").json()["items"]}
    assert rep_a.put("/dictionaries/value_level/e", json={"label": "E"}).status_code == 403
    assert admin.put("/dictionaries/value_level/e", json={"label": "E 潜力客户", "sort_order": 9}).status_code == 200
    assert admin.put("/dictionaries/value_level/d", json={"label": "D", "active": False}).status_code == 200
    codes = [entry["code"] for entry in rep_a.get("/dictionaries/value_level").json()["items"]]
    assert codes == ["a", "b", "c", "e"]
    everything = rep_a.get("/dictionaries/value_level", params={"include_inactive": "true"}).json()["items"]
    assert "d" in {entry["code"] for entry in everything}
    assert admin.put("/dictionaries/Bad Kind/x", json={"label": "x"}).status_code == 400
    assert admin.put("/dictionaries/value_level/f", json={"label": ""}).status_code == 422
    assert rep_a.get("/dictionaries/no_such_list").status_code == 404


def test_regions_cascade_province_city_district(rep_a):
    provinces = {r["name"]: r["code"] for r in rep_a.get("/regions").json()["items"]}
    assert len(provinces) == 34 and provinces["浙江省"] == "330000"
    cities = {r["name"]: r["code"] for r in rep_a.get("/regions", params={"parent": "330000"}).json()["items"]}
    assert cities["杭州市"] == "330100"
    districts = {r["name"] for r in rep_a.get("/regions", params={"parent": "330100"}).json()["items"]}
    assert "西湖区" in districts
    detail = rep_a.get("/regions/330106").json()
    assert [p["name"] for p in detail["path"]] == ["浙江省", "杭州市", "西湖区"]
    assert rep_a.get("/regions/999999").status_code == 404


def test_phone_number_region(rep_a):
    mobile = rep_a.get("/phone-regions/13800138000").json()
    assert mobile["kind"] == "mobile" and mobile["province"] == "北京" and mobile["carrier"] == "移动"
    landline = rep_a.get("/phone-regions/0571-88886666").json()
    assert landline["kind"] == "landline" and landline["city"] == "杭州" and landline["area_code"] == "0571"
    assert rep_a.get("/phone-regions/+8613800138000").json()["city"] == "北京"
    assert rep_a.get("/phone-regions/12345").status_code == 400
