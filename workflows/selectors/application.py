"""Reads of applications, batches and expert reviews, scoped to the user.

Scope: an enterprise reads its own applications, a district reviewer its jurisdiction's,
the city, auditors and administrators all of them (``scope_to_user``). Experts read no
application here: they reach only their own reviews, through ``expert_review_list``,
which shows the frozen submission without the applicant's identity (blind scoring).
"""

import copy
import datetime

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext

from enterprises.fields import MoneyField, money_text
from enterprises.models import AnnualMetrics, Role, User
from enterprises.selectors import is_administrator, scope_to_user

from ..models import Application, ApplicationAttachment, ApplicationBatch, ApplicationState, ExpertReview, RuleSet
from ..models.application import WITHDRAWABLE_STATES, ExpertReviewState
from ..services.application import application_problems, metrics_snapshot
from .diagnosis import diagnose, next_tier

S = ApplicationState
# What a blind reviewer must not read of the frozen submission.
IDENTITY_FIELDS = ("name", "credit_code", "jurisdiction")
# The enterprise's own fields compared frozen against today, in the page's order.
ENTERPRISE_FIELDS = ("name", "credit_code", "jurisdiction", "main_product", "niche_market", "niche_entered_year")


def _is_city(user: User) -> bool:
    return user.role == Role.CITY_REVIEWER or is_administrator(user)


def application_list(*, user: User, state: str | None = None, batch=None, query: str = "") -> QuerySet:
    """Applications ``user`` may read, newest first; none for experts."""
    if not user.is_authenticated or user.role == Role.EXPERT:
        return Application.objects.none()
    applications = scope_to_user(Application.objects.select_related("enterprise__jurisdiction", "batch"), user)
    if state:
        applications = applications.filter(state=state)
    if batch is not None:
        applications = applications.filter(batch=batch)
    if query:
        applications = applications.filter(enterprise__name__icontains=query)
    return applications.order_by("-created_at", "-pk")


def application_get(*, user: User, pk) -> Application:
    """One application in the user's scope, or 404."""
    return get_object_or_404(application_list(user=user), pk=pk)


def attachment_get(*, user: User, application_pk, pk) -> ApplicationAttachment:
    """An attachment of an application the user may read, or 404."""
    application = application_get(user=user, pk=application_pk)
    return get_object_or_404(application.attachments.all(), pk=pk)


def application_actions(*, application: Application, user: User) -> list[str]:
    """The decisions to offer ``user`` on ``application`` now; the services still decide.

    The owner submits, resubmits and withdraws; the district reviewer of the enterprise's
    jurisdiction decides the 初审; the city decides the 复核 (and after the experts, once
    every expert has scored). A reviewer is never offered the enterprise's withdrawal.
    """
    state = application.state
    if user.role == Role.ENTERPRISE and user.enterprise_id == application.enterprise_id:
        own = {S.DRAFT: ["submit"], S.RETURNED: ["resubmit"]}.get(state, [])
        return own + (["withdraw"] if state in WITHDRAWABLE_STATES else [])
    if state == S.DISTRICT_REVIEW:
        ours = user.role == Role.DISTRICT_REVIEWER and user.jurisdiction_id == application.enterprise.jurisdiction_id
        return ["district_approve", "return", "reject"] if ours else []
    if not _is_city(user):
        return []
    if state == S.CITY_REVIEW:
        experts = ["send_to_experts"] if application.batch.expert_draw_seed is not None else []
        return experts + ["city_approve", "return", "reject"]
    if state == S.EXPERT_REVIEW and not application.expert_reviews.exclude(state=ExpertReviewState.SCORED).exists():
        return ["city_approve", "return", "reject"]
    return []


def application_may_see_scores(user: User) -> bool:
    """Experts' scores are for the city, auditors and administrators, not for the applicant or the district."""
    return _is_city(user) or user.role == Role.AUDITOR


def application_may_override(*, application: Application, user: User) -> bool:
    return _is_city(user) and application.state in (S.DRAFT, S.RETURNED)


def application_precheck(application: Application, day: datetime.date | None = None) -> dict:
    """What still stands between a draft and its submission: the problems and today's diagnosis."""
    day = day or timezone.localdate()
    diagnosis = diagnose(application.enterprise, application.tier, application.batch.opens_on, kind=application.kind)
    return {"problems": application_problems(application, day), "diagnosis": diagnosis}


def application_comparison(application: Application) -> list[dict]:
    """The frozen submission beside today's values: one row per field, ``differs`` when they no longer agree."""
    if not application.snapshot:
        return []
    enterprise = application.enterprise
    frozen = application.snapshot.get("enterprise", {})
    today = {name: getattr(enterprise, name) for name in ENTERPRISE_FIELDS}
    today["jurisdiction"] = enterprise.jurisdiction.name
    rows = [_row(enterprise._meta.get_field(name), frozen.get(name), today[name]) for name in ENTERPRISE_FIELDS]
    frozen_metrics, today_metrics = application.snapshot.get("metrics", {}), metrics_snapshot(enterprise)
    for year in sorted(set(frozen_metrics) | set(today_metrics), reverse=True):
        before, now = frozen_metrics.get(year, {}), today_metrics.get(year, {})
        for name in sorted(set(before) | set(now), key=_metric_order):
            rows.append(_row(AnnualMetrics._meta.get_field(name), before.get(name), now.get(name), year=year))
    return rows


