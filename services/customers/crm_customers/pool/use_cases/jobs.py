"""The default pool's settings and the scheduled jobs (CUS-07, CUS-08, CUS-15): recycle
warnings, recycling to the pools, date reminders.

The nightly run (`nightly`) is one run per branch day in the branch's zone: the timer asks every
minute, the first ask of a local day records the day in `pool_runs` in the run's own transaction
and every later ask that day finds it and does nothing. It works on every customer at once in
set-based statements (bench/pool.py: 1,000,000 customers): recycle dates recomputed, warnings
recorded and emitted, due customers moved into their pools with their history rows and events.

`run` is the same work for a given moment, for operators and tests (`POST /customer-pool/run-jobs`),
without the day's record. Safe with several replicas and re-runs: one transaction-scoped advisory
lock per run (the timer's ask skips when another replica holds it; a run asked for by hand waits
for it a while), and every effect recorded (`pool_warnings`, `reminders_sent`, the customer leaving
its owner) so a re-run emits nothing twice.
"""
import json
import time
from datetime import date, datetime, timedelta

from sqlalchemy import select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert

from crm_common.principal import SYSTEM_USER_ID, Principal
from crm_common import branch_time
from crm_common.records import utcnow
from crm_common.validation import NoInput, load_body
from crm_customers.aftersales.models import ImportantDate
from crm_customers.contacts.models import Contact
from crm_customers.customers.models import MONTH, MONTH_COUNTS_SETTING, Customer
from crm_customers.customers.use_cases import NOTICE_SQL, refresh_due
from crm_customers.pool.models import PoolRule, PoolRun, ReminderSent
from crm_customers.pool.queries import default_pool, settings_out
from crm_customers.pool.schemas import NightlyRunOut, PoolSettingsIn, RunJobsIn, RunJobsOut

LOCK_KEY = 7_303_001  # pg advisory lock id of this job
# An operator's run waits this long for the lock: the timer's ask every minute holds it for a
# moment (a day already run), and a run asked for by hand must not come back "skipped" for that.
RUN_LOCK_WAIT_SECONDS = 15


def _locked(session, wait_seconds: float = 0) -> bool:
    """The job's transaction-scoped lock; False when another run still holds it after the wait."""
    deadline = time.monotonic() + wait_seconds
    while not session.execute(text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": LOCK_KEY}).scalar():
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.1)
    return True
LOOKAHEAD_DAYS = 60  # the largest remind_days_before accepted


def update_settings(uow, principal: Principal, payload) -> dict:
    """The default pool's claim limit and follow-up rules, as the single pool of before had them."""
    principal.require("customers.admin")
    data = load_body(PoolSettingsIn(), payload)
    with uow:
        pool = default_pool(uow.session)
        uow.session.refresh(pool, with_for_update=True)
        if "daily_claim_limit" in data:
            pool.daily_claim_quota = data["daily_claim_limit"]
        if "rules" in data:  # the list replaces every rule
            uow.session.execute(text("DELETE FROM pool_rules WHERE pool_id = :p"), {"p": pool.id})
            uow.session.add_all(PoolRule(pool_id=pool.id, **rule) for rule in data["rules"])
            uow.session.flush()
            refresh_due(uow.session)
        return settings_out(uow.session)


def run_now(uow_factory, principal: Principal, payload) -> dict:
    principal.require("customers.admin")
    now = load_body(RunJobsIn(), payload or {})["now"] or utcnow()
    return RunJobsOut().dump(run(uow_factory, now))


def run(uow_factory, now: datetime, *, refresh: bool = False) -> dict:
    result = {"warned": 0, "recycled": 0, "reminders": 0, "refreshed": 0, "skipped": False}
    with uow_factory() as uow:
        if not _locked(uow.session, RUN_LOCK_WAIT_SECONDS):
            result["skipped"] = True  # another run has held it all this time
            return result
        _work(uow, now, result, refresh)
    return result


def _work(uow, now: datetime, result: dict, refresh: bool) -> None:
    if refresh:  # a full recompute, for an operator who repaired data by hand
        result["refreshed"] = uow.session.execute(text("SELECT count(*) FROM customers"
                                                       " WHERE deleted_at IS NULL AND NOT in_pool")).scalar()
        refresh_due(uow.session)
    result["warned"] = _warn(uow, now)
    result["recycled"] = _recycle(uow, now)
    result["reminders"] = _remind(uow, branch_time.today(now, branch_time.zone()))


