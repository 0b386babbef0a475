"""Writes of the rewards app. Recognition (workflows) calls ``entitlements_request`` on commit."""


def entitlements_request(*, title) -> None:
    """Ask for the entitlements of a newly recorded ``title`` (免申即享).

    Interface placeholder: the rewards capability (policies, entitlements) replaces this
    body; callers in workflows already call it in the one place a title is recorded.
    """
    return None


__all__ = ["entitlements_request"]
