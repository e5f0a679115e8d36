"""The one base of every domain error in the back office.

A service refuses an operation by raising a subclass (TenantError, StockError...):
nothing was written, `message` says why in words a shop assistant understands, and
`code` names the refusal in a way that does not change when the wording does (for
tests, logs, metrics and JSON answers). Admin screens show the message on the form
or as a message (admin.views.DomainErrorMixin), never as a server error.
"""

from enum import StrEnum


class DomainError(Exception):
    def __init__(self, message: str, code: StrEnum | str):
        super().__init__(message)
        self.message = message
        self.code = str(code)

    def __str__(self) -> str:
        return self.message


class TenancyError(DomainError):
    """The framework's own refusals."""


class TenancyErrorCode(StrEnum):
    NOT_A_MEMBER = "not_a_member"
