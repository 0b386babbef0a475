"""The named cast every test may use (STYLE.md): owners, reviewers, finance, an auditor."""

from types import SimpleNamespace

from importlib import import_module

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
    triggers = import_module("approvals.migrations.0003_append_only_triggers")
    with connection.schema_editor() as editor:
        for sql in triggers.statements_for(connection.vendor, create=create):
            editor.execute(sql)


# The data migrations that seed reference data; a transactional test's flush empties their
# tables, so the next transactional test puts them back (each seed is idempotent).
SEED_MIGRATIONS = [
    "enterprises.migrations.0002_seed_jurisdictions_and_chains",
    "approvals.migrations.0005_seed_working_day_calendar",
    "documents.migrations.0002_seed_city_bureau",
    "workflows.migrations.0003_criteria_rulesets_seed",
]


def _reseed_reference_data():
    from django.apps import apps

    from enterprises.models import Jurisdiction

    if Jurisdiction.objects.exists():
        return
    for module in SEED_MIGRATIONS:
        import_module(module).seed(apps, None)


@pytest.fixture
def step_log_flushable(transactional_db, django_db_blocker):
    """A transactional database for tests that need real commits (races, Celery workers).

    Seeds the reference data again if an earlier transactional test's flush removed it,
    and at teardown (before the flush) empties the append-only step log: Django flushes
    with DELETE on SQLite, which the append-only triggers refuse, so they are lifted just
    long enough to empty the log, then restored. Use it instead of ``transaction=True``.
    """
    _reseed_reference_data()
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
