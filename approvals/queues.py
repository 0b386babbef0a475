"""What the queues know about the kinds of work other apps put in them.

Apps above approvals (workflows, rewards, …) register their task kinds from their
``AppConfig.ready``: a label and a link to the case page, and optionally the function
that approves a case of that kind, for bulk approval. Approvals never imports them.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class KindInfo:
    label: str | Promise
    url_builder: Callable | None = None


@dataclass(frozen=True)
class BulkAction:
    label: str | Promise
    func: Callable


_kinds: dict[str, KindInfo] = {}
_bulk_actions: dict[str, BulkAction] = {}


def register_kind(kind: str, label, url_builder: Callable | None = None) -> None:
    """``url_builder(queue_task) -> str`` gives the page where the task is worked."""
    _kinds[kind] = KindInfo(label=label, url_builder=url_builder)


def register_bulk_action(kind: str, label, func: Callable) -> None:
    """``func(*, case_type, case_id, by, comment)`` approves one case; it raises a DomainError to refuse."""
    _bulk_actions[kind] = BulkAction(label=label, func=func)


def kind_label(kind: str):
    info = _kinds.get(kind)
    return info.label if info else kind


def task_title(queue_task) -> str:
    """The task's title in the reader's language, from its parts: the kind's label and the enterprise.

    The stored title is in the language of whoever's request opened the task; a blind task (an expert's
    scoring, whose stored title names no enterprise) stays without the enterprise.
    """
    label = str(kind_label(queue_task.kind))
    if queue_task.kind not in _kinds or " · " not in queue_task.title:
        return queue_task.title if queue_task.kind not in _kinds else label
    return f"{label} · {queue_task.enterprise.name}"


def case_url(queue_task) -> str:
    info = _kinds.get(queue_task.kind)
    if info is None or info.url_builder is None:
        return ""
    return info.url_builder(queue_task)


def bulk_action(kind: str) -> BulkAction | None:
    return _bulk_actions.get(kind)


def bulk_kinds() -> set[str]:
    return set(_bulk_actions)
