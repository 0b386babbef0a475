"""Pool entry (入库培育) actions: propose, review, return, resubmit, withdraw, annual refresh.

Every decision goes through the case kernel (``approvals.cases.case_decide``): lock the
entry, take its queue task (who may act), apply the declared FSM transition, complete the
flow's task, write one step. The declarations are in ``workflows.cases.pool``.
"""

import datetime
import logging
from collections.abc import Callable, Sequence
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from approvals.cases import case_cancel, case_decide, case_locked, case_reason_required, case_start, case_step_record
from enterprises.fields import money_text
from enterprises.models import Enterprise, Role, SourceListEntry, User
from enterprises.selectors import has_role, scope_to_user
from steplog.dispatch import task_queue

from ..cases.pool import POOL_ENTRY
from ..exceptions import CaseError
from ..flows import PoolEntryFlow, PoolExitFlow
from ..models import PoolEntry, PoolEntryAttachment, PoolEntrySource, PoolEntryState, PoolRefresh
from ..models.pool import ACTIVE_STATES
from ..selectors.pool import EVALUATION_PROGRESS_SECONDS, evaluation_progress_key, pool_refresh_evaluation_progress
from .attachments import attachment_check, attachment_store
from .documents import pool_entry_notice_issue

log = logging.getLogger(__name__)
PROPOSER_ROLES = (Role.ENTERPRISE, Role.DISTRICT_REVIEWER, Role.CITY_REVIEWER)
decision = POOL_ENTRY.serves


def _require_statement(statement: str) -> str:
    statement = (statement or "").strip()
    if not statement:
        raise CaseError(_("Please write a statement for the pool entry."), code="statement_required", http_status=400)
    return statement


def _check_may_propose(by: User, enterprise: Enterprise) -> None:
    in_scope = scope_to_user(Enterprise.objects.filter(pk=enterprise.pk), by, enterprise_path="").exists()
    if not has_role(by, *PROPOSER_ROLES) or not in_scope:
        raise CaseError(_("You may not propose this enterprise for the pool."), code="forbidden", http_status=403)


def _default_source(by: User | None) -> str:
    if by is not None and by.role == Role.ENTERPRISE:
        return PoolEntrySource.SELF
    return PoolEntrySource.DISTRICT


@decision(PoolEntry.submit)
@transaction.atomic
def pool_entry_propose(
    *,
    enterprise: Enterprise,
    by: User | None,
    statement: str,
    year: int | None = None,
    source: str | None = None,
    source_list: str = "",
) -> PoolEntry:
    """Propose ``enterprise`` for the pool and send it to its district bureau.

    A district reviewer's own proposal is that district's review (nobody reviews their own
    proposal): it is recorded as the decision ``district_propose`` and goes to the city.
    Locks the enterprise row so that a double submit finds the first entry and is refused.
    ``by=None`` is the system (a bulk proposal from an official list).
    """
    if by is not None:
        _check_may_propose(by, enterprise)
    statement = _require_statement(statement)
    Enterprise.objects.select_for_update().filter(pk=enterprise.pk).exists()
    existing = PoolEntry.objects.filter(enterprise=enterprise, state__in=ACTIVE_STATES).first()
    if existing is not None:
        raise CaseError(
            _("%(enterprise)s already has a pool entry (“%(state)s”).")
            % {"enterprise": enterprise.name, "state": existing.get_state_display()},
            code="duplicate",
        )
    entry = PoolEntry.objects.create(
        enterprise=enterprise,
        year=year or timezone.localdate().year,
        source=source or _default_source(by),
        source_list=source_list,
        statement=statement,
        proposed_by=by,
    )
    opening = PoolEntry.district_propose if _is_district_of(by, enterprise) else PoolEntry.submit
    return case_start(entry, opening, flow_start=PoolEntryFlow.start, by=by, comment=statement)


def _is_district_of(by: User | None, enterprise: Enterprise) -> bool:
    return by is not None and by.role == Role.DISTRICT_REVIEWER and by.jurisdiction_id == enterprise.jurisdiction_id


@decision(PoolEntry.district_approve)
@transaction.atomic
def pool_entry_district_approve(*, entry: PoolEntry, by: User, comment: str = "") -> PoolEntry:
    return case_decide(entry, PoolEntry.district_approve, by=by, comment=comment)


