"""Reads of recognition results and of the match queue, scoped to the user."""

from django.db.models import Q, QuerySet

from enterprises.models import User
from enterprises.selectors import scope_to_user

from ..models import Recognition, RecognitionMatch, RecognitionMatchState
from ..services.recognition import recognition_may_record


def recognition_list(*, user: User, query: str = "") -> QuerySet:
    """Results of the enterprises ``user`` may read (its own, its district's, or all for the city)."""
    recognitions = scope_to_user(
        Recognition.objects.select_related("enterprise", "enterprise__jurisdiction", "title"), user
    )
    if query:
        recognitions = recognitions.filter(Q(enterprise__name__icontains=query) | Q(enterprise__credit_code=query))
    return recognitions


def recognition_match_list(*, user: User, state: str = RecognitionMatchState.OPEN) -> QuerySet:
    """The resolution queue: only those who record results (city reviewers, administrators) see it."""
    if user is None or not user.is_authenticated or not recognition_may_record(user):
        return RecognitionMatch.objects.none()
    matches = RecognitionMatch.objects.prefetch_related("candidates", "candidates__jurisdiction")
    return matches.filter(state=state) if state else matches
