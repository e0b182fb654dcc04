"""The personal desk over HTTP: calendar (WSP-02), diary and plans (WSP-05), reminders that fire
on time (WSP-07) and the home dashboard (WSP-10)."""
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
import requests

pytestmark = pytest.mark.e2e


def _at(day: str, hour: int) -> str:
    return f"{day}T{hour:02d}:00:00+00:00"


def _titles(response) -> set[str]:
    assert response.status_code == 200, response.text
    return {e["title"] for e in response.json()["items"]}


def test_calendar_day_week_month_views(desk):
    a = desk["api"]["desk_a"]
    for title, start in (("周三拜访客户", _at("2026-03-11", 2)), ("周五例会", _at("2026-03-13", 6)),
                         ("下月培训", _at("2026-04-02", 1))):
        response = a.post("/calendar/events", json={"title": title, "starts_at": start,
                                                     "ends_at": start.replace(":00:00+", ":30:00+")})
        assert response.status_code == 201, response.text
    assert _titles(a.get("/calendar/events", params={"view": "day", "date": "2026-03-11"})) == {"周三拜访客户"}
    assert _titles(a.get("/calendar/events", params={"view": "week", "date": "2026-03-12"})) == {
        "周三拜访客户", "周五例会"}
    month = a.get("/calendar/events", params={"view": "month", "date": "2026-03-31"})
    assert _titles(month) == {"周三拜访客户", "周五例会"}
    assert month.json()["from"].startswith("2026-03-01") and month.json()["to"].startswith("2026-04-01")
    explicit = a.get("/calendar/events", params={"from": _at("2026-03-13", 0), "to": _at("2026-04-03", 0)})
    assert _titles(explicit) == {"周五例会", "下月培训"}


def test_shared_events_reach_the_department_and_private_ones_do_not(desk):
    a, a2, b = desk["api"]["desk_a"], desk["api"]["desk_a2"], desk["api"]["desk_b"]
    shared = a.post("/calendar/events", json={"title": "部门周会", "starts_at": _at("2026-05-04", 1),
                                              "ends_at": _at("2026-05-04", 2), "shared": True}).json()
    private = a.post("/calendar/events", json={"title": "私人安排", "starts_at": _at("2026-05-04", 3),
                                               "ends_at": _at("2026-05-04", 4)}).json()
    day = {"view": "day", "date": "2026-05-04"}
    assert _titles(a2.get("/calendar/events", params=day)) == {"部门周会"}
    assert _titles(b.get("/calendar/events", params=day)) == set()
    assert a2.get(f"/calendar/events/{shared['id']}").status_code == 200
    assert a2.get(f"/calendar/events/{private['id']}").status_code == 404
    assert b.get(f"/calendar/events/{shared['id']}").status_code == 404
    # seeing a shared event is not owning it
    assert a2.patch(f"/calendar/events/{shared['id']}", json={"title": "x"}).status_code == 404
    assert a2.delete(f"/calendar/events/{shared['id']}").status_code == 404
    assert desk["api"]["desk_boss"].get(f"/calendar/events/{private['id']}").status_code == 200


@pytest.mark.parametrize("params", [
    {"from": _at("2026-03-10", 0), "to": _at("2026-03-01", 0)},  # inverted
    {"from": _at("2026-01-01", 0), "to": _at("2029-01-01", 0)},  # years long
    {"view": "year", "date": "2026-01-01"},
    {"view": "day", "from": _at("2026-01-01", 0), "to": _at("2026-01-02", 0)},
    {"from": _at("2026-01-01", 0)},
    {},
    {"view": "month", "date": "9999-12-15"},  # would end after the last date there is
])
def test_bad_calendar_ranges_are_400(desk, params):
    response = desk["api"]["desk_a"].get("/calendar/events", params=params)
    assert response.status_code == 400, response.text


