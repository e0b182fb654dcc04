"""After-sales records (CUS-08). Each is scoped through its customer."""
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, DateTime, ForeignKey, Integer, Numeric, SmallInteger, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from crm_common.records import Timestamps
from crm_customers.db import Base


class ServiceRecord(Timestamps, Base):
    __tablename__ = "service_records"

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    author_id: Mapped[str] = mapped_column(Uuid(as_uuid=False))
    kind: Mapped[str] = mapped_column(String(40))
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    summary: Mapped[str] = mapped_column(Text)


class Complaint(Timestamps, Base):
    __tablename__ = "complaints"

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    author_id: Mapped[str] = mapped_column(Uuid(as_uuid=False))
    subject: Mapped[str] = mapped_column(String(200))
    detail: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20))
    handler_id: Mapped[str | None] = mapped_column(Uuid(as_uuid=False))
    result: Mapped[str | None] = mapped_column(Text)
    satisfaction: Mapped[int | None] = mapped_column(SmallInteger)


class CareRecord(Timestamps, Base):
    __tablename__ = "care_records"

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    contact_id: Mapped[str | None] = mapped_column(ForeignKey("contacts.id"))
    author_id: Mapped[str] = mapped_column(Uuid(as_uuid=False))
    kind: Mapped[str] = mapped_column(String(20))  # gift, greeting, visit, other
    occurred_on: Mapped[date] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)


class Expense(Timestamps, Base):
    __tablename__ = "customer_expenses"

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    author_id: Mapped[str] = mapped_column(Uuid(as_uuid=False))
    category: Mapped[str] = mapped_column(String(20))  # travel, gift, entertainment, other
    amount: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    currency: Mapped[str] = mapped_column(String(3))
    spent_on: Mapped[date] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)
    # the reimbursement's approval (sales engine, document type expense_reimbursement)
    status: Mapped[str] = mapped_column(String(20), default="pending", server_default="pending")
    decided_by: Mapped[str | None] = mapped_column(Uuid(as_uuid=False))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decision_comment: Mapped[str | None] = mapped_column(Text)


class ImportantDate(Timestamps, Base):
    """An anniversary (纪念日) of the customer or one of its contacts; yearly by month and day."""
    __tablename__ = "important_dates"

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    contact_id: Mapped[str | None] = mapped_column(ForeignKey("contacts.id"))
    label: Mapped[str] = mapped_column(String(100))
    date: Mapped[date] = mapped_column(Date)
    remind_days_before: Mapped[int] = mapped_column(Integer)


RECORD_MODELS = {"service_records": ServiceRecord, "care_records": CareRecord, "expenses": Expense,
                 "important_dates": ImportantDate}
