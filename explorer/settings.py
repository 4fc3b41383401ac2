"""Settings: every ``EXPLORER_*`` environment variable is read here, and nowhere else.

Each accessor reads ``os.environ`` when it is called (tests and servers change variables at run time,
and the worker sets some for the processes it starts). A blank value counts as unset. A value that does
not parse is refused with one line naming the variable (an :class:`~explorer.errors.ExplorerError` with
a code, translated in the UI)::

    >>> import os
    >>> os.environ["EXPLORER_MAX_FIELDS"] = "lots"
    >>> max_fields()
    Traceback (most recent call last):
    ...
    explorer.errors.ExplorerError: EXPLORER_MAX_FIELDS: not a number: 'lots'
    >>> os.environ["EXPLORER_MAX_FIELDS"] = "20"
    >>> max_fields()
    20
    >>> del os.environ["EXPLORER_MAX_FIELDS"]

Writing variables is allowed elsewhere: it configures other processes or libraries, not this program's
settings (the worker sets ``EXPLORER_JOB_THREADS`` and the OpenMP/BLAS thread counts for its job
processes, and ``EXPLORER_HOME`` and ``EXPLORER_WORKER_IDLE_EXIT`` for a worker it starts;
:mod:`explorer.threads` sets the OpenMP/BLAS variables). ``tests/test_architecture.py`` checks that no
module but this one reads an ``EXPLORER_*`` variable.

Flags accept ``1``/``true``/``yes``/``on`` and ``0``/``false``/``no``/``off``.

Data and workspaces

- ``EXPLORER_HOME`` (path; default ``~/.embedding-explorer``): the data home: uploads, the corpus cache,
  runs per workspace, the job table, the queue storage, classes, logs.
- ``EXPLORER_WORKSPACE`` (workspace token; default: a token kept in ``EXPLORER_HOME/cli_workspace``):
  the command line's workspace (``class join`` prints one to set here).
- ``EXPLORER_TEACHER_TOKEN`` (text; no default): the teacher token for ``python -m explorer class ...``
  when ``--teacher`` is not given.
- ``EXPLORER_BASE_URL`` (URL; default: the address the teacher's browser opened, else
  ``http://localhost:8501``): the app's address in class join links.

Jobs and workers

- ``EXPLORER_QUEUE_URL`` (URL; default SQLite in the data home): the queue storage, ``sqlite:////abs/file``
  or ``redis://host:port/db`` (many machines).
- ``EXPLORER_START_WORKER`` (flag; default 1): the app and the command line start a worker when none is
  alive; 0 when workers run elsewhere.
- ``EXPLORER_WORKER_CONCURRENCY`` (whole number >= 1; default 2): processes of an auto-started worker
  (training lanes and one interactive lane).
- ``EXPLORER_WORKER_IDLE_EXIT`` (seconds, whole number >= 0; default 0 = never, 3600 for an auto-started
  worker): a worker with no jobs for this long exits.
- ``EXPLORER_WORKER_PRELOAD`` (flag; default 1): worker processes import and warm up the training and
  projection code when they start.
- ``EXPLORER_TRAINING_NICE`` (whole number >= 0; default 5): how much lower the training lanes' CPU
  priority is than the interactive lane's (0: the same).
- ``EXPLORER_JOB_THREADS`` (whole number >= 1; default every usable core): threads one job may use;
  the worker sets it for its job processes.
- ``EXPLORER_HEARTBEAT_TIMEOUT`` (seconds >= 0; default 10, at least twice the heartbeat): a running job
  whose worker is silent this long counts as dead.
- ``EXPLORER_JOBS_JOURNAL`` (``wal`` or ``delete``; default ``wal``): the SQLite journal of the job table and
  the class database; ``delete`` for a data home on a network filesystem.

Limits on input

- ``EXPLORER_MAX_UPLOAD_MB`` (megabytes > 0; default the app's ``server.maxUploadSize``, else 200): the
  largest upload.
- ``EXPLORER_MAX_IMPORT_MB`` (megabytes > 0; default 500): the largest vector file imported as a run.
- ``EXPLORER_MAX_GRAPH_EDGES`` (whole number >= 1; default 5,000,000): edges read from one edge list.
- ``EXPLORER_MAX_LINE_CHARS`` (>= 1; default 1,000,000): characters in one line of any text file.
- ``EXPLORER_MAX_FIELDS`` (>= 1; default 10,000): columns in one row of a CSV/TSV file, or values in one
  row of a vector file.
- ``EXPLORER_MAX_FIELD_CHARS`` (>= 1; default 100,000): characters in one cell of a log, metadata or
  vector file.
- ``EXPLORER_MAX_UNZIPPED_MB`` (>= 1; default 4096): megabytes decompressed from one zip, counted as
  they come out.
- ``EXPLORER_MAX_MODEL_MB`` (megabytes > 0; default 80 % of the memory available when a training
  starts): the memory a model's tables may take.

Sentence encoders

- ``EXPLORER_EMBEDDINGS_URL`` (URL; default none: the endpoint encoder is off): the base URL of an
  OpenAI-compatible embeddings API (``http://host:port/v1``; ``/embeddings`` is appended), a school's own
  server or a hosted API.
- ``EXPLORER_EMBEDDINGS_MODEL`` (text; default ``text-embedding-3-small``): the ``model`` sent to it.
- ``EXPLORER_EMBEDDINGS_KEY`` (text; default none): the bearer key sent to it.
- ``EXPLORER_EMBEDDINGS_TIMEOUT`` (seconds > 0; default 60): how long one request may take.

Training

- ``EXPLORER_NATIVE_KERNELS`` (flag; default 1): the word2vec job runs from its machine code, loaded without numba
  (:mod:`explorer.training.sgns.native`); 0: numba's job only (the same vectors, a slower start).

Command line

- ``EXPLORER_NO_PROGRESS`` (flag; default 0): no progress bars on the command line.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Optional

from explorer.errors import ExplorerError

JOB_THREADS_VAR = "EXPLORER_JOB_THREADS"
DEFAULT_MAX_GRAPH_EDGES = 5_000_000
DEFAULT_MAX_IMPORT_MB = 500.0
JOURNAL_MODES = ("wal", "delete")
_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")


# --------------------------------------------------------------------------- one parser per type


def _raw(name: str) -> Optional[str]:
    """The stripped value of ``name``, or None when it is unset or blank."""
    value = os.environ.get(name, "").strip()
    return value or None


def _text(name: str, default: str = "") -> str:
    return _raw(name) or default


def _flag(name: str, default: bool) -> bool:
    raw = _raw(name)
    if raw is None:
        return default
    if raw.lower() in _TRUE:
        return True
    if raw.lower() in _FALSE:
        return False
    raise ExplorerError(f"{name}: expected 1 or 0, got {raw[:40]!r}", code="env_flag", name=name, value=raw[:40])


def _check_min(name: str, raw: str, value: float, minimum: Optional[float], positive: bool) -> None:
    if positive and not value > 0:
        raise ExplorerError(f"{name} must be greater than 0, got {raw[:40]}", code="param_gt", name=name, min=0,
                            value=raw[:40])
    if minimum is not None and value < minimum:
        raise ExplorerError(f"{name} must be at least {minimum:g}, got {raw[:40]}", code="param_min", name=name,
                            min=f"{minimum:g}", value=raw[:40])


def _integer(name: str, minimum: Optional[int] = None) -> Optional[int]:
    """A whole number, or None when unset."""
    raw = _raw(name)
    if raw is None:
        return None
    try:
        value = int(raw)
    except ValueError:
        raise ExplorerError(f"{name}: not a whole number: {raw[:40]!r}", code="env_integer", name=name,
                            value=raw[:40]) from None
    _check_min(name, raw, value, minimum, positive=False)
    return value


def _number(name: str, minimum: Optional[float] = None, positive: bool = False) -> Optional[float]:
    """A finite number, or None when unset."""
    raw = _raw(name)
    if raw is None:
        return None
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise ExplorerError(f"{name}: not a number: {raw[:40]!r}", code="env_number", name=name, value=raw[:40])
    _check_min(name, raw, value, minimum, positive)
    return value


def _choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    raw = _raw(name)
    if raw is None:
        return default
    if raw.lower() not in choices:
        raise ExplorerError(f"{name} must be one of {', '.join(choices)}, got {raw[:40]}", code="param_choice",
                            name=name, choices=", ".join(choices), value=raw[:40])
    return raw.lower()


def _or(value: Optional[float], default: float) -> float:
    return default if value is None else value


# --------------------------------------------------------------------------- data and workspaces


def home() -> Path:
    """``EXPLORER_HOME``: the data home (not created here: :func:`explorer.paths.explorer_home` does)."""
    raw = _raw("EXPLORER_HOME")
    return Path(raw) if raw else Path.home() / ".embedding-explorer"


def workspace() -> str:
    """``EXPLORER_WORKSPACE``: the command line's workspace token as given ("" when unset; checked by
    :func:`explorer.jobs.workspaces.cli_workspace`)."""
    return _text("EXPLORER_WORKSPACE")


def teacher_token() -> str:
    """``EXPLORER_TEACHER_TOKEN`` ("" when unset)."""
    return _text("EXPLORER_TEACHER_TOKEN")


def base_url() -> str:
    """``EXPLORER_BASE_URL`` without a trailing slash ("" when unset)."""
    return _text("EXPLORER_BASE_URL").rstrip("/")


# --------------------------------------------------------------------------- jobs and workers


def queue_url() -> str:
    """``EXPLORER_QUEUE_URL`` ("" when unset: SQLite in the data home)."""
    return _text("EXPLORER_QUEUE_URL")


def start_worker() -> bool:
    """``EXPLORER_START_WORKER``: start a worker when none is alive (default True)."""
    return _flag("EXPLORER_START_WORKER", True)


def worker_concurrency() -> int:
    """``EXPLORER_WORKER_CONCURRENCY``: processes of an auto-started worker (default 2)."""
    return int(_or(_integer("EXPLORER_WORKER_CONCURRENCY", 1), 2))


def worker_idle_exit() -> int:
    """``EXPLORER_WORKER_IDLE_EXIT``: seconds without jobs before a worker exits (default 0: never)."""
    return int(_or(_integer("EXPLORER_WORKER_IDLE_EXIT", 0), 0))


def worker_preload() -> bool:
    """``EXPLORER_WORKER_PRELOAD``: worker processes warm up when they start (default True)."""
    return _flag("EXPLORER_WORKER_PRELOAD", True)


def training_nice() -> int:
    """``EXPLORER_TRAINING_NICE``: how much lower the training lanes' CPU priority is (default 5)."""
    return int(_or(_integer("EXPLORER_TRAINING_NICE", 0), 5))