def test_bad_calendar_events_are_422_and_nothing_is_stored(desk, helpers):
    a = desk["api"]["desk_a"]
    before = helpers.table_counts()
    for body in ({"title": "x", "starts_at": _at("2026-03-10", 5), "ends_at": _at("2026-03-10", 4)},
                 {"title": "x", "starts_at": _at("2026-03-10", 5), "ends_at": _at("2027-03-10", 4)},
                 {"title": "x", "starts_at": "2026-03-10T05:00:00", "ends_at": _at("2026-03-10", 6)},
                 {"title": " ", "starts_at": _at("2026-03-10", 5), "ends_at": _at("2026-03-10", 6)},
                 {"title": "x", "starts_at": _at("2026-03-10", 5), "ends_at": _at("2026-03-10", 6),
                  "owner_id": desk["users"]["desk_b"]["id"]},
                 # in UTC these fall outside years 1-9999: stored, they would break every calendar read
                 {"title": "x", "starts_at": "9999-12-31T20:00:00-10:00", "ends_at": "9999-12-31T21:00:00-10:00"},
                 {"title": "x", "starts_at": "0001-01-01T00:00:00+14:00", "ends_at": "0001-01-01T01:00:00+14:00"}):
        assert a.post("/calendar/events", json=body).status_code == 422, body
    event = a.post("/calendar/events", json={"title": "ok", "starts_at": _at("2026-03-10", 5),
                                             "ends_at": _at("2026-03-10", 6)}).json()
    before = helpers.table_counts()
    assert a.patch(f"/calendar/events/{event['id']}", json={"ends_at": _at("2026-03-10", 4)}).status_code == 422
    assert helpers.table_counts() == before
    moved = a.patch(f"/calendar/events/{event['id']}", json={"ends_at": _at("2026-03-10", 8), "location": "会议室"})
    assert moved.status_code == 200 and moved.json()["ends_at"].startswith("2026-03-10T08:00")
    assert a.get(f"/calendar/events/{event['id']}").json()["location"] == "会议室"
    assert a.delete(f"/calendar/events/{event['id']}").status_code == 204
    assert a.get(f"/calendar/events/{event['id']}").status_code == 404


