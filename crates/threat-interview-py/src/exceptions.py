# The exception classes of threat_interview, defined by the native module when it is imported.
# They are written in Python because `ValidationError` derives from two classes
# (`ThreatInterviewError` and `ValueError`), which a Rust-defined exception cannot.


class ThreatInterviewError(Exception):
    """The base class of every error threat_interview raises on purpose."""


class ValidationError(ThreatInterviewError, ValueError):
    """An engagement that is not valid.

    ``errors`` lists every problem found, each a dict with ``code`` (a stable identifier such
    as ``flow-target-missing``), ``pointer`` (the JSON Pointer of the value concerned, such as
    ``/model/flows/3/target``; empty for the whole document), ``message``, ``line`` and
    ``column`` (from 1, or ``None`` when unknown) and ``severity``.
    """

    def __init__(self, message, errors=None):
        super().__init__(message)
        self.errors = list(errors) if errors is not None else []


class BankError(ThreatInterviewError, ValueError):
    """A question bank that cannot be read or used.

    ``errors`` lists the problems found, as for ``ValidationError``; ``bank`` names the bank
    when it is known.
    """

    def __init__(self, message, errors=None, bank=None):
        super().__init__(message)
        self.errors = list(errors) if errors is not None else []
        self.bank = bank


class ForeignFormatError(ThreatInterviewError, ValueError):
    """A file from another threat-modeling tool that cannot be imported.

    ``format`` names the tool's format when it is known; ``errors`` lists the problems found,
    as for ``ValidationError``.
    """

    def __init__(self, message, errors=None, format=None):
        super().__init__(message)
        self.errors = list(errors) if errors is not None else []
        self.format = format
