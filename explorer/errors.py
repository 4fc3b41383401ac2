"""User-facing errors.

Every problem caused by the user's input (a missing file, an unknown word, a bad column) is raised
as :class:`ExplorerError` with a one-line message that names the file or parameter and the
problem. The CLI prints it as ``error: <message>`` and exits with status 2; pages show it next to
the control, translated: an error may carry a ``code`` and ``params`` that the UI looks up in the
``errors`` string table (:func:`explorer.i18n.error_text`); the English ``message`` is the CLI's text.

    >>> e = ExplorerError("dim must be at most 1000, got 5000", code="param_max", name="dim", max=1000, value=5000)
    >>> e.code, e.params["max"]
    ('param_max', 1000)
    >>> str(e)
    'dim must be at most 1000, got 5000'

Anything else is a bug and may surface as a traceback.
"""

from __future__ import annotations

from typing import Any, Optional


class ExplorerError(ValueError):
    """Bad input: the message is one line, shown to the user as is (or translated by ``code``)."""

    def __init__(self, message: str, *, code: Optional[str] = None, **params: Any) -> None:
        message = " ".join(str(message).split())  # one line, always
        super().__init__(message)
        self.code = code
        self.params = params


class TrainingStopped(Exception):
    """Raised inside a training loop when its callback asked it to stop (cancel).

    ``partial`` carries whatever the loop had (may be ``None``); callers that cancel usually
    discard it, so that a cancelled job never leaves a run directory behind.
    """

    def __init__(self, partial: object | None = None) -> None:
        super().__init__("training stopped by callback")
        self.partial = partial
