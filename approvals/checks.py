"""System check: from November on, warn when next year's working-day calendar is missing.

Registered with the ``database`` tag, so it runs where Django consults the database
(``manage.py check --database default``, ``migrate``) and never breaks start-up.
"""

from django.core.checks import Tags, Warning, register
from django.db import DatabaseError


@register(Tags.database)
def next_year_calendar_check(app_configs=None, databases=None, **kwargs):
    if not databases or "default" not in databases:
        return []
    from .workdays import missing_calendar_warning

    try:
        message = missing_calendar_warning()
    except DatabaseError:  # tables not migrated yet
        return []
    return [Warning(message, id="approvals.W001")] if message else []
