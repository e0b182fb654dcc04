"""Use cases for quotes (SAL-05): priced like orders, revised with history, converted into a
draft sales order in one call (the quoted prices carry over; nothing is re-entered)."""
from sqlalchemy import select

from crm_common.database import new_id
from crm_common.errors import Conflict
from crm_common.pagination import keyset_page
from crm_common.principal import Principal, scope_filter
from crm_common.records import get_in_scope, ownership_of, utcnow
from crm_common.validation import load_body, load_query
from crm_sales.catalog.use_cases import price_lines
from crm_sales.models import Order, OrderLine
from crm_sales.order_rules import order_total
from crm_sales.orders import _visible_customer
from crm_sales.quote_models import Quote, QuoteLine, QuoteRevision
from crm_sales.quote_schemas import ConvertIn, QuoteIn, QuoteLineOut, QuoteListQuery, QuoteOut
from crm_sales.schemas import OrderDetailOut

SORTS = {"created_at": Quote.created_at, "number": Quote.number}
PRICED = ("product_id", "product_code", "product_name", "unit", "quantity", "list_price", "discount_percent",
          "unit_price", "amount", "pricing_note")


def _find(session, principal, quote_id, for_update=False) -> Quote:
    return get_in_scope(session, Quote, quote_id, principal, for_update=for_update)


def _fill(session, principal, quote: Quote, data: dict, customer: dict) -> None:
    lines, max_discount, over_limit = price_lines(session, principal, data["lines"], customer, QuoteLine)
    quote.lines = lines
    quote.customer_id, quote.customer_name = customer["id"], customer["name"]
    quote.customer_level = customer.get("value_level")
    quote.currency, quote.valid_until, quote.notes = data["currency"], data["valid_until"], data.get("notes")
    quote.total = order_total(line.amount for line in lines)
    quote.max_discount_percent, quote.discount_over_limit = max_discount, over_limit


def create(uow, principal: Principal, payload, customer_lookup) -> dict:
    principal.require("orders.write")
    data = load_body(QuoteIn(), payload)
    customer = _visible_customer(customer_lookup, data["customer_id"])
    with uow:
        quote = Quote(id=new_id(), number=uow.next_number(f"QT-{principal.branch}"), status="open", revision=1,
                      **ownership_of(principal))
        _fill(uow.session, principal, quote, data, customer)
        uow.session.add(quote)
        uow.session.flush()
        return QuoteOut().dump(quote)


def update(uow, principal: Principal, quote_id, payload, customer_lookup) -> dict:
    """A new revision; the previous one is kept as the customer saw it."""
    principal.require("orders.write")
    data = load_body(QuoteIn(), payload)
    customer = _visible_customer(customer_lookup, data["customer_id"])
    with uow:
        quote = _find(uow.session, principal, quote_id, for_update=True)
        if quote.status != "open":
            raise Conflict(f"A {quote.status} quote cannot be revised")
        quote.revisions.append(QuoteRevision(
            id=new_id(), revision=quote.revision, created_at=utcnow(),
            content={"total": str(quote.total), "valid_until": quote.valid_until.isoformat(),
                     "lines": QuoteLineOut(many=True).dump(quote.lines)}))
        _fill(uow.session, principal, quote, data, customer)
        quote.revision += 1
        uow.session.flush()
        return QuoteOut().dump(quote)


def get(uow, principal: Principal, quote_id) -> dict:
    principal.require("orders.read")
    with uow:
        return QuoteOut().dump(_find(uow.session, principal, quote_id))


def list_(uow, principal: Principal, query) -> dict:
    principal.require("orders.read")
    q = load_query(QuoteListQuery(), query)
    stmt = select(Quote).where(scope_filter(principal, Quote))
    if "status" in q:
        stmt = stmt.where(Quote.status == q["status"])
    if "customer_id" in q:
        stmt = stmt.where(Quote.customer_id == str(q["customer_id"]))
    with uow:
        rows, cursor = keyset_page(uow.session, stmt, Quote.id, q, SORTS, "-created_at")
        return {"items": QuoteOut(many=True, exclude=("lines", "revisions")).dump(rows), "next_cursor": cursor}


def convert(uow, principal: Principal, quote_id, payload) -> dict:
    principal.require("orders.write")
    data = load_body(ConvertIn(), payload or {})
    with uow:
        quote = _find(uow.session, principal, quote_id, for_update=True)
        if quote.status != "open":
            raise Conflict(f"A {quote.status} quote cannot be converted")
        if quote.valid_until < utcnow().date():
            raise Conflict(f"The quote expired on {quote.valid_until.isoformat()}; revise it first")
        order = Order(
            id=new_id(), number=uow.next_number(f"SO-{quote.branch}"), status="draft", order_type="sale",
            customer_id=quote.customer_id, customer_name=quote.customer_name, customer_level=quote.customer_level,
            currency=quote.currency, payment_terms_days=data["payment_terms_days"],
            notes=f"From quote {quote.number} rev {quote.revision}", total=quote.total,
            max_discount_percent=quote.max_discount_percent, discount_over_limit=quote.discount_over_limit,
            lines=[OrderLine(id=new_id(), line_no=line.line_no, **{k: getattr(line, k) for k in PRICED})
                   for line in quote.lines],
            owner_id=quote.owner_id, department_path=quote.department_path, branch=quote.branch)
        uow.session.add(order)
        quote.status, quote.order_id = "converted", order.id
        uow.session.flush()
        return OrderDetailOut().dump(order)
