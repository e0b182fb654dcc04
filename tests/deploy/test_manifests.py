"""Offline checks of the Kubernetes deployment (deploy/); the Dockerfiles are in test_dockerfiles.py.

The kustomize base, every overlay found under deploy/overlays/ and every overlay with each
component of deploy/components/ are rendered with `kubectl kustomize` (rendering.py), every
object is validated against the Kubernetes schemas bundled in kubernetes-validate (strict:
unknown fields fail) or, for the operators' custom resources, against the fields their docs
name (crd_fields.py), and the rules of the production shape are asserted: probes, resources,
non-root pods, secrets only by reference, a migration Job per deployable, and per overlay its
namespace, CRM_BRANCH and pinned image tags. Scaling, disruption, network, TLS, backups and
monitoring: test_production_shape.py; checkov: test_checkov.py.
"""

from __future__ import annotations

import functools
import json
import re
import sys
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from crd_fields import CRD_FIELDS, check_custom_resource  # noqa: E402
from rendering import (BASE, COMBOS, DEPLOY, DEPLOYABLES, OVERLAYS, OVERLAYS_DIR, SERVICES,  # noqa: E402
                       name_of, of_kind, pod_spec, rel, render)

# Newest schema set shipped by kubernetes-validate 1.37.0 (the pinned version).
K8S_VERSION = "1.37"

SOURCE_DIRS = {**{name: f"services/{name}" for name in SERVICES}, "gateway": "gateway"}
IMAGE = "ghcr.io/crm-suite/crm-{}"
SECRET_ENV = ("CRM_AMQP_URI", "CRM_DATABASE_URL", "CRM_SECRET_KEY", "CRM_JWT_SECRET")
CLUSTER_SCOPED = {"Namespace", "ClusterRole", "ClusterRoleBinding", "PriorityClass",
                  "StorageClass", "CustomResourceDefinition", "PersistentVolume"}

TARGETS = [BASE, *OVERLAYS, *COMBOS]
RESTORE_JOB = DEPLOY / "restore" / "job.yaml"


@pytest.fixture(params=TARGETS, ids=rel)
def docs(request) -> list[dict]:
    return render(request.param)


@pytest.fixture(params=[*OVERLAYS, *COMBOS], ids=rel)
def overlay(request) -> tuple[Path, list[dict]]:
    """An overlay (alone or with a component): its folder and its objects."""
    target = request.param
    return (target[0] if isinstance(target, tuple) else target), render(target)


# --------------------------------------------------------------------------- helpers

def workloads(docs: list[dict]) -> list[dict]:
    return of_kind(docs, "Deployment") + of_kind(docs, "Job")


def containers(doc: dict) -> list[dict]:
    spec = pod_spec(doc)
    return spec.get("initContainers", []) + spec["containers"]


def command_line(container: dict) -> list[str]:
    return list(container.get("command", [])) + list(container.get("args", []))


def only_deployment(docs: list[dict], name: str) -> dict:
    found = [d for d in of_kind(docs, "Deployment") if d["metadata"]["name"] == name]
    assert len(found) == 1, f"expected one Deployment {name}, found {len(found)}"
    return found[0]


def resolve_port(container: dict, port) -> int | None:
    """A probe's or Service's target port, by number or by containerPort name."""
    declared = container.get("ports", [])
    if isinstance(port, int):
        return port if any(p["containerPort"] == port for p in declared) else None
    return next((p["containerPort"] for p in declared if p.get("name") == port), None)


def env_of(container: dict) -> dict[str, dict]:
    return {e["name"]: e for e in container.get("env", [])}


def secret_refs(docs: list[dict]) -> set[tuple[str, str]]:
    refs = set()
    for doc in workloads(docs):
        for c in containers(doc):
            for e in c.get("env", []):
                ref = e.get("valueFrom", {}).get("secretKeyRef")
                if ref:
                    refs.add((ref["name"], ref["key"]))
            for src in c.get("envFrom", []):
                assert "secretRef" not in src, (
                    f"{name_of(doc)}: envFrom secretRef hides which keys are used; use secretKeyRef")
    return refs


