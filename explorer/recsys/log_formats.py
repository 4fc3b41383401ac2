"""Interaction-log and item-metadata layouts as people have them, recognised without flags.

:mod:`explorer.recsys.interactions` reads delimited tables (CSV, TSV, ``;``, ``|``, ``::``) into
frames of strings; this module recognises the layouts on top of that and turns them into plain
column names and values:

* **RecBole atomic files** (``.inter``, ``.item``, ``.user``): a tab-separated header of
  ``name:type`` fields (``user_id:token item_id:token rating:float timestamp:float``). The types
  are stripped from the names (``user_id``) and remembered; ``token_seq`` fields hold
  space-separated tokens (``class:token_seq`` = ``"Animation Children's Comedy"``), so a category
  column of that type is split on spaces.
* **MovieLens 100K** as downloaded: ``u.data`` (tab-separated ``user item rating timestamp``,
  no header; read by position) and ``u.item`` (pipe-separated, Latin-1, no header:
  ``id|title|release date|video release date|IMDb URL|`` then 19 0/1 genre flags), whose flags
  become a ``genre`` column ``"Animation|Children's|Comedy"`` (:data:`ML100K_GENRES`).
* **MovieLens 1M**: ``ratings.dat`` / ``movies.dat`` with ``::`` separators and ``Genre|Genre``.
* **JSON lines**: one object per line; list values (``"genres": ["A", "B"]``) are joined with ``|``.

The encoding of every file is detected by the corpus decoder (UTF-8, BOMs, Latin-1, GBK, ...).

The title and category columns of item metadata are guessed by name (:func:`guess_title_column`,
:func:`guess_category_column`) and can be given explicitly.

    >>> typed_header(["user_id:token", "item_id:token", "rating:float"])
    {'user_id': 'token', 'item_id': 'token', 'rating': 'float'}
    >>> guess_title_column(["item_id", "movie_title", "release_year", "class"])
    'movie_title'
    >>> guess_category_column(["item_id", "movie_title", "release_year", "class"])
    'class'
    >>> split_genres("Animation|Children's|Comedy")
    ['Animation', "Children's", 'Comedy']
    >>> split_genres("Animation Children's Comedy", sep=" ")
    ['Animation', "Children's", 'Comedy']
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Optional

import pandas as pd

from explorer.errors import ExplorerError

_TYPED = re.compile(r"^\s*(?P<name>[^:\s][^:]*?)\s*:\s*(?P<type>token_seq|token|float_seq|float)\s*$")

ML100K_GENRES = ("unknown", "Action", "Adventure", "Animation", "Children's", "Comedy", "Crime", "Documentary",
                 "Drama", "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery", "Romance", "Sci-Fi", "Thriller",
                 "War", "Western")
ML100K_ITEM_COLUMNS = ("item", "title", "release_date", "video_release_date", "imdb_url")

# normalised names (lower case letters and digits), best first
TITLE_NAMES = ("title", "movietitle", "name", "itemname", "itemtitle", "booktitle", "producttitle", "trackname",
               "songtitle", "tracktitle", "articletitle", "videotitle", "moviename", "bookname", "productname")
CATEGORY_NAMES = ("genre", "genres", "category", "categories", "class", "classes", "tag", "tags", "type", "types",
                  "group", "label", "labels", "topic", "topics", "section")
GENRE_SEPARATORS = r"[|;,/]"
SEQ_SEP = " "  # RecBole's token_seq separator


def _norm(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", str(name).lower())


# --------------------------------------------------------------------------- RecBole typed headers


def typed_header(names: Sequence[str]) -> Optional[dict[str, str]]:
    """``{name: type}`` when every name is a RecBole ``name:type`` field, else None."""
    out: dict[str, str] = {}
    for name in names:
        match = _TYPED.match(str(name))
        if match is None:
            return None
        out[match["name"]] = match["type"]
    return out or None


def strip_types(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """The frame with ``name:type`` column names shortened to ``name``; (frame, {name: type}).

    A frame whose names are not all typed is returned unchanged with an empty dict."""
    types = typed_header(list(frame.columns))
    if types is None:
        return frame, {}
    frame = frame.copy()
    frame.columns = list(types)
    return frame, types


# --------------------------------------------------------------------------- JSON lines


def is_json_lines(text: str) -> bool:
    """True when the first non-blank line of ``text`` is a JSON object."""
    for line in text.splitlines():
        line = line.strip()
        if line:
            return line.startswith("{") and line.endswith("}")
    return False


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "|".join(_cell(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value).strip()


def read_json_lines(text: str, source: str | Path) -> pd.DataFrame:
    """A frame of strings from JSON lines (one object per line; lists joined with ``|``)."""
    rows: list[dict] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ExplorerError(f"{source}: line {number} is not valid JSON ({exc.msg})", code="jsonl_invalid",
                                file=str(source), line=number) from None
        if not isinstance(obj, dict):
            raise ExplorerError(f"{source}: line {number} is not a JSON object", code="jsonl_invalid",
                                file=str(source), line=number)
        rows.append({str(k): _cell(v) for k, v in obj.items()})
    if not rows:
        raise ExplorerError(f"{source}: the file is empty", code="file_empty", file=str(source))
    frame = pd.DataFrame(rows, dtype=str).fillna("")
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


# --------------------------------------------------------------------------- MovieLens 100K u.item


def is_ml100k_items(frame: pd.DataFrame, had_header: bool) -> bool:
    """True for MovieLens 100K's ``u.item``: no header, 5 fields then 19 columns of 0/1 flags."""
    if had_header or frame.shape[1] != len(ML100K_ITEM_COLUMNS) + len(ML100K_GENRES) or len(frame) == 0:
        return False
    flags = frame.iloc[:, len(ML100K_ITEM_COLUMNS):]
    return bool(flags.isin(["0", "1"]).all().all())


