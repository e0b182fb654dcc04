"""Reads of category trees. A pick list of the branch: everyone in the branch reads it."""
from sqlalchemy import select

from crm_common.errors import InvalidInput
from crm_common.principal import Principal
from crm_common.validation import load_query
from crm_workspace.categories.models import Category
from crm_workspace.categories.schemas import CategoryOut, CategoryQuery


def find(session, principal: Principal, category_id, kind: str, field: str = "category_id") -> Category:
    """A category of this kind in the caller's branch, or a 422 on the field that named it."""
    category = session.get(Category, str(category_id)) if category_id else None
    if category is None or category.kind != kind or category.branch != principal.branch:
        raise InvalidInput("Unknown category", {field: [f"No {kind} category with this id."]})
    return category


def in_subtree(column, category_id):
    """Condition on a record's category column: the category or any category below it."""
    prefix = select(Category.path).where(Category.id == str(category_id)).scalar_subquery()
    return column.in_(select(Category.id).where(Category.path.startswith(prefix)))


def list_(uow, principal: Principal, query) -> dict:
    """The whole tree of one kind, parents before children (path order)."""
    q = load_query(CategoryQuery(), query)
    with uow:
        rows = uow.session.execute(select(Category).where(
            Category.branch == principal.branch, Category.kind == q["kind"])
            .order_by(Category.path)).scalars().all()
        return {"items": CategoryOut(many=True).dump(rows)}