def configmap(docs: list[dict]) -> dict:
    found = [d for d in of_kind(docs, "ConfigMap") if d["metadata"]["name"].startswith("crm-config")]
    assert len(found) == 1, f"expected one crm-config ConfigMap, found {[name_of(d) for d in found]}"
    return found[0]


# --------------------------------------------------------------------------- discovery

def test_overlays_are_discovered():
    assert OVERLAYS, f"no overlay directory under {rel(OVERLAYS_DIR)}"
    names = {p.name for p in OVERLAYS}
    assert "shanghai" in names, names


# --------------------------------------------------------------------------- every render

@functools.lru_cache(maxsize=None)
def _schema_errors(canonical: str) -> tuple[str, ...]:
    """Errors of one object (as canonical JSON): an overlay with a component repeats most of
    the overlay's objects unchanged, and each is validated once."""
    doc = json.loads(canonical)
    if (doc["apiVersion"], doc["kind"]) in CRD_FIELDS:
        return tuple(check_custom_resource(doc))
    try:
        kubernetes_validate.validate(doc, K8S_VERSION, strict=True)
    except kubernetes_validate.ValidationError as e:
        path = ".".join(str(p) for p in e.path)
        return (f"{name_of(doc)}: {path}: {e.message}",)
    except kubernetes_validate.SchemaNotFoundError as e:
        return (f"{name_of(doc)}: {e.message}",)
    return ()


def test_every_object_validates_against_the_kubernetes_schema(docs):
    errors = [e for doc in docs for e in _schema_errors(json.dumps(doc, sort_keys=True))]
    assert not errors, f"invalid against Kubernetes {K8S_VERSION}:\n" + "\n".join(errors)


def test_every_deployable_has_a_deployment_a_service_and_a_migration_job(docs):
    services = of_kind(docs, "Service")
    jobs = of_kind(docs, "Job")
    for name in DEPLOYABLES:
        dep = only_deployment(docs, name)
        (app,) = pod_spec(dep)["containers"]
        assert app["image"].split(":")[0].split("@")[0] == IMAGE.format(name), app["image"]
        assert "migrate" not in command_line(app), f"{name}: containers must not migrate at start-up"

        pod_labels = dep["spec"]["template"]["metadata"]["labels"]
        selecting = [s for s in services
                     if s["spec"].get("selector") and s["spec"]["selector"].items() <= pod_labels.items()]
        assert len(selecting) == 1, f"{name}: expected one Service selecting its pods, got {selecting}"

        migrations = [j for j in jobs
                      if any(command_line(c) == ["python", "-m", f"crm_{name}", "migrate"]
                             for c in pod_spec(j)["containers"])]
        assert len(migrations) == 1, f"{name}: expected one Job running `python -m crm_{name} migrate`"
        (job_app,) = pod_spec(migrations[0])["containers"]
        assert job_app["image"] == app["image"], (
            f"{name}: migration Job image {job_app['image']} != Deployment image {app['image']}")
        assert env_of(job_app)["CRM_DATABASE_URL"] == env_of(app)["CRM_DATABASE_URL"], (
            f"{name}: the migration Job must migrate the Deployment's own database")


def test_services_point_at_declared_ports(docs):
    for svc in of_kind(docs, "Service"):
        selector = svc["spec"].get("selector") or {}
        selected = [d for d in workloads(docs)
                    if selector.items() <= d["spec"]["template"]["metadata"]["labels"].items()]
        assert selector and len(selected) == 1 and selected[0]["kind"] == "Deployment", (
            f"{name_of(svc)} must select the pods of exactly one Deployment (and no Job), "
            f"selects {[name_of(d) for d in selected]}")
        (app,) = pod_spec(selected[0])["containers"]
        for port in svc["spec"]["ports"]:
            target = resolve_port(app, port.get("targetPort", port["port"]))
            assert target is not None, f"{name_of(svc)}: targetPort {port.get('targetPort')} not declared"
    gateway = [s for s in of_kind(docs, "Service") if s["metadata"]["name"] == "gateway"]
    assert len(gateway) == 1, "the gateway needs a Service"
    (app,) = pod_spec(only_deployment(docs, "gateway"))["containers"]
    assert [(p["port"], resolve_port(app, p["targetPort"])) for p in gateway[0]["spec"]["ports"]] \
        == [(80, 8000)]
    for name in SERVICES:
        (app,) = pod_spec(only_deployment(docs, name))["containers"]
        assert any(p["containerPort"] == 8080 for p in app.get("ports", [])), \
            f"{name}: health port 8080 not declared"


