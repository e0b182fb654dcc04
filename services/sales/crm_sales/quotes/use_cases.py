"""Use cases for quotes (SAL-05): priced like orders, revised with history, converted into a
draft sales order in one call (the quoted prices carry over; nothing is re-entered)."""
from crm_common import branch_time
from crm_common.database import new_id
from crm_common.errors import Conflict
from crm_common.money import total
from crm_common.principal import Principal
from crm_common.records import ownership_of, utcnow
from crm_common.validation import load_body, load_patch
from crm_sales.catalog.use_cases import price_lines
from crm_sales.clients import visible_customer
from crm_sales.orders.models import Order, OrderLine
from crm_sales.orders.schemas import OrderDetailOut
from crm_sales.quotes.models import Quote, QuoteLine, QuoteRevision
from crm_sales.quotes.queries import find
from crm_sales.quotes.rules import LIFECYCLE
from crm_sales.quotes.schemas import CancelIn, ConvertIn, QuoteIn, QuoteLineOut, QuoteOut

# The quote's priced columns a converted order's lines take over unchanged.
PRICED = ("product_id", "product_code", "product_name", "unit", "quantity", "list_price", "discount_percent",
          "unit_price", "amount", "pricing_note")


def _fill(session, principal, quote: Quote, data: dict, customer: dict) -> None:
    lines, max_discount, over_limit = price_lines(session, principal, data["lines"], customer, QuoteLine)
    quote.lines = lines
    quote.customer_id, quote.customer_name = customer["id"], customer["name"]
    quote.customer_level = customer.get("value_level")
    quote.currency, quote.valid_until, quote.notes = data["currency"], data["valid_until"], data.get("notes")
    quote.total = total(line.amount for line in lines)
    quote.max_discount_percent, quote.discount_over_limit = max_discount, over_limit


def create(uow, principal: Principal, payload, customer_lookup) -> dict:
    principal.require("orders.write")
    data = load_body(QuoteIn(), payload)
    customer = visible_customer(customer_lookup, data["customer_id"])
    with uow:
        quote = Quote(id=new_id(), number=uow.document_number("quote", principal.branch), status="open", revision=1,
                      **ownership_of(principal))
        _fill(uow.session, principal, quote, data, customer)
        uow.session.add(quote)
        uow.session.flush()
        return QuoteOut().dump(quote)


def update(uow, principal: Principal, quote_id, payload, customer_lookup) -> dict:
    """A new revision; the previous one is kept as the customer saw it."""
    principal.require("orders.write")
    with uow:
        quote = find(uow.session, principal, quote_id, for_update=True)
        LIFECYCLE.apply(quote, "revise")
        data, given = load_patch(QuoteIn, payload, quote)
        if "lines" not in given:  # the same products and quantities, priced again for this revision
            data["lines"] = [{k: v for k, v in line.items() if k != "discount_percent"} for line in data["lines"]]
        customer = visible_customer(customer_lookup, data["customer_id"])
        quote.revisions.append(QuoteRevision(
            id=new_id(), revision=quote.revision, created_at=utcnow(),
            content={"total": str(quote.total), "valid_until": quote.valid_until.isoformat(),
                     "lines": QuoteLineOut(many=True).dump(quote.lines)}))
        _fill(uow.session, principal, quote, data, customer)
        quote.revision += 1
        uow.session.flush()
        return QuoteOut().dump(quote)


def convert(uow, principal: Principal, quote_id, payload) -> dict:
    principal.require("orders.write")
    data = load_body(ConvertIn(), payload or {})
    with uow:
        quote = find(uow.session, principal, quote_id, for_update=True)
        LIFECYCLE.next_status(quote.status, "convert")
        if quote.valid_until < branch_time.current_day():
            raise Conflict(f"The quote expired on {quote.valid_until.isoformat()}; revise it first")
        order = Order(
            id=new_id(), number=uow.document_number("order", quote.branch), status="draft", order_type="sale",
            customer_id=quote.customer_id, customer_name=quote.customer_name, customer_level=quote.customer_level,
            currency=quote.currency, payment_terms_days=data["payment_terms_days"],
            notes=f"From quote {quote.number} rev {quote.revision}", total=quote.total,
            max_discount_percent=quote.max_discount_percent, discount_over_limit=quote.discount_over_limit,
            lines=[OrderLine(id=new_id(), line_no=line.line_no, **{k: getattr(line, k) for k in PRICED})
                   for line in quote.lines],
            owner_id=quote.owner_id, department_path=quote.department_path, branch=quote.branch)
        uow.session.add(order)
        LIFECYCLE.apply(quote, "convert")
        quote.order_id = order.id
        uow.session.flush()
        return OrderDetailOut().dump(order)


def cancel(uow, principal: Principal, quote_id, payload) -> dict:
    """An open quote the customer will not take: it stays, read-only, with the reason."""
    principal.require("orders.write")
    data = load_body(CancelIn(), payload or {})
    with uow:
        quote = find(uow.session, principal, quote_id, for_update=True)
        LIFECYCLE.apply(quote, "cancel")
        quote.cancel_reason, quote.cancelled_at = data["reason"], utcnow()
        uow.session.flush()
        return QuoteOut().dump(quote)