def nightly(uow_factory, now: datetime | None = None) -> dict:
    """The branch day's run, once: a second call the same local day answers ran=false."""
    now = now or utcnow()
    day = branch_time.today(now, branch_time.zone())
    result = {"day": day, "ran": False, "warned": 0, "recycled": 0, "reminders": 0, "refreshed": 0}
    with uow_factory() as uow:
        if not _locked(uow.session):
            return result  # another replica is running it (or the day's run) right now
        claimed = uow.session.execute(pg_insert(PoolRun).values(day=day, ran_at=now, counts={})
                                      .on_conflict_do_nothing().returning(PoolRun.day)).first()
        if claimed is None:
            return result
        counts = {"skipped": False}
        # no full recompute: the dates are absolute and every fact and rule change refreshes them
        # as it happens (bench/pool.py: a full recompute costs as much as the rest of the run)
        _work(uow, now, counts, refresh=False)
        counts.pop("skipped")
        uow.session.execute(text("UPDATE pool_runs SET counts = CAST(:c AS jsonb) WHERE day = :d"),
                            {"c": json.dumps(counts), "d": day})
        result.update(counts, ran=True)
    return result


def nightly_now(uow_factory, principal: Principal, payload) -> dict:
    """What the timer does, at the services' clock: for operators and the end-to-end tests."""
    principal.require("customers.admin")
    load_body(NoInput(), payload or {})
    return NightlyRunOut().dump(nightly(uow_factory))


# The warning and the recycling are one statement each over every due customer: the rows
# change, the history rows and the outbox's events are written from what the change returned.
# bench/pool.py at 1,000,000 customers: what costs is writing rows, so a warning writes only its
# narrow mark (pool_warnings), not the customers row, and the recycle keeps the month counts
# with one UPDATE per (owner, month) instead of the trigger's one per customer.
_WARN_SQL = f"""
WITH due AS (
    SELECT c.id, c.recycle_due_at FROM customers c LEFT JOIN pool_warnings w ON w.customer_id = c.id
     WHERE c.deleted_at IS NULL AND NOT c.in_pool AND c.recycle_due_at > :now AND c.recycle_due_at <= :horizon
       AND c.recycle_due_at - make_interval(days => coalesce({NOTICE_SQL}, 0)) <= :now
       AND w.warned_for IS DISTINCT FROM c.recycle_due_at
       FOR UPDATE OF c SKIP LOCKED),
marked AS (
    INSERT INTO pool_warnings (customer_id, warned_for) SELECT id, recycle_due_at FROM due
    ON CONFLICT (customer_id) DO UPDATE SET warned_for = EXCLUDED.warned_for
    RETURNING customer_id),
warned AS (
    SELECT c.id, c.name, c.recycle_due_at, c.recycle_reason, c.owner_id, c.department_path, c.branch
      FROM customers c JOIN marked ON marked.customer_id = c.id),
sent AS ({{emit}})
SELECT count(*) FROM warned"""

# The trigger skips the moved rows (MONTH_COUNTS_SETTING); `counted` takes them off their
# previous owner's month counts at once (they were owned and live: `due` says so).
_RECYCLE_SQL = f"""
WITH due AS (
    SELECT c.id, c.owner_id AS previous_owner_id, c.recycle_reason AS because FROM customers c
     WHERE c.deleted_at IS NULL AND NOT c.in_pool AND c.recycle_due_at <= :now
       FOR UPDATE OF c SKIP LOCKED),
moved AS (
    UPDATE customers c SET owner_id = :system, in_pool = true, last_activity_at = :now, locked = false,
           protected_until = NULL, recycle_due_at = NULL, recycle_reason = NULL,
           pool_id = coalesce(c.pool_id, (SELECT id FROM pools WHERE is_default))
      FROM due WHERE c.id = due.id AND c.id = ANY(ARRAY(SELECT id FROM due))  -- by the primary key, not a hash of them all
    RETURNING c.id, c.name, c.department_path, c.branch, due.previous_owner_id, due.because,
              {MONTH.format(r="c")} AS month),
counted AS (
    UPDATE customer_month_counts m SET count = m.count - g.n
      FROM (SELECT branch, department_path, previous_owner_id, month, count(*) AS n FROM moved
             GROUP BY 1, 2, 3, 4) g
     WHERE m.branch = g.branch AND m.department_path = g.department_path
       AND m.owner_id = g.previous_owner_id AND m.month = g.month),
unmarked AS (DELETE FROM pool_warnings w USING moved WHERE w.customer_id = moved.id),
history AS (
    INSERT INTO customer_history (customer_id, kind, actor_id, data, created_at)
    SELECT id, 'recycled', NULL, jsonb_build_object(
               'previous_owner_id', previous_owner_id, 'owner_id', CAST(:system AS text),
               'department_path', department_path, 'in_pool', true, 'because', because), :now
      FROM moved),
sent AS ({{emit}})
SELECT count(*) FROM moved"""


