"""The official diagnosis report (诊断报告) of a coaching plan, issued through the documents app."""

import datetime

from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enterprises.models import User

from ..exceptions import CaseError
from ..models import CoachingPlan
from ..selectors.coaching import user_can_coach

STATUS_WORDS = {"met": "✔", "not_met": "✘", "unknown": "?", "review": "…"}
# A requirement (no points) in the points column: 达标 / 未达标, not a dash.
REQUIREMENT_WORDS = {"met": gettext_lazy("requirement met"), "not_met": gettext_lazy("requirement not met")}


def diagnosis_report_available() -> bool:
    """Whether the documents capability is installed (the printable page works without it)."""
    try:
        from documents.models import DocumentKind
        from documents.services import document_issue  # noqa: F401
    except ImportError:
        return False
    return hasattr(DocumentKind, "DIAGNOSIS_REPORT")


def _values(rule: dict) -> str:
    return "；".join(value["text"] for value in rule["values"].values())


def _points(rule: dict) -> str:
    if rule["max_points"] is not None:
        return f"{rule['points']}/{rule['max_points']}"
    return str(REQUIREMENT_WORDS.get(rule["status"], STATUS_WORDS[rule["status"]]))


def report_gaps(plan: CoachingPlan, result: dict) -> list:
    """The plan's open items whose rule the report's own table does not show as met (a closed item, or one
    the data has since met, is no gap)."""
    met = {rule["id"] for rule in result["rules"] if rule["status"] == "met"}
    return [item for item in plan.items.all() if item.is_open and item.rule_id not in met]


def _who_and_when(item) -> str:
    """"（责任人：…，完成期限：…）" with what is known; nothing when neither is set."""
    if item.owner and item.due_on:
        return _("（owner: %(owner)s, due %(due)s）") % {"owner": item.owner, "due": date_format(item.due_on)}
    if item.owner:
        return _("（owner: %(owner)s）") % {"owner": item.owner}
    if item.due_on:
        return _("（due %(due)s）") % {"due": date_format(item.due_on)}
    return ""


def diagnosis_report_context(plan: CoachingPlan) -> dict:
    """The report as the documents app's plain-data context: title, addressee, body blocks, a table."""
    result = plan.diagnosis.result
    verdict = {True: _("passes"), False: _("does not pass"), None: _("is undetermined")}[result["passed"]]
    summary = _(
        "Against %(ruleset)s (version %(version)s), diagnosed on %(day)s, %(enterprise)s %(verdict)s for %(tier)s."
    ) % {"ruleset": result["ruleset"]["title"], "version": result["ruleset"]["version"], "day": date_format(datetime.date.fromisoformat(result["as_of"])),
         "enterprise": plan.enterprise.name, "verdict": verdict, "tier": plan.get_tier_display()}
    if result["score"] is not None:
        summary += _(" Score %(score)s; pass mark %(pass)s.") % {"score": result["score"], "pass": result["pass_score"]}
    body = [summary, *result["notes"], {"type": "heading", "level": 1, "text": _("Result by rule")},
            {"type": "table", "columns": [_("Rule"), _("Value"), _("Result"), _("Points")],
             "rows": [[rule["label"], _values(rule), STATUS_WORDS[rule["status"]], _points(rule)] for rule in result["rules"]]},
            {"type": "heading", "level": 1, "text": _("Gaps and how to close them")}]
    body += [f"{index}. {item.label}：{item.remedy or '—'}{_who_and_when(item)}"
             for index, item in enumerate(report_gaps(plan, result), start=1)] or [
        _("No gaps: the enterprise meets the criteria.")]
    return {
        "title": _("Gap diagnosis report of %(enterprise)s for %(tier)s") % {
            "enterprise": plan.enterprise.name, "tier": plan.get_tier_display()},
        "addressee": plan.enterprise.name,
        "body": body,
        "copy_to": [plan.enterprise.jurisdiction.name + _(" bureau of industry and information technology")],
    }


@transaction.atomic
def diagnosis_report_issue(*, plan: CoachingPlan, by: User):
    """Issue the 诊断报告 of ``plan``'s latest diagnosis (numbered now, rendered after commit).

    The documents service writes the ``document.issue`` step. Reviewers of the enterprise only.
    """
    if not user_can_coach(by, plan.enterprise):
        raise CaseError(_("Only the enterprise's district or city reviewers may do this."), code="forbidden", http_status=403)
    if plan.diagnosis is None:
        raise CaseError(_("The plan has no diagnosis yet."), code="no_diagnosis")
    if not diagnosis_report_available():
        raise CaseError(_("Official documents are not available yet; print the report page instead."), code="unavailable")
    from documents.models import DocumentKind
    from documents.services import document_issue

    return document_issue(
        kind=DocumentKind.DIAGNOSIS_REPORT,
        by=by,
        enterprise=plan.enterprise,
        subject=plan,
        context=diagnosis_report_context(plan),
    )
