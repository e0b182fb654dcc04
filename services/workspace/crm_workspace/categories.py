"""Use cases for category trees (business categories of calls and work orders, knowledge base
and document categories). A pick list of the branch: everyone in the branch reads it."""
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from crm_common.database import new_id
from crm_common.errors import Conflict, InvalidInput
from crm_common.principal import Principal
from crm_common.validation import load_body, load_query
from crm_workspace.models_calls import Category
from crm_workspace.schemas_calls import CategoryIn, CategoryOut, CategoryQuery

MAX_DEPTH = 6


def find(session, principal: Principal, category_id, kind: str, field: str = "category_id") -> Category:
    """A category of this kind in the caller's branch, or a 422 on the field that named it."""
    category = session.get(Category, str(category_id)) if category_id else None
    if category is None or category.kind != kind or category.branch != principal.branch:
        raise InvalidInput("Unknown category", {field: [f"No {kind} category with this id."]})
    return category


def create(uow, principal: Principal, payload) -> dict:
    principal.require("categories.write")
    data = load_body(CategoryIn(), payload)
    with uow:
        category_id = new_id()
        path = f"/{category_id}/"
        if data["parent_id"]:
            parent = find(uow.session, principal, data["parent_id"], data["kind"], "parent_id")
            if parent.path.count("/") - 1 >= MAX_DEPTH:
                raise InvalidInput("Too deep", {"parent_id": [f"Categories nest at most {MAX_DEPTH} levels."]})
            path = parent.path + f"{category_id}/"
        category = Category(id=category_id, kind=data["kind"], name=data["name"], path=path,
                            parent_id=str(data["parent_id"]) if data["parent_id"] else None,
                            branch=principal.branch)
        uow.session.add(category)
        try:
            uow.session.flush()
        except IntegrityError:
            raise Conflict("A sibling category already has this name") from None
        return CategoryOut().dump(category)


def list_(uow, principal: Principal, query) -> dict:
    """The whole tree of one kind, parents before children (path order)."""
    q = load_query(CategoryQuery(), query)
    with uow:
        rows = uow.session.execute(select(Category).where(
            Category.branch == principal.branch, Category.kind == q["kind"])
            .order_by(Category.path)).scalars().all()
        return {"items": CategoryOut(many=True).dump(rows)}