def job_threads() -> Optional[int]:
    """``EXPLORER_JOB_THREADS``: threads one job may use (None when unset: every usable core)."""
    return _integer(JOB_THREADS_VAR, 1)


def heartbeat_timeout() -> float:
    """``EXPLORER_HEARTBEAT_TIMEOUT``: seconds of worker silence after which a running job is dead (default 10)."""
    return _or(_number("EXPLORER_HEARTBEAT_TIMEOUT", 0), 10.0)


def jobs_journal() -> str:
    """``EXPLORER_JOBS_JOURNAL``: ``wal`` (default) or ``delete``."""
    return _choice("EXPLORER_JOBS_JOURNAL", "wal", JOURNAL_MODES)


# --------------------------------------------------------------------------- limits on input


def max_upload_mb() -> Optional[float]:
    """``EXPLORER_MAX_UPLOAD_MB`` (None when unset: the app's ``server.maxUploadSize``)."""
    return _number("EXPLORER_MAX_UPLOAD_MB", positive=True)


def max_import_mb() -> float:
    """``EXPLORER_MAX_IMPORT_MB``: the largest vector file imported (default 500)."""
    return _or(_number("EXPLORER_MAX_IMPORT_MB", positive=True), DEFAULT_MAX_IMPORT_MB)


def max_graph_edges() -> int:
    """``EXPLORER_MAX_GRAPH_EDGES``: edges read from one edge list (default 5,000,000)."""
    return int(_or(_integer("EXPLORER_MAX_GRAPH_EDGES", 1), DEFAULT_MAX_GRAPH_EDGES))


