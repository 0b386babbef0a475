"""The named cast every test may use (STYLE.md): owners, reviewers, finance, an auditor."""

from types import SimpleNamespace

from importlib import import_module

import pytest
from django.db import connection

from tests.factories import DANYANG, JINGKOU, EnterpriseFactory, UserFactory, jurisdiction


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_due_dates():
    """Due dates are cached per process; each test's calendar is its own (rolled back after it)."""
    from approvals.workdays import calendar_changed

    calendar_changed()
    yield


@pytest.fixture(autouse=True)
def fresh_throttles():
    """Each test starts with no requests counted against the rate limits (they live in the cache)."""
    from django.core.cache import cache

    cache.clear()


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
    "rewards.migrations.0002_seed_zj_2023",
    "dashboard.migrations.0002_seed_plan_2023_2025",
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
    from steplog.models import ChainHead, Step

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


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run (Debian's /usr/bin/chromium; never downloaded).

    Defined once, here: a second session fixture would start a second Playwright, which
    refuses to run inside the first one's event loop.
    """
    import os
    from pathlib import Path

    from tests.browser.support import CHROMIUM, CHROMIUM_ARGS

    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed (make test installs it)")
    # Playwright's sync API runs an event loop; Django must allow sync DB calls beside it.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, step_log_flushable, request):
    """A fresh browser page against the live server; a screenshot is kept for people to look at."""
    from tests.browser.support import ARTIFACTS

    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 1366, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
