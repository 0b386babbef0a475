"""Walking the hash chain: finds the first step that was edited, removed or moved.

The walk reads the steps in sequence order, streamed, and checks for each step that
its number follows the previous one (a gap means a step was deleted), that it names the
previous step's hash (otherwise steps were reordered or one was rewritten along with its
hash), and that its own hash matches its content (otherwise it was edited). At the end
it compares the chain with the head row and with a checkpoint held elsewhere, which
catches a deleted tail.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .models import GENESIS_HASH, HASHED_FIELDS, chain_hash


@dataclass(frozen=True)
class Mark:
    """A (sequence, hash) pair the chain must contain: the head row, or an exported checkpoint."""

    seq: int
    hash: str
    label: str = ""

    @classmethod
    def from_json(cls, text: str, label: str = "") -> "Mark":
        """Read ``{"seq": …, "hash": …}`` as written by ``audit_checkpoint``; ValueError if malformed.

        The signature, if any, is not checked here (``steplog.signing.checkpoint_signature_problem``)."""
        try:
            payload = json.loads(text)
            seq, hash_ = int(payload["seq"]), str(payload["hash"])
        except (ValueError, KeyError, TypeError) as error:
            raise ValueError(_("Not a checkpoint file: %(error)s") % {"error": error}) from None
        return cls(seq=seq, hash=hash_, label=label or str(payload.get("at") or payload.get("created_at", "")))


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    steps: int
    verified_seq: int
    head_hash: str
    broken_seq: int | None = None
    reason: str = ""


ROW_FIELDS = (*HASHED_FIELDS, "prev_hash", "hash")


def walk(rows: Iterable[tuple], *, marks: Iterable[Mark] = ()) -> ChainReport:
    """Verify ``rows`` (tuples in ROW_FIELDS order, ascending seq) against each other and ``marks``."""
    marks = sorted(marks, key=lambda mark: mark.seq)
    pending = {mark.seq: mark for mark in marks}
    expected, last_hash, count = 1, GENESIS_HASH, 0
    for row in rows:
        values = dict(zip(HASHED_FIELDS, row))
        seq, prev_hash, stored_hash = values["seq"], row[-2], row[-1]
        problem = _problem(values, seq, expected, prev_hash, last_hash, stored_hash)
        if problem:
            return ChainReport(False, count, expected - 1, last_hash, *problem)
        if seq in pending and pending.pop(seq).hash != stored_hash:
            reason = _("Step %(seq)s differs from the checkpoint: the chain was rewritten after it.")
            return ChainReport(False, count, seq - 1, last_hash, seq, reason % {"seq": seq})
        expected, last_hash, count = seq + 1, stored_hash, count + 1
    for mark in marks:
        if mark.seq >= expected:
            return ChainReport(False, count, expected - 1, last_hash, expected, _tail_reason(expected - 1, mark))
    return ChainReport(True, count, expected - 1, last_hash)


def _problem(values, seq, expected, prev_hash, last_hash, stored_hash) -> tuple[int, str] | None:
    if seq != expected:
        reason = _("Step %(missing)s is missing: the chain jumps from step %(before)s to step %(seq)s.")
        return expected, reason % {"missing": expected, "before": expected - 1, "seq": seq}
    if prev_hash != last_hash:
        reason = _(
            "Step %(seq)s does not link to step %(before)s: steps were reordered, or step %(before)s was "
            "rewritten together with its hash."
        )
        return seq, reason % {"seq": seq, "before": seq - 1}
    if chain_hash(prev_hash, values) != stored_hash:
        return seq, _("Step %(seq)s was edited: its content no longer matches its hash.") % {"seq": seq}
    return None


def _tail_reason(last_seq: int, mark: Mark) -> str:
    return _(
        "The chain ends at step %(last)s but %(source)s records step %(seq)s: the tail of the log was deleted."
    ) % {"last": last_seq, "seq": mark.seq, "source": mark.label or _("the checkpoint")}
