"""Reading interaction logs and item metadata: formats, column guessing, merging, errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from explorer.errors import ExplorerError
from explorer.recsys.interactions import (
    first_genre,
    from_arrays,
    genre_column,
    guess_columns,
    popularity,
    read_interactions,
    read_item_metadata,
)
from explorer.samples.interactions import generate_interactions, write_sample_interactions


def _write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def _pairs(inter) -> set[tuple[str, str]]:
    return {(inter.user_ids[u], inter.item_ids[i]) for u, i in zip(inter.users, inter.items, strict=True)}


def test_guess_columns_common_names() -> None:
    assert guess_columns(["userId", "movieId", "rating", "timestamp"]) == {
        "user": "userId", "item": "movieId", "rating": "rating", "time": "timestamp", "label": None}
    got = guess_columns(["uid", "sku", "stars", "ts", "clicked", "extra"])
    assert got == {"user": "uid", "item": "sku", "rating": "stars", "time": "ts", "label": "clicked"}
    assert guess_columns(["User_ID", "Product", "Score", "Date"])["item"] == "Product"
    assert guess_columns(["a", "b"]) == dict.fromkeys(("user", "item", "rating", "time", "label"))


def test_csv_with_header(tmp_path: Path) -> None:
    path = _write(tmp_path, "log.csv", "userId,movieId,rating,timestamp\n1,10,5,100\n1,2,3,200\n2,10,4,150\n")
    inter = read_interactions(path)
    assert inter.user_ids == ["1", "2"]
    assert inter.item_ids == ["2", "10"]  # integer ids in numeric order
    assert _pairs(inter) == {("1", "10"), ("1", "2"), ("2", "10")}
    assert inter.columns["rating"] == "rating" and inter.columns["time"] == "timestamp"
    assert inter.labels.tolist() == [1, 1, 1]
    assert inter.users.dtype == np.int32 and inter.items.dtype == np.int32
    assert len(inter.sha256) == 64 and inter.density == pytest.approx(3 / 4)


def test_movielens_udata_tabs_no_header(tmp_path: Path) -> None:
    path = _write(tmp_path, "u.data", "196\t242\t3\t881250949\n186\t302\t3\t891717742\n22\t377\t1\t878887116\n"
                                      "196\t377\t4\t881250950\n")
    inter = read_interactions(path)
    assert inter.n_users == 3 and inter.n_items == 3
    assert inter.columns == {"user": "1", "item": "2", "rating": "3", "time": "4", "label": None}
    row = [k for k in range(len(inter)) if inter.user_ids[inter.users[k]] == "196"
           and inter.item_ids[inter.items[k]] == "377"][0]
    assert inter.timestamps[row] == 881250950 and inter.ratings[row] == 4


def test_movielens_ratings_dat_double_colon(tmp_path: Path) -> None:
    path = _write(tmp_path, "ratings.dat", "1::1193::5::978300760\n1::661::3::978302109\n2::1193::4::978298413\n")
    inter = read_interactions(path)
    assert _pairs(inter) == {("1", "1193"), ("1", "661"), ("2", "1193")}
    assert sorted(inter.ratings.tolist()) == [3, 4, 5]
    assert inter.timestamps.min() == 978298413


def test_tabs_with_header_extra_columns_and_bom(tmp_path: Path) -> None:
    text = "\ufeffsession\tuser_id\tdevice\titem_id\tprice\n" "s1\talice\tios\tbook\t3.5\n" \
           "s2\tbob\tweb\tpen\t1\n" "s3\talice\tweb\tpen\t1\n"
    inter = read_interactions(_write(tmp_path, "log.tsv", text))
    assert inter.columns["user"] == "user_id" and inter.columns["item"] == "item_id"
    assert inter.user_ids == ["alice", "bob"] and inter.item_ids == ["book", "pen"]
    assert inter.timestamps is None and inter.ratings is None


def test_explicit_columns_override_guesses(tmp_path: Path) -> None:
    path = _write(tmp_path, "log.csv", "a,b,c\nx,p,1\ny,q,0\nx,q,1\n")
    inter = read_interactions(path, {"user": "a", "item": "b", "label": "c"})
    assert inter.n_users == 2 and inter.positive.sum() == 2
    # headerless file, columns by 1-based position: item first, user second
    path = _write(tmp_path, "rev.csv", "10,1\n11,1\n10,2\n")
    inter = read_interactions(path, {"user": "2", "item": "1"})
    assert inter.user_ids == ["1", "2"] and inter.item_ids == ["10", "11"]


def test_label_column_marks_observed_negatives(tmp_path: Path) -> None:
    path = _write(tmp_path, "clicks.csv", "user,item,clicked\nu1,a,1\nu1,b,0\nu2,a,0\nu2,b,1\n")
    inter = read_interactions(path)
    got = {(inter.user_ids[u], inter.item_ids[i]): y
           for u, i, y in zip(inter.users, inter.items, inter.labels, strict=True)}
    assert got == {("u1", "a"): 1, ("u1", "b"): 0, ("u2", "a"): 0, ("u2", "b"): 1}
    assert popularity(inter).tolist() == [1, 1]


def test_duplicates_are_merged(tmp_path: Path) -> None:
    text = "user,item,rating,time,label\nu,a,2,10,0\nu,a,4,30,1\nu,a,3,20,0\nv,a,1,5,1\nu,b,1,1,1\n"
    inter = read_interactions(_write(tmp_path, "dup.csv", text))
    assert len(inter) == 3
    k = [j for j in range(3) if inter.user_ids[inter.users[j]] == "u" and inter.item_ids[inter.items[j]] == "a"][0]
    assert inter.labels[k] == 1 and inter.ratings[k] == 4 and inter.timestamps[k] == 30


def test_min_rating_keeps_rows_rated_at_least(tmp_path: Path) -> None:
    path = _write(tmp_path, "r.csv", "user,item,rating\n1,a,5\n1,b,2\n2,a,4\n2,c,3.5\n3,b,4\n")
    inter = read_interactions(path, min_rating=3.5)
    assert _pairs(inter) == {("1", "a"), ("2", "a"), ("2", "c"), ("3", "b")}
    assert inter.item_ids == ["a", "b", "c"]


def test_dates_in_time_column(tmp_path: Path) -> None:
    path = _write(tmp_path, "d.csv", "user,item,date\n1,a,2024-01-02\n1,b,2024-01-01 12:00\n2,a,2023-12-31\n")
    inter = read_interactions(path)
    t = {(inter.user_ids[u], inter.item_ids[i]): s
         for u, i, s in zip(inter.users, inter.items, inter.timestamps, strict=True)}
    assert t[("1", "a")] - t[("1", "b")] == 12 * 3600


@pytest.mark.parametrize(
    "text,match",
    [
        ("user,item,rating\n1,a,5\n2,b,five\n", r"rating column 'rating' is not numeric \(line 3: 'five'\)"),
        ("user,item\n1,a\n1,b\n", "only one user"),
        ("user,item\n1,a\n2,a\n", "only one item"),
        ("user,item\n1,a\n,b\n", r"empty user id in column 'user' \(line 3\)"),
        ("user,item\n1,a\n2,\n", "empty item id"),
        ("user,item,clicked\n1,a,0\n2,b,0\n", "no positive interactions"),
        ("user,item,clicked\n1,a,1\n2,b,maybe\n", "label column 'clicked' must hold 0/1"),
        ("user,item,time\n1,a,noon\n2,b,later\n", "time column 'time' holds neither numbers nor dates"),
        ("", "empty"),
    ],
)
def test_bad_logs_raise_one_line_errors(tmp_path: Path, text: str, match: str) -> None:
    path = _write(tmp_path, "bad.csv", text)
    with pytest.raises(ExplorerError, match=match) as info:
        read_interactions(path)
    assert "\n" not in str(info.value) and "bad.csv" in str(info.value)


def test_missing_column_lists_available(tmp_path: Path) -> None:
    path = _write(tmp_path, "log.csv", "person,thing\n1,a\n2,b\n")
    with pytest.raises(ExplorerError, match="cannot find the user column; available columns: person, thing"):
        read_interactions(path)
    with pytest.raises(ExplorerError, match="no item column 'sku'; available columns: person, thing"):
        read_interactions(path, {"user": "person", "item": "sku"})
    with pytest.raises(ExplorerError, match="--min-rating needs a rating column"):
        read_interactions(path, {"user": "person", "item": "thing"}, min_rating=3)
    with pytest.raises(ExplorerError, match="no rows left after --min-rating 9"):
        read_interactions(_write(tmp_path, "r.csv", "user,item,rating\n1,a,1\n2,b,2\n"), min_rating=9)
    with pytest.raises(ExplorerError, match="file not found"):
        read_interactions(tmp_path / "missing.csv")


def test_item_metadata_header_and_alignment(tmp_path: Path) -> None:
    meta = _write(tmp_path, "items.csv", 'movieId,title,genres\n10,"Heat, Part 1",Action|Crime\n2,Toy Story,Animation\n'
                                         "99,Unused,Drama\n")
    frame = read_item_metadata(meta, ["2", "10", "7"])
    assert frame.index.tolist() == ["2", "10", "7"]
    assert frame["title"].tolist() == ["Toy Story", "Heat, Part 1", ""]
    assert genre_column(frame) == "genres"
    assert first_genre(frame.loc["10", "genres"]) == "Action"


def test_item_metadata_movies_dat_and_gbk_titles(tmp_path: Path) -> None:
    dat = _write(tmp_path, "movies.dat", "1::Toy Story (1995)::Animation|Children's\n2::Jumanji (1995)::Adventure\n",
                 encoding="latin-1")
    frame = read_item_metadata(dat, ["1", "2"])
    assert list(frame.columns) == ["title", "genre"]
    assert frame.loc["2", "title"] == "Jumanji (1995)"
    titles = ["流浪地球", "让子弹飞", "霸王别姬", "大话西游之月光宝盒", "我不是药神", "无间道", "卧虎藏龙", "英雄"]
    text = "item,title,genre\n" + "".join(f"m{k},{t},{'科幻' if k % 2 else '剧情'}\n" for k, t in enumerate(titles))
    gbk = _write(tmp_path, "items_gbk.csv", text, encoding="gbk")
    frame = read_item_metadata(gbk, [f"m{k}" for k in range(8)])
    assert frame["title"].tolist() == titles
    assert frame.loc["m1", "genre"] == "科幻"


def test_from_arrays_and_popularity() -> None:
    inter = from_arrays(np.array([5, 5, 7]), np.array([3, 1, 3]), labels=np.array([1, 1, 0]))
    assert inter.user_ids == ["5", "7"] and inter.item_ids == ["1", "3"]
    assert popularity(inter).tolist() == [1, 1]


def test_sample_log_is_readable_and_has_the_planted_shape(tmp_path: Path) -> None:
    sample = generate_interactions()
    assert sample.items["genre"].nunique() == 8 and len(sample.items) == 400
    assert sample.items["title"].is_unique
    assert sample.interactions["user"].nunique() == 600
    per_user = sample.interactions.groupby("user").size()
    assert per_user.min() >= 8 and per_user.max() >= 5 * per_user.median()  # power users
    counts = sample.interactions.groupby("item").size().sort_values(ascending=False)
    assert counts.iloc[:40].sum() > 0.3 * counts.sum()  # a popular head and a long tail
    log_path, items_path = write_sample_interactions(tmp_path)
    inter = read_interactions(log_path)
    assert len(inter) == len(sample.interactions) and inter.timestamps is not None
    meta = read_item_metadata(items_path, inter.item_ids)
    assert genre_column(meta) == "genre" and (meta["title"] != "").all()
    # users lean to their planted genre
    genre_of = dict(zip(sample.items["item"], sample.items["genre"], strict=True))
    share = np.mean([genre_of[i] == sample.user_genre[u]
                     for u, i in zip(sample.interactions["user"], sample.interactions["item"], strict=True)])
    assert share > 0.4  # far above the 1/8 of a random genre
