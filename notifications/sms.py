"""The SMS gateway interface: one ``send`` method; the backend is the setting ``TIDU_SMS_BACKEND``.

A real gateway is a class with the same method somewhere importable; point the setting at it.
``send`` raises on failure (any exception), so the delivery records the error and is retried.
"""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SmsBackend:
    def send(self, *, phone: str, text: str) -> None:
        raise NotImplementedError


class LoggingSmsBackend(SmsBackend):
    """The default: writes each message to the log instead of a gateway."""

    def send(self, *, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", phone, text)


class LocmemSmsBackend(SmsBackend):
    """Keeps messages in ``outbox`` (tests), like Django's locmem mail backend."""

    outbox: list[dict] = []

    def send(self, *, phone: str, text: str) -> None:
        LocmemSmsBackend.outbox.append({"phone": phone, "text": text})


def sms_send(*, phone: str, text: str) -> None:
    """Send through the configured backend; raises whatever the gateway raises."""
    import_string(settings.TIDU_SMS_BACKEND)().send(phone=phone, text=text)
