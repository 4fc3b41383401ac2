"""Explore page."""

STRINGS: dict[str, tuple[str, str]] = {
    "title": ("Explore", "探索"),
    "method": ("Projection", "投影方法"),
    "m_pca": ("PCA", "PCA"),
    "m_tsne": ("t-SNE", "t-SNE"),
    "m_umap": ("UMAP", "UMAP"),
    "dims": ("Dimensions", "维数"),
    "colour": ("Colour by", "着色依据"),
    "colour_label": ("category label", "类别标签"),
    "colour_cluster": ("cluster (k-means)", "聚类（k-means）"),
    "colour_frequency": ("frequency (log10)", "词频（log10）"),
    "colour_popularity": ("popularity (log10)", "流行度（log10）"),
    "colour_type": ("user or item", "用户或物品"),
    "colour_saved": ("saved clusters: {name}", "已保存的聚类：{name}"),
    "colour_none": ("nothing", "不着色"),
    "users": ("Show users too", "同时显示用户"),
    "users_help": ("Users and items share one space: a user's score for an item is the dot product of their "
                   "vectors, so a user points towards the items they like.",
                   "用户和物品在同一个空间里：用户对物品的得分是两者向量的点积，所以用户的向量指向他喜欢的物品。"),
    "search_item": ("Search an item (id or title)", "搜索一个物品（编号或标题）"),
    "search_item_placeholder": ("e.g. m001", "例如：m001"),
    "users_pca_only": (
        "Users and items together are projected in the page: PCA for any size, t-SNE up to 5,000 points. "
        "Choose PCA, or switch the users off to use UMAP.",
        "用户和物品一起投影在页面内完成：PCA 不限大小，t-SNE 最多 5000 个点。请选 PCA，或关闭用户显示再用 UMAP。",
    ),
    "settings": ("Projection and colour settings", "投影与着色设置"),
    "perplexity": ("perplexity", "困惑度（perplexity）"),
    "perplexity_help": ("t-SNE: roughly how many neighbours each point pays attention to.",
                        "t-SNE：每个点大致关注多少个邻居。"),
    "n_neighbors": ("n_neighbors", "邻居数（n_neighbors）"),
    "n_neighbors_help": ("UMAP: small values keep local detail, large values the global shape.",
                         "UMAP：小值保留局部细节，大值保留整体结构。"),
    "min_dist": ("min_dist", "最小距离（min_dist）"),
    "min_dist_help": ("UMAP: how tightly points may be packed together.", "UMAP：点可以挤得多紧。"),
    "n_clusters": ("number of clusters", "聚类个数"),
    "projecting": ("Projecting…", "正在投影……"),
    "projection_running": (
        "Computing the {method} projection in the background; it appears here when it is ready and is "
        "cached for next time.",
        "正在后台计算 {method} 投影，完成后会显示在这里，并缓存供下次使用。",
    ),
    "projection_failed": ("The projection failed: {error}", "投影失败：{error}"),
    "projection_cancelled": ("The projection was cancelled.", "投影已取消。"),
    "projection_missing": (
        "The projection finished but its result could not be read from the run's cache.",
        "投影已完成，但无法从模型的缓存中读取结果。",
    ),
    "projection_again": ("Compute it again", "重新计算"),
    "sampled": (
        "{n:,} points are too many to draw smoothly: showing a random sample of {shown:,} (the searched word "
        "and its neighbours are always included).",
        "{n:,} 个点太多，无法流畅显示：随机显示其中 {shown:,} 个（搜索的词和它的近邻总会显示）。",
    ),
    "chart_help_2d": (
        "{n:,} points. Hover to read a point; click, or drag a box or lasso (toolbar), to select points.",
        "共 {n:,} 个点。鼠标悬停查看；单击，或用工具栏的框选/套索选择多个点。",
    ),
    "chart_help_3d": (
        "{n:,} points. Drag to turn, scroll to zoom. 3D charts cannot select points: use the search box or "
        "the table of points.",
        "共 {n:,} 个点。拖动旋转，滚轮缩放。3D 图不能直接选点：请用搜索框或下方的点列表。",
    ),
    "points_table": ("Table of points (select rows to inspect them)", "点列表（选中行即可查看）"),
    "search": ("Search a word", "搜索一个词"),
    "search_placeholder": ("e.g. cat", "例如：猫"),
    "k": ("neighbours (k)", "近邻个数（k）"),
    "metric": ("metric", "度量"),
    "metric_cosine": ("cosine similarity", "余弦相似度"),
    "metric_euclidean": ("Euclidean distance", "欧氏距离"),
    "metric_dot": ("dot product", "点积"),
    "score_cosine": ("cosine", "余弦"),
    "score_euclidean": ("distance", "距离"),
    "score_dot": ("dot", "点积"),
    "col_token": ("token", "词"),
    "col_label": ("label", "类别"),
    "not_found": ("“{word}” is not in this model's vocabulary. Similar: {close}",
                  "这个模型的词表里没有“{word}”。相近的词：{close}"),
    "neighbours_of": ("The {k} nearest neighbours of **{word}**:", "**{word}** 的 {k} 个最近邻："),
    "selected": ("**{n} selected points**", "**选中了 {n} 个点**"),
    "selection_neighbours": (
        "The {k} nearest neighbours of the selection (of its mean vector; the selected points left out):",
        "所选点（取平均向量）的 {k} 个最近邻（不含所选的点）：",
    ),
    "analogy": ("Analogy: a − b + c ≈ ?", "类比：a − b + c ≈ ？"),
    "analogy_note": (
        "The three input words are excluded from the answers (otherwise a itself usually wins).",
        "答案中不包括输入的三个词（否则 a 本身通常排第一）。",
    ),
    "export": ("Export", "导出"),
    "export_coords": ("Coordinates (CSV)", "坐标（CSV）"),
    "export_selection": ("Selection (CSV)", "所选的点（CSV）"),
    "recommend_title": ("Recommendations for a user", "给用户的推荐"),
    "user": ("user", "用户"),
    "col_item": ("item", "物品"),
    "col_score": ("score", "得分"),
    "col_dot": ("dot", "点积"),
    "col_bias": ("bias", "偏置"),
    "col_because": ("because you liked (similarity)", "因为你喜欢过（相似度）"),
    "recommend_note": (
        "score = dot (user · item) + bias (the item's own pull, mostly popularity); the last column lists the "
        "user's past items most similar to the recommended one. Pick a user here, or click a user point on "
        "the chart (with “Show users too”).",
        "得分 = 点积（用户 · 物品）+ 偏置（物品本身的吸引力，主要是流行度）；最后一列是该用户过去最像这个推荐物品的物品。"
        "在这里选用户，或在图上点击一个用户点（需打开“同时显示用户”）。",
    ),
}
