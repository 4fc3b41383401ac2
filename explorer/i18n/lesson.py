"""Strings shared by the lesson pages: navigation, step headers, the sample's state, "try it" links."""

STRINGS: dict[str, tuple[str, str]] = {
    "section_lesson": ("Lesson", "课程"),
    "section_tools": ("Tools", "工具"),
    "nav_text": ("1 · From text to training data", "1 · 从文本到训练数据"),
    "nav_objective": ("2 · The objective", "2 · 目标函数"),
    "nav_watch": ("3 · Watch it learn", "3 · 看模型学习"),
    "nav_quality": ("4 · Is the space any good?", "4 · 这个空间好不好？"),
    "nav_recommend": ("5 · Recommending with embeddings", "5 · 用嵌入向量做推荐"),
    "nav_graph": ("6 · Graphs: walks become sentences", "6 · 图：随机游走变成句子"),
    "nav_sentences": ("7 · From words to sentences", "7 · 从词到句子"),
    "step": ("Lesson step {n} of {total}", "课程第 {n} 步，共 {total} 步"),
    "sample_only_words": (
        "Your models are all of other kinds (recommender, graph nodes or documents), so this step uses the bundled "
        "sample text's model. To see your own words: choose a text on **Data**, then train Skip-gram or GloVe on "
        "**Train**.",
        "你的模型都是其他类型（推荐、图节点或文档），所以本步使用自带样例文本的模型。想看你自己的词："
        "先在**数据**页面选一份文本，再到**训练**页面训练 Skip-gram 或 GloVe。",
    ),
    "sample_training": (
        "The bundled sample is training in the background (a few seconds); this step appears when it is done.",
        "自带样例正在后台训练（几秒钟），完成后这里就会显示。",
    ),
    "sample_missing": (
        "The bundled sample is not trained yet (last error: {error}).",
        "自带样例还没有训练好（上次错误：{error}）。",
    ),
    "sample_retry": ("Train the sample now", "现在训练样例"),
    "model": ("Model used in this step", "本步使用的模型"),
    "model_help": ("Any model of your workspace or your class that this step can use; the lesson opens on the newest "
                   "model trained on your class's shared dataset, else on the bundled sample.",
                   "你的工作区或班级里、本步能用的任何模型；课程默认打开在班级共享数据集上最新训练的模型，"
                   "没有时打开自带样例。"),
    "collapsed": ("This model's words all point almost the same way (mean cosine {cos:.2f} between random words): it "
                  "has not trained long enough for a corpus this small, so its neighbours are near-ties and its maps "
                  "show little. Train it again with more epochs: once the Data page has counted the words, the Train "
                  "form starts with enough for the corpus (about 30 for a 26,000-word novel).",
                  "这个模型的所有词几乎都指向同一个方向（随机两个词的平均余弦相似度为 {cos:.2f}）：对这么小的语料来说训练得不够久，"
                  "所以它的近邻几乎不分先后，二维图也看不出什么。请用更多轮数重新训练：数据页面统计过词数后，训练表单会给出适合"
                  "这份语料的轮数（一部两万六千词的小说约 30 轮）。"),
    "collapsed_train": ("Train again with more epochs", "用更多轮数重新训练"),
    "try_it": ("Try it on your own data", "在你自己的数据上试试"),
    "next": ("Next:", "下一步："),
    "start": ("Start the lesson:", "开始课程："),
    "check_title": ("Check yourself", "自我检测"),
    "check_answer": ("Check", "检查答案"),
    "check_right": ("Right: {why}", "答对了：{why}"),
    "check_wrong": ("Not quite: {why}", "不太对：{why}"),
    "run_with_frames": ("Model with frames", "带帧的模型"),
}