def max_line_chars() -> int:
    """``EXPLORER_MAX_LINE_CHARS``: characters in one line (default 1,000,000)."""
    return int(_or(_number("EXPLORER_MAX_LINE_CHARS", 1), 1_000_000))


def max_fields() -> int:
    """``EXPLORER_MAX_FIELDS``: columns in one row (default 10,000)."""
    return int(_or(_number("EXPLORER_MAX_FIELDS", 1), 10_000))


def max_field_chars() -> int:
    """``EXPLORER_MAX_FIELD_CHARS``: characters in one cell (default 100,000)."""
    return int(_or(_number("EXPLORER_MAX_FIELD_CHARS", 1), 100_000))


def max_unzipped_bytes() -> int:
    """``EXPLORER_MAX_UNZIPPED_MB`` in bytes: decompressed from one zip (default 4096 MB)."""
    return int(_or(_number("EXPLORER_MAX_UNZIPPED_MB", 1), 4096) * 2**20)


def max_model_mb() -> Optional[float]:
    """``EXPLORER_MAX_MODEL_MB`` (None when unset: 80 % of the available memory)."""
    return _number("EXPLORER_MAX_MODEL_MB", positive=True)


# --------------------------------------------------------------------------- sentence encoders


def embeddings_url() -> str:
    """``EXPLORER_EMBEDDINGS_URL``: base URL of an OpenAI-compatible embeddings API ("" when off)."""
    return _text("EXPLORER_EMBEDDINGS_URL").rstrip("/")


def embeddings_model() -> str:
    """``EXPLORER_EMBEDDINGS_MODEL``: the model name sent to the embeddings API."""
    return _text("EXPLORER_EMBEDDINGS_MODEL", "text-embedding-3-small")


def embeddings_key() -> str:
    """``EXPLORER_EMBEDDINGS_KEY``: the bearer key of the embeddings API ("" when none)."""
    return _text("EXPLORER_EMBEDDINGS_KEY")


def embeddings_timeout() -> float:
    """``EXPLORER_EMBEDDINGS_TIMEOUT``: seconds one request to the embeddings API may take (default 60)."""
    return _or(_number("EXPLORER_EMBEDDINGS_TIMEOUT", positive=True), 60.0)


# --------------------------------------------------------------------------- training


def native_kernels() -> bool:
    """``EXPLORER_NATIVE_KERNELS``: the word2vec job may run from its machine code without numba (default True)."""
    return _flag("EXPLORER_NATIVE_KERNELS", True)


# --------------------------------------------------------------------------- command line


def no_progress() -> bool:
    """``EXPLORER_NO_PROGRESS``: no progress bars on the command line (default False)."""
    return _flag("EXPLORER_NO_PROGRESS", False)
