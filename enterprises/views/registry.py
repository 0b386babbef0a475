"""The enterprise list and an enterprise's page; every queryset comes from the selectors."""

from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow.urls import ReadonlyModelViewset
from viewflow.views import DetailModelView, ListModelView

from ..forms import MoveForm
from ..models import Enterprise
from ..selectors import enterprise_list, latest_metrics, user_can_edit_enterprise
from .metrics import metrics_edit_view
from .moves import enterprise_move_view


class EnterpriseDetailView(DetailModelView):
    template_name = "enterprises/enterprise_detail.html"

    def get_queryset(self):
        return enterprise_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        enterprise = self.object
        return super().get_context_data(
            metrics=latest_metrics(enterprise),
            titles=enterprise.titles.all(),
            source_lists=enterprise.source_lists.all(),
            moves=enterprise.moves.select_related("from_jurisdiction", "to_jurisdiction"),
            can_edit=user_can_edit_enterprise(self.request.user, enterprise),
            move_form=MoveForm(initial={"to": enterprise.jurisdiction_id}),
            last_year=timezone.localdate().year - 1,
            **kwargs,
        )


class EnterpriseListView(ListModelView):
    def paginate_queryset(self, queryset, page_size):
        """A page past the end (an old link, a hand-typed ?page=99) shows the last page, not a 404."""
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()


class EnterpriseViewset(ReadonlyModelViewset):
    model = Enterprise
    title = _("Enterprises")
    icon = "business"
    list_columns = ("name", "credit_code", "jurisdiction", "industry_chain", "main_product")
    list_object_link_columns = ("name",)
    list_filter_fields = ("jurisdiction", "industry_chain")
    list_search_fields = ("name", "credit_code")
    list_paginate_by = 20
    detail_view_class = EnterpriseDetailView
    list_view_class = EnterpriseListView
    metrics_path = path("<int:pk>/metrics/<int:year>/", metrics_edit_view, name="metrics")
    move_path = path("<int:pk>/move/", enterprise_move_view, name="move")

    def get_queryset(self, request):
        return enterprise_list(user=request.user)
