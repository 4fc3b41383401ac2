"""UI strings of the documents part of the Data page (pages/_data_documents.py)."""

STRINGS: dict[str, tuple[str, str]] = {
    "upload": ("Upload documents (.txt one per line or separated by blank lines, .csv/.tsv/.jsonl with a text "
               "column, or .zip of .txt files)",
               "上传文档（.txt 每行一篇或以空行分隔，带文本列的 .csv/.tsv/.jsonl，或 .txt 文件的 .zip 压缩包）"),
    "none": ("Upload documents or use the sample.", "请上传文档或使用示例。"),
    "count": ("Documents", "文档数"),
    "empty": ("Empty", "空文档"),
    "duplicates": ("Duplicates", "重复文档"),
    "how": ("Read as: {how} · encoding {encoding}", "读取方式：{how} · 编码 {encoding}"),
    "layout_lines": ("one document per line", "每行一篇文档"),
    "layout_blocks": ("documents separated by blank lines", "以空行分隔的文档"),
    "kept": ("Empty and duplicate documents are kept (one vector per document, in your file's order). Empty "
             "documents: {empty}. Duplicates (id=id of the first): {dup}.",
             "空文档和重复文档都保留（每篇文档一个向量，顺序与文件相同）。空文档：{empty}。重复（编号=首次出现的编号）：{dup}。"),
    "blank": ("{n:,} blank rows skipped (not documents)", "跳过 {n:,} 个空白行（不是文档）"),
    "lengths_words": ("Document lengths (words)", "文档长度（词数）"),
    "lengths_chars": ("Document lengths (characters)", "文档长度（字数）"),
    "words": ("words", "词数"),
    "chars": ("characters", "字数"),
    "n_docs": ("documents", "文档数"),
    "labels": ("Label balance", "标签分布"),
    "first": ("First documents", "前几篇文档"),
    "col_text": ("Text column", "文本列"),
    "col_id": ("Id column", "编号列"),
    "col_title": ("Title column", "标题列"),
    "col_label": ("Label column", "标签列"),
}
