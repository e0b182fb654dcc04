"""Custom field definitions (admin) and validation of values on write (CUS-10)."""
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from crm_common.database import new_id
from crm_common.errors import Conflict, InvalidInput
from crm_common.principal import Principal
from crm_common.pagination import keyset_page
from crm_common.validation import load_body, load_query
from crm_customers.admin_models import FieldDefinition
from crm_customers.custom_field_rules import validate_values
from crm_customers.schemas import FieldDefinitionIn, FieldDefinitionListQuery, FieldDefinitionOut

ADMIN = "customers.admin"


def create(uow, principal: Principal, payload) -> dict:
    principal.require(ADMIN)
    data = load_body(FieldDefinitionIn(), payload)
    if data["type"] in ("select", "multi_select") and not data.get("options"):
        raise InvalidInput("Select fields need options", {"options": ["At least one option."]})
    try:
        with uow:
            definition = FieldDefinition(id=new_id(), **data)
            uow.session.add(definition)
            uow.session.flush()
            return FieldDefinitionOut().dump(definition)
    except IntegrityError:
        raise Conflict("A field with this key exists for this entity", {"key": ["Already defined."]}) from None


def list_(uow, principal: Principal, query) -> dict:
    principal.require("customers.read")
    q = load_query(FieldDefinitionListQuery(), query)
    with uow:
        rows, cursor = keyset_page(uow.session, select(FieldDefinition), FieldDefinition.id, q,
                                   {"key": FieldDefinition.key, "created_at": FieldDefinition.created_at}, "key")
        return {"items": FieldDefinitionOut(many=True).dump(rows), "next_cursor": cursor}


def definitions(session, entity: str) -> dict:
    rows = session.execute(select(FieldDefinition).where(FieldDefinition.entity == entity)).scalars()
    return {d.key: {"type": d.type, "options": d.options or [], "required": d.required} for d in rows}


def clean(session, entity: str, values: dict | None, *, current: dict | None = None) -> dict:
    """The merged custom values to store, or InvalidInput naming each bad field."""
    defs = definitions(session, entity)
    values = values or {}
    cleaned, errors = validate_values(values, defs, partial=current is not None)
    if errors:
        raise InvalidInput("Invalid custom field values", {"custom": errors})
    merged = {**(current or {}), **cleaned}
    return {k: v for k, v in merged.items() if v is not None}
