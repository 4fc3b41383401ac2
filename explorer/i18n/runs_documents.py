"""Runs page, comparing two runs of documents (pages/_runs_compare_ui.py)."""

STRINGS: dict[str, tuple[str, str]] = {
    "rows=words": ("words", "词"),
    "rows=documents": ("documents", "文档"),
    "rows=items": ("items", "物品"),
    "rows=nodes": ("graph nodes", "图节点"),
    "rows_differ": ("Run A holds {a} and run B holds {b}: only runs of the same kind of rows can be compared. Pick "
                    "two runs of documents (made from the same documents, matched by id) or two runs of words.",
                    "模型 A 的行是{a}，模型 B 的行是{b}：只有行的种类相同的两个模型才能比较。请选择两个文档模型"
                    "（由同一批文档得到，按编号对应），或两个词向量模型。"),
    "no_shared_docs": ("The two runs share fewer than 3 documents (matched by id): compare runs made from the same "
                       "documents, e.g. Doc2Vec and E5 on one file.",
                       "两个模型共有的文档（按编号对应）少于 3 篇：请比较由同一批文档得到的模型，例如同一个文件上的 "
                       "Doc2Vec 和 E5。"),
    "shared_docs": ("{n:,} documents in both runs, matched by id ({a:,} in A, {b:,} in B); comparing {m:,}, in the "
                    "order of A.",
                    "两个模型共有 {n:,} 篇文档，按编号对应（A 有 {a:,} 篇，B 有 {b:,} 篇）；按 A 的顺序比较其中 {m:,} 篇。"),
    "max_docs": ("Documents compared", "参与比较的文档数"),
    "k_help": ("Jaccard@k = shared neighbours / all neighbours of a document among its k nearest in A and in B.",
               "Jaccard@k = 某篇文档在 A 与 B 中各自前 k 个近邻的交集大小 / 并集大小。"),
    "mean_jaccard_help": ("1 = every document keeps exactly the same neighbours; 0 = none in common.",
                          "1 表示每篇文档的近邻完全相同；0 表示没有任何共同近邻。"),
    "identical": ("documents with identical neighbours", "近邻完全相同的文档"),
    "changed_title": ("Documents whose neighbourhoods differ most", "近邻差别最大的文档"),
    "col_doc": ("document", "文档"),
    "hist_x": ("Jaccard@k per document", "每篇文档的 Jaccard@k"),
    "hist_y": ("documents", "文档数"),
    "aligned_caption": ("B is rotated onto A using the shared documents, so that positions can be compared; both are "
                        "drawn with the same 2D PCA axes. Residual after alignment: {residual:.3f} (0 = same shape).",
                        "先用共有的文档把 B 旋转对齐到 A，位置才能直接比较；两张图使用同一组二维 PCA 坐标轴。"
                        "对齐后残差：{residual:.3f}（0 表示形状完全相同）。"),
}
