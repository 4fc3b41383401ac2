"""Lesson step 1: from text to training data."""

STRINGS: dict[str, tuple[str, str]] = {
    "title": ("From text to training data", "从文本到训练数据"),
    "intro": (
        "Skip-gram never sees meanings, only which words appear near which. Before training, raw text is "
        "cleaned, cut into words and counted; then every word becomes a **centre** paired with the words "
        "around it (its **context**). Nobody labels anything: the text supervises itself.",
        "Skip-gram 看不到词义，只看到哪些词出现在哪些词附近。训练前，原始文本要先清洗、切成词并计数；然后每个词作为"
        "**中心词**，和它周围的词（**上下文**）配成一对。没有人做标注：文本自己监督自己。",
    ),
    "lines": ("Your lines (edit them)", "你的文本（可以修改）"),
    "lines_from": ("The first lines of {name}, plus three lines that show what cleaning removes.",
                   "{name} 的前几行，再加上三行用来演示清洗会删掉什么的例子。"),
    "clean_title": ("1 · Cleaning, step by step", "1 · 一步一步清洗"),
    "step_raw": ("Raw lines", "原始文本"),
    "step_html": ("HTML tags removed (entities such as &amp;amp; decoded)", "删除 HTML 标签（解码 &amp;amp; 这类实体）"),
    "step_urls": ("URLs removed", "删除网址"),
    "step_normalise": ("Normalised: full-width → ASCII, spaces collapsed", "规范化：全角转半角，合并空白"),
    "step_dedupe": ("Empty and duplicate lines removed", "删除空行和重复行"),
    "removed": ("Removed: {items}", "删掉了：{items}"),
    "removed_none": ("Nothing to remove in these lines.", "这些行里没有要删的内容。"),
    "line": ("line", "行"),
    "tokens_title": ("2 · Words: segmentation and stopwords", "2 · 分词与停用词"),
    "tokens_lang": ("Language detected: {lang} (Chinese is segmented with jieba).", "检测到的语言：{lang}（中文用 jieba 分词）。"),
    "stopwords": ("Remove stopwords", "删除停用词"),
    "stop_removed": ("Stopwords removed: {items}", "删掉的停用词：{items}"),
    "tokens": ("tokens", "词"),
    "vocab_title": ("3 · The vocabulary and min_count", "3 · 词表与 min_count"),
    "min_count": ("min_count", "min_count（最少出现次数）"),
    "vocab_explain": (
        "Words seen fewer than min_count times are dropped before training (too rare to learn). On these lines "
        "{kept} of {total} words stay. The chosen model ({name}) used min_count = {mc} and kept {v:,} words.",
        "出现次数少于 min_count 的词在训练前被删掉（太少，学不出来）。在这几行里，{total} 个词中留下 {kept} 个。"
        "所选模型（{name}）用 min_count = {mc}，保留了 {v:,} 个词。",
    ),
    "word": ("word", "词"),
    "count": ("count", "次数"),
    "kept": ("kept", "保留"),
    "pairs_title": ("4 · A sentence becomes (centre, context) pairs", "4 · 一句话变成（中心词，上下文）词对"),
    "sentence": ("Type a sentence", "输入一句话"),
    "sentence_default": ("the cat chased the dog in the garden", "小猫在花园里追小狗"),
    "window": ("window", "窗口大小 window"),
    "shrink": ("Random window shrink (word2vec)", "随机缩小窗口（word2vec 的做法）"),
    "shrink_help": ("word2vec draws each centre's window from 1..window, so near words are paired more often.",
                    "word2vec 为每个中心词从 1..window 随机抽一个窗口，所以近的词配对的次数更多。"),
    "draw_again": ("Draw again", "重新抽取"),
    "pairs_explain": ("{n} pairs. Each row is one training example: predict the context from the centre.",
                      "共 {n} 对。每一行是一个训练样本：由中心词预测上下文词。"),
    "centre": ("centre", "中心词"),
    "context": ("context", "上下文"),
    "distance": ("distance", "距离"),
    "its_window": ("its window", "它的窗口"),
    "sub_title": ("5 · Subsampling frequent words", "5 · 高频词下采样"),
    "sub_explain": (
        "Very frequent words (the, 的) carry little information, so word2vec drops each of their occurrences at "
        "random, keeping it with probability (√(f/(s·T)) + 1)·(s·T)/f (s = sample = {s}, counts from the sample).",
        "非常常见的词（the、的）信息量很少，所以 word2vec 会随机丢掉它们的一部分出现，保留的概率是 "
        "(√(f/(s·T)) + 1)·(s·T)/f（s = sample = {s}，词频来自样例）。",
    ),
    "keep_prob": ("keep probability", "保留概率"),
    "in_vocab": ("count in the sample", "在样例中的次数"),
    "neg_title": ("6 · Negative samples", "6 · 负样本"),
    "neg_explain": (
        "For each pair, k random words serve as “not the context”. They are drawn from the word frequencies "
        "raised to the power 0.75, which gives rare words a bit more chance than their raw frequency.",
        "每个词对还要配上 k 个随机词当作“不是上下文”。它们按词频的 0.75 次方抽取，这让少见的词比按原始频率抽时机会大一点。",
    ),
    "k": ("k negatives", "负样本数 k"),
    "unigram": ("unigram (frequency)", "词频"),
    "unigram75": ("unigram^0.75 (sampling)", "词频^0.75（抽样用）"),
    "drawn": ("Drawn for the pair ({c}, {o}): {words}", "为词对（{c}，{o}）抽到的负样本：{words}"),
    "dist_title": ("The 20 most frequent words: share of the text vs share of the negatives",
                   "最常见的 20 个词：在文本中的占比与被抽为负样本的占比"),
    "empty_sentence": ("Type a sentence of at least two words.", "请输入至少两个词的句子。"),
    "check_q": ("With window = 2 and no shrink, how many pairs does a 5-word sentence give?",
                "window = 2、不缩小窗口时，一句 5 个词的话能产生多少个词对？"),
    "check_why": ("the ends pair with 2 words, their neighbours with 3, the middle word with 4: {n}.",
                  "两端的词各配 2 个，旁边的各配 3 个，中间的配 4 个：共 {n} 个。"),
}
