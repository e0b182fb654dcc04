"""Start the whole suite locally: used by `make run` and by the end-to-end tests.

Does the set-up a fresh machine needs (secrets, RabbitMQ vhost, databases, migrations, first
administrator), then runs the five services and the gateway as separate processes.
"""
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
LOCAL = ROOT / ".local"
SERVICES = ("customers", "sales", "logistics", "finance", "workspace")
COMPONENTS = SERVICES + ("gateway",)
PG_ADMIN_URL = os.environ.get("CRM_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
RABBIT_HOST = os.environ.get("CRM_RABBIT_HOST", "127.0.0.1")
RABBIT_MANAGEMENT = f"http://{RABBIT_HOST}:15672"


def fail(message: str) -> None:
    print(message, file=sys.stderr)
    sys.exit(1)


def local_secrets() -> dict:
    """Generated once per checkout and kept out of git; real deployments inject their own."""
    LOCAL.mkdir(exist_ok=True)
    path = LOCAL / "secrets.json"
    if not path.exists():
        path.write_text(json.dumps({"CRM_SECRET_KEY": secrets.token_urlsafe(32),
                                    "CRM_JWT_SECRET": secrets.token_urlsafe(48)}))
        path.chmod(0o600)
    values = json.loads(path.read_text())
    return {key: os.environ.get(key, value) for key, value in values.items()}


def _management(method: str, path: str) -> int:
    request = urllib.request.Request(f"{RABBIT_MANAGEMENT}{path}", method=method)
    request.add_header("Authorization", "Basic Z3Vlc3Q6Z3Vlc3Q=")  # guest:guest, local broker only
    request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, data=b"{}" if method == "PUT" else None, timeout=10) as resp:
            return resp.status
    except urllib.error.HTTPError as exc:
        return exc.code


def ensure_management_api() -> None:
    """Vhosts are made through the management API; enable the plugin if it is off (works offline)."""
    try:
        _management("GET", "/api/overview")
        return
    except OSError:
        pass
    print("enabling rabbitmq_management …", flush=True)
    result = subprocess.run(["rabbitmq-plugins", "enable", "rabbitmq_management"], capture_output=True, text=True)
    if result.returncode != 0:
        fail(f"Could not enable rabbitmq_management ({result.stderr.strip()[:200]}); "
             "run: rabbitmq-plugins enable rabbitmq_management")
    for _ in range(60):
        try:
            _management("GET", "/api/overview")
            return
        except OSError:
            time.sleep(0.5)
    fail(f"RabbitMQ management API did not come up at {RABBIT_MANAGEMENT}")


def reset_vhost(vhost: str, fresh: bool) -> None:
    ensure_management_api()
    encoded = quote(vhost, safe="")
    if fresh:
        _management("DELETE", f"/api/vhosts/{encoded}")
    if _management("PUT", f"/api/vhosts/{encoded}") not in (201, 204):
        fail(f"Could not create RabbitMQ vhost {vhost}")
    _management("PUT", f"/api/permissions/{encoded}/guest")


def ensure_databases(prefix: str, fresh: bool, components=COMPONENTS) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5) as conn:
        for component in components:
            name = f"{prefix}{component}"
            if fresh:
                conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
            if not exists:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


