"""Celery tasks of the dashboard app: thin callers of the selectors."""

from celery import shared_task

from .selectors import dashboard_figures_warm


@shared_task(name="dashboard.warm_figures", ignore_result=True)
def warm_figures() -> dict[str, int]:
    """On the beat schedule: this year's figures of every reach, before the cached ones expire."""
    return dashboard_figures_warm()
