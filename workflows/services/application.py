"""Applications (申报): open a batch, draft, attach, submit (frozen), review, withdraw.

Every decision goes through the case kernel (``approvals.cases``) with the declarations in
``workflows.cases.application``; the services here add what is particular to applications:
the batch window, the preconditions, the frozen submission and who may act.
"""

import datetime
import hashlib
import json

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from approvals.cases import case_cancel, case_decide, case_locked, case_reason_required, case_start, case_step_record
from enterprises.models import AnnualMetrics, Enterprise, Role, Tier, User
from enterprises.selectors import is_administrator
from notifications.services import notify
from steplog.services import step_record

from ..cases.application import APPLICATION
from ..criteria import Kind
from ..criteria.report import diagnosis_data
from ..exceptions import CaseError
from ..flows import ApplicationFlow
from ..models import Application, ApplicationAttachment, ApplicationBatch, ApplicationState
from ..models.application import OPEN_APPLICATION_STATES
from ..models.pool import IN_POOL_STATES
from ..selectors.diagnosis import diagnose, ruleset_for
from .attachments import attachment_check, attachment_store
from .diagnosis import diagnosis_keep

decision = APPLICATION.serves
EDITABLE_STATES = (ApplicationState.DRAFT, ApplicationState.RETURNED)


def _refuse(message: str, code: str = "forbidden", http_status: int = 403):
    raise CaseError(message, code=code, http_status=http_status)


def _require_city(by: User) -> None:
    if by.role != Role.CITY_REVIEWER and not is_administrator(by):
        _refuse(_("Only the city bureau may do this."))


def _require_own(by: User, application: Application) -> None:
    if by.role != Role.ENTERPRISE or by.enterprise_id != application.enterprise_id:
        _refuse(_("Only the enterprise itself may do this with its application."))


def _require_editable(application: Application) -> None:
    if application.state not in EDITABLE_STATES:
        _refuse(
            _("This application is “%(state)s”; it can be changed only as a draft or when returned.")
            % {"state": application.get_state_display()},
            code="wrong_state",
            http_status=409,
        )


# --- batches ---------------------------------------------------------------------------


@transaction.atomic
def application_batch_open(
    *,
    by: User,
    tier: str,
    year: int,
    name: str,
    opens_on: datetime.date,
    closes_on: datetime.date,
    kind: str = Kind.NEW,
    quota: int | None = None,
    rubric: list | None = None,
    experts_per_application: int = 3,
) -> ApplicationBatch:
    """The city opens an application window for ``tier``; the rule set in force on ``opens_on`` decides it."""
    _require_city(by)
    if tier not in Tier.values:
        _refuse(_("Unknown tier “%(tier)s”.") % {"tier": tier}, code="unknown_tier", http_status=400)
    if closes_on < opens_on:
        _refuse(_("The batch must open before it closes."), code="invalid_window", http_status=400)
    ruleset = ruleset_for(tier, opens_on, kind)
    batch = ApplicationBatch.objects.create(
        tier=tier,
        kind=kind,
        year=year,
        name=name.strip() or f"{year} {Tier(tier).label}",
        opens_on=opens_on,
        closes_on=closes_on,
        ruleset_id=ruleset.id,
        quota=quota,
        rubric=rubric or default_rubric(tier),
        experts_per_application=experts_per_application,
        created_by=by,
    )
    step_record(
        action="application_batch.open",
        actor=by,
        obj=batch,
        data={"tier": tier, "kind": kind, "opens_on": opens_on.isoformat(), "closes_on": closes_on.isoformat(),
              "ruleset": ruleset.label, "quota": quota},
    )
    _tell_the_pool(batch)
    return batch


def _tell_the_pool(batch: ApplicationBatch) -> None:
    """The enterprises of the cultivation pool hear that a window opens (in the same transaction)."""
    pooled = User.objects.filter(
        role=Role.ENTERPRISE, is_active=True, enterprise__pool_entries__state__in=IN_POOL_STATES
    ).distinct()
    notify(
        recipients=pooled,
        kind="application_batch.open",
        subject=lambda: _("Applications open: %(batch)s") % {"batch": batch.name},
        body=lambda: _("%(tier)s: applications are accepted from %(opens)s to %(closes)s.") % {
            "tier": Tier(batch.tier).label, "opens": date_format(batch.opens_on), "closes": date_format(batch.closes_on),
        },
        link=reverse("applications:apply"),
    )


