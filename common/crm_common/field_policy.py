"""Field permissions (字段权限): per role and field, hidden, read-only or editable, and masked in
lists only or everywhere.

Which fields of which resource may be governed is decided in crm_common.field_catalogue and
nowhere else (`GOVERNED`, given on here with `catalogue`): the gateway validates a role's rules
against it, the console draws its matrix from it, and the services shape their answers and check
their writes by it (here). A role's rules are
`{"customer.phone": {"access": "read_only", "mask": "list"}}`; a field a role says nothing about
is editable and shown whole. A user with several roles gets, per field, the most permissive of
them (`merge`). The merged rules travel in the signed principal (`Principal.fields`), so every
service call obeys the same policy, whoever asks: the API, the console, an export job.

Applying them costs nothing to a caller without rules (`rpc` looks at `principal.fields` once);
with rules, an answer is shaped after its schema dumped it (`shape`): the schema's keys are
walked by a plan made once per schema class (`plan_of`), so FastDump's own loop is untouched.
Pure (no framework imports): rules may use the masks.
"""
from crm_common.errors import InvalidInput
from crm_common.field_catalogue import GOVERNED, KEYS, WRITE_KEYS, catalogue  # noqa: F401 (catalogue: given on)

ACCESS = ("hidden", "read_only", "editable")  # least to most permissive
MASKS = ("all", "list", "none")  # everywhere, in lists (and exports) only, never
EDITABLE, UNMASKED = "editable", "none"


# --- rules -------------------------------------------------------------------------------

def validate_rules(rules) -> dict[str, list[str]]:
    """Field errors of a role's rules against the allow-list (empty when they are good)."""
    errors: dict[str, list[str]] = {}
    if not isinstance(rules, dict):
        return {"fields": ["An object of field → rule."]}
    for key, rule in rules.items():
        resource, _, name = str(key).partition(".")
        spec = GOVERNED.get(resource, {}).get(name)
        if spec is None:
            errors[key] = ["Not a field whose permission can be set."]
            continue
        if not isinstance(rule, dict) or set(rule) - {"access", "mask"}:
            errors[key] = ["A rule is {access, mask}."]
            continue
        if rule.get("access", EDITABLE) not in ACCESS:
            errors[key] = [f"access is one of {', '.join(ACCESS)}."]
        elif rule.get("mask", UNMASKED) not in MASKS:
            errors[key] = [f"mask is one of {', '.join(MASKS)}."]
        elif rule.get("mask", UNMASKED) != UNMASKED and not spec.maskable:
            errors[key] = ["Only phones, e-mail addresses, ID numbers and amounts can be masked."]
    return errors


def normalised(rules: dict) -> dict:
    """The rules with defaults filled in and the ones that restrict nothing left out."""
    out = {}
    for key, rule in (rules or {}).items():
        access, mask = rule.get("access", EDITABLE), rule.get("mask", UNMASKED)
        if access == "hidden":
            mask = UNMASKED  # nothing is shown to mask
        if (access, mask) != (EDITABLE, UNMASKED):
            out[key] = {"access": access, "mask": mask}
    return out


def merge(rule_sets) -> dict:
    """The rules of a user with several roles: per field the most permissive (a role that says
    nothing of a field leaves it editable and whole, so it wins). Flat, like a role's rules."""
    rule_sets = [normalised(rules) for rules in rule_sets]
    if not rule_sets:
        return {}
    out = {}
    for key in set().union(*rule_sets):
        if any(key not in rules for rules in rule_sets):
            continue
        rules = [rules[key] for rules in rule_sets]
        access = max((r["access"] for r in rules), key=ACCESS.index)
        shown = [r["mask"] for r in rules if r["access"] != "hidden"]
        mask = max(shown, key=MASKS.index) if shown else UNMASKED
        if (access, mask) != (EDITABLE, UNMASKED):
            out[key] = {"access": access, "mask": mask}
    return out


def by_resource(flat: dict) -> dict[str, dict[str, tuple[str, str]]]:
    """{"customer.phone": {access, mask}} → {"customer": {"phone": (access, mask)}}"""
    out: dict = {}
    for key, rule in flat.items():
        resource, _, name = key.partition(".")
        out.setdefault(resource, {})[name] = (rule["access"], rule["mask"])
    return out


# --- masks -------------------------------------------------------------------------------

def mask_phone(text: str) -> str:
    """138****5678: the network prefix and the last four digits, whatever the length."""
    if len(text) >= 8:
        return text[:3] + "*" * max(4, len(text) - 7) + text[-4:]
    return "*" * max(len(text) - 2, 1) + text[-2:]


def mask_email(text: str) -> str:
    """z***@example.com: the first character and the domain."""
    local, at, domain = text.partition("@")
    return (local[:1] + "***" + at + domain) if at else mask_text(text)


