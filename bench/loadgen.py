"""A small closed-loop HTTP/1.1 load generator: C keep-alive connections, each sending the next
GET as soon as the previous answer is read. asyncio on raw sockets, so the client costs far less
CPU than requests/threads would on the same 2 cores (no wrk here).

usage: python bench/loadgen.py URL CONCURRENCY SECONDS WARMUP_SECONDS [HEADER:VALUE ...]
Prints one JSON line: sorted latencies (ms), wall time, errors, this process's CPU seconds.
"""
import asyncio
import json
import resource
import sys
import time
from urllib.parse import urlsplit


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def _connection(host, port, request, until, record, errors):
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while time.perf_counter() < until():
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
                errors.append(head.split(b"\r\n", 1)[0].decode())
            record((time.perf_counter() - t0) * 1000)
    finally:
        writer.close()


async def run(url: str, concurrency: int, seconds: float, warmup: float, headers: dict) -> dict:
    parts = urlsplit(url)
    lines = [f"GET {parts.path}{'?' + parts.query if parts.query else ''} HTTP/1.1",
             f"Host: {parts.hostname}:{parts.port}", "Connection: keep-alive",
             *(f"{k}: {v}" for k, v in headers.items())]
    request = ("\r\n".join(lines) + "\r\n\r\n").encode()
    latencies, errors, state = [], [], {"measuring": False}
    start = time.perf_counter()
    end = start + warmup + seconds

    def record(ms):
        if state["measuring"]:
            latencies.append(ms)

    async def flip():
        await asyncio.sleep(warmup)
        state["measuring"], state["t0"], state["cpu0"] = True, time.perf_counter(), cpu_seconds()

    tasks = [asyncio.create_task(_connection(parts.hostname, parts.port, request, lambda: end, record, errors))
             for _ in range(concurrency)]
    await flip()
    await asyncio.gather(*tasks)
    return {"latencies_ms": sorted(latencies), "wall_s": time.perf_counter() - state["t0"],
            "client_cpu_s": cpu_seconds() - state["cpu0"], "errors": errors[:5], "error_count": len(errors)}


def main():
    url, concurrency, seconds, warmup = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
    headers = dict(h.split(":", 1) for h in sys.argv[5:])
    print(json.dumps(asyncio.run(run(url, concurrency, seconds, warmup, headers))), flush=True)


if __name__ == "__main__":
    main()
