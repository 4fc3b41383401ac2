"""UI strings in English and Chinese, one small table per page.

Each module in this package is one table named after its page (``common``, ``learn``, ``data``,
``train``, ``explore``, and later ``clusters``, ``evaluate``, ``runs``) and defines::

    STRINGS: dict[str, tuple[str, str]] = {"key": ("English text", "中文文本"), ...}

A string is looked up as ``"<table>.<key>"``, so a new page adds its own module and never edits
another page's table::

    >>> t("common.language", "en")
    'Language'
    >>> t("common.language", "zh")
    '语言'
    >>> t("common.n_points", "en", n=3)
    '3 points'

Placeholders use :meth:`str.format` names; both languages must use the same ones (a test checks
every table). An unknown key is a bug and raises :class:`KeyError` naming it.
"""

from __future__ import annotations

import importlib
import pkgutil
import string
from functools import cache
from typing import Any

LANGUAGES: dict[str, str] = {"en": "English", "zh": "中文"}
DEFAULT_LANG = "en"
_COLUMN = {"en": 0, "zh": 1}


def normalize_lang(lang: Any) -> str:
    """``"zh"`` for any Chinese code (``zh``, ``zh-CN``, ``中文``), else ``"en"``."""
    text = str(lang or "").strip().lower()
    return "zh" if text.startswith("zh") or text == "中文" else DEFAULT_LANG


@cache
def table(name: str) -> dict[str, tuple[str, str]]:
    """The ``STRINGS`` table of module ``explorer.i18n.<name>``."""
    if not name.isidentifier():
        raise KeyError(f"i18n table name {name!r} is not an identifier")
    try:
        module = importlib.import_module(f"{__name__}.{name}")
    except ModuleNotFoundError:
        raise KeyError(f"no i18n table {name!r} (expected explorer/i18n/{name}.py)") from None
    return module.STRINGS


def table_names() -> list[str]:
    """Names of all string tables in this package, sorted."""
    return sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))


def t(key: str, lang: str = DEFAULT_LANG, /, **values: Any) -> str:
    """The UI string ``key`` (``"table.name"``) in ``lang``, formatted with ``values``."""
    name, _, item = key.partition(".")
    strings = table(name)
    try:
        pair = strings[item]
    except KeyError:
        raise KeyError(f"unknown UI string {key!r}") from None
    text = pair[_COLUMN.get(lang, 0)]
    return text.format(**values) if values else text


def value_text(field: str, value: Any, lang: str = DEFAULT_LANG) -> str:
    """How the UI shows ``value`` of ``field`` (a config choice, a default, a sample's category) in ``lang``:
    the ``values`` table's entry ``"<field>=<value>"``, else the value itself (user data, names, numbers).

        >>> value_text("architecture", "cbow", "zh")
        'CBOW（连续词袋模型）'
        >>> value_text("category", "animals", "zh"), value_text("category", "孔明", "zh")
        ('动物', '孔明')
    """
    pair = table("values").get(f"{field}={value}")
    return str(value) if pair is None else pair[_COLUMN.get(normalize_lang(lang), 0)]


def placeholders(text: str) -> set[str]:
    """The ``{name}`` placeholders used in ``text``."""
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


def error_tables() -> list[str]:
    """Names of the tables of translated error messages (every table whose name starts with ``errors``)."""
    return [name for name in table_names() if name.startswith("errors")]


def _lookup_error(key: str) -> tuple[str, str] | None:
    for name in error_tables():
        pair = table(name).get(key)
        if pair is not None:
            return pair
    return None


def error_text(exc: BaseException, lang: str = DEFAULT_LANG) -> str:
    """The message of ``exc`` in ``lang``: its ``code`` looked up in every ``errors*`` table and
    formatted with its ``params``; ``str(exc)`` (the CLI's English line) when there is no code,
    no entry or the entry does not fit the parameters.

    A parameter value is itself translated when a table has the key ``"<param>=<value>"``
    (``"role=user"`` -> ``"用户"``), so that words such as column roles read in the UI's language.

        >>> from explorer.errors import ExplorerError
        >>> e = ExplorerError("dim must be at most 1000, got 5000", code="param_max", name="dim", max=1000, value=5000)
        >>> error_text(e, "zh")
        'dim 最大为 1000，当前为 5000'
        >>> error_text(ValueError("plain"), "zh")
        'plain'
    """
    code = getattr(exc, "code", None)
    pair = _lookup_error(code) if isinstance(code, str) and code else None
    if pair is None:
        return str(exc)
    column = _COLUMN.get(normalize_lang(lang), 0)
    values = {}
    for name, value in (getattr(exc, "params", None) or {}).items():
        word = _lookup_error(f"{name}={value}")
        values[name] = word[column] if word is not None else _param(value)
    try:
        return pair[column].format(**values)
    except (KeyError, IndexError, ValueError):
        return str(exc)


def _param(value: Any) -> Any:
    if isinstance(value, float):
        return f"{value:g}"
    return value
