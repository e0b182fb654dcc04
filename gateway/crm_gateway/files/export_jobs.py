"""Exports as background jobs: start one, follow its progress, download the file.

`POST /exports {list, format, query}` checks the filters and the permission (one page is asked
for at once, so bad input is refused, not a job that fails later), then answers 202 with the
job. A gateway runs queued jobs in green threads, at most RUNNERS at a time, writing the file
into the gateway's files area (the store that keeps the document centre's bytes, `storage.py`),
and records its progress page by page. The job row, in the gateway's database, holds the
caller's principal, so any replica may run it.

A job is held under a lease its gateway renews every second. A gateway that stops (a restart,
a crash) lets its leases lapse; another gateway, or the same one started again, then runs the
job again from the start (a file is written whole or not at all, `storage.save`). After
MAX_ATTEMPTS it is failed with the reason, never left "running". Files are kept RETENTION,
then removed (the job says `expired`).
"""
import logging
import os
import time
import uuid
from datetime import datetime, timedelta

import eventlet
from eventlet.semaphore import Semaphore
from marshmallow import Schema, fields, validate
from sqlalchemy import BigInteger, DateTime, Integer, String, Text, Uuid, func, select, text, update
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.wrappers import Response

from crm_common import principal as principal_context
from crm_common.errors import Conflict, CrmError, NotFound
from crm_common.principal import Principal
from crm_common.records import is_uuid, utcnow
from crm_common.validation import StrictSchema, load_body
from crm_gateway.files import exports, storage, transfer
from crm_gateway.identity.models import Base, User

log = logging.getLogger(__name__)
LEASE_SECONDS = 10
TICK_SECONDS = 1
# Files are kept for hours: looking for the expired ones every tick was a transaction a second for
# nothing (~4 % of the gateway's samples in a read load).
SWEEP_SECONDS = 60
RUNNERS = int(os.environ.get("CRM_EXPORT_RUNNERS", "2"))
MAX_ATTEMPTS = 3
RETENTION = timedelta(hours=int(os.environ.get("CRM_EXPORT_RETENTION_HOURS", "24")))
INSTANCE = uuid.uuid4().hex  # this process, the holder of the leases of the jobs it runs
_running: set[str] = set()
_slots = Semaphore(RUNNERS)


class ExportJob(Base):
    __tablename__ = "export_jobs"

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    user_id: Mapped[str] = mapped_column(Uuid(as_uuid=False), index=True)
    principal: Mapped[dict] = mapped_column(JSONB)  # the caller: pages are read in their scope
    list: Mapped[str] = mapped_column(String(40))
    format: Mapped[str] = mapped_column(String(10))
    query: Mapped[dict] = mapped_column(JSONB)
    branches: Mapped[list] = mapped_column(JSONB)
    status: Mapped[str] = mapped_column(String(20), index=True)  # queued, running, done, failed, expired
    processed: Mapped[int] = mapped_column(BigInteger, default=0)
    total: Mapped[int | None] = mapped_column(BigInteger)
    file_name: Mapped[str] = mapped_column(String(200))
    ascii_name: Mapped[str] = mapped_column(String(200))
    storage_key: Mapped[str | None] = mapped_column(String(64))
    size: Mapped[int | None] = mapped_column(BigInteger)
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    owner: Mapped[str | None] = mapped_column(String(32))
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ExportJobIn(StrictSchema):
    list = fields.String(required=True, validate=validate.OneOf(sorted(exports.LISTS)))
    format = fields.String(load_default="csv", validate=validate.OneOf(exports.FORMATS))
    # the list's filters, as its export route takes them in the query string
    query = fields.Dict(keys=fields.String(validate=validate.Length(max=60)),
                        values=fields.String(validate=validate.Length(max=300)), load_default=dict,
                        validate=validate.Length(max=40))


