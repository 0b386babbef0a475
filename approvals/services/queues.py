"""Queue actions: open, claim, release, reassign, act, close, cancel, bulk approve.

Every function locks the queue task it changes and runs in the caller's transaction
(or its own). Claims, releases and reassignments write one step each; opening and
closing do not, because the case transition that opens or closes a task writes it.
"""

import logging
from dataclasses import dataclass

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task as WorkflowTask
from viewflow.workflow.status import STATUS as WORKFLOW_STATUS

from enterprises.exceptions import DomainError
from enterprises.models import Enterprise, Role, User
from steplog.services import step_record, within_transaction

from ..exceptions import QueueError
from ..models import QueueTask, QueueTaskStatus
from ..models.queues import ACTIVE
from ..queues import bulk_action
from ..selectors import is_administrator, user_can_work, workable_q
from ..workdays import working_days_after

logger = logging.getLogger(__name__)
DEFAULT = object()
# Roles whose tasks belong to the case's jurisdiction unless the caller says otherwise.
_JURISDICTION_ROLES = {Role.DISTRICT_REVIEWER, Role.ENTERPRISE}


def queue_task_open(
    *,
    kind: str,
    role: str,
    enterprise: Enterprise,
    case: models.Model,
    title: str,
    task: WorkflowTask | None = None,
    sla_working_days: int | None = None,
    jurisdiction=DEFAULT,
    assignee: User | None = None,
) -> QueueTask:
    """Put a task for ``role`` in the queue. Writes no step: the transition that opened it does.

    A case has at most one active task of a kind: opening it again returns that task.
    ``assignee`` gives the task to one person from the start (an expert drawn for it).
    """
    existing = QueueTask.objects.filter(ACTIVE, case_type=case._meta.label_lower, case_id=str(case.pk), kind=kind)
    if (task_row := existing.first()) is not None:
        return task_row
    if jurisdiction is DEFAULT:
        jurisdiction = enterprise.jurisdiction if role in _JURISDICTION_ROLES else None
    due_on, provisional = None, False
    if sla_working_days is not None:
        due_on, provisional = working_days_after(timezone.localdate(), sla_working_days)
    queue_task = QueueTask(
        task=task,
        kind=kind,
        role=role,
        jurisdiction=jurisdiction,
        enterprise=enterprise,
        case_type=case._meta.label_lower,
        case_id=str(case.pk),
        title=title[:200],
        due_on=due_on,
        due_provisional=provisional,
    )
    if assignee is not None:
        queue_task.claim(user=assignee, at=timezone.now())
    queue_task.save()
    return queue_task


def queue_task_claim(*, queue_task: QueueTask, by: User) -> QueueTask:
    """``by`` takes the task; refused if it is closed, someone else's, or not ``by``'s work."""
    with transaction.atomic():
        queue_task = _locked(queue_task)
        _require_workable(queue_task, by)
        if queue_task.status == QueueTaskStatus.CLAIMED and queue_task.claimed_by_id == by.pk:
            return queue_task  # a repeated click changes nothing
        _require_unclaimed(queue_task)
        before = queue_task.status
        queue_task.claim(user=by, at=timezone.now())
        _save(queue_task)
        _record(queue_task, "queue.claim", by, before)
    return queue_task


def queue_task_release(*, queue_task: QueueTask, by: User) -> QueueTask:
    """Put a claimed task back in the queue; only its claimer or an administrator may."""
    with transaction.atomic():
        queue_task = _locked(queue_task)
        _require_active(queue_task)
        if queue_task.status != QueueTaskStatus.CLAIMED:
            raise QueueError(_("This task is not claimed by anyone."), code="not_claimed")
        if queue_task.claimed_by_id != by.pk and not is_administrator(by):
            raise QueueError(
                _("Only the reviewer who claimed this task or an administrator can release it."),
                code="not_claimer",
                http_status=403,
            )
        queue_task.release()
        _save(queue_task)
        _record(queue_task, "queue.release", by, QueueTaskStatus.CLAIMED)
    return queue_task


