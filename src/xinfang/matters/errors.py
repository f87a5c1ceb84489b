"""Domain errors raised by services. Views and the API map them to HTTP statuses."""

from __future__ import annotations


class DomainError(Exception):
    status = 400
    code = "invalid"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(DomainError):
    """The request is malformed or breaks a rule about its own content."""


class NotFound(DomainError):
    """Missing, or outside the user's scope: the two are indistinguishable on purpose."""

    status = 404
    code = "not_found"


class Forbidden(DomainError):
    """The user can see the matter but may not take this action."""

    status = 403
    code = "forbidden"


class InvalidState(DomainError):
    """The action is not possible in the matter's current state or time limits."""

    status = 409
    code = "invalid_state"


class Conflict(DomainError):
    """Someone else changed the matter since it was read: refused, never merged blindly."""

    status = 409
    code = "conflict"
