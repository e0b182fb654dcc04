"""What a real cluster needs beyond Deployments and probes (issue 19), checked on the rendered
overlays: autoscalers and disruption budgets, spread and graceful stop, network policy, the
TLS ingress and trusted proxies, scheduled backups, monitoring and the operator components."""
from __future__ import annotations

import ipaddress
import json
import re
import sys
from pathlib import Path

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from rendering import (COMBOS, COMPONENTS_DIR, DEPLOY, DEPLOYABLES, OVERLAYS, REPO, named, of_kind,  # noqa: E402
                       pod_labels, pod_spec, rel, render)

RPC_TIMEOUT_SECONDS = 10  # gateway default, crm_gateway/settings.py
BACKUP_SCRIPTS = DEPLOY / "base" / "backup"
METRIC_SOURCES = [REPO / "common" / "crm_common" / "metrics.py", REPO / "gateway" / "crm_gateway" / "metrics.py"]
ALL_TARGETS = [*OVERLAYS, *COMBOS]


@pytest.fixture(params=OVERLAYS, ids=rel)
def docs(request) -> list[dict]:
    return render(request.param)


@pytest.fixture(params=ALL_TARGETS, ids=rel)
def any_docs(request) -> list[dict]:
    return render(request.param)


def component(name: str):
    return [(o, c) for o, c in COMBOS if c.name == name]


def selects(selector: dict, labels: dict) -> bool:
    """A label selector (matchLabels and matchExpressions In/NotIn/Exists/DoesNotExist)."""
    if not selector.get("matchLabels") and not selector.get("matchExpressions"):
        return True
    if not selector.get("matchLabels", {}).items() <= labels.items():
        return False
    for e in selector.get("matchExpressions", []):
        key, op, values = e["key"], e["operator"], e.get("values", [])
        ok = {"In": key in labels and labels[key] in values, "NotIn": labels.get(key) not in values,
              "Exists": key in labels, "DoesNotExist": key not in labels}[op]
        if not ok:
            return False
    return True


def deployable_pods(docs) -> dict[str, dict]:
    return {d["metadata"]["name"]: pod_labels(d) for d in of_kind(docs, "Deployment")}


# --------------------------------------------------------------------------- scaling, disruption

def test_every_deployable_has_an_autoscaler_and_a_disruption_budget(docs):
    for name in DEPLOYABLES:
        dep = named(docs, "Deployment", name)
        assert "replicas" not in dep["spec"], f"{name}: the autoscaler owns the replica count; an apply must not reset it"
        hpa = named(docs, "HorizontalPodAutoscaler", name)["spec"]
        assert hpa["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": name}
        assert 1 <= hpa["minReplicas"] <= hpa["maxReplicas"], f"{name}: min/max {hpa}"
        assert [m["resource"]["name"] for m in hpa["metrics"]] == ["cpu"]
        assert pod_spec(dep)["containers"][0]["resources"]["requests"]["cpu"], "CPU utilisation needs a request"
        pdb = named(docs, "PodDisruptionBudget", name)["spec"]
        assert selects(pdb["selector"], pod_labels(dep)), f"{name}: its budget does not select its pods"
        assert pdb.get("maxUnavailable") == 1 and "minAvailable" not in pdb, \
            f"{name}: minAvailable would block every drain of a single-replica deployable"


def test_the_shanghai_branch_runs_two_gateways_at_least():
    docs = render(DEPLOY / "overlays" / "shanghai")
    assert named(docs, "HorizontalPodAutoscaler", "gateway")["spec"]["minReplicas"] >= 2


