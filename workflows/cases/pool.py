"""Pool entry (入库培育): its tasks and decisions, declared once."""

from django.utils.translation import gettext_lazy as _

from approvals.cases import CaseType, Decision, HumanTask
from enterprises.models import Role

from ..models import PoolEntry

DISTRICT_REVIEW = HumanTask("pool_entry.district_review", Role.DISTRICT_REVIEWER, _("Pool entry: district review"), 5)
CITY_REVIEW = HumanTask("pool_entry.city_review", Role.CITY_REVIEWER, _("Pool entry: city review"), 5)
REVISION = HumanTask("pool_entry.revision", Role.ENTERPRISE, _("Pool entry: revise and resubmit"), 10)
EXIT_REVIEW = HumanTask("pool_entry.exit_review", Role.CITY_REVIEWER, _("Pool exit review"), 10)

POOL_ENTRY = CaseType(
    model=PoolEntry,
    prefix="pool_entry",
    case_argument="entry",
    url_name="pool:detail",
    tasks=(DISTRICT_REVIEW, CITY_REVIEW, REVISION, EXIT_REVIEW),
    decisions=(
        Decision(PoolEntry.submit, _("Pool entry proposed")),
        # Nobody reviews their own proposal: a district's proposal stands as its 初审 and goes to the city.
        Decision(PoolEntry.district_propose, _("Proposed by the district bureau (its own district review): sent to the city")),
        Decision(
            PoolEntry.district_approve,
            _("District review: approved"),
            button=_("Approve"),
            done=_("Approved and sent to the city bureau."),
            tasks=(DISTRICT_REVIEW,),
            bulk=True,
        ),
        Decision(
            PoolEntry.return_,
            _("Returned for revision"),
            button=_("Return for revision"),
            done=_("Returned to the enterprise for revision."),
            tasks=(DISTRICT_REVIEW, CITY_REVIEW),
            text="reason",
            text_required=True,
            tells_enterprise=True,
        ),
        Decision(
            PoolEntry.reject,
            _("District review: rejected"),
            button=_("Reject"),
            done=_("Rejected."),
            tasks=(DISTRICT_REVIEW,),
            text="reason",
            text_required=True,
            tells_enterprise=True,
            final=True,
        ),
        Decision(PoolEntry.resubmit, _("Resubmitted"), done=_("Resubmitted."), tasks=(REVISION,), text="statement"),
        Decision(
            PoolEntry.city_approve,
            _("City review: approved, in the pool"),
            button=_("Approve"),
            done=_("Approved: the enterprise is in the pool."),
            tasks=(CITY_REVIEW,),
            bulk=True,
            tells_enterprise=True,
        ),
        Decision(PoolEntry.withdraw, _("Withdrawn"), button=_("Withdraw"), done=_("Withdrawn."), text="reason", final=True),
        Decision(PoolEntry.propose_exit, _("Proposed for exit by the annual refresh"), text="reason"),
        Decision(
            PoolEntry.confirm_exit,
            _("Exit confirmed"),
            button=_("Confirm exit"),
            done=_("Exit confirmed."),
            tasks=(EXIT_REVIEW,),
            bulk=True,
            tells_enterprise=True,
            final=True,
        ),
        Decision(
            PoolEntry.keep, _("Kept in the pool"), button=_("Keep in the pool"), done=_("Kept in the pool."), tasks=(EXIT_REVIEW,)
        ),
    ),
    step_data=lambda entry: {"revision": entry.revision},
)
