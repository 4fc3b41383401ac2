"""A small bundled sample of short sentences, English and Chinese, labelled by topic (written here, no
download): what the sentence-encoder kind encodes on the Train page's sample and in its tests. Each
English sentence has its Chinese translation in the set, so a multilingual encoder should put the two
side by side and group the topics across the languages.

    >>> rows = sample_sentences()
    >>> len(rows), sorted({r[2] for r in rows})
    (32, ['animals', 'food', 'sport', 'weather'])
"""

from __future__ import annotations

from pathlib import Path

from explorer.samples.files import bundled_file, write_document_rows

#: (topic, English, Chinese)
SENTENCES: tuple[tuple[str, str, str], ...] = (
    ("animals", "The cat is sleeping on the sofa.", "猫在沙发上睡觉。"),
    ("animals", "A dog is barking at the mailman.", "一只狗在对着邮递员叫。"),
    ("animals", "Birds build their nests in spring.", "鸟儿在春天筑巢。"),
    ("animals", "The horse runs across the field.", "马跑过田野。"),
    ("weather", "It rained heavily all night.", "昨晚下了一整夜的大雨。"),
    ("weather", "Tomorrow will be sunny and warm.", "明天晴朗温暖。"),
    ("weather", "Strong winds are expected this afternoon.", "今天下午预计有大风。"),
    ("weather", "Snow covered the mountains last week.", "上周大雪覆盖了群山。"),
    ("food", "This restaurant serves delicious noodles.", "这家餐馆的面条很好吃。"),
    ("food", "She baked a chocolate cake for the party.", "她为聚会烤了一个巧克力蛋糕。"),
    ("food", "Fresh vegetables are good for your health.", "新鲜蔬菜对健康有益。"),
    ("food", "We had dumplings for dinner.", "我们晚饭吃了饺子。"),
    ("sport", "Our team won the football match.", "我们队赢了足球比赛。"),
    ("sport", "He swims in the pool every morning.", "他每天早上在泳池游泳。"),
    ("sport", "The marathon starts at seven o'clock.", "马拉松比赛七点开始。"),
    ("sport", "She is practising basketball after school.", "她放学后练习篮球。"),
)


def sample_sentences() -> list[tuple[str, str, str, str]]:
    """(id, title, label, text) rows: the English sentences, then their translations in the same order."""
    rows = [(f"en{i + 1}", "", topic, en) for i, (topic, en, _) in enumerate(SENTENCES)]
    rows += [(f"zh{i + 1}", "", topic, zh) for i, (topic, _, zh) in enumerate(SENTENCES)]
    return rows


def write_sample_sentences(folder: Path) -> Path:
    """Write ``sample_sentences.csv`` (id, title, label, text) into ``folder``; return its path."""
    return write_document_rows(folder, "sample_sentences.csv", sample_sentences())


def sample_sentences_file() -> Path:
    """The bundled sentences sample under ``EXPLORER_HOME/samples/data`` (written once)."""
    return bundled_file("sample_sentences.csv", write_sample_sentences)
