import json

import pytest

from crm_common.events.catalog import build_envelope, parse_envelope
from crm_common.testing import clock, use_case_fixtures  # noqa: F401 (clock: a fixture)

service_db, uow, principal_factory, emitted = use_case_fixtures("logistics", "crm_logistics:migrations")


@pytest.fixture
def delivered():
    """An event's data as a handler receives it: validated by the catalog, through JSON and back."""
    def deliver(name: str, data: dict) -> dict:
        return parse_envelope(json.loads(json.dumps(build_envelope(name, data, "HQ", None))))[1]
    return deliver
