"""Chinese identifiers and phones of customers and contacts through the use cases: the credit code
duplicate check, the masked ID number, several numbers each with a kind, and the call-log match."""
import pytest

from crm_common.errors import Conflict, InvalidInput
from crm_customers.contacts import queries as contacts_queries
from crm_customers.contacts import use_cases as contacts
from crm_customers.customers import queries, use_cases
from crm_customers.profile import queries as profile

CREDIT = "91110000600037341L"


def test_a_company_keeps_its_licence_in_canonical_form(uow, rep, new_customer):
    made = new_customer(credit_code="9111 0000 6000 3734 1l", organization_code="600037341",
                        registered_address="北京市东城区", legal_representative="王五")
    assert (made["credit_code"], made["organization_code"]) == (CREDIT, "60003734-1")
    with pytest.raises(InvalidInput) as refused:
        use_cases.update(uow(), rep, made["id"], {"organization_code": "MA27XL0X-4"})
    assert list(refused.value.errors) == ["organization_code"]
    with pytest.raises(InvalidInput) as refused:  # a real-looking code whose check character is wrong
        new_customer("北京乙", credit_code="91110000600037341M")
    assert "check character" in refused.value.errors["credit_code"][0]


def test_a_second_customer_with_the_credit_code_is_a_conflict_naming_it(uow, rep, other_rep, new_customer):
    first = new_customer(credit_code=CREDIT)
    for who in (rep, other_rep):  # even confirm_duplicate does not make a second company of one code
        with pytest.raises(Conflict) as refused:
            new_customer("另一个名字", who=who, credit_code=CREDIT)
        [found] = refused.value.errors["duplicates"]
        if who is rep:
            assert found["candidates"] == [{"id": first["id"], "code": first["code"], "name": first["name"]}]
        else:  # out of the caller's scope: counted, not described
            assert (found["candidates"], found["other_matches"]) == ([], 1)
    second = new_customer("北京丙")
    with pytest.raises(Conflict):
        use_cases.update(uow(), rep, second["id"], {"credit_code": CREDIT})


def test_an_individual_id_number_fills_the_birthday_and_shows_masked(uow, rep, principal_factory, new_customer):
    person = new_customer("张三", kind="individual", id_number="110101199003071233")
    assert (person["id_number"], person["birthday"]) == ("110101********1233", "1990-03-07")
    assert queries.list_(uow(), rep, {})["items"][0]["id_number"] == "110101********1233"
    sensitive = principal_factory(permissions=rep.permissions | {"customers.view_sensitive"}, scope="all")
    assert queries.list_(uow(), sensitive, {})["items"][0]["id_number"] == "110101199003071233"
    assert profile.get(uow(), sensitive, person["id"])["id_number"] == "110101199003071233"
    assert profile.get(uow(), rep, person["id"])["id_number"] == "110101********1233"
    kept = new_customer("李四", kind="individual", id_number="11010519491231002X", birthday="1950-01-01")
    assert kept["birthday"] == "1950-01-01"  # a birthday given stays
    with pytest.raises(InvalidInput) as refused:
        new_customer("王五", kind="individual", id_number="110105194902300020")  # 30 February
    assert list(refused.value.errors) == ["id_number"]
    with pytest.raises(InvalidInput) as refused:
        new_customer("天马", id_number="110101199003071233")  # a company has none
    assert list(refused.value.errors) == ["id_number"]


def test_several_phones_each_with_a_kind_and_the_duplicate_check_uses_their_form(uow, rep, new_customer):
    made = new_customer(phone="0571-88886666", phones=[
        {"kind": "mobile", "number": "+86 138-0013-8000"}, {"kind": "fax", "number": "(0571) 8888 6667"}])
    assert [(p["kind"], p["number"], p["typed"]) for p in made["phones"]] == [
        ("mobile", "13800138000", "+86 138-0013-8000"), ("fax", "057188886667", "(0571) 8888 6667")]
    assert made["phone"] == "0571-88886666"
    for body in ({"phone": "+86 571 8888 6666"}, {"phones": [{"kind": "office", "number": "138 0013 8000"}]}):
        with pytest.raises(Conflict) as duplicate:
            use_cases.create(uow(), rep, {"name": "全新名字", **body})
        assert duplicate.value.errors["duplicates"][0]["candidates"][0]["id"] == made["id"]
    assert [c["id"] for c in queries.list_(uow(), rep, {"phone": "13800138000"})["items"]] == [made["id"]]
    with pytest.raises(InvalidInput) as refused:
        use_cases.create(uow(), rep, {"name": "x", "phones": [{"kind": "office", "number": "88886666"}]})
    assert list(refused.value.errors["phones"][0]) == ["number"]
    changed = use_cases.update(uow(), rep, made["id"], {"phones": [{"kind": "home", "number": "021-55550000"}]})
    assert [(p["kind"], p["number"]) for p in changed["phones"]] == [("home", "02155550000")]


def test_the_call_log_finds_a_contact_by_any_of_its_numbers_in_their_comparable_form(uow, rep, customer):
    contact = contacts.create(uow(), rep, customer["id"], {"name": "王经理", "mobile": "13700001234", "phones": [
        {"kind": "office", "number": "021-66667777-801"}]})
    assert contact["phones"][0]["extension"] == "801"
    for caller in ("+86 137 0000 1234", "02166667777", "+86 21 6666 7777"):
        found = contacts_queries.find_by_phone(uow(), rep, caller)
        assert found and found["contact_id"] == contact["id"], caller
    use_cases.update(uow(), rep, customer["id"], {"phones": [{"kind": "office", "number": "0571-88886666"}]})
    found = contacts_queries.find_by_phone(uow(), rep, "+86 571 8888 6666")
    assert found == {"customer_id": customer["id"], "customer_name": customer["name"],
                     "contact_id": None, "contact_name": None}
    assert contacts_queries.find_by_phone(uow(), rep, "13911112222") is None
    with pytest.raises(InvalidInput):
        contacts.create(uow(), rep, customer["id"], {"name": "x", "mobile": "1370000123"})


def test_blank_identifiers_and_phones_are_none_and_overlong_ones_invalid(uow, rep):
    made = use_cases.create(uow(), rep, {"name": "空白测试", "phone": "", "credit_code": " ", "id_number": None})
    assert (made["phone"], made["credit_code"], made["id_number"]) == (None, None, None)
    for field in ("phone", "credit_code", "organization_code", "id_number"):
        with pytest.raises(InvalidInput) as refused:
            use_cases.create(uow(), rep, {"name": "太长", field: "1" * 41})
        assert list(refused.value.errors) == [field]


def test_a_patch_with_a_phone_without_its_number_is_invalid(uow, rep, customer):
    with pytest.raises(InvalidInput) as refused:
        use_cases.update(uow(), rep, customer["id"], {"phones": [{"kind": "office"}]})
    assert list(refused.value.errors["phones"][0]) == ["number"]
