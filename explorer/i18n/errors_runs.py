"""Translated messages of the run-directory checks (:mod:`explorer.runs.validation`, :mod:`explorer.runs.arrays`).

Key = the error's ``code``; placeholders = its ``params``. File names and details are data (shown as text).
"""

STRINGS: dict[str, tuple[str, str]] = {
    "run_not_found": ("{path}: run directory not found", "{path}：找不到该模型目录"),
    "run_not_a_run": ("{path}: not a run directory (no config.json)", "{path}：不是模型目录（没有 config.json）"),
    "run_missing_file": ("{file}: missing", "{file}：文件缺失"),
    "run_unreadable": ("{file}: unreadable", "{file}：无法读取"),
    "run_damaged_array": ("{file}: damaged array file ({detail})", "{file}：数组文件已损坏（{detail}）"),
    "run_bad_dtype": ("{file}: holds {dtype} values, which this file may not hold",
                      "{file}：包含 {dtype} 类型的值，该文件不允许"),
    "run_bad_json": ("{file}: not a valid JSON object ({detail})", "{file}：不是有效的 JSON 对象（{detail}）"),
    "run_unknown_kind": ("{file}: unknown run kind {kind} (expected one of {known})",
                         "{file}：未知的模型类型 {kind}（应为 {known} 之一）"),
    "run_bad_field": ("{file}: {field} must be {expected}", "{file}：{field} 必须是 {expected}"),
    "run_bad_header": ("{file}: the header must be {expected}", "{file}：表头必须是 {expected}"),
    "run_bad_cell": ("{file}: line {line}: {detail}", "{file}：第 {line} 行：{detail}"),
    "run_rows": ("{file}: {rows:,} rows but {other} has {other_rows:,}",
                 "{file}：有 {rows:,} 行，但 {other} 有 {other_rows:,} 行"),
    "run_shape": ("{file}: shape {shape}, expected {expected}", "{file}：形状为 {shape}，应为 {expected}"),
    "run_not_finite": ("{file}: contains NaN or infinite values", "{file}：包含 NaN 或无穷大的值"),
    "run_bad_logged": ("{file}: {detail}", "{file}：{detail}"),
    "run_not_useritem": ("{path}: not a user-item run (kind {kind})", "{path}：不是用户–物品模型（类型 {kind}）"),
    "space_not_cached": ("{space}: no cached projection of this run (compute it on the Explore page first)",
                         "{space}：该模型还没有缓存的投影（请先在“探索”页计算）"),
    "compare_dims": ("the runs have different dimensions ({a} and {b}): they cannot be aligned",
                     "两个模型的维度不同（{a} 和 {b}），无法对齐"),
    "compare_word_missing": ("{word} is not in both runs", "{word} 不在两个模型中"),
}
