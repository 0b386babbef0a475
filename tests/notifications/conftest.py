import pytest
from django.utils import translation

from notifications.sms import LocmemSmsBackend


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def sms_outbox(settings):
    """SMS kept in memory instead of logged."""
    settings.TIDU_SMS_BACKEND = "notifications.sms.LocmemSmsBackend"
    LocmemSmsBackend.outbox = []
    return LocmemSmsBackend.outbox
