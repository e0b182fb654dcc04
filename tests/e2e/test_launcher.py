"""`make run`'s launcher: one-line answers when a dependency is down; Ctrl-C stops everything."""
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import requests

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


def _env(**extra):
    return {**os.environ, "PYTHONWARNINGS": "ignore", **extra}


def test_postgresql_down_is_one_clear_line():
    result = subprocess.run([sys.executable, "scripts/stack.py", "run"], cwd=ROOT, capture_output=True, text=True,
                            env=_env(CRM_PG_ADMIN_URL="postgresql://postgres@127.0.0.1:1/postgres"), timeout=60)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "PostgreSQL is not reachable at 127.0.0.1:1" in lines[0]
    assert "pg_ctlcluster" in lines[0] and "Traceback" not in result.stderr


def test_service_with_rabbitmq_down_says_so_in_one_line():
    result = subprocess.run([sys.executable, "-m", "crm_customers"], cwd=ROOT, capture_output=True, text=True,
                            env=_env(CRM_AMQP_URI="amqp://guest:guest@127.0.0.1:1/", CRM_SECRET_KEY="x"),
                            timeout=60)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "RabbitMQ is not reachable at 127.0.0.1:1" in lines[0], result.stderr


def test_run_starts_everything_and_ctrl_c_stops_it_all():
    slot = int(os.environ.get("CRM_TEST_SLOT", "0"))  # ports inside this checkout's slot (see conftest)
    port = 18050 + 200 * slot
    env = _env(CRM_GATEWAY_PORT=str(port), CRM_HEALTH_BASE=str(18150 + 200 * slot),
               CRM_DB_PREFIX=f"crm_launch{slot or ''}_", CRM_VHOST=f"crm-launch{slot or ''}",
               CRM_ADMIN_PASSWORD="launcher-password")
    process = subprocess.Popen([sys.executable, "scripts/stack.py", "run"], cwd=ROOT, env=env, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        output = []
        for line in process.stdout:
            output.append(line)
            if "CRM suite is up" in line:
                break
        assert f"http://127.0.0.1:{port}/api/v1" in "".join(output), "".join(output)
        login = requests.post(f"http://127.0.0.1:{port}/api/v1/auth/login",
                              json={"username": "admin", "password": "launcher-password"}, timeout=10)
        assert login.status_code == 200
        children = subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True, text=True).stdout.split()
        assert len(children) == 6  # five services and the gateway, each its own process
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
        assert process.wait(timeout=60) == 0
        assert not [pid for pid in children if Path(f"/proc/{pid}").exists()]
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
