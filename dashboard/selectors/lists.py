"""The list behind each figure: the same rows the figure counts, with the columns a clerk needs.

Each list is declared once (its title, headers and cells); the page and the XLSX export both
read the declaration. Parameters that name nothing known (a tier, a stage, a fund…) are a 404.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Max, Q
from django.http import Http404, QueryDict
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from approvals.queues import kind_label
from enterprises.fields import MoneyField, money_text
from enterprises.models import AnnualMetrics, Tier
from rewards.models import Fund

from . import sources
from .figures import FUNNEL_LABELS, INDICATORS_BY_KEY, Indicator
from .scope import DashboardScope
from .white_list import white_list

ENTERPRISE_HEADERS = [gettext_lazy("Enterprise"), gettext_lazy("Credit code"), gettext_lazy("Jurisdiction")]


@dataclass(frozen=True)
class ListQuery:
    """What a list was asked for, checked."""

    year: int
    today: datetime.date
    tier: Tier | None = None
    stage: str = ""
    fund: Fund | None = None
    kind: str = ""
    indicator: Indicator | None = None

    def as_params(self) -> dict:
        params = {"year": self.year}
        params.update({"tier": self.tier.value} if self.tier else {})
        params.update({"stage": self.stage} if self.stage else {})
        params.update({"fund": self.fund.code} if self.fund else {})
        params.update({"kind": self.kind} if self.kind else {})
        params.update({"indicator": self.indicator.key} if self.indicator else {})
        return params


@dataclass(frozen=True)
class FigureList:
    key: str
    needs: tuple[str, ...]
    title: Callable[[ListQuery], str]
    headers: Callable[[ListQuery], list]
    rows: Callable[[DashboardScope, ListQuery], Iterable]
    cells: Callable[[object, ListQuery], list]
    enterprise: Callable[[object], object] = lambda row: row
    # Which cells are amounts of yuan: the page writes them in the one money format, the export keeps
    # them numbers under a header that names the unit.
    money_columns: Callable[[ListQuery], tuple[int, ...]] = lambda query: ()

    def page_cells(self, row, query: ListQuery) -> list:
        money = self.money_columns(query)
        return [money_text(cell) if index in money and cell is not None else cell
                for index, cell in enumerate(self.cells(row, query))]


def _enterprise_cells(enterprise) -> list:
    return [enterprise.name, enterprise.credit_code, enterprise.jurisdiction.name]


def _titled_rows(scope, query):
    held = sources.valid_on_q(query.today, "titles__") & Q(titles__tier=query.tier)
    rows = sources.titled_enterprises(scope, tiers=[query.tier], day=query.today)
    return rows.annotate(valid_until=Max("titles__valid_until", filter=held)).order_by("jurisdiction__sort_order", "name")


def _paid_rows(scope, query):
    rows = sources.paid_payouts(scope, year=query.year, fund_id=query.fund.pk)
    if rows is None:
        raise Http404
    return rows.order_by("enterprise__name", "pk")


def _indicator_cells(metrics, query) -> list:
    indicator = query.indicator
    cells = [*_enterprise_cells(metrics.enterprise), metrics.year]
    if indicator.kind == "ratio":
        return [*cells, metrics.rd_expense, metrics.operating_revenue, round(metrics.rd_ratio, 2)]
    if indicator.kind == "count":
        return [*cells, _("yes") if _hits(metrics, indicator) else _("no")]
    return [*cells, getattr(metrics, indicator.field)]


def _hits(metrics, indicator: Indicator) -> bool:
    """The count indicator's ``hit`` read from the row in hand (no query)."""
    if indicator.field == "design_centre_level":
        return metrics.design_centre_level in ("provincial", "national")
    return getattr(metrics, indicator.field) is True


def _indicator_headers(query) -> list:
    indicator = query.indicator
    if indicator.kind == "ratio":
        return [*ENTERPRISE_HEADERS, _("Year"), _("R&D expense"), _("Operating revenue"), _("R&D intensity %")]
    return [*ENTERPRISE_HEADERS, _("Year"), str(indicator.label)]


def _indicator_money_columns(query) -> tuple[int, ...]:
    first = len(ENTERPRISE_HEADERS) + 1  # after the enterprise and the year
    if query.indicator.kind == "ratio":
        return first, first + 1
    field = AnnualMetrics._meta.get_field(query.indicator.field) if query.indicator.kind != "count" else None
    return (first,) if isinstance(field, MoneyField) else ()


