"""One Chinese word for each of the app's own terms, used by every table in this package.

``GLOSSARY`` maps an English term to ``(the Chinese word, words that must not be used for it)``.
``tests/test_glossary.py`` reads every table's Chinese column and fails on a competing word, so a
new string cannot call the gallery 展示区 on one page and 作品展 on another.

A term whose competing words also have a legitimate other meaning (运行 "running", 邻居 a graph
node's neighbour) is listed only with competitors that mean nothing else.
"""

from __future__ import annotations

GLOSSARY: dict[str, tuple[str, tuple[str, ...]]] = {
    "gallery": ("作品展", ("展示区", "画廊", "展览区", "陈列")),
    "run": ("运行", ("运行记录", "训练记录", "训练结果")),
    "model": ("模型", ("模式库",)),
    "workspace": ("工作区", ("工作空间", "工作台")),
    "dataset": ("数据集", ("资料集", "数据组")),
    "class": ("班级", ("课堂",)),
    "teacher": ("教师", ("老师",)),
    "student": ("学生", ("学员",)),
    "corpus": ("语料", ("语料库",)),
    "vocabulary": ("词表", ("词汇表", "字典表")),
    "job": ("任务", ("作业任务",)),
    "projection": ("投影", ("映射图",)),
    "nearest neighbours": ("近邻", ("最近的邻居", "最邻近")),
    "embedding": ("嵌入向量", ("嵌入表示", "嵌入表征")),
}
