"""Logins and failed logins leave steps in the audit trail (the one place signals are needed:
Django's auth raises them and offers no service to call)."""

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from steplog.services import step_record

from .models import CalendarDay, CalendarYear
from .workdays import calendar_changed


@receiver(user_logged_in, dispatch_uid="tidu_step_login")
def record_login(sender, request, user, **kwargs):
    step_record(action="auth.login", actor=user)


@receiver(user_login_failed, dispatch_uid="tidu_step_login_failed")
def record_login_failed(sender, credentials, request=None, **kwargs):
    # Never store the password; the username tried is what an auditor needs.
    step_record(action="auth.login_failed", data={"username": str(credentials.get("username", ""))[:150]})


@receiver([post_save, post_delete], dispatch_uid="tidu_calendar_changed")
def forget_due_dates(sender, **kwargs):
    """The admin edits the calendar through Django's own views: the cached due dates go with it."""
    if sender in (CalendarDay, CalendarYear):
        calendar_changed()