def queue_task_reassign(*, queue_task: QueueTask, to: User, by: User) -> QueueTask:
    """An administrator hands the task to ``to``, who must be able to work it."""
    if not is_administrator(by):
        raise QueueError(_("Only an administrator can reassign tasks."), code="not_admin", http_status=403)
    with transaction.atomic():
        queue_task = _locked(queue_task)
        _require_active(queue_task)
        if not user_can_work(to, queue_task):
            raise QueueError(
                _("%(name)s cannot work on this task (wrong role or jurisdiction).") % {"name": to.display_name},
                code="not_workable",
            )
        before, previous = queue_task.status, queue_task.claimed_by
        queue_task.reassign(user=to, at=timezone.now())
        _save(queue_task)
        data = {"to": to.get_username(), "from": previous.get_username() if previous else ""}
        _record(queue_task, "queue.reassign", by, before, data=data)
    return queue_task


def queue_task_for_action(
    *, case: models.Model, by: User, kind: str | None = None, kinds=(), claim: bool = True
) -> QueueTask:
    """The open task of ``kind`` (or of any of ``kinds``) on ``case``, locked, for ``by`` to decide now.

    Call it inside the deciding service's transaction, before the case transition.
    Raises QueueError when there is no such task (already decided: how double submits
    and concurrent approvals are refused, 409), when ``by`` may not work it now (403:
    scope is checked at the moment of acting), or when someone else claimed it (409).
    With ``claim`` an open task is claimed by ``by`` and saved; without it the caller
    closes the task next (``queue_task_close(by=…)``), so the row is written once.
    """
    with within_transaction():
        queue_task = (
            QueueTask.objects.select_for_update(of=("self",))
            .select_related("task__process")  # the flow's task is completed next: no second read
            .filter(ACTIVE, case_type=case._meta.label_lower, case_id=str(case.pk), kind__in=[kind] if kind else kinds)
            .order_by("id")
            .first()
        )
        if queue_task is None:
            raise QueueError(_("This step was already decided."), code="already_decided")
        _require_workable(queue_task, by)
        if queue_task.status == QueueTaskStatus.CLAIMED and queue_task.claimed_by_id != by.pk:
            _require_unclaimed(queue_task)
        if claim and queue_task.status == QueueTaskStatus.OPEN:
            queue_task.claim(user=by, at=timezone.now())
            _save(queue_task)
    return queue_task


def queue_task_close(*, queue_task: QueueTask, outcome: str, by: User | None = None, locked: bool = False) -> QueueTask:
    """Mark the task done with ``outcome`` (the decision's name). No step: the caller's transition writes it.

    ``by`` is recorded as the one who worked it when nobody had claimed it; ``locked``
    says the caller already holds the row (from ``queue_task_for_action``).
    """
    with within_transaction():
        if not locked:
            queue_task = _locked(queue_task)
        _require_active(queue_task)
        now = timezone.now()
        if by is not None and queue_task.claimed_by_id is None:
            queue_task.claimed_by, queue_task.claimed_at = by, now
        queue_task.close(outcome=outcome, at=now)
        queue_task.save()
    return queue_task


def queue_tasks_cancel(*, case: models.Model) -> int:
    """Cancel every active task of ``case`` (withdrawal, exit, …) and return how many.

    The viewflow tasks are left to the flow, which cancels its own process.
    """
    with within_transaction():
        tasks = list(
            QueueTask.objects.select_for_update().filter(
                ACTIVE, case_type=case._meta.label_lower, case_id=str(case.pk)
            )
        )
        now = timezone.now()
        for queue_task in tasks:
            queue_task.cancel(at=now)
            queue_task.save()
    return len(tasks)


@dataclass(frozen=True)
class BulkOutcome:
    queue_task_id: int
    title: str
    ok: bool
    message: str


def queue_tasks_bulk_approve(*, queue_task_ids: list[int], by: User, comment: str) -> list[BulkOutcome]:
    """Approve each selected task with the same comment, each in its own transaction.

    One refusal does not undo the others; every task gets an outcome line.
    """
    tasks = {t.pk: t for t in QueueTask.objects.filter(workable_q(by), ACTIVE, pk__in=queue_task_ids)}
    return [_bulk_approve_one(tasks.get(int(pk)), int(pk), by, comment) for pk in queue_task_ids]


def _bulk_approve_one(queue_task: QueueTask | None, pk: int, by: User, comment: str) -> BulkOutcome:
    if queue_task is None:
        return BulkOutcome(pk, "", False, _("This task is not in your queue any more."))
    action = bulk_action(queue_task.kind)
    if action is None:
        return BulkOutcome(pk, queue_task.title, False, _("This kind of task cannot be approved in bulk."))
    try:
        with transaction.atomic():
            action.func(case_type=queue_task.case_type, case_id=queue_task.case_id, by=by, comment=comment)
    except DomainError as error:
        return BulkOutcome(pk, queue_task.title, False, str(error))
    except Exception:  # one broken case must not stop the rest of the batch
        logger.exception("bulk approval of queue task %s failed", pk)
        return BulkOutcome(pk, queue_task.title, False, _("Unexpected error; nothing was changed for this task."))
    return BulkOutcome(pk, queue_task.title, True, _("Approved."))


