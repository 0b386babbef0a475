"""What every case flow shares: the row lock, the link to its case, and queue tasks from declarations.

Flows route; the case models decide. Every flow locks the process row
(``select_for_update_lock``): with viewflow's default ``no_lock``, two parallel
completions on PostgreSQL lost a field (DESIGN §9).
"""

from django.shortcuts import redirect
from viewflow.workflow import lock

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


class CaseFlowMixin:
    lock_impl = lock.select_for_update_lock

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
