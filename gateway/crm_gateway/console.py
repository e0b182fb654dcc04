"""Serves the built web console (`web/dist`) at `/`, with the browser-side security headers.

Vite names every asset after its content hash, so an asset never changes under its name and may be
cached for a year; `index.html` names the current assets, so it is revalidated on every visit.
Paths that are no file are client routes (`/customers/…`) and get `index.html` (history fallback).
"""
import os
from pathlib import Path

from werkzeug.utils import safe_join, send_file
from werkzeug.wrappers import Request, Response

from crm_gateway.problems import problem

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "web" / "dist"
HEADERS = {
    # no inline script anywhere; the console fetches only its own origin
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                               "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; "
                               "form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}
IMMUTABLE = "public, max-age=31536000, immutable"


def directory() -> Path:
    return Path(os.environ.get("CRM_CONSOLE_DIR", DEFAULT_DIR))


def serve(request: Request) -> Response:
    if request.method not in ("GET", "HEAD"):
        return problem(405, "Method not allowed", "The console is read with GET")
    root = directory()
    index = root / "index.html"
    if not index.is_file():
        return problem(404, "Not found", "The web console is not built: run make console")
    relative = request.path.lstrip("/")
    found = safe_join(str(root), relative) if relative else None
    if found and Path(found).is_file():
        response = send_file(found, request.environ, max_age=None)
        response.headers["Cache-Control"] = IMMUTABLE if relative.startswith("assets/") else "no-cache"
    elif relative.startswith("assets/"):  # an old build's asset: a page of HTML would be a confusing answer
        response = problem(404, "Not found", "No such asset")
    else:
        response = send_file(str(index), request.environ, max_age=None)
        response.headers["Cache-Control"] = "no-cache"
    response.headers.update(HEADERS)
    return response
