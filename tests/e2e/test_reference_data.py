"""Data dictionary (ADM-06), region data and phone-number region lookup (ADM-07)."""
import uuid

import pytest

pytestmark = pytest.mark.e2e


def _level_codes(api, **params) -> list:
    return [entry["code"] for entry in api.get("/dictionaries/value_level", params=params).json()["items"]]


def test_pick_lists_are_readable_by_everyone_and_edited_by_admins(admin, rep_a):
    # other tests add entries of their own to the session's dictionary: the seeded ones keep their order
    assert [code for code in _level_codes(rep_a) if code in ("a", "b", "c", "d")] == ["a", "b", "c", "d"]
    assert "industry" in {k["kind"] for k in rep_a.get("/dictionaries").json()["items"]}
    mine = f"t{uuid.uuid4().hex[:6]}"  # retiring a seeded level would change what later tests may pick
    assert rep_a.put(f"/dictionaries/value_level/{mine}", json={"label": "E"}).status_code == 403
    assert admin.put(f"/dictionaries/value_level/{mine}", json={"label": "E 潜力客户", "sort_order": 9}).status_code == 200
    assert mine in _level_codes(rep_a)
    assert admin.put(f"/dictionaries/value_level/{mine}", json={"label": "E", "active": False}).status_code == 200
    assert mine not in _level_codes(rep_a) and mine in _level_codes(rep_a, include_inactive="true")
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


def test_pick_list_fields_take_dictionary_codes_on_create_update_and_import(admin, rep_a, helpers):
    """ADM-06 through the gateway: a value outside the dictionary is a 422 naming the field and the
    allowed codes; a new entry is accepted at once, a deactivated one refused at once; an import
    file may name a pick by its label, stored as the code; statistics count by code."""
    mark = uuid.uuid4().hex[:8]
    before = helpers.domain_counts("customers")
    refused = rep_a.post("/customers", json={"name": f"字典{mark}", "industry": "制造", "value_level": "A"})
    assert refused.status_code == 422, refused.text
    errors = refused.json()["errors"]
    assert sorted(errors) == ["industry", "value_level"] and "manufacturing (制造业 Manufacturing)" in errors["industry"][0]
    assert helpers.domain_counts("customers") == before

    code = f"tea{mark}"
    assert admin.put(f"/dictionaries/industry/{code}", json={"label": "茶叶 Tea"}).status_code == 200
    made = rep_a.post("/customers", json={"name": f"字典{mark}", "industry": code, "source": "referral"})
    assert made.status_code == 201, made.text
    customer = made.json()
    assert rep_a.patch(f"/customers/{customer['id']}", json={"source": "展会"}).status_code == 422
    assert admin.put(f"/dictionaries/industry/{code}", json={"label": "茶叶 Tea", "active": False}).status_code == 200
    assert rep_a.post("/leads", json={"name": f"线索{mark}", "industry": code}).status_code == 422
    assert rep_a.patch(f"/customers/{customer['id']}", json={"industry": "it"}).json()["industry"] == "it"

    importer = admin
    job = importer.post("/customer-imports", json={}).json()
    body = f"客户名称,行业,价值等级\n导入{mark}一,制造业,A\n导入{mark}二,manufacturing,b\n导入{mark}三,制造,\n"
    assert importer.post(f"/customer-imports/{job['id']}/file", params={"name": "客户.csv"},
                         data=body.encode()).status_code == 200
    importer.post(f"/customer-imports/{job['id']}/start")
    done = helpers.eventually(lambda: (lambda j: j if j["status"] in ("done", "failed") else None)(
        importer.get(f"/customer-imports/{job['id']}").json()), timeout=60)
    assert (done["created"], done["error_count"]) == (2, 1), done
    assert done["errors"][0]["row"] == 3 and list(done["errors"][0]["errors"]) == ["industry"]
    rows = importer.get("/customers", params={"name": f"导入{mark}"}).json()["items"]
    assert sorted((r["industry"], r["value_level"]) for r in rows) == [("manufacturing", "a"), ("manufacturing", "b")]
    stats = importer.get("/customers/statistics", params={"by": "industry", "name": f"导入{mark}"}).json()["items"]
    assert stats == [{"key": "manufacturing", "count": 2}]


def test_a_customers_place_is_region_codes_tied_to_the_region_table(rep_a):
    """北京 and 北京市 are one province over HTTP: stored as codes of /regions, answered with its
    names, filtered by code (or any spelling), one bucket in the statistics."""
    mark = uuid.uuid4().hex[:8]
    made = [rep_a.post("/customers", json={"name": f"地区{mark}{i}", "province": province, "city": city}).json()
            for i, (province, city) in enumerate((("北京", "北京"), ("北京市", None), ("110000", "110100")))]
    assert {(c["province_code"], c["province"]) for c in made} == {("110000", "北京市")}
    assert rep_a.get("/regions/110000").json()["name"] == made[0]["province"]
    for spelling in ("110000", "北京", "北京市"):
        found = rep_a.get("/customers", params={"province": spelling, "name": f"地区{mark}"}).json()["items"]
        assert len(found) == 3
    assert len(rep_a.get("/customers", params={"city": "110100", "name": f"地区{mark}"}).json()["items"]) == 2
    refused = rep_a.post("/customers", json={"name": f"地区{mark}x", "province": "浙江", "city": "南京"})
    assert refused.status_code == 422 and list(refused.json()["errors"]) == ["city"]
    stats = rep_a.get("/customers/statistics", params={"by": "region", "name": f"地区{mark}"}).json()["items"]
    assert sorted((s["key"], s["count"]) for s in stats) == [("北京市/", 1), ("北京市/北京市", 2)]
