"""Learn page (home)."""

STRINGS: dict[str, tuple[str, str]] = {
    "title": ("What is an embedding?", "什么是嵌入向量（embedding）？"),
    "intro": (
        "An **embedding** gives every word (or user, or item) a list of numbers — a *vector* — so that "
        "things used in similar ways get similar vectors. Skip-gram learns word vectors by predicting the "
        "words around each word in a text: *cat* and *dog* appear next to *chased*, *zoo* and *fed*, so they "
        "end up close; *banana* appears next to *ate*, *market* and *juice*, so it ends up elsewhere. Below are real "
        "vectors trained on the bundled sample text.",
        "**嵌入向量**给每个词（或用户、物品）一串数字，也就是一个*向量*，让用法相似的东西得到相似的向量。"
        "Skip-gram 通过预测每个词周围的词来学习词向量：*猫*和*狗*常出现在*追*、*动物园*、*喂*旁边，所以它们靠得近；"
        "*香蕉*常出现在*吃*、*市场*、*果汁*旁边，所以离它们远。下面是在自带样例文本上训练出的真实向量。",
    ),
    "sample_training": (
        "Training the bundled sample in the background (a few seconds) — the example appears when it is done.",
        "正在后台训练自带样例（几秒钟），完成后这里会显示例子。",
    ),
    "sample_missing": (
        "The bundled sample is not trained yet (last error: {error}).",
        "自带样例还没有训练好（上次错误：{error}）。",
    ),
    "sample_retry": ("Train the sample now", "现在训练样例"),
    "words_title": ("Three words, three vectors", "三个词，三个向量"),
    "word_n": ("Word {n}", "词 {n}"),
    "unknown_words": (
        "Not in the sample's vocabulary ({n} words): {words}. Try another word.",
        "样例词表（共 {n} 个词）里没有：{words}。换一个词试试。",
    ),
    "numbers": (
        "Each word is a vector of **{dim} numbers**. Here are the first 8 of each — on their own they mean "
        "nothing; only comparing vectors tells us something.",
        "每个词是一个含 **{dim} 个数字**的向量。下面是每个向量的前 8 个数——单看没有意义，只有把向量相互比较才有意义。",
    ),
    "compare_title": ("Three ways to compare two vectors", "比较两个向量的三种方法"),
    "pair": ("pair", "词对"),
    "cosine": ("cosine similarity ↑", "余弦相似度 ↑"),
    "euclidean": ("Euclidean distance ↓", "欧氏距离 ↓"),
    "dot": ("dot product ↑", "点积 ↑"),
    "explain": (
        "- **Cosine similarity** (−1 … 1, higher = closer): the angle between the arrows; ignores their length. "
        "The usual choice for word vectors.\n"
        "- **Euclidean distance** (≥ 0, lower = closer): the straight-line distance between the arrow tips.\n"
        "- **Dot product** (higher = closer): length × length × cosine; frequent words get longer vectors, and "
        "recommenders score a user and an item this way.",
        "- **余弦相似度**（−1 到 1，越大越近）：两个箭头之间的夹角，与长度无关。词向量最常用。\n"
        "- **欧氏距离**（≥ 0，越小越近）：两个箭头尖端之间的直线距离。\n"
        "- **点积**（越大越近）：长度 × 长度 × 余弦；常见词的向量更长，推荐系统就是这样给用户和物品打分的。",
    ),
    "arrows_caption": (
        "The three vectors drawn in the flat plane (through the origin) that fits them best, so the angles "
        "between the arrows are close to the real ones.",
        "三个向量画在最贴合它们的平面（过原点）上，所以箭头之间的夹角接近真实夹角。",
    ),
    "next": (
        "**Next:** open the whole sample in the explorer — every word as a point, neighbours, analogies — or "
        "bring your own text on the Data page.",
        "**下一步**：在探索页打开整个样例——每个词是一个点，可以看近邻、做类比——或者到“数据”页上传自己的文本。",
    ),
    "go": ("Load the sample and explore", "载入样例，开始探索"),
}
