"""What time it is: the system clock, or in a test suite a clock the end-to-end tests set.

`CRM_TEST_CLOCK_FILE` names a file holding an ISO 8601 instant; while it exists, that instant
is "now" for the process. Production cannot enable it: it is honoured only against a test
suite's databases (`CRM_DATABASE_URL` naming a `crm_test…` database, tests/conftest.py's stack),
and only the services' processes get it there (the gateway's tokens keep the real time).
"""
import os
from datetime import datetime, timezone


def _test_clock_file() -> str | None:
    path = os.environ.get("CRM_TEST_CLOCK_FILE")
    database = os.environ.get("CRM_DATABASE_URL", "").rsplit("/", 1)[-1]
    return path if path and database.startswith("crm_test") else None


def now() -> datetime:
    path = _test_clock_file()
    if path:
        try:
            with open(path, encoding="utf-8") as file:
                return datetime.fromisoformat(file.read().strip()).astimezone(timezone.utc)
        except (FileNotFoundError, ValueError):
            pass
    return datetime.now(timezone.utc)
