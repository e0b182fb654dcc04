"""Registers every domain error with Nameko, so that an error raised in one service re-raises
as the same type in the caller. Imported by whatever sends or answers RPCs (service_base, the
gateway's RPC client); `crm_common.errors` itself stays importable by pure rules.
"""
from nameko.exceptions import deserialize_to_instance

from crm_common.errors import BadRequest, Conflict, CrmError, Forbidden, InvalidInput, NotFound, Unavailable
from crm_common.statemachine import TransitionNotAllowed

for _error in (BadRequest, Forbidden, NotFound, Conflict, InvalidInput, Unavailable, TransitionNotAllowed):
    deserialize_to_instance(_error)

__all__ = ["CrmError"]
