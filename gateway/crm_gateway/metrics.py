"""Prometheus metrics of the gateway: HTTP requests by route and RPC calls by service method."""
from prometheus_client import CollectorRegistry, Histogram

REGISTRY = CollectorRegistry()
_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
HTTP_SECONDS = Histogram("crm_http_request_seconds", "Gateway request latency", ["method", "route", "status"],
                         registry=REGISTRY, buckets=_BUCKETS)
RPC_SECONDS = Histogram("crm_rpc_client_seconds", "RPC latency seen by the gateway", ["service", "method", "outcome"],
                        registry=REGISTRY, buckets=_BUCKETS)
