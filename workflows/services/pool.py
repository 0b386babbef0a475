"""Pool entry (入库培育) actions: propose, review, return, resubmit, withdraw, annual refresh.

Each action locks the case, checks who may act (through the queue task it completes),
applies one FSM transition, saves, advances the viewflow process and writes one step.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from approvals.services import queue_task_for_action
from enterprises.models import Enterprise, Role, SourceListEntry, User
from enterprises.selectors import scope_to_user

from ..exceptions import CaseError
from ..flows import PoolEntryFlow, PoolExitFlow
from ..models import PoolEntry, PoolEntrySource, PoolEntryState, PoolRefresh
from ..models.pool import ACTIVE_STATES
from .documents import pool_entry_notice_issue
from .steps import case_step_record
from .tasks import case_task_complete, case_tasks_cancel

DISTRICT_REVIEW = "pool_entry.district_review"
CITY_REVIEW = "pool_entry.city_review"
REVISION = "pool_entry.revision"
EXIT_REVIEW = "pool_entry.exit_review"
PROPOSER_ROLES = {Role.ENTERPRISE, Role.DISTRICT_REVIEWER, Role.CITY_REVIEWER, Role.ADMIN}


def _locked(entry: PoolEntry) -> PoolEntry:
    return PoolEntry.objects.select_for_update().select_related("enterprise__jurisdiction").get(pk=entry.pk)


def _apply(entry: PoolEntry, transition_name: str, **kwargs) -> str:
    """Run one FSM transition and save; returns the state before it."""
    before = entry.state
    transition = getattr(entry, transition_name)
    if not can_proceed(transition):
        raise CaseError(
            _("This pool entry is “%(state)s”; that action is not possible now.") % {"state": entry.get_state_display()},
            code="wrong_state",
        )
    transition(**kwargs)
    entry.save()
    return before


def _record(entry: PoolEntry, action: str, by, before: str, comment: str = "", **data) -> None:
    case_step_record(case=entry, action=f"pool_entry.{action}", by=by, before=before, comment=comment, **data)


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise CaseError(_("Please give a reason; the enterprise will see it."), code="reason_required", http_status=400)
    return reason


def _check_may_propose(by: User, enterprise: Enterprise) -> None:
    in_scope = scope_to_user(Enterprise.objects.filter(pk=enterprise.pk), by, enterprise_path="").exists()
    if by.role not in PROPOSER_ROLES or not in_scope:
        raise CaseError(_("You may not propose this enterprise for the pool."), code="forbidden", http_status=403)


def _default_source(by: User | None) -> str:
    if by is not None and by.role == Role.ENTERPRISE:
        return PoolEntrySource.SELF
    return PoolEntrySource.DISTRICT


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

    Locks the enterprise row so that a double submit finds the first entry and is refused.
    ``by=None`` is the system (a bulk proposal from an official list).
    """
    if by is not None:
        _check_may_propose(by, enterprise)
    statement = (statement or "").strip()
    if not statement:
        raise CaseError(_("Please write a statement for the pool entry."), code="statement_required", http_status=400)
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
    before = _apply(entry, "submit")
    PoolEntryFlow.start.run(entry=entry)
    _record(entry, "submit", by, before, comment=statement)
    return entry


def _decide(
    entry: PoolEntry,
    *,
    kind,
    by: User,
    transition: str,
    outcome: str,
    comment: str = "",
    action: str | None = None,
    changes: dict | None = None,
    **transition_kwargs,
) -> PoolEntry:
    """The shape of every decision on a pool entry.

    Lock the entry; take its open queue task of ``kind`` (a task kind, or a function of the
    locked entry that names one; this is where the wrong person, a double submit or a
    concurrent decision is refused); apply ``changes`` and the FSM
    ``transition``; complete the task so the flow routes on; write one step.
    Call inside the service's transaction.
    """
    entry = _locked(entry)
    queue_task = queue_task_for_action(case=entry, kind=kind(entry) if callable(kind) else kind, by=by)
    for field, value in (changes or {}).items():
        setattr(entry, field, value)
    before = _apply(entry, transition, **transition_kwargs)
    case_task_complete(queue_task=queue_task, by=by, outcome=outcome)
    _record(entry, action or transition, by, before, comment, revision=entry.revision)
    return entry


