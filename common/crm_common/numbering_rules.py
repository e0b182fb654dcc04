"""The numbering rules of one service's document types (ADM, issue 16): every service mixes in
`NumberingEntrypoints`, stores the rules of its own types in its plumbing table `numbering_rules`
and reads them in the very transaction that numbers a document (`UnitOfWork.document_number`), so
a saved rule is in effect for the next document and never half-applied. The gateway's admin
routes send each rule to the service that numbers the type.
"""
from datetime import datetime, timezone

from marshmallow import Schema, fields, validate
from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert

from crm_common import branch_time, config, numbering
from crm_common.api_contract import api
from crm_common.database import PLUMBING, counter_value, numbering_rule
from crm_common.errors import Conflict, InvalidInput, NotFound
from crm_common.rpc import rpc
from crm_common.validation import StrictSchema, load_body

PERMISSION = "admin.numbering"


class NumberRuleIn(StrictSchema):
    prefix = fields.String(required=True, validate=validate.Length(min=1, max=10))
    date_part = fields.String(required=True, validate=validate.OneOf(numbering.DATE_PARTS))
    digits = fields.Integer(required=True, strict=True,
                            validate=validate.Range(numbering.MIN_DIGITS, numbering.MAX_DIGITS))
    reset = fields.String(required=True, validate=validate.OneOf(numbering.RESETS))


class NumberRuleOut(Schema):
    document_type = fields.String()
    branch = fields.String()
    prefix = fields.String()
    date_part = fields.String()
    digits = fields.Integer()
    reset = fields.String()
    is_default = fields.Boolean()
    next_number = fields.String()  # what the next document would get today: the preview


class NumberRulesOut(Schema):
    items = fields.List(fields.Nested(NumberRuleOut))


def _types_of(service: str) -> list[str]:
    return [kind for kind, (owner, _) in numbering.DOCUMENT_TYPES.items() if owner == service]


def _described(session, document_type: str, rule: numbering.NumberRule, is_default: bool) -> dict:
    branch = config.branch()
    day = branch_time.today(datetime.now(timezone.utc), branch_time.zone())
    following = counter_value(session, rule, branch, day) + 1
    return NumberRuleOut().dump({"document_type": document_type, "branch": branch, **rule.as_dict(),
                                 "is_default": is_default,
                                 "next_number": numbering.format_number(rule, branch, day, following)})


def _rule_from(payload) -> numbering.NumberRule:
    rule = numbering.NumberRule(**load_body(NumberRuleIn(), payload))
    errors = numbering.problems(rule)
    if errors:
        raise InvalidInput("This numbering rule cannot be used", errors)
    return rule


class NumberingEntrypoints:
    name: str

    def _own_type(self, document_type) -> str:
        if document_type not in _types_of(self.name):
            raise NotFound("No such document type")
        return document_type

    @rpc
    @api(returns=NumberRulesOut)
    def list_numbering_rules(self):
        self.principal.require(PERMISSION)
        table = PLUMBING["numbering_rules"]
        with self.uow() as uow:
            saved = set(uow.session.execute(select(table.c.document_type)).scalars())
            return {"items": [_described(uow.session, kind, numbering_rule(uow.session, kind), kind not in saved)
                              for kind in _types_of(self.name)]}

    @rpc
    @api(body=NumberRuleIn, returns=NumberRuleOut)
    def preview_numbering_rule(self, document_type, payload):
        """What the rule would number next, saving nothing."""
        self.principal.require(PERMISSION)
        kind, rule = self._own_type(document_type), _rule_from(payload)
        with self.uow() as uow:
            return _described(uow.session, kind, rule, rule == numbering.default_rule(kind))

    @rpc
    @api(body=NumberRuleIn, returns=NumberRuleOut)
    def set_numbering_rule(self, document_type, payload):
        self.principal.require(PERMISSION)
        kind, rule = self._own_type(document_type), _rule_from(payload)
        table, counters = PLUMBING["numbering_rules"], PLUMBING["document_counters"]
        with self.uow() as uow:
            used = uow.session.execute(select(counters.c.prefix).where(
                counters.c.prefix.in_(numbering.conflicting_keys(rule, config.branch())))).first()
            if used:
                raise Conflict("Numbers of this prefix and date part were given under another reset; "
                               "they would be given twice. Choose another prefix.",
                               {"prefix": ["Already counted under another reset."]})
            values = {**rule.as_dict(), "updated_at": func.now()}
            uow.session.execute(pg_insert(table).values(document_type=kind, **values)
                                .on_conflict_do_update(index_elements=["document_type"], set_=values))
            return _described(uow.session, kind, rule, rule == numbering.default_rule(kind))
