"""The pool settings and the scheduled jobs that run by them (CUS-07, CUS-08): recycle warnings,
recycling to the pool, date reminders.

Safe with several replicas and re-runs: one transaction-scoped advisory lock per run (a replica
that does not get it skips the run), rows locked with SKIP LOCKED, and every effect recorded
(`recycle_warned_for`, `reminders_sent`) so a re-run emits nothing twice. `now` is a parameter
so tests and operators can run the jobs for a given moment without waiting for the timer.
"""
from datetime import date, datetime, timedelta

from sqlalchemy import select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert

from crm_common.branch_time import days_until, zone
from crm_common.principal import SYSTEM_USER_ID, Principal
from crm_common import branch_time
from crm_common.records import utcnow
from crm_common.validation import load_body
from crm_customers.aftersales.models import ImportantDate
from crm_customers.contacts.models import Contact
from crm_customers.customers.models import Customer
from crm_customers.customers.use_cases import NOTICE_SQL, refresh_due
from crm_customers.pool.models import PoolSettings, RecycleRule, ReminderSent
from crm_customers.pool.queries import settings_out
from crm_customers.pool.schemas import PoolSettingsIn, RunJobsIn, RunJobsOut
from crm_customers.pool.use_cases.ownership import change_owner

LOCK_KEY = 7_303_001  # pg advisory lock id of this job
BATCH = 500
LOOKAHEAD_DAYS = 60  # the largest remind_days_before accepted


def update_settings(uow, principal: Principal, payload) -> dict:
    principal.require("customers.admin")
    data = load_body(PoolSettingsIn(), payload)
    with uow:
        if "daily_claim_limit" in data:
            uow.session.get(PoolSettings, 1, with_for_update=True).daily_claim_limit = data["daily_claim_limit"]
        if "rules" in data:  # the list replaces every rule
            uow.session.execute(text("DELETE FROM recycle_rules"))
            for rule in data["rules"]:
                uow.session.add(RecycleRule(**rule))
            uow.session.flush()
            refresh_due(uow.session)
        return settings_out(uow.session)


def run_now(uow_factory, principal: Principal, payload) -> dict:
    principal.require("customers.admin")
    now = load_body(RunJobsIn(), payload or {})["now"] or utcnow()
    return RunJobsOut().dump(run(uow_factory, now))


def run(uow_factory, now: datetime) -> dict:
    result = {"warned": 0, "recycled": 0, "reminders": 0, "skipped": False}
    with uow_factory() as uow:
        if not uow.session.execute(text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": LOCK_KEY}).scalar():
            result["skipped"] = True  # another replica is running it right now
            return result
        result["warned"] = _warn(uow, now)
        result["recycled"] = _recycle(uow, now)
        result["reminders"] = _remind(uow, branch_time.today(now, branch_time.zone()))
    return result


def _warn(uow, now) -> int:
    rows = uow.session.execute(text(f"""
        SELECT c.id FROM customers c
         WHERE c.deleted_at IS NULL AND NOT c.in_pool AND c.recycle_due_at > :now
           AND c.recycle_due_at <= :horizon
           AND c.recycle_due_at - make_interval(days => coalesce({NOTICE_SQL}, 0)) <= :now
           AND c.recycle_warned_for IS DISTINCT FROM c.recycle_due_at
         ORDER BY c.recycle_due_at LIMIT :n FOR UPDATE SKIP LOCKED"""),
        {"now": now, "horizon": now + timedelta(days=366), "n": BATCH}).scalars().all()
    for customer in uow.session.execute(select(Customer).where(Customer.id.in_(rows))).scalars():
        customer.recycle_warned_for = customer.recycle_due_at
        uow.emit("customers.recycle_warning", {
            "customer_id": customer.id, "customer_name": customer.name, "recycle_at": customer.recycle_due_at,
            "days_left": days_until(customer.recycle_due_at, now, zone()),
            "owner_id": customer.owner_id, "department_path": customer.department_path,
            "branch": customer.branch})
    return len(rows)


def _recycle(uow, now) -> int:
    due = uow.session.execute(
        select(Customer).where(Customer.deleted_at.is_(None), Customer.in_pool.is_(False),
                               Customer.recycle_due_at <= now)
        .order_by(Customer.recycle_due_at).limit(BATCH).with_for_update(skip_locked=True)).scalars().all()
    for customer in due:
        change_owner(uow, customer, owner_id=SYSTEM_USER_ID, department_path=customer.department_path,
                               branch=customer.branch, reason="recycled", actor_id=None, in_pool=True)
    return len(due)


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
