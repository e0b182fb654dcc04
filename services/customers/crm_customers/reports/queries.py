"""Customer statistics (CUS-09), always over the caller's scope only."""
from decimal import Decimal

from sqlalchemy import func, select

from crm_common import branch_time, rollups
from crm_common.errors import NotFound
from crm_common.principal import SYSTEM_USER_ID, Principal, scope_filter
from crm_common.rollups import PeriodQuery
from crm_common.validation import load_query
from crm_customers.customers.models import ROLLUP_ZONE, Customer, MonthlyCount
from crm_customers.customers.queries import apply_filters, split_custom, visible
from crm_customers.customers.schemas import CustomerFilters
from crm_customers.db import ROLLUPS as R
from crm_customers.reports import rules as report_rules
from crm_customers.reports.schemas import (CustomerRankingOut, CustomerRankingQuery, FollowUpsOut, LeadsOut,
                                           StatisticsOut, StatisticsQuery)

DIMENSIONS = {"value_level": (Customer.value_level,), "source": (Customer.source,),
              "industry": (Customer.industry,), "status": (Customer.status,),
              "region": (Customer.province, Customer.city)}
PERIODS = ("month", "quarter", "year")


def count(uow, principal: Principal, query) -> dict:
    principal.require("customers.read")
    plain, custom = split_custom(query)
    q = load_query(StatisticsQuery(), plain)
    filters = {k: v for k, v in q.items() if k in CustomerFilters().fields}
    base = visible(principal).with_only_columns(func.count().label("count"))
    if q["since"]:
        base = base.where(Customer.created_at >= q["since"])
    if q["until"]:
        base = base.where(Customer.created_at < q["until"])
    with uow:
        zone = branch_time.zone().key
        # the rollup's months are Beijing's (its trigger's zone): another branch zone counts live
        if q["by"] in PERIODS and not (filters or custom or q["since"] or q["until"]) and zone == ROLLUP_ZONE:
            return _trend_from_rollup(uow.session, principal, q["by"])
        base = apply_filters(uow.session, base, filters, custom)
        if q["by"] in PERIODS:
            # bucket in the branch's time: "new customers in March" means March in Beijing
            bucket = func.date_trunc(q["by"], func.timezone(zone, Customer.created_at))
            stmt = base.add_columns(bucket.label("key")).group_by(bucket).order_by(bucket)
            rows = uow.session.execute(stmt).all()
            return StatisticsOut().dump({"by": q["by"], "items": [{"period": r.key.date(), "count": r.count}
                                                                  for r in rows]})
        columns = DIMENSIONS[q["by"]]
        stmt = base.add_columns(*columns).group_by(*columns).order_by(func.count().desc())
        rows = uow.session.execute(stmt).all()
        items = [{"key": "/".join(str(getattr(r, c.key) or "") for c in columns) or None, "count": r.count}
                 for r in rows]
        return StatisticsOut().dump({"by": q["by"], "items": items})


def _trend_from_rollup(session, principal: Principal, period: str) -> dict:
    """The unfiltered trend from customer_month_counts (same scope rule, a few thousand rows)."""
    bucket = func.date_trunc(period, MonthlyCount.month)
    total = func.sum(MonthlyCount.count)
    rows = session.execute(select(bucket.label("key"), total.label("count"))
                           .where(scope_filter(principal, MonthlyCount)).group_by(bucket)
                           .having(total > 0).order_by(bucket)).all()
    return StatisticsOut().dump({"by": period, "items": [{"period": r.key.date(), "count": r.count} for r in rows]})


# --- the report pack (issue 17): sums over the rollups kept from customers' events ----------------

def follow_ups(uow, principal: Principal, query) -> dict:
    """Follow-ups per period and method (跟进方式), counted for their authors within the scope."""
    principal.require("customers.read")
    q = load_query(PeriodQuery(), query)
    period = rollups.bucket(R, q["period"]).label("period")
    with uow:
        rows = rollups.grouped(uow.session, R, rollups.scoped(R, principal, "customers.read", ["follow_ups"], q),
                               [period, R.c.key], ("count",), order=[period, R.c.key])
    totals: dict = {}
    for row in rows:
        totals[row.key] = totals.get(row.key, 0) + row.count
    return FollowUpsOut().dump({"period": q["period"], "zone": branch_time.zone().key, "totals": totals,
                                "items": [{"period": r.period, "method": r.key, "count": r.count} for r in rows]})


