"""What every case flow shares: the row lock, the link to its case, and queue tasks from declarations.

Flows route; the case models decide. Every flow locks the process row (``CaseFlowLock``):
with viewflow's default ``no_lock``, two parallel completions on PostgreSQL lost a field
(DESIGN §9).
"""

from contextlib import contextmanager

from django.shortcuts import redirect
from viewflow.workflow import flow
from viewflow.workflow.activation import Activation
from viewflow.workflow.exceptions import FlowRuntimeError
from viewflow.workflow.nodes.switch import SwitchActivation

from steplog.services import within_transaction

from ..services.queues import queue_task_open
from .declarations import HumanTask
from .kernel import deciding_case


def case_page(request, *args, **kwargs):
    """viewflow's own task pages are not mounted; anyone following one lands on the queue."""
    return redirect("/")


def case_of(activation):
    """The case behind ``activation``'s process: the one being decided, else read by its link."""
    process = activation.process
    case = deciding_case()
    if case is not None and getattr(case, "process_id", None) == process.pk:
        return case
    return process.artifact


def case_in(state):
    """A gate condition: the case has reached ``state`` (flows branch on the case, not on their own data)."""

    def condition(activation) -> bool:
        return case_of(activation).state == state

    return condition


class _CaseSwitchActivation(SwitchActivation):
    @Activation.status.super()
    def activate(self):
        # viewflow wraps a gate in a savepoint to keep its error state if a condition
        # fails; these conditions only compare the case's state, so the decision stays
        # one flat transaction (and a failure rolls the whole decision back).
        self.next_task = next(
            (node for node, condition in self.flow_task._branches if condition is None or condition(self)), None
        )
        if self.next_task is None:
            raise FlowRuntimeError(f"No next task available for {self.flow_task.name}")


class CaseSwitch(flow.Switch):
    """viewflow's Switch for gates that branch on the case's state (``case_in``), without a savepoint."""

    activation_class = _CaseSwitchActivation


class CaseFlowLock:
    """viewflow's ``select_for_update_lock``, taken inside the deciding service's transaction.

    The process row stays locked until the decision commits, as with viewflow's own lock;
    unlike it, no savepoint is opened (the decision is one flat transaction) and the lock
    waits instead of failing with NOWAIT: a decision already holds its case's row, so two
    decisions on one process queue up there first.
    """

    @contextmanager
    def __call__(self, flow_class, process_pk):
        with within_transaction():
            flow_class.process_class._default_manager.select_for_update().filter(pk=process_pk).exists()
            yield


class CaseFlowMixin:
    lock_impl = CaseFlowLock()

    def attach_case(self, activation, case):
        """StartHandle body: link the process and the case both ways."""
        activation.process.artifact = case
        activation.process.save()
        type(case)._default_manager.filter(pk=case.pk).update(process=activation.process)
        case.process = activation.process
        return activation.process

    @staticmethod
    def opens_queue_task(task: HumanTask):
        """A View node's on-create callback that puts ``task`` in the scoped queue."""

        def on_create(activation):
            case = case_of(activation)
            queue_task_open(
                kind=task.kind,
                role=task.role,
                enterprise=case.enterprise,
                case=case,
                title=f"{task.label} · {case.enterprise.name}",
                task=activation.task,
                sla_working_days=task.sla,
            )

        return on_create
