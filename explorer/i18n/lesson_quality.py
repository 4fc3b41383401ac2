"""Lesson step 4: is the space any good?"""

STRINGS: dict[str, tuple[str, str]] = {
    "title": ("Is the space any good?", "这个空间好不好？"),
    "intro": (
        "A trained space has no single score. We look at it four ways: how we measure closeness, whether the "
        "planted categories come out as clusters, what 2D maps show and hide, and what directions mean.",
        "训练好的空间没有单一的分数。我们从四个角度看：怎样度量远近，预设的类别能不能聚成簇，二维图展示了什么、又掩盖了什么，"
        "以及空间里的方向代表什么。",
    ),
    "measures_title": ("1 · Closeness: cosine, Euclidean, dot", "1 · 远近：余弦、欧氏距离、点积"),
    "words": ("Three words", "三个词"),
    "pair": ("pair", "词对"),
    "cosine": ("cosine similarity ↑", "余弦相似度 ↑"),
    "euclidean": ("Euclidean distance ↓", "欧氏距离 ↓"),
    "dot": ("dot product ↑", "点积 ↑"),
    "measures_explain": (
        "Cosine ignores length (the usual choice for words); Euclidean distance does not; the dot product grows "
        "with length, so frequent words (longer vectors) score high with everything.",
        "余弦不看长度（词向量常用）；欧氏距离看长度；点积随长度变大，所以常见词（向量更长）和什么都“像”。",
    ),
    "clusters_title": ("2 · Do the planted categories come out as clusters?", "2 · 预设的类别能聚成簇吗？"),
    "clusters_explain": (
        "k-means with k = {k} (the number of planted categories) on the {n} labelled words. **Silhouette** "
        "(−1…1, higher = tighter, better separated clusters) and **Davies–Bouldin** (≥ 0, lower = better) judge "
        "the clusters alone; **NMI** and **ARI** (1 = the same grouping as the labels, 0 = chance) compare them "
        "with the planted categories.",
        "在 {n} 个带标签的词上做 k-means，k = {k}（预设类别数）。**轮廓系数**（−1…1，越大簇越紧、分得越开）和 "
        "**Davies–Bouldin 指数**（≥ 0，越小越好）只看簇本身；**NMI** 和 **ARI**（1 = 与标签分组完全一致，0 = 随机）"
        "把簇和预设类别比较。",
    ),
    "silhouette": ("silhouette", "轮廓系数"),
    "davies_bouldin": ("Davies–Bouldin", "Davies–Bouldin"),
    "nmi": ("NMI", "NMI"),
    "ari": ("ARI", "ARI"),
    "cluster": ("cluster", "簇"),
    "majority": ("most common category", "最多的类别"),
    "size": ("size", "大小"),
    "purity": ("share of it", "占比"),
    "maps_title": ("3 · How 2D maps mislead", "3 · 二维图会怎样误导"),
    "maps_explain": (
        "The same vectors under five projections. Each point is coloured by its **neighbour recall**: the share "
        "of its 10 nearest neighbours in the full space that are also among its 10 nearest on the map (green = "
        "kept, red = lost). t-SNE and UMAP keep local neighbours but invent distances between groups; their "
        "parameter changes the picture.",
        "同一组向量的五种投影。每个点按**近邻保留率**着色：它在完整空间里的 10 个最近邻中，有多少在图上也是它的 10 个最近邻"
        "（绿 = 保住了，红 = 丢了）。t-SNE 和 UMAP 保留局部近邻，但组与组之间的距离是“编”出来的；换个参数图就变了。",
    ),
    "view_pca": ("PCA", "PCA"),
    "view_tsne": ("t-SNE, perplexity {v}", "t-SNE，perplexity {v}"),
    "view_umap": ("UMAP, n_neighbors {v}", "UMAP，n_neighbors {v}"),
    "recall": ("recall", "保留率"),
    "mean_recall": ("{name}: mean recall {r:.2f}", "{name}：平均保留率 {r:.2f}"),
    "view_pending": ("{name}: being computed in the background…", "{name}：正在后台计算……"),
    "view_failed": ("{name}: failed ({error})", "{name}：失败（{error}）"),
    "view_missing": ("{name}: its computed map is no longer there; compute it again with the button.",
                     "{name}：算好的图已不在了；请用按钮重新计算。"),
    "check_wait": ("The question appears when at least two maps are ready.", "至少两张图算好后，这里会出现一道题。"),
    "axis_title": ("4 · What a direction means", "4 · 方向代表什么"),
    "axis_explain": (
        "Each word is placed by its projection on the direction from **{a}** to **{b}** (the difference of the "
        "two vectors). If that direction meant only “{a} → {b}”, the other groups would sit at 0. Where job "
        "words lean to one side, the text taught the model an association, which is how embeddings carry "
        "**bias** into whatever uses them.",
        "每个词按它在从 **{a}** 指向 **{b}** 的方向（两个向量之差）上的投影来摆放。如果这个方向只代表“{a} → {b}”，"
        "其他组的词应该都在 0 附近。如果职业词偏向某一边，说明文本教给了模型一种关联——嵌入向量就是这样把**偏见**"
        "带进用它的系统里的。",
    ),
    "axis_a": ("From word a", "起点词 a"),
    "axis_b": ("To word b", "终点词 b"),
    "axis_groups": ("Groups to place", "要摆放的组"),
    "axis_same": ("Choose two different words.", "请选择两个不同的词。"),
    "check_q": ("Which of the maps ready now keeps neighbourhoods best?", "在目前已算好的图里，哪一个最能保留近邻关系？"),
    "check_why": ("its mean neighbour recall is {r:.2f}, the highest.", "它的平均近邻保留率是 {r:.2f}，最高。"),
    "vs_title": ("Two methods, one corpus: {a} against {b}", "同一份语料，两种方法：{a} 对比 {b}"),
    "vs_title_none": ("Two methods, one corpus", "同一份语料，两种方法"),
    "vs_explain": (
        "Both models read the same text. Skip-gram learns from one (word, context) pair at a time; GloVe from the "
        "table of how often every two words met. Do they end up with the same neighbours? Over {n} shared words, "
        "their {k} nearest neighbours overlap by **{j:.0%}** on average (Jaccard).",
        "两个模型读的是同一份文本。Skip-gram 一次从一个（词，上下文）词对学习；GloVe 从每两个词见面次数的表学习。"
        "它们最后的近邻一样吗？在 {n} 个共有的词上，两者的 {k} 个近邻平均重合 **{j:.0%}**（Jaccard）。"),
    "vs_none": ("Train GloVe and Skip-gram on the same corpus (Train page) to compare the two methods here.",
                "在训练页用同一份语料分别训练 GloVe 和 Skip-gram，就能在这里比较两种方法。"),
    "vs_model": ("model", "模型"),
    "vs_agreement": ("neighbours with the same category", "近邻同类比例"),
    "vs_nmi": ("NMI of k-means with the categories", "k-means 与类别的 NMI"),
    "vs_seconds": ("training seconds", "训练秒数"),
    "vs_open": ("Compare the two on the Runs page", "在运行页比较这两个"),
    "vs_check_q": ("Which of the two models puts more of a labelled word's neighbours in its own category?",
                   "哪个模型让带标签的词的近邻更多地属于同一类别？"),
    "vs_check_why": ("{best}: {r:.1%} against {other:.1%}.", "{best}：{r:.1%}，另一个是 {other:.1%}。"),
}
