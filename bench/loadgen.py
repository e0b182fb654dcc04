"""A small closed-loop HTTP/1.1 load generator: C keep-alive connections, each sending the next
GET as soon as the previous answer is read. asyncio on raw sockets, so the client costs far less
CPU than requests/threads would on the same 2 cores (no wrk here).

usage: python bench/loadgen.py URL CONCURRENCY SECONDS WARMUP_SECONDS [HEADER:VALUE ...]
       python bench/loadgen.py --spec SPEC.json
A spec is a mix: {"host", "port", "seconds", "warmup", "connections": [{"headers": {...},
"requests": [[label, weight, path], ...]}, ...]}; each connection picks its next request by
weight (seeded, so runs are comparable) and latencies are kept per label.
Prints one JSON line: sorted latencies (ms) overall and per label, wall time, errors, this
process's CPU seconds.
"""
import asyncio
import json
import random
import resource
import sys
import time
from urllib.parse import urlsplit


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _request(host, port, path, headers: dict) -> bytes:
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}:{port}", "Connection: keep-alive",
             *(f"{k}: {v}" for k, v in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


async def _connection(host, port, choose, until, record, errors):
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while time.perf_counter() < until():
            label, request = choose()
            t0 = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            length = None
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            if length is None:
                raise RuntimeError("response without Content-Length")
            await reader.readexactly(length)
            if not head.startswith(b"HTTP/1.1 200"):
                status = head.split(b"\r\n", 1)[0].decode()
                errors.append(f"{label}: {status}")
            record(label, (time.perf_counter() - t0) * 1000)
    finally:
        writer.close()


def _chooser(host, port, connection: dict, seed: int):
    rng = random.Random(seed)
    options = [(label, _request(host, port, path, connection.get("headers", {})))
               for label, _weight, path in connection["requests"]]
    weights = [weight for _label, weight, _path in connection["requests"]]
    return lambda: rng.choices(options, weights)[0]


async def run(spec: dict) -> dict:
    host, port = spec["host"], spec["port"]
    seconds, warmup = spec["seconds"], spec["warmup"]
    by_label, errors, state = {}, [], {"measuring": False}
    end = time.perf_counter() + warmup + seconds

    def record(label, ms):
        if state["measuring"]:
            by_label.setdefault(label, []).append(ms)

    async def flip():
        await asyncio.sleep(warmup)
        state["measuring"], state["t0"], state["cpu0"] = True, time.perf_counter(), cpu_seconds()

    tasks = [asyncio.create_task(_connection(host, port, _chooser(host, port, c, i), lambda: end, record, errors))
             for i, c in enumerate(spec["connections"])]
    await flip()
    await asyncio.gather(*tasks)
    everything = sorted(ms for values in by_label.values() for ms in values)
    return {"latencies_ms": everything, "by_label": {k: sorted(v) for k, v in by_label.items()},
            "wall_s": time.perf_counter() - state["t0"], "client_cpu_s": cpu_seconds() - state["cpu0"],
            "errors": errors[:5], "error_count": len(errors)}


def spec_for(url: str, concurrency: int, seconds: float, warmup: float, headers: dict) -> dict:
    """The spec of C identical connections sending GET url."""
    parts = urlsplit(url)
    path = f"{parts.path}{'?' + parts.query if parts.query else ''}"
    return {"host": parts.hostname, "port": parts.port, "seconds": seconds, "warmup": warmup,
            "connections": [{"headers": headers, "requests": [["get", 1, path]]}] * concurrency}


def main():
    if sys.argv[1] == "--spec":
        with open(sys.argv[2], encoding="utf-8") as handle:
            spec = json.load(handle)
    else:
        url, concurrency, seconds, warmup = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
        spec = spec_for(url, concurrency, seconds, warmup, dict(h.split(":", 1) for h in sys.argv[5:]))
    print(json.dumps(asyncio.run(run(spec))), flush=True)


if __name__ == "__main__":
    main()
