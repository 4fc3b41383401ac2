"""Explore and Clusters on a run of documents: semantic search, "more like this", cluster names."""

STRINGS: dict[str, tuple[str, str]] = {
    "search": ("Search the documents (a question, a sentence or a few words)", "搜索文档（一个问题、一句话或几个词）"),
    "search_placeholder": ("e.g. a cheap and quiet hotel near the station", "例如：车站附近便宜又安静的酒店"),
    "search_help": ("The nearest documents by cosine similarity to the query's vector, computed by this run's model "
                    "(a sentence encoder encodes the query; Doc2Vec infers a vector for it).",
                    "按余弦相似度找出与查询向量最近的文档；查询向量由本次运行的模型计算（句子编码器直接编码查询，Doc2Vec 为查询推断一个向量）。"),
    "k": ("results (k)", "结果个数（k）"),
    "results": ("The {k} documents nearest to “{query}” (marked on the map):",
                "与“{query}”最近的 {k} 篇文档（已在图中标出）："),
    "searching": ("Computing the query's vector…", "正在计算查询的向量……"),
    "col_rank": ("rank", "名次"),
    "col_score": ("cosine", "余弦"),
    "col_title": ("title", "标题"),
    "col_text": ("text (first 200 characters)", "正文（前 200 个字符）"),
    "col_label": ("label", "标签"),
    "like": ("More like this document", "找相似的文档"),
    "like_none": ("— pick one of the results —", "— 从结果中选一篇 —"),
    "like_help": ("The documents nearest to the one picked here (or to the points selected on the map).",
                  "与这里选中的文档（或在图上选中的点）最近的文档。"),
    "like_results": ("The {k} documents most like “{doc}” (lines on the map):",
                     "与“{doc}”最相似的 {k} 篇文档（图上用连线标出）："),
    "like_selection": ("The {k} documents most like the {n} selected (their mean vector; the selected left out):",
                       "与选中的 {n} 篇文档最相似的 {k} 篇（按它们的平均向量，选中的除外）："),
    "chart_help": ("{n:,} documents. Hover to read a document; click, or drag a box or lasso (toolbar), to select "
                   "documents and find more like them.",
                   "共 {n:,} 篇文档。鼠标悬停阅读文档；单击，或用工具栏的框选/套索选中文档，再找相似的文档。"),
    "untitled": ("(no title)", "（无标题）"),
    "col_terms": ("distinctive terms", "区分度最高的词"),
    "terms_help": ("The words that set each cluster's documents apart from the others' (class-based TF-IDF; "
                   "Chinese cut into words with jieba; common words left out). They are written on the map.",
                   "每个簇中最能把它的文档和其他文档区分开的词（按类别计算的词频-逆文档频率；中文用 jieba 分词；常用虚词不计）。这些词也写在图上。"),
    "map_title": ("Map of the clusters (2-D: {space})", "聚类地图（二维：{space}）"),
    "map_caption": ("Each cluster is named by its most distinctive terms. Names that would overlap are left off "
                    "the map; the list below names every cluster.",
                    "每个簇以其区分度最高的词命名。会重叠的名字不写在图上；下面的列表列出所有簇的名字。"),
}
