"""Data page, text pipeline: Chinese segmenter, English word forms, phrases."""

STRINGS: dict[str, tuple[str, str]] = {
    "segmenter": ("Chinese segmenter", "中文分词器"),
    "segmenter_jieba": ("jieba", "jieba（结巴）"),
    "segmenter_thulac": ("THULAC (Tsinghua)", "THULAC（清华）"),
    "segmenter_help": (
        "How Chinese text is cut into words (Chinese only). THULAC is slower and cuts some words finer.",
        "中文文本如何切分成词（仅对中文有效）。THULAC 更慢，有些词切得更细。",
    ),
    "normalize": ("English word forms", "英文词形"),
    "normalize_none": ("keep as written", "保持原样"),
    "normalize_stem": ("stems (running → run)", "词干（running → run）"),
    "normalize_lemma": ("lemmas (mice → mouse)", "词元（mice → mouse）"),
    "normalize_help": (
        "Stems cut endings by rules (studies → studi); lemmas look words up in a dictionary (was → be). "
        "Searches on Explore and Evaluate are changed the same way.",
        "词干按规则去掉词尾（studies → studi）；词元查词典还原（was → be）。“探索”和“评估”页的查询也会同样处理。",
    ),
    "phrases": ("Phrases", "短语"),
    "phrases_0": ("off", "关闭"),
    "phrases_1": ("word pairs (new_york)", "两词短语（new_york）"),
    "phrases_2": ("up to four words (two passes)", "最多四个词（两遍）"),
    "phrases_help": (
        "Joins words that occur together far more often than by chance into one token, as word2vec's "
        "word2phrase does.",
        "把经常一起出现（远超偶然）的词合成一个词，和 word2vec 的 word2phrase 一样。",
    ),
    "phrase_min_count": ("Phrase minimum count", "短语最低次数"),
    "phrase_min_count_help": ("Pairs and words seen fewer times are never joined. Default {default}.",
                              "出现次数少于此值的词和词对不会合并。默认 {default}。"),
    "phrase_threshold": ("Phrase score threshold", "短语得分阈值"),
    "phrase_threshold_help": (
        "Join a pair when (count(ab) − min count) × N / (count(a) × count(b)) is above this. Default {default}.",
        "当 (count(ab) − 最低次数) × N / (count(a) × count(b)) 大于此值时合并。默认 {default}。",
    ),
    "side_by_side": ("jieba and THULAC on the same lines", "jieba 与 THULAC 切分同样的句子"),
    "no_chinese": ("No Chinese line in the first lines: nothing to segment.", "前几行里没有中文：无需分词。"),
    "thulac_loading": ("Loading THULAC's model (a few seconds, once)…", "正在加载 THULAC 模型（只需几秒，仅一次）……"),
    "preview_with_jieba": ("Shown with jieba until THULAC has loaded.", "THULAC 加载完成前先用 jieba 显示。"),
    "forms": ("Word forms, word by word", "逐词的词形变化"),
    "col_before": ("word", "原词"),
    "col_after": ("becomes", "变为"),
    "n_changed": ("{n} of {total} words change.", "{total} 个词中有 {n} 个发生变化。"),
    "no_english": ("No English word in the first lines.", "前几行里没有英文词。"),
    "phrases_found": ("Phrases found: {n}", "找到的短语：{n} 个"),
    "best_phrases": ("The {k} best-scoring phrases:", "得分最高的 {k} 个短语："),
    "no_phrases": ("No pair passes the threshold: lower the threshold or the minimum count.",
                   "没有词对超过阈值：请降低阈值或最低次数。"),
    "col_phrase": ("phrase", "短语"),
    "col_score": ("score", "得分"),
    "col_count": ("count", "次数"),
    "col_pass": ("pass", "第几遍"),
}
