"""The step log's integrity: append-only triggers, and tampering the verifier catches."""

import json

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from steplog.chain import Mark
from steplog.models import ChainHead, Checkpoint, Step
from steplog.services import audit_checkpoint_create, chain_verify, chain_walk, step_record
from tests.concurrency import race

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(cast):
    """Eight steps by various actors on various objects."""
    actors = [cast.owner, cast.district, cast.city, None]
    for n in range(8):
        step_record(action=f"test.step{n}", actor=actors[n % 4], obj=cast.own, comment=f"comment {n}", data={"n": n})
    return list(Step.objects.order_by("seq"))


@pytest.fixture
def tamper():
    """Lift the append-only triggers for this test (its transaction rolls the change back)."""
    from importlib import import_module

    triggers = import_module("approvals.migrations.0003_append_only_triggers")

    def run(sql, params=()):
        with connection.cursor() as cursor:
            for statement in triggers.statements_for(connection.vendor, create=False):
                cursor.execute(statement)
            cursor.execute(sql, params)
            for statement in triggers.statements_for(connection.vendor, create=True):
                cursor.execute(statement)

    return run


def test_an_untouched_chain_verifies(chain):
    result = chain_verify()
    assert result.ok and result.verified_seq == 8 and result.broken_seq is None
    assert result.head_hash == chain[-1].hash == ChainHead.objects.get().hash


def test_each_step_hashes_its_predecessor(chain):
    assert chain[0].prev_hash == "0" * 64
    for before, after in zip(chain, chain[1:]):
        assert after.prev_hash == before.hash and after.seq == before.seq + 1


@pytest.mark.parametrize("sql", ["UPDATE approvals_step SET comment = 'x'", "DELETE FROM approvals_step"])
def test_the_database_refuses_to_change_or_delete_steps(chain, sql):
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql + " WHERE seq = 3")
    with pytest.raises(DatabaseError):
        with transaction.atomic():
            Step.objects.filter(seq=3).update(comment="x")
    assert Step.objects.get(seq=3).comment == "comment 2"


def test_an_edited_step_is_named(chain, tamper):
    tamper("UPDATE approvals_step SET comment = %s WHERE seq = 3", ["approved without review"])
    result = chain_verify()
    assert (result.ok, result.broken_seq, result.verified_seq) == (False, 3, 2)
    assert "3" in result.reason and ("edited" in result.reason or "篡改" in result.reason)


def test_a_deleted_middle_step_is_named(chain, tamper):
    tamper("DELETE FROM approvals_step WHERE seq = 4")
    result = chain_verify()
    assert (result.ok, result.broken_seq) == (False, 4)
    assert "missing" in result.reason or "缺失" in result.reason


def test_reordered_steps_are_named(chain, tamper):
    """Swap steps 3 and 4, each re-hashed under its new number: the links betray them."""
    third, fourth = chain[2], chain[3]
    for step, new_seq in ((third, 4), (fourth, 3)):
        step.seq = new_seq
    tamper("UPDATE approvals_step SET seq = -seq WHERE seq IN (3, 4)")
    for step in (third, fourth):
        tamper(
            "UPDATE approvals_step SET seq = %s, hash = %s WHERE id = %s", [step.seq, step.compute_hash(), step.pk]
        )
    result = chain_verify()
    assert (result.ok, result.broken_seq) == (False, 3)
    assert "reordered" in result.reason or "顺序" in result.reason


def test_a_truncated_tail_is_caught_by_the_checkpoint_held_elsewhere(chain, tamper, tmp_path):
    path = tmp_path / "checkpoint.json"
    call_command("audit_checkpoint", output=str(path))
    assert json.loads(path.read_text())["seq"] == 8
    # The intruder deletes the last two steps and covers his tracks in the database.
    tamper("DELETE FROM approvals_step WHERE seq > 6")
    ChainHead.objects.update(seq=6, hash=chain[5].hash)
    Checkpoint.objects.all().delete()
    assert chain_walk().ok  # nothing inside the database betrays it …
    result = chain_verify(checkpoint=Mark.from_json(path.read_text()))  # … the copy outside does
    assert (result.ok, result.broken_seq, result.verified_seq) == (False, 7, 6)
    assert "8" in result.reason


