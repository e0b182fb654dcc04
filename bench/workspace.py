"""Workspace benchmark (issue 6): the home dashboard's latency with realistic data, and the
knowledge base's Chinese substring search with and without the pg_trgm index.

Starts a private suite (slot 4 ports: gateway 19820, health 19921+), loads data straight into
the workspace database (generate_series, seconds instead of minutes over HTTP), measures, prints
a table with ratios against baselines measured in the same run, and stops the suite even on error.

1. GET /dashboard vs GET /notifications/unread-count (one RPC hop and one scoped count), serial,
   as a department manager (scope `department`) and as the administrator (scope `all`, the widest).
2. Article search: the same ILIKE query with the trigram index vs forced sequential scan, for
   words of 2, 3 and 4 Chinese characters, over articles made of the manuals' sentences.

Knobs (environment): BENCH_WS_CALLS (400), BENCH_WS_ARTICLES (20000), BENCH_WS_SCALE (1.0).
"""
import os
import random
import sys
import time
import warnings
from pathlib import Path

import psycopg
import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from stack import Stack, local_secrets  # noqa: E402
from crm_workspace.knowledge.rules import document_terms, tsquery_text  # noqa: E402

warnings.filterwarnings("ignore", message=".*Eventlet is deprecated.*")
SLOT = 4
GATEWAY_PORT, HEALTH_BASE = 19000 + 200 * SLOT + 20, 19100 + 200 * SLOT + 20
ADMIN_PASSWORD = "admin-bench-password"
CALLS = int(os.environ.get("BENCH_WS_CALLS", "400"))
ARTICLES = int(os.environ.get("BENCH_WS_ARTICLES", "20000"))
SCALE = float(os.environ.get("BENCH_WS_SCALE", "1.0"))
MANUALS = Path("/work/shared/seed/crm-manuals.zh.txt")
WORDS = ["发票", "客户", "工号", "密码", "无理由", "集团客户", "查询结果", "详细信息"]


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(-(-q * len(ordered) // 1)) - 1))]


def timed_gets(session, url, n, warmup=30):
    for _ in range(warmup):
        session.get(url, timeout=30).raise_for_status()
    latencies = []
    for _ in range(n):
        start = time.perf_counter()
        response = session.get(url, timeout=30)
        latencies.append(1000 * (time.perf_counter() - start))
        response.raise_for_status()
    return {"p50": percentile(latencies, 0.5), "p95": percentile(latencies, 0.95), "p99": percentile(latencies, 0.99)}


def login(base, username, password):
    session = requests.Session()
    token = requests.post(f"{base}/auth/login", json={"username": username, "password": password},
                          timeout=30).json()["access_token"]
    session.headers["Authorization"] = f"Bearer {token}"
    return session


def make_people(base, admin):
    root = admin.get(f"{base}/me").json()["department"]["id"]
    east = admin.post(f"{base}/departments", json={"name": "East", "parent_id": root}).json()
    west = admin.post(f"{base}/departments", json={"name": "West", "parent_id": root}).json()
    perms = ["calendar.use", "diary.use", "reminders.use", "calls.read", "calls.write", "knowledge.read",
             "documents.read", "notifications.read", "announcements.read", "orders.approve"]
    role = admin.post(f"{base}/roles", json={"name": "Manager", "permissions": perms,
                                              "data_scope": "department"}).json()
    users = []
    for i in range(20):
        dept = east if i % 2 == 0 else west
        users.append(admin.post(f"{base}/users", json={
            "code": f"u{i:02d}", "name": f"User {i}", "password": "bench-password-1",
            "department_id": dept["id"], "role_ids": [role["id"]]}).json())
    return east, west, users


def load(conn, east, west, users):
    """Per user: ~1000 notifications, 100 reminders, 500 calls, 150 work orders, 250 events;
    200 announcements with read receipts. Times spread over the last year and the next month."""
    n = lambda x: max(1, int(x * SCALE))  # noqa: E731
    paths = [east["path"], west["path"]]
    ids = [u["id"] for u in users]
    conn.execute("CREATE TEMP TABLE people(i int, id uuid, path text)")
    for i, user_id in enumerate(ids):
        conn.execute("INSERT INTO people VALUES (%s, %s, %s)", (i, user_id, paths[i % 2]))
    conn.execute(f"""
        INSERT INTO notifications (id, kind, title, body, link, recipient_user_id, audience_permission,
                                   owner_id, department_path, branch, created_at)
        SELECT gen_random_uuid(), 'receivable_opened', 'Receivable ' || g, 'body ' || g, '/x',
               CASE WHEN g % 3 = 0 THEN NULL ELSE p.id END,
               CASE WHEN g % 3 = 0 THEN 'orders.approve' END,
               CASE WHEN g % 3 = 0 THEN p.id END, CASE WHEN g % 3 = 0 THEN p.path END,
               CASE WHEN g % 3 = 0 THEN 'HQ' END, now() - (g || ' minutes')::interval
        FROM people p, generate_series(1, {n(1000)}) g""")
    conn.execute("""INSERT INTO notification_reads (notification_id, user_id, read_at)
        SELECT id, recipient_user_id, now() FROM notifications
        WHERE recipient_user_id IS NOT NULL AND random() < 0.7""")
    conn.execute(f"""
        INSERT INTO reminders (id, title, due_at, status, source, owner_id, department_path, branch,
                               created_at, updated_at)
        SELECT gen_random_uuid(), 'todo ' || g, now() + ((g - {n(50)}) || ' hours')::interval,
               CASE WHEN g < {n(50)} THEN 'fired' ELSE 'pending' END, 'manual', p.id, p.path, 'HQ', now(), now()
        FROM people p, generate_series(1, {n(100)}) g""")
    conn.execute(f"""
        INSERT INTO call_records (id, phone, source, summary, received_at, status, owner_id,
                                  department_path, branch, created_at, updated_at)
        SELECT gen_random_uuid(), '139' || lpad(g::text, 8, '0'), (ARRAY['phone','wechat','web'])[1 + g % 3],
               'summary', now() - (g || ' hours')::interval, CASE WHEN g % 10 = 0 THEN 'pending' ELSE 'handled' END,
               p.id, p.path, 'HQ', now(), now()
        FROM people p, generate_series(1, {n(500)}) g""")
    conn.execute("""INSERT INTO categories (id, kind, name, path, branch, created_at, updated_at)
        VALUES ('00000000-0000-0000-0000-0000000000c1', 'business', 'Repair',
                '/00000000-0000-0000-0000-0000000000c1/', 'HQ', now(), now())""")
    conn.execute(f"""
        INSERT INTO work_orders (id, number, category_id, source, title, description, status, owner_id,
                                 department_path, branch, created_at, updated_at)
        SELECT gen_random_uuid(), 'WO-B-' || p.i || '-' || g, '00000000-0000-0000-0000-0000000000c1', 'phone',
               't', 'd', CASE WHEN g % 4 = 0 THEN 'open' ELSE 'closed' END, p.id, p.path, 'HQ',
               now() - (g || ' hours')::interval, now()
        FROM people p, generate_series(1, {n(150)}) g""")
    conn.execute(f"""
        INSERT INTO calendar_events (id, title, starts_at, ends_at, all_day, shared, owner_id, department_path,
                                     branch, created_at, updated_at)
        SELECT gen_random_uuid(), 'event ' || g, now() + ((g - {n(200)}) * 7 || ' hours')::interval,
               now() + ((g - {n(200)}) * 7 + 1 || ' hours')::interval, false, g % 5 = 0,
               p.id, p.path, 'HQ', now(), now()
        FROM people p, generate_series(1, {n(250)}) g""")
    conn.execute(f"""
        INSERT INTO announcements (id, title, body, audience_department_paths, published_at, expires_at,
                                   owner_id, department_path, branch, created_at, updated_at)
        SELECT gen_random_uuid(), 'Announcement ' || g, 'body',
               CASE g % 3 WHEN 0 THEN ARRAY[]::varchar[] WHEN 1 THEN ARRAY['{paths[0]}']::varchar[]
                          ELSE ARRAY['{paths[1]}']::varchar[] END,
               now() - (g || ' hours')::interval,
               CASE WHEN g % 2 = 0 THEN now() - (g / 2 || ' hours')::interval END,
               '{ids[0]}', '{paths[0]}', 'HQ', now(), now()
        FROM generate_series(1, {n(200)}) g""")
    conn.execute("""INSERT INTO announcement_reads (announcement_id, user_id, read_at)
        SELECT a.id, p.id, now() FROM announcements a, people p WHERE random() < 0.5""")
    conn.execute("ANALYZE")


def sentences():
    text = MANUALS.read_text(encoding="utf-8") if MANUALS.exists() else "客户查询结果显示详细信息。" * 50
    parts = [s.strip() for s in text.replace("\n", "。").split("。") if len(s.strip()) > 8]
    return parts


def load_articles(conn, owner_id, path):
    rng = random.Random(6)
    parts = sentences()
    conn.execute("""INSERT INTO categories (id, kind, name, path, branch, created_at, updated_at)
        VALUES ('00000000-0000-0000-0000-0000000000a1', 'article', 'Manuals',
                '/00000000-0000-0000-0000-0000000000a1/', 'HQ', now(), now())""")
    with conn.cursor().copy("COPY articles (id, category_id, title, body, search_terms, owner_id, "
                            "department_path, branch, created_at, updated_at) FROM STDIN") as copy:
        for i in range(ARTICLES):
            title, body = rng.choice(parts)[:60], "。".join(rng.choice(parts) for _ in range(6))
            terms = " ".join(f"'{t}'" for t in document_terms(f"{title}\n{body}"))  # tsvector literal
            copy.write_row((f"00000000-0000-4000-8000-{i:012d}", "00000000-0000-0000-0000-0000000000a1",
                            title, body, terms, owner_id, path, "HQ", "now", "now"))
    conn.execute("ANALYZE articles")


SUBSTRING = "(title ILIKE {p} OR body ILIKE {p})"
STRATEGIES = {  # name -> (WHERE clause, index scans allowed)
    "seq scan, ILIKE": (SUBSTRING, False),
    "pg_trgm GIN, ILIKE": (SUBSTRING, True),
    "CJK terms GIN + ILIKE recheck": ("search_terms @@ {tsq}::tsquery AND " + SUBSTRING, True),
}


def search_ms(conn, word, strategy, repeat=5):
    """Server-side execution time (EXPLAIN ANALYZE), median of `repeat`, and the match count."""
    where, indexed = STRATEGIES[strategy]
    conn.execute(f"SET enable_bitmapscan = {'on' if indexed else 'off'}")
    conn.execute(f"SET enable_indexscan = {'on' if indexed else 'off'}")
    pattern = "'%" + word + "%'"  # literal on purpose: a generic plan would hide the index choice
    clause = where.format(p=pattern, tsq="'" + tsquery_text(word).replace("'", "''") + "'")
    sql = f"SELECT id FROM articles WHERE {clause} ORDER BY updated_at DESC LIMIT 51"
    times = []
    for _ in range(repeat + 1):
        plan = conn.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql).fetchone()[0][0]
        times.append(plan["Execution Time"])
    matches = conn.execute(f"SELECT count(*) FROM articles WHERE {clause}").fetchone()[0]
    return sorted(times[1:])[repeat // 2], matches


def main():
    os.environ.update(local_secrets())
    stack = Stack(db_prefix=f"crm_bench{SLOT}_ws_", vhost=f"crm-bench{SLOT}-ws", gateway_port=GATEWAY_PORT,
                  health_base=HEALTH_BASE, log_dir=ROOT / ".local" / "bench-logs-workspace",
                  extra_env={"CRM_ADMIN_PASSWORD": ADMIN_PASSWORD, "CRM_ACCESS_TOKEN_SECONDS": "3600",
                             "CRM_RATE_LIMIT_PER_MINUTE": "100000000"})
    base = f"http://127.0.0.1:{GATEWAY_PORT}/api/v1"
    try:
        print(f"starting the suite (gateway :{GATEWAY_PORT}) …", flush=True)
        stack.prepare(fresh=True)
        stack.start_all()
        admin = login(base, "admin", ADMIN_PASSWORD)
        east, west, users = make_people(base, admin)
        dsn = f"postgresql://postgres@127.0.0.1:5432/{stack.db_prefix}workspace"
        with psycopg.connect(dsn, autocommit=True) as conn:
            print("loading dashboard data …", flush=True)
            load(conn, east, west, users)
            counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in (
                "notifications", "reminders", "call_records", "work_orders", "calendar_events", "announcements")}
            print(f"loading {ARTICLES} articles …", flush=True)
            load_articles(conn, users[0]["id"], east["path"])
        manager = login(base, "u00", "bench-password-1")
        rows = []
        for who, session in (("manager (department scope)", manager), ("admin (scope all)", admin)):
            floor = timed_gets(session, f"{base}/notifications/unread-count", CALLS)
            dash = timed_gets(session, f"{base}/dashboard", CALLS)
            rows.append((who, floor, dash))
        print(f"\n## Workspace (issue 6) — {CALLS} serial calls each; data: " +
              ", ".join(f"{k} {v}" for k, v in counts.items()))
        print("\n| caller | GET /notifications/unread-count p50 / p95 | GET /dashboard p50 / p95 / p99 | "
              "p95 ratio | p95 < 100 ms |")
        print("| --- | --- | --- | --- | --- |")
        for who, floor, dash in rows:
            print(f"| {who} | {floor['p50']:.1f} / {floor['p95']:.1f} ms | {dash['p50']:.1f} / {dash['p95']:.1f}"
                  f" / {dash['p99']:.1f} ms | {dash['p95'] / floor['p95']:.2f}× | {'yes' if dash['p95'] < 100 else 'NO'} |")
        with psycopg.connect(dsn, autocommit=True) as conn:
            avg = conn.execute("SELECT avg(length(title) + length(body))::int FROM articles").fetchone()[0]
            print(f"\nKnowledge base search, {ARTICLES} articles (~{avg} characters each), first page "
                  "(ORDER BY updated_at LIMIT 51), server execution time, median of 5:\n")
            print("| word | matches | " + " | ".join(STRATEGIES) + " | speed-up vs seq scan |")
            print("| --- | --- | " + " | ".join("---" for _ in STRATEGIES) + " | --- |")
            for word in WORDS:
                results = {name: search_ms(conn, word, name) for name in STRATEGIES}
                counts = {m for _, m in results.values()}
                assert len(counts) == 1, f"strategies disagree on {word}: {results}"  # same answers
                times = [t for t, _ in results.values()]
                print(f"| {word} ({len(word)} chars) | {counts.pop()} | "
                      + " | ".join(f"{t:.1f} ms" for t in times) + f" | {times[0] / times[-1]:.1f}× |")
        api = timed_gets(manager, f"{base}/articles?q=" + requests.utils.quote("查询结果"), 50, warmup=5)
        print(f"\nGET /articles?q=查询结果 through the API: p50 {api['p50']:.1f} ms, p95 {api['p95']:.1f} ms")
    finally:
        stack.stop_all()


if __name__ == "__main__":
    main()
