"""Verifying the step log and exporting checkpoints of it."""

import json
import time
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..chain import ROW_FIELDS, ChainReport, Mark, walk
from ..models import GENESIS_HASH, ChainHead, ChainVerification, Checkpoint, Step


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
        when = timezone.localtime(latest.created_at).strftime("%Y-%m-%d %H:%M")
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
    return json.dumps(
        {"seq": checkpoint.seq, "hash": checkpoint.hash, "created_at": checkpoint.created_at.isoformat()}, indent=2
    )


def audit_checkpoint_export(*, directory) -> Path:
    """Create a checkpoint and write it as ``checkpoint-<seq>.json`` into ``directory``."""
    checkpoint = audit_checkpoint_create()
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"checkpoint-{checkpoint.seq:012d}.json"
    path.write_text(checkpoint_json(checkpoint), encoding="utf-8")
    return path
