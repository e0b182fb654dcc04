"""CSV import jobs and the export through their use cases (the job runs as the timer would run it)."""
import pytest

from crm_common import exports
from crm_common.errors import Conflict, Forbidden, InvalidInput, NotFound
from crm_customers.customers import queries as customer_queries
from crm_customers.exchange import queries, use_cases

CSV = "name,city,tags\n上海甲公司,上海,a|b\n北京乙公司,北京,\n"


@pytest.fixture
def importer(principal_factory):
    return principal_factory(permissions={"customers.read", "customers.write", "customers.import",
                                          "customers.export"}, scope="own")


PICKS = {"industry": {"manufacturing": "制造业 Manufacturing", "it": "信息技术 IT"},
         "customer_source": {"referral": "转介绍 Referral"}, "value_level": {"a": "A 重点客户 Key", "b": "B 主要客户 Major"}}


def run(uow, importer, body, picks=None, **modes):
    job = use_cases.create(uow(), importer, modes)
    use_cases.add_chunk(uow(), importer, job["id"], {"first_row": 1, "csv": body}, picks)
    assert use_cases.start(uow(), importer, job["id"], {})["status"] == "queued"
    assert use_cases.process_next(uow) == job["id"]
    return queries.get(uow(), importer, job["id"])


def test_an_import_creates_customers_in_the_uploaders_scope(uow, importer):
    job = run(uow, importer, CSV)
    assert (job["status"], job["total"], job["created"], job["error_count"]) == ("done", 2, 2, 0)
    rows = customer_queries.list_(uow(), importer, {"sort": "name"})["items"]
    assert {r["name"] for r in rows} == {"上海甲公司", "北京乙公司"}
    assert all(r["owner_id"] == importer.user_id and r["code"].startswith("C-HQ-") for r in rows)
    assert use_cases.process_next(uow) is None  # nothing left queued


def test_bad_rows_are_reported_and_the_good_ones_land(uow, importer):
    job = run(uow, importer, "name,email\n甲公司,\n,x@y.cn\n乙公司,not-an-email\n")
    assert (job["created"], job["error_count"]) == (1, 2)
    assert [e["row"] for e in job["errors"]] == [2, 3]


def test_all_or_nothing_lands_nothing_when_a_row_is_bad(uow, importer):
    job = run(uow, importer, "name\n甲公司\n\"\"\n", all_or_nothing=True)
    assert (job["status"], job["created"]) == ("failed", 0)
    assert customer_queries.list_(uow(), importer, {})["items"] == []


def test_a_dry_run_counts_and_writes_nothing(uow, importer):
    job = run(uow, importer, CSV, dry_run=True)
    assert (job["status"], job["created"]) == ("done", 2)
    assert customer_queries.list_(uow(), importer, {})["items"] == []


def test_a_row_with_a_known_code_updates_that_customer(uow, importer):
    run(uow, importer, "code,name\nK-1,甲公司\n")
    job = run(uow, importer, "code,name,city\nK-1,甲公司,杭州\n")
    assert (job["created"], job["updated"]) == (0, 1)
    [row] = customer_queries.list_(uow(), importer, {})["items"]
    assert (row["code"], row["city"], row["city_code"]) == ("K-1", "杭州市", "330100")


def test_unknown_columns_are_invalid_and_the_job_stays_empty(uow, importer):
    job = use_cases.create(uow(), importer, {})
    with pytest.raises(InvalidInput):
        use_cases.add_chunk(uow(), importer, job["id"], {"first_row": 1, "csv": "name,owner_id\n甲,x\n"})
    with pytest.raises(InvalidInput):
        use_cases.add_chunk(uow(), importer, job["id"], {"first_row": 0, "csv": CSV})
    assert queries.get(uow(), importer, job["id"])["total"] == 0


def test_a_started_job_takes_no_rows_and_does_not_start_twice(uow, importer):
    job = use_cases.create(uow(), importer, {})
    use_cases.start(uow(), importer, job["id"], {})
    with pytest.raises(Conflict) as refused:
        use_cases.add_chunk(uow(), importer, job["id"], {"first_row": 1, "csv": CSV})
    assert refused.value.errors["status"] == ["queued"]
    with pytest.raises(Conflict):
        use_cases.start(uow(), importer, job["id"], {})


def test_a_job_is_its_uploaders_alone(uow, importer, principal_factory):
    job = use_cases.create(uow(), importer, {})
    someone = principal_factory(permissions=importer.permissions)
    with pytest.raises(NotFound):
        queries.get(uow(), someone, job["id"])
    with pytest.raises(NotFound):
        use_cases.start(uow(), someone, job["id"], {})
    with pytest.raises(Forbidden):
        use_cases.create(uow(), principal_factory(permissions={"customers.write"}), {})