def test_a_truncated_tail_is_caught_by_the_head_row_when_left_alone(chain, tamper):
    tamper("DELETE FROM approvals_step WHERE seq = 8")
    result = chain_verify()
    assert (result.ok, result.broken_seq) == (False, 8)


def test_a_rewritten_chain_differs_from_the_stored_checkpoint(chain, tamper):
    audit_checkpoint_create()
    last = chain[-1]
    last.comment = "rewritten"
    tamper("UPDATE approvals_step SET comment = %s, hash = %s WHERE seq = 8", ["rewritten", last.compute_hash()])
    ChainHead.objects.update(hash=last.compute_hash())
    result = chain_verify()
    assert (result.ok, result.broken_seq) == (False, 8)


def test_verify_audit_command_exits_0_then_1(chain, tamper, capsys, tmp_path):
    call_command("verify_audit")
    assert "8" in capsys.readouterr().out
    tamper("UPDATE approvals_step SET action = 'forged' WHERE seq = 5")
    with pytest.raises(SystemExit) as exit_:
        call_command("verify_audit")
    assert exit_.value.code == 1
    assert "step 5" in capsys.readouterr().err


def test_verify_audit_rejects_a_malformed_checkpoint_file(chain, tmp_path):
    from django.core.management.base import CommandError

    path = tmp_path / "bad.json"
    path.write_text("{not json")
    with pytest.raises(CommandError):
        call_command("verify_audit", checkpoint=str(path))
    with pytest.raises(CommandError):
        call_command("verify_audit", checkpoint=str(tmp_path / "missing.json"))


def test_hash_covers_request_address_in_its_stored_form(cast, rf):
    """An IPv6 address is stored compressed; the hash must be of what the database holds."""
    from steplog.middleware import _request_context

    token = _request_context.set({"request_id": "r1", "client_ip": "2001:0db8:0000:0000:0000:0000:0000:0001"})
    try:
        step = step_record(action="test.ip", actor=cast.owner)
    finally:
        _request_context.reset(token)
    stored = Step.objects.get(pk=step.pk)
    assert stored.client_ip == "2001:db8::1" and stored.compute_hash() == stored.hash


@pytest.mark.postgres
def test_fifty_concurrent_appends_make_one_unbroken_chain(step_log_flushable):
    def append(n):
        with transaction.atomic():
            return step_record(action="test.concurrent", data={"n": n})

    results = race([lambda n=n: append(n) for n in range(50)])
    assert [r for r in results if isinstance(r, Exception)] == []
    report = chain_walk()
    assert report.ok and report.steps == 50
    assert sorted(Step.objects.values_list("data__n", flat=True)) == list(range(50))


@pytest.mark.postgres
def test_an_append_holds_the_head_for_one_statement_and_stores_what_it_hashed(cast, django_assert_num_queries):
    """Lock the head, then insert the step and move the head in one statement: every other
    writer waits for that lock, so each round trip under it counts (bench/bench_chain_head.py)."""
    step_record(action="test.first", actor=cast.district, obj=cast.own)
    with transaction.atomic(), django_assert_num_queries(2):
        step = step_record(
            action="test.second", actor=cast.district, obj=cast.own, comment="同意。", data={"n": [1, "二"]}
        )
    stored = Step.objects.get(pk=step.pk)
    assert stored.compute_hash() == stored.hash == step.hash
    assert stored.prev_hash == Step.objects.get(seq=step.seq - 1).hash
    assert (ChainHead.objects.get().seq, ChainHead.objects.get().hash) == (step.seq, step.hash)
