"""CSV import as a background job (CUS-12): upload in chunks, then the service processes it.

Modes: dry run (validate only), default (good rows land, bad rows are reported per row),
all-or-nothing (one transaction; any bad row and nothing lands). Upsert by `code` within
the uploader's data scope. Progress and the error report are read with `get`.
"""
import logging

from psycopg.types.json import Jsonb

from sqlalchemy import select, text, update

from crm_common import branch_time, field_policy, picklists, regions
from crm_common.database import new_id
from crm_common.errors import InvalidInput
from crm_common.principal import Principal, in_scope
from crm_common.records import ownership_of, utcnow
from crm_common.validation import NoInput, load_body
from crm_customers.customers.models import Customer
from crm_customers.customers.rules import email_key, name_key, phone_key
from crm_customers.customers.use_cases import refresh_due
from crm_customers.pool import rules as pool_rules
from crm_customers.pool.models import Pool, PoolRule
from crm_customers.exchange.models import ImportChunk, ImportJob
from crm_customers.exchange.queries import PERMISSION, own_job
from crm_customers.exchange.rules import IMPORT_JOB, read_chunk
from crm_customers.exchange.schemas import ImportChunkIn, ImportIn, ImportJobOut, check_header, parse
from crm_customers.fields.queries import definitions as field_definitions
from crm_customers.groups.queries import active_paths, import_errors

log = logging.getLogger(__name__)
MAX_ERRORS_KEPT = 1000


def create(uow, principal: Principal, payload) -> dict:
    principal.require(PERMISSION)
    data = load_body(ImportIn(), payload)
    with uow:
        job = ImportJob(id=new_id(), principal=principal.to_dict(), status="uploading", total=0, processed=0,
                        created=0, updated=0, errors=[], error_count=0, **data)
        uow.session.add(job)
        uow.session.flush()
        return ImportJobOut().dump(job)


def add_chunk(uow, principal: Principal, job_id, payload, picks: picklists.Picks | None = None) -> dict:
    principal.require(PERMISSION)
    data = load_body(ImportChunkIn(), payload)
    with uow:
        job = own_job(uow.session, principal, job_id, for_update=True)
        IMPORT_JOB.apply(job, "upload")
        unknown = check_header(data["csv"], field_definitions(uow.session, "customer"))
        if unknown:
            raise InvalidInput("Unknown CSV columns", {"csv": [f"Unknown column(s): {', '.join(unknown)}."]})
        uow.session.add(ImportChunk(job_id=job.id, first_row=data["first_row"], body=data["csv"]))
        if picks is not None:
            job.picks = picks
        job.total += max(0, sum(1 for _ in read_chunk(data["csv"], 1)))
        uow.session.flush()
        return ImportJobOut().dump(job)


def start(uow, principal: Principal, job_id, payload) -> dict:
    principal.require(PERMISSION)
    load_body(NoInput(), payload)
    with uow:
        job = own_job(uow.session, principal, job_id, for_update=True)
        IMPORT_JOB.apply(job, "start")
        return ImportJobOut().dump(job)


def process_next(uow_factory) -> str | None:
    """Take one queued job (SKIP LOCKED: replicas take different jobs) and run it to the end."""
    with uow_factory() as uow:
        job_id = uow.session.execute(text(
            "UPDATE import_jobs SET status = 'running', updated_at = now() WHERE id = ("
            " SELECT id FROM import_jobs WHERE status = 'queued' ORDER BY created_at"
            " LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id")).scalar()
    if job_id is None:
        return None
    try:
        _run(uow_factory, str(job_id))
    except Exception:
        log.exception("import job %s failed", job_id)
        with uow_factory() as uow:
            uow.session.execute(update(ImportJob).where(ImportJob.id == str(job_id)).values(
                status="failed", finished_at=utcnow()))
    return str(job_id)


class _Run:
    def __init__(self, job: ImportJob):
        self.principal = Principal.from_dict(job.principal)
        self.picks = job.picks
        self.dry_run, self.all_or_nothing = job.dry_run, job.all_or_nothing
        self.errors, self.error_count = [], 0
        self.created = self.updated = self.processed = 0
        self.codes_seen: set[str] = set()
        self.credit_codes_seen: set[str] = set()

    def error(self, row: int, errors: dict):
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append({"row": row, "errors": errors})


