from sqlalchemy import ForeignKey, Index, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from crm_common.records import Timestamps
from crm_customers.db import Base

RELATION_KINDS = ("parent_subsidiary", "partner", "agent")


class Relation(Timestamps, Base):
    """A typed link between two customers (CUS-04): from is the parent / principal side."""
    __tablename__ = "customer_relations"
    __table_args__ = (Index("ux_customer_relations", "from_id", "to_id", "kind", unique=True),
                      Index("ix_customer_relations_to", "to_id"))

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    from_id: Mapped[str] = mapped_column(ForeignKey("customers.id"))
    to_id: Mapped[str] = mapped_column(ForeignKey("customers.id"))
    kind: Mapped[str] = mapped_column(String(30))
    notes: Mapped[str | None] = mapped_column(String(500))