def mask_id_number(text: str) -> str:
    """110101********1234: the area (6) and the last 4 shown, the birth date and sequence hidden."""
    if len(text) <= 10:
        return mask_text(text)
    return text[:6] + "*" * (len(text) - 10) + text[-4:]


def mask_amount(text) -> str:
    """****: any digit of an amount tells its size."""
    return "****"


def mask_text(text: str) -> str:
    return "****"


_MASKERS = {"phone": mask_phone, "email": mask_email, "id_number": mask_id_number, "amount": mask_amount}
# keys of the small objects a masked list holds (a phone's number, an instalment's amount)
_INNER = ("number", "typed", "amount")


def mask(kind: str, value):
    """A value as a masked field shows it: text masked by kind, a list item by item, an object's
    number or amount; None stays None (nothing there is no secret)."""
    if value is None or value == "":
        return value
    if isinstance(value, list):
        return [mask(kind, item) for item in value]
    if isinstance(value, dict):
        return {k: (mask(kind, v) if k in _INNER else v) for k, v in value.items()}
    return _MASKERS.get(kind, mask_text)(str(value))


# --- applying them -----------------------------------------------------------------------

def plan_of(schema) -> tuple | None:
    """How to shape what `schema` (a class or instance) dumps: (resource, {key: field},
    {key: nested plan}, {key: (resource, field)}), made once per class; None when nothing in it is
    governed.

    Besides its `field_resource`, a schema may say `field_totals = {key: "resource.field"}`: keys
    that add up a governed field of other records (a forecast's expected total, a report's
    amounts). A total is a list's figure: a field masked in lists is masked there, a hidden one
    leaves it out, whatever the answer. `field_dicts = {key: resource or schema}`: a free-form
    object whose keys are the resource's (a contract change's `before` and `after`) or shaped as
    the schema's (a quote revision's content)."""
    cls = schema if isinstance(schema, type) else type(schema)
    cached = cls.__dict__.get("_field_plan", False)
    if cached is not False:
        return cached
    resource = getattr(cls, "field_resource", None)
    governed = {}
    if resource is not None:
        keys = KEYS[resource]
        governed = {key: keys[key] for key in cls._declared_fields if key in keys}
    totals = {key: tuple(target.split(".", 1)) for key, target in getattr(cls, "field_totals", {}).items()
              if key in cls._declared_fields}
    nested = {key: (plan_of(of) if isinstance(of, type) else (of, dict(KEYS[of]), {}, {}), False)
              for key, of in getattr(cls, "field_dicts", {}).items() if key in cls._declared_fields}
    nested = {key: sub for key, sub in nested.items() if sub[0] is not None}
    for key, field in cls._declared_fields.items():
        if key in governed or key in totals or key in nested:
            continue
        # a Nested, a List of one, or a Dict of them (per currency) — read by duck typing: this
        # module stays free of marshmallow
        values = getattr(field, "value_field", None)
        inner = values if values is not None else getattr(field, "inner", field)
        nested_schema = getattr(inner, "nested", None)
        if hasattr(nested_schema, "_declared_fields"):  # a schema class, or an instance (`exclude=`)
            sub = plan_of(nested_schema)
            if sub is not None:
                nested[key] = (sub, values is not None)
    plan = (resource, governed, nested, totals) if governed or nested or totals else None
    cls._field_plan = plan
    return plan


def shape(plan, policy: dict, out, listing: bool):
    """`out` (a dumped object, or a list of them) with hidden keys removed and masked ones masked,
    in place. `policy` is Principal.fields_by_resource; `listing`: a list or an export, where
    "masked in lists" applies."""
    actions = _actions(plan, policy, listing)
    if actions:
        for item in (out if isinstance(out, list) else (out,)):
            _apply(actions, item)
    return out


def _action(policy: dict, resource: str, name: str, listing: bool):
    """False: nothing to do; None: drop the key; else the mask kind."""
    rule = (policy.get(resource) or {}).get(name)
    if rule is None:
        return False
    access, masked = rule
    if access == "hidden":
        return None
    if masked == "all" or (masked == "list" and listing):
        return GOVERNED[resource][name].kind
    return False


def _actions(plan, policy: dict, listing: bool) -> tuple:
    """What to do to each dumped object, worked out once per answer rather than per row:
    ((key, None to drop it or the mask kind), (nested key, its actions))."""
    resource, governed, nested, totals = plan
    own = []
    if resource and policy.get(resource):
        for key, name in governed.items():
            action = _action(policy, resource, name, listing)
            if action is not False:
                own.append((key, action))
    for key, (of, name) in totals.items():
        action = _action(policy, of, name, True)
        if action is not False:
            own.append((key, action))
    inner = tuple((key, sub, of_map) for key, sub, of_map in
                  ((key, _actions(sub, policy, listing), of_map) for key, (sub, of_map) in nested.items()) if sub)
    return (tuple(own), inner) if own or inner else ()