def default_rubric(tier: str) -> list[dict]:
    """The experts' scoring sheet: the groups of the criteria, with their weights."""
    return [
        {"id": "specialised", "label": "专业化", "label_en": "Specialisation", "max": 25},
        {"id": "refined", "label": "精细化", "label_en": "Refinement", "max": 25},
        {"id": "distinctive", "label": "特色化", "label_en": "Distinctiveness", "max": 15},
        {"id": "innovative", "label": "创新能力", "label_en": "Innovation", "max": 35},
    ]


def _window_check(batch: ApplicationBatch, day: datetime.date) -> None:
    if not batch.is_open_on(day):
        _refuse(
            _("The batch “%(batch)s” accepts applications from %(opens)s to %(closes)s.")
            % {"batch": batch.name, "opens": date_format(batch.opens_on), "closes": date_format(batch.closes_on)},
            code="outside_window",
            http_status=409,
        )


# --- drafting --------------------------------------------------------------------------


@transaction.atomic
def application_draft(*, enterprise: Enterprise, batch: ApplicationBatch, by: User, statement: str = "", product: str = "") -> Application:
    """The enterprise starts an application in ``batch``; refused if one is already open for the tier."""
    if by.role != Role.ENTERPRISE or by.enterprise_id != enterprise.pk:
        _refuse(_("Only the enterprise itself may apply."))
    if batch.closes_on < timezone.localdate():
        _window_check(batch, timezone.localdate())
    Enterprise.objects.select_for_update().filter(pk=enterprise.pk).exists()
    _check_no_other_open(enterprise, batch.tier, product)
    application = Application.objects.create(
        enterprise=enterprise, batch=batch, tier=batch.tier, kind=batch.kind, product=product.strip(),
        statement=statement.strip(), created_by=by,
    )
    case_step_record(case=application, action=APPLICATION.action("draft"), by=by, batch=batch.pk, tier=batch.tier)
    return application


def _check_no_other_open(enterprise: Enterprise, tier: str, product: str = "", exclude=None) -> None:
    others = Application.objects.filter(enterprise=enterprise, tier=tier, product=product.strip(), state__in=OPEN_APPLICATION_STATES)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    if (other := others.first()) is not None:
        _refuse(
            _("%(enterprise)s already has an open application for this tier (“%(state)s”).")
            % {"enterprise": enterprise.name, "state": other.get_state_display()},
            code="duplicate",
            http_status=409,
        )


@transaction.atomic
def application_update(*, application: Application, by: User, statement: str, product: str | None = None) -> Application:
    """The enterprise edits its draft (or returned) statement; no step: submitting records it."""
    application = case_locked(application)
    _require_own(by, application)
    _require_editable(application)
    application.statement = statement.strip()
    if product is not None:
        application.product = product.strip()
    application.save(update_fields=["statement", "product"])
    return application


@transaction.atomic
def application_attachment_add(*, application: Application, by: User, name: str, content: bytes) -> ApplicationAttachment:
    """Add a file to a draft or returned application; a refused file leaves the rest of the draft as it was."""
    upload = attachment_check(name=name, content=content)
    application = case_locked(application)
    _require_own(by, application)
    _require_editable(application)
    attachment = attachment_store(ApplicationAttachment, upload=upload, by=by, application=application)
    case_step_record(case=application, action=APPLICATION.action("attach"), by=by, name=attachment.name, sha256=upload.sha256)
    return attachment


@transaction.atomic
def application_attachment_remove(*, attachment: ApplicationAttachment, by: User) -> None:
    application = case_locked(attachment.application)
    _require_own(by, application)
    _require_editable(application)
    case_step_record(case=application, action=APPLICATION.action("detach"), by=by, name=attachment.name, sha256=attachment.sha256)
    attachment.delete()


