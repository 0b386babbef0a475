"""Expert review (双随机) and the batch's recommendation upward.

The city draws N experts for a batch at random from the expert pool, with a recorded seed
so anyone can redraw it; an application sent to the experts is assigned at random to the
batch's experts, leaving out declared conflicts of interest and experts of the applicant's
own jurisdiction. Each expert scores on their own review case (their own queue task);
the last score hands the application back to the city, which decides. Closing the
review, the city recommends the approved applications in rank order with one 推荐函.
"""

import random
import secrets
from decimal import Decimal, InvalidOperation
from statistics import mean

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from viewflow.workflow.status import STATUS

from approvals.cases import case_decide
from approvals.services import queue_task_open, step_record
from documents.models import DocumentKind
from documents.services import document_issue
from enterprises.models import Role, Tier, User

from ..cases.application import EXPERT_REVIEW, EXPERT_SCORING
from ..flows import ApplicationFlow
from ..models import Application, ApplicationBatch, ApplicationState, ExpertConflict, ExpertReview, ExpertReviewState
from ..models.application import rubric_label
from .application import APPLICATION, _refuse, _require_city

decision = APPLICATION.serves


def expert_pool():
    """Every active expert, in a fixed order so that a seed always draws the same people."""
    return User.objects.filter(role=Role.EXPERT, is_active=True).order_by("pk")


@transaction.atomic
def application_batch_draw_experts(*, batch: ApplicationBatch, by: User, count: int, seed: int | None = None) -> list[User]:
    """Draw ``count`` experts for ``batch`` at random; the seed is recorded, so the draw can be checked."""
    _require_city(by)
    batch = ApplicationBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.expert_draw_seed is not None:
        _refuse(_("The experts of this batch were already drawn."), code="already_drawn", http_status=409)
    pool = list(expert_pool())
    if count < 1 or count > len(pool):
        _refuse(
            _("Cannot draw %(count)s experts: the expert pool has %(pool)s.") % {"count": count, "pool": len(pool)},
            code="pool_too_small",
            http_status=400,
        )
    seed = secrets.randbits(48) if seed is None else seed
    drawn = random.Random(seed).sample(pool, count)
    batch.expert_draw_seed = seed
    batch.save(update_fields=["expert_draw_seed"])
    batch.experts.set(drawn)
    step_record(
        action="application_batch.draw_experts",
        actor=by,
        obj=batch,
        data={"seed": seed, "pool": [u.pk for u in pool], "drawn": [u.get_username() for u in drawn]},
    )
    return drawn


def experts_for(application: Application) -> list[User]:
    """The batch's experts who may review ``application``, drawn at random (reproducibly) among the eligible."""
    batch = ApplicationBatch.objects.get(pk=application.batch_id)
    conflicted = set(ExpertConflict.objects.filter(enterprise=application.enterprise_id).values_list("expert_id", flat=True))
    eligible = [
        expert for expert in batch.experts.order_by("pk")
        if expert.pk not in conflicted and expert.jurisdiction_id != application.enterprise.jurisdiction_id
    ]
    wanted = min(batch.experts_per_application, len(eligible))
    return random.Random(f"{batch.expert_draw_seed}:{application.pk}").sample(eligible, wanted)


@decision(Application.send_to_experts)
@transaction.atomic
def application_send_to_experts(*, application: Application, by: User, comment: str = "") -> Application:
    """The city sends an application to expert review: the batch's experts are assigned at random."""
    if not ApplicationBatch.objects.filter(pk=application.batch_id, expert_draw_seed__isnull=False).exists():
        _refuse(_("Draw the batch's experts first."), code="no_experts", http_status=409)
    experts = experts_for(application)
    if not experts:
        _refuse(_("No expert of the batch may review this application (conflicts of interest or same jurisdiction)."),
                code="no_eligible_expert", http_status=409)
    application = case_decide(application, Application.send_to_experts, by=by, comment=comment)
    for expert in experts:
        review = ExpertReview.objects.create(application=application, expert=expert)
        queue_task_open(
            kind=EXPERT_SCORING.kind,
            role=EXPERT_SCORING.role,
            enterprise=application.enterprise,
            case=review,
            title=str(EXPERT_SCORING.label),  # blind: no enterprise name in the expert's queue
            sla_working_days=EXPERT_SCORING.sla,
            assignee=expert,
        )
    return application


def rubric_scores(rubric: list[dict], scores: dict) -> tuple[dict, Decimal]:
    """The cleaned scores of every rubric item and their total; CaseError names a missing or out-of-range one."""
    cleaned = {}
    for item in rubric:
        raw = scores.get(item["id"])
        try:
            value = Decimal(str(raw)).quantize(Decimal("0.01"))
        except (InvalidOperation, ValueError):
            _refuse(_("Score “%(item)s” is missing or not a number.") % {"item": rubric_label(item)}, code="invalid_score", http_status=400)
        if not 0 <= value <= item["max"]:
            _refuse(
                _("Score “%(item)s” must be between 0 and %(max)s.") % {"item": rubric_label(item), "max": item["max"]},
                code="invalid_score",
                http_status=400,
            )
        cleaned[item["id"]] = str(value)
    return cleaned, sum((Decimal(v) for v in cleaned.values()), Decimal("0"))


@EXPERT_REVIEW.serves(ExpertReview.score)
@transaction.atomic
def expert_review_score(*, review: ExpertReview, by: User, scores: dict, opinion: str = "") -> ExpertReview:
    """The assigned expert scores against the batch's rubric; the last score hands the case back to the city."""
    rubric = review.application.batch.rubric
    cleaned, total = rubric_scores(rubric, scores or {})
    review = case_decide(
        review, ExpertReview.score, by=by, comment=opinion.strip(), scores=cleaned, total=total, opinion=opinion.strip(),
        at=timezone.now(),
    )
    _hand_back_when_all_scored(review.application_id)
    return review


