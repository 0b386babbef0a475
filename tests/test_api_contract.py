"""The OpenAPI schema is the truth: schemathesis drives every operation of the live
``/api/schema/`` as a city reviewer, an enterprise user and the auditor, and any server
error, any response that breaks its schema, or any status code the schema does not
document fails the test.

Bounded for CI: a few examples per operation (``TIDU_CONTRACT_EXAMPLES``, default below),
no deadline, no shrinking, derandomized so a run is repeatable (``TIDU_CONTRACT_SEED`` picks
another sequence when exploring). Throttles are off for the run. Decisions are exercised
with random bodies: the services refuse them with 4xx; a 5xx is never acceptable.
"""

import contextlib
import logging
import os
import re
import time
from collections import defaultdict

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, Phase, given, strategies
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from notifications.services import notify
from tests.factories import AnnualMetricsFactory, TitleFactory
from tests.workflows.applications import PDF, draft, open_batch, passing_innovative_data
from workflows.services import application as application_services
from workflows.services import coaching as coaching_services
from workflows.services import pool as pool_services

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("TIDU_CONTRACT_EXAMPLES", "5"))
SEED = os.environ.get("TIDU_CONTRACT_SEED")
POSITIVE_CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance, content_type_conformance]
NEGATIVE_CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance, negative_data_rejection]


@pytest.fixture
def world(cast, settings, tmp_path):
    """Data in every list each of the three users reads: metrics, titles, cases in the queues,
    a coaching plan, an application with an attachment, documents, notifications, steps."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}
    passing_innovative_data(cast.own)
    AnnualMetricsFactory(enterprise=cast.neighbour)
    TitleFactory(enterprise=cast.far)
    pooled = pool_services.pool_entry_propose(enterprise=cast.neighbour, by=cast.other_owner, statement="精密电气")
    pooled = pool_services.pool_entry_district_approve(entry=pooled, by=cast.district)
    pool_services.pool_entry_city_approve(entry=pooled, by=cast.city)  # issues a pool-entry notice (a document)
    pool_services.pool_entry_propose(enterprise=cast.own, by=cast.owner, statement="精密轴承")
    coaching_services.coaching_plan_open(enterprise=cast.own, tier="innovative", by=cast.district)
    application = draft(cast, open_batch(cast))
    application_services.application_attachment_add(application=application, by=cast.owner, name="营业执照.pdf", content=PDF)
    application_services.application_submit(application=application, by=cast.owner)
    for user in (cast.owner, cast.city, cast.auditor):
        notify(recipients=[user], kind="test.contract", subject="契约测试", body="正文", link="/")
    return cast


@pytest.fixture
def wsgi_app(caplog):
    app = get_wsgi_application()  # sets logging up again: quiet the expected 4xx after it (a 5xx still logs)
    caplog.set_level(logging.ERROR, logger="django.request")
    return app


@contextlib.contextmanager
def connection_kept():
    """Requests through the real WSGI app stay in this test's transaction: like Django's own test
    client, keep a request from closing the connection (on PostgreSQL that would end the transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def known_path_values(client: Client, paths) -> dict[str, dict]:
    """For each templated path, real values of its parameters the user can see (the first row of the
    collection above it), so generated cases reach real objects as well as random ids."""
    first_rows: dict[str, dict | None] = {}

    def first_row(collection: str):
        if collection not in first_rows:
            answer = client.get(collection)
            body = answer.json() if answer.status_code == 200 and answer.get("Content-Type", "").startswith("application/json") else None
            rows = body.get("results", body) if isinstance(body, dict) else body
            first_rows[collection] = rows[0] if isinstance(rows, list) and rows and isinstance(rows[0], dict) else None
        return first_rows[collection]

    known = {}
    for path in paths:
        values = {}
        for name in re.findall(r"{(\w+)}", path):
            collection = path[: path.index("{" + name + "}")]
            if collection == "/api/verify/":
                collection = "/api/documents/"
            if name == "enterprise_pk":
                collection = "/api/enterprises/"
            if name == "item_pk":
                row = first_row(collection.split("{")[0])
                items = (row or {}).get("items") or []
                if items:
                    values[name] = items[0]["id"]
                continue
            row = first_row(collection)
            if row is not None and (name in row or "id" in row):
                values[name] = row.get(name, row.get("id"))
        known[path] = values
    return known


def run_operation(operation, headers: dict, mode: GenerationMode, checks: list, known: dict) -> dict[str, str]:
    """Drive one operation with ``EXAMPLES`` generated cases; its distinct failures, with one example each."""
    failures: dict[str, str] = {}

    strategy = operation.as_strategy(generation_mode=mode)
    if known and mode is GenerationMode.POSITIVE:
        strategy = strategies.one_of(strategy, operation.as_strategy(generation_mode=mode, path_parameters=known))

    @hypothesis_settings(
        max_examples=EXAMPLES, deadline=None, database=None, derandomize=SEED is None,
        phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def drive(case):
        try:
            case.call_and_validate(headers=headers, checks=checks)
        except (AssertionError, BaseExceptionGroup) as failure:  # every check's failure is collected, then reported
            for single in getattr(failure, "exceptions", [failure]):
                key = f"{operation.label} [{mode.value}] {getattr(single, 'title', type(single).__name__)}"
                failures.setdefault(key, f"{key}: {single}\n{failure}"[:2500])

    if SEED is not None:
        drive = hypothesis_settings(derandomize=False)(drive)
    try:
        drive()
    except Unsatisfiable:  # nothing to negate: an operation with no parameters and no body
        assert mode is GenerationMode.NEGATIVE, operation.label
    return failures


@pytest.mark.parametrize("role", ["city", "owner", "auditor"])
def test_every_operation_keeps_the_contract(world, wsgi_app, role):
    headers = {"Authorization": f"Token {Token.objects.create(user=getattr(world, role)).key}"}
    with connection_kept():
        schema = schemathesis.openapi.from_wsgi("/api/schema/", wsgi_app, headers=headers)
    operations = [result.ok() for result in schema.get_all_operations()]
    known = known_path_values(Client(HTTP_AUTHORIZATION=headers["Authorization"]), {op.path for op in operations})
    started, failures = time.monotonic(), defaultdict(dict)
    with connection_kept():
        for operation in operations:
            for mode, checks in ((GenerationMode.POSITIVE, POSITIVE_CHECKS), (GenerationMode.NEGATIVE, NEGATIVE_CHECKS)):
                failures[operation.label].update(run_operation(operation, headers, mode, checks, known[operation.path]))
    seen = len(operations)
    elapsed = time.monotonic() - started
    found = {label: lines for label, lines in failures.items() if lines}
    print(f"\n{role}: {seen} operations in {elapsed:.0f}s, {len(found)} with failures")
    assert seen > 40
    report = "\n\n".join(example for examples in found.values() for example in examples.values())
    assert not found, f"{sum(map(len, found.values()))} distinct failures:\n{chr(10).join(sorted(k for f in found.values() for k in f))}\n\n{report}"