def _run(uow_factory, job_id: str) -> None:
    with uow_factory() as uow:
        state = _Run(uow.session.get(ImportJob, job_id))
        chunk_ids = uow.session.execute(select(ImportChunk.id).where(ImportChunk.job_id == job_id)
                                        .order_by(ImportChunk.first_row)).scalars().all()
    if state.all_or_nothing and not state.dry_run:
        try:  # one transaction for the whole file, rolled back at the first report of a bad row
            with uow_factory() as uow:
                for chunk_id in chunk_ids:
                    _apply_chunk(uow, state, uow.session.get(ImportChunk, chunk_id))
                    _progress(uow_factory, job_id, state, "running")
                if state.error_count:
                    raise _Rollback()
        except _Rollback:
            state.created = state.updated = 0
    else:  # each chunk commits its good rows (a dry run writes nothing at all)
        for chunk_id in chunk_ids:
            with uow_factory() as uow:
                _apply_chunk(uow, state, uow.session.get(ImportChunk, chunk_id))
            _progress(uow_factory, job_id, state, "running")
    failed = state.all_or_nothing and state.error_count > 0 and not state.dry_run
    _progress(uow_factory, job_id, state, "failed" if failed else "done", finished=True)


class _Rollback(Exception):
    pass


def _progress(uow_factory, job_id, state, status, finished=False) -> None:
    with uow_factory() as uow:
        uow.session.execute(update(ImportJob).where(ImportJob.id == job_id).values(
            status=status, processed=state.processed, created=state.created, updated=state.updated,
            errors=state.errors, error_count=state.error_count, updated_at=utcnow(),
            finished_at=utcnow() if finished else None))


def _apply_chunk(uow, state: _Run, chunk: ImportChunk) -> None:
    s = uow.session
    definitions = field_definitions(s, "customer")
    groups = active_paths(s)
    good = []
    for number, cells in read_chunk(chunk.body, chunk.first_row):
        state.processed += 1
        data, errors = parse(cells, definitions)
        if data and state.picks is not None:
            _pick_codes(data, state.picks)
            errors = picklists.errors(data, picklists.CUSTOMER_FIELDS, state.picks)
        if data and not errors:  # the importer's field permissions, as in a create or an update
            errors = field_policy.refused_writes("customer", state.principal.field_rules,
                                                 {k: v for k, v in data.items() if v not in (None, "", [])})
        if data and not errors:
            errors = _place(data) or import_errors(data, groups)
        code = (data or {}).get("code")
        credit_code = (data or {}).get("credit_code")
        if data and code in state.codes_seen:
            errors = {"code": ["The same code appears earlier in the file."]}
        elif data and credit_code in state.credit_codes_seen:
            errors = {"credit_code": ["The same credit code appears earlier in the file."]}
        if errors:
            state.error(number, errors)
            continue
        if code:
            state.codes_seen.add(code)
        if credit_code:
            state.credit_codes_seen.add(credit_code)
        good.append((number, data))
    codes = [d["code"] for _, d in good if d.get("code")]
    existing = {r.code: r for r in s.execute(select(
        Customer.id, Customer.code, Customer.owner_id, Customer.department_path, Customer.branch,
        Customer.deleted_at).where(Customer.code.in_(codes)))} if codes else {}
    credit_codes = [d["credit_code"] for _, d in good if d.get("credit_code")]
    # the same rule as create (queries.same_credit_code): one live customer per credit code
    holders = dict(s.execute(select(Customer.credit_code, Customer.id).where(
        Customer.credit_code.in_(credit_codes), Customer.deleted_at.is_(None))).all()) if credit_codes else {}
    inserts, updates = [], []
    for number, data in good:
        found = existing.get(data.get("code"))
        holder = holders.get(data.get("credit_code"))
        if found is not None and (found.deleted_at is not None or not in_scope(
                state.principal, found.owner_id, found.department_path, found.branch)):
            state.error(number, {"code": ["This code belongs to a customer you cannot update."]})
        elif holder is not None and (found is None or holder != found.id):
            state.error(number, {"credit_code": ["Already the code of another customer."]})
        elif found is None:
            inserts.append(data)
        else:
            updates.append({**data, "id": found.id})
    if state.dry_run:
        state.created += len(inserts)
        state.updated += len(updates)
        return
    now = utcnow()
    missing = [d for d in inserts if not d.get("code")]
    for data, code in zip(missing, uow.document_numbers("customer", state.principal.branch, len(missing)), strict=True):
        data["code"] = code
    rows, plan = [], _recycle_plan(s, now)
    for data in inserts:
        rows.append({**plan(state.principal.department_path, data.get("value_level")), **_keys(data),
                     "id": new_id(), "status": "customer", "kind": data.get("kind", "company"),
                     "tags": data.get("tags", []), "created_at": now, "updated_at": now, "in_pool": False,
                     "last_activity_at": now, "owner_since": now,
                     **ownership_of(state.principal), **{k: v for k, v in data.items() if k not in ("kind", "tags")}})
    _copy(s, "customers", COPY_COLUMNS, rows)
    for data in updates:
        data.update(_keys(data) if "name" in data else {})
        data["updated_at"] = now
    if updates:
        s.execute(update(Customer), updates)
        # their pools and recycle dates, by the pools' rules, in two statements for the batch
        refresh_due(s, ids=[u["id"] for u in updates])
    actor = state.principal.user_id
    history_rows = [{"customer_id": r["id"], "kind": "imported", "actor_id": actor, "data": {"created": True},
                     "created_at": now} for r in rows] + [
        {"customer_id": u["id"], "kind": "imported", "actor_id": actor, "created_at": now,
         "data": {"fields": sorted(k for k in u if k not in ("id", "updated_at"))}} for u in updates]
    _copy(s, "customer_history", ("customer_id", "kind", "actor_id", "data", "created_at"), history_rows)
    state.created += len(rows)
    state.updated += len(updates)


