"""The dashboard (the city's view of its action plan), the lists behind its figures and their XLSX.

Who sees what is decided once, in ``selectors.dashboard_scope``: enterprises and experts
get 403, a district reviewer its own jurisdiction, the city-wide roles all with a filter.
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy

from enterprises.views import RoleApplication

from . import charts
from .exports import figure_list_export
from .selectors import dashboard_figures, dashboard_scope, figure_list, user_may_view_dashboard
from .selectors.lists import list_query

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _year(request, today) -> int:
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        raise Http404 from None
    if not 1949 <= year <= today.year + 1:
        raise Http404
    return year


@login_required
def dashboard_view(request):
    today = timezone.localdate()
    scope = dashboard_scope(user=request.user, jurisdiction_code=request.GET.get("jurisdiction", ""))
    board = dashboard_figures(scope=scope, year=_year(request, today), today=today)
    return render(request, "dashboard/index.html", {
        "board": board,
        "list_params": {"year": board.year, "jurisdiction": scope.jurisdiction_code},
        "years": range(today.year, today.year - 6, -1),
        "progress_chart": charts.progress_chart([*board.tiers, board.pool]),
        "funnel_chart": charts.funnel_chart(board.funnel),
    })


@login_required
def figure_list_view(request, key):
    today = timezone.localdate()
    scope = dashboard_scope(user=request.user, jurisdiction_code=request.GET.get("jurisdiction", ""))
    figure = figure_list(key)
    query = list_query(figure=figure, params=request.GET, today=today)
    page = Paginator(figure.rows(scope, query), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "dashboard/list.html", {
        "figure": figure,
        "title": figure.title(query),
        "headers": figure.headers(query),
        "rows": [(figure.enterprise(row), figure.page_cells(row, query)) for row in page],
        "page": page,
        "scope": scope,
        "list_params": {**query.as_params(), "jurisdiction": scope.jurisdiction_code},
    })


@login_required
def figure_export_view(request, key):
    today = timezone.localdate()
    scope = dashboard_scope(user=request.user, jurisdiction_code=request.GET.get("jurisdiction", ""))
    figure = figure_list(key)
    query = list_query(figure=figure, params=request.GET, today=today)
    response = HttpResponse(figure_list_export(figure=figure, scope=scope, query=query), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{key}-{today.isoformat()}.xlsx"'
    return response


@login_required
def white_list_view(request):
    return figure_list_view(request, "white-list")


class DashboardApplication(RoleApplication):
    """The city's dashboard and white list: the city-wide roles and district reviewers."""

    title = gettext_lazy("Dashboard")
    icon = "insights"
    app_name = "dashboard"
    menu_links = [
        ("index", "", gettext_lazy("Plan progress"), "insights", None),
        ("white_list", "", gettext_lazy("White list"), "verified_user", None),
    ]

    index_path = path("", dashboard_view, name="index")
    white_list_path = path("white-list/", white_list_view, name="white_list")
    list_path = path("list/<slug:key>/", figure_list_view, name="list")
    export_path = path("list/<slug:key>/export.xlsx", figure_export_view, name="export")

    def has_view_permission(self, user, obj=None):
        return not user.is_authenticated or user_may_view_dashboard(user)
