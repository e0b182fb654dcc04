"""Objects of the operators' custom resources, checked offline against the fields their API
references name (kubernetes-validate knows only the built-in kinds). A field not listed for its
place is an error, as kubernetes-validate's strict mode does for built-ins, and so is a missing
required one. Sources, as of the versions the components target:
- Prometheus Operator API reference (monitoring.coreos.com/v1): ServiceMonitor, PrometheusRule
- CloudNativePG 1.27 API reference (postgresql.cnpg.io/v1): Cluster
- RabbitMQ Cluster Operator and Messaging Topology Operator API references (rabbitmq.com/v1beta1)
Each place is a dotted path from the object; "[]" steps into every item of a list.
"""
from __future__ import annotations

# place -> (allowed fields, required fields)
Fields = dict[str, tuple[set[str], set[str]]]

_CLUSTER_REF = {"name", "namespace", "connectionSecret"}

CRD_FIELDS: dict[tuple[str, str], Fields] = {
    ("monitoring.coreos.com/v1", "ServiceMonitor"): {
        "spec": ({"jobLabel", "targetLabels", "podTargetLabels", "endpoints", "selector", "selectorMechanism",
                  "namespaceSelector", "sampleLimit", "scrapeProtocols", "fallbackScrapeProtocol", "targetLimit",
                  "labelLimit", "labelNameLengthLimit", "labelValueLengthLimit", "scrapeClassicHistograms",
                  "nativeHistogramBucketLimit", "nativeHistogramMinBucketFactor", "keepDroppedTargets",
                  "attachMetadata", "scrapeClass", "bodySizeLimit"}, {"selector", "endpoints"}),
        "spec.endpoints[]": ({"port", "targetPort", "path", "scheme", "params", "interval", "scrapeTimeout",
                              "tlsConfig", "bearerTokenFile", "bearerTokenSecret", "authorization", "honorLabels",
                              "honorTimestamps", "trackTimestampsStaleness", "basicAuth", "oauth2",
                              "metricRelabelings", "relabelings", "proxyUrl", "noProxy", "proxyFromEnvironment",
                              "proxyConnectHeader", "followRedirects", "enableHttp2", "filterRunning"}, set()),
        "spec.selector": ({"matchLabels", "matchExpressions"}, set()),
    },
    ("monitoring.coreos.com/v1", "PrometheusRule"): {
        "spec": ({"groups"}, {"groups"}),
        "spec.groups[]": ({"name", "labels", "interval", "query_offset", "rules", "limit",
                           "partial_response_strategy"}, {"name", "rules"}),
        "spec.groups[].rules[]": ({"record", "alert", "expr", "for", "keep_firing_for", "labels", "annotations"},
                                  {"alert", "expr"}),
    },
    ("postgresql.cnpg.io/v1", "Cluster"): {
        "spec": ({"description", "inheritedMetadata", "imageName", "imageCatalogRef", "imagePullPolicy",
                  "schedulerName", "postgresUID", "postgresGID", "instances", "minSyncReplicas", "maxSyncReplicas",
                  "postgresql", "replicationSlots", "bootstrap", "replica", "superuserSecret",
                  "enableSuperuserAccess", "certificates", "imagePullSecrets", "storage", "serviceAccountTemplate",
                  "walStorage", "ephemeralVolumeSource", "startDelay", "stopDelay", "smartShutdownTimeout",
                  "switchoverDelay", "failoverDelay", "livenessProbeTimeout", "affinity",
                  "topologySpreadConstraints", "resources", "ephemeralVolumesSizeLimit", "priorityClassName",
                  "primaryUpdateStrategy", "primaryUpdateMethod", "backup", "nodeMaintenanceWindow", "monitoring",
                  "externalClusters", "logLevel", "projectedVolumeTemplate", "env", "envFrom", "managed",
                  "seccompProfile", "tablespaces", "enablePDB", "plugins", "probes"}, {"instances"}),
        "spec.bootstrap": ({"initdb", "recovery", "pg_basebackup"}, set()),
        "spec.bootstrap.initdb": ({"database", "owner", "secret", "options", "dataChecksums", "encoding",
                                   "localeCollate", "localeCType", "locale", "localeProvider", "icuLocale",
                                   "icuRules", "builtinLocale", "walSegmentSize", "postInitSQL",
                                   "postInitApplicationSQL", "postInitTemplateSQL", "import",
                                   "postInitApplicationSQLRefs", "postInitTemplateSQLRefs", "postInitSQLRefs"},
                                  set()),
        "spec.storage": ({"storageClass", "size", "resizeInUseVolumes", "pvcTemplate"}, set()),
        "spec.postgresql": ({"parameters", "synchronous", "pg_hba", "pg_ident", "syncReplicaElectionConstraint",
                             "shared_preload_libraries", "ldap", "promotionTimeout", "enableAlterSystem",
                             "extensions"}, set()),
        "spec.affinity": ({"enablePodAntiAffinity", "topologyKey", "nodeSelector", "nodeAffinity", "tolerations",
                           "podAntiAffinityType", "additionalPodAntiAffinity", "additionalPodAffinity"}, set()),
        "spec.resources": ({"requests", "limits", "claims"}, set()),
    },
    ("rabbitmq.com/v1beta1", "RabbitmqCluster"): {
        "spec": ({"replicas", "image", "imagePullSecrets", "service", "persistence", "resources", "affinity",
                  "tolerations", "rabbitmq", "tls", "override", "skipPostDeploySteps",
                  "terminationGracePeriodSeconds", "delayStartSeconds", "secretBackend",
                  "autoEnableAllFeatureFlags"}, set()),
        "spec.persistence": ({"storageClassName", "storage"}, set()),
        "spec.rabbitmq": ({"additionalPlugins", "additionalConfig", "advancedConfig", "envConfig",
                           "erlangInetConfig"}, set()),
        "spec.resources": ({"requests", "limits", "claims"}, set()),
    },
    ("rabbitmq.com/v1beta1", "Vhost"): {
        "spec": ({"name", "tracing", "tags", "defaultQueueType", "deletionPolicy", "limits",
                  "rabbitmqClusterReference"}, {"name", "rabbitmqClusterReference"}),
        "spec.rabbitmqClusterReference": (_CLUSTER_REF, set()),
    },
    ("rabbitmq.com/v1beta1", "User"): {
        "spec": ({"tags", "rabbitmqClusterReference", "importCredentialsSecret"}, {"rabbitmqClusterReference"}),
        "spec.rabbitmqClusterReference": (_CLUSTER_REF, set()),
    },
    ("rabbitmq.com/v1beta1", "Permission"): {
        "spec": ({"vhost", "user", "userReference", "permissions", "rabbitmqClusterReference"},
                 {"vhost", "permissions", "rabbitmqClusterReference"}),
        "spec.permissions": ({"configure", "write", "read"}, set()),
        "spec.userReference": ({"name"}, {"name"}),
        "spec.rabbitmqClusterReference": (_CLUSTER_REF, set()),
    },
}