def test_deployments_have_probes_resources_and_run_as_non_root(docs):
    for dep in of_kind(docs, "Deployment"):
        spec = pod_spec(dep)
        for c in containers(dep):
            where = f"{name_of(dep)} container {c['name']}"
            for probe, path in (("readinessProbe", "/readyz"), ("livenessProbe", "/healthz")):
                get = c.get(probe, {}).get("httpGet")
                assert get, f"{where}: no {probe} with httpGet"
                assert get["path"] == path, f"{where}: {probe} should GET {path}, not {get['path']}"
                assert resolve_port(c, get["port"]) is not None, \
                    f"{where}: {probe} port {get['port']} is not a declared containerPort"
            _assert_resources_and_security(where, spec, c)


def test_migration_jobs_are_bounded_and_run_as_non_root(docs):
    for job in of_kind(docs, "Job"):
        spec = pod_spec(job)
        assert spec.get("restartPolicy") in ("Never", "OnFailure"), name_of(job)
        assert job["spec"].get("backoffLimit") is not None, f"{name_of(job)}: set backoffLimit"
        for c in containers(job):
            _assert_resources_and_security(f"{name_of(job)} container {c['name']}", spec, c)


def test_the_restore_job_validates_and_runs_as_non_root():
    job = yaml.safe_load(RESTORE_JOB.read_text(encoding="utf-8"))
    kubernetes_validate.validate(job, K8S_VERSION, strict=True)
    assert job["spec"]["backoffLimit"] == 0 and pod_spec(job)["restartPolicy"] == "Never"
    for c in containers(job):
        _assert_resources_and_security(f"{rel(RESTORE_JOB)} container {c['name']}", pod_spec(job), c)


def _assert_resources_and_security(where: str, spec: dict, c: dict) -> None:
    resources = c.get("resources", {})
    for kind in ("requests", "limits"):
        for res in ("cpu", "memory"):
            assert resources.get(kind, {}).get(res), f"{where}: no {kind}.{res}"
    pod_sc, sc = spec.get("securityContext", {}), c.get("securityContext", {})
    assert sc.get("runAsNonRoot", pod_sc.get("runAsNonRoot")) is True, f"{where}: not runAsNonRoot"
    assert sc.get("runAsUser", pod_sc.get("runAsUser", 1)) != 0, f"{where}: runs as uid 0"
    assert sc.get("allowPrivilegeEscalation") is False, f"{where}: allowPrivilegeEscalation"
    assert sc.get("privileged") is not True, f"{where}: privileged"


def test_secrets_are_only_referenced_never_written(docs):
    for secret in of_kind(docs, "Secret"):
        assert not secret.get("data") and not secret.get("stringData"), (
            f"{name_of(secret)} carries literal secret data; Secrets are created outside the repo")
    for cm in of_kind(docs, "ConfigMap"):
        for key, value in (cm.get("data") or {}).items():
            assert key not in SECRET_ENV, f"{name_of(cm)}: {key} is a secret, not configuration"
            assert not re.search(r"://[^/@\s]+:[^/@\s]+@", str(value)), \
                f"{name_of(cm)}: {key} holds credentials in a URL"
    for doc in workloads(docs):
        deployable = doc["metadata"].get("labels", {}).get("app.kubernetes.io/name")
        needed = {"CRM_AMQP_URI", "CRM_DATABASE_URL", "CRM_SECRET_KEY"}
        if deployable == "gateway":
            needed.add("CRM_JWT_SECRET")
        for c in containers(doc):
            env = env_of(c)
            for var in SECRET_ENV:
                if var in env:
                    assert "value" not in env[var], f"{name_of(doc)}: {var} set as a literal value"
                    assert "secretKeyRef" in env[var].get("valueFrom", {}), \
                        f"{name_of(doc)}: {var} must come from a secretKeyRef"
            assert needed <= env.keys(), f"{name_of(doc)}: missing {sorted(needed - env.keys())}"
    # One database per deployable: no two deployables share a database secret.
    db_secrets = {}
    for name in DEPLOYABLES:
        (app,) = pod_spec(only_deployment(docs, name))["containers"]
        db_secrets[name] = env_of(app)["CRM_DATABASE_URL"]["valueFrom"]["secretKeyRef"]["name"]
    assert len(set(db_secrets.values())) == len(DEPLOYABLES), db_secrets


