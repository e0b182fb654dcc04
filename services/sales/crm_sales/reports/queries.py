"""The sales reports: each one grouped sum over the caller's rollup rows (crm_common.rollups),
scoped by the permission of the records it counts, never a scan of the records themselves."""
from decimal import Decimal

from sqlalchemy import and_, case, func, literal, select

from crm_common import branch_time, field_policy, rollups
from crm_common.errors import NotFound
from crm_common.principal import Principal, scope_filter
from crm_common.validation import load_query
from crm_sales.catalog.models import Product
from crm_sales.db import ROLLUPS as R
from crm_sales.pipeline.models import OpportunityStage
from crm_sales.planning.models import Target
from crm_sales.planning.rules import progress_percent
from crm_sales.reports import rules
from crm_sales.reports.schemas import (AmountsOut, FunnelOut, FunnelQuery, OpportunitiesOut, ProductRankingOut,
                                       ProductRankingQuery, RankingOut, RankingQuery, SalesPeriodQuery,
                                       TargetCompletionOut, TargetCompletionQuery)

ZERO = Decimal("0")
# what each ranking sums, and the permission whose scope says whose figures the caller sees
RANKINGS = {"contract_amount": ("contracts.signed", "contracts.read"), "order_amount": ("orders.sold", "orders.read")}
RANKED_FIELDS = {"contract_amount": "contract.amount", "order_amount": "order.total"}  # field permissions


def _conditions(principal, permission, metrics, q):
    return [*rollups.scoped(R, principal, permission, metrics, q), R.c.currency == q["currency"]]


def funnel(uow, principal: Principal, query) -> dict:
    """Open opportunities by stage now (count, expected and weighted amounts), every open stage
    shown in its order, empty ones too."""
    principal.require("opportunities.read")
    q = load_query(FunnelQuery(), query)
    with uow:
        s = uow.session
        figures = {row.key: row for row in rollups.grouped(
            s, R, _conditions(principal, "opportunities.read", ["pipeline"], q), [R.c.key],
            ("count", "amount", "weighted"))}
        stages = s.execute(select(OpportunityStage).where(OpportunityStage.outcome == "open")
                           .order_by(OpportunityStage.position, OpportunityStage.name)).scalars().all()
        out = []
        for stage in stages:
            row = figures.pop(stage.id, None)
            if row is None and not stage.active:
                continue  # a retired stage with nothing left in it
            out.append({"stage_id": stage.id, "name": stage.name, "position": stage.position,
                        "probability": stage.probability, "count": row.count if row else 0,
                        "amount": row.amount if row else ZERO, "weighted": row.weighted if row else ZERO})
        totals = {name: sum((item[name] for item in out), ZERO) for name in ("amount", "weighted")}
        return FunnelOut().dump({"currency": q["currency"], "stages": out,
                                 "totals": {"count": sum(item["count"] for item in out), **totals}})


def _by_period(s, principal, permission, metrics, q, keyed=False):
    period = rollups.bucket(R, q["period"]).label("period")
    by = [period, R.c.metric] + ([R.c.key] if keyed else [])
    return rollups.grouped(s, R, _conditions(principal, permission, metrics, q), by, order=[period])


def opportunities(uow, principal: Principal, query) -> dict:
    """New opportunities, won and lost ones, win rate and average deal cycle, per period."""
    principal.require("opportunities.read")
    q = load_query(SalesPeriodQuery(), query)
    with uow:
        rows = _by_period(uow.session, principal, "opportunities.read",
                          ["opportunities.created", "opportunities.closed"], q, keyed=True)
    periods: dict = {}
    for row in rows:
        item = periods.setdefault(row.period, _opportunity_figures())
        if row.metric == "opportunities.created":
            item["created"] += row.count
            item["created_amount"] += row.amount
        elif row.key == "won":
            item["won"] += row.count
            item["won_amount"] += row.amount
            item["won_days"] += row.days
        else:
            item["lost"] += row.count
    totals = _opportunity_figures()
    for item in periods.values():
        for name in totals:
            totals[name] += item[name]
    items = [{"period": p, **_finish(item)} for p, item in sorted(periods.items())]
    return OpportunitiesOut().dump({"period": q["period"], "zone": branch_time.zone().key, "currency": q["currency"],
                                    "items": items, "totals": _finish(totals)})


