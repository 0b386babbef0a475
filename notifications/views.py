"""The inbox (站内信) of every role: list, open, mark read, mark all read, and the channel preferences."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from enterprises.views import RoleApplication

from .forms import ChannelPreferenceForm
from .selectors import channel_preference_for, notification_get, notifications_for
from .services import channel_preference_save, notification_mark_read, notifications_mark_all_read

PAGE_SIZE = 20
TABS = {"all": gettext_lazy("All"), "unread": gettext_lazy("Unread")}


@login_required
def inbox_view(request):
    tab = "unread" if request.GET.get("tab") == "unread" else "all"
    page = Paginator(notifications_for(user=request.user, unread=tab == "unread"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/inbox.html", {"page": page, "tab": tab, "tabs": TABS.items()})


@require_POST
@login_required
def read_view(request, pk):
    """Mark read; with ``open`` go on to what the notification is about."""
    notification = notification_mark_read(notification=notification_get(user=request.user, pk=pk), by=request.user)
    link = notification.link
    if request.POST.get("open") and link and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
        return redirect(link)
    return redirect(reverse("notifications:index"))


@require_POST
@login_required
def read_all_view(request):
    count = notifications_mark_all_read(user=request.user)
    messages.success(request, _("%(count)s notification(s) marked read.") % {"count": count})
    return redirect(reverse("notifications:index"))


@login_required
def preferences_view(request):
    form = ChannelPreferenceForm(request.POST or None, instance=channel_preference_for(user=request.user))
    if request.method == "POST" and form.is_valid():
        channel_preference_save(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your notification channels are saved."))
        return redirect(reverse("notifications:preferences"))
    return render(request, "notifications/preferences.html", {"form": form})


class NotificationsApplication(RoleApplication):
    """Every signed-in role has an inbox."""

    title = gettext_lazy("Notifications")
    icon = "notifications"
    app_name = "notifications"
    menu_links = [
        ("index", "", TABS["all"], "mail", None),
        ("index", "?tab=unread", TABS["unread"], "mark_email_unread", None),
        ("preferences", "", gettext_lazy("Channels"), "tune", None),
    ]

    index_path = path("", inbox_view, name="index")
    read_path = path("<int:pk>/read/", read_view, name="read")
    read_all_path = path("read-all/", read_all_view, name="read_all")
    preferences_path = path("preferences/", preferences_view, name="preferences")