class ExportJobOut(Schema):
    id = fields.String()
    list = fields.String()
    format = fields.String()
    query = fields.Dict()
    status = fields.String()
    processed = fields.Integer()
    total = fields.Integer()  # known once the first page is read
    file_name = fields.String()
    size = fields.Integer()
    error = fields.String()
    attempts = fields.Integer()
    created_at = fields.DateTime()
    finished_at = fields.DateTime()
    expires_at = fields.DateTime()


def start(ctx):
    data = load_body(ExportJobIn(), ctx.body())
    export = exports.LISTS[data["list"]]
    branches = exports.branches_for(ctx, export)
    exports.Pages(_request_call(ctx), export, data["query"], branches)  # refuses bad filters: nothing is queued
    name, ascii_name = exports.file_name(export, data["format"])
    job = ExportJob(id=str(uuid.uuid4()), user_id=ctx.principal.user_id, principal=ctx.principal.to_dict(),
                    list=data["list"], format=data["format"], query=data["query"], branches=branches,
                    status="queued", processed=0, file_name=name, ascii_name=ascii_name, attempts=0)
    with ctx.db() as session, session.begin():
        session.add(job)
    eventlet.spawn_n(_take_and_run, ctx.db, ctx.branches)  # without waiting for the next tick
    return ExportJobOut().dump(job)


def _request_call(ctx) -> exports.Call:
    return lambda service, method, args, branch: ctx.call(service, method, args, branch=branch)


def _own(ctx, job_id) -> ExportJob:
    with ctx.db() as session:
        job = session.get(ExportJob, str(job_id)) if is_uuid(str(job_id)) else None
    if job is None or job.user_id != ctx.principal.user_id:
        raise NotFound("Export not found")
    return job


def get(ctx):
    return ExportJobOut().dump(_own(ctx, ctx.params["id"]))


def download(ctx):
    job = _own(ctx, ctx.params["id"])
    if job.status != "done":
        raise Conflict(f"The export is {job.status}", {"status": [job.status]})
    content_type = exports.CSV_TYPE if job.format == "csv" else exports.XLSX_TYPE
    return Response(transfer.store().open(job.storage_key), status=200, direct_passthrough=True, headers={
        "Content-Type": content_type, "Content-Length": str(job.size),
        "Content-Disposition": exports.disposition(job.file_name, job.ascii_name),
        "X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store"})


# --- running jobs -------------------------------------------------------------------------

def work(session_factory, branches) -> None:
    """For the life of the gateway: renew this process's leases, take jobs, remove old files."""
    swept = float("-inf")
    while True:
        eventlet.sleep(TICK_SECONDS)
        try:
            _renew(session_factory)
            if time.monotonic() - swept >= SWEEP_SECONDS:
                _expire(session_factory)
                swept = time.monotonic()
            _take_and_run(session_factory, branches)
        except Exception:  # the database is away: leases lapse and another attempt runs the job
            log.warning("export jobs: tick failed", exc_info=True)


def _renew(session_factory) -> None:
    if not _running:
        return
    with session_factory() as session, session.begin():
        session.execute(update(ExportJob).where(ExportJob.id.in_(list(_running)), ExportJob.owner == INSTANCE)
                        .values(lease_until=_lease()))


def _lease():
    return utcnow() + timedelta(seconds=LEASE_SECONDS)


def _expire(session_factory) -> None:
    with session_factory() as session, session.begin():
        old = session.execute(select(ExportJob).where(ExportJob.status == "done", ExportJob.expires_at < utcnow())
                              .with_for_update(skip_locked=True).limit(100)).scalars().all()
        for job in old:
            transfer.store().delete(job.storage_key)
            job.status, job.storage_key = "expired", None


def _take_and_run(session_factory, branches) -> None:
    while _slots.acquire(blocking=False):
        job_id = _claim(session_factory)
        if job_id is None:
            _slots.release()
            return
        eventlet.spawn_n(_run_and_release, session_factory, branches, job_id)


def _run_and_release(session_factory, branches, job_id: str) -> None:
    try:
        run(session_factory, branches, job_id)
    finally:
        _slots.release()


