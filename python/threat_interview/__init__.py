"""threat_interview: the interview phase of threat modeling, from Python.

Load an engagement, validate it, generate the questions to ask, merge them, record the answers,
look at coverage and plan the interviews. Everything is computed by the Rust library; this
package re-exports its native module ``threat_interview._native``.

>>> import threat_interview as ti
>>> e = ti.load("examples/engagements/online-shop.json")  # doctest: +SKIP
>>> questions = e.generate_questions()  # doctest: +SKIP
>>> e.merge(questions)  # doctest: +SKIP
>>> e.save()  # doctest: +SKIP

Models from other tools come in with ``import_file`` (OWASP Threat Dragon, Open Threat Model)
and go out with ``Engagement.to_otm()``.

Errors are classes a program can catch (``threat_interview._errors``): ``ThreatInterviewError``
is the base; ``ValidationError`` (also a ``ValueError``) carries ``.errors``, a list of
``threat_interview.types.Diagnostic`` dicts with the ``code``, ``pointer``, ``message``,
``line`` and ``column`` of each problem; ``BankError`` is for question banks,
``ForeignFormatError`` for files from other tools, ``ConflictError`` for a save refused because
the file changed since it was loaded. A file that cannot be read raises ``OSError``
(``FileNotFoundError``, ``PermissionError``...) with its ``filename``.
"""

from collections.abc import Sequence

from threat_interview import types
from threat_interview._errors import (
    BankError,
    ConflictError,
    ForeignFormatError,
    ThreatInterviewError,
    ValidationError,
)
from threat_interview._native import (
    SCHEMA_VERSION,
    Coverage,
    Engagement,
    QuestionList,
    ValidationReport,
    __version__,
    import_file,
    load,
    loads,
    packs,
    schema,
    validate,
)

# A QuestionList reads like any other sequence.
Sequence.register(QuestionList)

__all__ = [
    "SCHEMA_VERSION",
    "BankError",
    "ConflictError",
    "Coverage",
    "Engagement",
    "ForeignFormatError",
    "QuestionList",
    "ThreatInterviewError",
    "ValidationError",
    "ValidationReport",
    "__version__",
    "import_file",
    "load",
    "loads",
    "packs",
    "schema",
    "types",
    "validate",
]
