"""SMS providers behind one small interface (WSP-09). The default records and sends nothing;
a real gateway (Aliyun, Tencent Cloud, ...) is one more class with the same `send`."""
import os
import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class SendResult:
    status: str  # "recorded", "sent" or "failed"
    provider_message_id: str | None = None
    error: str | None = None


class RecordingProvider:
    """Keeps the message in the sending log only: safe for development, tests and demos."""
    name = "record"

    def send(self, phone: str, body: str) -> SendResult:
        return SendResult("recorded", f"rec-{uuid.uuid4().hex[:16]}")


PROVIDERS = {RecordingProvider.name: RecordingProvider}


def configured() -> RecordingProvider:
    name = os.environ.get("CRM_SMS_PROVIDER", RecordingProvider.name)
    if name not in PROVIDERS:
        raise RuntimeError(f"CRM_SMS_PROVIDER={name} is not one of {', '.join(PROVIDERS)}")
    return PROVIDERS[name]()
