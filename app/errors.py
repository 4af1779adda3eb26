"""Errors a user can cause. Their message is shown as is: by the CLI on one line, by the GUI
in a dialog. Anything else that escapes is a bug and gets a traceback."""


class HotlineError(Exception):
    """Base of every error whose message is fit to show to the user."""


class WorkspaceError(HotlineError):
    """The workspace folder is missing, already exists, or is damaged."""


class AuthError(HotlineError):
    """Login failed. The message never says whether the user or the password was wrong."""

    def __init__(self, message: str = "wrong user name or password") -> None:
        super().__init__(message)


class PermissionDenied(HotlineError):
    """The user's role does not allow the action."""


class NotFound(HotlineError):
    """A named thing (user, item, list, notice) does not exist."""


class InvalidInput(HotlineError):
    """A value given by the user is malformed or out of range."""


class Conflict(HotlineError):
    """The action contradicts the current state (duplicate name, last admin, ...)."""
