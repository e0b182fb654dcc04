"""The Dockerfiles: one shared base image and a small Dockerfile per deployable (offline checks)."""
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SERVICES = ("customers", "sales", "logistics", "finance", "workspace")
DEPLOYABLES = SERVICES + ("gateway",)
SOURCE_DIRS = {**{name: f"services/{name}" for name in SERVICES}, "gateway": "gateway"}


def _instructions(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return [line.strip() for line in text.replace("\\\n", " ").splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def _last_user_is_non_root(lines: list[str], where: str) -> None:
    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert users, f"{where}: no USER"
    uid = users[-1].split(":")[0]
    assert uid.isdigit() and int(uid) != 0, f"{where}: last USER must be a numeric non-root uid"


def test_base_dockerfile():
    lines = _instructions(REPO / "deploy/docker/base.Dockerfile")
    assert lines[0] == "FROM python:3.11-slim", lines[0]
    assert any(re.search(r"pip install --no-cache-dir -c constraints\.txt \./common(\s|$)", line)
               for line in lines if line.startswith("RUN")), "base image must install common/ with the constraints"
    _last_user_is_non_root(lines, "base.Dockerfile")


@pytest.mark.parametrize("name", DEPLOYABLES)
def test_dockerfile(name):
    src = SOURCE_DIRS[name]
    path = REPO / src / "Dockerfile"
    assert path.is_file(), f"{src}/Dockerfile is missing"
    lines = _instructions(path)
    assert lines[0] == "ARG BASE_IMAGE=ghcr.io/crm-suite/crm-base:latest", lines[0]
    stages = [line for line in lines if line.startswith("FROM ")]
    assert stages[-1] == "FROM ${BASE_IMAGE}", stages
    if name == "gateway":  # the console is built in a stage of its own; the image carries web/dist only
        assert stages[:-1] == ["FROM node:20-bookworm-slim AS console"], stages
        assert "RUN npm ci --no-audit --no-fund --loglevel=error" in lines
        assert any("vite build" in line for line in lines if line.startswith("RUN")), "the console is not built"
        assert "COPY --from=console /web/dist /app/console" in lines and "ENV CRM_CONSOLE_DIR=/app/console" in lines
    else:
        assert stages == ["FROM ${BASE_IMAGE}"], stages
    installs = [line for line in lines if line.startswith("RUN") and "pip install" in line]
    assert any(re.search(rf"pip install --no-cache-dir -c /src/constraints\.txt /src/{src}(\s|$)", line)
               for line in installs), f"{src}/Dockerfile: pip install line not as expected: {installs}"
    _last_user_is_non_root(lines, f"{src}/Dockerfile")
    cmds = [line for line in lines if line.startswith(("CMD", "ENTRYPOINT"))]
    assert cmds == [f'CMD ["python", "-m", "crm_{name}"]'], cmds


def test_dockerignore_keeps_the_build_context_small():
    path = REPO / ".dockerignore"
    assert path.is_file(), ".dockerignore is missing at the repository root"
    patterns = [l.strip() for l in path.read_text().splitlines() if l.strip() and not l.startswith("#")]
    assert "*" in patterns or ".git" in patterns, ".dockerignore must keep .git out of the context"
    if "*" in patterns:
        for needed in ("constraints.txt", "common", "services", "gateway", "web"):
            assert f"!{needed}" in patterns or f"!{needed}/" in patterns, f".dockerignore drops {needed}"
        # the console stage installs and builds its own: a local node_modules or dist must not leak in
        assert "**/node_modules" in patterns and "**/dist" in patterns
