"""The append-only, hash-chained step log: every decision leaves exactly one step.

The tables were created by the approvals app and keep its names (``approvals_step``, …):
the models moved, the data and the append-only triggers did not. The log knows the
enterprise of a step only by reference (no constraint, no import of the registry).
"""

import hashlib
import json

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class Step(models.Model):
    """One decision or state change. Never updated, never deleted (database triggers)."""

    seq = models.BigIntegerField(_("sequence"), unique=True)
    created_at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_constraint=False
    )
    actor_name = models.CharField(_("actor"), max_length=150, blank=True)
    actor_role = models.CharField(_("actor's role"), max_length=24, blank=True)
    actor_jurisdiction = models.CharField(_("actor's jurisdiction"), max_length=16, blank=True)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    jurisdiction = models.CharField(_("jurisdiction of the object"), max_length=16, blank=True)
    action = models.CharField(_("action"), max_length=64)
    state_before = models.CharField(_("state before"), max_length=32, blank=True)
    state_after = models.CharField(_("state after"), max_length=32, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    client_ip = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]
        verbose_name = _("approval step")
        verbose_name_plural = _("approval steps")
        db_table = "approvals_step"
        # Named as approvals created them, so moving the model changed nothing in the database.
        indexes = [
            models.Index(fields=["object_type", "object_id", "seq"], name="approvals_s_object__2ed81a_idx"),
            models.Index(fields=["enterprise", "seq"], name="approvals_s_enterpr_b33b9b_idx"),
            models.Index(fields=["actor", "seq"], name="approvals_s_actor_i_957a88_idx"),
            models.Index(fields=["action", "seq"], name="approvals_s_action_bc6daf_idx"),
            models.Index(fields=["jurisdiction", "seq"], name="approvals_s_jurisdi_780526_idx"),
            models.Index(fields=["created_at"], name="approvals_s_created_4a21ec_idx"),
        ]
        permissions = [("audit", "Can review the audit trail")]

    def __str__(self):
        return f"#{self.seq} {self.action}"

    def canonical_fields(self) -> dict:
        """The fields the hash covers, in a stable, backend-independent form."""
        return canonical_fields({name: getattr(self, name) for name in HASHED_FIELDS})

    def compute_hash(self) -> str:
        return chain_hash(self.prev_hash, {name: getattr(self, name) for name in HASHED_FIELDS})


# The columns a step's hash covers (everything but its own id and the two hashes).
HASHED_FIELDS = (
    "seq",
    "created_at",
    "actor_id",
    "actor_name",
    "actor_role",
    "actor_jurisdiction",
    "object_type",
    "object_id",
    "enterprise_id",
    "jurisdiction",
    "action",
    "state_before",
    "state_after",
    "comment",
    "request_id",
    "client_ip",
    "data",
)


def canonical_fields(values: dict) -> dict:
    """``values`` (keyed by HASHED_FIELDS, as read from the database) in hashable form."""
    return {**values, "created_at": values["created_at"].isoformat(timespec="microseconds")}


def chain_hash(prev_hash: str, values: dict) -> str:
    """SHA-256 of the previous hash followed by the step's canonical JSON."""
    canonical = json.dumps(canonical_fields(values), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((prev_hash + canonical).encode()).hexdigest()


class ChainHead(models.Model):
    """A single row, locked by every append so concurrent writers never fork the chain."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        db_table = "approvals_chainhead"
        verbose_name = _("chain head")


class Checkpoint(models.Model):
    """The chain's sequence and head hash at a moment, to be exported and held elsewhere."""

    seq = models.BigIntegerField()
    hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "approvals_checkpoint"
        ordering = ["-seq"]
        verbose_name = _("checkpoint")
        verbose_name_plural = _("checkpoints")


class ChainVerification(models.Model):
    """The outcome of one walk of the chain, so the auditor's page can say "verified up to N at T"."""

    verified_at = models.DateTimeField(_("verified at"))
    ok = models.BooleanField(_("intact"))
    verified_seq = models.BigIntegerField(_("verified up to step"), default=0)
    head_hash = models.CharField(_("head hash"), max_length=64, blank=True)
    broken_seq = models.BigIntegerField(_("first broken step"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    checkpoint_seq = models.BigIntegerField(_("checked against checkpoint"), null=True, blank=True)
    seconds = models.FloatField(_("duration (s)"), default=0)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )

    class Meta:
        db_table = "approvals_chainverification"
        ordering = ["-verified_at"]
        get_latest_by = "verified_at"
        verbose_name = _("chain verification")
        verbose_name_plural = _("chain verifications")
