"""viewflow flows: who does what next. They route tasks; the case models decide the state.

The human tasks are the case types' declarations (``workflows.cases``); the kernel's
``CaseFlowMixin`` locks the process row and opens each task in the scoped queue.
"""

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from approvals.cases import CaseFlowMixin
from approvals.cases.flows import CaseSwitch, case_in, case_page

from .cases import application as app
from .cases.pool import CITY_REVIEW, DISTRICT_REVIEW, EXIT_REVIEW, REVISION
from .models import ApplicationState, PoolEntryState

human_task = CaseFlowMixin.opens_queue_task


class PoolEntryFlow(CaseFlowMixin, flow.Flow):
    process_title = _("Pool entry")
    process_description = _("An enterprise enters the cultivation pool: district review, then city review.")

    # A district's own proposal was its district review (decision district_propose): straight to the city.
    start = flow.StartHandle(this.attach_case).Next(this.after_start)
    after_start = (
        CaseSwitch().Case(this.city_review, case_in(PoolEntryState.CITY_REVIEW)).Default(this.district_review)
    )

    district_review = flow.View(case_page).onCreate(human_task(DISTRICT_REVIEW)).Next(this.after_district_review)
    after_district_review = (
        CaseSwitch()
        .Case(this.city_review, case_in(PoolEntryState.CITY_REVIEW))
        .Case(this.revision, case_in(PoolEntryState.RETURNED))
        .Default(this.end)
    )
    revision = flow.View(case_page).onCreate(human_task(REVISION)).Next(this.after_revision)
    after_revision = CaseSwitch().Case(this.district_review, case_in(PoolEntryState.DISTRICT_REVIEW)).Default(this.end)
    city_review = flow.View(case_page).onCreate(human_task(CITY_REVIEW)).Next(this.after_city_review)
    after_city_review = CaseSwitch().Case(this.revision, case_in(PoolEntryState.RETURNED)).Default(this.end)
    end = flow.End()


class PoolExitFlow(CaseFlowMixin, flow.Flow):
    """The annual refresh proposed an exit: the city confirms it or keeps the enterprise."""

    process_title = _("Pool exit review")

    start = flow.StartHandle(this.attach_case).Next(this.exit_review)
    exit_review = flow.View(case_page).onCreate(human_task(EXIT_REVIEW)).Next(this.end)
    end = flow.End()


class ApplicationFlow(CaseFlowMixin, flow.Flow):
    """An application: district 初审, city 复核, optionally the experts, then the city decides."""

    process_title = _("Application")
    process_description = _("An enterprise applies for the next tier: district review, city review, expert review.")

    start = flow.StartHandle(this.attach_case).Next(this.district_review)

    district_review = flow.View(case_page).onCreate(human_task(app.DISTRICT_REVIEW)).Next(this.after_district_review)
    after_district_review = (
        CaseSwitch()
        .Case(this.city_review, case_in(ApplicationState.CITY_REVIEW))
        .Case(this.revision, case_in(ApplicationState.RETURNED))
        .Default(this.end)
    )
    revision = flow.View(case_page).onCreate(human_task(app.REVISION)).Next(this.after_revision)
    after_revision = (
        CaseSwitch().Case(this.district_review, case_in(ApplicationState.DISTRICT_REVIEW)).Default(this.end)
    )
    city_review = flow.View(case_page).onCreate(human_task(app.CITY_REVIEW)).Next(this.after_city_review)
    after_city_review = (
        CaseSwitch()
        .Case(this.expert_review, case_in(ApplicationState.EXPERT_REVIEW))
        .Case(this.revision, case_in(ApplicationState.RETURNED))
        .Default(this.end)
    )
    # The experts score on their own review cases; the last score completes this wait.
    expert_review = flow.Handle(this.experts_done).Next(this.city_decision)
    city_decision = flow.View(case_page).onCreate(human_task(app.CITY_DECISION)).Next(this.after_city_decision)
    after_city_decision = (
        CaseSwitch().Case(this.revision, case_in(ApplicationState.RETURNED)).Default(this.end)
    )
    end = flow.End()
    def experts_done(self, activation):
        return activation.process
