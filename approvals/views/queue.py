"""The queue pages: the user's open work with counts, claim / release, bulk approval, reassignment."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from enterprises.models import Role
from enterprises.views import RoleApplication

from ..exceptions import QueueError
from ..forms import BulkApproveForm, QueueSearchForm, ReassignForm
from ..models import QueueTask, QueueTaskStatus
from ..queues import bulk_kinds, case_url, kind_label, task_title
from ..selectors import (
    QueuePaginator,
    is_administrator,
    queue_filters_jurisdiction,
    queue_for_user,
    queue_mine,
    queue_overdue,
    visible_q,
    workers_for,
)
from ..templatetags.approvals import queue_counts_for
from ..services import queue_task_claim, queue_task_reassign, queue_task_release, queue_tasks_bulk_approve
from ..workdays import missing_calendar_warning

PAGE_SIZE = 20
TABS = {
    "open": gettext_lazy("Open in my scope"),
    "mine": gettext_lazy("Mine"),
    "overdue": gettext_lazy("Overdue"),
}


@login_required
def queue_view(request):
    tab = request.GET.get("tab") if request.GET.get("tab") in TABS else "open"
    kind = request.GET.get("kind") or None
    search = QueueSearchForm(request.GET, may_filter_jurisdiction=queue_filters_jurisdiction(request.user))
    filters = search.cleaned_data if search.is_valid() else {}
    tasks = _tab(queue_for_user(user=request.user, kind=kind, **filters), tab, request.user)
    paginator = QueuePaginator(tasks, PAGE_SIZE)
    if kind is None and not any(filters.values()):
        # The navigation counts the same rows; counting 100,000 of them twice is a waste.
        paginator.count = queue_counts_for(request)[tab]
    page = paginator.get_page(request.GET.get("page"))
    index_url = reverse("queue:index")  # reversed once, not three times per row
    today, bulk = timezone.localdate(), bulk_kinds()
    rows = [_row(task, request.user, index_url, today, bulk) for task in page]
    if is_administrator(request.user) and (warning := missing_calendar_warning()):
        messages.warning(request, warning)
    return render(
        request,
        "approvals/queue.html",
        {
            "tab": tab,
            "tabs": TABS.items(),
            "search": search,
            "page": page,
            "rows": rows,
            "bulk_form": BulkApproveForm() if any(row["can_bulk"] for row in rows) else None,
            "is_admin": is_administrator(request.user),
        },
    )


def _tab(tasks, tab, user):
    if tab == "mine":
        return queue_mine(tasks, user)
    if tab == "overdue":
        return queue_overdue(tasks)
    return tasks


def _row(task: QueueTask, user, index_url: str, today, bulk: set) -> dict:
    """Everything a queue row shows, as plain strings in a dict.

    A dict because the template engine tries ``row[key]`` first: flat dict rows render
    several times faster than attribute chains like ``task.claimed_by.display_name``.
    """
    # What the user sees is what they may work, except administrators, who only watch.
    worker = not is_administrator(user)
    claimed = task.status == QueueTaskStatus.CLAIMED
    return {
        "pk": task.pk,
        "title": task_title(task),
        "enterprise": task.enterprise.name,
        "jurisdiction": str(task.jurisdiction) if task.jurisdiction else "",
        "kind_label": str(kind_label(task.kind)),
        "escalated": task.escalated_at is not None,
        "created": date_format(timezone.localtime(task.created_at)),
        "due": date_format(task.due_on) if task.due_on else "",
        "provisional": task.due_provisional,
        "overdue": task.due_on is not None and task.due_on < today,
        "claimed_by": task.claimed_by.display_name if task.claimed_by else "",
        "case_url": case_url(task),
        "url": f"{index_url}{task.pk}/",  # the task's own URLs are url + "claim/", "release/", "reassign/"
        # An enterprise's task is its own (nobody else could take it): nothing to claim.
        "can_claim": worker and not claimed and user.role != Role.ENTERPRISE,
        "can_release": claimed and (task.claimed_by_id == user.pk or not worker),
        "can_bulk": worker and task.kind in bulk and (not claimed or task.claimed_by_id == user.pk),
    }


@require_POST
@login_required
def queue_claim_view(request, pk):
    return _act(request, pk, lambda task: queue_task_claim(queue_task=task, by=request.user), _("Task claimed."))


@require_POST
@login_required
def queue_release_view(request, pk):
    return _act(request, pk, lambda task: queue_task_release(queue_task=task, by=request.user), _("Task released."))


def _act(request, pk, action, done_message):
    task = get_object_or_404(QueueTask.objects.filter(visible_q(request.user)), pk=pk)
    try:
        action(task)
    except QueueError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done_message)
    return _back(request)


@require_POST
@login_required
def queue_bulk_approve_view(request):
    form = BulkApproveForm(request.POST, task_ids=[int(v) for v in request.POST.getlist("tasks") if v.isdigit()])
    if not form.is_valid():
        messages.error(request, _("Select at least one task and write a comment."))
        return _back(request)
    outcomes = queue_tasks_bulk_approve(
        queue_task_ids=form.cleaned_data["tasks"], by=request.user, comment=form.cleaned_data["comment"]
    )
    approved = sum(outcome.ok for outcome in outcomes)
    if approved:
        messages.success(request, _("%(count)s task(s) approved.") % {"count": approved})
    for outcome in outcomes:
        if not outcome.ok:
            messages.error(request, f"{outcome.title or '#%s' % outcome.queue_task_id}: {outcome.message}")
    return _back(request)


@login_required
def queue_reassign_view(request, pk):
    if not is_administrator(request.user):
        raise PermissionDenied
    task = get_object_or_404(queue_for_user(user=request.user), pk=pk)
    form = ReassignForm(request.POST or None, workers=workers_for(task).order_by("username"))
    if request.method == "POST" and form.is_valid():
        try:
            queue_task_reassign(queue_task=task, to=form.cleaned_data["to"], by=request.user)
        except QueueError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Task reassigned."))
            return redirect("queue:index")
    return render(request, "approvals/reassign.html", {"task": task, "form": form, "kind_label": kind_label(task.kind)})


def _back(request):
    target = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("queue:index")
    return redirect(target)


class QueueApplication(RoleApplication):
    title = gettext_lazy("Queue")
    icon = "inbox"
    app_name = "queue"
    # (url name, query string, label, icon, which count to show)
    menu_links = [
        ("index", "", TABS["open"], "inbox", "open"),
        ("index", "?tab=mine", TABS["mine"], "assignment_ind", "mine"),
        ("index", "?tab=overdue", TABS["overdue"], "alarm", "overdue"),
    ]

    index_path = path("", queue_view, name="index")
    claim_path = path("<int:pk>/claim/", queue_claim_view, name="claim")
    release_path = path("<int:pk>/release/", queue_release_view, name="release")
    reassign_path = path("<int:pk>/reassign/", queue_reassign_view, name="reassign")
    bulk_path = path("bulk-approve/", queue_bulk_approve_view, name="bulk_approve")

    def has_view_permission(self, user, obj=None):
        # Auditors read the log, they do not work queues; every other role has a queue.
        return not user.is_authenticated or user.role != Role.AUDITOR or is_administrator(user)