def test_icalendar_feed_a_phone_can_subscribe_to(desk, stack):
    a = desk["api"]["desk_a"]
    start = (datetime.now(timezone.utc) + timedelta(days=2)).replace(microsecond=0)
    a.post("/calendar/events", json={"title": "客户回访, 上海", "location": "上海",
                                     "starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=1)).isoformat()})
    token = a.post("/calendar/feed-token")
    assert token.status_code == 200, token.text
    url = f"http://127.0.0.1:{stack.gateway_port}{token.json()['url']}"
    feed = requests.get(url, timeout=30)  # no Authorization header: the URL is the credential
    assert feed.status_code == 200, feed.text
    assert feed.headers["Content-Type"].startswith("text/calendar")
    text = feed.text
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "SUMMARY:客户回访\\, 上海" in text and f"DTSTART:{start:%Y%m%dT%H%M%SZ}" in text
    forged = url.replace(".ics", "").rsplit(".", 1)[0] + ".0000000000000000000000000000000000000000.ics"
    assert requests.get(forged, timeout=30).status_code == 404
    # another user's events are not in my feed
    b_token = desk["api"]["desk_b"].post("/calendar/feed-token").json()["url"]
    assert "客户回访" not in requests.get(f"http://127.0.0.1:{stack.gateway_port}{b_token}", timeout=30).text


def test_diary_and_plans_are_visible_to_the_manager_not_to_other_departments(desk):
    a, a2, b, boss = (desk["api"][k] for k in ("desk_a", "desk_a2", "desk_b", "desk_boss"))
    entry = a.post("/diary", json={"entry_date": "2026-03-11", "title": "拜访天马贸易",
                                   "content": "谈了第二季度的采购计划"})
    assert entry.status_code == 201, entry.text
    entry = entry.json()
    assert boss.get(f"/diary/{entry['id']}").status_code == 200
    assert entry["id"] in {e["id"] for e in boss.get("/diary", params={"owner_id": entry["owner_id"]}).json()["items"]}
    for other in (a2, b):
        assert other.get(f"/diary/{entry['id']}").status_code == 404
        assert entry["id"] not in {e["id"] for e in other.get("/diary").json()["items"]}
    # the manager reads, the author writes
    assert boss.patch(f"/diary/{entry['id']}", json={"content": "改写"}).status_code == 404
    assert a.patch(f"/diary/{entry['id']}", json={"content": "补充: 下周报价"}).json()["content"] == "补充: 下周报价"

    plan = a.post("/plans", json={"period": "weekly", "day": "2026-03-12", "title": "第11周计划",
                                  "content": "拜访五家客户"})
    assert plan.status_code == 201, plan.text
    plan = plan.json()
    assert plan["period_start"] == "2026-03-09"  # the Monday of that week
    assert a.post(f"/plans/{plan['id']}/records", json={"content": "已拜访两家"}).status_code == 201
    assert boss.post(f"/plans/{plan['id']}/records", json={"content": "x"}).status_code == 404
    seen = boss.get(f"/plans/{plan['id']}").json()
    assert [r["content"] for r in seen["records"]] == ["已拜访两家"]
    assert b.get(f"/plans/{plan['id']}").status_code == 404
    monthly = a.get("/plans", params={"period": "weekly", "date_from": "2026-03-01", "date_to": "2026-03-31"})
    assert plan["id"] in {p["id"] for p in monthly.json()["items"]}
    assert a.post("/plans", json={"period": "yearly", "day": "2026-03-12", "title": "x", "content": "y"}).status_code == 422


def test_reminder_fires_on_time_as_a_notification(desk, helpers):
    a = desk["api"]["desk_a"]
    due = datetime.now(timezone.utc) + timedelta(seconds=2)
    reminder = a.post("/reminders", json={"title": "给王总回电话", "due_at": due.isoformat()})
    assert reminder.status_code == 201, reminder.text
    assert reminder.json()["status"] == "pending"
    notified = helpers.eventually(lambda: [n for n in a.get("/notifications").json()["items"]
                                           if n["title"] == "给王总回电话"], timeout=30)
    assert len(notified) == 1 and notified[0]["kind"] == "reminder_manual"
    fired = [r for r in a.get("/reminders").json()["items"] if r["id"] == reminder.json()["id"]]
    assert fired[0]["status"] == "fired" and fired[0]["fired_at"] >= due.isoformat()[:19]
    # nobody else is told, and nobody else can close it
    assert not [n for n in desk["api"]["desk_a2"].get("/notifications").json()["items"] if n["title"] == "给王总回电话"]
    assert desk["api"]["desk_boss"].post(f"/reminders/{reminder.json()['id']}/done").status_code == 404
    assert a.post(f"/reminders/{reminder.json()['id']}/done").json()["status"] == "done"


def test_reminders_in_the_past_are_refused(desk, helpers):
    before = helpers.table_counts()
    past = (datetime.now(timezone.utc) - timedelta(minutes=1)).isoformat()
    response = desk["api"]["desk_a"].post("/reminders", json={"title": "too late", "due_at": past})
    assert response.status_code == 422 and "due_at" in response.json()["errors"]
    assert helpers.table_counts() == before


def test_dashboard_in_one_call(desk, admin):
    a2 = desk["api"]["desk_a2"]
    # due later on the branch's today (three hours on would be tomorrow after 21:00 in Beijing)
    now = datetime.now(timezone.utc)
    zone = ZoneInfo("Asia/Shanghai")
    midnight = datetime.combine(now.astimezone(zone).date() + timedelta(days=1), time(), zone)
    soon = (now + (midnight - now) / 2).isoformat()
    a2.post("/reminders", json={"title": "准备报价", "due_at": soon})
    admin.post("/announcements", json={"title": "全员通知: 系统升级", "body": "周六晚上"})
    board = a2.get("/dashboard")
    assert board.status_code == 200, board.text
    board = board.json()
    assert board["counts"]["due_todos"] >= 1 and "准备报价" in {t["title"] for t in board["todos"]}
    assert "全员通知: 系统升级" in {n["title"] for n in board["announcements"]}
    assert set(board["counts"]) >= {"unread_notifications", "due_todos", "pending_calls", "open_work_orders"}
    assert isinstance(board["notifications"], list) and isinstance(board["today_events"], list)
    # someone else's to-dos never show
    assert "准备报价" not in {t["title"] for t in desk["api"]["desk_a"].get("/dashboard").json()["todos"]}
