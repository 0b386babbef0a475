"""Writes of the dashboard app: issuing and revoking the banks' white-list tokens, and a bank's read.

Each writes one step. The key of a token exists only in the return value of
``white_list_token_issue``: the database keeps its SHA-256.
"""

import datetime
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.models import User
from enterprises.selectors import is_administrator
from steplog.services import step_record

from .exceptions import DashboardError
from .models import WhiteListToken, white_list_key_hash
from .selectors import WhiteListEntry, dashboard_scope, white_list

KEY_PREFIX = "wl_"


def _check_administrator(by: User | None) -> None:
    # ``None`` is the command line, run by whoever holds the server.
    if by is not None and not is_administrator(by):
        raise DashboardError(_("Only an administrator issues or revokes white-list tokens."), http_status=403)


def white_list_token_issue(*, bank_name: str, by: User | None) -> tuple[WhiteListToken, str]:
    """A new active token for ``bank_name``; returns it with its key, which is never shown again."""
    _check_administrator(by)
    bank_name = (bank_name or "").strip()
    if not bank_name:
        raise DashboardError(_("Name the financial institution the token is for."), http_status=400)
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = WhiteListToken.objects.create(
            bank_name=bank_name, key_hash=white_list_key_hash(key), key_prefix=key[:8], issued_by=by
        )
        step_record(action="white_list_token.issue", actor=by, obj=token, comment=bank_name, data={"bank": bank_name})
    return token, key


def white_list_token_revoke(*, token: WhiteListToken, by: User | None) -> WhiteListToken:
    """The token stops working at once; revoking a revoked token changes nothing (and writes no step)."""
    _check_administrator(by)
    with transaction.atomic():
        token = WhiteListToken.objects.select_for_update().get(pk=token.pk)
        if not token.active:
            return token
        token.active = False
        token.revoked_at = timezone.now()
        token.save(update_fields=["active", "revoked_at"])
        step_record(
            action="white_list_token.revoke", actor=by, obj=token, comment=token.bank_name,
            data={"bank": token.bank_name},
        )
    return token


def white_list_token_authenticate(key: str) -> WhiteListToken | None:
    """The active token whose key is ``key``, or None."""
    if not key.startswith(KEY_PREFIX):
        return None
    return WhiteListToken.objects.filter(key_hash=white_list_key_hash(key), active=True).first()


def white_list_read(*, day: datetime.date, token: WhiteListToken | None = None, user: User | None = None) -> list[WhiteListEntry]:
    """The white list for a bank (``token``: the whole city) or a member of staff (``user``: their scope).

    The read is a step naming the bank, or the user as its actor. Raises ``PermissionDenied``
    for a user without the dashboard.
    """
    if token is not None:
        entries = white_list(day=day)
        step_record(
            action="white_list.read", obj=token, comment=token.bank_name,
            data={"bank": token.bank_name, "day": day.isoformat(), "entries": len(entries)},
        )
        return entries
    entries = white_list(day=day, scope=dashboard_scope(user=user))
    step_record(action="white_list.read", actor=user, data={"day": day.isoformat(), "entries": len(entries)})
    return entries
