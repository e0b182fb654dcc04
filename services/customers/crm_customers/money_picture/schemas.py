from marshmallow import Schema, fields



def Money(description: str):  # noqa: N802 (a field factory, read like a field class)
    return fields.Decimal(as_string=True, places=2, metadata={"description": description})


class SummaryOut(Schema):
    """The customer header's money picture. Amounts are of documents in `currency` (CNY); documents
    in another currency are counted in `open_orders_count` but in no amount (nothing is converted).
    The amounts add up orders' totals and receivables: masked or left out as their fields are."""
    field_totals = {"open_orders_amount": "order.total", "outstanding_amount": "receivable.amount",
                    "overdue_amount": "receivable.amount"}
    customer_id = fields.String()
    currency = fields.String()
    open_orders_count = fields.Integer(metadata={"description": "Approved orders not yet completed or closed."})
    open_orders_amount = Money("The total of the open orders.")
    outstanding_amount = Money("What the customer still owes on its receivables: amount − received.")
    overdue_amount = Money("The outstanding part of receivables due before today (branch time zone).")
    last_contact_at = fields.DateTime(metadata={"description": "The latest interaction (联系记录); null if none."})
    protection_days_left = fields.Integer(metadata={
        "description": "Calendar days until the customer falls back to the pool; null in the pool or "
                       "when no recycle rule applies."})
    updated_at = fields.DateTime(metadata={
        "description": "When the last sales or finance event about this customer was applied; null if none yet."})
