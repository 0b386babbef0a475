"""viewflow flows: who does what next. They route tasks; the case models decide the state.

The human tasks are the case types' declarations (``workflows.cases``); the kernel's
``CaseFlowMixin`` locks the process row and opens each task in the scoped queue.
"""

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from approvals.cases import CaseFlowMixin, case_of
from approvals.cases.flows import case_page

from .cases.pool import CITY_REVIEW, DISTRICT_REVIEW, EXIT_REVIEW, REVISION
from .models import PoolEntryState

human_task = CaseFlowMixin.opens_queue_task


class PoolEntryFlow(CaseFlowMixin, flow.Flow):
    process_title = _("Pool entry")
    process_description = _("An enterprise enters the cultivation pool: district review, then city review.")

    start = flow.StartHandle(this.attach_case).Next(this.district_review)

    district_review = flow.View(case_page).onCreate(human_task(DISTRICT_REVIEW)).Next(this.after_district_review)
    after_district_review = (
        flow.Switch()
        .Case(this.city_review, this.is_awaiting_city)
        .Case(this.revision, this.is_returned)
        .Default(this.end)
    )
    revision = flow.View(case_page).onCreate(human_task(REVISION)).Next(this.after_revision)
    after_revision = flow.If(this.is_awaiting_district).Then(this.district_review).Else(this.end)
    city_review = flow.View(case_page).onCreate(human_task(CITY_REVIEW)).Next(this.after_city_review)
    after_city_review = flow.If(this.is_returned).Then(this.revision).Else(this.end)
    end = flow.End()

    def is_awaiting_city(self, activation):
        return case_of(activation).state == PoolEntryState.CITY_REVIEW

    def is_awaiting_district(self, activation):
        return case_of(activation).state == PoolEntryState.DISTRICT_REVIEW

    def is_returned(self, activation):
        return case_of(activation).state == PoolEntryState.RETURNED


class PoolExitFlow(CaseFlowMixin, flow.Flow):
    """The annual refresh proposed an exit: the city confirms it or keeps the enterprise."""

    process_title = _("Pool exit review")

    start = flow.StartHandle(this.attach_case).Next(this.exit_review)
    exit_review = flow.View(case_page).onCreate(human_task(EXIT_REVIEW)).Next(this.end)
    end = flow.End()
