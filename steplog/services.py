"""Writes to the step log: every service of every app records its decision here; and the
chain's verification and checkpoints."""

import datetime
import json
import time
from contextlib import nullcontext
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address
from django.db import models, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.ipv6 import clean_ipv6_address
from django.utils.translation import gettext as _

from .chain import ROW_FIELDS, ChainReport, Mark, walk
from .middleware import current_request_context
from .models import GENESIS_HASH, ChainHead, ChainVerification, Checkpoint, Step
from .signing import checkpoint_sign

SYSTEM_ACTOR_NAME = "system"


def within_transaction():
    """The caller's transaction when there is one, else a new one.

    Decisions run these writes inside their service's transaction; a nested ``atomic``
    would add a savepoint round trip to each, and ``atomic(savepoint=False)`` would turn
    a refusal that the caller catches into a broken transaction.
    """
    return nullcontext() if transaction.get_connection().in_atomic_block else transaction.atomic()


def _actor_fields(actor) -> dict:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return {"actor": None, "actor_name": SYSTEM_ACTOR_NAME, "actor_role": "", "actor_jurisdiction": ""}
    return {
        "actor": actor,
        "actor_name": actor.get_username(),
        "actor_role": actor.role,
        "actor_jurisdiction": actor.jurisdiction.code if actor.jurisdiction_id else "",
    }


def _object_fields(obj, enterprise) -> dict:
    if enterprise is None and obj is not None:
        enterprise = getattr(obj, "enterprise", None)
    if enterprise is None and obj is not None and obj.__class__.__name__ == "Enterprise":
        enterprise = obj
    fields = {"enterprise": enterprise, "jurisdiction": enterprise.jurisdiction.code if enterprise else ""}
    if obj is not None:
        fields["object_type"] = obj._meta.label_lower
        fields["object_id"] = str(obj.pk)
    return fields


def step_record(
    *,
    action: str,
    actor=None,
    obj: models.Model | None = None,
    enterprise=None,
    state_before: str = "",
    state_after: str = "",
    comment: str = "",
    data: dict | None = None,
) -> Step:
    """Append one step to the chain and return it.

    Locks the chain head for the rest of the caller's transaction, so call it as the
    last write of a service (the lock is then held only briefly). Runs in the
    caller's transaction: if the caller rolls back, the step is gone with it.
    """
    request = current_request_context()
    with within_transaction():
        head = _locked_head()
        step = Step(
            seq=head.seq + 1,
            created_at=timezone.now(),
            prev_hash=head.hash,
            action=action,
            state_before=str(state_before or ""),
            state_after=str(state_after or ""),
            comment=comment or "",
            data=data or {},
            request_id=request["request_id"],
            client_ip=_canonical_ip(request["client_ip"]),
            **_actor_fields(actor),
            **_object_fields(obj, enterprise),
        )
        step.hash = step.compute_hash()
        _insert_and_move_head(step, head)
    return step


