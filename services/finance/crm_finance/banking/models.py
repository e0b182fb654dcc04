"""Company bank accounts (银行帐户) and every movement of their money."""
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import BigInteger, CheckConstraint, Date, DateTime, ForeignKey, String, UniqueConstraint, Uuid, func
from sqlalchemy.orm import Mapped, mapped_column

from crm_common.records import OwnedColumns, Timestamps, utcnow
from crm_finance.db import Base, Money


class BankAccount(OwnedColumns, Timestamps, Base):
    """A company account (银行帐户); `balance` is a cache of the sum of its entries, written only
    together with an entry under the account's row lock (`make check-ledger` verifies it)."""
    __tablename__ = "bank_accounts"

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    bank_name: Mapped[str] = mapped_column(String(100))
    account_no: Mapped[str] = mapped_column(String(60), unique=True)
    currency: Mapped[str] = mapped_column(String(3))
    balance: Mapped[Decimal] = mapped_column(Money, default=Decimal(0), server_default="0")


class BankEntry(Base):
    """One movement of money; never updated or deleted. Positive in, negative out."""
    __tablename__ = "bank_entries"
    __table_args__ = (
        CheckConstraint("amount <> 0", name="ck_bank_entries_amount"),
        # a receipt, reversal or payment moves money exactly once
        UniqueConstraint("kind", "source_id", name="uq_bank_entries_source"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    bank_account_id: Mapped[str] = mapped_column(ForeignKey("bank_accounts.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(Money)
    kind: Mapped[str] = mapped_column(String(30))
    source_id: Mapped[str] = mapped_column(Uuid(as_uuid=False))
    source_number: Mapped[str] = mapped_column(String(60))
    booked_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(),
                                                 default=utcnow)
