"""The one shape of every decision: lock → queue task → transition → complete task → one step.

Services of every case type call these inside their own transaction (``@transaction.atomic``);
nothing here opens a savepoint, so a decision is one flat transaction. Side effects that
leave the database (rendering, notifications) are queued by the service with
``transaction.on_commit``.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed
from viewflow.workflow.status import PROCESS, STATUS

from notifications.selectors import enterprise_users
from notifications.services import notify
from steplog.services import step_record

from ..exceptions import CaseError
from ..models import QueueTask
from ..services.queues import queue_task_close, queue_task_for_action, queue_tasks_cancel
from .declarations import Decision, case_type_for

# The case a decision is moving, so the flow's gates read it instead of loading it again.
_deciding: ContextVar = ContextVar("deciding_case", default=None)


@contextmanager
def _routing(case):
    token = _deciding.set(case)
    try:
        yield
    finally:
        _deciding.reset(token)


def deciding_case():
    return _deciding.get()


def case_reason_required(reason: str) -> str:
    """The reason a refusal, return or cancellation must carry (the enterprise reads it), stripped."""
    reason = (reason or "").strip()
    if not reason:
        raise CaseError(_("Please give a reason; the enterprise will see it."), code="reason_required", http_status=400)
    return reason


def case_locked(case: models.Model) -> models.Model:
    """``case`` read again under a row lock, with what its case type joins in (its enterprise)."""
    related = case_type_for(case).lock_related
    return type(case)._default_manager.select_for_update(of=("self",)).select_related(*related).get(pk=case.pk)


def case_transition(case: models.Model, transition, **kwargs) -> str:
    """Apply the FSM ``transition`` (the model's function) to ``case`` and save; returns the state before.

    Refused with a readable CaseError when the case is not in a source state of it.
    """
    bound = getattr(case, transition.__name__)
    if not can_proceed(bound):
        raise CaseError(
            _("This %(case)s is “%(state)s”; that action is not possible now.")
            % {"case": case._meta.verbose_name, "state": case.get_state_display()},
            code="wrong_state",
        )
    before = case.state
    bound(**kwargs)
    case.save()
    return before


def case_step_record(*, case, action: str, by, before: str = "", comment: str = "", **data):
    """Record ``action`` on ``case`` (any model with a ``state``), ending in its state now."""
    return step_record(
        action=action,
        actor=by,
        obj=case,
        state_before=before,
        state_after=case.state,
        comment=comment,
        data=data or None,
    )


def case_decide(
    case: models.Model, transition, *, by, comment: str = "", changes: dict | None = None, step: dict | None = None, **kwargs
):
    """Take the decision that applies ``transition`` to ``case``; returns the locked, updated case.

    Locks the case; takes its open queue task among the decision's tasks (this is where the
    wrong person, a double submit or a concurrent decision is refused: QueueError 403/409);
    sets ``changes`` on the case and applies the transition with ``kwargs``; completes the
    task so the flow routes on (its gates read the new state); writes one step named after
    the decision (``step`` adds facts of this decision alone, e.g. the hashes of the files
    it came with). Call inside the service's transaction.
    """
    case_type = case_type_for(case)
    decision = case_type.decision(transition)
    case = case_locked(case)
    queue_task = _task_for(case, decision, by)
    for name, value in (changes or {}).items():
        setattr(case, name, value)
    before = case_transition(case, decision.transition, **kwargs)
    if queue_task is not None:
        case_task_complete(queue_task=queue_task, by=by, outcome=decision.name, case=case)
    _decision_step(case, decision, by, before, comment, step or {})
    return case


def _decision_step(case, decision: Decision, by, before: str, comment: str, facts: dict | None = None):
    """The enterprise's notice when the decision tells it, then the decision's one step (same transaction).

    The notice comes first because the step locks the chain head until commit and every
    other decision waits on that lock: measured with 8 concurrent writers on PostgreSQL,
    1.5x the appends per second of the notice written under the lock.
    """
    case_type = case_type_for(case)
    if decision.tells_enterprise:
        _tell_enterprise(case, decision, case_type, comment)
    extra = {**(case_type.step_data(case) if case_type.step_data else {}), **(facts or {})}
    return case_step_record(case=case, action=case_type.action(decision.name), by=by, before=before, comment=comment, **extra)


def _tell_enterprise(case, decision: Decision, case_type, comment: str) -> None:
    enterprise = case.enterprise
    notify(
        recipients=enterprise_users(enterprise=enterprise),
        kind=case_type.action(decision.name),
        subject=lambda: _("%(case)s: %(decision)s") % {"case": case._meta.verbose_name, "decision": decision.label},
        body=comment or (lambda: str(decision.label)),  # the reviewer's words as written
        link=case_type.url(case.pk),
        enterprise=enterprise,
    )


def _task_for(case, decision: Decision, by) -> QueueTask | None:
    if not decision.tasks:
        return None
    return queue_task_for_action(case=case, kinds=[task.kind for task in decision.tasks], by=by, claim=False)


def case_start(case: models.Model, transition, *, flow_start, by, comment: str = "", **kwargs):
    """Apply the opening ``transition`` to a new ``case``, start its flow, write one step.

    ``flow_start`` is the flow's start node (``PoolEntryFlow.start``); its first tasks open
    in the scoped queue as the flow runs.
    """
    case_type = case_type_for(case)
    decision = case_type.decision(transition)
    before = case_transition(case, decision.transition, **kwargs)
    with _routing(case):
        flow_start.run(case=case)
    _decision_step(case, decision, by, before, comment)
    return case


def case_cancel(case: models.Model, transition, *, by, comment: str = "", **kwargs):
    """Apply an ending ``transition`` (withdraw, cancel) to the locked ``case``: its open tasks
    are cancelled, its flow ends as cancelled, one step is written."""
    case_type = case_type_for(case)
    decision = case_type.decision(transition)
    before = case_transition(case, decision.transition, **kwargs)
    _tasks_cancel(case)
    _decision_step(case, decision, by, before, comment)
    return case


def case_task_complete(*, queue_task: QueueTask, by, outcome: str, case=None) -> None:
    """Close ``queue_task`` (locked by the caller) and complete the viewflow task it mirrors.

    Runs after the case's FSM transition was saved: the flow's gates read the case's new
    state to choose the next task; ``case`` spares them reading it again.
    """
    queue_task_close(queue_task=queue_task, outcome=outcome, by=by, locked=True)
    if queue_task.task_id is not None:
        _flow_task_complete(queue_task.task, by=by, case=case)


def _flow_task_complete(task, *, by, case) -> None:
    """viewflow's assign → start → execute of a human task, under the flow's lock.

    The task was read with its queue row, under that row's lock in this transaction, so it
    is not read again (``Task.activation()`` would); and an unclaimed task is assigned in
    memory, so the task row is written once, by ``execute``.
    """
    flow_task = task.flow_task
    with _routing(case), flow_task.flow_class.lock(task.process_id):
        activation = flow_task.activation_class(task)
        if task.status == STATUS.NEW:
            task.owner, task.assigned, task.status = by, timezone.now(), STATUS.ASSIGNED
        activation.start(None)
        activation.execute()


def _tasks_cancel(case) -> None:
    """Cancel the open queue tasks of ``case`` and end its viewflow process as cancelled."""
    queue_tasks_cancel(case=case)
    process = getattr(case, "process", None)
    if process is None:
        return
    for task in process.task_set.filter(status__in=[STATUS.NEW, STATUS.ASSIGNED]):
        with task.activation() as activation:
            activation.cancel()
    process.status = PROCESS.CANCELED
    process.finished = timezone.now()
    process.save(update_fields=["status", "finished"])