class Stack:
    def __init__(self, *, db_prefix="crm_", vhost="/", gateway_port=8000, health_base=8100,
                 branch="HQ", log_dir=LOCAL / "logs", extra_env=None, components=COMPONENTS, service_env=None):
        self.db_prefix, self.vhost, self.branch = db_prefix, vhost, branch
        self.components = components  # a second branch runs the five services without a gateway
        self.gateway_port, self.health_base = gateway_port, health_base
        self.log_dir = Path(log_dir)
        self.extra_env = extra_env or {}
        self.service_env = service_env or {}  # the five services only, not the gateway
        self.processes: dict[str, subprocess.Popen] = {}

    @property
    def amqp_uri(self) -> str:
        return f"amqp://guest:guest@{RABBIT_HOST}:5672/{quote(self.vhost, safe='')}"

    def database_url(self, component: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:5432/{self.db_prefix}{component}"

    def health_port(self, component: str) -> int:
        return self.gateway_port if component == "gateway" else self.health_base + 1 + SERVICES.index(component)

    def env(self, component: str) -> dict:
        env = {**os.environ, **local_secrets(), "CRM_AMQP_URI": self.amqp_uri,
               "CRM_DATABASE_URL": self.database_url(component), "CRM_BRANCH": self.branch,
               "CRM_GATEWAY_PORT": str(self.gateway_port), "CRM_HEALTH_PORT": str(self.health_port(component)),
               "PSYCOPG_WAIT_FUNC": "wait_select", "PYTHONWARNINGS": "ignore", **self.extra_env,
               **(self.service_env if component != "gateway" else {})}
        return env

    def preflight(self) -> None:
        sys.path.insert(0, str(ROOT / "common"))
        from crm_common.preflight import DependencyDown, require_reachable
        try:
            require_reachable("PostgreSQL", PG_ADMIN_URL, 5432)
            require_reachable("RabbitMQ", self.amqp_uri, 5672)
        except DependencyDown as exc:
            fail(str(exc))

    def prepare(self, fresh=False) -> None:
        self.preflight()
        reset_vhost(self.vhost, fresh)
        ensure_databases(self.db_prefix, fresh, self.components)
        migrations = {c: subprocess.Popen([sys.executable, "-m", f"crm_{c}", "migrate"], env=self.env(c),
                                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                      for c in self.components}
        for component, process in migrations.items():
            output, _ = process.communicate()
            if process.returncode != 0:
                fail(f"migration of {component} failed:\n{output[-3000:]}")
        if "gateway" not in self.components:
            return
        result = subprocess.run([sys.executable, "-m", "crm_gateway", "create-admin"], env=self.env("gateway"),
                                capture_output=True, text=True)
        if result.returncode != 0:
            fail(f"creating the administrator failed:\n{result.stderr[-3000:]}")
        if result.stdout.strip():
            print(result.stdout.strip(), flush=True)

    def start(self, component: str) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log = open(self.log_dir / f"{component}.log", "ab")
        self.processes[component] = subprocess.Popen(
            [sys.executable, "-m", f"crm_{component}"], env=self.env(component), stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True)

    def wait_ready(self, component: str, timeout: float = 180) -> None:
        url = f"http://127.0.0.1:{self.health_port(component)}/readyz"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            process = self.processes.get(component)
            if process is not None and process.poll() is not None:
                fail(f"{component} exited with {process.returncode}; see {self.log_dir / (component + '.log')}")
            try:
                with urllib.request.urlopen(url, timeout=2) as resp:
                    if resp.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.2)
        fail(f"{component} was not ready within {timeout} s; see {self.log_dir / (component + '.log')}")

    def start_all(self) -> None:
        for component in self.components:
            self.start(component)
        for component in self.components:
            self.wait_ready(component)

    def kill(self, component: str, sig=signal.SIGKILL) -> None:
        process = self.processes.pop(component)
        process.send_signal(sig)
        process.wait(timeout=30)

    def stop_all(self, timeout: float = 15) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for process in self.processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.processes.clear()


def run() -> None:
    stack = Stack(gateway_port=int(os.environ.get("CRM_GATEWAY_PORT", "8000")),
                  health_base=int(os.environ.get("CRM_HEALTH_BASE", "8100")),
                  db_prefix=os.environ.get("CRM_DB_PREFIX", "crm_"), vhost=os.environ.get("CRM_VHOST", "/"),
                  branch=os.environ.get("CRM_BRANCH", "HQ"))
    stack.prepare()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        stack.start_all()
        print(f"CRM suite is up: http://127.0.0.1:{stack.gateway_port}/api/v1  "
              f"(logs in {stack.log_dir}; Ctrl-C stops everything)", flush=True)
        while all(p.poll() is None for p in stack.processes.values()):
            time.sleep(0.5)
        dead = [c for c, p in stack.processes.items() if p.poll() is not None]
        print(f"{', '.join(dead)} stopped unexpectedly; see {stack.log_dir}; stopping the rest", file=sys.stderr)
    except KeyboardInterrupt:
        print("\nstopping …", flush=True)
    finally:
        stack.stop_all()


if __name__ == "__main__":
    {"run": run, "prepare": lambda: Stack().prepare()}[sys.argv[1] if len(sys.argv) > 1 else "run"]()
