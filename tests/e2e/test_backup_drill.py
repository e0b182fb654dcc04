"""Restore drill with the scripts the Kubernetes backup CronJob and restore Job run
(deploy/base/backup/): back up the running suite with its data, drop the databases, restore the
newest generation, and the ledger check and a sample of records match the original."""
import os
import subprocess
import time
from pathlib import Path

import psycopg
import pytest

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ROOT / "deploy" / "base" / "backup"
SAMPLED = {"customers": "customers", "sales": "orders", "logistics": "fulfilments", "finance": "receivables",
           "gateway": "users"}


def _run(script: str, urls: dict, **env) -> subprocess.CompletedProcess:
    db_env = {f"CRM_DB_{name.upper()}": url for name, url in urls.items()}
    return subprocess.run(["/bin/sh", str(SCRIPTS / script)], capture_output=True, text=True, timeout=300,
                          env={"PATH": os.environ["PATH"], **db_env, **env})


def _sample(prefix: str) -> dict:
    sample = {}
    for component, table in SAMPLED.items():
        with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{prefix}{component}") as conn:
            sample[table] = conn.execute(f'SELECT * FROM "{table}" ORDER BY id LIMIT 50').fetchall()
    return sample


def test_backup_drop_restore_drill(stack, approved_order, rep_a, helpers, tmp_path):
    from check_ledger import check
    from stack import COMPONENTS, ensure_databases

    made = approved_order(prices=("12.50", "3.10"), quantities=["4", "7"])
    paid = rep_a.post("/receipts", json={"receivable_id": made["receivable"]["id"], "amount": "20.00",
                                         "method": "bank_transfer"})
    assert paid.status_code == 201, paid.text
    urls = {c: stack.database_url(c) for c in COMPONENTS}
    backups = tmp_path / "backups"

    # Three generations with KEEP=2: the oldest goes. The suite is live and events may still
    # land, so the one to restore is taken while the counts hold still across it.
    for generation in range(3):
        before = helpers.table_counts()
        taken = _run("backup.sh", urls, BACKUP_DIR=str(backups), KEEP="2")
        assert taken.returncode == 0, taken.stderr
        if generation < 2:
            time.sleep(1.1)  # stamps have one-second resolution
    original, sample, ledger = helpers.table_counts(), _sample(stack.db_prefix), check(stack.db_prefix)
    assert original == before, "the suite was still busy; the drill compares against a moving target"
    generations = sorted(p.name for p in backups.iterdir())
    assert len(generations) == 2 and all(len(g) == 16 for g in generations), generations

    # "Drop it": a branch whose databases are gone, recreated empty as an operator would.
    drill = f"{stack.db_prefix}drill_"
    ensure_databases(drill, fresh=True)
    drill_urls = {c: url.replace(f"/{stack.db_prefix}{c}", f"/{drill}{c}") for c, url in urls.items()}
    try:
        for _ in range(2):  # the second restore runs over data and must clean it first
            restored = _run("restore.sh", drill_urls, BACKUP_DIR=str(backups), RESTORE_FROM="latest")
            assert restored.returncode == 0, restored.stderr
            assert f"from {generations[-1]}" in restored.stdout
            restored_counts = {}
            for component in COMPONENTS:
                with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{drill}{component}") as conn:
                    for (table,) in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                                                 " AND tablename <> 'alembic_version'"):
                        if f"{component}.{table}" in original:
                            restored_counts[f"{component}.{table}"] = conn.execute(
                                f'SELECT count(*) FROM "{table}"').fetchone()[0]
            assert restored_counts == original
            assert _sample(drill) == sample
            assert check(drill) == ledger == {}
        with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{drill}finance") as conn:
            amount, received = conn.execute("SELECT amount, received FROM receivables WHERE order_id = %s",
                                            (made["order"]["id"],)).fetchone()
        assert (str(amount), str(received)) == (made["order"]["total"], "20.00")
    finally:
        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
            for component in COMPONENTS:
                conn.execute(f'DROP DATABASE IF EXISTS "{drill}{component}" WITH (FORCE)')

    # Nothing to restore from is said plainly.
    empty = _run("restore.sh", drill_urls, BACKUP_DIR=str(tmp_path / "none"))
    assert empty.returncode == 1 and "no backup generation" in empty.stderr