@decision(PoolEntry.return_)
@transaction.atomic
def pool_entry_return(*, entry: PoolEntry, by: User, reason: str) -> PoolEntry:
    """District or city sends the entry back to the enterprise for revision."""
    reason = case_reason_required(reason)
    return case_decide(entry, PoolEntry.return_, by=by, comment=reason, reason=reason)


@decision(PoolEntry.reject)
@transaction.atomic
def pool_entry_reject(*, entry: PoolEntry, by: User, reason: str) -> PoolEntry:
    reason = case_reason_required(reason)
    return case_decide(entry, PoolEntry.reject, by=by, comment=reason, reason=reason)


@decision(PoolEntry.resubmit)
@transaction.atomic
def pool_entry_resubmit(
    *, entry: PoolEntry, by: User, statement: str, files: Sequence[tuple[str, bytes]] = ()
) -> PoolEntry:
    """The enterprise answers a return with a revised statement and, if asked, evidence files.

    Every file is checked (type by content, size, not empty) before anything is written, so a
    refused file leaves the entry returned and nothing stored; the step names each file's SHA-256.
    """
    statement = _require_statement(statement)
    uploads = [attachment_check(name=name, content=content) for name, content in files]
    entry = case_decide(
        entry, PoolEntry.resubmit, by=by, comment=statement, changes={"statement": statement},
        step={"evidence": [{"name": upload.name, "sha256": upload.sha256} for upload in uploads]} if uploads else None,
    )
    for upload in uploads:
        attachment_store(PoolEntryAttachment, upload=upload, by=by, entry=entry, revision=entry.revision)
    return entry


@decision(PoolEntry.city_approve)
@transaction.atomic
def pool_entry_city_approve(*, entry: PoolEntry, by: User, comment: str = "") -> PoolEntry:
    entry = case_decide(entry, PoolEntry.city_approve, by=by, comment=comment, day=timezone.localdate())
    pool_entry_notice_issue(entry=entry, by=by)  # numbered now, rendered after commit
    return entry


@decision(PoolEntry.withdraw)
@transaction.atomic
def pool_entry_withdraw(*, entry: PoolEntry, by: User, reason: str = "") -> PoolEntry:
    """The enterprise withdraws its own pending entry; open tasks are cancelled.

    Withdrawing is the enterprise's alone: a bureau that disagrees rejects or returns it, with a reason.
    """
    entry = case_locked(entry)
    if not (by.role == Role.ENTERPRISE and by.enterprise_id == entry.enterprise_id):
        raise CaseError(_("Only the enterprise itself may withdraw its pool entry."), code="forbidden", http_status=403)
    return case_cancel(entry, PoolEntry.withdraw, by=by, comment=reason)


# --- the annual refresh -------------------------------------------------------------


DEFAULT_MIN_TAXABLE_SALES = Decimal("15000000")


@transaction.atomic
def pool_refresh_open(
    *,
    year: int,
    deadline: datetime.date,
    by: User,
    min_taxable_sales: Decimal = DEFAULT_MIN_TAXABLE_SALES,
    qualifying_lists: list[str] | None = None,
) -> PoolRefresh:
    """The city opens year ``year``'s refresh: pooled enterprises update last year's metrics by ``deadline``."""
    _require_city(by)
    if PoolRefresh.objects.filter(year=year).exists():
        raise CaseError(_("The %(year)s refresh is already open.") % {"year": year}, code="duplicate")
    refresh = PoolRefresh.objects.create(
        year=year,
        deadline=deadline,
        min_taxable_sales=min_taxable_sales,
        qualifying_lists=list(qualifying_lists or []),
        opened_by=by,
    )
    case_step_record(
        case=refresh,
        action="pool_refresh.open",
        by=by,
        year=year,
        deadline=deadline.isoformat(),
        min_taxable_sales=str(min_taxable_sales),
    )
    return refresh


def _require_city(by: User) -> None:
    if not has_role(by, Role.CITY_REVIEWER):
        raise CaseError(_("Only the city bureau may do this."), code="forbidden", http_status=403)


