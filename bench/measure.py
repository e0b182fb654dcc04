"""Measuring helpers of the benchmarks: percentiles, CPU used by processes and by the machine,
helper processes that print JSON, pooled latency samples."""
import json
import os
import subprocess
import sys
from pathlib import Path

CLK_TCK = os.sysconf("SC_CLK_TCK")
PY = sys.executable
ROOT = Path(__file__).resolve().parent.parent


def percentile(sorted_values, q: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    if not sorted_values:
        return float("nan")
    rank = max(1, int(-(-q * len(sorted_values) // 1)))  # ceil(q * n)
    return sorted_values[min(rank, len(sorted_values)) - 1]


def process_cpu(pid: int | None) -> float:
    """CPU seconds (user + system) a process has used so far; 0 if unknown."""
    if not pid:
        return 0.0
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def pids_named(prefix: str) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip().startswith(prefix):
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


def machine_cpu() -> tuple[float, float]:
    """(busy, steal) CPU seconds of the whole machine so far, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    user, nice, system, idle, iowait, irq, softirq, steal = (values + [0] * 8)[:8]
    return (user + nice + system + irq + softirq) / CLK_TCK, steal / CLK_TCK


class CpuMeter:
    """CPU seconds used between start() and stop() by named processes, by all PostgreSQL
    processes (if asked; backends opened meanwhile count whole), and by the whole machine."""

    def __init__(self, pids: dict, postgres=False):
        self.pids = {name: pid for name, pid in pids.items() if pid}
        self.postgres = postgres

    def start(self):
        self.before = {name: process_cpu(pid) for name, pid in self.pids.items()}
        self.pg = {pid: process_cpu(pid) for pid in pids_named("postgres")} if self.postgres else {}
        self.machine = machine_cpu()

    def stop(self) -> dict:
        used = {name: process_cpu(pid) - self.before[name] for name, pid in self.pids.items()}
        if self.postgres:
            used["postgres"] = sum(max(0.0, process_cpu(pid) - self.pg.get(pid, 0.0))
                                   for pid in pids_named("postgres"))
        busy, steal = machine_cpu()
        used["machine"], used["steal"] = busy - self.machine[0], steal - self.machine[1]
        return used


def run_json(args: list[str], env=None, go_after_warm=None) -> dict:
    """Run a bench helper; if it prints 'warm', call go_after_warm() and let it continue."""
    process = subprocess.Popen([PY, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                               env=env, cwd=ROOT)
    line = process.stdout.readline()
    if line.strip() == "warm":
        if go_after_warm:
            go_after_warm()
        process.stdin.write("go\n")
        process.stdin.flush()
        line = process.stdout.readline()
    process.wait(timeout=600)
    if process.returncode != 0 or not line:
        raise RuntimeError(f"{args[0]} failed with {process.returncode}")
    return json.loads(line)


def start_helper(args: list[str], env) -> subprocess.Popen:
    process = subprocess.Popen([PY, *args], stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    if process.stdout.readline().strip() != "ready":
        process.kill()
        raise RuntimeError(f"{args[0]} did not start")
    return process


class Pool:
    """Latencies, wall time and CPU of several blocks of the same measurement, pooled."""

    def __init__(self):
        self.latencies, self.wall, self.cpu = [], 0.0, {}

    def add(self, latencies, wall, cpu: dict):
        self.latencies.extend(latencies)
        self.wall += wall
        for key, value in cpu.items():
            self.cpu[key] = self.cpu.get(key, 0.0) + value

    def summary(self) -> dict:
        lat = sorted(self.latencies)
        n = len(lat)
        return {"n": n, "p50_ms": percentile(lat, 0.5), "p99_ms": percentile(lat, 0.99),
                "mean_ms": sum(lat) / n, "per_s": n / self.wall,
                "cpu_ms_each": {k: 1000 * v / n for k, v in self.cpu.items()}}
