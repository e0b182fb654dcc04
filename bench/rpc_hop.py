"""Serial RPC round trips with the gateway's own RpcClient (same process model: eventlet,
monkey-patched), against a Nameko service or against bench/echo_responder.py.

usage: python bench/rpc_hop.py AMQP_URI SERVICE METHOD ARGS_JSON CONTEXT_JSON N WARMUP
Prints one JSON line: latencies in ms (sorted) and this process's CPU seconds for the N calls.
"""
from crm_common.bootstrap import prepare_process

prepare_process()

import json  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

from crm_gateway.rpc_client import RpcClient  # noqa: E402


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main(uri, service, method, args, context, n, warmup):
    client = RpcClient(uri, timeout=10)
    for _ in range(warmup):
        client.call(service, method, list(args), dict(context))
    print("warm", flush=True)
    sys.stdin.readline()  # the parent snapshots the other processes' CPU, then says go
    latencies = []
    cpu0 = cpu_seconds()
    start = time.perf_counter()
    for _ in range(n):
        t0 = time.perf_counter()
        client.call(service, method, list(args), dict(context))
        latencies.append((time.perf_counter() - t0) * 1000)
    wall = time.perf_counter() - start
    print(json.dumps({"latencies_ms": sorted(latencies), "wall_s": wall, "client_cpu_s": cpu_seconds() - cpu0}),
          flush=True)


if __name__ == "__main__":
    uri, service, method, args, context, n, warmup = sys.argv[1:8]
    main(uri, service, method, json.loads(args), json.loads(context), int(n), int(warmup))
