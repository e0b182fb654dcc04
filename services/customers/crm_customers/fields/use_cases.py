"""Custom field definitions, written by an admin (CUS-10)."""
from sqlalchemy.exc import IntegrityError

from crm_common.database import new_id
from crm_common.errors import Conflict, InvalidInput
from crm_common.principal import Principal
from crm_common.validation import load_body
from crm_customers.fields.models import FieldDefinition
from crm_customers.fields.schemas import FieldDefinitionIn, FieldDefinitionOut

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
