"""The exception classes of ``threat_interview``.

Every error the library raises on purpose is a ``ThreatInterviewError``. Those about input also
derive from ``ValueError``, so that code catching ``ValueError`` keeps working. Each carries its
problems as data: ``errors`` is a list of diagnostics (see ``threat_interview.types.Diagnostic``),
each with a stable ``code``, the JSON ``pointer`` of the value concerned, a ``message``, and the
``line`` and ``column`` when it came from a file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

if TYPE_CHECKING:
    from threat_interview.types import Diagnostic

__all__ = [
    "BankError",
    "ConflictError",
    "ForeignFormatError",
    "ThreatInterviewError",
    "ValidationError",
]


class ThreatInterviewError(Exception):
    """The base class of every error threat_interview raises on purpose."""


class ValidationError(ThreatInterviewError, ValueError):
    """An engagement (or an edit of one) that is not valid; ``errors`` lists every problem."""

    errors: list[Diagnostic]

    def __init__(self, message: str, errors: Optional[list[Diagnostic]] = None) -> None:
        super().__init__(message)
        self.errors = list(errors) if errors is not None else []


class BankError(ThreatInterviewError, ValueError):
    """A question bank that cannot be read, or banks that conflict when layered.

    ``errors`` lists the problems, with the same codes the command line prints; ``bank`` names
    the bank (its path, or its id) when it is known.
    """

    errors: list[Diagnostic]
    bank: Optional[str]

    def __init__(
        self,
        message: str,
        errors: Optional[list[Diagnostic]] = None,
        bank: Optional[str] = None,
    ) -> None:
        super().__init__(message)
        self.errors = list(errors) if errors is not None else []
        self.bank = bank


class ForeignFormatError(ThreatInterviewError, ValueError):
    """A file from another threat-modeling tool that cannot be imported.

    ``format`` names the tool's format when it is known; ``errors`` lists the problems, each
    with the JSON Pointer of the place in the foreign file.
    """

    errors: list[Diagnostic]
    format: Optional[str]

    def __init__(
        self,
        message: str,
        errors: Optional[list[Diagnostic]] = None,
        format: Optional[str] = None,
    ) -> None:
        super().__init__(message)
        self.errors = list(errors) if errors is not None else []
        self.format = format


class ConflictError(ThreatInterviewError):
    """A save refused because the file changed since it was loaded.

    Saving would have overwritten someone else's work (an answer recorded from another
    process, say). Load the file again, redo the change, and save. ``path`` is the file.
    """

    path: str

    def __init__(self, message: str, path: str = "") -> None:
        super().__init__(message)
        self.path = path