def test_referenced_secrets_and_keys_are_documented(docs):
    readme = (DEPLOY / "README.md").read_text(encoding="utf-8")
    table_rows = [line for line in readme.splitlines() if line.startswith("|")]
    for secret, key in sorted(secret_refs(docs)):
        assert any(f"`{secret}`" in row and f"`{key}`" in row for row in table_rows), (
            f"deploy/README.md does not list Secret `{secret}` with key `{key}`")


def test_configmaps_referenced_by_pods_exist(docs):
    names = {d["metadata"]["name"] for d in of_kind(docs, "ConfigMap")}
    for doc in workloads(docs):
        for c in containers(doc):
            refs = [s["configMapRef"]["name"] for s in c.get("envFrom", []) if "configMapRef" in s]
            refs += [e["valueFrom"]["configMapKeyRef"]["name"] for e in c.get("env", [])
                     if "configMapKeyRef" in e.get("valueFrom", {})]
            assert refs, f"{name_of(doc)}: takes no settings from a ConfigMap"
            for ref in refs:
                assert ref in names, f"{name_of(doc)}: ConfigMap {ref} is not rendered"


# --------------------------------------------------------------------------- overlays

def test_overlay_puts_everything_in_its_namespace(overlay):
    path, docs = overlay
    namespaces = [d["metadata"]["name"] for d in of_kind(docs, "Namespace")]
    assert namespaces == [f"crm-{path.name}"], (
        f"{rel(path)} must create exactly its namespace crm-{path.name}, got {namespaces}")
    for doc in docs:
        if doc["kind"] not in CLUSTER_SCOPED:
            assert doc["metadata"].get("namespace") == namespaces[0], f"{name_of(doc)} not namespaced"


def test_overlay_sets_its_branch_for_every_pod(overlay):
    path, docs = overlay
    cm = configmap(docs)
    branch = (cm.get("data") or {}).get("CRM_BRANCH", "")
    assert re.fullmatch(r"[A-Z]{2,8}", branch), f"{rel(path)}: CRM_BRANCH={branch!r}"
    for doc in workloads(docs):
        for c in containers(doc):
            assert {"configMapRef": {"name": cm["metadata"]["name"]}} in c.get("envFrom", []), \
                f"{name_of(doc)}: does not read {cm['metadata']['name']}"
            assert "CRM_BRANCH" not in env_of(c), f"{name_of(doc)}: overrides CRM_BRANCH"


def test_overlay_pins_image_tags(overlay):
    path, docs = overlay
    for doc in workloads(docs):
        for c in containers(doc):
            image = c["image"]
            tag = image.rsplit(":", 1)[1] if ":" in image.split("/")[-1] else None
            assert "@sha256:" in image or (tag and tag != "latest"), \
                f"{rel(path)}: {name_of(doc)} uses unpinned image {image}"


def test_overlays_have_distinct_namespaces_and_branches():
    seen_ns, seen_branch = {}, {}
    for path in OVERLAYS:
        docs = render(path)
        ns = {d["metadata"].get("namespace") for d in docs if d["kind"] not in CLUSTER_SCOPED}
        assert len(ns) == 1, f"{rel(path)}: objects spread over namespaces {ns}"
        ns = ns.pop()
        branch = configmap(docs).get("data", {}).get("CRM_BRANCH")
        assert ns not in seen_ns, f"{rel(path)} and {seen_ns.get(ns)} share namespace {ns}"
        assert branch not in seen_branch, f"{rel(path)} and {seen_branch.get(branch)} share {branch}"
        seen_ns[ns], seen_branch[branch] = rel(path), rel(path)


def test_shanghai_overlay():
    docs = render(OVERLAYS_DIR / "shanghai")
    assert configmap(docs).get("data", {}).get("CRM_BRANCH") == "SH"
    assert {d["metadata"].get("namespace") for d in docs if d["kind"] != "Namespace"} \
        == {"crm-shanghai"}