def pool_exit_reason(entry: PoolEntry, refresh: PoolRefresh, metrics_by_enterprise: dict, lists_by_enterprise: dict):
    """Why ``entry`` should leave the pool in ``refresh``, or None to keep it.

    ``metrics_by_enterprise`` holds only the rows the refresh counts as updated.
    """
    metrics = metrics_by_enterprise.get(entry.enterprise_id)
    if metrics is None:
        return _("%(year)s metrics were not updated by %(deadline)s.") % {
            "year": refresh.year - 1,
            "deadline": date_format(refresh.deadline),
        }
    if set(lists_by_enterprise.get(entry.enterprise_id, ())) & set(refresh.qualifying_lists):
        return None
    if metrics.taxable_sales is None or metrics.taxable_sales < refresh.min_taxable_sales:
        return _("%(year)s taxable sales are below %(minimum)s and the enterprise is on no qualifying list.") % {
            "year": refresh.year - 1,
            "minimum": money_text(refresh.min_taxable_sales),
        }
    return None


# From this many pooled enterprises the evaluation (one exit case per failing enterprise, each with its
# flow, step and notices) goes to the worker and the refresh page shows its progress.
EVALUATE_IN_BACKGROUND_FROM = 50


def pool_refresh_evaluate_submit(
    *, refresh: PoolRefresh, by: User, today: datetime.date | None = None
) -> list[PoolEntry] | None:
    """Evaluate ``refresh`` now when the pool is small (the proposed entries), else queue it for the
    worker once the caller's transaction commits (None); ``pool_refresh_evaluation_progress`` then
    reads how far it is. Refuses what ``pool_refresh_evaluate`` refuses, and a second run meanwhile."""
    _evaluate_check(refresh, by, today or timezone.localdate())
    if pool_refresh_evaluation_progress(refresh) is not None:
        raise CaseError(_("This refresh is being evaluated already."), code="running")
    pooled = PoolEntry.objects.filter(state=PoolEntryState.POOLED).count()
    if pooled < EVALUATE_IN_BACKGROUND_FROM:
        return pool_refresh_evaluate(refresh=refresh, by=by, today=today)
    from ..tasks import pool_refresh_evaluate_task

    _progress_set(refresh, done=0, total=pooled)
    language = translation.get_language() or ""
    # A broker that refuses the task leaves nothing running: the bar goes and the city may start again.
    transaction.on_commit(lambda: task_queue(pool_refresh_evaluate_task, refresh.pk, by.pk, language)
                          or cache.delete(evaluation_progress_key(refresh)))
    return None


def pool_refresh_evaluate_run(*, refresh_id: int, by_id: int, language: str = "") -> int:
    """The worker's evaluation: the same ``pool_refresh_evaluate``, counting its progress as it goes.

    Returns how many entries it proposed for exit. Whatever happens, the progress is cleared at the
    end, so a failed run (nothing written: one transaction) can be started again from the page.
    """
    refresh = PoolRefresh.objects.get(pk=refresh_id)
    try:
        with translation.override(language or settings.LANGUAGE_CODE):
            proposed = pool_refresh_evaluate(
                refresh=refresh, by=User.objects.get(pk=by_id),
                progress=lambda done, total: _progress_set(refresh, done=done, total=total),
            )
    except CaseError as error:  # a second delivery finds the refresh evaluated: nothing to do
        log.warning("pool refresh %s not evaluated: %s", refresh_id, error)
        proposed = []
    finally:
        cache.delete(evaluation_progress_key(refresh))
    return len(proposed)


def _progress_set(refresh: PoolRefresh, *, done: int, total: int) -> None:
    cache.set(evaluation_progress_key(refresh), {"done": done, "total": total}, EVALUATION_PROGRESS_SECONDS)


