"""Custom field definitions as the other areas read them, and validation of values on write (CUS-10)."""
from sqlalchemy import select

from crm_common.errors import InvalidInput, NotFound
from crm_common.pagination import keyset_page
from crm_common.principal import Principal
from crm_common.records import is_uuid
from crm_common.validation import load_query
from crm_customers.fields.models import FieldDefinition
from crm_customers.fields.rules import validate_values
from crm_customers.fields.schemas import FieldDefinitionListQuery, FieldDefinitionOut


def list_(uow, principal: Principal, query) -> dict:
    principal.require("customers.read")
    q = load_query(FieldDefinitionListQuery(), query)
    stmt = select(FieldDefinition)
    if "entity" in q:
        stmt = stmt.where(FieldDefinition.entity == q["entity"])
    if not q["include_retired"]:
        stmt = stmt.where(FieldDefinition.retired_at.is_(None))
    with uow:
        rows, cursor = keyset_page(uow.session, stmt, FieldDefinition.id, q,
                                   {"key": FieldDefinition.key, "created_at": FieldDefinition.created_at}, "key")
        return {"items": FieldDefinitionOut(many=True).dump(rows), "next_cursor": cursor}


def get(uow, principal: Principal, definition_id) -> dict:
    principal.require("customers.read")
    with uow:
        return FieldDefinitionOut().dump(find(uow.session, definition_id))


def find(session, definition_id, for_update=False) -> FieldDefinition:
    definition = session.get(FieldDefinition, str(definition_id), with_for_update=for_update) \
        if is_uuid(definition_id) else None
    if definition is None:
        raise NotFound("Custom field not found")
    return definition


def definitions(session, entity: str) -> dict:
    """The fields records of `entity` take now: retired ones are unknown to writes and filters."""
    rows = session.execute(select(FieldDefinition).where(FieldDefinition.entity == entity,
                                                         FieldDefinition.retired_at.is_(None))).scalars()
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
