"""Reading user-item interaction logs and item metadata.

A log is a delimited text file with one interaction per row: a user id, an item id and optionally
a rating, a 0/1 label and a time. Supported layouts:

* CSV, TSV, ``;`` or ``|`` separated, or ``::`` separated (MovieLens ``ratings.dat``:
  ``1::1193::5::978300760``); the delimiter is detected from the first lines;
* with or without a header row (detected). Without a header the columns are named by their
  1-based position (``"1"``, ``"2"``, ...) and read as ``user, item, rating, time`` in that order,
  which is the MovieLens ``u.data`` / ``ratings.dat`` convention;
* UTF-8 with or without a byte-order mark; other encodings are detected (charset-normalizer).

Columns are guessed from common names (:func:`guess_columns`) and can be given explicitly. Every
kept row is a positive interaction, except rows whose label column is 0 (observed negatives).
``min_rating`` keeps only rows rated at least that much. Repeated (user, item) rows are merged
into one: positive if any of them is, with the highest rating and the latest time.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import numpy as np
import pandas as pd

from explorer.errors import ExplorerError
from explorer.recsys import log_formats
from explorer.text.limits import check_row, limits
from explorer.text.readers import file_sha256, text_lines

ROLES = ("user", "item", "rating", "time", "label")

# Normalised header names (lower case, letters and digits only) for each role, best first.
_NAMES: dict[str, tuple[str, ...]] = {
    "user": ("user", "userid", "uid", "users", "username", "customer", "customerid", "visitorid",
             "reviewerid", "memberid", "member", "reader", "readerid", "listener", "viewer"),
    "item": ("item", "itemid", "iid", "movieid", "movie", "product", "productid", "sku", "asin",
             "items", "track", "trackid", "song", "songid", "book", "bookid", "isbn", "article",
             "articleid", "video", "videoid", "artist", "artistid", "business", "businessid"),
    "rating": ("rating", "ratings", "score", "stars", "star", "rate", "overall", "preference"),
    "time": ("timestamp", "time", "ts", "date", "datetime", "unixtime", "unixreviewtime",
             "eventtime", "createdat", "created", "when"),
    "label": ("label", "click", "clicked", "clicks", "isclick", "target", "liked", "like",
              "interacted", "purchased", "y"),
}
_ITEM_META_ID = ("item", "itemid", "iid", "movieid", "id", "product", "productid", "sku", "asin",
                 "trackid", "songid", "bookid", "isbn", "articleid", "videoid", "movie")
GENRE_COLUMNS = ("genre", "genres", "category", "categories", "class", "label", "type", "group")
_DELIMITERS = ("\t", ",", ";", "|")
_SEP_MARK = "\x1f"  # ``::`` is rewritten to this single character so pandas' C parser can split it


@dataclass
class Interactions:
    """A parsed interaction log with compact integer ids.

    user_ids:   index -> original user id string (n_users,)
    item_ids:   index -> original item id string (n_items,)
    users:      int32 (n,) user index per interaction
    items:      int32 (n,) item index per interaction
    labels:     float32 (n,) 1 = positive, 0 = observed negative
    timestamps: float64 (n,) seconds (any monotone unit), or None when the log has no time
    ratings:    float64 (n,) or None when the log has no rating column
    columns:    the column mapping used, role -> column name (None for absent roles)
    source:     the file the log was read from
    sha256:     hex digest of the file's bytes
    """

    user_ids: list[str]
    item_ids: list[str]
    users: np.ndarray
    items: np.ndarray
    labels: np.ndarray
    timestamps: Optional[np.ndarray] = None
    ratings: Optional[np.ndarray] = None
    columns: dict[str, Optional[str]] = field(default_factory=dict)
    source: str = ""
    sha256: str = ""

    def __len__(self) -> int:
        return int(self.users.shape[0])

    @property
    def n_users(self) -> int:
        return len(self.user_ids)

    @property
    def n_items(self) -> int:
        return len(self.item_ids)

    @property
    def density(self) -> float:
        """Share of the user x item matrix that holds an interaction."""
        return len(self) / float(self.n_users * self.n_items) if self.n_users and self.n_items else 0.0

    @property
    def positive(self) -> np.ndarray:
        """bool (n,): rows that are positive interactions."""
        return self.labels > 0


# --------------------------------------------------------------------------- columns


def _norm(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", str(name).lower())


def guess_columns(header: list[str]) -> dict[str, str | None]:
    """Map roles (user, item, rating, time, label) to header names by common spellings.

    >>> guess_columns(["userId", "movieId", "rating", "timestamp"])["item"]
    'movieId'
    """
    norm = {_norm(h): h for h in reversed(header)}  # first occurrence wins
    out: dict[str, str | None] = {}
    used: set[str] = set()
    for role in ROLES:
        out[role] = None
        for name in _NAMES[role]:
            if name in norm and norm[name] not in used:
                out[role] = norm[name]
                used.add(norm[name])
                break
    return out


def _read_text(path: Path) -> tuple[str, str]:
    """``(text, sha256)`` of a log or metadata file, read under the streaming limits (line length,
    field count and field size are checked line by line while reading: :func:`_bounded_table_lines`)."""
    path = Path(path)
    if not path.exists():
        raise ExplorerError(f"{path}: file not found", code="file_not_found", path=str(path))
    if not path.is_file():
        raise ExplorerError(f"{path}: not a file", code="file_not_file", file=str(path))
    lines = list(_bounded_table_lines(path))
    if not "".join(lines[:50]).strip():
        raise ExplorerError(f"{path}: is empty", code="file_empty", file=str(path))
    return "".join(lines), file_sha256(path)


def _bounded_table_lines(path: Path) -> Iterator[str]:
    """Lines of a delimited file, refusing a row with more than ``EXPLORER_MAX_FIELDS`` fields or a
    field longer than ``EXPLORER_MAX_FIELD_CHARS`` (and lines over ``EXPLORER_MAX_LINE_CHARS``)."""
    lim = limits()
    lines = text_lines(path, str(path))
    head: list[str] = []
    for line in lines:
        head.append(line)
        if len(head) >= 50:
            break
    # detect on the start of each line only: a huge field must meet the check below, not the csv module's limit
    delim = _detect_delimiter(_first_lines("".join(line[: min(lim.field_chars, 100_000)] + "\n" for line in head)))
    for lineno, line in enumerate(_chain(head, lines), start=1):
        if len(line) > min(lim.fields, lim.field_chars):  # shorter lines cannot break either limit
            cells = line.split() if delim == " " else line.rstrip("\r\n").split(delim)
            check_row(cells, str(path), lineno, lim)
        yield line


def _chain(head: list[str], rest: Iterator[str]) -> Iterator[str]:
    yield from head
    yield from rest


# --------------------------------------------------------------------------- table parsing


def _first_lines(text: str, n: int = 50) -> list[str]:
    lines = []
    for line in io.StringIO(text):
        line = line.rstrip("\r\n")
        if line.strip():
            lines.append(line)
            if len(lines) >= n:
                break
    return lines


def _detect_delimiter(lines: list[str]) -> str:
    if not lines:
        return ","
    if "::" in lines[0]:
        return "::"
    best, best_score = None, 0.0
    for delim in _DELIMITERS:
        counts = [len(next(csv.reader([ln], delimiter=delim))) - 1 for ln in lines[:20]]
        if min(counts) < 1:
            continue
        # consistent field counts beat many fields
        consistency = sum(c == counts[0] for c in counts) / len(counts)
        score = consistency * 10 + min(counts[0], 10) * 0.01
        if score > best_score:
            best, best_score = delim, score
    if best is not None:
        return best
    if len(lines[0].split()) > 1:
        return " "
    return ","


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def _split_line(line: str, delim: str) -> list[str]:
    if delim == "::":
        return [v.strip() for v in line.split("::")]
    if delim == " ":
        return line.split()
    return [v.strip() for v in next(csv.reader([line], delimiter=delim))]


def _has_header(rows: list[list[str]], known: Sequence[str] = ()) -> bool:
    """Guess whether the first row is a header (names, not data)."""
    first = rows[0]
    if any(_is_number(v) for v in first if v):
        return False
    if known and all(k in first for k in known):
        return True
    if any(_NAMES_ALL.get(_norm(v)) for v in first):
        return True
    rest = rows[1:]
    if not rest:
        return False
    for col in range(len(first)):
        if any(col < len(r) and _is_number(r[col]) for r in rest):
            return True  # a text cell above numbers: a column name
    # all text: a header name appears once, while ids repeat
    for col, value in enumerate(first):
        if any(col < len(r) and r[col] == value for r in rest):
            return False
    return True


_NAMES_ALL = {name: role for role, names in _NAMES.items() for name in names}


def _read_table(
    text: str, path: Path, known_cols: Sequence[str] = (), header: Optional[bool] = None
) -> tuple[pd.DataFrame, bool]:
    """Parse delimited text into a DataFrame of strings; (frame, had_header).

    header: None to detect whether the first row names the columns.
    """
    lines = _first_lines(text)
    if not lines:
        raise ExplorerError(f"{path}: the file is empty", code="file_empty", file=str(path))
    delim = _detect_delimiter(lines)
    if header is None:
        header = _has_header([_split_line(ln, delim) for ln in lines], known_cols)
    if delim == "::":
        text = text.replace("::", _SEP_MARK)
        sep = _SEP_MARK
    elif delim == " ":
        sep = r"\s+"
    else:
        sep = delim
    try:
        frame = pd.read_csv(
            io.StringIO(text), sep=sep, header=0 if header else None, dtype=str, keep_default_na=False,
            skip_blank_lines=True, engine="python" if sep == r"\s+" else "c",
            quoting=csv.QUOTE_NONE if delim in ("::", " ") else csv.QUOTE_MINIMAL,
        )
    except (pd.errors.ParserError, csv.Error) as exc:
        raise ExplorerError(f"{path}: cannot parse as a {_delim_name(delim)} table ({exc})", code="log_unparsable",
                            file=str(path), separator=_delim_name(delim), detail=str(exc)) from None
    except pd.errors.EmptyDataError:
        raise ExplorerError(f"{path}: the file is empty", code="file_empty", file=str(path)) from None
    if header:
        frame.columns = [str(c).strip() for c in frame.columns]
    else:
        frame.columns = [str(i + 1) for i in range(frame.shape[1])]
    frame = frame.fillna("")  # short rows: missing trailing cells are empty
    for col in frame.columns:
        frame[col] = frame[col].str.strip()
    return frame, header


def _delim_name(delim: str) -> str:
    return {"\t": "tab-separated", ",": "comma-separated", ";": "semicolon-separated",
            "|": "pipe-separated", "::": "'::'-separated", " ": "space-separated"}[delim]


def _table(text: str, path: Path, known_cols: Sequence[str] = (),
           header: Optional[bool] = None) -> tuple[pd.DataFrame, bool, dict[str, str]]:
    """:func:`_read_table` plus the layouts of :mod:`explorer.recsys.log_formats` (JSON lines,
    RecBole ``name:type`` headers); (frame, had_header, RecBole field types or {})."""
    if log_formats.is_json_lines(text):
        return log_formats.read_json_lines(text, path), True, {}
    first = _first_lines(text, 1)
    if first and log_formats.typed_header(first[0].split("\t")):
        header = True
    frame, had_header = _read_table(text, path, known_cols, header=header)
    if had_header:
        frame, types = log_formats.strip_types(frame)
        return frame, had_header, types
    return frame, had_header, {}


def _numeric(frame: pd.DataFrame, col: str, path: Path, what: str, offset: int) -> np.ndarray:
    values = pd.to_numeric(frame[col], errors="coerce").to_numpy(dtype=np.float64)
    bad = ~np.isfinite(values)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise ExplorerError(
            f"{path}: {what} column {col!r} is not numeric (line {row + offset}: {frame[col].iat[row]!r})",
            code="log_not_numeric", file=str(path), role=what, column=col, line=row + offset,
            value=str(frame[col].iat[row]),
        )
    return values


def _times(frame: pd.DataFrame, col: str, path: Path, offset: int) -> np.ndarray:
    raw = frame[col]
    values = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=np.float64)
    numbers = np.isfinite(values)
    if numbers.all():
        return values
    if numbers.any():  # a column of numbers with a stray cell: name that cell, not the first number
        row = int(np.flatnonzero(~numbers)[0])
        raise ExplorerError(f"{path}: time column {col!r} holds numbers but line {row + offset} does not: "
                            f"{raw.iat[row]!r}", code="log_time_mixed", file=str(path), column=col,
                            line=row + offset, value=str(raw.iat[row]))
    try:
        parsed = pd.to_datetime(raw, errors="coerce", format="mixed", utc=True)
    except (ValueError, TypeError):
        parsed = pd.Series(pd.NaT, index=raw.index)
    bad = parsed.isna().to_numpy()
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise ExplorerError(f"{path}: time column {col!r} holds neither numbers nor dates "
                            f"(line {row + offset}: {raw.iat[row]!r})", code="log_bad_time", file=str(path),
                            column=col, line=row + offset, value=str(raw.iat[row]))
    epoch = pd.Timestamp(0, tz="UTC")
    return (parsed - epoch).dt.total_seconds().to_numpy(dtype=np.float64)


def _natural_order(ids: np.ndarray) -> np.ndarray:
    """Unique ids sorted numerically when they are all integers, else as strings."""
    uniq = pd.unique(ids)
    try:
        as_int = np.array([int(v) for v in uniq], dtype=np.int64)
    except (ValueError, OverflowError):
        return np.sort(uniq.astype(str))
    return uniq[np.argsort(as_int, kind="stable")]


def _resolve_columns(frame: pd.DataFrame, had_header: bool, columns: dict | None, path: Path) -> dict:
    given = {k: v for k, v in (columns or {}).items() if v not in (None, "")}
    for role in given:
        if role not in ROLES:
            raise ExplorerError(f"unknown column role {role!r} (expected one of {', '.join(ROLES)})",
                                code="log_unknown_role", value=str(role), choices=", ".join(ROLES))
    check_distinct_columns(given)
    available = list(frame.columns)
    if had_header:
        mapping = guess_columns(available)
    else:  # MovieLens order: user, item, rating, time
        mapping = dict.fromkeys(ROLES)
        for role, pos in (("user", 0), ("item", 1), ("rating", 2), ("time", 3)):
            if pos < len(available):
                mapping[role] = available[pos]
    for role, col in given.items():
        mapping[role] = str(col)
        for other in ROLES:  # a column given for one role is not also guessed for another
            if other != role and other not in given and mapping.get(other) == str(col):
                mapping[other] = None
    listing = ", ".join(available)
    note = "" if had_header else " (no header row: columns are numbered from 1)"
    for role, col in mapping.items():
        if col is not None and col not in frame.columns:
            raise ExplorerError(f"{path}: no {role} column {col!r}; available columns: {listing}{note}",
                                code="log_unknown_column", file=str(path), role=role, column=col, columns=listing)
    for role in ("user", "item"):
        if mapping[role] is None:
            raise ExplorerError(
                f"{path}: cannot find the {role} column; available columns: {listing}{note}"
                f" (name it with --{role}-col)",
                code="log_no_column", file=str(path), role=role, columns=listing,
            )
    if not had_header:  # positional guesses must hold numbers
        for role in ("rating", "time"):
            col = mapping[role]
            if col is not None and role not in given:
                if pd.to_numeric(frame[col].head(1000), errors="coerce").isna().any():
                    mapping[role] = None
    return mapping


def check_distinct_columns(given: dict) -> None:
    """Each role needs its own column: ``--user-col X --item-col X`` is a contradiction, not a log."""
    seen: dict[str, str] = {}
    for role, col in given.items():
        if str(col) in seen:
            raise ExplorerError(f"--{seen[str(col)]}-col and --{role}-col: both name the column {str(col)[:60]!r}; "
                                "each role needs its own column", code="columns_same", first=seen[str(col)],
                                second=role, column=str(col)[:60])
        seen[str(col)] = role


def read_columns(path: Path) -> list[str]:
    """Column names of an interaction log exactly as :func:`read_interactions` accepts them
    (``"1"``, ``"2"``, ... when the file has no header): for a column-mapping editor."""
    path = Path(path)
    if not path.is_file():
        _read_text(path)  # the usual "file not found" / "not a file" message
    head: list[str] = []
    for line in _bounded_table_lines(path):  # the first rows are enough: never the whole log
        head.append(line)
        if len(head) >= 200:
            break
    frame, _, _ = _table("".join(head), path)
    return [str(c) for c in frame.columns]


def read_interactions(
    path: Path, columns: dict | None = None, min_rating: float | None = None
) -> Interactions:
    """Read an interaction log (see the module docstring for the formats).

    columns:    role -> column name overrides, roles ``user, item, rating, time, label``
                (None values are guessed); for a file without a header use "1", "2", ...
    min_rating: keep only rows whose rating is >= this (needs a rating column).
    """
    path = Path(path)
    text, digest = _read_text(path)
    known = [v for v in (columns or {}).values() if v]
    frame, had_header, _ = _table(text, path, known)
    offset = 2 if had_header else 1  # frame row -> line number in the file
    mapping = _resolve_columns(frame, had_header, columns, path)
    if len(frame) == 0:
        raise ExplorerError(f"{path}: the log has no rows", code="log_no_rows", file=str(path))

    users_raw = frame[mapping["user"]].to_numpy(dtype=object)
    items_raw = frame[mapping["item"]].to_numpy(dtype=object)
    for role, raw in (("user", users_raw), ("item", items_raw)):
        empty = np.flatnonzero(raw == "")
        if empty.size:
            raise ExplorerError(f"{path}: empty {role} id in column {mapping[role]!r} "
                                f"(line {int(empty[0]) + offset})", code="log_empty_id", file=str(path),
                                role=role, column=mapping[role], line=int(empty[0]) + offset)

    ratings = _numeric(frame, mapping["rating"], path, "rating", offset) if mapping["rating"] else None
    times = _times(frame, mapping["time"], path, offset) if mapping["time"] else None
    if mapping["label"]:
        labels = _labels(frame, mapping["label"], path, offset)
    else:
        labels = np.ones(len(frame), dtype=np.float32)

    keep = np.ones(len(frame), dtype=bool)
    if min_rating is not None:
        if ratings is None:
            raise ExplorerError(f"{path}: --min-rating needs a rating column; available columns: "
                                f"{', '.join(frame.columns)} (name it with --rating-col)",
                                code="log_min_rating_no_column", file=str(path), columns=", ".join(frame.columns))
        keep &= ratings >= float(min_rating)
        if not keep.any():
            raise ExplorerError(f"{path}: no rows left after --min-rating {min_rating:g} "
                                f"(ratings range {ratings.min():g}..{ratings.max():g})",
                                code="log_min_rating_empty", file=str(path), min_rating=f"{min_rating:g}",
                                low=f"{ratings.min():g}", high=f"{ratings.max():g}")

    df = pd.DataFrame({"u": users_raw[keep], "i": items_raw[keep], "y": labels[keep]})
    if ratings is not None:
        df["r"] = ratings[keep]
    if times is not None:
        df["t"] = times[keep]
    agg = {"y": "max"} | ({"r": "max"} if ratings is not None else {}) | ({"t": "max"} if times is not None else {})
    df = df.groupby(["u", "i"], sort=False, as_index=False).agg(agg)

    user_ids = _natural_order(df["u"].to_numpy())
    item_ids = _natural_order(df["i"].to_numpy())
    _check_count(path, "user", user_ids, mapping["user"])
    _check_count(path, "item", item_ids, mapping["item"])
    users = pd.Index(user_ids).get_indexer(df["u"]).astype(np.int32)
    items = pd.Index(item_ids).get_indexer(df["i"]).astype(np.int32)
    order = np.lexsort((items, users))
    out = Interactions(
        user_ids=[str(u) for u in user_ids],
        item_ids=[str(i) for i in item_ids],
        users=users[order],
        items=items[order],
        labels=df["y"].to_numpy(dtype=np.float32)[order],
        timestamps=df["t"].to_numpy(dtype=np.float64)[order] if times is not None else None,
        ratings=df["r"].to_numpy(dtype=np.float64)[order] if ratings is not None else None,
        columns={role: mapping[role] for role in ROLES},
        source=str(path),
        sha256=digest,
    )
    if not out.positive.any():
        raise ExplorerError(f"{path}: no positive interactions (every label is 0)", code="log_no_positive",
                            file=str(path))
    return out


def _labels(frame: pd.DataFrame, col: str, path: Path, offset: int) -> np.ndarray:
    raw = frame[col].str.lower().replace({"true": "1", "false": "0", "yes": "1", "no": "0"})
    values = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=np.float64)
    bad = ~np.isfinite(values) | (values < 0)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise ExplorerError(f"{path}: label column {col!r} must hold 0/1 (line {row + offset}: "
                            f"{frame[col].iat[row]!r})", code="log_bad_label", file=str(path), column=col,
                            line=row + offset, value=str(frame[col].iat[row]))
    return (values > 0).astype(np.float32)


def _check_count(path: Path, role: str, ids: np.ndarray, col: str) -> None:
    if len(ids) < 2:
        only = f" ({ids[0]!s})" if len(ids) else ""
        raise ExplorerError(f"{path}: the log has only one {role}{only} in column {col!r}; "
                            f"a recommender needs at least 2 {role}s", code="log_one_id", file=str(path), role=role,
                            column=col)


# --------------------------------------------------------------------------- item metadata


@dataclass
class ItemTable:
    """An item metadata file as read, before it is aligned with a log's items.

    frame:        every row, string cells, columns named as in the file (RecBole types stripped;
                  MovieLens ``u.item``'s genre flags already turned into a ``genre`` column)
    id_col:       the column holding item ids
    title_col:    the guessed title column (None when no column looks like one)
    category_col: the guessed category column (None when no column looks like one)
    types:        RecBole field types by column name ({} for other files)
    """

    frame: pd.DataFrame
    id_col: str
    title_col: Optional[str]
    category_col: Optional[str]
    types: dict[str, str] = field(default_factory=dict)

    @property
    def columns(self) -> list[str]:
        """Metadata columns other than the id column."""
        return [str(c) for c in self.frame.columns if c != self.id_col]


def read_item_table(path: Path, item_ids: Sequence[str] = ()) -> ItemTable:
    """Read an item metadata file (see :mod:`explorer.recsys.log_formats` for the layouts).

    The id column is guessed by name (item, itemId, movieId, item_id, id, ...) or is the first
    column. A file without a header gets the names ``item, title, genre`` (three columns, like
    MovieLens ``movies.dat``) or ``item, title, col3, col4, ...``; MovieLens 100K's ``u.item``
    gets ``item, title, release_date, video_release_date, imdb_url, genre``. ``item_ids`` (the
    log's ids, optional) help to tell a header row from data.
    """
    path = Path(path)
    text, _ = _read_text(path)
    types: dict[str, str] = {}
    if log_formats.is_json_lines(text):
        frame, had_header, _ = _table(text, path)
    else:
        lines = _first_lines(text)
        if not lines:
            raise ExplorerError(f"{path}: the item metadata file is empty", code="file_empty", file=str(path))
        delim = _detect_delimiter(lines)
        rows = [_split_line(ln, delim) for ln in lines]
        first = rows[0]
        if log_formats.typed_header(first):
            header = True
        elif first[0] in set(map(str, item_ids)):
            header = False
        elif any(_norm(v) in _ITEM_META_ID + ("title", "name") + GENRE_COLUMNS for v in first):
            header = True
        else:
            header = _has_header(rows)
        frame, had_header, types = _table(text, path, header=header)
        if not had_header:
            n = frame.shape[1]
            if log_formats.is_ml100k_items(frame, had_header):
                frame = log_formats.ml100k_items(frame)
            else:
                names = ["item", "title", "genre"] if n == 3 else ["item", "title", *[f"col{c + 1}" for c in range(2, n)]]
                frame.columns = names[:n]
    if frame.shape[1] < 2:
        raise ExplorerError(f"{path}: item metadata needs an id column and at least one more column",
                            code="meta_one_column", file=str(path))
    norm = {_norm(c): c for c in reversed(list(frame.columns))}
    id_col = next((norm[n] for n in _ITEM_META_ID if n in norm), frame.columns[0])
    rest = [c for c in frame.columns if c != id_col]
    title = log_formats.guess_title_column(rest)
    category = log_formats.guess_category_column(rest, skip=[title] if title else ())
    return ItemTable(frame=frame, id_col=str(id_col), title_col=title, category_col=category, types=types)


def read_item_metadata(path: Path, item_ids: Sequence[str], title_col: Optional[str] = None,
                       category_col: Optional[str] = None) -> pd.DataFrame:
    """Item metadata (title, genre, ...) as strings, one row per id in ``item_ids``, same order.

    Columns keep the file's names (see :func:`read_item_table`). ``title_col`` / ``category_col``
    name the title and category columns (None: guessed); the frame's ``attrs`` record them as
    ``"title_col"`` and ``"category_col"`` (None when there is none). A RecBole ``token_seq``
    category (``"Animation Children's"``) is rewritten as ``"Animation|Children's"``, so that
    every category column separates genres with ``|``. Items missing from the file get empty
    strings; ids in the file but not in the log are ignored. Encodings are detected (GBK, ...).
    """
    path = Path(path)
    table = read_item_table(path, item_ids)
    for what, col in (("title", title_col), ("category", category_col)):
        if col and col not in table.columns:
            raise ExplorerError(f"{path}: no {what} column {col!r}; available columns: {', '.join(table.columns)}",
                                code="meta_no_column", file=str(path), what=what, column=col,
                                columns=", ".join(table.columns))
    title = title_col or table.title_col
    category = category_col or (table.category_col if table.category_col != title else None)
    frame = table.frame.drop_duplicates(subset=table.id_col, keep="first").set_index(table.id_col)
    frame.index = frame.index.astype(str)
    wanted = [str(i) for i in item_ids]
    n_matched = int(frame.index.isin(wanted).sum())
    example = str(frame.index[0]) if len(frame.index) else ""
    frame = frame.reindex(wanted).fillna("")
    frame.index.name = "item"
    frame.attrs["n_matched"] = n_matched  # ids of the file that are items of the log
    frame.attrs["example_id"] = example
    if category and table.types.get(category) == "token_seq":
        frame[category] = ["|".join(log_formats.split_genres(v, log_formats.SEQ_SEP)) for v in frame[category]]
    frame.attrs["title_col"] = title
    frame.attrs["category_col"] = category
    return frame


def metadata_mismatch(meta: pd.DataFrame, source: str, log_example: str = "") -> Optional[ExplorerError]:
    """A warning (an :class:`ExplorerError` to show, not to raise) when no id of the metadata file
    :func:`read_item_metadata` read is an item of the log: every title would silently be empty.

    >>> m = pd.DataFrame({"title": ["", ""]}, index=["1", "2"]); m.attrs.update(n_matched=0, example_id="tt01")
    >>> str(metadata_mismatch(m, "items.csv", "1"))
    "items.csv: none of its item ids matches an item of the log (the file has ids such as 'tt01', the log '1'): every title would be empty"
    """
    if meta.attrs.get("n_matched", 1) or not len(meta):
        return None
    file_id, log_id = str(meta.attrs.get("example_id", ""))[:40], str(log_example or meta.index[0])[:40]
    return ExplorerError(f"{source}: none of its item ids matches an item of the log (the file has ids such as "
                         f"{file_id!r}, the log {log_id!r}): every title would be empty", code="meta_no_match",
                         file=source, file_id=file_id, log_id=log_id)


def item_columns_for_run(meta: pd.DataFrame) -> tuple[list[str], list[list[str]]]:
    """(header, rows) of a run's ``items.tsv`` from :func:`read_item_metadata`'s frame.

    The header is ``item``, then ``title`` (the title column, renamed) and ``genre`` (the category
    column, renamed, genres separated by ``|``) when there are such columns, then the other
    columns under their own names (a name that collides with ``title``/``genre`` gets `` (file)``).
    """
    title, category = meta.attrs.get("title_col"), meta.attrs.get("category_col")
    chosen = [(title, "title"), (category, "genre")]
    cols = [c for c, _ in chosen if c] + [c for c in meta.columns if c not in (title, category)]
    names = [new for c, new in chosen if c]
    names += [f"{c} (file)" if c in ("title", "genre") else str(c) for c in meta.columns if c not in (title, category)]
    rows = [[str(i), *(str(v) for v in row)] for i, row in zip(meta.index, meta[cols].itertuples(index=False, name=None),
                                                                 strict=True)]
    if category:  # one separator for every file: "A;B", "A, B" -> "A|B"
        at = 1 + (1 if title else 0)
        for row in rows:
            row[at] = "|".join(log_formats.split_genres(row[at]))
    return ["item", *names], rows


def genre_column(meta: pd.DataFrame) -> Optional[str]:
    """The metadata column holding a category per item (genre, category, ...), or None."""
    if "category_col" in meta.attrs:
        return meta.attrs["category_col"]
    norm = {_norm(c): c for c in reversed(list(meta.columns))}
    return next((norm[n] for n in GENRE_COLUMNS if n in norm), None)


def first_genre(value: str) -> str:
    """The first of several genres ``"Animation|Children's|Comedy"`` -> ``"Animation"``."""
    return log_formats.first_genre(value)


def popularity(inter: Interactions) -> np.ndarray:
    """int64 (n_items,): number of positive interactions per item."""
    pos = inter.positive
    return np.bincount(inter.items[pos], minlength=inter.n_items).astype(np.int64)


def from_arrays(
    users: np.ndarray,
    items: np.ndarray,
    timestamps: Optional[np.ndarray] = None,
    labels: Optional[np.ndarray] = None,
    ratings: Optional[np.ndarray] = None,
    source: str = "<arrays>",
) -> Interactions:
    """An :class:`Interactions` from integer id arrays (ids become ``str(int)``), no merging.

    users, items: int (n,) ids; each distinct id gets an index in increasing id order.
    """
    u_ids, u_idx = np.unique(np.asarray(users), return_inverse=True)
    i_ids, i_idx = np.unique(np.asarray(items), return_inverse=True)
    n = len(u_idx)
    order = np.lexsort((i_idx, u_idx))
    return Interactions(
        user_ids=[str(u) for u in u_ids], item_ids=[str(i) for i in i_ids],
        users=u_idx[order].astype(np.int32), items=i_idx[order].astype(np.int32),
        labels=(np.ones(n, np.float32) if labels is None else np.asarray(labels, np.float32))[order],
        timestamps=None if timestamps is None else np.asarray(timestamps, np.float64)[order],
        ratings=None if ratings is None else np.asarray(ratings, np.float64)[order],
        columns={"user": "user", "item": "item", "rating": None, "time": None, "label": None},
        source=source,
    )