@transaction.atomic
def pool_refresh_evaluate(
    *, refresh: PoolRefresh, by: User, today: datetime.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[PoolEntry]:
    """After the deadline, propose for exit every pooled enterprise that fails the refresh.

    ``progress(done, total)`` is called before each pooled enterprise is weighed (and its exit opened).
    """
    refresh = PoolRefresh.objects.select_for_update().get(pk=refresh.pk)
    _evaluate_check(refresh, by, today or timezone.localdate())
    reasons = list(_exit_reasons(refresh))
    proposed = []
    for done, (entry, reason) in enumerate(reasons):
        if progress:
            progress(done, len(reasons))
        if reason:
            proposed.append(_propose_exit(entry, reason, by))
    before = refresh.state
    refresh.evaluate(moment=timezone.now())
    refresh.save()
    case_step_record(
        case=refresh, action="pool_refresh.evaluate", by=by, before=before, proposed_for_exit=len(proposed)
    )
    return proposed


def _evaluate_check(refresh: PoolRefresh, by: User, today: datetime.date) -> None:
    _require_city(by)
    if today <= refresh.deadline:
        raise CaseError(
            _("The refresh can be evaluated after its deadline, %(deadline)s.") % {"deadline": date_format(refresh.deadline)},
            code="too_early",
        )
    if not can_proceed(refresh.evaluate):
        raise CaseError(_("This refresh was already evaluated."), code="wrong_state")


def _exit_reasons(refresh: PoolRefresh):
    """Every pooled entry (locked) with why it should leave the pool, or None."""
    entries = list(
        PoolEntry.objects.select_for_update().filter(state=PoolEntryState.POOLED).select_related("enterprise__jurisdiction")
    )
    enterprise_ids = [e.enterprise_id for e in entries]
    metrics = {m.enterprise_id: m for m in refresh.updated_metrics().filter(enterprise_id__in=enterprise_ids)}
    lists: dict[int, list[str]] = {}
    as_of = datetime.date(refresh.year, 1, 1)
    for entry in SourceListEntry.objects.filter(enterprise_id__in=enterprise_ids):
        if entry.is_valid_on(as_of):
            lists.setdefault(entry.enterprise_id, []).append(entry.source_list)
    for entry in entries:
        yield entry, pool_exit_reason(entry, refresh, metrics, lists)


def _propose_exit(entry: PoolEntry, reason: str, by: User) -> PoolEntry:
    return case_start(entry, PoolEntry.propose_exit, flow_start=PoolExitFlow.start, by=by, comment=reason, reason=reason)


@decision(PoolEntry.confirm_exit)
@transaction.atomic
def pool_entry_confirm_exit(*, entry: PoolEntry, by: User, comment: str = "") -> PoolEntry:
    return case_decide(entry, PoolEntry.confirm_exit, by=by, comment=comment, day=timezone.localdate())


@decision(PoolEntry.keep)
@transaction.atomic
def pool_entry_keep(*, entry: PoolEntry, by: User, comment: str = "") -> PoolEntry:
    return case_decide(entry, PoolEntry.keep, by=by, comment=comment)


@transaction.atomic
def pool_entry_signup(*, statement: str, **registration) -> tuple[User, PoolEntry]:
    """Self-registration: the enterprise, its user and its pool entry proposal, all or nothing."""
    from enterprises.services import enterprise_register

    user = enterprise_register(**registration)
    return user, pool_entry_propose(enterprise=user.enterprise, by=user, statement=statement)


@transaction.atomic
def pool_entries_propose_from_list(*, source_list: str, by: User, statement: str) -> list[PoolEntry]:
    """Propose every enterprise of an official list (in ``by``'s scope) that is not yet in a pool case."""
    if not has_role(by, Role.DISTRICT_REVIEWER, Role.CITY_REVIEWER):
        raise CaseError(_("Only a bureau may propose from an official list."), code="forbidden", http_status=403)
    today = timezone.localdate()
    listed = scope_to_user(Enterprise.objects.filter(source_lists__source_list=source_list), by, enterprise_path="")
    busy = PoolEntry.objects.filter(state__in=ACTIVE_STATES).values("enterprise_id")
    candidates = [
        e for e in listed.exclude(pk__in=busy).distinct().prefetch_related("source_lists")
        if any(s.source_list == source_list and s.is_valid_on(today) for s in e.source_lists.all())
    ]
    return [
        pool_entry_propose(
            enterprise=enterprise, by=by, statement=statement, source=PoolEntrySource.OFFICIAL_LIST, source_list=source_list
        )
        for enterprise in candidates
    ]


def pool_entry_decide(*, entry: PoolEntry, decision: str, by: User, text: str = "") -> PoolEntry:
    """Take the decision named ``decision`` (as declared in ``workflows.cases.pool``) through its service.

    An unknown decision, or one nobody takes by hand (submit, propose_exit), is refused.
    """
    service = POOL_ENTRY.service(decision) if decision in DECISIONS else None
    if service is None:
        raise CaseError(_("Unknown decision: %(decision)s.") % {"decision": decision}, code="unknown_decision", http_status=404)
    return POOL_ENTRY.decide(case=entry, name=decision, by=by, text=text)


# The decisions a person takes on a pool entry's page or through the API.
DECISIONS = ("district_approve", "return", "reject", "resubmit", "city_approve", "withdraw", "confirm_exit", "keep")
