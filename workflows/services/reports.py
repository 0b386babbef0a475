"""The official diagnosis report (诊断报告) of a coaching plan, issued through the documents app."""

from django.db import transaction
from django.utils.translation import gettext as _

from enterprises.models import User

from ..exceptions import CaseError
from ..models import CoachingPlan
from ..selectors.coaching import user_can_coach

STATUS_WORDS = {"met": "✔", "not_met": "✘", "unknown": "?", "review": "…"}


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
    return "—" if rule["max_points"] is None else f"{rule['points']}/{rule['max_points']}"


def diagnosis_report_context(plan: CoachingPlan) -> dict:
    """The report as the documents app's plain-data context: title, addressee, body blocks, a table."""
    result = plan.diagnosis.result
    verdict = {True: _("passes"), False: _("does not pass"), None: _("is undetermined")}[result["passed"]]
    summary = _(
        "Against %(ruleset)s (version %(version)s), diagnosed on %(day)s, %(enterprise)s %(verdict)s for %(tier)s."
    ) % {"ruleset": result["ruleset"]["title"], "version": result["ruleset"]["version"], "day": result["as_of"],
         "enterprise": plan.enterprise.name, "verdict": verdict, "tier": plan.get_tier_display()}
    if result["score"] is not None:
        summary += _(" Score %(score)s; pass mark %(pass)s.") % {"score": result["score"], "pass": result["pass_score"]}
    body = [summary, *result["notes"], {"type": "heading", "level": 1, "text": _("Result by rule")},
            {"type": "table", "columns": [_("Rule"), _("Value"), _("Result"), _("Points")],
             "rows": [[rule["label"], _values(rule), STATUS_WORDS[rule["status"]], _points(rule)] for rule in result["rules"]]},
            {"type": "heading", "level": 1, "text": _("Gaps and how to close them")}]
    items = list(plan.items.all())
    body += [f"{index}. {item.label}：{item.remedy or '—'}" + (_("（owner: %(owner)s, due %(due)s）") % {
        "owner": item.owner or "—", "due": item.due_on or "—"}) for index, item in enumerate(items, start=1)] or [
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
