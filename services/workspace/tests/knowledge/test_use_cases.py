"""The knowledge base through its use cases: branch-wide reading, scoped editing, Chinese search."""
import pytest

from crm_common.errors import Forbidden, InvalidInput, NotFound
from crm_workspace.categories import use_cases as categories
from crm_workspace.knowledge import queries, use_cases

EDITOR = {"knowledge.read", "knowledge.write", "categories.write"}


@pytest.fixture
def editor(principal_factory):
    return principal_factory(permissions=EDITOR, scope="own")


@pytest.fixture
def manuals(uow, editor):
    return categories.create(uow(), editor, {"kind": "article", "name": "手册"})


def write(uow, who, category, title="开票指南", body="增值税专用发票需要提供开票信息和纳税人识别号"):
    return use_cases.create(uow(), who, {"category_id": category["id"], "title": title, "body": body})


def titles(uow, who, **query):
    return [a["title"] for a in queries.list_(uow(), who, query)["items"]]


def test_a_two_character_chinese_word_finds_the_article_it_occurs_in(uow, editor, manuals):
    write(uow, editor, manuals)
    write(uow, editor, manuals, title="退货流程", body="客户退货需要审批")
    assert titles(uow, editor, q="发票") == ["开票指南"]
    assert titles(uow, editor, q="纳税人识别号") == ["开票指南"]
    assert titles(uow, editor, q="审批") == ["退货流程"]
    assert titles(uow, editor, q="发审") == []  # both characters occur, never side by side


def test_everyone_in_the_branch_reads_and_other_branches_do_not(uow, editor, manuals, principal_factory):
    article = write(uow, editor, manuals)
    colleague = principal_factory(permissions={"knowledge.read"}, scope="own", department_path="/x/")
    assert queries.get(uow(), colleague, article["id"])["title"] == "开票指南"
    elsewhere = principal_factory(permissions={"knowledge.read"}, scope="all", branch="BJ")
    with pytest.raises(NotFound):
        queries.get(uow(), elsewhere, article["id"])


def test_editing_stays_within_the_authors_scope(uow, editor, manuals, principal_factory):
    article = write(uow, editor, manuals)
    other_editor = principal_factory(permissions=EDITOR, scope="own")
    with pytest.raises(Forbidden):
        use_cases.update(uow(), other_editor, article["id"], {"title": "改"})
    with pytest.raises(NotFound):
        use_cases.update(uow(), principal_factory(permissions=EDITOR, scope="branch", branch="BJ"), article["id"], {"title": "改"})
    assert queries.get(uow(), editor, article["id"])["title"] == "开票指南"


def test_an_update_reindexes_the_words(uow, editor, manuals):
    article = write(uow, editor, manuals)
    use_cases.update(uow(), editor, article["id"], {"body": "红字发票的冲销办法"})
    assert titles(uow, editor, q="冲销") == ["开票指南"]
    assert titles(uow, editor, q="纳税") == []


def test_a_category_stands_for_its_subtree(uow, editor, manuals):
    tax = categories.create(uow(), editor, {"kind": "article", "name": "税务", "parent_id": manuals["id"]})
    other = categories.create(uow(), editor, {"kind": "article", "name": "其他"})
    write(uow, editor, tax)
    write(uow, editor, other, title="杂项")
    assert titles(uow, editor, category_id=manuals["id"]) == ["开票指南"]


def test_an_article_needs_an_article_category_and_a_body(uow, editor, manuals):
    business = categories.create(uow(), editor, {"kind": "business", "name": "售后"})
    with pytest.raises(InvalidInput):
        write(uow, editor, business)
    with pytest.raises(InvalidInput):
        write(uow, editor, manuals, body="")
    with pytest.raises(InvalidInput):
        use_cases.update(uow(), editor, write(uow, editor, manuals)["id"], {"category_id": business["id"]})
    assert titles(uow, editor) == ["开票指南"]


def test_writing_needs_the_write_permission(uow, manuals, principal_factory):
    with pytest.raises(Forbidden):
        write(uow, principal_factory(permissions={"knowledge.read"}), manuals)
