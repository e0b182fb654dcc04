"""The gateway serves the built console: history fallback, caching by kind of file, browser-side
security headers (on a console directory written here, so no Node build is needed)."""
import pytest
from werkzeug.test import Client, EnvironBuilder
from werkzeug.wrappers import Request

from crm_gateway import console


@pytest.fixture
def dist(tmp_path, monkeypatch):
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text('<!doctype html><script type="module" src="/assets/app-1a2b.js"></script>')
    (tmp_path / "assets" / "app-1a2b.js").write_text("console.log(1)")
    (tmp_path / "favicon.svg").write_text("<svg/>")
    monkeypatch.setenv("CRM_CONSOLE_DIR", str(tmp_path))
    return tmp_path


def get(path, method="GET"):
    return console.serve(Request(EnvironBuilder(path=path, method=method).get_environ()))


def test_hashed_assets_are_immutable_and_typed(dist):
    response = get("/assets/app-1a2b.js")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == console.IMMUTABLE
    assert response.mimetype == "text/javascript"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("path", ["/", "/customers/3f2a", "/approvals?tab=mine", "/login"])
def test_client_routes_fall_back_to_index_which_is_never_cached_stale(dist, path):
    response = get(path)
    assert response.status_code == 200
    assert b"app-1a2b.js" in b"".join(response.response)
    assert response.headers["Cache-Control"] == "no-cache"


def test_every_console_answer_carries_the_strict_policy(dist):
    for path in ("/", "/assets/app-1a2b.js", "/favicon.svg"):
        policy = get(path).headers["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_missing_assets_and_escapes_are_not_answered_with_the_page(dist):
    assert get("/assets/app-old.js").status_code == 404
    escaped = get("/../../etc/passwd")
    assert b"root:" not in b"".join(escaped.response)


def test_writes_are_refused(dist):
    assert get("/", method="POST").status_code == 405


def test_an_unbuilt_console_says_how_to_build_it(tmp_path, monkeypatch):
    monkeypatch.setenv("CRM_CONSOLE_DIR", str(tmp_path / "none"))
    response = get("/")
    assert response.status_code == 404 and b"make console" in response.get_data()


def test_the_gateway_routes_only_non_api_paths_to_the_console(dist, monkeypatch):
    from crm_gateway.app import GatewayApp

    app = Client(GatewayApp(session_factory=None, branches=None))
    assert app.get("/customers/1").headers["Cache-Control"] == "no-cache"
    api = app.get("/api/v1/no-such-route")
    assert api.status_code == 404 and api.headers["Content-Type"] == "application/problem+json"
