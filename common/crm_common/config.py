"""Configuration from environment variables only (12-factor), with safe local defaults."""
import os

from crm_common import wire

SERVICES = ("customers", "sales", "logistics", "finance", "workspace")
DEFAULT_AMQP_URI = "amqp://guest:guest@127.0.0.1:5672/"


class ConfigError(RuntimeError):
    pass


def amqp_uri() -> str:
    return os.environ.get("CRM_AMQP_URI", DEFAULT_AMQP_URI)


def database_url(service: str) -> str:
    return os.environ.get(
        "CRM_DATABASE_URL", f"postgresql+psycopg://postgres@127.0.0.1:5432/crm_{service}"
    )


def branch() -> str:
    return os.environ.get("CRM_BRANCH", "HQ")


def secret_key() -> bytes:
    """HMAC key shared by the gateway and services (signed principals, cursors)."""
    value = os.environ.get("CRM_SECRET_KEY")
    if not value:
        raise ConfigError("CRM_SECRET_KEY is not set; `make run` generates one in .local/env")
    return value.encode()


def health_port(default: int) -> int:
    return int(os.environ.get("CRM_HEALTH_PORT", default))


def nameko_config(service: str, health_port_default: int) -> dict:
    return {
        "AMQP_URI": amqp_uri(),
        "DATABASE_URL": database_url(service),
        "WEB_SERVER_ADDRESS": f"0.0.0.0:{health_port(health_port_default)}",
        "max_workers": int(os.environ.get("CRM_MAX_WORKERS", "20")),
        "serializer": "json",
        # the gateway's calls come as crm-json and are answered so; everything else stays kombu json
        "SERIALIZERS": {wire.NAME: dict(wire.SERIALIZER)},
        "ACCEPT": ["json", wire.NAME],
        "SERVICE_CONTAINER_CLS": "crm_common.container.CrmContainer",
    }
