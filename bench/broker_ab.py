"""The broker's CPU per RPC for ways of publishing and consuming it, alternated in one run (issue 15).

usage: .venv/bin/python bench/broker_ab.py

The RabbitMQ of a machine is shared by everything on it, so its CPU per request in the HTTP
benches carries whatever else it carried that minute. This measures one thing at a time: a raw
py-amqp responder (bench/echo_responder.py's loop) answers a raw py-amqp caller on a vhost of
their own, closed loop at BENCH_BROKER_CONCURRENCY in flight (1 and 16 by default), for each
variant of how a request and its reply travel, the variants taken in turn BENCH_BROKER_ROUNDS
times; printed: beam.smp's CPU µs per RPC (utime + stime from /proc), min / median / max over
the rounds, and the load average. Variants (what the suite does is `suite`):
- suite: the reply published to the nameko-rpc topic exchange with the reply queue as its
  routing key, the request acked after the reply, prefetch 10, a durable request queue;
- reply-direct: the reply published to the default exchange (straight to the queue by name);
- no-ack: the request delivered without an ack (the broker forgets it once sent);
- persistent: request and reply with delivery_mode 2 (what RPC does not need; for scale).
Vhost crm-broker<slot> (CRM_TEST_SLOT, default 7) on the machine's broker; or, with
BENCH_BROKER_PORT and BENCH_BROKER_PID, vhost / of another broker (one started for the
measurement alone, so that nobody else's traffic is in its CPU).
"""
import os
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

import amqp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from stack import reset_vhost  # noqa: E402

SLOT = int(os.environ.get("CRM_TEST_SLOT", "7"))
ROUNDS = int(os.environ.get("BENCH_BROKER_ROUNDS", "5"))
CALLS = int(os.environ.get("BENCH_BROKER_CALLS", "2000"))
CONCURRENCY = [int(c) for c in os.environ.get("BENCH_BROKER_CONCURRENCY", "1,16").split(",")]
VARIANTS = os.environ.get("BENCH_BROKER_VARIANTS", "suite,reply-direct,no-ack,persistent").split(",")
PORT = int(os.environ.get("BENCH_BROKER_PORT", "5672"))
VHOST = f"crm-broker{SLOT}" if PORT == 5672 else "/"
EXCHANGE = "nameko-rpc"
REQUEST = b'{"args":["00000000-0000-4000-8000-000000000000"],"kwargs":{}}'
REPLY = b'{"result":' + b'"' + b"x" * 1700 + b'"' + b',"error":null}'  # a customer's detail, about


def connect() -> amqp.Connection:
    connection = amqp.Connection(host=f"127.0.0.1:{PORT}", virtual_host=VHOST)
    connection.connect()
    return connection


def respond(variant: str) -> None:
    """The responder's loop, in a process of its own (`broker_ab.py respond VARIANT`)."""
    connection = connect()
    channel = connection.channel()
    queue = f"rpc-ab-{variant}"
    channel.exchange_declare(EXCHANGE, "topic", durable=True, auto_delete=False)
    channel.queue_declare(queue, durable=True, auto_delete=False)
    channel.queue_bind(queue, EXCHANGE, routing_key=f"ab-{variant}.*")
    channel.basic_qos(0, 10, False)
    no_ack = variant == "no-ack"
    exchange = "" if variant == "reply-direct" else EXCHANGE
    mode = 2 if variant == "persistent" else 1

    def on_request(message):
        channel.basic_publish(
            amqp.Message(REPLY, content_type="application/x-crm-json", content_encoding="utf-8",
                         correlation_id=message.properties["correlation_id"], delivery_mode=mode),
            exchange=exchange, routing_key=message.properties["reply_to"])
        if not no_ack:
            channel.basic_ack(message.delivery_tag)

    channel.basic_consume(queue, callback=on_request, no_ack=no_ack)
    print("ready", flush=True)
    while True:
        connection.drain_events()


def broker_pid() -> int:
    if os.environ.get("BENCH_BROKER_PID"):
        return int(os.environ["BENCH_BROKER_PID"])
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if b"beam.smp" in cmdline and b"rabbit" in cmdline and b"boot" in cmdline:
                return int(entry.name)
    sys.exit("no RabbitMQ (beam.smp) found")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Caller:
    def __init__(self, variant: str):
        self.connection = connect()
        self.channel = self.connection.channel()
        self.reply_queue = f"rpc.reply-ab-{uuid.uuid4()}"
        self.channel.exchange_declare(EXCHANGE, "topic", durable=True, auto_delete=False)
        self.channel.queue_declare(self.reply_queue, exclusive=True, auto_delete=True)
        self.channel.queue_bind(self.reply_queue, EXCHANGE, routing_key=self.reply_queue)
        self.channel.basic_consume(self.reply_queue, callback=self._answered, no_ack=True)
        self.routing_key = f"ab-{variant}.get"
        self.mode = 2 if variant == "persistent" else 1
        self.answers = 0

    def _answered(self, message):
        self.answers += 1

    def send(self):
        self.channel.basic_publish(
            amqp.Message(REQUEST, content_type="application/x-crm-json", content_encoding="utf-8",
                         correlation_id=uuid.uuid4().hex, reply_to=self.reply_queue, expiration="30000",
                         delivery_mode=self.mode),
            exchange=EXCHANGE, routing_key=self.routing_key)

    def run(self, calls: int, in_flight: int) -> None:
        self.answers, sent = 0, 0
        for _ in range(in_flight):
            self.send()
            sent += 1
        while self.answers < calls:
            before = self.answers
            self.connection.drain_events(timeout=10)
            for _ in range(self.answers - before):
                if sent < calls:
                    self.send()
                    sent += 1


def main() -> None:
    if PORT == 5672:
        reset_vhost(VHOST, fresh=True)
    pid = broker_pid()
    responders = {}
    for variant in VARIANTS:
        process = subprocess.Popen([sys.executable, __file__, "respond", variant], stdout=subprocess.PIPE, text=True)
        assert process.stdout.readline().strip() == "ready"
        responders[variant] = process
    callers = {variant: Caller(variant) for variant in VARIANTS}
    results = {(variant, c): [] for variant in VARIANTS for c in CONCURRENCY}
    load = os.getloadavg()[0]
    try:
        for variant in VARIANTS:  # warm-up
            callers[variant].run(200, 4)
        for _ in range(ROUNDS):
            for c in CONCURRENCY:
                for variant in VARIANTS:
                    before, started = cpu_seconds(pid), time.perf_counter()
                    callers[variant].run(CALLS, c)
                    elapsed = time.perf_counter() - started
                    results[(variant, c)].append(((cpu_seconds(pid) - before) / CALLS * 1e6, CALLS / elapsed))
    finally:
        for process in responders.values():
            process.terminate()
    print(f"# broker CPU per RPC, {ROUNDS} rounds x {CALLS} calls per cell, load average "
          f"{load:.1f} -> {os.getloadavg()[0]:.1f}")
    print(f"{'variant':14} {'c':>3}  {'broker µs/RPC min / median / max':>34}  {'RPC/s median':>12}")
    for (variant, c), values in sorted(results.items(), key=lambda item: (item[0][1], VARIANTS.index(item[0][0]))):
        cpu = sorted(v[0] for v in values)
        rate = statistics.median(v[1] for v in values)
        print(f"{variant:14} {c:>3}  {cpu[0]:10.0f} / {statistics.median(cpu):6.0f} / {cpu[-1]:6.0f}      {rate:10.0f}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "respond":
        respond(sys.argv[2])
    else:
        main()