def shape_figures(policy: dict, rows, totals: dict) -> None:
    """Rows of figures whose governed field is known only when the question is (a ranking by
    contract or by order amount): {key: "resource.field"}, shaped as totals, in place."""
    if policy:
        shape((None, {}, {}, {key: tuple(t.split(".", 1)) for key, t in totals.items()}), policy, rows, True)


def hidden_keys(plan, policy: dict) -> set:
    """The keys of what `plan` shapes that the caller's rules leave out (a report's export drops
    their columns)."""
    if plan is None or not policy:
        return set()
    own = (_actions(plan, policy, True) or ((), ()))[0]
    return {key for key, kind in own if kind is None}


def _apply(actions: tuple, item) -> None:
    if not isinstance(item, dict):
        return
    own, inner = actions
    for key, kind in own:
        if key in item:
            if kind is None:
                del item[key]
            else:
                item[key] = mask(kind, item[key])
    for key, sub, of_map in inner:
        value = item.get(key)
        if of_map and isinstance(value, dict):
            value = list(value.values())
        for each in (value if isinstance(value, list) else (value,)):
            _apply(sub, each)


def looks_masked(value) -> bool:
    """A masked value sent back (an edited export, a form filled from a list) is no new value."""
    if isinstance(value, list):
        return any(looks_masked(item) for item in value)
    if isinstance(value, dict):
        return any(looks_masked(v) for k, v in value.items() if k in _INNER)
    return isinstance(value, str) and "***" in value


def refused_writes(resource: str, policy: dict, payload) -> dict[str, list[str]]:
    """Field errors for the governed keys of a write body the caller may not set: hidden,
    read-only, or masked everywhere (they would overwrite what they cannot see); and a masked
    value sent back as if it were a new one."""
    rules = policy.get(resource)
    if not rules or not isinstance(payload, dict):
        return {}
    keys = WRITE_KEYS[resource]
    errors = {}
    for key in payload:
        rule = rules.get(keys.get(key, ""))
        if rule is None:
            continue
        access, masked = rule
        if access == "hidden":
            errors[key] = ["This field is hidden from your role; it cannot be written."]
        elif access == "read_only":
            errors[key] = ["This field is read-only for your role."]
        elif masked == "all":
            errors[key] = ["This field is masked for your role; it cannot be written."]
        elif masked == "list" and looks_masked(payload[key]):
            errors[key] = ["This is the masked value, not a new one."]
    return errors


def check_write(resource: str, policy: dict, payload) -> None:
    errors = refused_writes(resource, policy, payload)
    if errors:
        raise InvalidInput("Fields your role may not change", errors)


# query parameters whose value names a field: grouping and sorting by a hidden one reveals it too
_NAMING = ("by", "sort")


def refused_filters(resource: str, policy: dict, query) -> dict[str, list[str]]:
    """Field errors for a list's query that filters, groups or sorts by a field hidden from the
    caller: the answer would tell its values (which customers have phone 138…)."""
    rules = policy.get(resource)
    if not rules or not isinstance(query, dict):
        return {}
    keys = KEYS[resource]
    hidden = lambda key: (rules.get(keys.get(key, "")) or ("",))[0] == "hidden"  # noqa: E731
    errors = {key: ["This field is hidden from your role; a list cannot be filtered by it."]
              for key in query if hidden(key)}
    for key in _NAMING:
        value = query.get(key)
        if isinstance(value, str) and hidden(value.lstrip("-")):
            errors[key] = ["This field is hidden from your role."]
    return errors


def check_filters(resource: str, policy: dict, query) -> None:
    errors = refused_filters(resource, policy, query)
    if errors:
        raise InvalidInput("Fields hidden from your role", errors)


def export_columns(resource: str, policy: dict, columns: tuple) -> tuple[tuple, dict]:
    """(the columns an export keeps, {index in the kept ones: mask kind}) for a caller's rules;
    the columns are crm_common.exports.Column, keyed like the list's answer."""
    rules = policy.get(resource)
    if not rules:
        return columns, {}
    keys, specs = KEYS[resource], GOVERNED[resource]
    kept, masked = [], {}
    for column in columns:
        name = keys.get(column.key)
        rule = rules.get(name) if name else None
        if rule is not None and rule[0] == "hidden":
            continue
        if rule is not None and rule[1] in ("all", "list"):
            masked[len(kept)] = specs[name].kind
        kept.append(column)
    return tuple(kept), masked
