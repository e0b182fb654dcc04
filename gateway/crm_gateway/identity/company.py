"""The company's name on paper (公司名称, issue 18's print views), one per branch: a regional
branch prints as the company it is (北京分公司 …). Set in 系统管理 · 分支机构; a branch that has
none prints the name of its department tree's first root (the company's, where the first
administrator was put), as the console did before there was one.
"""
from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert

from crm_common.errors import NotFound
from crm_common.principal import Principal
from crm_common.records import utcnow
from crm_common.validation import load_body
from crm_gateway.identity.models import BranchProfile, Department
from crm_gateway.identity.schemas import BranchNameOut, CompanyNameIn

PERMISSION = "admin.departments"  # who names the departments names the company


def names(session, codes) -> dict[str, dict]:
    """Per branch code: the name it was given (or None) and the one it prints."""
    given = dict(session.execute(select(BranchProfile.code, BranchProfile.company_name)
                                 .where(BranchProfile.code.in_(codes))).all())
    roots = dict(session.execute(select(Department.branch, Department.name).where(
        Department.parent_id.is_(None), Department.branch.in_(codes))
        .order_by(Department.branch, Department.created_at).distinct(Department.branch)).all())
    return {code: {"company_name": given.get(code), "printed_name": given.get(code) or roots.get(code)}
            for code in codes}


def printed(session_factory, codes) -> dict:
    """GET /directory/branches: what each branch this gateway serves prints, for every signed-in user."""
    with session_factory() as session:
        named = names(session, sorted(codes))
    return {"items": [{"code": code, "company_name": named[code]["printed_name"]} for code in named],
            "next_cursor": None}


def with_names(session_factory, status: dict) -> dict:
    """GET /branches (系统管理 · 分支机构): each branch's health and its names."""
    with session_factory() as session:
        named = names(session, [item["code"] for item in status["items"]])
    return {**status, "items": [{**item, **named[item["code"]]} for item in status["items"]]}


def set_name(session_factory, principal: Principal, codes, code: str, payload) -> dict:
    """PUT /branches/{code}: the caller's own branch, any branch with scope `all` (head office)."""
    name = load_body(CompanyNameIn(), payload)["company_name"]
    if code not in codes or not (code == principal.branch or principal.scope_for(PERMISSION) == "all"):
        raise NotFound("No such branch")
    with session_factory() as session, session.begin():
        if name is None:
            session.execute(delete(BranchProfile).where(BranchProfile.code == code))
        else:
            statement = insert(BranchProfile).values(code=code, company_name=name)
            session.execute(statement.on_conflict_do_update(
                index_elements=["code"], set_={"company_name": statement.excluded.company_name, "updated_at": utcnow()}))
        return BranchNameOut().dump({"code": code, **names(session, [code])[code]})
