"""What sales events add to the report rollups: pure, one function per event.

Metrics (docs/reports.md):
- `pipeline` (standing, key = stage): open opportunities, their expected and weighted amounts;
- `opportunities.created` (creation day): new opportunities and their expected amount;
- `opportunities.closed` (closing day, key = won | lost): closed ones, their amount, and the days
  from creation to closing (the deal cycle, for won ones);
- `orders.sold` (approval day): approved sales orders (samples are not sales) and their total;
- `products.sold` (approval day, key = product): lines, quantity and amount sold;
- `contracts.signed` (signing day): contracts that became active and their amount.
"""
from datetime import datetime
from decimal import Decimal

from crm_common.report_figures import STANDING, Delta, local_day, net

HUNDRED = Decimal("100")


def _pipeline(facts: dict, sign: int) -> list[Delta]:
    if facts is None or facts["status"] != "open":
        return []
    amount = Decimal(facts["expected_amount"])
    weighted = (amount * Decimal(facts["probability"]) / HUNDRED).quantize(Decimal("0.01"))
    return [Delta("pipeline", STANDING, facts["owner_id"], facts["department_path"], facts["branch"],
                  key=facts["stage_id"], currency=facts["currency"], count=sign, amount=sign * amount,
                  weighted=sign * weighted)]


def cycle_days(created_at: datetime, closed_at: datetime) -> int:
    """Branch days from creation to closing: opened at 23:30 UTC (07:30 the next day in Beijing)
    and won that Beijing afternoon is 0 days."""
    return (local_day(closed_at) - local_day(created_at)).days


def opportunity_changed(data: dict) -> list[Delta]:
    before, after = data["before"], data["after"]
    deltas = [*_pipeline(before, -1), *_pipeline(after, +1)]
    if before is None:
        deltas.append(Delta("opportunities.created", local_day(data["created_at"]), after["owner_id"],
                            after["department_path"], after["branch"], currency=after["currency"], count=1,
                            amount=Decimal(after["expected_amount"])))
    if (before is None or before["status"] == "open") and after["status"] in ("won", "lost"):
        days = cycle_days(data["created_at"], data["changed_at"])
        deltas.append(Delta("opportunities.closed", local_day(data["changed_at"]), after["owner_id"],
                            after["department_path"], after["branch"], key=after["status"],
                            currency=after["currency"], count=1, amount=Decimal(after["expected_amount"]),
                            days=Decimal(days)))
    return net(deltas)


def order_approved(data: dict, occurred_at: datetime) -> list[Delta]:
    if (data.get("order_type") or "sale") != "sale":
        return []
    day = local_day(data.get("approved_at") or occurred_at)
    scope = (data["owner_id"], data["department_path"], data["branch"])
    deltas = [Delta("orders.sold", day, *scope, currency=data["currency"], count=1, amount=Decimal(data["total"]))]
    deltas += [Delta("products.sold", day, *scope, key=line["product_id"], currency=data["currency"], count=1,
                     amount=Decimal(line["amount"]), quantity=Decimal(line["quantity"])) for line in data["lines"]]
    return net(deltas)


def contract_signed(data: dict) -> list[Delta]:
    return [Delta("contracts.signed", local_day(data["signed_at"]), data["owner_id"], data["department_path"],
                  data["branch"], currency=data["currency"], count=1, amount=Decimal(data["amount"]))]


def win_rate(won: int, lost: int) -> Decimal | None:
    """Won among the closed, in percent to two places; None when nothing closed."""
    closed = won + lost
    return (Decimal(won) * HUNDRED / closed).quantize(Decimal("0.01")) if closed else None


def average(total, count: int) -> Decimal | None:
    return (Decimal(total) / count).quantize(Decimal("0.1")) if count else None
