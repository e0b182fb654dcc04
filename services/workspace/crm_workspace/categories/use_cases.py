"""Use cases of category trees (business, knowledge base and document categories)."""
from sqlalchemy.exc import IntegrityError

from crm_common.database import new_id
from crm_common.errors import Conflict, InvalidInput
from crm_common.principal import Principal
from crm_common.validation import load_body
from crm_workspace.categories.models import Category
from crm_workspace.categories.queries import find
from crm_workspace.categories.rules import MAX_DEPTH, child_path, too_deep
from crm_workspace.categories.schemas import CategoryIn, CategoryOut


def create(uow, principal: Principal, payload) -> dict:
    principal.require("categories.write")
    data = load_body(CategoryIn(), payload)
    with uow:
        category_id = new_id()
        parent = None
        if data["parent_id"]:
            parent = find(uow.session, principal, data["parent_id"], data["kind"], "parent_id")
            if too_deep(parent.path):
                raise InvalidInput("Too deep", {"parent_id": [f"Categories nest at most {MAX_DEPTH} levels."]})
        category = Category(id=category_id, kind=data["kind"], name=data["name"],
                            path=child_path(parent.path if parent else None, category_id),
                            parent_id=parent.id if parent else None, branch=principal.branch)
        uow.session.add(category)
        try:
            uow.session.flush()
        except IntegrityError:
            raise Conflict("A sibling category already has this name") from None
        return CategoryOut().dump(category)
