from datetime import datetime

from sqlalchemy import BigInteger, Boolean, DateTime, ForeignKey, Integer, String, Text, Uuid
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from crm_common.records import Timestamps
from crm_customers.db import Base


class ImportJob(Timestamps, Base):
    """A CSV import, uploaded in chunks, processed in the background by the service."""
    __tablename__ = "import_jobs"

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    principal: Mapped[dict] = mapped_column(JSONB)  # the uploader: rows are written in their scope
    status: Mapped[str] = mapped_column(String(20))  # uploading, queued, running, done, failed
    dry_run: Mapped[bool] = mapped_column(Boolean)
    all_or_nothing: Mapped[bool] = mapped_column(Boolean)
    total: Mapped[int] = mapped_column(Integer, default=0)
    processed: Mapped[int] = mapped_column(Integer, default=0)
    created: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[list] = mapped_column(JSONB, default=list)
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    # the dictionary's active pick lists when the file came (crm_common.picklists): rows are checked
    # against them when the job runs, later, without asking anyone
    picks: Mapped[dict | None] = mapped_column(JSONB)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ImportChunk(Base):
    __tablename__ = "import_chunks"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    job_id: Mapped[str] = mapped_column(ForeignKey("import_jobs.id", ondelete="CASCADE"), index=True)
    first_row: Mapped[int] = mapped_column(Integer)  # 1-based data row number of its first line
    body: Mapped[str] = mapped_column(Text)
