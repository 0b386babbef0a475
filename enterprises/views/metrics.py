"""Keeping one year's annual data: the enterprise itself, or a reviewer of its scope."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ..exceptions import RegistryError
from ..forms import AnnualMetricsForm
from ..models import AnnualMetrics, Enterprise
from ..selectors import enterprise_get, user_can_edit_enterprise
from ..services import metrics_save

FIRST_YEAR = 2000


@login_required
def metrics_edit_view(request, pk, year):
    try:
        enterprise = enterprise_get(user=request.user, pk=pk)
    except Enterprise.DoesNotExist:
        raise Http404 from None
    if not (FIRST_YEAR <= year <= timezone.localdate().year) or not user_can_edit_enterprise(request.user, enterprise):
        raise Http404
    row = AnnualMetrics.objects.filter(enterprise=enterprise, year=year).first()
    form = AnnualMetricsForm(request.POST or None, instance=row or AnnualMetrics(enterprise=enterprise, year=year))
    if request.method == "POST" and form.is_valid():
        try:
            metrics_save(enterprise=enterprise, year=year, by=request.user, values=form.changed_values())
        except RegistryError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(year)s data saved.") % {"year": year})
            return redirect(request.path)
    return render(request, "enterprises/metrics_edit.html", {"enterprise": enterprise, "year": year, "form": form})
