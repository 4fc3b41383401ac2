"""Evaluate page: word similarity, analogies, odd-one-out; ranking metrics of user-item runs."""

STRINGS: dict[str, tuple[str, str]] = {
    "title": ("Evaluate", "评估"),
    "intro": (
        "How good are the vectors? Word models are tested on your own question files; recommenders on the items "
        "each user chose last, which training never saw.",
        "向量好不好？词向量模型用你上传的题目文件来测试；推荐模型用每个用户最后选择、训练时没见过的物品来测试。",
    ),
    # word tests
    "tab_similarity": ("Word similarity", "词语相似度"),
    "tab_analogy": ("Analogies", "类比"),
    "tab_odd": ("Odd one out", "找不同"),
    "sim_explain": (
        "Upload word pairs scored by people (WordSim-353 / SimLex-999 style): one pair per line, "
        "`word1 word2 score`, separated by tabs, commas or spaces. The model's cosine similarities are compared "
        "with the scores by Spearman's ρ: 1 = same order as people, 0 = unrelated, −1 = reversed.",
        "上传人工打分的词对（WordSim-353 / SimLex-999 风格）：每行一对，`词1 词2 分数`，用制表符、逗号或空格分隔。"
        "把模型的余弦相似度与人工分数做 Spearman 秩相关 ρ：1 表示排序与人一致，0 表示无关，−1 表示完全相反。",
    ),
    "sim_upload": ("Word-pairs file (.txt, .csv, .tsv)", "词对文件（.txt、.csv、.tsv）"),
    "spearman": ("Spearman ρ", "Spearman ρ"),
    "spearman_help": ("Rank correlation between the model's cosine similarities and the human scores.",
                      "模型余弦相似度与人工分数之间的秩相关。"),
    "coverage": ("coverage", "覆盖率"),
    "coverage_help": ("Questions whose words are all in the vocabulary; the others are skipped, not counted wrong.",
                      "所有词都在词表中的题目比例；其余题目被跳过，不算错。"),
    "found": ("{found:,} of {total:,} found", "共 {total:,} 个，找到 {found:,} 个"),
    "col_word1": ("word 1", "词 1"),
    "col_word2": ("word 2", "词 2"),
    "col_score": ("human score", "人工分数"),
    "col_similarity": ("model cosine", "模型余弦相似度"),
    "too_few": ("Too few pairs were found in the vocabulary (or all scores are equal): ρ is not defined.",
                "词表中找到的词对太少（或分数全部相同）：ρ 无法计算。"),
    "analogy_explain": (
        "Upload analogy questions in the `questions-words.txt` format: `: section` lines start a section, then "
        "one question per line, `a b c d`, meaning “a is to b as c is to d”. Each line is asked in the same "
        "form as on the Explore page, **x − y + z ≈ ?**, as **b − a + c ≈ ?**, and the answer should be d "
        "(3CosAdd on unit vectors; the three input words are excluded from the answers).",
        "上传 `questions-words.txt` 格式的类比题：以 `: 分组名` 开始一个分组，之后每行一道题 `a b c d`，"
        "意思是“a 之于 b，如同 c 之于 d”。每道题都按探索页上的同一形式 **x − y + z ≈ ？** 提问，即 "
        "**b − a + c ≈ ？**，正确答案应为 d（单位向量上的 3CosAdd；三个输入词不算作答案）。",
    ),
    "col_analogy": ("question (x − y + z)", "题目（x − y + z）"),
    "col_answer": ("model's answer", "模型的答案"),
    "col_right_answer": ("expected", "应为"),
    "not_in_vocab": ("– (a word is not in the vocabulary)", "–（有词不在词表中）"),
    "low_coverage": (
        "Only {found:,} of {total:,} are in the vocabulary ({share}): the score above describes that small part "
        "of the file, not the whole test. Use a file in the corpus's language, or train on a bigger corpus.",
        "{total:,} 个中只有 {found:,} 个在词表中（{share}）：上面的分数只代表文件中的这一小部分，不代表整个测试。"
        "请使用与语料同一语言的文件，或用更大的语料训练。",
    ),
    "details_shown": ("The first {n:,} questions are listed.", "只列出前 {n:,} 道题。"),
    "analogy_upload": ("Analogy questions file (.txt)", "类比题文件（.txt）"),
    "use_eval_pairs": ("Use COS960 (960 Chinese word pairs)", "使用 COS960（960 对中文词）"),
    "use_eval_pairs_help": ("A public Chinese word-similarity set, bundled (MIT license, THUNLP 2019): pairs of "
                            "two-character words scored 0–4 by 15 native speakers.",
                            "内置的公开中文词语相似度数据集（MIT 许可，THUNLP 2019）：双字词词对，由 15 位母语者按 0–4 打分。"),
    "use_eval_analogy": ("Use CA8 (7,636 Chinese analogies)", "使用 CA8（7,636 道中文类比题）"),
    "use_eval_analogy_help": ("The semantic half of CA8, a public Chinese analogy set, bundled (Apache-2.0, Li et al., "
                              "ACL 2018): geography, nature, history and people.",
                              "内置的公开中文类比数据集 CA8 的语义部分（Apache-2.0 许可，ACL 2018 论文）：地理、自然、历史和人物。"),
    "accuracy": ("accuracy", "准确率"),
    "accuracy_help": ("Share of the answerable questions whose answer is exactly d.",
                      "可作答的题目中，答案恰好为 d 的比例。"),
    "col_section": ("section", "分组"),
    "col_correct": ("correct", "答对"),
    "col_answered": ("answered", "可作答"),
    "col_total": ("questions", "题目数"),
    "col_accuracy": ("accuracy", "准确率"),
    "col_coverage": ("coverage", "覆盖率"),
    "all_sections": ("all sections", "全部分组"),
    "odd_explain": (
        "One question per line: a few words, the odd one last, e.g. `cat dog horse banana`. The model picks the "
        "word least similar to the others (lowest mean cosine); it is right when it picks the last word.",
        "每行一道题：几个词，把“不同”的那个放在最后，例如 `猫 狗 马 香蕉`。模型挑出与其他词最不相似的词"
        "（平均余弦最低）；挑中最后一个词即为答对。",
    ),
    "odd_input": ("Questions (one per line)", "题目（每行一道）"),
    "odd_default_en": ("cat dog horse banana\napple banana grape car", "cat dog horse banana\napple banana grape car"),
    "odd_default_zh": ("猫 狗 马 香蕉\n苹果 香蕉 葡萄 汽车", "猫 狗 马 香蕉\n苹果 香蕉 葡萄 汽车"),
    "odd_run": ("Check", "检查"),
    "odd_accuracy_help": ("Share of the answerable questions where the model picked the last word.",
                          "可作答的题目中，模型挑中最后一个词的比例。"),
    "col_question": ("question", "题目"),
    "col_expected": ("odd one (expected)", "应选"),
    "col_picked": ("model's pick", "模型选择"),
    "col_ok": ("right", "正确"),
    "example_caption": ("A small example built from this model's labelled categories (words of the same category "
                        "score high): download it, look at the format, then upload it.",
                        "下载一个根据本模型的标注类别生成的小样例（同类词得分高），看看格式，再上传试试。"),
    "example_pairs": ("Example word pairs", "示例词对"),
    # ranking (user-item)
    "ranking_title": ("Ranking quality on held-out interactions", "留出交互上的排序质量"),
    "ranking_explain": (
        "Each user's latest interaction was held out (test); the model ranks it among other items. "
        "**HR@K**: share of users whose held-out item is in the top K. **NDCG@K**: like HR@K but a hit at rank 1 "
        "counts more than one at rank K. **MRR**: mean of 1 / rank (no cut-off). Beside each: the *popularity* "
        "baseline, which recommends the most popular items to everyone — a model should beat it.",
        "每个用户最后一次交互被留出作测试；模型把它和其他物品一起排序。**HR@K**：留出物品排进前 K 名的用户比例。"
        "**NDCG@K**：与 HR@K 类似，但排第 1 名比排第 K 名得分更高。**MRR**：1 / 名次 的平均值（不截断）。"
        "旁边是*热门基线*：给所有人推荐最热门的物品——好模型应该超过它。",
    ),
    "no_ranking": ("This run has no test metrics (it was not trained by this version).",
                   "这个模型没有测试指标（不是用当前版本训练的）。"),
    "protocol": ("Protocol", "评测方式"),
    "protocol_full": ("full ranking", "全量排序"),
    "protocol_sampled": ("sampled (1 + {n} negatives)", "抽样（1 + {n} 个负样本）"),
    "protocol_full_help": ("The held-out item is ranked against every item the user has not interacted with.",
                           "留出物品与该用户没接触过的所有物品一起排序。"),
    "protocol_sampled_help": ("The held-out item is ranked against {n} items sampled from those the user never "
                              "interacted with (the NCF protocol; numbers look higher than full ranking).",
                              "留出物品与从用户没接触过的物品中抽取的 {n} 个物品一起排序（NCF 评测方式；数值会比全量排序高）。"),
    "k": ("K (cut-off)", "K（截断名次）"),
    "model": ("model", "模型"),
    "popularity": ("popularity", "热门基线"),
    "lift": ("model − popularity", "模型 − 热门基线"),
    "metric": ("metric", "指标"),
    "vs_pop": ("popularity: {v} (the arrow shows model − popularity)", "热门基线：{v}（箭头表示 模型 − 热门基线）"),
    "split_latest": ("leave-latest-out (each user's latest interaction by timestamp is the test item)",
                     "留一法（按时间戳，每位用户最新的一条交互作为测试）"),
    "split_random": ("leave-one-out (no timestamps: a random interaction per user, seeded, is the test item)",
                     "留一法（无时间戳：每位用户随机选一条交互作为测试，随机种子固定）"),
    "split": ("Split: {method}; {train:,} training, {validation:,} validation, {test:,} test interactions; "
              "{users:,} users evaluated.",
              "划分：{method}；训练 {train:,} 条、验证 {validation:,} 条、测试 {test:,} 条交互；评估了 {users:,} 个用户。"),
    "curves_title": ("Validation metrics per epoch", "每轮的验证指标"),
    "curves_caption": ("Measured on the validation item (each user's second latest), never on the test item.",
                       "在验证物品（每个用户倒数第二次交互）上测得，从不使用测试物品。"),
    "no_curves": ("No per-epoch validation metrics were recorded for this run.", "这个模型没有记录每轮的验证指标。"),
    "epoch": ("epoch", "轮次"),
    "value": ("value", "数值"),
    "loss_title": ("Training loss per epoch", "每轮训练损失"),
    "loss": ("loss", "损失"),
    "html": ("Download chart as HTML", "下载图表 HTML"),
    "png_caption": ("The camera icon in the chart's toolbar saves a PNG.", "图表工具栏上的相机图标可保存 PNG。"),
}