def ml100k_items(frame: pd.DataFrame) -> pd.DataFrame:
    """``u.item``'s columns named, the genre flags turned into one ``genre`` column ``"A|B"``."""
    flags = frame.iloc[:, len(ML100K_ITEM_COLUMNS):].to_numpy() == "1"
    out = frame.iloc[:, : len(ML100K_ITEM_COLUMNS)].copy()
    out.columns = list(ML100K_ITEM_COLUMNS)
    out["genre"] = ["|".join(g for g, on in zip(ML100K_GENRES, row, strict=True) if on) for row in flags]
    return out


# --------------------------------------------------------------------------- title and category


def _guess(columns: Sequence[str], names: Sequence[str], skip: Sequence[str] = ()) -> Optional[str]:
    norm: dict[str, str] = {}
    for col in columns:
        if col not in skip:
            norm.setdefault(_norm(col), col)
    for name in names:
        if _norm(name) in norm:
            return norm[_norm(name)]
    return None


def guess_title_column(columns: Sequence[str], skip: Sequence[str] = ()) -> Optional[str]:
    """The column holding item titles (``title``, ``movie_title``, ``name`` ...), or None."""
    found = _guess(columns, TITLE_NAMES, skip)
    if found is None:  # any name containing "title"
        found = next((c for c in columns if c not in skip and "title" in _norm(c)), None)
    return found


def guess_category_column(columns: Sequence[str], skip: Sequence[str] = ()) -> Optional[str]:
    """The column holding item categories (``genre``, ``genres``, ``class``, ``category`` ...), or None."""
    found = _guess(columns, CATEGORY_NAMES, skip)
    if found is None:
        found = next((c for c in columns if c not in skip and ("genre" in _norm(c) or "categor" in _norm(c))), None)
    return found


def split_genres(value: str, sep: Optional[str] = None) -> list[str]:
    """The genres of one cell: ``"A|B|C"`` (also ``;``, ``,``, ``/``) or, with ``sep=" "``, ``"A B C"``."""
    if not value:
        return []
    parts = value.split(sep) if sep is not None else re.split(GENRE_SEPARATORS, value)
    return [p.strip() for p in parts if p.strip()]


def first_genre(value: str, sep: Optional[str] = None) -> str:
    """The first genre of a cell (``"Animation|Children's"`` -> ``"Animation"``), ``""`` when empty."""
    parts = split_genres(value, sep)
    return parts[0] if parts else ""
