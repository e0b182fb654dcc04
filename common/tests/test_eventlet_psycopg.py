"""psycopg 3 under eventlet: queries of one service process must overlap, not queue up."""
import os
import subprocess
import sys
import uuid
from pathlib import Path

PROBE = Path(__file__).with_name("overlap_probe.py")
URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def _run_probe(extra_env):
    env = {k: v for k, v in os.environ.items() if k != "PSYCOPG_WAIT_FUNC"}
    env.update(extra_env)
    result = subprocess.run([sys.executable, str(PROBE), URL, uuid.uuid4().hex], env=env,
                            capture_output=True, text=True, timeout=300)
    return result


def test_concurrent_queries_overlap_with_the_process_bootstrap():
    result = _run_probe({})
    assert result.returncode == 0, result.stderr[-2000:]
    assert int(result.stdout.strip()) == 8


def test_without_the_select_wait_function_the_engine_refuses_to_start():
    """The guard that keeps the blocking C wait function out of every service."""
    result = _run_probe({"PSYCOPG_WAIT_FUNC": "wait_c"})
    assert result.returncode != 0 and "PSYCOPG_WAIT_FUNC=wait_select" in result.stderr
