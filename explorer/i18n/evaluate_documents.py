"""Evaluate page, runs of documents (pages/_evaluate_documents_ui.py)."""

STRINGS: dict[str, tuple[str, str]] = {
    "title": ("Document tests", "文档的检验"),
    "intro": ("Do the vectors know what the documents are about? Tested on the labels your documents came with "
              "and on pairs of documents rated by people.",
              "向量知道文档讲的是什么吗？用文档自带的标签和人工打分的文档对来检验。"),
    "no_labels": ("The documents of this run have no labels, so label prediction and clusters against labels cannot "
                  "be measured. Give a label column when you train or encode (a column named label, category or "
                  "class is found by itself) to see them. What is possible now: the rated pairs below.",
                  "这个运行的文档没有标签，因此无法测量标签预测，也无法把聚类与标签比较。训练或编码时指定标签列即可看到。"
                  "现在可以做的：下面的人工打分文档对。"),
    "one_label": ("Label prediction needs at least two labels with two documents each; this run has {n:,} labelled "
                  "documents and {k} such labels.",
                  "标签预测至少需要两个各有两篇文档的标签；这个运行有 {n:,} 篇带标签的文档，符合条件的标签有 {k} 个。"),
    "labels_title": ("Label prediction", "标签预测"),
    "labels_explain": ("A logistic regression learns each document's label from its vector and is tested on documents "
                       "it did not learn from (cross-validation). Beside it, on the very same folds, the classic "
                       "baseline: TF-IDF of the documents' words and word pairs with the same logistic regression. "
                       "Vectors are worth their cost when they beat counting words.",
                       "逻辑回归根据每篇文档的向量学习它的标签，并在没有学过的文档上测试（交叉验证）。旁边是在完全相同的"
                       "折上计算的经典基线：文档中词和相邻词对的 TF-IDF，加上同样的逻辑回归。向量只有胜过数词，才值得它的代价。"),
    "folds": ("Folds", "折数"),
    "seed": ("Seed (which documents fall in which fold)", "随机种子（哪些文档分到哪一折）"),
    "computing": ("Training the classifiers on every fold…", "正在每一折上训练分类器……"),
    "vectors": ("Vectors", "向量"),
    "baseline": ("TF-IDF baseline", "TF-IDF 基线"),
    "majority": ("Always the commonest label", "总是猜最常见的标签"),
    "accuracy": ("Accuracy", "准确率"),
    "macro_f1": ("Macro-F1", "宏平均 F1"),
    "vs_baseline": ("baseline {v}", "基线 {v}"),
    "labels_caption": ("{n:,} labelled documents, {k} labels, {folds} stratified folds (seed {seed}); mean over the "
                       "folds ± their standard deviation. The baseline reads the text kept with the run (the first "
                       "200 characters of each document), cut into words by the {lang} tokenizer.",
                       "{n:,} 篇带标签的文档，{k} 个标签，{folds} 折分层交叉验证（种子 {seed}）；各折的平均值 ± 标准差。"
                       "基线读取运行中保存的文字（每篇文档的前 200 个字符），用{lang}分词器切分成词。"),
    "dropped": ("{n:,} documents whose label has only one document were left out.",
                "有 {n:,} 篇文档的标签只有这一篇，已排除。"),
    "ahead": ("The vectors predict the labels better than the TF-IDF baseline (accuracy {d:+.3f}).",
              "向量预测标签比 TF-IDF 基线更好（准确率 {d:+.3f}）。"),
    "behind": ("The TF-IDF baseline predicts the labels at least as well as the vectors (accuracy {d:+.3f}): "
               "on these labels, the words alone carry the signal.",
               "TF-IDF 基线预测标签不比向量差（准确率 {d:+.3f}）：对这些标签来说，词本身就带着信号。"),
    "bars_y": ("score (0–1)", "分数（0–1）"),
    "clusters_title": ("Clusters against labels", "聚类与标签的比较"),
    "clusters_caption": ("K-Means with one cluster per label ({k}) on the {n:,} labelled documents' unit vectors. "
                         "NMI and ARI: 1 = the clusters are the labels, 0 = no better than chance.",
                         "对 {n:,} 篇带标签文档的单位向量做 K-Means，每个标签一个簇（{k} 个）。NMI 和 ARI："
                         "1 表示簇就是标签，0 表示不比随机好。"),
    "nmi": ("NMI", "NMI"),
    "ari": ("ARI", "ARI"),
    "pairs_title": ("Document pairs rated by people", "人工打分的文档对"),
    "pairs_explain": ("Upload a CSV or TSV with one pair per row: `id_a, id_b, score` (the ids of docs.tsv, a header "
                      "row is allowed). The cosine of the two documents' vectors is compared with the scores: "
                      "Pearson (linear) and Spearman (same order), 1 = agree, 0 = unrelated.",
                      "上传 CSV 或 TSV，每行一对：`文档A编号, 文档B编号, 分数`（编号即运行文档表中的编号，可以有表头行）。把两篇文档"
                      "向量的余弦与分数比较：Pearson（线性）和 Spearman（顺序一致），1 表示一致，0 表示无关。"),
    "pairs_upload": ("Rated pairs (.csv, .tsv, .txt)", "打分的文档对（.csv、.tsv、.txt）"),
    "pearson": ("Pearson r", "Pearson r"),
    "spearman": ("Spearman ρ", "Spearman ρ"),
    "pairs_found": ("{found:,} of {total:,} pairs name two documents of this run; the others are skipped.",
                    "{total:,} 对中有 {found:,} 对的两篇文档都在这个运行中；其余的被跳过。"),
    "constant_cosine": ("Every pair found has the same cosine: no correlation can be computed.",
                        "找到的每一对余弦都相同，无法计算相关系数。"),
    "col_id_a": ("document A", "文档 A"),
    "col_id_b": ("document B", "文档 B"),
    "col_score": ("score", "分数"),
    "col_cosine": ("cosine", "余弦"),
    "lang=en": ("English", "英文"),
    "lang=zh": ("Chinese (jieba)", "中文（jieba）"),
    "lang=pretokenized": ("space-separated", "按空格"),
}