def _metric_order(name: str) -> int:
    names = [f.name for f in AnnualMetrics._meta.concrete_fields]
    return names.index(name) if name in names else len(names)


def _row(field, frozen, today, *, year=None) -> dict:
    label = f"{year} · {field.verbose_name}" if year else field.verbose_name
    differs = _shown(frozen) != _shown(today)
    return {"label": label, "frozen": _readable(field, frozen), "today": _readable(field, today), "differs": differs}


def _shown(value) -> str:
    return "" if value is None else str(value)


def _readable(field, value) -> str:
    """A stored value as a reader reads it: yes/no for a boolean, money in the site's format, the label of a choice code."""
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(field, MoneyField) and value not in (None, ""):
        return money_text(value)
    if field.choices and value not in (None, ""):
        return str(dict(field.flatchoices).get(value, value))
    return _shown(value)


def frozen_ruleset_title(snapshot: dict) -> str:
    """The title of the rule set a frozen diagnosis used, in the reader's language (the snapshot
    keeps it in the submitter's, and its hash forbids rewriting it)."""
    frozen = (snapshot.get("diagnosis") or {}).get("ruleset") or {}
    ruleset = RuleSet.objects.filter(pk=frozen.get("id")).only("title_zh", "title_en").first()
    return ruleset.title if ruleset is not None else frozen.get("title", "")


def application_blind_snapshot(application: Application) -> dict:
    """The frozen submission as an expert reads it: no name, credit code or jurisdiction, no file names."""
    snapshot = copy.deepcopy(application.snapshot or {})
    for field in IDENTITY_FIELDS:
        snapshot.get("enterprise", {}).pop(field, None)
    (snapshot.get("diagnosis") or {}).pop("enterprise", None)
    snapshot["attachments"] = [
        {"content_type": a.get("content_type"), "size": a.get("size"), "sha256": a.get("sha256")}
        for a in snapshot.get("attachments", [])
    ]
    return snapshot


def snapshot_metric_rows(snapshot: dict) -> list[tuple[str, list[tuple[str, str]]]]:
    """The frozen metrics as (year, [(field label, value)]) for reading, empty values left out."""
    return [
        (year, [(str(AnnualMetrics._meta.get_field(name).verbose_name), _readable(AnnualMetrics._meta.get_field(name), value))
                for name, value in sorted(values.items(), key=lambda item: _metric_order(item[0])) if value not in (None, "")])
        for year, values in sorted((snapshot.get("metrics") or {}).items(), reverse=True)
    ]


def expert_review_list(*, user: User) -> QuerySet:
    """An expert's own reviews (no one else's), oldest first."""
    if not user.is_authenticated:
        return ExpertReview.objects.none()
    return ExpertReview.objects.filter(expert=user).select_related("application__batch").order_by("state", "pk")


def expert_review_get(*, user: User, pk) -> ExpertReview:
    return get_object_or_404(expert_review_list(user=user), pk=pk)


def batch_list(*, user: User) -> QuerySet:
    """Application batches: every signed-in role reads the windows; an expert only the batches it was drawn for."""
    if not user.is_authenticated:
        return ApplicationBatch.objects.none()
    batches = ApplicationBatch.objects.select_related("ruleset", "recommendation")
    return batches.filter(experts=user) if user.role == Role.EXPERT else batches


def batch_get(*, user: User, pk) -> ApplicationBatch:
    return get_object_or_404(batch_list(user=user), pk=pk)


def batch_may_manage(user: User) -> bool:
    """The city opens batches, draws their experts, recommends and records results."""
    return _is_city(user)


def batches_open_for(*, user: User, day: datetime.date | None = None) -> QuerySet:
    """The batches an enterprise may apply in now: its next tier, window not yet closed."""
    day = day or timezone.localdate()
    if user.role != Role.ENTERPRISE or not user.enterprise_id:
        return ApplicationBatch.objects.none()
    tier = next_tier(user.enterprise, day)
    return batch_list(user=user).filter(tier=tier, closes_on__gte=day).order_by("opens_on", "pk")


def batch_applications_by_state(*, user: User, batch: ApplicationBatch) -> list[tuple]:
    """The batch's applications in the user's scope, grouped by state in the path's order."""
    applications = list(application_list(user=user, batch=batch))
    return [(label, [a for a in applications if a.state == value]) for value, label in S.choices
            if any(a.state == value for a in applications)]