def test_pods_spread_over_nodes_and_stop_gracefully(docs):
    for dep in of_kind(docs, "Deployment"):
        spec, name = pod_spec(dep), dep["metadata"]["name"]
        keys = {c["topologyKey"]: c for c in spec.get("topologySpreadConstraints", [])}
        assert "kubernetes.io/hostname" in keys, f"{name}: not spread over nodes"
        host = keys["kubernetes.io/hostname"]
        # ScheduleAnyway: a one-node cluster (or a drain) still schedules every replica.
        assert host["whenUnsatisfiable"] == "ScheduleAnyway" and host["maxSkew"] == 1
        # The selector narrowed to this deployable's own pods, not every pod of the suite.
        assert "app.kubernetes.io/name" in host.get("matchLabelKeys", []), f"{name}: spread counts other pods"
        assert selects(host["labelSelector"], pod_labels(dep))
        pre_stop = spec["containers"][0].get("lifecycle", {}).get("preStop", {}).get("sleep", {}).get("seconds", 0)
        assert spec["terminationGracePeriodSeconds"] >= pre_stop + 3 * RPC_TIMEOUT_SECONDS, (
            f"{name}: the grace period must outlast the preStop pause and an RPC in flight")
        assert dep["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == 0
    gateway = pod_spec(named(docs, "Deployment", "gateway"))["containers"][0]
    assert gateway["lifecycle"]["preStop"]["sleep"]["seconds"] >= 5, \
        "the gateway must keep serving while the ingress stops sending it requests"


# --------------------------------------------------------------------------- network policy

def _policies(docs, labels: dict, kind: str) -> list[dict]:
    return [p["spec"] for p in of_kind(docs, "NetworkPolicy")
            if kind in p["spec"].get("policyTypes", []) and selects(p["spec"]["podSelector"], labels)]


def _egress_ports(docs, labels: dict) -> set[int]:
    return {port["port"] for spec in _policies(docs, labels, "Egress") for rule in spec.get("egress", [])
            for port in rule.get("ports", [])}


def test_the_namespace_denies_by_default(any_docs):
    deny = named(any_docs, "NetworkPolicy", "default-deny")["spec"]
    assert deny["podSelector"] == {} and set(deny["policyTypes"]) == {"Ingress", "Egress"}
    assert "ingress" not in deny and "egress" not in deny
    dns = named(any_docs, "NetworkPolicy", "allow-dns")["spec"]
    assert dns["podSelector"] == {}
    assert {(p["protocol"], p["port"]) for p in dns["egress"][0]["ports"]} == {("UDP", 53), ("TCP", 53)}
    assert dns["egress"][0]["to"][0]["namespaceSelector"]["matchLabels"] == \
        {"kubernetes.io/metadata.name": "kube-system"}


def test_only_the_ingress_controller_reaches_the_gateway_and_nothing_reaches_a_service(any_docs):
    pods = deployable_pods(any_docs)
    gateway_in = _policies(any_docs, pods["gateway"], "Ingress")
    sources = [(json.dumps(r["from"], sort_keys=True), {p["port"] for p in r["ports"]})
               for spec in gateway_in for r in spec.get("ingress", [])]
    ingress_nginx = json.dumps([{"namespaceSelector": {"matchLabels": {
        "kubernetes.io/metadata.name": "ingress-nginx"}}}], sort_keys=True)
    assert (ingress_nginx, {8000}) in sources
    for source, _ in sources:
        assert source == ingress_nginx or '"monitoring"' in source, f"the gateway is reachable from {source}"
    for name in DEPLOYABLES:
        for spec in _policies(any_docs, pods[name], "Ingress"):
            for rule in spec.get("ingress", []):
                if name != "gateway":
                    assert '"monitoring"' in json.dumps(rule["from"]), f"{name} is reachable from {rule['from']}"
                assert rule.get("from"), f"{name}: an ingress rule without `from` admits everyone"


def test_deployables_reach_only_the_broker_and_the_database(any_docs):
    pods = deployable_pods(any_docs)
    for name in DEPLOYABLES:
        allowed = {5432, 5672, 53} | ({443} if name == "workspace" else set())
        ports = _egress_ports(any_docs, pods[name])
        assert {5432, 5672} <= ports <= allowed, f"{name} may reach ports {sorted(ports)}"
        for spec in _policies(any_docs, pods[name], "Egress"):
            for rule in spec.get("egress", []):
                assert rule.get("ports"), f"{name}: an egress rule without ports opens everything"


def test_with_the_operators_each_deployable_reaches_only_its_own_database():
    for target in component("cloudnative-pg"):
        docs = render(target)
        assert "deployables-to-database" not in {p["metadata"]["name"] for p in of_kind(docs, "NetworkPolicy")}
        pods = deployable_pods(docs)
        clusters = {c["metadata"]["name"] for c in of_kind(docs, "Cluster")}
        assert clusters == {f"crm-db-{n}" for n in DEPLOYABLES}
        for name in DEPLOYABLES:
            reached = {peer["podSelector"]["matchLabels"]["cnpg.io/cluster"]
                       for spec in _policies(docs, pods[name], "Egress") for rule in spec.get("egress", [])
                       if any(p["port"] == 5432 for p in rule.get("ports", []))
                       for peer in rule.get("to", [])}
            assert reached == {f"crm-db-{name}"}, f"{rel(target)}: {name} reaches databases {reached}"
    for target in component("rabbitmq"):
        docs = render(target)
        assert "deployables-to-broker" not in {p["metadata"]["name"] for p in of_kind(docs, "NetworkPolicy")}
        pods = deployable_pods(docs)
        for name in DEPLOYABLES:
            peers = [peer for spec in _policies(docs, pods[name], "Egress") for rule in spec.get("egress", [])
                     if any(p["port"] == 5672 for p in rule.get("ports", [])) for peer in rule.get("to", [])]
            assert peers and all(p["podSelector"]["matchLabels"] == {"app.kubernetes.io/name": "crm-rabbitmq"}
                                 for p in peers), f"{rel(target)}: {name} reaches brokers {peers}"
            other_namespaces = [p for p in peers if "namespaceSelector" in p]
            assert bool(other_namespaces) == (name == "gateway"), \
                f"{name}: only the gateway (head office) calls other branches' brokers"


# --------------------------------------------------------------------------- ingress, TLS, proxies

def test_the_api_is_served_over_tls_with_the_clients_address_trusted_from_the_ingress_only(docs):
    ingress = named(docs, "Ingress", "gateway")["spec"]
    hosts = {rule["host"] for rule in ingress["rules"]}
    assert ingress["tls"] and all(t["secretName"] for t in ingress["tls"])
    assert hosts == {h for t in ingress["tls"] for h in t["hosts"]}, "every host needs its certificate"
    assert not any(h.endswith(".invalid") for h in hosts), "the overlay must name its own host"
    (path,) = [p for rule in ingress["rules"] for p in rule["http"]["paths"]]
    assert path["path"] == "/" and path["backend"]["service"] == {"name": "gateway", "port": {"name": "http"}}
    annotations = named(docs, "Ingress", "gateway")["metadata"]["annotations"]
    assert annotations["nginx.ingress.kubernetes.io/force-ssl-redirect"] == "true"
    config = [c for c in of_kind(docs, "ConfigMap") if c["metadata"]["name"].startswith("crm-config")][0]["data"]
    proxies = [ipaddress.ip_network(part) for part in config["CRM_TRUSTED_PROXIES"].split(",")]
    assert proxies and all(n.is_private for n in proxies), "trust the controller's pod range, not the internet"


def test_cert_manager_issues_the_certificate_where_the_overlay_asks_for_it():
    for target in [*OVERLAYS, *component("cert-manager")]:
        docs = render(target)
        annotations = named(docs, "Ingress", "gateway")["metadata"]["annotations"]
        uses = isinstance(target, tuple) or "cert-manager" in (target / "kustomization.yaml").read_text()
        assert ("cert-manager.io/cluster-issuer" in annotations) == uses, rel(target)


# --------------------------------------------------------------------------- backups

def test_the_backup_cronjob_dumps_every_database_with_the_shipped_script(docs):
    cron = named(docs, "CronJob", "crm-backup")
    assert cron["spec"]["concurrencyPolicy"] == "Forbid" and cron["spec"]["timeZone"]
    spec = pod_spec(cron)
    (container,) = spec["containers"]
    env = {e["name"]: e for e in container["env"]}
    for name in DEPLOYABLES:
        dep = named(docs, "Deployment", name)
        db = {e["name"]: e for e in pod_spec(dep)["containers"][0]["env"]}["CRM_DATABASE_URL"]
        assert env[f"CRM_DB_{name.upper()}"]["valueFrom"] == db["valueFrom"], f"backup misses {name}'s database"
    assert int(env["KEEP"]["value"]) >= 2
    scripts = named(docs, "ConfigMap", "crm-backup-scripts")["data"]
    for script in ("backup.sh", "restore.sh"):
        assert scripts[script] == (BACKUP_SCRIPTS / script).read_text(encoding="utf-8")
    assert container["command"] == ["/bin/sh", "/scripts/backup.sh"]
    volumes = {v["name"]: v for v in spec["volumes"]}
    assert volumes["scripts"]["configMap"]["name"] == "crm-backup-scripts"
    claim = volumes["backups"]["persistentVolumeClaim"]["claimName"]
    named(docs, "PersistentVolumeClaim", claim)


def _database_env(container: dict) -> dict:
    return {e["name"]: e.get("valueFrom") for e in container["env"] if e["name"].startswith("CRM_DB_")}


def test_the_restore_job_reads_what_the_backup_writes(docs):
    job = yaml.safe_load((DEPLOY / "restore" / "job.yaml").read_text(encoding="utf-8"))
    cron = pod_spec(named(docs, "CronJob", "crm-backup"))
    spec = pod_spec(job)
    (container,) = spec["containers"]
    assert container["command"] == ["/bin/sh", "/scripts/restore.sh"]
    assert container["image"] == cron["containers"][0]["image"]
    assert _database_env(container) == _database_env(cron["containers"][0])
    assert {v["name"]: v for v in spec["volumes"]} == {v["name"]: v for v in cron["volumes"]}
    assert "namespace" not in job["metadata"], "created with kubectl -n in the branch's namespace"


# --------------------------------------------------------------------------- monitoring

def _exported_metrics() -> set[str]:
    names = set()
    for source in METRIC_SOURCES:
        for kind, name in re.findall(r'(Histogram|Gauge|Counter)\(\s*"([a-z_]+)"', source.read_text()):
            suffixes = {"Histogram": ("_bucket", "_count", "_sum"), "Counter": ("_total",), "Gauge": ("",)}[kind]
            names |= {name + s for s in suffixes}
    return names


def _queried(expr: str) -> set[str]:
    return set(re.findall(r"\bcrm_[a-z_]+", expr))


def test_alerts_and_dashboard_query_metrics_the_code_exports():
    exported = _exported_metrics()
    (target,) = [t for t in component("monitoring") if t[0].name == "shanghai"]
    docs = render(target)
    rules = [r for g in named(docs, "PrometheusRule", "crm-suite")["spec"]["groups"] for r in g["rules"]]
    alerts = {r["alert"]: r for r in rules}
    assert {"CrmOutboxLagging", "CrmDeadLetters", "CrmEventHandlerRetrying", "CrmGateway5xx", "CrmRpcTimeouts",
            "CrmDatabasePoolExhausted"} <= alerts.keys()
    for rule in rules:
        assert _queried(rule["expr"]) <= exported, f"{rule['alert']} queries {_queried(rule['expr']) - exported}"
        assert rule["labels"]["severity"] in ("warning", "critical") and rule["annotations"]["summary"]
    dashboard = json.loads(named(docs, "ConfigMap", "crm-grafana-dashboard")["data"]["crm-suite.json"])
    assert dashboard == json.loads((COMPONENTS_DIR / "monitoring" / "dashboard.json").read_text(encoding="utf-8"))
    queried = set()
    for panel in dashboard["panels"]:
        for t in panel["targets"]:
            assert _queried(t["expr"]) <= exported, f"panel {panel['title']!r}: {_queried(t['expr']) - exported}"
            queried |= _queried(t["expr"])
    assert len(queried) >= 10, f"the dashboard shows little: {sorted(queried)}"


def test_service_monitors_scrape_every_deployable_on_a_declared_port():
    for target in component("monitoring"):
        docs = render(target)
        scraped = set()
        for monitor in of_kind(docs, "ServiceMonitor"):
            spec = monitor["spec"]
            for svc in of_kind(docs, "Service"):
                if selects(spec["selector"], svc["metadata"].get("labels", {})):
                    ports = {p["name"] for p in svc["spec"]["ports"]}
                    assert {e["port"] for e in spec["endpoints"]} <= ports, f"{svc['metadata']['name']}: {ports}"
                    assert all(e["path"] == "/metrics" and e["honorLabels"] for e in spec["endpoints"])
                    scraped.add(svc["metadata"]["name"])
        assert scraped == set(DEPLOYABLES), f"{rel(target)}: scraped {scraped}"


# --------------------------------------------------------------------------- operators

def test_the_rabbitmq_component_gives_the_suite_its_vhost_and_user():
    for target in component("rabbitmq"):
        docs = render(target)
        (cluster,) = of_kind(docs, "RabbitmqCluster")
        name = cluster["metadata"]["name"]
        (vhost,) = of_kind(docs, "Vhost")
        (user,) = of_kind(docs, "User")
        (permission,) = of_kind(docs, "Permission")
        for obj in (vhost, user, permission):
            assert obj["spec"]["rabbitmqClusterReference"] == {"name": name}
        assert permission["spec"]["vhost"] == vhost["spec"]["name"]
        assert permission["spec"]["userReference"] == {"name": user["metadata"]["name"]}
        assert set(permission["spec"]["permissions"].values()) == {".*"}, "the migration Jobs declare queues"


def test_the_cloudnative_pg_component_gives_each_deployable_its_own_database():
    for target in component("cloudnative-pg"):
        for cluster in of_kind(render(target), "Cluster"):
            name = cluster["metadata"]["name"].removeprefix("crm-db-")
            assert name in DEPLOYABLES
            assert cluster["spec"]["bootstrap"]["initdb"] == {"database": f"crm_{name}", "owner": f"crm_{name}"}
            assert cluster["spec"]["instances"] >= 2 and cluster["spec"]["enablePDB"] is True
