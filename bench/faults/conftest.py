"""Fixtures of the fault proofs (see harness.py). Run them with ``bash bench/faults/run_faults.sh``;
without its private servers they skip."""

import os
from pathlib import Path

import pytest
from harness import WEB_PORT, Child, redis_flush, wait_for, web_server

from tests.conftest import cast, fast_password_hashing, fresh_due_dates, fresh_throttles, step_log_flushable  # noqa: F401
from tests.rewards.conftest import zj2023  # noqa: F401

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    if os.environ.get("FAULT_PGDATA"):
        return
    skip = pytest.mark.skip(reason="needs the private servers of bench/faults/run_faults.sh")
    for item in items:
        if HERE in Path(item.fspath).parents:
            item.add_marker(skip)


@pytest.fixture
def children():
    """Child processes the proof starts; all stopped at the end, whatever happened."""
    started: list[Child] = []

    def start(child: Child) -> Child:
        started.append(child.start())
        return child

    redis_flush()
    yield start
    for child in reversed(started):
        child.stop()


@pytest.fixture
def web(children):
    """gunicorn on 127.0.0.1 against the private cluster; answers once it is up."""
    import requests

    server = children(web_server())

    def up():
        try:
            return requests.get(f"http://127.0.0.1:{WEB_PORT}/", timeout=2).status_code < 500
        except requests.RequestException:
            return False

    assert wait_for(up, 60, every=0.2), f"gunicorn did not start; see {server.log}"
    return f"http://127.0.0.1:{WEB_PORT}"