LEAD_METRICS = {"leads.created": "leads", "leads.converted": "converted", "pool.in": "pool_in",
                "pool.out": "pool_out"}


def leads(uow, principal: Principal, query) -> dict:
    """New leads, conversions (rate and days), and customers into and out of the pool per period."""
    principal.require("customers.read")
    q = load_query(PeriodQuery(), query)
    period = rollups.bucket(R, q["period"]).label("period")
    with uow:
        rows = rollups.grouped(uow.session, R, rollups.scoped(R, principal, "customers.read", list(LEAD_METRICS), q),
                               [period, R.c.metric], ("count", "days"), order=[period])
    periods: dict = {}
    for row in rows:
        item = periods.setdefault(row.period, _lead_figures())
        item[LEAD_METRICS[row.metric]] += row.count
        if row.metric == "leads.converted":
            item["days"] += row.days
    totals = _lead_figures()
    for item in periods.values():
        for name in totals:
            totals[name] += item[name]
    return LeadsOut().dump({"period": q["period"], "zone": branch_time.zone().key,
                            "items": [{"period": p, **_rates(item)} for p, item in sorted(periods.items())],
                            "totals": _rates(totals)})


def _lead_figures() -> dict:
    return {"leads": 0, "converted": 0, "pool_in": 0, "pool_out": 0, "days": 0}


def _rates(item: dict) -> dict:
    return {**item, "conversion_rate": report_rules.conversion_rate(item["converted"], item["leads"]),
            "average_conversion_days": (Decimal(item["days"]) / item["converted"]).quantize(Decimal("0.1"))
            if item["converted"] else None}


def ranking(uow, principal: Principal, query) -> dict:
    """Owners by new customers (the creation-month rollup, live customers, as the trend counts
    them) or by follow-ups written, highest first."""
    principal.require("customers.read")
    q = load_query(CustomerRankingQuery(), query)
    with uow:
        if q["by"] == "follow_ups":
            rows = rollups.grouped(uow.session, R, rollups.scoped(R, principal, "customers.read", ["follow_ups"], q),
                                   [R.c.owner_id], ("count",), order=[func.sum(R.c.count).desc(), R.c.owner_id],
                                   limit=q["limit"])
        else:
            total = func.sum(MonthlyCount.count)
            stmt = (select(MonthlyCount.owner_id, total.label("count"))
                    .where(scope_filter(principal, MonthlyCount, "customers.read"),
                           MonthlyCount.owner_id != SYSTEM_USER_ID)
                    .group_by(MonthlyCount.owner_id).having(total > 0)
                    .order_by(total.desc(), MonthlyCount.owner_id).limit(q["limit"]))
            if q["since"]:  # the rollup is by month: a month counts when it starts within the days
                stmt = stmt.where(MonthlyCount.month >= q["since"])
            if q["until"]:
                stmt = stmt.where(MonthlyCount.month <= q["until"])
            if q["owner_id"]:
                stmt = stmt.where(MonthlyCount.owner_id == str(q["owner_id"]))
            if q["department_path"]:
                stmt = stmt.where(MonthlyCount.department_path.startswith(q["department_path"], autoescape=True))
            rows = uow.session.execute(stmt).all()
    return CustomerRankingOut().dump({"by": q["by"], "items": [
        {"rank": i, "owner_id": row.owner_id, "count": row.count} for i, row in enumerate(rows, 1)]})


EXPORTS = {
    "follow_ups": (follow_ups, [("period", "期间", "date"), ("method", "跟进方式", "text"), ("count", "次数", "number")]),
    "leads": (leads, [("period", "期间", "date"), ("leads", "新增线索", "number"), ("converted", "转化", "number"),
                      ("conversion_rate", "转化率(%)", "number"), ("pool_in", "进入公海", "number"),
                      ("pool_out", "领取/分配出公海", "number")]),
    "customer_ranking": (ranking, [("rank", "排名", "number"), ("owner_id", "负责人", "user"),
                                   ("count", "数量", "number")]),
}


def export(uow, principal: Principal, name: str, query) -> dict:
    if name not in EXPORTS:
        raise NotFound("No such report")
    report, columns = EXPORTS[name]
    return rollups.export_page(report(uow, principal, {k: v for k, v in (query or {}).items() if k != "format"}),
                               columns)
