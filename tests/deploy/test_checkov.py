"""checkov (pinned, requirements-checkov.txt) on the rendered manifests of every overlay, alone and
with each component, and on the restore Job: no failed check except those deploy/README.md
skips with a reason, and no skip there that nothing needs any more.

checkov comes from `make install` (its own virtualenv, .venv/checkov), else $CHECKOV or the
PATH; without it this test fails, unless CRM_ALLOW_NO_CHECKOV=1 turns that into a skip.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from rendering import COMBOS, DEPLOY, OVERLAYS, render  # noqa: E402

README = DEPLOY / "README.md"
SKIP_SECTION = "## Security scan (checkov)"


def _checkov() -> str:
    pinned = Path(sys.executable).parent.parent / "checkov" / "bin" / "checkov"
    found = shutil.which(os.environ.get("CHECKOV") or (str(pinned) if pinned.exists() else "checkov"))
    if found:
        return found
    message = "checkov not found: run `make install` (or set CHECKOV=/path/to/checkov)."
    if os.environ.get("CRM_ALLOW_NO_CHECKOV") == "1":
        pytest.skip(message + " Skipped because CRM_ALLOW_NO_CHECKOV=1.")
    pytest.fail(message + " CRM_ALLOW_NO_CHECKOV=1 skips this test.", pytrace=False)


def documented_skips() -> dict[str, str]:
    """check id -> reason, from the table under SKIP_SECTION in deploy/README.md."""
    text = README.read_text(encoding="utf-8")
    assert SKIP_SECTION in text, f"deploy/README.md has no section {SKIP_SECTION!r}"
    section = text.split(SKIP_SECTION, 1)[1].split("\n## ", 1)[0]
    return {m.group(1): m.group(2).strip() for m in re.finditer(r"^\| `(CKV_K8S_\d+)` \|[^|]*\|(.*)\|\s*$",
                                                                  section, re.MULTILINE)}


def test_checkov_passes_on_every_rendered_overlay(tmp_path):
    checkov = _checkov()
    # An overlay with a component repeats most of the overlay's objects unchanged: each distinct
    # object is scanned once (and the graph checks still see every NetworkPolicy).
    files, seen = [], set()
    for n, target in enumerate([*OVERLAYS, *COMBOS]):
        fresh = []
        for doc in render(target):
            key = json.dumps(doc, sort_keys=True)
            if key not in seen:
                seen.add(key)
                fresh.append(doc)
        path = tmp_path / f"{n}.yaml"
        path.write_text(yaml.safe_dump_all(fresh))
        files.append(path)
    files.append(DEPLOY / "restore" / "job.yaml")
    args = [checkov, "--framework", "kubernetes", "--compact", "-o", "json", "--skip-download"]
    proc = subprocess.run(args + [a for f in files for a in ("-f", str(f))], capture_output=True, text=True,
                          timeout=300, env={**os.environ, "BC_SKIP_MAPPING": "TRUE"})
    assert proc.returncode in (0, 1), f"checkov failed to run ({proc.returncode}):\n{proc.stderr[-3000:]}"
    reports = json.loads(proc.stdout) if proc.stdout.strip() else []
    reports = reports if isinstance(reports, list) else [reports]
    results = [r.get("results", {}) for r in reports]
    failed = [(c["check_id"], c["resource"]) for r in results for c in r.get("failed_checks", [])]
    # skipped in a manifest with a checkov.io/skip annotation; the README names those too
    annotated = {(c["check_id"], c["resource"]) for r in results for c in r.get("skipped_checks", [])}
    assert reports and sum(r.get("summary", {}).get("passed", 0) for r in reports) > 100, \
        f"checkov checked next to nothing: {proc.stdout[:500]}"

    skips = documented_skips()
    assert skips, "deploy/README.md lists no skipped check; if none is needed, delete this assertion"
    for check, reason in skips.items():
        assert len(reason) > 20, f"{check}: say why it is skipped"
    unexpected = sorted({f"{check} {resource}" for check, resource in [*failed, *annotated] if check not in skips})
    assert not unexpected, "checkov failed (or a manifest skips a check deploy/README.md does not name):\n" \
        + "\n".join(unexpected)
    stale = sorted(set(skips) - {check for check, _ in [*failed, *annotated]})
    assert not stale, f"deploy/README.md skips {stale}, which no manifest fails any more"
