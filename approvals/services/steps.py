"""Writes to the step log. Every service of every app records its decision here."""

from contextlib import nullcontext

from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address
from django.db import models, transaction
from django.utils import timezone
from django.utils.ipv6 import clean_ipv6_address

from ..middleware import current_request_context
from ..models import ChainHead, Step

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
        step.save(force_insert=True)
        ChainHead.objects.filter(pk=head.pk).update(seq=step.seq, hash=step.hash)
    return step


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
