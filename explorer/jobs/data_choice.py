"""The Data page's choice (which file, which settings), saved so that the URL can name it.

A reload starts a new Streamlit session with an empty ``st.session_state``; the page keeps
``?data=<key>`` in the URL instead, like the workspace (``?ws=``) and the run (``?run=``). The key
is ``<kind>-<20 hex digits>`` (kind ``text``, ``log``, ...; the digits hash the choice), and the
choice itself is a small JSON file ``EXPLORER_HOME/uploads/choices/<key>.json``. The URL never
carries a path: :func:`load_choice` accepts only well-formed keys, and only file paths that lie
in the uploads folder or the bundled samples folder (anything else is dropped).

    >>> import os, tempfile; os.environ["EXPLORER_HOME"] = tempfile.mkdtemp()
    >>> from explorer.jobs.workspaces import save_upload
    >>> path = save_upload(b"user,item\\n1,2\\n", ".csv")
    >>> key = save_choice("log", {"path": str(path), "name": "log.csv", "columns": {"user": "user"}})
    >>> load_choice(key)[1]["name"], load_choice("log-../../etc") is None
    ('log.csv', True)
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import uuid
from pathlib import Path
from typing import Any, Optional

from explorer.jobs.workspaces import uploads_dir
from explorer.paths import explorer_home

_KEY = re.compile(r"^(?P<kind>[a-z]{1,16})-(?P<digest>[0-9a-f]{20})$")
PATH_FIELDS = ("path", "items", "labels", "user_words")  # values that are files; each is checked on load


def _folder() -> Path:
    path = uploads_dir() / "choices"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _allowed(value: Any) -> bool:
    """Whether ``value`` is an existing file in the uploads or bundled samples folder."""
    if not isinstance(value, str) or not value:
        return False
    try:
        path = Path(value).resolve(strict=True)
    except (OSError, RuntimeError):
        return False
    roots = (uploads_dir().resolve(), (explorer_home() / "samples").resolve())
    return path.is_file() and any(path.is_relative_to(root) for root in roots)


def save_choice(kind: str, data: dict[str, Any]) -> str:
    """Save ``data`` (JSON-ready values) and return its key for the URL."""
    if not re.fullmatch(r"[a-z]{1,16}", kind):
        raise ValueError(f"data kind {kind!r}: expected lower-case letters")
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    key = f"{kind}-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:20]}"
    path = _folder() / f"{key}.json"
    if not path.is_file():
        tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    return key


def load_choice(key: Any) -> Optional[tuple[str, dict[str, Any]]]:
    """``(kind, data)`` saved under ``key``; None for a malformed or unknown key, or when the
    main file is gone. Optional files that are gone or lie outside the allowed folders are dropped."""
    match = _KEY.match(key) if isinstance(key, str) else None
    if match is None:
        return None
    try:
        data = json.loads((_folder() / f"{key}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not _allowed(data.get("path")):
        return None
    for name in PATH_FIELDS[1:]:
        if name in data and data[name] is not None and not _allowed(data[name]):
            data[name] = None
    return match["kind"], data
