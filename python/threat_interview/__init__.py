"""threat_interview: the interview phase of threat modeling, from Python.

Load an engagement, validate it, generate the questions to ask, record the answers and look
at coverage. Everything is computed by the Rust library; this package re-exports its native
module ``threat_interview._native``.

>>> import threat_interview as ti
>>> e = ti.load("examples/engagements/online-shop.json")  # doctest: +SKIP
>>> e.name  # doctest: +SKIP
'Tidewater Supply online shop, standard review'

Errors are classes a program can catch: ``ThreatInterviewError`` is the base;
``ValidationError`` (also a ``ValueError``) carries ``.errors``, a list of dicts with the
``pointer``, ``code``, ``message``, ``line`` and ``column`` of each problem; ``BankError`` is
for question banks and ``ForeignFormatError`` for files from other tools. A file that cannot
be read raises ``OSError`` (``FileNotFoundError``, ``PermissionError``...) with its
``filename``.
"""

from collections.abc import Sequence

from threat_interview._native import (
    SCHEMA_VERSION,
    BankError,
    Coverage,
    Engagement,
    ForeignFormatError,
    QuestionList,
    ThreatInterviewError,
    ValidationError,
    ValidationReport,
    __version__,
    load,
    loads,
    schema,
    validate,
)

# A QuestionList reads like any other sequence.
Sequence.register(QuestionList)

__all__ = [
    "SCHEMA_VERSION",
    "BankError",
    "Coverage",
    "Engagement",
    "ForeignFormatError",
    "QuestionList",
    "ThreatInterviewError",
    "ValidationError",
    "ValidationReport",
    "__version__",
    "load",
    "loads",
    "schema",
    "validate",
]
