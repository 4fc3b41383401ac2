"""Lesson page: from words to sentences (pages/lesson_sentences.py)."""

STRINGS: dict[str, tuple[str, str]] = {
    "title": ("From words to sentences", "从词到句子"),
    "intro": (
        "A word run gives every word a vector. How do we get one vector for a whole sentence? Here are four ways, "
        "side by side: the **average** of the sentence's word vectors; **SIF**, a weighted average where frequent "
        "words count less, with the direction that all sentences share removed; **Doc2Vec**, which trains one "
        "vector per document and infers the vector of a new sentence; and a **pretrained sentence encoder** (E5, "
        "bundled with the app, trained by others on many languages). Edit the sentence pairs and compare.",
        "词的运行给每个词一个向量。怎样给整个句子一个向量？这里并排比较四种方法：句子中词向量的**平均**；"
        "**SIF**：加权平均，常见词的权重更小，并去掉所有句子共有的方向；**Doc2Vec**：为每个文档训练一个向量，"
        "并为新句子推断向量；以及**预训练的句子编码器**（E5，随应用附带，由他人用多种语言训练）。修改下面的句子对并比较。"),
    "documents_run": ("Doc2Vec or sentence-encoder run (optional)", "Doc2Vec 或句子编码器的运行（可选）"),
    "documents_none": ("none", "不使用"),
    "documents_help": ("A run of documents from your workspace or your class: its vector of each sentence "
                       "(Doc2Vec infers it) joins the comparison.",
                       "你的工作区或班级中的文档运行：它给出的每个句子的向量（Doc2Vec 会推断）加入比较。"),
    "use_e5": ("Include the pretrained encoder (E5)", "加入预训练编码器（E5）"),
    "pairs_title": ("Sentence pairs", "句子对"),
    "pairs_explain": ("One pair per line, the two sentences separated by a vertical bar |. The defaults test "
                      "negation, word order and the same sentence in two languages.",
                      "每行一对，两个句子用竖线 | 分开。默认的句子对检验否定、词序以及同一句话的两种语言。"),
    "pairs_explain_own": ("One pair per line, the two sentences separated by a vertical bar |. This model knows too "
                          "few words of the usual example pairs, so these start from sentences of {name}: pairs that "
                          "follow each other in the text, and one pair far apart. Write your own to test negation or "
                          "word order.",
                          "每行一对，两个句子用竖线 | 分开。这个模型认识的词太少，用不了默认的例句，所以这里从 {name} "
                          "的句子开始：文中相邻的句子对，以及一对相隔很远的句子。也可以自己写句子对来检验否定或词序。"),
    "pairs": ("Pairs", "句子对"),
    "no_pairs": ("Write at least one pair: two sentences separated by |.", "请至少写一对：两个句子用 | 分开。"),
    "method_average": ("Average of word vectors", "词向量平均"),
    "method_sif": ("SIF", "SIF"),
    "method_documents": ("{name} (this run)", "{name}（这个运行）"),
    "method_e5": ("Pretrained encoder (E5)", "预训练编码器（E5）"),
    "pair": ("Pair", "句子对"),
    "heat_title": ("Cosine of each pair, by method", "每个句子对的余弦相似度（按方法）"),
    "cosine": ("cosine", "余弦相似度"),
    "unknown": ("Words the word run does not know (skipped by the average and SIF): {words}",
                "词的运行不认识的词（平均和 SIF 会跳过）：{words}"),
    "same_words": ("Pair {n} has the same words in another order: the average and SIF give it exactly the same "
                   "vector twice (cosine {cos:.3f}); they cannot see word order.",
                   "第 {n} 对的词相同、顺序不同：平均和 SIF 两次得到完全相同的向量（余弦相似度 {cos:.3f}），看不出词序。"),
    "explain": (
        "Averages keep which words occur, not how they are arranged, and a word run trained on one language has no "
        "idea that 好 and good mean the same. An encoder trained on many languages and on whole sentences reads "
        "order and negation a little and puts translations side by side.",
        "平均只记住出现了哪些词，不记住词怎样排列；只用一种语言训练的词的运行也不知道中文的“好”和英文里对应的词意思相同。"
        "用多种语言、用整句训练的编码器能读出一些词序和否定，并把译文放在一起。"),
    "search_title": ("Semantic search over the class's sentences", "在班级的句子中做语义搜索"),
    "search_explain": ("{n} sentences from {name}. The query gets a vector by the method you choose; the sentences "
                       "with the highest cosine come first.",
                       "来自 {name} 的 {n} 个句子。查询用你选择的方法得到向量；余弦相似度最高的句子排在前面。"),
    "query": ("Query", "查询"),
    "query_default": ("animals and pets", "动物"),
    "search_method": ("Method", "方法"),
    "rank": ("Rank", "排名"),
    "sentence": ("Sentence", "句子"),
    "score": ("Cosine", "余弦相似度"),
    "no_sentences": ("No sentences to search.", "没有可搜索的句子。"),
    "check_q": ("Which method sets the two sentences of pair {n} (“{a}” / “{b}”) furthest apart?",
                "哪种方法让第 {n} 对的两个句子（“{a}” / “{b}”）相距最远？"),
    "check_why": ("its cosine is the lowest: {values}.", "它的余弦相似度最低：{values}。"),
}
