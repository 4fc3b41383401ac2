"""Translated error messages of documents as data and the document kinds (key = the error's code)."""

STRINGS: dict[str, tuple[str, str]] = {
    "documents_column_not_table": ("{file}: a {role} column applies only to .csv, .tsv and .jsonl files.",
                                   "{file}：只有 .csv、.tsv 和 .jsonl 文件才能指定{role}列。"),
    "documents_no_column": ("{file}: no {role} column {column!r}; available columns: {columns}.",
                            "{file}：没有名为 {column!r} 的{role}列；可用的列：{columns}。"),
    "documents_bad_json": ("{file}: line {line} is not valid JSON.", "{file}：第 {line} 行不是有效的 JSON。"),
    "documents_json_not_object": ("{file}: line {line} is not a JSON object.", "{file}：第 {line} 行不是 JSON 对象。"),
    "documents_none": ("{file}: no documents with text found.", "{file}：没有找到含有文字的文档。"),
    "docs_tsv_header": ("{file}: the header must be id, title, label, text.", "{file}：表头必须是 id、title、label、text。"),
    "docs_tsv_row": ("{file}: line {line} has {n} fields, not 4.", "{file}：第 {line} 行有 {n} 个字段，而不是 4 个。"),
    "documents_missing": ("No documents file was given.", "没有提供文档文件。"),
    "search_not_documents": ("{path}: not a run of documents.", "{path}：不是文档模型。"),
    "role=text": ("text", "文本"),
    "role=id": ("id", "编号"),
    "role=title": ("title", "标题"),
}
