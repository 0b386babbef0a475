"""Reads of queues and of the step log, already scoped to the user.

Step log: auditors (and administrators) read all of it; anyone else reads only the
steps of a case they can already see, through ``steps_for``.


Queue scope: reviewers see the tasks of their role in their jurisdiction (city reviewers
see all city-level tasks, plus district tasks escalated to them), finance sees finance
tasks, enterprise users their own enterprise's tasks, administrators everything. What a
user may *work* is the same set, except that administrators only watch and reassign.
"""

from dataclasses import dataclass

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from enterprises.models import Enterprise, Role, User
from enterprises.selectors import has_role, is_administrator, scope_to_user
from steplog.models import ChainHead, ChainVerification, Step

from .models import QueueTask
from .models.queues import ACTIVE

NOTHING = Q(pk__in=[])


def workable_fields(user: User) -> dict | None:
    """The queue-task fields that make a task ``user``'s work, as equalities; None for no work at all.

    One definition serves the database filter (``workable_q``) and the check on a task in
    hand (``user_can_work``), so the two can never disagree.
    """
    if not user.is_authenticated or not user.is_active:
        return None
    if user.role == Role.DISTRICT_REVIEWER:
        return {"role": Role.DISTRICT_REVIEWER, "jurisdiction_id": user.jurisdiction_id} if user.jurisdiction_id else None
    if user.role == Role.CITY_REVIEWER:
        return {"in_city_queue": True}  # city-level tasks and escalated district tasks
    if user.role == Role.FINANCE:
        return {"role": Role.FINANCE}
    if user.role == Role.ENTERPRISE and user.enterprise_id:
        return {"role": Role.ENTERPRISE, "enterprise_id": user.enterprise_id}
    if user.role == Role.EXPERT:
        return {"role": Role.EXPERT, "claimed_by_id": user.pk}  # drawn experts: only what is assigned to them
    return None


def workable_q(user: User) -> Q:
    """The queue tasks ``user`` may claim and act on, as a filter."""
    fields = workable_fields(user)
    return NOTHING if fields is None else Q(**fields)


def visible_q(user: User) -> Q:
    """The queue tasks ``user`` may see: what they may work, and everything for administrators."""
    return Q() if is_administrator(user) and user.is_active else workable_q(user)


def user_can_work(user: User, queue_task: QueueTask) -> bool:
    """Whether ``user`` may work ``queue_task`` as it is now (read under the caller's lock)."""
    fields = workable_fields(user)
    return fields is not None and all(getattr(queue_task, name) == value for name, value in fields.items())


def queue_for_user(
    *, user: User, status: str | None = None, kind: str | None = None, query: str = "", jurisdiction: str | None = None
) -> QuerySet:
    """The user's queue, soonest due first; active tasks unless ``status`` names one.

    ``query`` finds tasks by enterprise name or task title; ``jurisdiction`` (a code) keeps the tasks of
    that jurisdiction's enterprises (city tasks carry no jurisdiction of their own). Related rows the queue
    page shows are joined in, so a page of any size costs one query.
    """
    queryset = QueueTask.objects.filter(visible_q(user)).select_related(
        "enterprise", "jurisdiction", "claimed_by"
    )
    if status is None:
        queryset = queryset.filter(ACTIVE)
    else:
        queryset = queryset.filter(status=status)
    if kind:
        queryset = queryset.filter(kind=kind)
    if query := query.strip():
        queryset = queryset.filter(Q(title__icontains=query) | _enterprise_named(query))
    if jurisdiction:
        queryset = queryset.filter(enterprise__jurisdiction__code=jurisdiction)
    return queryset.order_by("due_on", "id")


# Up to this many enterprises whose name matches a queue search are looked up first and named by id.
SEARCH_ENTERPRISES_BY_ID = 500


def _enterprise_named(query: str) -> Q:
    """Tasks of an enterprise whose name contains ``query``.

    The matching enterprises are read first (a trigram index lookup on PostgreSQL) and named by id,
    so the planner ORs two index scans; as a subquery it filtered every task in scope (~75 ms at
    100,000 tasks). A term matching more names than that keeps the subquery.
    """
    named = Enterprise.objects.filter(name__icontains=query).values_list("pk", flat=True)
    ids = list(named[: SEARCH_ENTERPRISES_BY_ID + 1])
    return Q(enterprise__in=named) if len(ids) > SEARCH_ENTERPRISES_BY_ID else Q(enterprise_id__in=ids)


