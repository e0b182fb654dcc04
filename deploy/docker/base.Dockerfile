# Base image of every deployable: Python, the pinned dependencies and the shared plumbing
# (common/). Build it first, from the repository root:
#   docker build -f deploy/docker/base.Dockerfile -t ghcr.io/crm-suite/crm-base:dev .
# then each deployable's own Dockerfile adds its package on top (BASE_IMAGE build arg).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore \
    PSYCOPG_WAIT_FUNC=wait_select \
    CRM_HEALTH_PORT=8080

RUN groupadd --system --gid 10001 crm \
 && useradd --system --uid 10001 --gid crm --no-create-home \
      --home-dir /nonexistent --shell /usr/sbin/nologin crm

WORKDIR /src
COPY constraints.txt ./
COPY common/ common/
RUN pip install --no-cache-dir -c constraints.txt ./common

WORKDIR /app
USER 10001:10001