FIGURE_LISTS = {
    figure.key: figure
    for figure in [
        FigureList(
            key="titles",
            needs=("tier",),
            title=lambda q: _("Holders of a valid title: %(tier)s") % {"tier": q.tier.label},
            headers=lambda q: [*ENTERPRISE_HEADERS, _("Tier"), _("Valid until")],
            rows=_titled_rows,
            cells=lambda e, q: [*_enterprise_cells(e), str(q.tier.label), e.valid_until],
        ),
        FigureList(
            key="pool",
            needs=(),
            title=lambda q: _("Enterprises in the cultivation pool"),
            headers=lambda q: [*ENTERPRISE_HEADERS, _("Pool year"), _("Pooled on")],
            rows=lambda scope, q: sources.pool_entries(scope).order_by("enterprise__name", "pk"),
            cells=lambda entry, q: [*_enterprise_cells(entry.enterprise), entry.year, entry.pooled_on],
            enterprise=lambda entry: entry.enterprise,
        ),
        FigureList(
            key="funnel",
            needs=("stage",),
            title=lambda q: _("%(stage)s in %(year)s") % {"stage": FUNNEL_LABELS[q.stage], "year": q.year},
            headers=lambda q: ENTERPRISE_HEADERS,
            rows=lambda scope, q: sources.funnel_enterprises(scope, stage=q.stage, year=q.year).order_by("name"),
            cells=lambda e, q: _enterprise_cells(e),
        ),
        FigureList(
            key="committed",
            needs=("fund",),
            title=lambda q: _("Rewards committed in %(year)s: %(fund)s") % {"year": q.year, "fund": q.fund.name},
            headers=lambda q: [*ENTERPRISE_HEADERS, _("Tier"), _("Recognized on"), _("Policy"), _("Amount")],
            rows=lambda scope, q: sources.committed_entitlements(scope, year=q.year, fund_id=q.fund.pk).order_by(
                "enterprise__name", "pk"
            ),
            cells=lambda e, q: [
                *_enterprise_cells(e.enterprise), e.get_tier_display(), e.title.recognized_on, e.policy.code, e.amount,
            ],
            enterprise=lambda entitlement: entitlement.enterprise,
            money_columns=lambda q: (len(ENTERPRISE_HEADERS) + 3,),
        ),
        FigureList(
            key="paid",
            needs=("fund",),
            title=lambda q: _("Rewards paid in %(year)s: %(fund)s") % {"year": q.year, "fund": q.fund.name},
            headers=lambda q: [*ENTERPRISE_HEADERS, _("Paid"), _("Value date"), _("Bank reference")],
            rows=_paid_rows,
            cells=lambda p, q: [*_enterprise_cells(p.enterprise), p.paid_amount, p.value_date, p.bank_reference],
            enterprise=lambda payout: payout.enterprise,
            money_columns=lambda q: (len(ENTERPRISE_HEADERS),),
        ),
        FigureList(
            key="overdue",
            needs=(),
            title=lambda q: _("Overdue tasks: %(kind)s") % {"kind": kind_label(q.kind)} if q.kind else _("Overdue tasks"),
            headers=lambda q: [*ENTERPRISE_HEADERS, _("Task"), _("Kind"), _("Due on")],
            rows=lambda scope, q: sources.overdue_tasks(scope, today=q.today, kind=q.kind),
            cells=lambda t, q: [*_enterprise_cells(t.enterprise), t.title, str(kind_label(t.kind)), t.due_on],
            enterprise=lambda task: task.enterprise,
        ),
        FigureList(
            key="indicator",
            needs=("indicator",),
            title=lambda q: _("%(indicator)s: the firms it rests on (%(year)s data)")
            % {"indicator": q.indicator.label, "year": q.year - 1},
            headers=_indicator_headers,
            rows=lambda scope, q: sources.srdi_metrics(scope, year=q.year - 1, today=q.today)
            .filter(q.indicator.known)
            .order_by("enterprise__name"),
            cells=_indicator_cells,
            enterprise=lambda metrics: metrics.enterprise,
            money_columns=_indicator_money_columns,
        ),
        FigureList(
            key="white-list",
            needs=(),
            title=lambda q: _("White list of SRDI enterprises (%(day)s)") % {"day": date_format(q.today)},
            headers=lambda q: [*ENTERPRISE_HEADERS, _("Tier"), _("Valid until")],
            rows=lambda scope, q: white_list(day=q.today, scope=scope),
            cells=lambda entry, q: [*_enterprise_cells(entry.enterprise), str(entry.tier.label), entry.valid_until],
            enterprise=lambda entry: entry.enterprise,
        ),
    ]
}


def list_query(*, figure: FigureList, params: QueryDict, today: datetime.date) -> ListQuery:
    """The list's parameters from a query string; anything unknown or missing that the list needs is a 404."""
    try:
        year = int(params.get("year") or today.year)
    except ValueError:
        raise Http404 from None
    if not 1949 <= year <= today.year + 1:
        raise Http404
    query = ListQuery(
        year=year,
        today=today,
        tier=_choice(params.get("tier"), {t.value: t for t in Tier}),
        stage=params.get("stage", "") if params.get("stage", "") in FUNNEL_LABELS else _unknown(params.get("stage")),
        fund=_fund(params.get("fund")),
        kind=params.get("kind", ""),
        indicator=_choice(params.get("indicator"), INDICATORS_BY_KEY),
    )
    if any(not getattr(query, need) for need in figure.needs):
        raise Http404
    return query


def figure_list(key: str) -> FigureList:
    try:
        return FIGURE_LISTS[key]
    except KeyError:
        raise Http404 from None


def _choice(value, known: dict):
    if not value:
        return None
    if value not in known:
        raise Http404
    return known[value]


def _unknown(value) -> str:
    if value:
        raise Http404
    return ""


def _fund(code):
    if not code:
        return None
    fund = Fund.objects.filter(code=code).first()
    if fund is None:
        raise Http404
    return fund