def _locked(queue_task: QueueTask) -> QueueTask:
    return QueueTask.objects.select_for_update().get(pk=queue_task.pk)


def _require_active(queue_task: QueueTask) -> None:
    if not queue_task.is_active:
        raise QueueError(_("This step was already decided."), code="already_decided")


def _require_workable(queue_task: QueueTask, user: User) -> None:
    _require_active(queue_task)
    if not user_can_work(user, queue_task):
        raise QueueError(_("This task is not in your queue."), code="not_your_queue", http_status=403)


def _require_unclaimed(queue_task: QueueTask) -> None:
    if queue_task.status == QueueTaskStatus.CLAIMED:
        name = queue_task.claimed_by.display_name if queue_task.claimed_by else ""
        raise QueueError(_("Already claimed by %(name)s.") % {"name": name}, code="already_claimed")


def _save(queue_task: QueueTask) -> None:
    queue_task.save()
    _mirror_to_workflow_task(queue_task)


def _mirror_to_workflow_task(queue_task: QueueTask) -> None:
    """Keep viewflow's task row in step with the claim: owner and ASSIGNED, or no owner and NEW.

    Plain field updates, not viewflow's assign/unassign activations, because: those check
    viewflow's own permissions, which we deliberately do not grant (they would show
    reviewers every case); they take the flow lock and save the task separately, outside
    the lock we already hold on the queue task; and reassign is only allowed from
    ASSIGNED. Updating the row here keeps both tables consistent in one transaction, and
    leaves the task in the state viewflow's own ``start``/``execute`` expect.
    """
    if queue_task.task_id is None:
        return
    owner = queue_task.claimed_by
    WorkflowTask.objects.filter(
        pk=queue_task.task_id, status__in=[WORKFLOW_STATUS.NEW, WORKFLOW_STATUS.ASSIGNED]
    ).update(
        owner=owner,
        status=WORKFLOW_STATUS.ASSIGNED if owner else WORKFLOW_STATUS.NEW,
        assigned=queue_task.claimed_at if owner else None,
    )


def _record(queue_task: QueueTask, action: str, by: User, before: str, *, data: dict | None = None) -> None:
    step_record(
        action=action,
        actor=by,
        obj=queue_task.case or queue_task,
        enterprise=queue_task.enterprise,
        state_before=before,
        state_after=queue_task.status,
        data={"queue_task": queue_task.pk, "kind": queue_task.kind, **(data or {})},
    )


def queue_tasks_follow_move(*, move, by: User | None) -> int:
    """Registry hook (``TIDU_JURISDICTION_MOVED_HOOKS``): the enterprise's open tasks follow its move.

    Called inside the move's transaction with the ``JurisdictionMove`` just recorded.
    Every active task of the enterprise bound to a jurisdiction (district review, the
    enterprise's own revisions) gets the new one; a claim held by someone who may not work
    it there any more (a reviewer of the old district) is released. The registry applies
    a move at once, whatever its ``effective_on`` (that date only dates the history), so
    tasks move at once too. Locks the tasks; writes one ``queue.follow_move`` step per
    task moved; returns how many moved.
    """
    with within_transaction():
        tasks = list(
            QueueTask.objects.select_for_update(of=("self",))
            .select_related("claimed_by")
            .filter(ACTIVE, enterprise_id=move.enterprise_id, role__in=_JURISDICTION_ROLES, jurisdiction__isnull=False)
            .exclude(jurisdiction=move.to_jurisdiction)
            .order_by("id")
        )
        for queue_task in tasks:
            before, claimer = queue_task.status, queue_task.claimed_by
            queue_task.jurisdiction = move.to_jurisdiction
            released = claimer is not None and not user_can_work(claimer, queue_task)
            if released:
                queue_task.release()
            _save(queue_task)
            data = {
                "from": move.from_jurisdiction.code,
                "to": move.to_jurisdiction.code,
                "effective_on": move.effective_on.isoformat(),
                "released": claimer.get_username() if released else "",
            }
            _record(queue_task, "queue.follow_move", by, before, data=data)
    return len(tasks)