class QueuePaginator(Paginator):
    """A queue's pages, read by id first, then the page's rows with what they show.

    A deep page (``OFFSET`` 4,000 in a district's 12,000 tasks) then walks the queue index alone
    instead of joining every skipped row to its enterprise: 80 ms became a few. The first pages,
    whose skipped rows cost little, stay one query.
    """

    SHALLOW_PAGES = 5

    def page(self, number):
        number = self.validate_number(number)
        if number <= self.SHALLOW_PAGES:
            return super().page(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = self.object_list.in_bulk(ids)
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)


def queue_filters_jurisdiction(user: User) -> bool:
    """The city and administrators, who see every jurisdiction's tasks, may narrow the queue to one."""
    return has_role(user, Role.CITY_REVIEWER)


def queue_overdue(queryset: QuerySet, today=None) -> QuerySet:
    return queryset.filter(due_on__lt=today or timezone.localdate())


def queue_mine(queryset: QuerySet, user: User) -> QuerySet:
    return queryset.filter(claimed_by=user)


# Administrators watch the whole city: their figures count every active task, which at
# 100,000 tasks costs ~15 ms a page on PostgreSQL, so they are reused for a minute.
# Everyone who works a queue gets exact, live counts.
CITY_COUNTS_SECONDS = 60


def queue_counts(*, user: User) -> dict[str, int]:
    """``{"open": n, "mine": n, "overdue": n}`` over the user's active tasks.

    Three counts, each answered from one index without reading the rows: cheaper than one
    aggregate that would have to visit every row of the scope for ``claimed_by``. "mine"
    leaves out the scope filter: a user can only have claimed tasks they may work.
    """
    if not user.is_authenticated:
        return {"open": 0, "mine": 0, "overdue": 0}
    today = timezone.localdate()
    active = QueueTask.objects.filter(visible_q(user), ACTIVE)

    def scope_counts():
        return active.count(), active.filter(due_on__lt=today).count()

    if is_administrator(user):
        open_, overdue = cache.get_or_set(f"approvals:city-queue-counts:{today}", scope_counts, CITY_COUNTS_SECONDS)
    else:
        open_, overdue = scope_counts()
    return {"open": open_, "mine": QueueTask.objects.filter(ACTIVE, claimed_by_id=user.pk).count(), "overdue": overdue}


def workers_for(queue_task: QueueTask) -> QuerySet:
    """Active users who may work ``queue_task``: ``workable_q`` read the other way round."""
    users = User.objects.filter(is_active=True, role=queue_task.role)
    if queue_task.role == Role.DISTRICT_REVIEWER:
        users = users.filter(jurisdiction_id=queue_task.jurisdiction_id)
    elif queue_task.role == Role.ENTERPRISE:
        users = users.filter(enterprise_id=queue_task.enterprise_id)
    elif queue_task.role == Role.EXPERT:
        users = users.filter(pk=queue_task.claimed_by_id)
    if queue_task.escalated_at is not None:
        users = users | User.objects.filter(is_active=True, role=Role.CITY_REVIEWER)
    return users


def user_can_audit(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.has_perm("steplog.audit")


def step_list(*, user: User) -> QuerySet:
    """The whole log, newest first, for auditors; nothing for anyone else."""
    if not user_can_audit(user):
        return Step.objects.none()
    return Step.objects.select_related("enterprise").order_by("-seq")


def steps_for(*, obj: Model | None = None, user: User, object_type: str = "", object_id: str = "") -> QuerySet:
    """The steps about one object (a case, an enterprise, …), oldest first, scoped to ``user``.

    Pass the object, or its ``object_type`` (model label, lower case) and ``object_id``.
    """
    if obj is not None:
        object_type, object_id = obj._meta.label_lower, str(obj.pk)
    steps = Step.objects.filter(object_type=object_type, object_id=object_id).order_by("seq")
    return steps if user_can_audit(user) else scope_to_user(steps, user)


@dataclass(frozen=True)
class ChainStatus:
    head_seq: int
    last: ChainVerification | None

    @property
    def unverified(self) -> int:
        """Steps appended since the last verification (or all, if never verified)."""
        return self.head_seq - (self.last.verified_seq if self.last else 0)


def chain_status() -> ChainStatus:
    head = ChainHead.objects.filter(pk=1).values_list("seq", flat=True).first() or 0
    return ChainStatus(head_seq=head, last=ChainVerification.objects.order_by("-verified_at").first())