def _opportunity_figures() -> dict:
    return {"created": 0, "created_amount": ZERO, "won": 0, "won_amount": ZERO, "lost": 0, "won_days": ZERO}


def _finish(item: dict) -> dict:
    return {**item, "win_rate": rules.win_rate(item["won"], item["lost"]),
            "average_cycle_days": rules.average(item["won_days"], item["won"])}


def amounts(uow, principal: Principal, query) -> dict:
    """Signed contracts and approved sales orders per period, each within its own scope."""
    q = load_query(SalesPeriodQuery(), query)
    periods: dict = {}
    readable = [(metric, permission) for metric, permission in RANKINGS.values() if principal.has(permission)]
    if not readable:
        principal.require("orders.read")
    with uow:
        for metric, permission in readable:
            for row in _by_period(uow.session, principal, permission, [metric], q):
                item = periods.setdefault(row.period, {"contracts": 0, "contract_amount": ZERO, "orders": 0,
                                                       "order_amount": ZERO})
                prefix = "contract" if metric == "contracts.signed" else "order"
                item[f"{prefix}s"] += row.count
                item[f"{prefix}_amount"] += row.amount
    totals = {"contracts": 0, "contract_amount": ZERO, "orders": 0, "order_amount": ZERO}
    for item in periods.values():
        for name in totals:
            totals[name] += item[name]
    return AmountsOut().dump({"period": q["period"], "zone": branch_time.zone().key, "currency": q["currency"],
                              "items": [{"period": p, **item} for p, item in sorted(periods.items())],
                              "totals": totals})


def ranking(uow, principal: Principal, query) -> dict:
    """Owners by signed contract amount or approved sales amount, highest first."""
    q = load_query(RankingQuery(), query)
    metric, permission = RANKINGS[q["by"]]
    principal.require(permission)
    with uow:
        rows = rollups.grouped(uow.session, R, _conditions(principal, permission, [metric], q), [R.c.owner_id],
                               ("count", "amount"), order=[func.sum(R.c.amount).desc(), R.c.owner_id],
                               limit=q["limit"])
    answer = RankingOut().dump({"by": q["by"], "currency": q["currency"], "items": [
        {"rank": i, "owner_id": row.owner_id, "count": row.count, "amount": row.amount}
        for i, row in enumerate(rows, 1)]})
    # the amounts are the contracts' or the orders' as asked: shaped by that field's rules
    field_policy.shape_figures(principal.field_rules, answer["items"], {"amount": RANKED_FIELDS[q["by"]]})
    return answer


def products(uow, principal: Principal, query) -> dict:
    """Products by amount sold on approved sales orders, highest first."""
    principal.require("orders.read")
    q = load_query(ProductRankingQuery(), query)
    with uow:
        s = uow.session
        rows = rollups.grouped(s, R, _conditions(principal, "orders.read", ["products.sold"], q), [R.c.key],
                               ("count", "amount", "quantity"), order=[func.sum(R.c.amount).desc(), R.c.key],
                               limit=q["limit"])
        names = {p.id: p for p in s.execute(select(Product).where(Product.id.in_([r.key for r in rows]))).scalars()}
    return ProductRankingOut().dump({"currency": q["currency"], "items": [
        {"rank": i, "product_id": row.key, "code": getattr(names.get(row.key), "code", None),
         "name": getattr(names.get(row.key), "name", None), "lines": row.count, "quantity": row.quantity,
         "amount": row.amount} for i, row in enumerate(rows, 1)]})