def _claim(session_factory) -> str | None:
    """A queued job, or one whose gateway stopped (lease lapsed); SKIP LOCKED: one taker."""
    with session_factory() as session, session.begin():
        job_id = session.execute(text(
            "UPDATE export_jobs SET status = 'running', owner = :owner, lease_until = :lease,"
            " attempts = attempts + 1, processed = 0 WHERE id = ("
            " SELECT id FROM export_jobs WHERE status = 'queued' OR (status = 'running' AND lease_until < now())"
            " ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id"),
            {"owner": INSTANCE, "lease": _lease()}).scalar()
    if job_id is not None:
        _running.add(str(job_id))
    return str(job_id) if job_id else None


class _Lost(Exception):
    """Another gateway took the job over (this one's lease lapsed): stop, it finishes it."""


def run(session_factory, branches, job_id: str) -> None:
    key = None
    try:
        with session_factory() as session:
            job = session.get(ExportJob, job_id)
            active = session.execute(select(User.active).where(User.id == job.user_id)).scalar()
        if job.attempts > MAX_ATTEMPTS:
            raise _Failed(f"Gave up after {MAX_ATTEMPTS} attempts (the gateway running it stopped each time)")
        if not active:
            raise _Failed("The user who started the export is disabled")
        export = exports.LISTS[job.list]
        pages = _Progress(session_factory, job_id, exports.Pages(
            _job_call(branches, Principal.from_dict(job.principal), job_id), export, job.query, job.branches))
        cells = exports.Cells(pages.columns, exports.user_names(session_factory))
        key = storage.new_key()
        size = _Counted(exports.chunks(job.format, pages, cells, export))
        transfer.store().save(key, size)
        _finish(session_factory, job_id, status="done", storage_key=key, size=size.bytes, processed=pages.processed,
                total=pages.processed, expires_at=utcnow() + RETENTION)
    except _Lost:
        log.info("export %s was taken over by another gateway", job_id)
        if key:
            transfer.store().delete(key)
    except Exception as exc:  # the job says why it failed; it is never left "running"
        log.warning("export %s failed", job_id, exc_info=not isinstance(exc, (_Failed, CrmError)))
        if key:
            transfer.store().delete(key)
        reason = str(exc) if isinstance(exc, (_Failed, CrmError)) else f"{type(exc).__name__}: the export stopped"
        _finish(session_factory, job_id, status="failed", error=reason)
    finally:
        _running.discard(job_id)


class _Failed(Exception):
    pass


def _job_call(branches, principal: Principal, job_id: str) -> exports.Call:
    context = {**principal_context.encode_context(principal), "correlation_id": f"export-{job_id}"}
    return lambda service, method, args, branch: branches.client(branch).call(service, method, args, context, None)


def _finish(session_factory, job_id: str, **values) -> None:
    with session_factory() as session, session.begin():
        done = session.execute(update(ExportJob).where(ExportJob.id == job_id, ExportJob.owner == INSTANCE)
                               .values(finished_at=utcnow(), owner=None, lease_until=None, **values))
        if not done.rowcount and values.get("storage_key"):
            transfer.store().delete(values["storage_key"])  # taken over meanwhile: its runner writes one


class _Progress:
    """Pages, recording the count after each one (and noticing a takeover)."""

    def __init__(self, session_factory, job_id: str, pages: exports.Pages):
        self.session_factory, self.job_id, self.pages = session_factory, job_id, pages
        self.columns = pages.columns
        self._record(0)

    @property
    def processed(self) -> int:
        return self.pages.processed

    def _record(self, processed: int) -> None:
        with self.session_factory() as session, session.begin():
            held = session.execute(update(ExportJob).where(ExportJob.id == self.job_id, ExportJob.owner == INSTANCE)
                                   .values(processed=processed, total=self.pages.total)).rowcount
        if not held:
            raise _Lost()

    def __iter__(self):
        for rows in self.pages:
            yield rows
            self._record(self.pages.processed)


class _Counted:
    def __init__(self, chunks):
        self.chunks, self.bytes = chunks, 0

    def __iter__(self):
        for chunk in self.chunks:
            self.bytes += len(chunk)
            yield chunk
