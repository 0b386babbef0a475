"""What a case type declares: its human tasks and its decisions, each named once."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.functional import Promise

from ..actions import register_action, register_states
from ..queues import register_bulk_action, register_kind


@dataclass(frozen=True)
class HumanTask:
    """A task a flow puts in a scoped queue: who works it and how many working days they have.

    ``TIDU_SLA_WORKING_DAYS = {kind: days}`` in settings overrides the declared SLA.
    """

    kind: str
    role: str
    label: str | Promise
    sla_working_days: int | None = None

    @property
    def sla(self) -> int | None:
        return getattr(settings, "TIDU_SLA_WORKING_DAYS", {}).get(self.kind, self.sla_working_days)


@dataclass(frozen=True)
class Decision:
    """One decision on a case: the FSM transition it applies and the task it completes.

    ``tasks``: the tasks the decision may complete (it completes whichever is open); none
    for a decision that is nobody's queue work (submitting, withdrawing). ``text``: the
    name of the service's text argument (comment, reason or statement), required or not.
    ``bulk``: a reviewer may take it for many cases at once from the queue.
    ``tells_enterprise``: the enterprise's users get a notice (inbox, and e-mail / SMS as
    they chose) with the decision and its comment, e.g. a return and its reason.
    ``final``: nothing undoes it (a rejection, a withdrawal, a closed plan): pages show it as
    a danger and ask before taking it.
    """

    transition: Callable
    label: str | Promise
    button: str | Promise | None = None
    done: str | Promise | None = None
    tasks: tuple[HumanTask, ...] = ()
    text: str = "comment"
    text_required: bool = False
    bulk: bool = False
    tells_enterprise: bool = False
    final: bool = False

    @property
    def name(self) -> str:
        # PEP 8: a name that is a Python keyword takes a trailing underscore (``return_``).
        return self.transition.__name__.rstrip("_")


@dataclass
class CaseType:
    """A case model, its tasks and decisions, and how its pages and services are reached.

    ``prefix`` starts every step action ("pool_entry" → "pool_entry.city_approve").
    ``case_argument`` is the keyword its services take the case by ("entry", "plan").
    ``other_actions`` labels the steps that are not decisions (suffix → label).
    ``step_data`` adds the case's own facts to every decision's step; ``lock_related``
    is what a locked read of the case joins in (its enterprise and jurisdiction).
    """

    model: type[models.Model]
    prefix: str
    case_argument: str
    url_name: str
    tasks: tuple[HumanTask, ...] = ()
    decisions: tuple[Decision, ...] = ()
    other_actions: dict[str, str | Promise] = field(default_factory=dict)
    step_data: Callable[[models.Model], dict] | None = None
    lock_related: tuple[str, ...] = ("enterprise__jurisdiction",)
    _services: dict[str, Callable] = field(default_factory=dict, repr=False)

    def decision(self, key: str | Callable) -> Decision:
        """The decision named ``key``, or the one applying the transition ``key``."""
        for decision in self.decisions:
            if key == decision.name or key is decision.transition or getattr(key, "__name__", None) == decision.transition.__name__:
                return decision
        raise KeyError(key)

    def action(self, suffix: str) -> str:
        return f"{self.prefix}.{suffix}"

    def url(self, case_id) -> str:
        return reverse(self.url_name, args=[case_id])

    def serves(self, transition: Callable):
        """Decorator: the service that takes the decision of ``transition`` (bulk actions and ``decide`` call it)."""

        def bind(service):
            self._services[self.decision(transition).name] = service
            return service

        return bind

    def service(self, name: str) -> Callable | None:
        return self._services.get(name)

    def decide(self, *, case, name: str, by, text: str = ""):
        """Take the decision ``name`` through its service; an unknown name raises KeyError."""
        decision = self.decision(name)
        service = self._services[decision.name]
        return service(**{self.case_argument: case, "by": by, decision.text: text})

    @property
    def label(self) -> str:
        return self.model._meta.label_lower


_case_types: dict[str, CaseType] = {}


def case_type_register(case_type: CaseType) -> CaseType:
    """Make a case type known: its states, step labels, queue kinds and bulk actions.

    Called from the owning app's ``AppConfig.ready``; the queue and the timeline only
    ever read these registries.
    """
    _case_types[case_type.label] = case_type
    register_states(case_type.label, case_type.model._meta.get_field("state").choices)
    for decision in case_type.decisions:
        register_action(case_type.action(decision.name), decision.label)
    for suffix, label in case_type.other_actions.items():
        register_action(case_type.action(suffix), label)
    for task in case_type.tasks:
        register_kind(task.kind, task.label, lambda queue_task, ct=case_type: ct.url(queue_task.case_id))
    for decision in case_type.decisions:
        if decision.bulk:
            for task in decision.tasks:
                register_bulk_action(task.kind, decision.button or decision.label, _bulk(case_type, decision))
    return case_type


def _bulk(declared: CaseType, decision: Decision):
    """The queue's bulk action for ``decision``, in the queue's calling convention."""

    def run(*, case_type: str, case_id, by, comment):
        case = declared.model._default_manager.get(pk=case_id)
        return declared.decide(case=case, name=decision.name, by=by, text=comment)

    return run


def case_type_for(case) -> CaseType:
    """The declaration of ``case``'s model (a model instance or class)."""
    return _case_types[case._meta.label_lower]


def case_types() -> list[CaseType]:
    return list(_case_types.values())