def _warn(uow, now) -> int:
    emit, params = uow.emit_select("customers.recycle_warning", """
        SELECT jsonb_build_object('customer_id', id, 'customer_name', name, 'recycle_at', {at},
                                  'days_left', (CAST(recycle_due_at AT TIME ZONE CAST(:zone AS text) AS date) - CAST(:today AS date)),
                                  'owner_id', owner_id, 'department_path', department_path, 'branch', branch)
          FROM warned""".format(at=_iso("recycle_due_at")))
    # no customer is warned earlier than the longest notice of any rule: the index range of the
    # due dates up to there, not every owned customer with its rule looked up (bench/pool.py)
    notice = uow.session.execute(text("SELECT coalesce(max(notice_days), 0) FROM pool_rules")).scalar()
    return uow.session.execute(text(_WARN_SQL.format(emit=emit)), {
        **params, "now": now, "horizon": now + timedelta(days=notice), "zone": branch_time.zone().key,
        "today": branch_time.today(now, branch_time.zone())}).scalar()


def _recycle(uow, now) -> int:
    emit, params = uow.emit_select("customers.owner_changed", """
        SELECT jsonb_build_object('customer_id', id, 'customer_name', name, 'previous_owner_id', previous_owner_id,
                                  'reason', 'recycled', 'in_pool', true, 'changed_by', CAST(:system AS text),
                                  'owner_id', CAST(:system AS text), 'department_path', department_path,
                                  'branch', branch)
          FROM moved""")
    by_statement = text("SELECT set_config(:name, :value, true)")
    uow.session.execute(by_statement, {"name": MONTH_COUNTS_SETTING, "value": "on"})
    moved = uow.session.execute(text(_RECYCLE_SQL.format(emit=emit)),
                                {**params, "now": now, "system": SYSTEM_USER_ID}).scalar()
    uow.session.execute(by_statement, {"name": MONTH_COUNTS_SETTING, "value": ""})  # the trigger's again
    return moved


def _iso(column: str) -> str:
    """An instant as the events carry it (ISO 8601 with its UTC offset)."""
    return f"to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"+00:00\"')"


def _month_days(today: date) -> dict[int, date]:
    """month*100+day → the next occurrence, for each day of the look-ahead window."""
    days = {}
    for offset in range(LOOKAHEAD_DAYS + 1):
        d = today + timedelta(days=offset)
        days[d.month * 100 + d.day] = d
    return days


def _remind(uow, today: date) -> int:
    window = _month_days(today)
    md = text("((extract(month from {c}) * 100 + extract(day from {c}))::int)")
    sent = 0
    birthdays = uow.session.execute(
        select(Contact, Customer).join(Customer, Customer.id == Contact.customer_id)
        .where(Contact.deleted_at.is_(None), Customer.deleted_at.is_(None), Contact.birthday.is_not(None),
               text(md.text.format(c="contacts.birthday") + " = ANY(:mds)"))
        .params(mds=[k for k, d in window.items() if (d - today).days <= 3])).all()
    for contact, customer in birthdays:
        occurs = window[contact.birthday.month * 100 + contact.birthday.day]
        sent += _send(uow, customer, "birthday", contact.id, contact.id, f"{contact.name} 生日", occurs)
    dates = uow.session.execute(
        select(ImportantDate, Customer).join(Customer, Customer.id == ImportantDate.customer_id)
        .where(Customer.deleted_at.is_(None),
               text(md.text.format(c="important_dates.date") + " = ANY(:mds)"))
        .params(mds=list(window))).all()
    for item, customer in dates:
        occurs = window[item.date.month * 100 + item.date.day]
        if (occurs - today).days <= item.remind_days_before:
            sent += _send(uow, customer, "important_date", item.id, item.contact_id, item.label, occurs)
    return sent


def _send(uow, customer, kind, source_id, contact_id, label, occurs_on) -> int:
    inserted = uow.session.execute(pg_insert(ReminderSent).values(
        source_kind=kind, source_id=source_id, occurs_on=occurs_on)
        .on_conflict_do_nothing().returning(ReminderSent.source_id)).first()
    if inserted is None or customer.in_pool:
        return 0
    uow.emit("customers.important_date_upcoming", {
        "customer_id": customer.id, "customer_name": customer.name, "contact_id": contact_id, "kind": kind,
        "label": label, "occurs_on": occurs_on, "owner_id": customer.owner_id,
        "department_path": customer.department_path, "branch": customer.branch})
    return 1
