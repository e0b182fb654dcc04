"""Reads of the exchange: an import job's progress and errors, and the pages of the exports of
customers, contacts and follow-ups / visit reports (CUS-12). The gateway walks the pages and
writes the file; every page is scoped and filtered like the list it exports.

The customer export's columns are the import's (with Chinese headers, which the import also
reads), so an export can be edited and imported back (upsert by code).
"""
from datetime import timedelta

from sqlalchemy import select

from crm_common import branch_time, exports, teams
from crm_common.errors import NotFound
from crm_common.exports import Column
from crm_common.principal import Principal
from crm_common.records import is_uuid
from crm_common.validation import load_query
from crm_customers.contacts.models import Contact
from crm_customers.customers.models import Customer
from crm_customers.customers.queries import READ, TEAM_KIND, apply_filters, split_custom, unscoped, visible
from crm_customers.db import TEAM
from crm_customers.exchange.models import ImportJob
from crm_customers.exchange.rules import HEADERS, READ_ONLY_HEADERS
from crm_customers.exchange.schemas import (ContactExportQuery, CustomerExportQuery, ImportJobOut,
                                            InteractionExportQuery)
from crm_customers.fields.queries import definitions
from crm_customers.interactions.models import Interaction

PERMISSION = "customers.import"
EXPORT = "customers.export"
COLUMNS = tuple(HEADERS)
_CUSTOMER = (*(Column(key, label, getattr(Customer, key)) for key, label in HEADERS.items()),
             Column("status", READ_ONLY_HEADERS["status"], Customer.status),
             Column("owner_id", READ_ONLY_HEADERS["owner_id"], Customer.owner_id, "user"),
             Column("created_at", READ_ONLY_HEADERS["created_at"], Customer.created_at))


def _by_customer(customers) -> tuple[Column, ...]:
    return (Column("customer_code", "客户编号", customers.c.code), Column("customer_name", "客户名称", customers.c.name))


_CONTACT = (*(Column(key, label, getattr(Contact, key)) for key, label in (
    ("name", "姓名"), ("title", "职务"), ("department", "部门"), ("mobile", "手机"), ("phone", "电话"),
    ("email", "邮箱"), ("birthday", "生日"), ("is_key_member", "重要成员"), ("decision_role", "决策角色"),
    ("created_at", "创建时间"))),)
_INTERACTION = (Column("kind", "方式", Interaction.kind), Column("occurred_at", "时间", Interaction.occurred_at),
                Column("contact_name", "联系人", Contact.name), Column("summary", "内容", Interaction.summary),
                Column("next_step", "下一步", Interaction.next_step),
                Column("next_followup_on", "下次跟进日期", Interaction.next_followup_on),
                Column("author_id", "记录人", Interaction.author_id, "user"),
                Column("created_at", "创建时间", Interaction.created_at))


def own_job(session, principal, job_id, for_update=False) -> ImportJob:
    """The caller's own import job; anyone else's answers 404 like a missing one."""
    job = session.get(ImportJob, str(job_id), with_for_update=for_update) if is_uuid(job_id) else None
    if job is None or job.principal["user_id"] != principal.user_id:
        raise NotFound("Import job not found")
    return job


def get(uow, principal: Principal, job_id) -> dict:
    principal.require(PERMISSION)
    with uow:
        return ImportJobOut().dump(own_job(uow.session, principal, job_id))


def import_columns(uow, principal: Principal) -> dict:
    """The template's header: every import column in Chinese, then the custom fields."""
    principal.require(PERMISSION)
    with uow:
        custom = sorted(definitions(uow.session, "customer"))
    return {"headers": [*HEADERS.values(), *(f"cf.{key}" for key in custom)]}


def export_customers(uow, principal: Principal, query, cursor) -> dict:
    principal.require(EXPORT)
    plain, custom = split_custom(query)
    q = load_query(CustomerExportQuery(), plain)
    q.pop("format")
    with uow:
        # the list's shape (customers.queries.list_): the scope and the memberships walked apart
        halves = teams.either(principal, Customer, TEAM, TEAM_KIND, READ)
        stmt = apply_filters(uow.session, unscoped() if halves else visible(principal), q, custom)
        custom_columns = tuple(Column(f"cf.{key}", f"cf.{key}", Customer.custom[key])
                               for key in sorted(definitions(uow.session, "customer")))
        return exports.page(uow.session, stmt, Customer, _CUSTOMER + custom_columns, cursor,
                            resource="customer", field_rules=principal.field_rules, either=halves)


def _of_visible_customers(principal: Principal, model):
    """(`model` rows of the customers the caller sees in lists, the customer's code and name columns)."""
    customers = visible(principal).with_only_columns(Customer.id, Customer.code, Customer.name).subquery()
    return select(model).join(customers, customers.c.id == model.customer_id), _by_customer(customers)


def export_contacts(uow, principal: Principal, query, cursor) -> dict:
    principal.require(EXPORT)
    q = load_query(ContactExportQuery(), query)
    stmt, by_customer = _of_visible_customers(principal, Contact)
    stmt = stmt.where(Contact.deleted_at.is_(None))
    if "customer_id" in q:
        stmt = stmt.where(Contact.customer_id == str(q["customer_id"]))
    if "name" in q:
        stmt = stmt.where(Contact.name.contains(q["name"], autoescape=True))
    for field in ("is_key_member", "decision_role"):
        if field in q:
            stmt = stmt.where(getattr(Contact, field) == q[field])
    with uow:
        return exports.page(uow.session, stmt, Contact, by_customer + _CONTACT, cursor,
                            resource="contact", field_rules=principal.field_rules)


def export_interactions(uow, principal: Principal, query, cursor) -> dict:
    principal.require(EXPORT)
    q = load_query(InteractionExportQuery(), query)
    stmt, by_customer = _of_visible_customers(principal, Interaction)
    stmt = stmt.outerjoin(Contact, Contact.id == Interaction.contact_id)
    for field in ("customer_id", "author_id"):
        if field in q:
            stmt = stmt.where(getattr(Interaction, field) == str(q[field]))
    if "kind" in q:
        stmt = stmt.where(Interaction.kind == q["kind"])
    zone = branch_time.zone()
    if "since" in q:
        stmt = stmt.where(Interaction.occurred_at >= branch_time.end_of_day(q["since"] - timedelta(days=1), zone))
    if "until" in q:
        stmt = stmt.where(Interaction.occurred_at < branch_time.end_of_day(q["until"], zone))
    with uow:
        return exports.page(uow.session, stmt, Interaction, by_customer + _INTERACTION, cursor)
