"""The allow-list of field permissions (字段权限): which fields of which resource may be governed,
what the console calls each, whether it can be masked (its kind), and which keys of an answer or
a write body it covers. Decided here and nowhere else: the gateway validates a role's rules
against it, the console draws its matrix from it (`catalogue`), and crm_common.field_policy
shapes answers and checks writes by it. Pure (no framework imports).
"""
from dataclasses import dataclass

MASK_KINDS = ("phone", "email", "id_number", "amount")  # the kinds a mask exists for


@dataclass(frozen=True)
class Governed:
    label: str  # the console's word for it
    kind: str = "text"  # phone, email, id_number, amount: maskable; text: hidden or read-only only
    # the answer's and the body's keys it covers (a phone is also its list of numbers; an order's
    # total also its lines' amounts and its payment plan)
    keys: tuple = ()
    # keys of a write body it also covers, not of an answer (an invoice's lines carry amounts in
    # a write; in an answer its lines are shaped by their own schema)
    write_keys: tuple = ()

    @property
    def maskable(self) -> bool:
        return self.kind in MASK_KINDS


def _g(label, kind="text", *keys, writes=()):
    return Governed(label, kind, keys, writes)


# resource → field → what it is; the field name is the answer's key unless `keys` says more
GOVERNED: dict[str, dict[str, Governed]] = {
    "customer": {
        "phone": _g("电话", "phone", "phone", "phones"),
        "email": _g("邮箱", "email"),
        "id_number": _g("身份证号", "id_number"),
        "address": _g("地址"),
        "credit_code": _g("统一社会信用代码"),
        "legal_representative": _g("法定代表人"),
        "website": _g("网址"),
        "notes": _g("备注"),
        "source": _g("客户来源"),
        # not the value level: sales prices an order by it, reading the customer as the caller
    },
    "contact": {
        "mobile": _g("手机", "phone"),
        "phone": _g("电话", "phone", "phone", "phones"),
        "email": _g("邮箱", "email"),
        "birthday": _g("生日"),
    },
    "opportunity": {
        "expected_amount": _g("预计金额", "amount"),
        "probability": _g("赢率"),
    },
    "order": {
        "total": _g("订单金额", "amount", "total", "amount", "unit_price", "list_price", "payment_plan"),
        "notes": _g("备注"),
    },
    "contract": {
        "amount": _g("合同金额", "amount"),
        "commission_split": _g("业绩分配"),
    },
    "quote": {
        # as an order's: the lines' amounts and prices add up to it
        "total": _g("报价金额", "amount", "total", "amount", "unit_price", "list_price"),
        "notes": _g("备注"),
    },
    # finance documents: one field per kind, each covering every amount the document shows (they
    # add up to or are taken from it: what is received and outstanding of a receivable, its payment
    # plan's instalments; an invoice's tax, net and reversed parts and its lines')
    "receivable": {
        "amount": _g("应收金额", "amount", "amount", "received", "outstanding", "invoiced", "not_invoiced",
                     "original_amount", "refund_due", "red_invoice_due", "paid", "instalments"),
    },
    "receipt": {
        "amount": _g("回款金额", "amount"),
    },
    "invoice": {
        "amount": _g("发票金额", "amount", "amount", "tax_amount", "net_amount", "reversed_amount",
                     "not_reversed", "reversed", writes=("lines",)),
        # the buyer's snapshot (name, taxpayer number, address, phone, bank account) and its title
        "buyer": _g("购买方信息", "text", "buyer", "title", "buyer_title_id"),
    },
    "payment": {  # refunds (退款), expense and service payouts
        "amount": _g("付款金额", "amount"),
    },
}
RESOURCE_LABELS = {"customer": "客户", "contact": "联系人", "opportunity": "商机", "order": "订单",
                   "contract": "合同", "quote": "报价", "receivable": "应收款", "receipt": "回款",
                   "invoice": "发票", "payment": "付款/退款"}


def _keys_of(resource: str) -> dict[str, str]:
    """answer/body key → the governed field it belongs to"""
    out = {}
    for name, spec in GOVERNED[resource].items():
        for key in spec.keys or (name,):
            out[key] = name
    return out


KEYS = {resource: _keys_of(resource) for resource in GOVERNED}
# a write body's keys: the answer's and the ones only a write has
WRITE_KEYS = {resource: {**KEYS[resource], **{key: name for name, spec in GOVERNED[resource].items()
                                               for key in spec.write_keys}} for resource in GOVERNED}


def catalogue() -> list[dict]:
    """Every governable field, for the admin API and the console's matrix."""
    return [{"key": f"{resource}.{name}", "resource": resource, "resource_label": RESOURCE_LABELS[resource],
             "field": name, "label": spec.label, "kind": spec.kind, "maskable": spec.maskable}
            for resource, specs in GOVERNED.items() for name, spec in specs.items()]