def targets(uow, principal: Principal, query) -> dict:
    """Each target of the period in the caller's scope with what its subject sold in it: a rep's
    own approved sales, or the department subtree's (the same rule as a target's progress)."""
    principal.require("orders.read")
    q = load_query(TargetCompletionQuery(), query)
    subject_rows = case(
        (Target.subject == "user", R.c.owner_id == Target.owner_id),
        else_=func.starts_with(R.c.department_path, Target.department_path))
    # a target's period is whole months: the month rows
    sold = and_(R.c.metric == "orders.sold", R.c.grain == "month", R.c.currency == Target.currency, R.c.branch == Target.branch,
                R.c.day >= Target.starts_on, R.c.day < Target.ends_on, subject_rows)
    stmt = (select(Target, func.coalesce(func.sum(R.c.amount), literal(0)).label("achieved"))
            .outerjoin(R, sold).where(scope_filter(principal, Target), Target.period == q["period"])
            .group_by(Target.id).order_by(Target.subject, Target.department_path, Target.owner_id).limit(500))
    if q["subject"]:
        stmt = stmt.where(Target.subject == q["subject"])
    if q["owner_id"]:
        stmt = stmt.where(Target.owner_id == str(q["owner_id"]))
    if q["department_path"]:
        stmt = stmt.where(Target.department_path.startswith(q["department_path"], autoescape=True))
    with uow:
        rows = uow.session.execute(stmt).all()
    return TargetCompletionOut().dump({"period": q["period"], "items": [
        {"target_id": t.id, "subject": t.subject, "owner_id": t.owner_id, "department_path": t.department_path,
         "period": t.period, "currency": t.currency, "amount": t.amount, "achieved": achieved,
         "progress_percent": progress_percent(Decimal(achieved), t.amount)} for t, achieved in rows]})


# --- exports: each report as the one page of an export (crm_common.exports' shape) ----------------

EXPORTS = {
    "funnel": (funnel, "stages", [("name", "阶段", "text"), ("count", "商机数", "number"),
                                  ("amount", "预计金额", "money"), ("weighted", "加权金额", "money")]),
    "opportunities": (opportunities, "items", [
        ("period", "期间", "date"), ("created", "新增商机", "number"), ("created_amount", "新增金额", "money"),
        ("won", "赢单", "number"), ("won_amount", "赢单金额", "money"), ("lost", "输单", "number"),
        ("win_rate", "赢率(%)", "number"), ("average_cycle_days", "平均成交周期(天)", "number")]),
    "amounts": (amounts, "items", [
        ("period", "期间", "date"), ("contracts", "合同数", "number"), ("contract_amount", "合同金额", "money"),
        ("orders", "订单数", "number"), ("order_amount", "订单金额", "money")]),
    "rankings": (ranking, "items", [("rank", "排名", "number"), ("owner_id", "负责人", "user"),
                                    ("count", "单数", "number"), ("amount", "金额", "money")]),
    "products": (products, "items", [
        ("rank", "排名", "number"), ("code", "产品编码", "text"), ("name", "产品名称", "text"),
        ("quantity", "数量", "number"), ("amount", "金额", "money")]),
    "targets": (targets, "items", [
        ("subject", "对象", "text"), ("owner_id", "负责人", "user"), ("department_path", "部门", "text"),
        ("period", "期间", "text"), ("amount", "目标金额", "money"), ("achieved", "完成金额", "money"),
        ("progress_percent", "完成率(%)", "number")]),
}


SCHEMAS = {"funnel": FunnelOut, "opportunities": OpportunitiesOut, "amounts": AmountsOut, "rankings": RankingOut,
           "products": ProductRankingOut, "targets": TargetCompletionOut}


def export(uow, principal: Principal, name: str, query, cursor=None) -> dict:
    if name not in EXPORTS:
        raise NotFound("No such report")
    report, rows_key, columns = EXPORTS[name]
    query = {k: v for k, v in (query or {}).items() if k != "format"}
    return rollups.export_page(report(uow, principal, query), columns, rows_key, schema=SCHEMAS[name],
                               field_rules=principal.field_rules)
