"""Publishing a task never fails the action that recorded the work: a dead broker is a warning."""

import logging

import pytest
from kombu.exceptions import OperationalError

from steplog.dispatch import task_queue, task_queue_on_commit, tasks_queue

pytestmark = pytest.mark.django_db


class Recorder:
    """A stand-in task that records what it was asked, or fails as a dead broker does."""

    name = "tests.recorder"

    def __init__(self, *, broker_up=True):
        self.broker_up, self.calls = broker_up, []

    def delay(self, *args):
        if not self.broker_up:
            raise OperationalError("Error 111 connecting to 127.0.0.1:56379. Connection refused.")
        self.calls.append(args)


def test_a_published_task_answers_true():
    task = Recorder()
    assert task_queue(task, 7) is True and task.calls == [(7,)]


def test_a_dead_broker_is_a_warning_not_an_error(caplog):
    with caplog.at_level(logging.WARNING, logger="steplog.dispatch"):
        assert task_queue(Recorder(broker_up=False), 7) is False
    assert "tests.recorder(7,) stays owed" in caplog.text


def test_publishing_waits_for_the_commit(django_capture_on_commit_callbacks):
    task = Recorder()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        task_queue_on_commit(task, 1)
    assert task.calls == [] and len(callbacks) == 1
    callbacks[0]()
    assert task.calls == [(1,)]


def test_a_batch_stops_at_the_first_broker_failure():
    """Each further publish would wait for the same connect timeout: the sweep sends the rest."""
    attempts = []

    class Flaky(Recorder):
        def delay(self, *args):
            attempts.append(args)
            raise OperationalError("down")

    assert tasks_queue(Flaky(), [(1,), (2,), (3,)]) == 0 and attempts == [(1,)]
    assert tasks_queue(Recorder(), [(1,), (2,)]) == 2


@pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored")
def test_celery_publishing_to_a_closed_port_fails_fast_with_operational_error():
    """Celery's own publish (not eager) with the project's retry policy: refused within seconds."""
    import time

    from project.celery import app

    with app.connection_for_write("redis://127.0.0.1:9/0") as connection:
        started = time.monotonic()
        with pytest.raises(OperationalError):
            app.send_task("tests.nothing", connection=connection, retry_policy=app.conf.task_publish_retry_policy)
    assert time.monotonic() - started < 5
