"""Starting suites for the tests: the session suite's first settled day and its clock file, and
two branches behind one gateway (the `two_branches` fixture)."""
import os
from contextlib import contextmanager
from pathlib import Path

from stack import SERVICES, Stack
from suite_api import ADMIN_PASSWORD, db_rows, eventually, login

ROOT = Path(__file__).resolve().parent.parent


def settle_the_pools_day(suite):
    """The pool's timer asks every minute, and its first ask of a branch day writes that day's run
    (pool_runs, and whatever warnings or recycling are due): the day is run before any test, so a
    test's "nothing changed" never counts the timer's row. While the timer's own ask holds the job
    lock the call answers ran=false: asked again until the day's row is there."""
    api = login(suite, "admin", ADMIN_PASSWORD)
    assert eventually(lambda: api.post("/customer-pool/nightly-run", json={}).status_code == 200
                      and db_rows(suite, "customers", "SELECT day FROM pool_runs"), timeout=60, interval=0.5)


def clock_file(slot: int) -> Path:
    return ROOT / ".local" / f"test-clock-{slot}"


@contextmanager
def start_two_branches(tag: str, gateway_port: int, health_base: int, log_dir: Path, **shanghai_env):
    """Shanghai (with the gateway) and Beijing behind it: two vhosts, two sets of databases, ports
    of the caller's choosing (shifted by CRM_TEST_SLOT). Yields (shanghai, beijing)."""
    slot = int(os.environ.get("CRM_TEST_SLOT", "0"))
    port, health = gateway_port + 200 * slot, health_base + 200 * slot
    bj = Stack(db_prefix=f"crm_{tag}{slot}_bj_", vhost=f"crm-{tag}{slot}-bj", branch="BJ", components=SERVICES,
               gateway_port=port, health_base=health, log_dir=log_dir / "bj")
    sh = Stack(db_prefix=f"crm_{tag}{slot}_sh_", vhost=f"crm-{tag}{slot}-sh", branch="SH", gateway_port=port,
               health_base=health + 10, log_dir=log_dir / "sh",
               extra_env={"CRM_FANOUT_TIMEOUT_SECONDS": "3", **shanghai_env})
    sh.extra_env["CRM_BRANCHES"] = f"SH={sh.amqp_uri};BJ={bj.amqp_uri}"
    bj.prepare(fresh=True)
    sh.prepare(fresh=True)
    try:
        bj.start_all()
        sh.start_all()
        yield sh, bj
    finally:
        sh.stop_all()
        bj.stop_all()