_METADATA = {"name", "namespace", "labels", "annotations"}


def _at(node, steps: list[str]):
    """Every value found at a dotted path ("a.b[]" steps into each item of the list b)."""
    if not steps:
        return [node]
    step, rest = steps[0], steps[1:]
    many = step.endswith("[]")
    value = node.get(step.removesuffix("[]")) if isinstance(node, dict) else None
    if value is None:
        return []
    return [found for item in (value if many else [value]) for found in _at(item, rest)]


def check_custom_resource(doc: dict) -> list[str]:
    where = f'{doc["kind"]}/{doc["metadata"]["name"]}'
    errors = [f"{where}: metadata.{k} is not expected" for k in set(doc["metadata"]) - _METADATA]
    errors += [f"{where}: top-level {k} is not expected" for k in set(doc) - {"apiVersion", "kind", "metadata", "spec"}]
    for place, (allowed, required) in CRD_FIELDS[(doc["apiVersion"], doc["kind"])].items():
        for node in _at(doc, place.split(".")):
            if not isinstance(node, dict):
                errors.append(f"{where}: {place} must be an object")
                continue
            errors += [f"{where}: {place}.{k} is not a documented field" for k in sorted(set(node) - allowed)]
            errors += [f"{where}: {place}.{k} is required" for k in sorted(required - set(node))]
    return errors
