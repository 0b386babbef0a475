"""Notifications, their deliveries per channel, each user's channels, and title-expiry reminders sent."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    INBOX = "inbox", _("In-app inbox")
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Notification(models.Model):
    """One notice to one user, already rendered; written in the transaction of the step that caused it."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=64, help_text=_("What caused it, e.g. queue.remind."))
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    # subject and body are in the site's language (what e-mail and SMS carry); the inbox shows
    # each reader the wording in theirs when the notice was written for it.
    wording = models.JSONField(
        _("wording in other languages"), default=dict, blank=True,
        help_text=_("The subject and body in each of the site's other languages."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "read_at"]), models.Index(fields=["recipient", "-created_at"])]

    def __str__(self):
        return self.subject

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def shown_subject(self) -> str:
        """The subject in the active language when it was worded in it, else as written."""
        return self.wording.get(get_language(), {}).get("subject", self.subject)

    @property
    def shown_body(self) -> str:
        return self.wording.get(get_language(), {}).get("body", self.body)


class Delivery(models.Model):
    """Sending one notification over one channel; failures stay here, with their error, until retried."""

    notification = models.ForeignKey(
        Notification, verbose_name=_("notification"), on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    address = models.CharField(_("address"), max_length=254, blank=True, help_text=_("E-mail address or phone number."))
    status = models.CharField(_("status"), max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel"], name="notifications_one_delivery_per_channel")
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.get_channel_display()} · {self.get_status_display()}"


class ChannelPreference(models.Model):
    """Which channels besides the inbox (always on) a user wants; no row means e-mail only."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    email = models.BooleanField(_("by e-mail"), default=True)
    sms = models.BooleanField(_("by SMS"), default=False)
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("channel preference")
        verbose_name_plural = _("channel preferences")

    def __str__(self):
        return str(self.user)


class TitleReminder(models.Model):
    """The reminder sent ``days`` before a title expires: at most one per title and threshold."""

    title = models.ForeignKey(
        "enterprises.Title", verbose_name=_("title held"), on_delete=models.CASCADE, related_name="expiry_reminders"
    )
    days = models.PositiveSmallIntegerField(_("days before expiry"))
    valid_until = models.DateField(_("valid until"))
    sent_on = models.DateField(_("sent on"))

    class Meta:
        verbose_name = _("title expiry reminder")
        verbose_name_plural = _("title expiry reminders")
        constraints = [models.UniqueConstraint(fields=["title", "days"], name="notifications_one_reminder_per_threshold")]

    def __str__(self):
        return f"{self.title} · {self.days}"
