"""Lesson step 5: recommending with embeddings."""

STRINGS: dict[str, tuple[str, str]] = {
    "title": ("Recommending with embeddings", "用嵌入向量做推荐"),
    "intro": (
        "The same idea works for people and things: every **user** and every **item** gets a vector, trained "
        "so that u·v is high for items the user clicked and low for random others. The score is u·v plus the "
        "item's bias (how popular it is in general); σ(score) is the predicted **click probability**, and "
        "training minimises the binary cross-entropy (BCE): −log σ(score) for a click, −log(1 − σ(score)) for "
        "a non-click. Below: the model chosen in the box just under this text (yours, or the one trained on the "
        "bundled interaction log).",
        "同样的想法也适用于人和物：每个**用户**和每个**物品**都有一个向量，训练让用户点过的物品 u·v 大、随机的其他物品 u·v 小。"
        "分数是 u·v 加上物品的偏置（它整体上有多受欢迎）；σ(分数) 就是预测的**点击概率**，训练最小化二元交叉熵（BCE）："
        "点击的损失是 −log σ(分数)，没点击的是 −log(1 − σ(分数))。下面用的是这段文字下方选中的模型（你自己的，或在自带交互日志上训练的模型）。",
    ),
    "sample_only": (
        "Your models are all of other kinds (words, documents or graph nodes), so this step uses the bundled "
        "sample interaction log. To see your own users and items: upload an interaction log (who clicked, "
        "bought or rated what) on **Data**, then train a user–item model on **Train**.",
        "你的模型都是其他类型（词、文档或图节点），所以本步使用自带的交互日志样例。想看你自己的用户和物品："
        "先在**数据**页面上传一份交互日志（谁点击、购买或评分了什么），再到**训练**页面训练一个用户–物品模型。",
    ),
    "user": ("User", "用户"),
    "history": ("{user} has {n} interactions in the log.", "{user} 在日志里有 {n} 条交互。"),
    "vectors_title": ("A user and two items as numbers", "一个用户和两个物品的数字"),
    "vectors_explain": ("The first {m} of {d} numbers of each vector.", "每个向量 {d} 个数字中的前 {m} 个。"),
    "row_user": ("user {name}", "用户 {name}"),
    "row_clicked": ("clicked: {name}", "点过：{name}"),
    "row_unseen": ("never seen: {name}", "没看过：{name}"),
    "item": ("item", "物品"),
    "dot": ("u·v", "u·v"),
    "bias": ("item bias", "物品偏置"),
    "score": ("score = u·v + bias", "分数 = u·v + 偏置"),
    "p_click": ("σ(score) = click probability", "σ(分数) = 点击概率"),
    "bce_click": ("BCE if clicked: −log σ", "若点击的 BCE：−log σ"),
    "bce_skip": ("BCE if not clicked: −log(1−σ)", "若未点击的 BCE：−log(1−σ)"),
    "bce_explain": (
        "A confident right guess costs almost nothing; a confident wrong guess costs a lot. Training pushes the "
        "clicked item's score up and sampled non-clicked items' scores down.",
        "有把握且猜对，损失几乎为 0；有把握却猜错，损失很大。训练会把点过的物品分数推高，把抽到的没点过的物品分数压低。",
    ),
    "top_title": ("The model's top items for this user, and why", "模型给这个用户推荐的前几个物品，以及原因"),
    "top_explain": (
        "Items the user has not interacted with, ranked by score. “Because” lists the user's own past items "
        "whose vectors are most similar to the recommended one.",
        "按分数排列用户没有交互过的物品。“因为”列出用户过去点过的、向量与推荐物品最相似的物品。",
    ),
    "because": ("because (cosine)", "因为（余弦）"),
    "title_col": ("title", "标题"),
    "check_q": ("Which is more likely to be clicked by this user: “{a}” or “{b}”?", "这个用户更可能点击哪一个：“{a}”还是“{b}”？"),
    "check_why": ("σ(score) is {pa:.3f} for the first and {pb:.3f} for the second.", "第一个的 σ(分数) 是 {pa:.3f}，第二个是 {pb:.3f}。"),
}
