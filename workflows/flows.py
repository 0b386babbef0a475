"""viewflow flows: who does what next. They route tasks; the case models decide the state.

Every flow locks the process row (``select_for_update_lock``): with viewflow's default
``no_lock``, two parallel completions on PostgreSQL lost a field (DESIGN §9). Human tasks
open a row in the scoped queue (approvals) when created; services complete them.
"""

from django.conf import settings
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock

from approvals.services import queue_task_open
from enterprises.models import Role

from .models import PoolEntry, PoolEntryState

DEFAULT_SLA_WORKING_DAYS = {
    "pool_entry.district_review": 5,
    "pool_entry.city_review": 5,
    "pool_entry.revision": 10,
    "pool_entry.exit_review": 10,
}


def sla_working_days(kind: str) -> int | None:
    configured = getattr(settings, "TIDU_SLA_WORKING_DAYS", {})
    return configured.get(kind, DEFAULT_SLA_WORKING_DAYS.get(kind))


def case_page(request, *args, **kwargs):
    """viewflow's own task pages are not mounted; anyone following one lands on the queue."""
    return redirect("/")


def entry_of(activation) -> PoolEntry:
    return PoolEntry.objects.select_related("enterprise").get(process_id=activation.process.pk)


class CaseFlowMixin:
    lock_impl = lock.select_for_update_lock

    def attach_case(self, activation, entry):
        """StartHandle body: link the process and the case both ways."""
        activation.process.artifact = entry
        activation.process.save()
        type(entry).objects.filter(pk=entry.pk).update(process=activation.process)
        entry.process = activation.process
        return activation.process

    @staticmethod
    def opens_queue_task(kind: str, role: str, title):
        """A View task's on-create callback that puts the task in the scoped queue."""

        def on_create(activation):
            case = entry_of(activation)
            queue_task_open(
                kind=kind,
                role=role,
                enterprise=case.enterprise,
                case=case,
                title=f"{title} · {case.enterprise.name}",
                task=activation.task,
                sla_working_days=sla_working_days(kind),
            )

        return on_create


class PoolEntryFlow(CaseFlowMixin, flow.Flow):
    process_title = _("Pool entry")
    process_description = _("An enterprise enters the cultivation pool: district review, then city review.")

    start = flow.StartHandle(this.attach_case).Next(this.district_review)

    district_review = (
        flow.View(case_page)
        .onCreate(CaseFlowMixin.opens_queue_task("pool_entry.district_review", Role.DISTRICT_REVIEWER, _("Pool entry: district review")))
        .Next(this.after_district_review)
    )
    after_district_review = (
        flow.Switch()
        .Case(this.city_review, this.is_awaiting_city)
        .Case(this.revision, this.is_returned)
        .Default(this.end)
    )
    revision = (
        flow.View(case_page)
        .onCreate(CaseFlowMixin.opens_queue_task("pool_entry.revision", Role.ENTERPRISE, _("Pool entry: revise and resubmit")))
        .Next(this.after_revision)
    )
    after_revision = flow.If(this.is_awaiting_district).Then(this.district_review).Else(this.end)
    city_review = (
        flow.View(case_page)
        .onCreate(CaseFlowMixin.opens_queue_task("pool_entry.city_review", Role.CITY_REVIEWER, _("Pool entry: city review")))
        .Next(this.after_city_review)
    )
    after_city_review = flow.If(this.is_returned).Then(this.revision).Else(this.end)
    end = flow.End()

    def is_awaiting_city(self, activation):
        return entry_of(activation).state == PoolEntryState.CITY_REVIEW

    def is_awaiting_district(self, activation):
        return entry_of(activation).state == PoolEntryState.DISTRICT_REVIEW

    def is_returned(self, activation):
        return entry_of(activation).state == PoolEntryState.RETURNED


class PoolExitFlow(CaseFlowMixin, flow.Flow):
    """The annual refresh proposed an exit: the city confirms it or keeps the enterprise."""

    process_title = _("Pool exit review")

    start = flow.StartHandle(this.attach_case).Next(this.exit_review)
    exit_review = (
        flow.View(case_page)
        .onCreate(CaseFlowMixin.opens_queue_task("pool_entry.exit_review", Role.CITY_REVIEWER, _("Pool exit review")))
        .Next(this.end)
    )
    end = flow.End()
