"""Title-expiry reminders (issue 8 §3): to the enterprise and its district, 180, 90 and 30 days ahead."""

import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from enterprises.models import Title

from ..models import TitleReminder
from ..selectors import district_reviewers, enterprise_users
from .notify import notify

# Days before expiry, largest first.
EXPIRY_THRESHOLDS = (180, 90, 30)
EXPIRY_KIND = "title.expiry"


def title_expiry_reminders_send(*, today: datetime.date | None = None) -> dict[str, int]:
    """The daily sweep: remind about each title entering a threshold, once per (title, threshold).

    A title is in the band of the smallest threshold its days left fit in; one that enters
    late (imported 20 days before expiry) gets the 30-day reminder only. Titles already
    followed by a later title of the same tier and product are not chased. Each reminder
    locks its title and records a ``TitleReminder`` in the same transaction as its
    notifications, so a re-run, or two sweeps at once, send nothing twice.
    """
    today = today or timezone.localdate()
    sent = 0
    for days, closer in zip(EXPIRY_THRESHOLDS, (*EXPIRY_THRESHOLDS[1:], -1)):
        band = _current_titles().filter(
            valid_until__gt=today + datetime.timedelta(days=closer), valid_until__lte=today + datetime.timedelta(days=days)
        ).exclude(expiry_reminders__days=days)
        sent += sum(_remind(pk, days, today) for pk in band.values_list("pk", flat=True))
    return {"title_reminders": sent}


def _current_titles():
    later = Title.objects.filter(
        enterprise=OuterRef("enterprise"), tier=OuterRef("tier"), product=OuterRef("product"),
        valid_until__gt=OuterRef("valid_until"),
    )
    return Title.objects.filter(valid_until__isnull=False).exclude(Exists(later))


def _remind(pk: int, days: int, today: datetime.date) -> bool:
    with transaction.atomic():
        title = Title.objects.select_for_update().select_related("enterprise__jurisdiction").get(pk=pk)
        if TitleReminder.objects.filter(title=title, days=days).exists():
            return False  # another sweep got here first
        TitleReminder.objects.create(title=title, days=days, valid_until=title.valid_until, sent_on=today)
        enterprise = title.enterprise
        recipients = [*enterprise_users(enterprise=enterprise), *district_reviewers(jurisdiction=enterprise.jurisdiction)]
        link = reverse("registry:enterprise:detail", kwargs={"pk": enterprise.pk})
        notify(recipients=recipients, kind=EXPIRY_KIND, enterprise=enterprise, link=link,
               subject=lambda: _text(title, today)["subject"], body=lambda: _text(title, today)["body"])
    return True


def _text(title: Title, today: datetime.date) -> dict[str, str]:
    values = {
        "enterprise": title.enterprise.name,
        "tier": title.get_tier_display(),
        "date": date_format(title.valid_until),
        "days": (title.valid_until - today).days,
    }
    return {
        "subject": _("%(enterprise)s: the %(tier)s title expires in %(days)s days") % values,
        "body": _(
            "The %(tier)s title of %(enterprise)s is valid until %(date)s. "
            "Apply for its re-review (复核) in time so that it does not lapse."
        ) % values,
    }
