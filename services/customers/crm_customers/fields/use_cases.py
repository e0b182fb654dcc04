"""Custom field definitions, written by an admin (CUS-10)."""
from sqlalchemy.exc import IntegrityError

from crm_common.database import new_id
from crm_common.errors import Conflict, InvalidInput
from crm_common.principal import Principal
from crm_common.records import utcnow
from crm_common.validation import NoInput, load_body
from crm_customers.fields.models import FieldDefinition
from crm_customers.fields.queries import find
from crm_customers.fields.schemas import FieldDefinitionIn, FieldDefinitionOut, FieldDefinitionUpdate

ADMIN = "customers.admin"


def _check_options(kind: str, options) -> None:
    if kind in ("select", "multi_select") and not options:
        raise InvalidInput("Select fields need options", {"options": ["At least one option."]})


def create(uow, principal: Principal, payload) -> dict:
    principal.require(ADMIN)
    data = load_body(FieldDefinitionIn(), payload)
    _check_options(data["type"], data.get("options"))
    try:
        with uow:
            definition = FieldDefinition(id=new_id(), **data)
            uow.session.add(definition)
            uow.session.flush()
            return FieldDefinitionOut().dump(definition)
    except IntegrityError:
        raise Conflict("A field with this key exists for this entity", {"key": ["Already defined."]}) from None


def update(uow, principal: Principal, definition_id, payload) -> dict:
    """Label, options, required. Values records already hold stay as they are; writes from now on
    are checked against the new definition."""
    principal.require(ADMIN)
    data = load_body(FieldDefinitionUpdate(), payload, partial=True)
    with uow:
        definition = find(uow.session, definition_id, for_update=True)
        if definition.retired_at is not None:
            raise Conflict("This custom field is retired")
        _check_options(definition.type, data.get("options", definition.options))
        for key, value in data.items():
            setattr(definition, key, value)
        uow.session.flush()
        return FieldDefinitionOut().dump(definition)


def retire(uow, principal: Principal, definition_id, payload=None) -> dict:
    """No longer offered nor accepted on writes, imports and filters; the values stay readable on
    the records that have them, and the key stays taken."""
    principal.require(ADMIN)
    load_body(NoInput(), payload or {})
    with uow:
        definition = find(uow.session, definition_id, for_update=True)
        if definition.retired_at is not None:
            raise Conflict("This custom field is retired already")
        definition.retired_at = utcnow()
        uow.session.flush()
        return FieldDefinitionOut().dump(definition)
