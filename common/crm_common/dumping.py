"""Output schemas whose dump costs a fraction of marshmallow's own loop, with the same result.

marshmallow serialises every field of every row through `Field.serialize` → `get_value` →
the accessor → `_serialize`: for a list of 50 customers of 48 fields that is ~2,400 rounds of
four calls each, and it was the biggest single layer of a customer list's CPU. `FastDump`
keeps `Schema.dump` (hooks, many, only/exclude) and replaces only the per-row work
(`Schema._serialize`) by a function written for the schema once, one statement per field: the
attribute is read the way marshmallow reads it (item, then attribute), and a value whose exact
type a plain field returns unchanged or formats with one call (str, int, bool, None, ISO
datetimes and dates) skips the field's methods. Everything else (nested schemas, other field
types, dotted attributes, fields that read no attribute) goes through the field's own methods,
and a row missing an attribute (dump_default, an omitted key) is dumped by marshmallow's own
loop, so the answer is what `Schema.dump` gives, keys in the same order;
common/tests/test_dumping.py checks it for every such schema.
"""
from datetime import date, datetime

from marshmallow import Schema, fields, missing

_SHARED: dict = {}
_IDENTITY = {fields.String: str, fields.Integer: int, fields.Boolean: bool}
_NONE_IS_NONE = (fields.String, fields.Integer, fields.Boolean, fields.DateTime, fields.Date, fields.Dict,
                 fields.List, fields.Nested, fields.UUID, fields.Decimal, fields.Float)
_LOOKUP_ERRORS = (KeyError, IndexError, TypeError, AttributeError)  # marshmallow's, before it tries getattr


class _Missing(Exception):
    """A row lacks an attribute: marshmallow's own loop dumps it."""


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


def _writer(schema: Schema, by_item: bool):
    """The function that dumps one row for `schema`, reading attributes by item first (a mapping)
    or only by attribute. Its source is made of the schema's fields; no client value is in it."""
    env = {"missing": missing, "_Missing": _Missing, "_LOOKUP_ERRORS": _LOOKUP_ERRORS,
           "get_attribute": schema.get_attribute}
    lines, out = ["def row(o):"], []
    for i, (name, field) in enumerate(schema.dump_fields.items()):
        key = field.data_key if field.data_key is not None else name
        check = name if field.attribute is None else field.attribute
        value, f = f"v{i}", f"f{i}"
        env[f] = field
        out.append(f"{key!r}: {value}")
        if not field._CHECK_ATTRIBUTE and type(field).serialize is fields.Field.serialize:
            lines.append(f"    {value} = {f}._serialize(None, {name!r}, o)")  # what Field.serialize does
            continue
        if not field._CHECK_ATTRIBUTE or "." in check:
            lines += [f"    {value} = {f}.serialize({name!r}, o, accessor=get_attribute)",
                      f"    if {value} is missing: raise _Missing"]
            continue
        if by_item:
            lines += ["    try:", f"        {value} = o[{check!r}]", "    except _LOOKUP_ERRORS:",
                      f"        {value} = getattr(o, {check!r}, missing)"]
        else:
            lines.append(f"    {value} = getattr(o, {check!r}, missing)")
        same, formatters = _shortcuts(field)
        # None first (most of a list's values), then the exact types, without a call
        tests = [f"{value} is None"] if type(None) in same else []
        tests += [f"type({value}) is {kind.__name__}" for kind in same if kind is not type(None)]
        branch = "if"
        if tests:
            lines += [f"    if {' or '.join(tests)}:", "        pass"]
            branch = "elif"
        for j, (kind, formatter) in enumerate(formatters.items()):
            env[f"{f}_{j}"], env[kind.__name__] = formatter, kind
            lines += [f"    {branch} type({value}) is {kind.__name__}:", f"        {value} = {f}_{j}({value})"]
            branch = "elif"
        lines += [f"    {branch} {value} is missing:", "        raise _Missing",
                  "    else:", f"        {value} = {f}._serialize({value}, {name!r}, o)"]
    lines.append(f"    return {{{', '.join(out)}}}")
    exec(compile("\n".join(lines), f"<FastDump {type(schema).__qualname__}>", "exec"), env)  # noqa: S102
    return env["row"]


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

    def _writers(self) -> tuple:
        writers = self.__dict__.get("_fast_writers")
        if writers is None:
            writers = self.__dict__["_fast_writers"] = (_writer(self, True), _writer(self, False))
        return writers

    def _serialize(self, obj, *, many: bool = False):
        if type(self).get_attribute is not Schema.get_attribute or self.dict_class is not dict:
            return super()._serialize(obj, many=many)
        if many and obj is not None:
            return [self._row(item) for item in obj]
        return self._row(obj)

    def _row(self, obj) -> dict:
        by_item, by_attribute = self._writers()
        try:
            return by_item(obj) if hasattr(obj, "__getitem__") else by_attribute(obj)
        except _Missing:
            return super()._serialize(obj)
