"""Lesson step 2: the objective."""

STRINGS: dict[str, tuple[str, str]] = {
    "title": ("The objective: what training minimises", "目标函数：训练在最小化什么"),
    "intro": (
        "For a pair (centre, context) the model takes the centre's vector **u** and the context's output vector "
        "**v**; σ(u·v) is its belief that they really appear together. It should be near 1 for the real pair and "
        "near 0 for k random **negative** words n₁…n_k, so the loss of one pair is  \n"
        "**loss = −log σ(u·v) − Σₖ log σ(−u·nₖ)**.  \nBelow: one real pair of the trained sample model.",
        "对一个（中心词，上下文）词对，模型取中心词的向量 **u** 和上下文词的输出向量 **v**；σ(u·v) 表示模型相信它们"
        "真的一起出现的程度。对真实词对它应接近 1，对 k 个随机**负样本**词 n₁…n_k 应接近 0，所以一个词对的损失是  \n"
        "**损失 = −log σ(u·v) − Σₖ log σ(−u·nₖ)**。  \n下面是训练好的样例模型里的一个真实词对。",
    ),
    "no_context": (
        "This model did not keep its context vectors (models trained with frames do). Retrain the sample.",
        "这个模型没有保存上下文向量（带帧训练的模型会保存）。请重新训练样例。",
    ),
    "centre": ("Centre word", "中心词"),
    "context": ("Context word (the model's likeliest contexts first)", "上下文词（模型认为最可能的排在前面）"),
    "k": ("k negatives", "负样本数 k"),
    "term": ("term", "项"),
    "word": ("word", "词"),
    "dot": ("dot product", "点积"),
    "prob": ("σ (probability it is right)", "σ（判断正确的概率）"),
    "loss_term": ("−log σ (loss)", "−log σ（损失）"),
    "positive": ("positive: u·v", "正样本：u·v"),
    "negative": ("negative {i}: u·n", "负样本 {i}：u·n"),
    "total": ("Loss of this pair: **{loss:.4f}** (the trainer's own loss function gives {check:.4f}).",
              "这个词对的损失：**{loss:.4f}**（训练器自己的损失函数算出 {check:.4f}）。"),
    "terms_title": ("Each term's share of the loss", "每一项对损失的贡献"),
    "step_title": ("One gradient step", "一步梯度下降"),
    "lr": ("learning rate", "学习率"),
    "step_explain": (
        "The gradient says which way to move each vector to lower the loss: u moves towards v and away from the "
        "negatives, v moves towards u, each negative moves away from u. After one step with this learning rate "
        "σ(u·v) goes from {p0:.3f} to {p1:.3f} and the loss from {l0:.4f} to {l1:.4f}.",
        "梯度告诉我们每个向量该往哪个方向走才能降低损失：u 靠近 v、远离负样本，v 靠近 u，每个负样本远离 u。"
        "用这个学习率走一步后，σ(u·v) 从 {p0:.3f} 变成 {p1:.3f}，损失从 {l0:.4f} 变成 {l1:.4f}。",
    ),
    "step_fig": ("The vectors before (lines) and where one step moves them (arrows), in their best-fitting plane",
                 "走一步之前的向量（线）和一步之后移动到的位置（箭头），画在最贴合它们的平面上"),
    "compare_title": ("Negative sampling vs full softmax", "负采样与完整 softmax 对比"),
    "compare_explain": (
        "The full softmax scores the centre against **every** word of the vocabulary for each pair; negative "
        "sampling against k random ones. Both were trained on the same sample with the same small settings "
        "(dim {dim}, {epochs} epochs). Quality: the share of each labelled word's 5 nearest neighbours that "
        "share its planted category.",
        "完整 softmax 对每个词对都要和词表里**所有**词比较；负采样只和 k 个随机词比较。两者在同一份样例上用同样的小设置"
        "（维度 {dim}，{epochs} 轮）训练。质量：每个带标签的词的 5 个最近邻里，和它属于同一预设类别的比例。",
    ),
    "compare_wait": ("The two comparison models are training in the background.", "两个对比模型正在后台训练。"),
    "objective": ("objective", "目标函数"),
    "seconds": ("training seconds", "训练秒数"),
    "final_loss": ("final loss", "最终损失"),
    "agreement": ("neighbours with the same category", "近邻同类比例"),
    "loss_note": ("(The two losses are on different scales: softmax is over the whole vocabulary.)",
                  "（两种损失的量纲不同：softmax 是在整个词表上算的。）"),
    "family_title": ("The same idea elsewhere: contrastive and triplet losses", "同一个想法的其他形式：对比损失与三元组损失"),
    "family_explain": (
        "- **Contrastive (InfoNCE)**, used to train sentence and image embeddings: a softmax over the positive and "
        "the negatives only. For this pair: **{nce:.4f}**.\n"
        "- **Triplet**: with distances instead of dot products, the positive must be closer than each negative by "
        "a margin: max(0, |u−v| − |u−n| + 1). For this pair: **{tri:.4f}** (|u−v| = {dp:.3f}, mean |u−n| = {dn:.3f}).\n\n"
        "All three pull the pair together and push random others apart; they differ in how they score.",
        "- **对比损失（InfoNCE）**，用于训练句子和图片的嵌入：只在正样本和负样本上做 softmax。这个词对：**{nce:.4f}**。\n"
        "- **三元组损失**：用距离代替点积，要求正样本比每个负样本至少近一个间隔：max(0, |u−v| − |u−n| + 1)。"
        "这个词对：**{tri:.4f}**（|u−v| = {dp:.3f}，平均 |u−n| = {dn:.3f}）。\n\n"
        "三者都是把真实词对拉近、把随机的词推远，区别只在打分方式。",
    ),
    "check_q": ("After this one step, does σ(u·v) for the real pair go up or down?", "走完这一步后，真实词对的 σ(u·v) 是变大还是变小？"),
    "up": ("up", "变大"),
    "down": ("down", "变小"),
    "check_why": ("it went from {p0:.4f} to {p1:.4f}.", "它从 {p0:.4f} 变成了 {p1:.4f}。"),
}
