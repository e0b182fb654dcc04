"""`make backup` / `make restore` (ADM-08): restored databases hold the same records."""
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


def _counts(prefix: str) -> dict:
    counts = {}
    for component in ("customers", "sales", "logistics", "finance", "workspace", "gateway"):
        with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{prefix}{component}") as conn:
            for (table,) in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall():
                counts[f"{component}.{table}"] = conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
    return counts


def _script(*args):
    return subprocess.run([sys.executable, "scripts/backup.py", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "PYTHONWARNINGS": "ignore"}, timeout=300)


def test_backup_then_restore_into_fresh_databases(stack, rep_a, tmp_path):
    customer = rep_a.post("/customers", json={"name": "备份测试有限公司"}).json()
    # The suite is live and events from earlier tests may still land: take the dump while the
    # counts are the same before and after it.
    for attempt in range(5):
        before = _counts(stack.db_prefix)
        taken = _script("backup", "--prefix", stack.db_prefix, "--into", str(tmp_path / f"b{attempt}"))
        assert taken.returncode == 0, taken.stderr
        original = _counts(stack.db_prefix)
        if original == before:
            break
    backup_dir = str(tmp_path / f"b{attempt}")

    target = f"{stack.db_prefix}restored_"
    restored = _script("restore", "--from", backup_dir, "--prefix", target, "--replace")
    assert restored.returncode == 0, restored.stderr
    assert _counts(target) == original
    with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{target}customers") as conn:
        assert conn.execute("SELECT name FROM customers WHERE id = %s", (customer["id"],)).fetchone()[0] \
            == "备份测试有限公司"

    refused = _script("restore", "--from", backup_dir, "--prefix", target)
    assert refused.returncode == 1 and "pass --replace" in refused.stderr
