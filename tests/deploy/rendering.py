"""Rendering deploy/ for the deploy tests: every overlay, and every overlay with each optional
component added, as an operator would add it to the overlay's kustomization.

kubectl comes from `make install` (the virtualenv's bin/, scripts/install_kubectl.py), else
$KUBECTL or the PATH; without it the render tests fail, unless CRM_ALLOW_NO_KUBECTL=1 turns
that into a skip.
"""
from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
BASE = DEPLOY / "base"
OVERLAYS_DIR = DEPLOY / "overlays"
COMPONENTS_DIR = DEPLOY / "components"

SERVICES = ("customers", "sales", "logistics", "finance", "workspace")
DEPLOYABLES = SERVICES + ("gateway",)


def _dirs(parent: Path) -> list[Path]:
    return sorted(p for p in parent.iterdir() if p.is_dir()) if parent.is_dir() else []


OVERLAYS = _dirs(OVERLAYS_DIR)
COMPONENTS = _dirs(COMPONENTS_DIR)
# (overlay, component): the overlay with the component added
COMBOS = [(o, c) for o in OVERLAYS for c in COMPONENTS]


def rel(target) -> str:
    if isinstance(target, tuple):
        return f"{rel(target[0])}+{target[1].name}"
    return str(target.relative_to(REPO))


def kubectl() -> str:
    # `make install` puts a pinned kubectl beside the virtualenv's python; prefer it to the PATH's.
    pinned = Path(sys.executable).parent / "kubectl"
    found = shutil.which(os.environ.get("KUBECTL") or (str(pinned) if pinned.exists() else "kubectl"))
    if found:
        return found
    message = "kubectl not found: it is needed to render deploy/ with `kubectl kustomize`."
    if os.environ.get("CRM_ALLOW_NO_KUBECTL") == "1":
        pytest.skip(message + " Skipped because CRM_ALLOW_NO_KUBECTL=1.")
    pytest.fail(message + " Run `make install` (or set KUBECTL=/path/to/kubectl), "
                "or set CRM_ALLOW_NO_KUBECTL=1 to skip these tests.", pytrace=False)


def _combo_dir(overlay: Path, component: Path) -> Path:
    """A kustomization outside the repository that adds `component` to `overlay`."""
    namespace = yaml.safe_load((overlay / "kustomization.yaml").read_text())["namespace"]
    where = Path(tempfile.mkdtemp(prefix=f"crm-{overlay.name}-{component.name}-"))
    (where / "kustomization.yaml").write_text(yaml.safe_dump({
        "apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization", "namespace": namespace,
        "resources": [os.path.relpath(overlay, where)], "components": [os.path.relpath(component, where)]}))
    return where


@functools.lru_cache(maxsize=None)
def _render_cached(binary: str, target) -> tuple[dict, ...] | str:
    directory = _combo_dir(*target) if isinstance(target, tuple) else target
    proc = subprocess.run([binary, "kustomize", str(directory)], capture_output=True, text=True, timeout=120)
    if isinstance(target, tuple):
        shutil.rmtree(directory)
    if proc.returncode != 0:
        return f"`kubectl kustomize {rel(target)}` failed ({proc.returncode}):\n{proc.stderr}"
    return tuple(doc for doc in yaml.safe_load_all(proc.stdout) if doc)


def render(target) -> list[dict]:
    """Objects of a base, overlay (a Path) or overlay+component (a tuple of Paths)."""
    result = _render_cached(kubectl(), target)
    if isinstance(result, str):
        pytest.fail(result, pytrace=False)
    assert result, f"{rel(target)} rendered no objects"
    return list(result)


def of_kind(docs: list[dict], kind: str) -> list[dict]:
    return [d for d in docs if d["kind"] == kind]


def named(docs: list[dict], kind: str, name: str) -> dict:
    found = [d for d in of_kind(docs, kind) if d["metadata"]["name"] == name]
    assert len(found) == 1, f"expected one {kind} {name}, found {len(found)}"
    return found[0]


def name_of(doc: dict) -> str:
    return f'{doc["kind"]}/{doc["metadata"]["name"]}'


def pod_spec(doc: dict) -> dict:
    if doc["kind"] == "CronJob":
        return doc["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    return doc["spec"]["template"]["spec"]


def pod_labels(doc: dict) -> dict:
    template = doc["spec"]["jobTemplate"]["spec"]["template"] if doc["kind"] == "CronJob" \
        else doc["spec"]["template"]
    return template["metadata"].get("labels", {})
