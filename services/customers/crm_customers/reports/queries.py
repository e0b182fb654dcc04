"""Customer statistics (CUS-09), always over the caller's scope only."""
from sqlalchemy import func, select

from crm_common import branch_time
from crm_common.principal import Principal, scope_filter
from crm_common.validation import load_query
from crm_customers.customers.models import ROLLUP_ZONE, Customer, MonthlyCount
from crm_customers.customers.queries import apply_filters, split_custom, visible
from crm_customers.customers.schemas import CustomerFilters
from crm_customers.reports.schemas import StatisticsOut, StatisticsQuery

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
