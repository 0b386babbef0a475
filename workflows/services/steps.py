"""The step every case transition leaves: its action, who, and the state before → after."""

from approvals.services import step_record


def case_step_record(*, case, action: str, by, before: str = "", comment: str = "", **data):
    """Record ``action`` on ``case`` (any case model with a ``state``), ending in its state now."""
    return step_record(
        action=action,
        actor=by,
        obj=case,
        state_before=before,
        state_after=case.state,
        comment=comment,
        data=data or None,
    )
