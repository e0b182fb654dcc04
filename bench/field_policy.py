"""What field permissions cost a customer list (issue 17): `.venv/bin/python bench/field_policy.py`.

In-process, no broker or database: a page of 50 customers (every CustomerOut field filled, two
phones each) is dumped by `CustomerOut.shared(many=True)` through an entrypoint decorated like
every service RPC (crm_common.rpc), once for a caller without field rules and once for a caller
whose roles mask the phone and the e-mail in lists and hide the notes and the ID number. The
baseline, measured in the same run, is the same dump called directly. Figures are medians of
BENCH_ROUNDS rounds of BENCH_LOOPS calls, in CPU time of this process (a shared machine makes wall
clock mostly waiting for a core); the ratios are what to read.
"""
import os
import statistics
import sys
import time
import uuid
from datetime import date, datetime, timezone
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "common"))
os.environ.setdefault("CRM_SECRET_KEY", "bench-only")

from crm_common.api_contract import api  # noqa: E402
from crm_common.rpc import rpc  # noqa: E402
from crm_common.testing import make_principal  # noqa: E402
from crm_customers.customers.schemas import CustomerListQuery, CustomerOut  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "7"))
LOOPS = int(os.environ.get("BENCH_LOOPS", "300"))
RULES = {"customer.phone": {"access": "read_only", "mask": "list"},
         "customer.email": {"access": "read_only", "mask": "list"},
         "customer.notes": {"access": "hidden", "mask": "none"},
         "customer.id_number": {"access": "hidden", "mask": "none"}}


def _row(i: int):
    now = datetime(2026, 3, 1, 8, 0, tzinfo=timezone.utc)
    return SimpleNamespace(
        id=str(uuid.uuid4()), code=f"C-HQ-2026-{i:06d}", kind="company", name=f"上海天马贸易有限公司{i}",
        short_name="天马", industry="贸易", source="展会", value_level="A", province="上海", city="上海",
        district="浦东", address="浦东新区世纪大道 100 号", phone="13812345678",
        phones=[{"kind": "mobile", "number": "13812345678", "extension": None, "typed": "138 1234 5678"},
                {"kind": "landline", "number": "02188886666", "extension": "8", "typed": "021-88886666"}],
        email="zhang.san@example.com", website="https://tianma.example.com", credit_code="91310000MA1FL8XQ3X",
        organization_code="MA1FL8XQ3", registered_address="上海", legal_representative="张三", id_number=None,
        birthday=date(1980, 1, 1), status="customer", tags=["vip", "new"], notes="备注", owner_id=str(uuid.uuid4()),
        department_path="/d1/", branch="HQ", group_path="华东/上海", stage=None, custom={"level": 3},
        in_pool=False, last_activity_at=now, protected_until=None, recycle_due_at=now, created_at=now,
        updated_at=now, starred=False)


ROWS = [_row(i) for i in range(50)]


def _list(self, query):
    return {"items": CustomerOut.shared(many=True).dump(ROWS), "next_cursor": None}


entrypoint = rpc(api(query=CustomerListQuery, returns=CustomerOut, page=True)(_list))


def _time(call) -> float:
    runs = []
    for _ in range(ROUNDS):
        start = time.process_time()  # CPU time: the machine is shared, waiting for a core is not the cost
        for _ in range(LOOPS):
            call()
        runs.append((time.process_time() - start) / LOOPS * 1e6)
    return statistics.median(runs)


def main():
    plain = SimpleNamespace(principal=make_principal(permissions={"customers.read"}))
    ruled = SimpleNamespace(principal=make_principal(permissions={"customers.read"}, fields=RULES))
    shaped = entrypoint(ruled, {})["items"][0]
    assert shaped["phone"] == "138****5678" and "notes" not in shaped  # the bench measures the real thing
    assert entrypoint(plain, {})["items"][0]["phone"] == "13812345678"
    cells = [("baseline: the dump called directly", lambda: _list(None, {})),
             ("entrypoint, caller without field rules", lambda: entrypoint(plain, {})),
             ("entrypoint, caller with 4 field rules", lambda: entrypoint(ruled, {}))]
    # interleaved, so that a load spike touches every cell alike
    figures = {name: [] for name, _ in cells}
    for _ in range(3):
        for name, call in cells:
            figures[name].append(_time(call))
    base = statistics.median(figures[cells[0][0]])
    print(f"# field permissions bench: a page of 50 customers, {ROUNDS} x {LOOPS} calls per cell, 3 rounds; "
          f"load average {os.getloadavg()[0]:.2f}")
    print(f"{'cell':45} {'CPU µs/page':>12} {'ratio':>7}")
    for name, _ in cells:
        value = statistics.median(figures[name])
        print(f"{name:45} {value:12.1f} {value / base:7.3f}")


if __name__ == "__main__":
    main()
