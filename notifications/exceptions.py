class NotificationError(Exception):
    """A refused notification action, with a message the user can read (zh/en through gettext)."""

    def __init__(self, message: str, *, code: str = "invalid", http_status: int = 400):
        super().__init__(message)
        self.code = code
        self.http_status = http_status