def _hand_back_when_all_scored(application_id) -> None:
    application = Application.objects.select_for_update().get(pk=application_id)
    if application.state != ApplicationState.EXPERT_REVIEW:
        return
    if application.expert_reviews.exclude(state=ExpertReviewState.SCORED).exists():
        return
    waiting = application.process.task_set.filter(flow_task=ApplicationFlow.expert_review, status=STATUS.NEW).first()
    if waiting is not None:
        ApplicationFlow.expert_review.run(waiting)


def expert_scores(application: Application) -> dict:
    """Each expert's total, their average and spread, as the city reads them."""
    totals = [r.total for r in application.expert_reviews.all() if r.total is not None]
    return {
        "reviews": list(application.expert_reviews.select_related("expert")),
        "average": Decimal(mean(totals)).quantize(Decimal("0.01")) if totals else None,
        "spread": (max(totals) - min(totals)) if totals else None,
        "scored": len(totals),
    }


# --- recommendation --------------------------------------------------------------------


def _rank_key(application: Application):
    average = expert_scores(application)["average"]
    diagnosis_score = ((application.snapshot or {}).get("diagnosis") or {}).get("score") or 0
    return (-(average or Decimal(0)), -diagnosis_score, application.submitted_at or application.created_at)


@transaction.atomic
def application_batch_recommend(*, batch: ApplicationBatch, by: User) -> list[Application]:
    """Recommend the batch's approved applications upward in rank order, with one 推荐函.

    Refused while any application of the batch is still under review, or when the batch
    was already recommended. Beyond the quota, approved applications are not recommended
    and are told why.
    """
    _require_city(by)
    batch = ApplicationBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.recommended_at is not None:
        _refuse(_("This batch was already recommended."), code="already_recommended", http_status=409)
    pending = batch.applications.filter(
        state__in=[ApplicationState.DISTRICT_REVIEW, ApplicationState.CITY_REVIEW, ApplicationState.EXPERT_REVIEW, ApplicationState.RETURNED]
    ).count()
    if pending:
        _refuse(
            _("%(count)s application(s) of this batch are still under review.") % {"count": pending},
            code="review_open",
            http_status=409,
        )
    approved = sorted(batch.applications.filter(state=ApplicationState.APPROVED).select_related("enterprise"), key=_rank_key)
    if not approved:
        _refuse(_("No application of this batch is approved."), code="nothing_to_recommend", http_status=409)
    chosen = approved[: batch.quota] if batch.quota else approved
    recommended = [case_decide(a, Application.recommend, by=by, rank=rank) for rank, a in enumerate(chosen, start=1)]
    for application in approved[len(chosen):]:
        reason = _("Beyond the batch's recommendation quota of %(quota)s.") % {"quota": batch.quota}
        case_decide(application, Application.not_recommend, by=by, comment=reason, reason=reason)
    batch.recommendation = _recommendation_letter(batch, recommended, by)
    batch.recommended_at = timezone.now()
    batch.save(update_fields=["recommendation", "recommended_at"])
    step_record(
        action="application_batch.recommend",
        actor=by,
        obj=batch,
        data={"recommended": [a.pk for a in recommended], "document": batch.recommendation.number},
    )
    return recommended


def _recommendation_letter(batch: ApplicationBatch, applications: list[Application], by: User):
    with translation.override(settings.LANGUAGE_CODE):
        tier = str(Tier(batch.tier).label)
        rows = [
            [a.rank, a.enterprise.name, a.enterprise.credit_code, tier, _score_text(a)]
            for a in applications
        ]
        context = {
            "title": _("Letter recommending the %(batch)s applicants") % {"batch": batch.name},
            "addressee": _("Provincial Department of Industry and Information Technology"),
            "body": [
                _("Having been reviewed by the district bureaus, the city bureau and an expert panel drawn at random, "
                  "the following %(count)s enterprise(s) are recommended, in rank order, for %(tier)s.")
                % {"count": len(applications), "tier": tier},
                {"type": "table", "columns": [_("No."), _("Enterprise"), _("Unified social credit code"), _("Tier"), _("Score")],
                 "rows": rows},
            ],
        }
    return document_issue(kind=DocumentKind.RECOMMENDATION_LETTER, by=by, enterprise=None, subject=batch, context=context)


def _score_text(application: Application) -> str:
    average = expert_scores(application)["average"]
    if average is not None:
        return str(average)
    return str(((application.snapshot or {}).get("diagnosis") or {}).get("score") or "—")


@transaction.atomic
def application_batch_close_results(*, batch: ApplicationBatch, by: User, day=None) -> list[Application]:
    """After the published list is recorded: recommended applications still open were not recognized."""
    _require_city(by)
    batch = ApplicationBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.recommended_at is None:
        _refuse(_("This batch has not been recommended yet."), code="not_recommended", http_status=409)
    day = day or timezone.localdate()
    missing = list(batch.applications.filter(state=ApplicationState.RECOMMENDED))
    closed = [case_decide(a, Application.not_recognize, by=by, day=day) for a in missing]
    batch.results_closed_at = timezone.now()
    batch.save(update_fields=["results_closed_at"])
    step_record(action="application_batch.close_results", actor=by, obj=batch, data={"not_recognized": [a.pk for a in closed]})
    return closed


__all__ = [
    "application_batch_close_results",
    "application_batch_draw_experts",
    "application_batch_recommend",
    "application_send_to_experts",
    "expert_review_score",
    "expert_scores",
    "experts_for",
]
