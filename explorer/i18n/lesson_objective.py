"""Lesson step 2: the objective."""

STRINGS: dict[str, tuple[str, str]] = {
    "title": ("The objective: what training minimises", "目标函数：训练在最小化什么"),
    "intro": (
        "For a pair (centre, context) the model takes the centre's vector **u** and the context's output vector "
        "**v**; σ(u·v) is its belief that they really appear together. It should be near 1 for the real pair and "
        "near 0 for k random **negative** words n₁…n_k, so the loss of one pair is  \n"
        "**loss = −log σ(u·v) − Σₖ log σ(−u·nₖ)**.  \nBelow: one real pair of the model chosen above.",
        "对一个（中心词，上下文）词对，模型取中心词的向量 **u** 和上下文词的输出向量 **v**；σ(u·v) 表示模型相信它们"
        "真的一起出现的程度。对真实词对它应接近 1，对 k 个随机**负样本**词 n₁…n_k 应接近 0，所以一个词对的损失是  \n"
        "**损失 = −log σ(u·v) − Σₖ log σ(−u·nₖ)**。  \n下面是上面所选模型里的一个真实词对。",
    ),
    "sample_only": (
        "None of your models kept its context vectors, which this step needs, so it uses the bundled sample's model. "
        "A model keeps them when it is trained with frames: on **Train**, set **Frames to watch it learn** above 0.",
        "你的模型都没有保存这一步需要的上下文向量，所以本步使用自带样例的模型。带帧训练的模型会保存它们：在**训练**"
        "页面把“保存的帧数（看模型学习）”设为大于 0。",
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
    "compare_own": (
        "Your text was trained both ways with the same architecture: **{ns}** (negative sampling) and **{sm}** (full "
        "softmax). Their numbers below come from those two runs.",
        "你的文本用同一种架构训练了两次：**{ns}**（负采样）和 **{sm}**（完整 softmax）。下表的数字来自这两个运行。",
    ),
    "compare_overlap": (
        "For the 100 most frequent words, the two models agree on {share:.0%} of each word's 10 nearest neighbours.",
        "在最常见的 100 个词上，两个模型给出的 10 个最近邻平均有 {share:.0%} 相同。",
    ),
    "compare_own_hint": (
        "To compare the two objectives on this model's text ({words:,} words in its vocabulary), train it once more "
        "on the Train page with the loss set to full softmax (slower: every pair is scored against the whole "
        "vocabulary); this step then compares those two runs.",
        "要在这个模型的文本上（词表 {words:,} 个词）比较两种目标函数，请在“训练”页面把损失设为完整 softmax 再训练一次"
        "（更慢：每个词对都要和整个词表比较）；之后这一步就会比较这两个运行。",
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
    "glove_title": ("GloVe: the same corpus as one table of counts", "GloVe：把同一份语料看成一张计数表"),
    "glove_explain": (
        "GloVe does not read pairs one at a time: it first counts, for every two words, how often they meet. Each "
        "time word j appears d words away from word i (d ≤ window {window}), the cell X_ij gains 1/d: a neighbour "
        "adds 1, a word two places away 0.5. Training then fits one cell at a time: the prediction "
        "w_i·w̃_j + b_i + b̃_j should equal log X_ij, and the squared error is weighted by "
        "f(X) = min(1, (X/x_max)^α) with x_max = {x_max:g}, α = {alpha:g}, so rare pairs count less. The run keeps "
        "the counts of its {k} most frequent words.",
        "GloVe 不是一次读一个词对：它先数出每两个词见面的次数。词 j 每出现在词 i 的 d 个词之外一次（d ≤ 窗口 {window}），"
        "格子 X_ij 就加 1/d：紧挨着的邻居加 1，隔一个词的加 0.5。训练时一次拟合一个格子：预测值 "
        "w_i·w̃_j + b_i + b̃_j 应该等于 log X_ij，平方误差再乘以权重 f(X) = min(1, (X/x_max)^α)，其中 "
        "x_max = {x_max:g}，α = {alpha:g}，所以少见的词对算得轻。这个运行保存了它最常见的 {k} 个词之间的计数。"),
    "g_word_i": ("Word i", "词 i"),
    "g_word_j": ("Word j (the words it met most first)", "词 j（和它见面最多的排在前面）"),
    "g_alone": ("{word} met none of the most frequent words; pick another word.",
                "{word} 没有和最常见的词见过面；换一个词。"),
    "quantity": ("quantity", "量"),
    "value": ("value", "值"),
    "g_x": ("X_ij (Σ 1/distance)", "X_ij（Σ 1/距离）"),
    "g_weight": ("weight f(X_ij)", "权重 f(X_ij)"),
    "g_dot": ("w_i·w̃_j", "w_i·w̃_j"),
    "g_b": ("b_i", "b_i"),
    "g_bc": ("b̃_j", "b̃_j"),
    "g_prediction": ("prediction", "预测值"),
    "g_log_x": ("log X_ij", "log X_ij"),
    "g_error": ("error (prediction − log X)", "误差（预测值 − log X）"),
    "g_cell_loss": ("f(X)·error² (this cell's loss)", "f(X)·误差²（这个格子的损失）"),
    "g_fig": ("The prediction's parts and its target log X for ({i}, {j})", "({i}, {j}) 的预测值各部分与目标 log X"),
    "g_sentence": (
        "**{i}** and **{j}** met with weight X = {x:.3f}, so f(X) = {f:.3f}. The model predicts {p:.3f} where "
        "log X = {l:.3f}: this cell adds **{loss:.4f}** to GloVe's loss.",
        "**{i}** 和 **{j}** 见面的加权次数 X = {x:.3f}，所以 f(X) = {f:.3f}。模型预测 {p:.3f}，而 log X = {l:.3f}："
        "这个格子给 GloVe 的损失贡献 **{loss:.4f}**。"),
    "g_beside": (
        "Beside it, Skip-gram ({run}) on the same corpus scores the pair ({i}, {j}) with σ(u·v) = {s:.3f} and 5 "
        "random negatives: its pair loss is **{loss:.4f}** (GloVe's cell: {glove:.4f}). The numbers are on different "
        "scales: Skip-gram asks \"do they meet?\" for each sighting, GloVe asks \"how often?\" once per pair of words.",
        "旁边是同一份语料上的 Skip-gram（{run}）：对词对 ({i}, {j})，σ(u·v) = {s:.3f}，加上 5 个随机负样本，"
        "这个词对的损失是 **{loss:.4f}**（GloVe 的格子：{glove:.4f}）。两者量纲不同：Skip-gram 每见到一次就问“它们"
        "是否一起出现？”，GloVe 对每两个词只问一次“一起出现了多少次？”。"),
    "g_no_skipgram": ("Train Skip-gram on the same corpus to see its loss for this pair beside GloVe's cell.",
                      "在同一份语料上训练 Skip-gram，就能在 GloVe 的格子旁边看到它对这个词对的损失。"),
    "g_no_glove": ("Train GloVe on the same corpus (Train page) to see this pair as one cell of its count table.",
                   "在训练页用同一份语料训练 GloVe，就能看到这个词对在计数表里的格子。"),
    "g_not_met": ("In {run}, {i} and {j} are not both among the most frequent words that met: no cell to show.",
                  "在 {run} 里，{i} 和 {j} 不都在见过面的最常见词里：没有可显示的格子。"),
    "g_beside_sg": ("Skip-gram's loss for this pair above: **{sg:.4f}**; GloVe's cell: **{glove:.4f}**.",
                    "上面 Skip-gram 对这个词对的损失：**{sg:.4f}**；GloVe 的格子：**{glove:.4f}**。"),
    "g_check_q": ("GloVe's next step on the cell ({i}, {j}): does it raise or lower the prediction w_i·w̃_j + b_i + b̃_j?",
                  "GloVe 对格子 ({i}, {j}) 的下一步：会让预测值 w_i·w̃_j + b_i + b̃_j 变大还是变小？"),
    "g_raise": ("raise it", "变大"),
    "g_lower": ("lower it", "变小"),
    "g_check_why": ("the step moves the prediction {p:.3f} towards the target log X = {l:.3f}.",
                    "这一步把预测值 {p:.3f} 推向目标 log X = {l:.3f}。"),
}
