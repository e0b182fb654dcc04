"""Gateway settings, from the environment only."""
import os

from crm_common.config import ConfigError


def port() -> int:
    return int(os.environ.get("CRM_GATEWAY_PORT", "8000"))


def database_url() -> str:
    return os.environ.get("CRM_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/crm_gateway")


def jwt_secret() -> str:
    value = os.environ.get("CRM_JWT_SECRET")
    if not value or len(value) < 32:
        raise ConfigError("CRM_JWT_SECRET must be set to at least 32 characters")
    return value


JWT_ALGORITHM = "HS256"  # pinned: tokens with any other alg, including none, are refused
JWT_ISSUER = "crm-gateway"
JWT_AUDIENCE = "crm-api"
ACCESS_TOKEN_SECONDS = int(os.environ.get("CRM_ACCESS_TOKEN_SECONDS", "900"))
REFRESH_TOKEN_SECONDS = int(os.environ.get("CRM_REFRESH_TOKEN_SECONDS", str(14 * 24 * 3600)))
RPC_TIMEOUT_SECONDS = float(os.environ.get("CRM_RPC_TIMEOUT_SECONDS", "10"))
MAX_BODY_BYTES = 1024 * 1024
MAX_URL_BYTES = 8192
# eventlet answers longer request lines itself, without a problem body; ours is the real limit
REQUEST_LINE_LIMIT = MAX_BODY_BYTES
LOGIN_WINDOW_SECONDS = 15 * 60
LOGIN_FREE_FAILURES = int(os.environ.get("CRM_LOGIN_MAX_FAILURES", "5"))  # per user code and address
LOGIN_BASE_DELAY_SECONDS = 10
LOGIN_MAX_DELAY_SECONDS = 15 * 60
LOGIN_MAX_FAILURES_PER_IP = 50
