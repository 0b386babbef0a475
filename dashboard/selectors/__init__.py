"""Reads of the dashboard, every one scoped through ``DashboardScope`` (scope.py).

figures.py computes the dashboard's figures, lists.py the rows behind each figure (the
same querysets, so a figure and its list always agree), white_list.py the bank white list.
"""

from .figures import Dashboard, dashboard_figures, dashboard_figures_warm
from .lists import FIGURE_LISTS, FigureList, figure_list
from .scope import DashboardScope, dashboard_scope, user_may_view_dashboard
from .white_list import WhiteListEntry, white_list

__all__ = [
    "FIGURE_LISTS",
    "Dashboard",
    "DashboardScope",
    "FigureList",
    "WhiteListEntry",
    "dashboard_figures",
    "dashboard_figures_warm",
    "dashboard_scope",
    "figure_list",
    "user_may_view_dashboard",
    "white_list",
]
