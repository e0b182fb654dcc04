"""Structured JSON logs with the correlation id of the request or event being handled."""
import contextvars
import json
import logging
import os
from datetime import datetime, timezone

correlation_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("correlation_id", default=None)


class JsonFormatter(logging.Formatter):
    def __init__(self, component: str):
        super().__init__()
        self._component = component

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname, "component": self._component, "logger": record.name,
            "message": record.getMessage(),
        }
        if correlation_id.get():
            entry["correlation_id"] = correlation_id.get()
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure(component: str) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter(component))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(os.environ.get("CRM_LOG_LEVEL", "INFO"))