def test_the_export_has_the_import_columns_in_chinese_within_scope(uow, importer, other_rep, new_customer):
    new_customer("别人的客户", who=other_rep)
    run(uow, importer, CSV)
    export = queries.export_customers(uow(), importer, {"city": "上海"}, None)
    labels = [c["label"] for c in export["columns"]]
    assert labels[:3] == ["客户编号", "客户类型", "客户名称"] and export["total"] == 1
    assert export["next_cursor"] is None
    [row] = export["rows"]
    assert row[labels.index("客户名称")] == "上海甲公司" and row[labels.index("标签")] == "a|b"
    with pytest.raises(Forbidden):
        queries.export_customers(uow(), other_rep, {}, None)


def test_the_export_walks_every_page_by_cursor(uow, importer, monkeypatch):
    run(uow, importer, "name\n" + "".join(f"客户{i}\n" for i in range(5)))
    monkeypatch.setattr(exports, "EXPORT_PAGE_ROWS", 2)
    names, cursor, pages = [], None, 0
    while True:
        answer = queries.export_customers(uow(), importer, {}, cursor)
        names += [r[2] for r in answer["rows"]]
        pages += 1
        cursor = answer["next_cursor"]
        if not cursor:
            break
    assert sorted(names) == [f"客户{i}" for i in range(5)] and pages == 3


def test_an_edited_export_imports_back_by_its_chinese_headers(uow, importer):
    run(uow, importer, "code,name\nRT-1,甲公司\n")
    export = queries.export_customers(uow(), importer, {}, None)
    header = ",".join(c["label"] for c in export["columns"])
    row = ",".join("杭州" if c["key"] == "city" else (v or "") for c, v in zip(export["columns"], export["rows"][0],
                                                                            strict=True))
    job = run(uow, importer, f"\ufeff{header}\n{row}\n")
    assert (job["created"], job["updated"], job["error_count"]) == (0, 1, 0)
    [customer] = customer_queries.list_(uow(), importer, {})["items"]
    assert (customer["code"], customer["city"]) == ("RT-1", "杭州市")


def test_a_code_twice_in_the_file_or_of_someone_elses_customer_is_a_row_error(uow, importer, other_rep, new_customer):
    hidden = new_customer("别人的", who=other_rep)
    job = run(uow, importer, f"code,name\nK-1,甲\nK-1,乙\n{hidden['code']},丙\n")
    assert (job["created"], job["error_count"]) == (1, 2)
    assert [(e["row"], list(e["errors"])) for e in job["errors"]] == [(2, ["code"]), (3, ["code"])]


CREDIT, OTHER_CREDIT = "91110000600037341L", "91330106MA27XL0X1K"


def test_a_credit_code_of_a_live_customer_or_twice_in_the_file_is_refused_even_in_a_dry_run(
        uow, importer, other_rep, new_customer):
    held = new_customer("别人的", who=other_rep, credit_code=CREDIT)
    body = (f"name,credit_code\n甲,{CREDIT}\n乙,{OTHER_CREDIT}\n丙,{OTHER_CREDIT.lower()}\n"
            f"丁,91440300708461136T\n")
    for dry_run in (True, False):
        job = run(uow, importer, body, dry_run=dry_run)
        assert (job["created"], job["error_count"]) == (2, 2)
        assert sorted((e["row"], list(e["errors"])) for e in job["errors"]) == [(1, ["credit_code"]), (3, ["credit_code"])]
        if dry_run:
            assert customer_queries.list_(uow(), importer, {})["items"] == []
        else:  # a further import of the same file now meets the customers the first one made
            again = run(uow, importer, body, dry_run=True)
            assert (again["created"], again["error_count"]) == (0, 4)
    rows = customer_queries.list_(uow(), importer, {"sort": "name"})["items"]
    assert {(r["name"], r["credit_code"]) for r in rows} == {("乙", OTHER_CREDIT), ("丁", "91440300708461136T")}
    assert customer_queries.list_(uow(), other_rep, {})["items"][0]["id"] == held["id"]


def test_an_upsert_keeps_its_own_credit_code(uow, importer):
    run(uow, importer, f"code,name,credit_code\nK-1,甲公司,{CREDIT}\n")
    job = run(uow, importer, f"code,name,credit_code,city\nK-1,甲公司,{CREDIT},杭州\n")
    assert (job["updated"], job["error_count"]) == (1, 0)