@transaction.atomic
def pool_entry_district_approve(*, entry: PoolEntry, by: User, comment: str = "") -> PoolEntry:
    return _decide(entry, kind=DISTRICT_REVIEW, by=by, transition="district_approve", outcome="approved", comment=comment)


def _review_under_way(entry: PoolEntry) -> str:
    return CITY_REVIEW if entry.state == PoolEntryState.CITY_REVIEW else DISTRICT_REVIEW


@transaction.atomic
def pool_entry_return(*, entry: PoolEntry, by: User, reason: str) -> PoolEntry:
    """District or city sends the entry back to the enterprise for revision."""
    reason = _require_reason(reason)
    return _decide(
        entry, kind=_review_under_way, by=by, transition="send_back", action="return", outcome="returned", comment=reason, reason=reason
    )


@transaction.atomic
def pool_entry_reject(*, entry: PoolEntry, by: User, reason: str) -> PoolEntry:
    reason = _require_reason(reason)
    return _decide(
        entry, kind=DISTRICT_REVIEW, by=by, transition="reject", outcome="rejected", comment=reason, reason=reason
    )


@transaction.atomic
def pool_entry_resubmit(*, entry: PoolEntry, by: User, statement: str) -> PoolEntry:
    """The enterprise answers a return with a revised statement."""
    statement = (statement or "").strip()
    if not statement:
        raise CaseError(_("Please write a statement for the pool entry."), code="statement_required", http_status=400)
    return _decide(
        entry,
        kind=REVISION,
        by=by,
        transition="resubmit",
        outcome="resubmitted",
        comment=statement,
        changes={"statement": statement},
    )


@transaction.atomic
def pool_entry_city_approve(*, entry: PoolEntry, by: User, comment: str = "") -> PoolEntry:
    entry = _decide(
        entry,
        kind=CITY_REVIEW,
        by=by,
        transition="city_approve",
        outcome="approved",
        comment=comment,
        day=timezone.localdate(),
    )
    pool_entry_notice_issue(entry=entry, by=by)  # numbered now, rendered after commit
    return entry


@transaction.atomic
def pool_entry_withdraw(*, entry: PoolEntry, by: User, reason: str = "") -> PoolEntry:
    """The enterprise (or its district) withdraws a pending entry; open tasks are cancelled."""
    entry = _locked(entry)
    own = by.role == Role.ENTERPRISE and by.enterprise_id == entry.enterprise_id
    district = by.role == Role.DISTRICT_REVIEWER and by.jurisdiction_id == entry.enterprise.jurisdiction_id
    if not (own or district):
        raise CaseError(_("Only the enterprise or its district bureau may withdraw this entry."), code="forbidden", http_status=403)
    before = _apply(entry, "withdraw")
    case_tasks_cancel(case=entry)
    _record(entry, "withdraw", by, before, reason)
    return entry


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
    if by.role not in {Role.CITY_REVIEWER, Role.ADMIN}:
        raise CaseError(_("Only the city bureau may do this."), code="forbidden", http_status=403)


def pool_exit_reason(entry: PoolEntry, refresh: PoolRefresh, metrics_by_enterprise: dict, lists_by_enterprise: dict):
    """Why ``entry`` should leave the pool in ``refresh``, or None to keep it.

    ``metrics_by_enterprise`` holds only the rows the refresh counts as updated.
    """
    metrics = metrics_by_enterprise.get(entry.enterprise_id)
    if metrics is None:
        return _("%(year)s metrics were not updated by %(deadline)s.") % {
            "year": refresh.year - 1,
            "deadline": refresh.deadline.isoformat(),
        }
    if set(lists_by_enterprise.get(entry.enterprise_id, ())) & set(refresh.qualifying_lists):
        return None
    if metrics.taxable_sales is None or metrics.taxable_sales < refresh.min_taxable_sales:
        return _("%(year)s taxable sales are below %(minimum)s yuan and the enterprise is on no qualifying list.") % {
            "year": refresh.year - 1,
            "minimum": f"{refresh.min_taxable_sales:,.0f}",
        }
    return None


