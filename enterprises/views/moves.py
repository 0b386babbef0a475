"""Recording a jurisdiction move with the day it took effect (rewards ask where a firm was on a date)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..exceptions import DomainError
from ..forms import MoveForm
from ..models import Enterprise
from ..selectors import enterprise_get
from ..services import enterprise_move


@require_POST
@login_required
def enterprise_move_view(request, pk):
    try:
        enterprise = enterprise_get(user=request.user, pk=pk)
    except Enterprise.DoesNotExist:
        raise Http404 from None
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(error for errors in form.errors.values() for error in errors))
    else:
        try:
            enterprise_move(enterprise=enterprise, by=request.user, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The move is recorded."))
    return redirect(request.META.get("HTTP_REFERER") or "/")
