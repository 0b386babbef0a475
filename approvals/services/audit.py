"""The auditor's actions on the step log itself."""

from steplog.dispatch import task_queue


def chain_verification_request(*, by) -> bool:
    """Queue a verification of the whole chain on behalf of ``by``.

    Nothing is recorded before the worker runs it (the result is the record), so when the
    broker is unreachable there is nothing for a sweep to find: returns False and the
    caller must tell the auditor it did not start. With eager Celery it runs now.
    """
    from ..tasks import verify_chain  # the tasks module imports the services

    return task_queue(verify_chain, by.pk)
