"""Money going out (付款)."""
from datetime import date
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from crm_common.records import OwnedColumns, Timestamps
from crm_finance.db import Base, Money


class Payment(OwnedColumns, Timestamps, Base):
    """Money going out (FIN-07): opened by an event (return, field-service settlement, customer
    expense), paid once from a bank account by a person."""
    __tablename__ = "payments"
    __table_args__ = (
        CheckConstraint("amount > 0", name="ck_payments_amount"),
        # a redelivered or repeated source event cannot open a second payment
        UniqueConstraint("kind", "source_id", name="uq_payments_source"),
    )

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    number: Mapped[str] = mapped_column(String(60), unique=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    source_id: Mapped[str] = mapped_column(Uuid(as_uuid=False))
    order_id: Mapped[str | None] = mapped_column(Uuid(as_uuid=False))
    customer_id: Mapped[str | None] = mapped_column(Uuid(as_uuid=False), index=True)
    payee: Mapped[str] = mapped_column(String(200))
    amount: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(20), index=True)
    bank_account_id: Mapped[str | None] = mapped_column(ForeignKey("bank_accounts.id"))
    paid_on: Mapped[date | None] = mapped_column(Date)
    paid_by: Mapped[str | None] = mapped_column(Uuid(as_uuid=False))
