"""Translated error messages of evaluating runs of documents (explorer/documents/evaluation.py)."""

STRINGS: dict[str, tuple[str, str]] = {
    "doc_pairs_missing": ("{file}: file not found.", "{file}：找不到文件。"),
    "doc_pairs_too_big": ("{file}: larger than {mb} MB.", "{file}：超过 {mb} MB。"),
    "doc_pairs_empty": ("{file}: no pairs found (expected rows of id_a, id_b, score).",
                        "{file}：没有找到文档对（应为 id_a、id_b、score 三列的行）。"),
    "doc_pairs_fields": ("{file}: line {line} has {n} fields, expected 3 (id_a, id_b, score).",
                         "{file}：第 {line} 行有 {n} 个字段，应为 3 个（id_a、id_b、score）。"),
    "doc_pairs_score": ("{file}: line {line}: the score {value!r} is not a number.",
                        "{file}：第 {line} 行：分数 {value!r} 不是数字。"),
    "doc_pairs_too_few_found": ("{file}: only {found} of its {total} pairs name two documents of this run (need at "
                                "least 2).", "{file}：{total} 对中只有 {found} 对的两个编号都是本运行中的文档（至少需要 2 对）。"),
    "doc_pairs_constant": ("{file}: every score is the same: no correlation can be computed.",
                           "{file}：所有分数都相同，无法计算相关系数。"),
    "evaluate_pairs_not_documents": ("Rated pairs are for runs of documents; {path} is not one.",
                                     "人工打分的文档对只适用于文档运行；{path} 不是文档运行。"),
    "compare_rows_differ": ("Run A's rows are {a} and run B's are {b}: only runs whose rows are of one kind can be "
                            "compared.", "模型 A 的行是{a}，模型 B 的行是{b}：只有行的种类相同的两个模型才能比较。"),
    "a=words": ("words", "词"),
    "a=documents": ("documents", "文档"),
    "a=items": ("items", "物品"),
    "b=words": ("words", "词"),
    "b=documents": ("documents", "文档"),
    "b=items": ("items", "物品"),
}
