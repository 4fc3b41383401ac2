"""Logs and item metadata as people have them: RecBole atomic files, MovieLens 100K / 1M as
downloaded, JSON lines and GBK CSVs, read without naming a column (small look-alike files)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from explorer.cli import main
from explorer.errors import ExplorerError
from explorer.recsys import log_formats
from explorer.recsys.interactions import (
    genre_column,
    item_columns_for_run,
    read_columns,
    read_interactions,
    read_item_metadata,
    read_item_table,
)
from tests.support import log_lookalikes as lookalikes

FORMATS = {**lookalikes.FORMATS, "recbole-gbk": lambda folder: lookalikes.recbole(folder, chinese=True)}


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_each_format_reads_log_titles_and_genres_without_flags(tmp_path: Path, fmt: str) -> None:
    log, items, truth = FORMATS[fmt](tmp_path)
    inter = read_interactions(log)
    expected = {(u, i) for u, i, _, _ in lookalikes.ratings()}
    assert {(inter.user_ids[u], inter.item_ids[i]) for u, i in zip(inter.users, inter.items, strict=True)} == expected
    assert inter.ratings is not None and set(inter.ratings) <= {1, 2, 3, 4, 5}
    meta = read_item_metadata(items, inter.item_ids)
    header, rows = item_columns_for_run(meta)
    assert header[:3] == ["item", "title", "genre"]
    for item, title, genres, *_ in rows:
        assert title == truth[item][0]
        assert genres.split("|") == truth[item][1]
    assert genre_column(meta) == meta.attrs["category_col"]


def test_recbole_typed_header_and_token_seq(tmp_path: Path) -> None:
    log, items, _ = lookalikes.recbole(tmp_path)
    assert read_columns(log) == ["user_id", "item_id", "rating", "timestamp"]
    table = read_item_table(items)
    assert table.id_col == "item_id" and table.title_col == "movie_title" and table.category_col == "class"
    assert table.types == {"item_id": "token", "movie_title": "token_seq", "release_year": "token",
                           "class": "token_seq"}
    meta = read_item_metadata(items, ["1", "7"])
    assert meta.loc["1", "class"] == "Animation|Children's|Comedy"  # token_seq split on spaces
    assert meta.loc["7", "movie_title"] == "Sabrina"  # a token_seq title keeps its spaces


def test_movielens_100k_genre_flags_become_labels(tmp_path: Path) -> None:
    table = read_item_table(lookalikes.movielens_100k(tmp_path)[1])
    assert table.columns == ["title", "release_date", "video_release_date", "imdb_url", "genre"]
    assert table.frame.set_index("item").loc["3", "title"] == "Cité des enfants perdus, La (1995)"  # Latin-1
    assert table.frame.set_index("item").loc["1", "genre"] == "Animation|Children's|Comedy"
    assert log_formats.ML100K_GENRES[4] == "Children's" and len(log_formats.ML100K_GENRES) == 19


def test_title_and_category_can_be_named_and_unknown_names_are_refused(tmp_path: Path) -> None:
    _, items, _ = lookalikes.recbole(tmp_path)
    meta = read_item_metadata(items, ["1"], title_col="release_year", category_col="movie_title")
    header, rows = item_columns_for_run(meta)
    assert header == ["item", "title", "genre", "class"] and rows[0][:3] == ["1", "1995", "Toy|Story"]
    with pytest.raises(ExplorerError) as info:
        read_item_metadata(items, ["1"], title_col="nope")
    assert info.value.code == "meta_no_column" and info.value.params["column"] == "nope"


def test_json_lines_errors_name_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "log.jsonl"
    bad.write_text('{"user": 1, "item": 2}\n{"user": 1,\n', encoding="utf-8")
    with pytest.raises(ExplorerError, match="line 2 is not valid JSON") as info:
        read_interactions(bad)
    assert info.value.code == "jsonl_invalid" and info.value.params["line"] == 2


def test_missing_user_column_error_has_a_code_for_the_ui(tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text("who,what\na,b\nc,d\n", encoding="utf-8")
    with pytest.raises(ExplorerError, match="--user-col") as info:  # the CLI names its flag
        read_interactions(log)
    assert info.value.code == "log_no_column" and info.value.params["role"] == "user"


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["recbole", "ml-100k", "ml-1m"])
def test_cli_trains_with_no_column_flags_and_recommend_names_titles(tmp_path: Path, fmt: str,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    log, items, truth = FORMATS[fmt](tmp_path)
    out = tmp_path / "run"
    assert main(["train", "useritem", "--interactions", str(log), "--items", str(items), "--out", str(out),
                 "--epochs", "2", "--dim", "8"]) == 0
    header = (out / "items.tsv").read_text(encoding="utf-8").splitlines()
    assert header[0].split("\t")[:3] == ["item", "title", "genre"]
    titles = {line.split("\t")[0]: line.split("\t")[1] for line in header[1:]}
    assert titles == {i: t for i, (t, _) in truth.items()}
    labels = dict(line.split("\t") for line in (out / "labels.tsv").read_text(encoding="utf-8").splitlines()[1:])
    assert labels == {i: g[0] for i, (_, g) in truth.items()}
    capsys.readouterr()
    assert main(["recommend", str(out), "1", "-k", "3"]) == 0
    recs = json.loads(capsys.readouterr().out)["recommendations"]
    assert len(recs) == 3
    for rec in recs:
        assert rec["title"] == truth[rec["item"]][0]
        assert all(b["title"] == truth[b["item"]][0] for b in rec["because"])
