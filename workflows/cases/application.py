"""Applications (申报) and their expert reviews: tasks and decisions, declared once."""

from django.utils.translation import gettext_lazy as _

from approvals.cases import CaseType, Decision, HumanTask
from enterprises.models import Role

from ..models import Application, ExpertReview

DISTRICT_REVIEW = HumanTask("application.district_review", Role.DISTRICT_REVIEWER, _("Application: district review (初审)"), 5)
REVISION = HumanTask("application.revision", Role.ENTERPRISE, _("Application: revise and resubmit"), 10)
CITY_REVIEW = HumanTask("application.city_review", Role.CITY_REVIEWER, _("Application: city review (复核)"), 5)
CITY_DECISION = HumanTask("application.city_decision", Role.CITY_REVIEWER, _("Application: decide after expert review"), 5)
EXPERT_SCORING = HumanTask("expert_review.score", Role.EXPERT, _("Expert review: score the application"), 7)

# The tasks on which the city decides an application: before or after the experts.
CITY_TASKS = (CITY_REVIEW, CITY_DECISION)

APPLICATION = CaseType(
    model=Application,
    prefix="application",
    case_argument="application",
    url_name="applications:detail",
    tasks=(DISTRICT_REVIEW, REVISION, CITY_REVIEW, CITY_DECISION),
    decisions=(
        Decision(Application.submit, _("Application submitted"), button=_("Submit"), done=_("Submitted to the district bureau.")),
        Decision(
            Application.district_approve,
            _("District review (初审): approved"),
            button=_("Approve"),
            done=_("Approved and sent to the city bureau."),
            tasks=(DISTRICT_REVIEW,),
            bulk=True,
        ),
        Decision(
            Application.return_,
            _("Returned for revision"),
            button=_("Return for revision"),
            done=_("Returned to the enterprise for revision."),
            tasks=(DISTRICT_REVIEW, *CITY_TASKS),
            text="reason",
            text_required=True,
            tells_enterprise=True,
        ),
        Decision(
            Application.reject,
            _("Application rejected"),
            button=_("Reject"),
            done=_("Rejected."),
            tasks=(DISTRICT_REVIEW, *CITY_TASKS),
            text="reason",
            text_required=True,
            tells_enterprise=True,
            final=True,
        ),
        Decision(Application.resubmit, _("Resubmitted"), button=_("Resubmit"), done=_("Resubmitted."), tasks=(REVISION,), text="statement"),
        Decision(
            Application.send_to_experts,
            _("Sent to expert review"),
            button=_("Send to expert review"),
            done=_("Sent to the experts drawn for the batch."),
            tasks=(CITY_REVIEW,),
        ),
        Decision(
            Application.city_approve,
            _("City review (复核): approved"),
            button=_("Approve"),
            done=_("Approved: it will be recommended with the batch."),
            tasks=CITY_TASKS,
            bulk=True,
            tells_enterprise=True,
        ),
        Decision(Application.withdraw, _("Withdrawn"), button=_("Withdraw"), done=_("Withdrawn."), text="reason", final=True),
        Decision(Application.recommend, _("Recommended upward"), tells_enterprise=True),
        Decision(Application.not_recommend, _("Not recommended: beyond the batch's quota"), text="reason", tells_enterprise=True),
        Decision(Application.recognize, _("Recognized: the title is on record"), tells_enterprise=True),
        Decision(Application.not_recognize, _("Not recognized in the published list"), tells_enterprise=True),
    ),
    other_actions={
        "draft": _("Application drafted"),
        "attach": _("Attachment added"),
        "detach": _("Attachment removed"),
        "override": _("Diagnosis overridden by the city"),
    },
    # Every decision's step names the frozen submission it was taken on.
    step_data=lambda application: {"revision": application.revision, "snapshot_sha256": application.snapshot_sha256},
)

EXPERT_REVIEW = CaseType(
    model=ExpertReview,
    prefix="expert_review",
    case_argument="review",
    url_name="applications:review",
    tasks=(EXPERT_SCORING,),
    decisions=(
        Decision(ExpertReview.score, _("Expert scored the application"), button=_("Submit the scores"), tasks=(EXPERT_SCORING,)),
    ),
    lock_related=("application__enterprise__jurisdiction",),
)
