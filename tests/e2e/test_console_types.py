"""The console's API types are generated from the OpenAPI document: stale ones fail here, so a
route or schema change reaches the console's compiler the same day (`make api-types`)."""
import subprocess
from pathlib import Path

import pytest
import requests

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
GENERATOR = ROOT / "web" / "node_modules" / ".bin" / "openapi-typescript"
COMMITTED = ROOT / "web" / "src" / "api" / "schema.d.ts"


def test_committed_api_types_match_the_openapi_document(stack, tmp_path):
    if not GENERATOR.exists():
        pytest.fail("web/node_modules is missing: run `make console` (make test does it)")
    document = tmp_path / "openapi.json"
    document.write_bytes(requests.get(f"http://127.0.0.1:{stack.gateway_port}/api/v1/openapi.json", timeout=60).content)
    generated = tmp_path / "schema.d.ts"
    # as `make api-types`: a field with a default is optional in a request, not required
    subprocess.run([str(GENERATOR), str(document), "--default-non-nullable", "false", "-o", str(generated)],
                   check=True, capture_output=True,
                   cwd=ROOT / "web", timeout=120)
    assert generated.read_text() == COMMITTED.read_text(), (
        "web/src/api/schema.d.ts is stale: run `make run` and then `make api-types`, and commit the result")
