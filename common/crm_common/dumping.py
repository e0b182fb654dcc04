"""Output schemas whose dump costs a fraction of marshmallow's own loop, with the same result.

marshmallow serialises every field of every row through `Field.serialize` → `get_value` →
the accessor → `_serialize`: for a list of 50 customers of 30 fields that is ~1,500 rounds of
four calls each, and it was the biggest single layer of a customer list's CPU. `FastDump`
keeps `Schema.dump` (hooks, many, only/exclude) and replaces only the per-row loop
(`Schema._serialize`): the plan of (output key, attribute, field) is made once, the attribute
is read the way marshmallow reads it (item, then attribute), and a value whose exact type a
plain field returns unchanged or formats with one call (str, int, bool, None, ISO datetimes and
dates) skips the field's methods. Everything else (missing values and their dump_default,
nested schemas, other field types, dotted attributes) goes through the field's own methods, so
the answer is what `Schema.dump` gives; common/tests/test_dumping.py checks it for every such schema.
"""
from datetime import date, datetime

from marshmallow import Schema, fields, missing

_SHARED: dict = {}
_IDENTITY = {fields.String: str, fields.Integer: int, fields.Boolean: bool}
_NONE_IS_NONE = (fields.String, fields.Integer, fields.Boolean, fields.DateTime, fields.Date, fields.Dict,
                 fields.List, fields.Nested, fields.UUID, fields.Decimal, fields.Float)


def _shortcuts(field) -> tuple[frozenset, dict]:
    """(the value types the field's _serialize returns unchanged, type → the one call that
    formats it), for the types where that is certain without calling the field."""
    kind = type(field)
    same, formatters = set(), {}
    if kind in _NONE_IS_NONE:
        same.add(type(None))
    if kind in _IDENTITY and not getattr(field, "as_string", False) and (
            kind is not fields.Boolean or (field.truthy == fields.Boolean.truthy
                                           and field.falsy == fields.Boolean.falsy)):
        same.add(_IDENTITY[kind])
    if kind in (fields.DateTime, fields.Date):
        formatter = field.SERIALIZATION_FUNCS.get(field.format or field.DEFAULT_FORMAT)
        if formatter is not None:
            formatters[datetime if kind is fields.DateTime else date] = formatter
    return frozenset(same), formatters


class FastDump(Schema):
    """Base of output schemas on hot read paths (see the module docstring)."""

    @classmethod
    def shared(cls, many: bool = False) -> "FastDump":
        """One instance per class and `many`, for dumping: a schema keeps nothing between dumps,
        and building one deep-copies every declared field, which costs more than dumping a row."""
        instance = _SHARED.get((cls, many))
        if instance is None:
            instance = _SHARED[(cls, many)] = cls(many=many)
        return instance

    def _plan(self) -> list:
        plan = self.__dict__.get("_fast_plan")
        if plan is None:
            plan = []
            for name, field in self.dump_fields.items():
                key = field.data_key if field.data_key is not None else name
                check = name if field.attribute is None else field.attribute
                plain = field._CHECK_ATTRIBUTE and "." not in check
                plan.append((key, name, check, field, *(_shortcuts(field) if plain else (None, None))))
            self.__dict__["_fast_plan"] = plan
        return plan

    def _serialize(self, obj, *, many: bool = False):
        if type(self).get_attribute is not Schema.get_attribute:
            return super()._serialize(obj, many=many)
        if many and obj is not None:
            plan = self._plan()
            return [self._row(item, plan) for item in obj]
        return self._row(obj, self._plan())

    def _row(self, obj, plan) -> dict:
        ret = self.dict_class()
        mapping = hasattr(obj, "__getitem__")
        for key, name, check, field, same, formatters in plan:
            if same is None:
                value = field.serialize(name, obj, accessor=self.get_attribute)
                if value is not missing:
                    ret[key] = value
                continue
            if mapping:
                try:
                    value = obj[check]
                except (KeyError, IndexError, TypeError, AttributeError):
                    value = getattr(obj, check, missing)
            else:
                value = getattr(obj, check, missing)
            kind = type(value)
            if kind in same:
                ret[key] = value
            elif value is missing:
                value = field.serialize(name, obj, accessor=self.get_attribute)  # dump_default
                if value is not missing:
                    ret[key] = value
            else:
                formatter = formatters.get(kind)
                ret[key] = formatter(value) if formatter is not None else field._serialize(value, name, obj)
        return ret
