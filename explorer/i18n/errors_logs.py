"""Translated error messages of interaction logs and item metadata (:mod:`explorer.recsys`).

The English CLI lines name flags (``--user-col``); these, shown in the app, point at the controls.
"""

STRINGS: dict[str, tuple[str, str]] = {
    "log_no_column": ("{file}: cannot find the {role} column; available columns: {columns}. Choose it in the column mapping.",
                      "{file}：找不到{role}列；可用的列：{columns}。请在“列的对应关系”中选择它。"),
    "log_unknown_column": ("{file}: there is no {role} column {column}; available columns: {columns}.",
                           "{file}：没有名为 {column} 的{role}列；可用的列：{columns}。"),
    "log_not_numeric": ("{file}: the {role} column {column} is not numeric (line {line}: {value}).",
                        "{file}：{role}列 {column} 不是数字（第 {line} 行：{value}）。"),
    "log_bad_time": ("{file}: the time column {column} holds neither numbers nor dates (line {line}: {value}).",
                     "{file}：时间列 {column} 既不是数字也不是日期（第 {line} 行：{value}）。"),
    "log_no_rows": ("{file}: the log has no rows.", "{file}：日志中没有任何记录。"),
    "log_empty_id": ("{file}: empty {role} id in column {column} (line {line}).",
                     "{file}：第 {line} 行的{role}编号（列 {column}）是空的。"),
    "log_min_rating_no_column": ("{file}: keeping ratings above a minimum needs a rating column; choose it in the "
                                 "column mapping (columns: {columns}).",
                                 "{file}：按最低评分筛选需要评分列；请在“列的对应关系”中选择（现有列：{columns}）。"),
    "log_min_rating_empty": ("{file}: no rows have a rating of at least {min_rating} (ratings range {low}..{high}).",
                             "{file}：没有评分不低于 {min_rating} 的记录（评分范围 {low}..{high}）。"),
    "log_no_positive": ("{file}: no positive interactions (every label is 0).", "{file}：没有正向交互（所有标签都是 0）。"),
    "log_bad_label": ("{file}: the label column {column} must hold 0/1 (line {line}: {value}).",
                      "{file}：标签列 {column} 只能是 0/1（第 {line} 行：{value}）。"),
    "log_one_id": ("{file}: the log has only one {role} in column {column}; a recommender needs at least 2.",
                   "{file}：列 {column} 中只有一个{role}；推荐模型至少需要 2 个。"),
    "meta_no_column": ("{file}: there is no {what} column {column}; available columns: {columns}.",
                       "{file}：没有名为 {column} 的{what}列；可用的列：{columns}。"),
    "meta_one_column": ("{file}: item metadata needs an id column and at least one more column.",
                        "{file}：物品信息至少需要编号列和另外一列。"),
    "role=rating": ("rating", "评分"),
    "role=time": ("time", "时间"),
    "role=label": ("label", "标签"),
    "what=title": ("title", "标题"),
    "what=category": ("category", "类别"),
}
