"""Domain errors: each app raises its own subclass, with a message a user can read."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A refused business action. ``code`` is stable for API clients; the message is translated."""

    code = "domain_error"
    http_status = 409
    default_message = _("The action was refused.")

    def __init__(self, message=None, *, code: str | None = None, http_status: int | None = None):
        self.message = message if message is not None else self.default_message
        if code:
            self.code = code
        if http_status:
            self.http_status = http_status
        super().__init__(str(self.message))

    def __str__(self):
        return str(self.message)


class RegistryError(DomainError):
    code = "registry_error"