def test_identifiers_must_fit_the_rows_kind(uow, importer):
    job = run(uow, importer, "name,kind,credit_code,id_number\n"
                             f"张三,individual,{CREDIT},\n"
                             "甲公司,company,,110101199003071233\n"
                             "李四,individual,,110101199003071233\n")
    assert (job["created"], job["error_count"]) == (1, 2)
    assert [(e["row"], list(e["errors"])) for e in job["errors"]] == [(1, ["credit_code"]), (2, ["id_number"])]
    [person] = customer_queries.list_(uow(), importer, {})["items"]
    assert (person["name"], person["kind"], person["birthday"]) == ("李四", "individual", "1990-03-07")
    assert person["id_number"] == "110101********1233"


def test_an_import_obeys_the_importers_field_permissions(uow, principal_factory):
    """A read-only or hidden column is a row error, and so is a masked value sent back as new."""
    limited = principal_factory(permissions={"customers.read", "customers.write", "customers.import"}, scope="own",
                                fields={"customer.notes": {"access": "read_only", "mask": "none"},
                                        "customer.email": {"access": "editable", "mask": "list"}})
    job = run(uow, limited, "name,notes,email\n甲公司,,\n乙公司,备注,\n丙公司,,z***@example.com\n丁公司,,d@example.com\n")
    assert (job["created"], job["error_count"]) == (2, 2)
    assert [(e["row"], sorted(e["errors"])) for e in job["errors"]] == [(2, ["notes"]), (3, ["email"])]


def test_pick_list_cells_are_dictionary_codes_or_labels_and_nothing_else(uow, importer):
    """A cell may say the code (it) or what the office user reads (制造业, 转介绍, A): stored as the
    code; anything else is the row's error naming the field and the allowed codes."""
    job = run(uow, importer, "name,industry,source,value_level\n甲公司,制造业,转介绍,A\n乙公司,it,referral,b\n"
                             "丙公司,制造,,\n丁公司,,,Ｃ\n", PICKS)
    assert (job["created"], job["error_count"]) == (2, 2)
    assert [(e["row"], sorted(e["errors"])) for e in job["errors"]] == [(3, ["industry"]), (4, ["value_level"])]
    assert "manufacturing (制造业 Manufacturing)" in job["errors"][0]["errors"]["industry"][0]
    rows = {r["name"]: r for r in customer_queries.list_(uow(), importer, {})["items"]}
    assert [(rows[n]["industry"], rows[n]["source"], rows[n]["value_level"]) for n in ("甲公司", "乙公司")] == [
        ("manufacturing", "referral", "a"), ("it", "referral", "b")]


def test_an_import_resolves_place_names_to_region_codes(uow, importer):
    job = run(uow, importer, "name,province,city\n甲公司,浙江,杭州\n乙公司,浙江省,杭州市\n丙公司,浙江,南京\n")
    assert (job["created"], job["error_count"]) == (2, 1)
    assert job["errors"][0]["row"] == 3 and list(job["errors"][0]["errors"]) == ["city"]
    rows = customer_queries.list_(uow(), importer, {"city": "330100"})["items"]
    assert {(r["province"], r["city"], r["province_code"], r["city_code"]) for r in rows} == {
        ("浙江省", "杭州市", "330000", "330100")} and len(rows) == 2


def test_an_import_names_a_group_by_its_path_or_its_id_and_only_an_active_one(uow, importer, principal_factory):
    from crm_customers.groups import use_cases as groups
    keeper = principal_factory(permissions={"admin.dictionaries"}, scope="all")
    east = groups.create(uow(), keeper, {"name": "华东"})
    big = groups.create(uow(), keeper, {"name": "大客户", "parent_id": east["id"]})
    old = groups.create(uow(), keeper, {"name": "旧群"})
    groups.retire(uow(), keeper, old["id"])
    job = run(uow, importer, f"name,客户群,group_id\n甲公司,华东 / 大客户,\n乙公司,,{east['id']}\n"
                             f"丙公司,华东/无此群,\n丁公司,旧群,\n戊公司,,{old['id']}\n")
    assert (job["created"], [(e["row"], list(e["errors"])) for e in job["errors"]]) == (
        2, [(3, ["group_path"]), (4, ["group_path"]), (5, ["group_id"])])
    rows = customer_queries.list_(uow(), importer, {"group": "华东", "sort": "name"})["items"]
    assert {(r["name"], r["group_id"], r["group_path"]) for r in rows} == {
        ("甲公司", big["id"], "华东/大客户"), ("乙公司", east["id"], "华东")}
