"""Custom field definitions as the other areas read them, and validation of values on write (CUS-10)."""
from sqlalchemy import select

from crm_common.errors import InvalidInput
from crm_common.pagination import keyset_page
from crm_common.principal import Principal
from crm_common.validation import load_query
from crm_customers.fields.models import FieldDefinition
from crm_customers.fields.rules import validate_values
from crm_customers.fields.schemas import FieldDefinitionListQuery, FieldDefinitionOut


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