@transaction.atomic
def application_override_diagnosis(*, application: Application, by: User, reason: str) -> Application:
    """A city reviewer lets an application through a failing diagnosis; the reason is on record."""
    _require_city(by)
    reason = (reason or "").strip()
    if not reason:
        _refuse(_("Please give a reason for overriding the diagnosis."), code="reason_required", http_status=400)
    application = case_locked(application)
    _require_editable(application)
    application.diagnosis_override_reason, application.diagnosis_override_by = reason, by
    application.save(update_fields=["diagnosis_override_reason", "diagnosis_override_by"])
    case_step_record(case=application, action=APPLICATION.action("override"), by=by, comment=reason)
    return application


# --- preconditions and the frozen submission ------------------------------------------


def application_problems(application: Application, day: datetime.date | None = None) -> list[str]:
    """Why ``application`` cannot be submitted now (empty when it can); each with its own message."""
    day = day or timezone.localdate()
    batch, enterprise, tier = application.batch, application.enterprise, Tier(application.tier)
    problems = []
    if not batch.is_open_on(day):
        problems.append(
            _("The batch “%(batch)s” accepts applications from %(opens)s to %(closes)s.")
            % {"batch": batch.name, "opens": date_format(batch.opens_on), "closes": date_format(batch.closes_on)}
        )
    titles = list(enterprise.titles.all())
    if tier.prerequisite and not any(t.tier == tier.prerequisite and t.is_valid_on(batch.opens_on) for t in titles):
        problems.append(
            _("An application for %(tier)s requires a valid %(prerequisite)s title on %(day)s.")
            % {"tier": tier.label, "prerequisite": Tier(tier.prerequisite).label, "day": date_format(batch.opens_on)}
        )
    if tier == Tier.LITTLE_GIANT and any(t.tier == Tier.CHAMPION and t.is_valid_on(day) for t in titles):
        problems.append(_("An enterprise that holds a single-champion title is not recommended as a little giant."))
    if not application.statement.strip():
        problems.append(_("Please write the application statement."))
    return problems


def application_diagnosis(application: Application):
    return diagnose(application.enterprise, application.tier, application.batch.opens_on, kind=application.kind)


def metrics_snapshot(enterprise: Enterprise) -> dict:
    """The enterprise's last three years of data as text, the way a submission freezes them
    (the case page builds "today's values" with the same function, so the two compare)."""
    fields = [f.name for f in AnnualMetrics._meta.concrete_fields if f.name not in {"id", "enterprise", "updated_at", "created_at"}]
    rows = enterprise.metrics.order_by("-year")[:3]
    return {str(row.year): {name: _json(getattr(row, name)) for name in fields} for row in rows}


def _json(value):
    if value is None or isinstance(value, (bool, int, str)):
        return value
    return str(value)


def application_snapshot(application: Application, diagnosis) -> dict:
    """What the reviewers will read, frozen: the enterprise, its data, its diagnosis and the files' hashes."""
    enterprise = application.enterprise
    return {
        "enterprise": {
            "name": enterprise.name,
            "credit_code": enterprise.credit_code,
            "jurisdiction": enterprise.jurisdiction.name,
            "main_product": enterprise.main_product,
            "niche_market": enterprise.niche_market,
            "niche_entered_year": enterprise.niche_entered_year,
        },
        "batch": {"id": application.batch_id, "name": application.batch.name},
        "tier": application.tier,
        "kind": application.kind,
        "product": application.product,
        "statement": application.statement,
        "metrics": metrics_snapshot(enterprise),
        "diagnosis": diagnosis_data(diagnosis),
        "diagnosis_override": application.diagnosis_override_reason,
        "attachments": [
            {"name": a.name, "sha256": a.sha256, "size": a.size, "content_type": a.content_type}
            for a in application.attachments.all()
        ],
    }


