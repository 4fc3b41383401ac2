"""Short Latin-1 files (item titles of a recommender log) are read as windows-1252, not as the Baltic or HP code page
charset-normalizer may prefer for them; other code pages keep their reading."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.recsys.interactions import read_item_metadata
from explorer.text.decode import detect_encoding

TITLES = ["Café Society", "Señor Wences", "Über Alles", "Amélie", "Le Fabuleux Destin", "Crème brûlée", "Noël", "Niño",
          "Façade", "Déjà vu"]


def recbole_items() -> str:
    rows = [f"i{j}\t{TITLES[j % 10]} {j}\t{('Comédie', 'Drame', 'Action')[j // 20]}" for j in range(60)]
    return "item_id:token\tmovie_title:token_seq\tgenre:token\n" + "\n".join(rows) + "\n"


def test_a_recbole_item_file_in_latin1_keeps_its_accented_titles(tmp_path: Path) -> None:
    path = tmp_path / "movies.item"
    path.write_bytes(recbole_items().encode("latin-1"))
    assert detect_encoding(path.read_bytes()) == "cp1252"  # charset-normalizer's best guess is cp1257
    frame = read_item_metadata(path, [f"i{j}" for j in range(60)])
    assert frame.loc["i8", "movie_title"] == "Façade 8" and frame.loc["i5", "movie_title"] == "Crème brûlée 5"


@pytest.mark.parametrize(("text", "codec", "expected"), [
    ("Falsches Üben von Xylophonmusik quält jeden größeren Zwerg.\n", "cp1252", "cp1252"),  # was hp-roman8
    ("Příliš žluťoučký kůň úpěl ďábelské ódy. Škola v Brně, řeka Vltava.\n", "cp1250", "cp1250"),
    ("Съешь же ещё этих мягких французских булок, да выпей чаю.\n", "cp1251", "cp1251"),
    ("今天天气很好，我们去公园散步吧。\n", "gbk", "gb18030"),
])
def test_other_code_pages_keep_their_reading(text: str, codec: str, expected: str) -> None:
    assert detect_encoding((text * 5).encode(codec)) == expected
