"""The named cast every test may use (STYLE.md): owners, reviewers, finance, an auditor."""

from types import SimpleNamespace

import pytest
from django.db import connection

from tests.factories import DANYANG, JINGKOU, EnterpriseFactory, UserFactory, jurisdiction


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def cast(db):
    """Two enterprises in 京口区, one in 丹阳市, and one user of every role."""
    own = EnterpriseFactory(name="镇江精工轴承有限公司")
    neighbour = EnterpriseFactory(name="镇江邻居电气有限公司")
    far = EnterpriseFactory(name="丹阳远方光学有限公司", jurisdiction=jurisdiction(DANYANG))
    return SimpleNamespace(
        own=own,
        neighbour=neighbour,
        far=far,
        owner=UserFactory(username="owner", role="enterprise", enterprise=own),
        other_owner=UserFactory(username="other_owner", role="enterprise", enterprise=neighbour),
        district=UserFactory(username="jingkou_reviewer", district=True),
        other_district=UserFactory(
            username="danyang_reviewer", role="district_reviewer", jurisdiction=jurisdiction(DANYANG)
        ),
        city=UserFactory(username="city_reviewer", city=True),
        finance=UserFactory(username="finance", finance=True),
        auditor=UserFactory(username="auditor", auditor=True),
        admin=UserFactory(username="admin", admin=True),
    )


def _step_triggers(create: bool):
    from importlib import import_module

    triggers = import_module("approvals.migrations.0003_append_only_triggers")
    with connection.schema_editor() as editor:
        for sql in triggers.statements_for(connection.vendor, create=create):
            editor.execute(sql)


@pytest.fixture
def step_log_flushable(transactional_db, django_db_blocker):
    """A transactional database whose append-only step log is emptied at teardown.

    Django flushes tables with DELETE on SQLite, which the append-only triggers refuse;
    this fixture (torn down before ``transactional_db`` flushes) lifts them just long
    enough to empty the log, then restores them.
    """
    yield
    from approvals.models import ChainHead, Step

    with django_db_blocker.unblock():
        _step_triggers(create=False)
        try:
            Step.objects.all().delete()
            ChainHead.objects.all().delete()
        finally:
            _step_triggers(create=True)


@pytest.fixture
def jingkou():
    return jurisdiction(JINGKOU)


@pytest.fixture
def danyang():
    return jurisdiction(DANYANG)


def pytest_collection_modifyitems(config, items):
    """``@pytest.mark.postgres`` tests need real row locks: skip them on SQLite."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (SQLite ignores row locks); make test runs it there")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)