COPY_COLUMNS = ("id", "code", "kind", "name", "short_name", "industry", "source", "value_level", "province", "city",
                "district", "province_code", "city_code", "district_code", "address", "phone", "email", "website", "status", "tags", "notes", "group_id", "group_path", "custom",
                "credit_code", "organization_code", "registered_address", "legal_representative", "id_number",
                "birthday",
                "name_key", "phone_key", "email_key", "in_pool", "last_activity_at", "owner_since", "pool_id",
                "recycle_due_at", "recycle_reason", "owner_id",
                "department_path", "branch", "created_at", "updated_at")


def _copy(session, table: str, columns: tuple, rows: list[dict]) -> None:
    """COPY rows in the session's own transaction: ~10x faster than batched INSERTs for 5,000 rows."""
    if not rows:
        return
    raw = session.connection().connection.driver_connection
    with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([Jsonb(row[c]) if isinstance(row.get(c), dict) else row.get(c) for c in columns])


def _place(data: dict) -> dict:
    """The names a file gives (浙江, 杭州市) as region codes and their names; errors if none fits."""
    if not any(level in data for level in ("province", "city", "district")):
        return {}
    try:
        codes = regions.resolve(data.get("province"), data.get("city"), data.get("district"))
    except regions.Unresolved as exc:
        return exc.errors
    data.update(codes)
    data.update(regions.names(codes))
    return {}


def _pick_codes(data: dict, picks: picklists.Picks) -> None:
    """A file may name a pick by its label (制造业) as well as by its code: stored as the code."""
    for field, kind in picklists.CUSTOMER_FIELDS.items():
        if data.get(field) is not None:
            data[field] = picklists.resolve(data[field], kind, picks)


def _recycle_plan(session, now):
    """Pool, recycle date and reason of a new row, as refresh_due would give them, without writing
    each row twice: a new customer has no facts yet, so the pool's shortest clock ends first."""
    pools = session.execute(select(Pool.id, Pool.department_path)).all()
    rules: dict = {}
    for rule in session.execute(select(PoolRule)).scalars():
        rules.setdefault(rule.pool_id, {})[rule.value_level] = {k: getattr(rule, k) for k in pool_rules.RULE_CLOCKS}
    zone = branch_time.zone()

    def plan(department_path: str, value_level: str | None) -> dict:
        pool_id = pool_rules.pool_for(department_path, [(p.id, p.department_path) for p in pools])
        clock = pool_rules.new_customer_clock(rules.get(pool_id, {}), value_level)
        return {"pool_id": pool_id, "recycle_due_at": branch_time.days_later(now, clock[0], zone) if clock else None,
                "recycle_reason": clock[1] if clock else None}
    return plan


def _keys(data: dict) -> dict:
    return {"name_key": name_key(data.get("name")), "phone_key": phone_key(data.get("phone")),
            "email_key": email_key(data.get("email"))}