@transaction.atomic
def pool_refresh_evaluate(*, refresh: PoolRefresh, by: User, today: datetime.date | None = None) -> list[PoolEntry]:
    """After the deadline, propose for exit every pooled enterprise that fails the refresh."""
    _require_city(by)
    today = today or timezone.localdate()
    refresh = PoolRefresh.objects.select_for_update().get(pk=refresh.pk)
    if today <= refresh.deadline:
        raise CaseError(
            _("The refresh can be evaluated after its deadline, %(deadline)s.") % {"deadline": refresh.deadline.isoformat()},
            code="too_early",
        )
    if not can_proceed(refresh.evaluate):
        raise CaseError(_("This refresh was already evaluated."), code="wrong_state")
    proposed = [_propose_exit(entry, reason, by) for entry, reason in _exit_candidates(refresh)]
    before = refresh.state
    refresh.evaluate(moment=timezone.now())
    refresh.save()
    case_step_record(
        case=refresh, action="pool_refresh.evaluate", by=by, before=before, proposed_for_exit=len(proposed)
    )
    return proposed


def _exit_candidates(refresh: PoolRefresh):
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
        reason = pool_exit_reason(entry, refresh, metrics, lists)
        if reason:
            yield entry, reason


def _propose_exit(entry: PoolEntry, reason: str, by: User) -> PoolEntry:
    before = _apply(entry, "propose_exit", reason=reason)
    PoolExitFlow.start.run(entry=entry)
    _record(entry, "propose_exit", by, before, reason)
    return entry


@transaction.atomic
def pool_entry_confirm_exit(*, entry: PoolEntry, by: User, comment: str = "") -> PoolEntry:
    return _decide(
        entry, kind=EXIT_REVIEW, by=by, transition="confirm_exit", outcome="exited", comment=comment, day=timezone.localdate()
    )


@transaction.atomic
def pool_entry_keep(*, entry: PoolEntry, by: User, comment: str = "") -> PoolEntry:
    return _decide(entry, kind=EXIT_REVIEW, by=by, transition="keep_in_pool", action="keep", outcome="kept", comment=comment)


@transaction.atomic
def pool_entry_signup(*, statement: str, **registration) -> tuple[User, PoolEntry]:
    """Self-registration: the enterprise, its user and its pool entry proposal, all or nothing."""
    from enterprises.services import enterprise_register

    user = enterprise_register(**registration)
    return user, pool_entry_propose(enterprise=user.enterprise, by=user, statement=statement)


@transaction.atomic
def pool_entries_propose_from_list(*, source_list: str, by: User, statement: str) -> list[PoolEntry]:
    """Propose every enterprise of an official list (in ``by``'s scope) that is not yet in a pool case."""
    if by.role not in {Role.DISTRICT_REVIEWER, Role.CITY_REVIEWER, Role.ADMIN}:
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


# Each decision a person can take on a pool entry: the service and the name of its text argument.
# The page and the API both dispatch through this table.
DECISIONS = {
    "district_approve": (pool_entry_district_approve, "comment"),
    "return": (pool_entry_return, "reason"),
    "reject": (pool_entry_reject, "reason"),
    "resubmit": (pool_entry_resubmit, "statement"),
    "city_approve": (pool_entry_city_approve, "comment"),
    "withdraw": (pool_entry_withdraw, "reason"),
    "confirm_exit": (pool_entry_confirm_exit, "comment"),
    "keep": (pool_entry_keep, "comment"),
}


def pool_entry_decide(*, entry: PoolEntry, decision: str, by: User, text: str = "") -> PoolEntry:
    """Dispatch one of ``DECISIONS``; an unknown decision is refused like any other."""
    if decision not in DECISIONS:
        raise CaseError(_("Unknown decision: %(decision)s.") % {"decision": decision}, code="unknown_decision", http_status=404)
    service, argument = DECISIONS[decision]
    return service(entry=entry, by=by, **{argument: text})
