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
the file changed since it was loaded.

Other tools' files: ``import_file(path)`` reads a Threat Dragon or Open Threat Model file, a
Threat Modeling Tool ``.tm7`` or a Threats Manager Studio ``.tm`` or ``.tmj`` into an engagement
(its ``import_warnings`` say what could not be mapped); ``Engagement.to_otm()`` is the model as
Open Threat Model; ``export_tms(engagement, into, out)`` writes the questions and answers into a
copy of a ``.tm`` as topics to be clarified; ``export_tmq(path)`` writes the question bank as a
``.tmq`` question file. A file that cannot be read raises ``OSError`` (``FileNotFoundError``,
``PermissionError``...) with its ``filename``.
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
    export_tmq,
    export_tms,
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
    "export_tmq",
    "export_tms",
    "import_file",
    "load",
    "loads",
    "packs",
    "schema",
    "types",
    "validate",
]
