from sqlalchemy import Boolean, ForeignKey, SmallInteger, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from crm_common.records import Timestamps
from crm_customers.db import Base


class CustomerGroup(Timestamps, Base):
    """A node of the customer group tree (客户群). `path` is the names from the root, "华东/大客户":
    unique, so two siblings never share a name; customers keep it as `group_path` for the filter."""
    __tablename__ = "customer_groups"

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    parent_id: Mapped[str | None] = mapped_column(Uuid(as_uuid=False), ForeignKey("customer_groups.id"))
    name: Mapped[str] = mapped_column(String(50))
    path: Mapped[str] = mapped_column(String(300), unique=True)
    depth: Mapped[int] = mapped_column(SmallInteger)  # 1..MAX_DEPTH
    # retired: no longer offered nor accepted on writes; customers in it keep it
    active: Mapped[bool] = mapped_column(Boolean, default=True)
