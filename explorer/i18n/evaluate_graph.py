"""Evaluate page, graph runs (pages/_graph_eval_ui.py)."""

STRINGS: dict[str, tuple[str, str]] = {
    "title": ("Graph tests", "图上的检验"),
    "intro": ("Measured when the run was trained, on edges and labels the vectors never saw during training.",
              "在训练时测得：使用的是训练中向量没有见过的边和标签。"),
    "link_title": ("Link prediction", "链接预测"),
    "auc": ("ROC-AUC", "ROC-AUC"),
    "link_caption": ("{n_edges:,} edges ({share:.0%}) were held out before walking and scored against {n_non_edges:,} "
                     "random node pairs without an edge, by the cosine of their vectors. 0.5 = chance, 1 = every held-out "
                     "edge scores above every non-edge.",
                     "游走前留出 {n_edges:,} 条边（{share:.0%}），与 {n_non_edges:,} 对随机的无边节点对比较，按向量余弦打分。"
                     "0.5 = 随机水平，1 = 每条留出的边都比每个无边对得分高。"),
    "no_link": ("No edges were held out (holdout 0), so there is no link-prediction score.",
                "没有留出边（holdout 为 0），因此没有链接预测分数。"),
    "class_title": ("Node classification", "节点分类"),
    "macro_f1": ("macro-F1", "宏平均 F1"),
    "accuracy": ("Accuracy", "准确率"),
    "class_caption": ("Logistic regression on the unit vectors of {n_train:,} labelled nodes, tested on the other "
                      "{n_test:,} ({n_classes} classes; split: {split}).",
                      "在 {n_train:,} 个带标签节点的单位向量上训练逻辑回归，在另外 {n_test:,} 个节点上测试"
                      "（{n_classes} 类；划分：{split}）。"),
    "clusters_title": ("Communities found by K-Means", "K-Means 找到的社区"),
    "nmi": ("NMI", "NMI（归一化互信息）"),
    "ari": ("ARI", "ARI（调整兰德指数）"),
    "clusters_caption": ("K-Means with k = {k} (the number of labels) on the unit vectors of {n:,} nodes, compared with "
                         "their labels. 1 = the labelled groups recovered exactly, about 0 = unrelated.",
                         "对 {n:,} 个节点的单位向量做 K-Means（k = {k}，即标签数），与标签比较。"
                         "1 = 完全找回带标签的分组，约 0 = 毫无关系。"),
    "no_labels": ("This run has no node labels: node classification and cluster agreement need a label file.",
                  "此运行没有节点标签：节点分类和聚类一致性需要标签文件。"),
    "training": ("{steps:,} walk steps in {walks:,} walks, {rate:,.0f} steps/s on {workers} thread(s).",
                 "共 {walks:,} 条游走、{steps:,} 步，每秒 {rate:,.0f} 步，使用 {workers} 个线程。"),
}