def _insert_and_move_head(step: Step, head: ChainHead) -> None:
    """Insert ``step`` and move the head to it, under the head's lock.

    Every other writer waits on that lock until this transaction commits, so each round
    trip made while holding it lowers the whole site's appends per second. On PostgreSQL
    the insert and the head's update travel as one statement (measured with 8 concurrent
    writers in bench/bench_chain_head.py); elsewhere (SQLite, one writer at a time
    anyway) they are two.
    """
    connection = transaction.get_connection()
    if connection.vendor != "postgresql":
        step.save(force_insert=True)
        ChainHead.objects.filter(pk=head.pk).update(seq=step.seq, hash=step.hash)
        return
    fields = [field for field in Step._meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    sql = (
        f"WITH moved AS (UPDATE {quote(ChainHead._meta.db_table)} SET seq = %s, hash = %s WHERE id = %s) "
        f"INSERT INTO {quote(Step._meta.db_table)} ({', '.join(quote(field.column) for field in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))}) RETURNING id"
    )
    values = [field.get_db_prep_save(getattr(step, field.attname), connection) for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, [step.seq, step.hash, head.pk, *values])
        step.pk = cursor.fetchone()[0]
    step._state.adding, step._state.db = False, connection.alias


def _canonical_ip(address: str | None) -> str | None:
    """The address as the database will store it, so the hash matches what is read back.

    A malformed address (a forged X-Real-IP) is dropped rather than failing the decision.
    """
    if not address:
        return None
    try:
        validate_ipv46_address(address)
    except ValidationError:
        return None
    return clean_ipv6_address(address) if ":" in address else address


def _locked_head() -> ChainHead:
    head = ChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        ChainHead.objects.get_or_create(pk=1)
        head = ChainHead.objects.select_for_update().get(pk=1)
    return head


# The user fields that decide what a user may see and decide.
USER_SCOPE_FIELDS = ("role", "jurisdiction_id", "enterprise_id", "is_active", "is_superuser")


def user_scope_change_record(*, user, before: dict | None, by) -> Step | None:
    """One "user.role_change" step when an administrator changed what ``user`` may reach.

    ``before`` holds the scope fields as they were (None for a new user); returns None
    when nothing that decides access changed.
    """
    before = before or {}
    changed = {
        name: [before.get(name), getattr(user, name)]
        for name in USER_SCOPE_FIELDS
        if before.get(name) != getattr(user, name)
    }
    if not changed:
        return None
    return step_record(
        action="user.role_change",
        actor=by,
        obj=user,
        state_before=before.get("role", ""),
        state_after=user.role,
        data={"user": user.get_username(), "changed": changed},
    )


# Verification and checkpoints.


def chain_verify(*, checkpoint: Mark | None = None, by=None) -> ChainVerification:
    """Walk the whole chain, store the outcome and return it.

    Besides ``checkpoint`` (read from a copy held outside the database), the chain is
    checked against its head row and the latest checkpoint stored in the database.
    """
    started = time.monotonic()
    report = chain_walk(checkpoint=checkpoint)
    return ChainVerification.objects.create(
        verified_at=timezone.now(),
        ok=report.ok,
        verified_seq=report.verified_seq,
        head_hash=report.head_hash,
        broken_seq=report.broken_seq,
        reason=report.reason,
        checkpoint_seq=checkpoint.seq if checkpoint else None,
        seconds=round(time.monotonic() - started, 3),
        by=by if by is not None and by.is_authenticated else None,
    )


def chain_walk(*, checkpoint: Mark | None = None) -> ChainReport:
    """Walk the chain without storing the outcome. Steps appended meanwhile are walked too."""
    marks = _stored_marks() + ([checkpoint] if checkpoint else [])
    rows = Step.objects.order_by("seq").values_list(*ROW_FIELDS).iterator(chunk_size=10_000)
    return walk(rows, marks=marks)


def _stored_marks() -> list[Mark]:
    head = ChainHead.objects.filter(pk=1).first()
    marks = [Mark(head.seq, head.hash, _("the chain head"))] if head else []
    latest = Checkpoint.objects.order_by("-seq").first()
    if latest is not None:
        when = date_format(timezone.localtime(latest.created_at), "DATETIME_FORMAT")
        label = _("the checkpoint of %(time)s") % {"time": when}
        marks.append(Mark(latest.seq, latest.hash, label))
    return marks


def audit_checkpoint_create() -> Checkpoint:
    """Record the chain's current head as a checkpoint, to be exported and kept elsewhere."""
    with transaction.atomic():
        head = ChainHead.objects.select_for_update().filter(pk=1).first()
        seq, hash_ = (head.seq, head.hash) if head else (0, GENESIS_HASH)
        return Checkpoint.objects.create(seq=seq, hash=hash_)


def checkpoint_json(checkpoint: Checkpoint) -> str:
    """The checkpoint signed with the bureau's key (``steplog.signing``), as JSON to keep elsewhere."""
    return json.dumps(checkpoint_signed(checkpoint), indent=2)


def checkpoint_signed(checkpoint: Checkpoint) -> dict:
    at = checkpoint.created_at.astimezone(datetime.UTC).isoformat(timespec="microseconds")
    return checkpoint_sign(seq=checkpoint.seq, hash=checkpoint.hash, at=at)


def audit_checkpoint_export(*, directory) -> Path:
    """Create a checkpoint and write it as ``checkpoint-<seq>.json`` into ``directory``."""
    checkpoint = audit_checkpoint_create()
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"checkpoint-{checkpoint.seq:012d}.json"
    path.write_text(checkpoint_json(checkpoint), encoding="utf-8")
    return path
