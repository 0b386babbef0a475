"""Idempotency keys of the rewards API: a retried action answers with its first result."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class IdempotencyKey(models.Model):
    """The first completed answer to an action sent with an ``Idempotency-Key`` header.

    Unique per (user, key): a retry with the same request gets the stored answer; the same
    key with a different request (path or body) is refused.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(_("key"), max_length=255)
    fingerprint = models.CharField(_("request fingerprint"), max_length=64)
    path = models.CharField(_("path"), max_length=255)
    status = models.PositiveSmallIntegerField(_("response status"))
    body = models.JSONField(_("response body"), null=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="one_idempotency_key_per_user")]

    def __str__(self):
        return self.key
