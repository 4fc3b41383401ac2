"""Small look-alikes of public rating logs as they are distributed (no real data).

Each writer puts a tiny log and its item metadata in ``folder`` in the real layout (RecBole atomic
files, MovieLens 100K ``u.data``/``u.item``, MovieLens 1M ``ratings.dat``/``movies.dat``, JSON
lines) and returns (log path, items path, {item id: (title, genres list)}). Titles include
Latin-1 accents and, for GBK files, Chinese.
"""

from __future__ import annotations

import json
from pathlib import Path

from explorer.recsys.log_formats import ML100K_GENRES

# id -> (title, genres); accents exercise Latin-1, the Chinese titles GBK
MOVIES = {
    "1": ("Toy Story (1995)", ["Animation", "Children's", "Comedy"]),
    "2": ("GoldenEye (1995)", ["Action", "Adventure", "Thriller"]),
    "3": ("Cité des enfants perdus, La (1995)", ["Adventure", "Sci-Fi"]),
    "4": ("Etoile du Nord (1995)", ["Drama"]),
    "5": ("Señorita Extraviada (2001)", ["Documentary"]),
    "6": ("Heat (1995)", ["Action", "Crime", "Thriller"]),
    "7": ("Sabrina (1995)", ["Comedy", "Romance"]),
    "8": ("Nikita (Femme Nikita, La) (1990)", ["Thriller"]),
}
CHINESE = {"1": "流浪地球", "2": "让子弹飞", "3": "霸王别姬", "4": "大话西游", "5": "我不是药神", "6": "无间道",
           "7": "卧虎藏龙", "8": "英雄"}


def ratings(n_users: int = 12) -> list[tuple[str, str, int, int]]:
    """(user, item, rating, timestamp): every user rates 5 of the 8 items (deterministic)."""
    rows = []
    for u in range(1, n_users + 1):
        for j in range(5):
            item = str((u + 2 * j) % len(MOVIES) + 1)
            rows.append((str(u), item, 1 + (u + j) % 5, 880000000 + 1000 * u + j))
    return rows


def recbole(folder: Path, chinese: bool = False) -> tuple[Path, Path, dict]:
    """``name.inter`` + ``name.item`` with ``name:type`` headers; titles and classes are token_seq."""
    inter = folder / "ml-lookalike.inter"
    lines = ["user_id:token\titem_id:token\trating:float\ttimestamp:float"]
    lines += [f"{u}\t{i}\t{r}\t{t}" for u, i, r, t in ratings()]
    inter.write_text("\n".join(lines) + "\n", encoding="utf-8")
    item = folder / "ml-lookalike.item"
    lines = ["item_id:token\tmovie_title:token_seq\trelease_year:token\tclass:token_seq"]
    truth = {}
    for i, (title, genres) in MOVIES.items():
        title = CHINESE[i] if chinese else title.rsplit(" (", 1)[0]
        lines.append(f"{i}\t{title}\t1995\t{' '.join(genres)}")
        truth[i] = (title, genres)
    item.write_bytes(("\n".join(lines) + "\n").encode("gbk" if chinese else "utf-8"))
    return inter, item, truth


def movielens_100k(folder: Path) -> tuple[Path, Path, dict]:
    """``u.data`` (tab, no header) + ``u.item`` (pipe, Latin-1, 19 genre flags)."""
    data = folder / "u.data"
    data.write_text("".join(f"{u}\t{i}\t{r}\t{t}\n" for u, i, r, t in ratings()), encoding="ascii")
    item = folder / "u.item"
    lines = []
    for i, (title, genres) in MOVIES.items():
        flags = "|".join("1" if g in genres else "0" for g in ML100K_GENRES)
        lines.append(f"{i}|{title}|01-Jan-1995||http://us.imdb.com/M/title-exact?x|{flags}")
    item.write_bytes(("\n".join(lines) + "\n").encode("latin-1"))
    return data, item, {i: (t, g) for i, (t, g) in MOVIES.items()}


def movielens_1m(folder: Path) -> tuple[Path, Path, dict]:
    """``ratings.dat`` + ``movies.dat`` (``::``, Latin-1, ``Genre|Genre``)."""
    data = folder / "ratings.dat"
    data.write_text("".join(f"{u}::{i}::{r}::{t}\n" for u, i, r, t in ratings()), encoding="ascii")
    item = folder / "movies.dat"
    item.write_bytes("".join(f"{i}::{t}::{'|'.join(g)}\n" for i, (t, g) in MOVIES.items()).encode("latin-1"))
    return data, item, {i: (t, g) for i, (t, g) in MOVIES.items()}


def json_lines(folder: Path) -> tuple[Path, Path, dict]:
    """``ratings.jsonl`` + ``movies.jsonl`` (genres as a JSON list, Chinese titles in UTF-8)."""
    data = folder / "ratings.jsonl"
    data.write_text("".join(json.dumps({"userId": u, "movieId": int(i), "rating": r, "timestamp": t}) + "\n"
                            for u, i, r, t in ratings()), encoding="utf-8")
    item = folder / "movies.jsonl"
    item.write_text("".join(json.dumps({"movieId": int(i), "name": CHINESE[i], "genres": g}, ensure_ascii=False) + "\n"
                            for i, (_, g) in MOVIES.items()), encoding="utf-8")
    return data, item, {i: (CHINESE[i], g) for i, (_, g) in MOVIES.items()}


def csv_gbk(folder: Path) -> tuple[Path, Path, dict]:
    """``log.csv`` + ``items.csv`` in GBK with a ``category`` column of ``;``-separated genres."""
    data = folder / "log.csv"
    data.write_text("user,item,rating\n" + "".join(f"{u},{i},{r}\n" for u, i, r, _ in ratings()), encoding="utf-8")
    item = folder / "items.csv"
    item.write_bytes(("item,movie_name,category\n" + "".join(f"{i},{CHINESE[i]},{';'.join(g)}\n"
                                                              for i, (_, g) in MOVIES.items())).encode("gbk"))
    return data, item, {i: (CHINESE[i], g) for i, (_, g) in MOVIES.items()}


FORMATS = {"recbole": recbole, "ml-100k": movielens_100k, "ml-1m": movielens_1m, "jsonl": json_lines,
           "csv-gbk": csv_gbk}