def snapshot_digest(snapshot: dict) -> str:
    return hashlib.sha256(json.dumps(snapshot, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()).hexdigest()


def _frozen(application: Application, by: User) -> dict:
    """Check every precondition and freeze the submission; CaseError names the first problem."""
    problems = application_problems(application)
    if problems:
        _refuse(problems[0], code="precondition", http_status=409)
    _check_no_other_open(application.enterprise, application.tier, application.product, exclude=application)
    diagnosis = application_diagnosis(application)
    if not diagnosis.passed and not application.diagnosis_override_reason:
        _refuse(
            _("The diagnosis against %(ruleset)s does not pass yet; close the gaps first, or ask the city bureau to "
              "override it with a reason.") % {"ruleset": diagnosis.ruleset.label},
            code="diagnosis_failed",
            http_status=409,
        )
    diagnosis_keep(diagnosis=diagnosis, enterprise=application.enterprise, by=by)
    snapshot = application_snapshot(application, diagnosis)
    return {"snapshot": snapshot, "digest": snapshot_digest(snapshot), "at": timezone.now()}


# --- decisions -------------------------------------------------------------------------


@decision(Application.submit)
@transaction.atomic
def application_submit(*, application: Application, by: User, comment: str = "") -> Application:
    """Submit a draft: preconditions checked, data frozen (its hash in the step), sent to the district."""
    application = case_locked(application)
    _require_own(by, application)
    frozen = _frozen(application, by)
    return case_start(
        application, Application.submit, flow_start=ApplicationFlow.start, by=by, comment=comment or application.statement,
        **frozen,
    )


@decision(Application.resubmit)
@transaction.atomic
def application_resubmit(*, application: Application, by: User, statement: str = "") -> Application:
    """The enterprise answers a return: the data is frozen again and the district reviews it again."""
    application = case_locked(application)
    _require_own(by, application)
    if statement.strip():
        application.statement = statement.strip()
    frozen = _frozen(application, by)
    return case_decide(
        application, Application.resubmit, by=by, comment=application.statement,
        changes={"statement": application.statement}, **frozen,
    )


@decision(Application.district_approve)
@transaction.atomic
def application_district_approve(*, application: Application, by: User, comment: str = "") -> Application:
    return case_decide(application, Application.district_approve, by=by, comment=comment)


@decision(Application.return_)
@transaction.atomic
def application_return(*, application: Application, by: User, reason: str) -> Application:
    reason = case_reason_required(reason)
    return case_decide(application, Application.return_, by=by, comment=reason, reason=reason)


@decision(Application.reject)
@transaction.atomic
def application_reject(*, application: Application, by: User, reason: str) -> Application:
    reason = case_reason_required(reason)
    return case_decide(application, Application.reject, by=by, comment=reason, reason=reason)


@decision(Application.city_approve)
@transaction.atomic
def application_city_approve(*, application: Application, by: User, comment: str = "") -> Application:
    return case_decide(application, Application.city_approve, by=by, comment=comment)


@decision(Application.withdraw)
@transaction.atomic
def application_withdraw(*, application: Application, by: User, reason: str = "") -> Application:
    """The enterprise withdraws its application before it is recommended; open tasks are cancelled."""
    application = case_locked(application)
    _require_own(by, application)
    return case_cancel(application, Application.withdraw, by=by, comment=reason)


def application_recognized(*, enterprise: Enterprise, tier: str, product: str = "", day: datetime.date, by) -> Application | None:
    """A recorded recognition closes the enterprise's recommended application for the tier, if any.

    Runs in the recording service's transaction (no savepoint of its own).
    """
    application = Application.objects.filter(
        enterprise=enterprise, tier=tier, product=product, state=ApplicationState.RECOMMENDED
    ).first()
    if application is None:
        return None
    return case_decide(application, Application.recognize, by=by, day=day)


def application_decide(*, application: Application, decision: str, by: User, text: str = "") -> Application:
    """Take the decision named ``decision`` through its service; unknown names are refused."""
    if decision not in DECISIONS:
        _refuse(_("Unknown decision: %(decision)s.") % {"decision": decision}, code="unknown_decision", http_status=404)
    return APPLICATION.decide(case=application, name=decision, by=by, text=text)


# The decisions a person takes on an application's page or through the API (the expert
# review and the batch's recommendation have their own services).
DECISIONS = ("submit", "district_approve", "return", "reject", "resubmit", "send_to_experts", "city_approve", "withdraw")
