"""The same human steps as an application, as viewflow alone runs them: no FSM, no queue, no log."""

from django.http import HttpResponse
from viewflow import this
from viewflow.workflow import flow, lock


def noop_view(request, **kwargs):
    return HttpResponse()


class PlainFlow(flow.Flow):
    lock_impl = lock.select_for_update_lock

    start = flow.StartHandle().Next(this.first)
    first = flow.View(noop_view).Next(this.second)
    second = flow.View(noop_view).Next(this.third)
    third = flow.View(noop_view).Next(this.end)
    end = flow.End()
