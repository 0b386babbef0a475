"""PostgreSQL crash-restarted (``pg_ctl restart -m immediate``) in the middle of a burst of
decisions and payout confirmations sent over HTTP by several clients at once: every action
either happened once, with its one step, or not at all; a request that answered success has
its change; a request whose change is missing answered an error, never a 2xx."""

import queue
import random
import threading
import time
import uuid
from dataclasses import dataclass

import pytest
import requests
from django.db import connection
from harness import api_token, outcome, postgres_restart

from rewards.models import Payout, PayoutState
from steplog.models import Step
from tests.factories import EnterpriseFactory, UserFactory
from tests.rewards.conftest import ACCOUNT, due_payout
from workflows.models import PoolEntry
from workflows.services.pool import pool_entry_propose

pytestmark = [pytest.mark.fault, pytest.mark.django_db(transaction=True)]

ENTERPRISES = 24  # each: one pool entry for the city to approve, one payout for its owner to confirm
CLIENTS = 6
PAUSE = 0.1  # between one client's requests


@dataclass
class Answer:
    kind: str
    pk: int
    started: float
    finished: float
    status: int | None  # None: the connection failed
    text: str = ""

    @property
    def success(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def requests_for(web: str, cast) -> list[tuple[str, int, dict]]:
    city = {"Authorization": f"Token {api_token(cast.city)}"}
    planned = []
    for _ in range(ENTERPRISES):
        enterprise = EnterpriseFactory()
        owner = UserFactory(role="enterprise", enterprise=enterprise)
        entry = pool_entry_propose(enterprise=enterprise, by=cast.district, statement="申请入库")
        payout = due_payout(enterprise)
        planned.append(("pool", entry.pk, {"url": f"{web}/api/pool-entries/{entry.pk}/decide/city_approve/", "json": {},
                                           "headers": city}))
        planned.append(("payout", payout.pk, {
            "url": f"{web}/api/payouts/{payout.pk}/confirm/",
            "json": {"account_name": enterprise.name, **ACCOUNT},
            "headers": {"Authorization": f"Token {api_token(owner)}", "Idempotency-Key": uuid.uuid4().hex},
        }))
    random.Random(12).shuffle(planned)
    return planned


def client(work: queue.Queue, answers: list[Answer], lock: threading.Lock) -> None:
    while (item := work.get()) is not None:
        kind, pk, request = item
        started = time.monotonic()
        try:
            response = requests.post(**request, timeout=30)
            answer = Answer(kind, pk, started, time.monotonic(), response.status_code, response.text[:200])
        except requests.RequestException as error:
            answer = Answer(kind, pk, started, time.monotonic(), None, type(error).__name__)
        with lock:
            answers.append(answer)
        time.sleep(PAUSE)


def changed(answer: Answer) -> bool:
    if answer.kind == "pool":
        return PoolEntry.objects.get(pk=answer.pk).state == "pooled"
    return Payout.objects.get(pk=answer.pk).state == PayoutState.CONFIRMED


def steps(answer: Answer) -> int:
    if answer.kind == "pool":
        return Step.objects.filter(object_id=str(answer.pk), state_before="city_review", state_after="pooled").count()
    return Step.objects.filter(object_id=str(answer.pk), action="payout.confirm").count()


def test_postgres_restarted_during_a_burst(step_log_flushable, cast, zj2023, web):
    planned = requests_for(web, cast)
    third = len(planned) // 3
    answers: list[Answer] = []
    lock, work = threading.Lock(), queue.Queue()
    clients = [threading.Thread(target=client, args=(work, answers, lock)) for _ in range(CLIENTS)]
    for thread in clients:
        thread.start()
    for item in planned[:third]:  # a burst against a healthy server...
        work.put(item)
    while not work.empty():
        time.sleep(0.01)
    restarter = threading.Thread(target=postgres_restart)
    restart_began = time.monotonic()
    restarter.start()
    for item in planned[third : 2 * third]:  # ...going on while it crashes and recovers...
        work.put(item)
    restarter.join(timeout=120)
    restart_ended = time.monotonic()
    for item in planned[2 * third :]:  # ...and after, on the connections the crash left dead
        work.put(item)
    for _ in clients:
        work.put(None)
    for thread in clients:
        thread.join(timeout=300)
    connection.close()  # this process's connection died with the server too

    assert len(answers) == len(planned)
    assert min(a.started for a in answers) < restart_began and max(a.started for a in answers) > restart_ended
    false_successes = [a for a in answers if a.success and not changed(a)]
    without_step = [a for a in answers if changed(a) != (steps(a) == 1)]
    twice = [a for a in answers if steps(a) > 1]
    errors = [a for a in answers if not a.success]
    unexplained = [a for a in errors if a.status is not None and a.status < 500]
    done_answer_lost = [a for a in errors if changed(a)]
    assert not false_successes, false_successes
    assert not without_step and not twice, (without_step, twice)
    assert not unexplained, unexplained
    assert all("service_unavailable" in a.text for a in errors if a.status == 503)  # the API's JSON, saying so
    statuses = sorted({str(a.status or "no connection") for a in errors})
    outcome(
        f"PostgreSQL restarted (immediate, {restart_ended - restart_began:.1f} s) during {len(answers)} HTTP actions "
        f"from {CLIENTS} clients: {len(answers) - len(errors)} answered success, each with its change and one step; "
        f"{len(errors)} answered an error ({', '.join(statuses) or 'none'}), {len(done_answer_lost)} of them done "
        f"nonetheless (committed before the answer was lost), with one step; no change without its step, none "
        f"twice, no 2xx without its change — PASS"
    )
