"""Errors in the user's language: every code raised under explorer/ has a translation, the
translations fit the parameters they are raised with, and none tells a web user to use a flag."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

import explorer.i18n
from explorer.errors import ExplorerError
from explorer.i18n import error_tables, error_text, table
from explorer.kinds import SkipGramConfig, UserItemConfig, spec_from_dict
from explorer.recsys import log_formats
from explorer.recsys.interactions import read_interactions

ROOT = Path(__file__).resolve().parents[1]
_CODE = re.compile(r"""code=(?:"([a-z_]+)"|"([a-z_]+)" if .*? else "([a-z_]+)")""")


def _raised_where() -> dict[str, set[str]]:
    """code -> the explorer/ files that raise it."""
    where: dict[str, set[str]] = {}
    for path in (ROOT / "explorer").rglob("*.py"):
        for match in _CODE.finditer(path.read_text(encoding="utf-8")):
            for code in filter(None, match.groups()):
                where.setdefault(code, set()).add(path.relative_to(ROOT).as_posix())
    return where


def _raised_codes() -> set[str]:
    return set(_raised_where())


def test_doctests() -> None:
    assert doctest.testmod(explorer.i18n).failed == 0
    assert doctest.testmod(log_formats).failed == 0


def test_every_raised_code_has_a_translation() -> None:
    known = {key for name in error_tables() for key in table(name)}
    codes = _raised_codes()
    assert {"param_max", "spec_invalid", "log_no_column", "upload_type", "unknown_word"} <= codes
    assert codes - known == set()


@pytest.mark.parametrize("name", error_tables())
def test_no_translated_error_names_a_command_line_flag(name: str) -> None:
    cli_only = {code for code, files in _raised_where().items()
                if all(f.startswith("explorer/commands/") for f in files)}  # a web user never meets these
    for key, (en, zh) in table(name).items():
        if key not in cli_only:
            assert not re.search(r"--[a-z]", en + zh), (name, key)


def test_config_errors_translate_with_their_parameters() -> None:
    with pytest.raises(ExplorerError) as info:
        SkipGramConfig(dim=5000).validate()
    assert error_text(info.value, "en") == "dim must be at most 1000, got 5000"
    assert error_text(info.value, "zh") == "dim 最大为 1000，当前为 5000"
    with pytest.raises(ExplorerError) as info:
        UserItemConfig(loss="nope").validate()
    assert "bce" in error_text(info.value, "zh") and "必须是" in error_text(info.value, "zh")
    with pytest.raises(ExplorerError) as info:
        spec_from_dict({"kind": "nope"})
    assert error_text(info.value, "zh").startswith("未知的训练类型")


def test_log_error_points_at_the_control_not_the_flag(tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text("who,what\na,b\nc,d\n", encoding="utf-8")
    with pytest.raises(ExplorerError) as info:
        read_interactions(log)
    assert "--user-col" in str(info.value)  # the CLI's line
    en, zh = error_text(info.value, "en"), error_text(info.value, "zh")
    assert "--" not in en and "Choose it in the column mapping" in en
    assert "用户列" in zh and "--" not in zh and "who, what" in zh


def test_unknown_code_or_bad_parameters_fall_back_to_the_message() -> None:
    assert error_text(ExplorerError("plain words", code="no_such_code"), "zh") == "plain words"
    assert error_text(ExplorerError("dim too big", code="param_max", name="dim"), "zh") == "dim too big"
    assert error_text(ValueError("not ours"), "en") == "not ours"
