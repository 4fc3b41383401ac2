"""Train page: model choice, hyperparameters (one-line help each), job progress and history."""

STRINGS: dict[str, tuple[str, str]] = {
    "title": ("Train", "训练"),
    "model": ("Model", "模型"),
    "using_sample": (
        "No data of this kind chosen on the Data page yet: training uses the bundled sample.",
        "还没有在“数据”页选择这类数据：将使用自带样例训练。",
    ),
    "data": ("Data: {name}", "数据：{name}"),
    "run_name": ("Name of the model", "模型名称"),
    "train": ("Train", "开始训练"),
    "queued": ("Waiting in the queue (position {position})…", "排队等待中（第 {position} 位）……"),
    "progress": ("{stage}: epoch {epoch}/{epochs} · {pct:.0f}%", "{stage}：第 {epoch}/{epochs} 轮 · {pct:.0f}%"),
    "progress_no_epoch": ("{stage} · {pct:.0f}%", "{stage} · {pct:.0f}%"),
    "stage_tokenize": ("Tokenizing", "分词"),
    "stage_train": ("Training", "训练"),
    "stage_evaluate": ("Evaluating", "评估"),
    "stage_project": ("Projecting", "投影"),
    "stage_precompute": ("Precomputing", "预计算"),
    "stage_copy": ("Copying", "复制"),
    "stage_done": ("Done", "完成"),
    "stage_cancelled": ("Cancelled", "已取消"),
    "too_few_words": (
        "Fewer than 2 distinct words occur at least {min_count} times in {name}: training would fail. "
        "Lower the minimum count on the Data page, or use a bigger file.",
        "{name} 中出现至少 {min_count} 次的不同词少于 2 个，训练会失败。请在“数据”页降低最低词频，或换一个更大的文件。",
    ),
    "words_per_s": ("words/s", "词/秒"),
    "interactions_per_s": ("interactions/s", "交互/秒"),
    "steps_per_s": ("walk steps/s", "游走步/秒"),
    "documents_per_s": ("documents/s", "文档/秒"),
    "cells_per_s": ("co-occurrence cells/s", "共现单元/秒"),
    "nodes_per_s": ("nodes/s", "节点/秒"),
    "eta": ("time left", "剩余时间"),
    "loss": ("loss", "损失"),
    "report": ("progress report", "进度报告"),
    "cancel": ("Cancel", "取消"),
    "job_title": ("Job “{name}”: {state}", "任务“{name}”：{state}"),
    "done": ("Finished in {s:.1f} s.", "用时 {s:.1f} 秒完成。"),
    "failed": ("Training failed: {error}", "训练失败：{error}"),
    "retry": ("Retry", "重试"),
    "cancelled": ("This job was cancelled; nothing was saved.", "任务已取消，没有保存任何结果。"),
    "jobs_title": ("Your training jobs", "你的训练任务"),
    "no_jobs": ("No jobs yet.", "还没有任务。"),
    "col_name": ("name", "名称"),
    "col_kind": ("model", "模型"),
    "col_state": ("state", "状态"),
    "col_created": ("submitted", "提交时间"),
    "col_seconds": ("seconds", "秒"),
    "col_outcome": ("outcome", "结果"),
    # hyperparameters: label + one-line help (defaults come from explorer/configs.py)
    "f_dim": ("Vector size (dim)", "向量维度（dim）"),
    "help_dim": ("Numbers per vector. More can hold finer meaning but needs more data. Default {default}.",
                 "每个向量包含的数字个数。越多越能表达细微含义，但需要更多数据。默认 {default}。"),
    "f_window": ("Context window", "上下文窗口"),
    "help_window": ("How many words on each side count as context (sampled 1..window). Default {default}.",
                    "左右各多少个词算作上下文（在 1 到 window 之间随机取）。默认 {default}。"),
    "f_negatives": ("Negative samples", "负样本数"),
    "help_negatives": ("Random 'wrong' words contrasted with each true pair. Default {default}.",
                       "每个真实词对配上多少个随机“错误”词作对比。默认 {default}。"),
    "counted_preset": ("Starting values suited to this data ({tokens} tokens counted on the Data page): {changes}. "
                       "A small corpus needs more passes for its words to move apart; change them if you like.",
                       "已按此数据（数据页面统计到 {tokens} 个词元）调整初始值：{changes}。语料较小时需要更多轮训练，"
                       "词语才能彼此分开；可以自行修改。"),
    "counted_preset_doc2vec": ("Starting values suited to these documents ({tokens} words counted on the Data page): "
                               "{changes}. Short documents need more passes for their vectors to move apart; change "
                               "them if you like.",
                               "已按这些文档（数据页面统计到 {tokens} 个词）调整初始值：{changes}。文档较短时需要更多轮训练，"
                               "文档向量才能彼此分开；可以自行修改。"),
    "counted_change": ("{field} {value} (usually {usual})", "{field} {value}（通常为 {usual}）"),
    "f_epochs": ("Epochs", "训练轮数"),
    "help_epochs": ("Passes over the whole data. Default {default}.", "完整遍历数据的次数。默认 {default}。"),
    "f_min_count": ("Minimum count", "最低词频"),
    "help_min_count": ("Words seen fewer times are dropped. Default {default}.",
                       "出现次数少于此值的词会被去掉。默认 {default}。"),
    "f_max_vocab": ("Max vocabulary (0 = no limit)", "最大词表（0 = 不限）"),
    "help_max_vocab": ("Keep only the most frequent words. Default {default} (no limit).",
                       "只保留最常见的这么多词。默认 {default}（不限）。"),
    "f_sample": ("Subsampling threshold", "高频词下采样阈值"),
    "help_sample": ("Randomly skips very frequent words like 'the'; 0 turns it off. Default {default}.",
                    "随机跳过 “的”“the” 这类极高频词；0 表示关闭。默认 {default}。"),
    "f_lr": ("Learning rate", "学习率"),
    "help_lr": ("Step size of each update. Default {default}.", "每次更新的步长。默认 {default}。"),
    "f_seed": ("Random seed", "随机种子"),
    "help_seed": ("Same seed + same data = same model. Default {default}.",
                  "相同的种子和数据会得到相同的模型。默认 {default}。"),
    "f_loss": ("Objective", "训练目标"),
    "help_loss": ("Skip-gram: negative sampling (fast) or full softmax (exact, vocabularies ≤ 5,000); "
                  "user–item: BCE with sampled negatives or BPR pairwise ranking. Default {default}.",
                  "Skip-gram：负采样（快）或完整 softmax（精确，词表 ≤ 5000）；"
                  "用户–物品：带负采样的 BCE 或 BPR 成对排序。默认 {default}。"),
    "f_workers": ("CPU threads (0 = all)", "CPU 线程数（0 = 全部）"),
    "help_workers": ("Threads used for training. Default {default}.", "训练使用的线程数。默认 {default}。"),
    "f_device": ("Device", "设备"),
    "help_device": ("auto uses a GPU when there is one. Default {default}.", "自动：有 GPU 就用 GPU。默认 {default}。"),
    "f_frames": ("Frames to watch it learn", "保存的帧数（看模型学习）"),
    "help_frames": ("Copies of the vectors kept during training for the lesson's player (0: none; big models keep "
                    "fewer rows or frames). Default {default}.",
                    "训练过程中保存的向量副本，用于课程里的播放器（0 表示不保存；大模型会少存一些行或帧）。默认 {default}。"),
    "f_snapshots": ("Keep a snapshot per epoch", "每轮保存快照"),
    "help_snapshots": ("Saves the vectors after every epoch, to watch the model learn. Default {default}.",
                       "每轮结束后保存一次向量，用来观察模型如何学习。默认 {default}。"),
    "f_walk": ("Walks", "游走方式"),
    "help_walk": ("deepwalk: every neighbour equally likely; node2vec: edge weights count, biased by p and q. "
                  "Default {default}.", "deepwalk：每个邻居等概率；node2vec：考虑边权重，并按 p、q 调整。默认 {default}。"),
    "f_p": ("p (return)", "p（返回参数）"),
    "help_p": ("node2vec only: small p often steps back to the previous node. Default {default}.",
               "仅 node2vec：p 越小越常退回上一个节点。默认 {default}。"),
    "f_q": ("q (in–out)", "q（进出参数）"),
    "help_q": ("node2vec only: small q walks outward (explores), large q stays among close neighbours. "
               "Default {default}.", "仅 node2vec：q 小则向外探索，q 大则留在近邻之间。默认 {default}。"),
    "f_walk_length": ("Walk length", "游走长度"),
    "help_walk_length": ("Nodes per walk (a walk is one 'sentence'). Default {default}.",
                         "每次游走的节点数（一次游走就是一个“句子”）。默认 {default}。"),
    "f_walks_per_node": ("Walks per node", "每个节点的游走次数"),
    "help_walks_per_node": ("Walks started at every node in each epoch. Default {default}.",
                            "每轮从每个节点出发的游走次数。默认 {default}。"),
    "f_directed": ("Directed graph", "有向图"),
    "help_directed": ("Walk edges only from source to target. Default {default}.",
                      "只沿边的源→目标方向游走。默认 {default}。"),
    "f_holdout": ("Held-out edges (link prediction)", "留出边（链接预测）"),
    "help_holdout": ("Share of edges removed before walking and used to score link prediction; 0 turns it off. "
                     "Default {default}.", "游走前移除并用于评估链接预测的边的比例；0 表示关闭。默认 {default}。"),
    "f_neg_sampling": ("Negative sampling", "负样本抽取方式"),
    "help_neg_sampling": ("Pick negative items uniformly or by popularity^alpha. Default {default}.",
                          "均匀抽取负样本物品，或按 流行度^alpha 抽取。默认 {default}。"),
    "f_neg_alpha": ("Popularity exponent (alpha)", "流行度指数（alpha）"),
    "help_neg_alpha": ("Only for popularity sampling: 0 = uniform, 1 = proportional. Default {default}.",
                       "仅用于按流行度抽样：0 = 均匀，1 = 按比例。默认 {default}。"),
    "f_weight_decay": ("Weight decay", "权重衰减"),
    "help_weight_decay": ("L2 penalty that keeps vectors small (fights overfitting). Default {default}.",
                          "L2 惩罚，让向量保持较小（防止过拟合）。默认 {default}。"),
    "f_batch_size": ("Batch size", "批大小"),
    "help_batch_size": ("Positive interactions per update step. Default {default}.",
                        "每次更新使用的正样本交互数。默认 {default}。"),
    "f_arch": ("Architecture", "模型结构"),
    "help_arch": ("skipgram predicts each nearby word from the centre word; cbow predicts the centre word from "
                  "the mean of its nearby words (faster, smoother for frequent words). Doc2Vec: dbow lets each "
                  "document's vector predict its words; dm averages it with the nearby words. Default {default}.",
                  "Skip-gram：用中心词预测每个邻近词；CBOW：用邻近词向量的平均预测中心词（更快，对高频词更平滑）。"
                  "Doc2Vec：PV-DBOW 用文档向量预测文档中的词；PV-DM 把文档向量和邻近词向量平均后预测。默认 {default}。"),
    "f_encoder": ("Encoder", "编码器"),
    "help_encoder": ("e5: multilingual E5-small bundled with the app (works offline, English, Chinese and ~100 "
                     "languages); endpoint: the OpenAI-compatible embeddings API your administrator set. "
                     "Graph neural networks: gcn sums the neighbours' vectors, normalised; gat weighs each neighbour "
                     "by attention. Default {default}.",
                     "e5：应用自带的多语言 E5-small（离线可用，支持英文、中文等约 100 种语言）；endpoint：管理员设置的"
                     " OpenAI 兼容嵌入 API。图神经网络：gcn 把邻居向量归一化求和；gat 用注意力给每个邻居加权。"
                     "默认 {default}。"),
    "f_label_rate": ("Labels used for training", "用于训练的标签比例"),
    "help_label_rate": ("Share of the labelled nodes the network trains on; the others are held out and scored "
                        "(accuracy, macro-F1). 1 trains on all and reports no score. Default {default}.",
                        "网络用来训练的带标签节点比例；其余节点留出并评分（准确率、宏平均 F1）。1 表示全部用于训练，不报告分数。"
                        "默认 {default}。"),
    "f_node_ids": ("A learned vector per node", "为每个节点学习一个向量"),
    "help_node_ids": ("Besides degrees (and features), learn one vector per node (one-hot ids): auto does so without "
                      "a features file, up to 100,000 nodes. Default {default}.",
                      "除了度数（和特征）之外，为每个节点学习一个向量（独热编码的 id）：自动＝没有特征文件且不超过 "
                      "100,000 个节点时使用。默认 {default}。"),
    "f_dropout": ("Dropout", "随机丢弃比例"),
    "help_dropout": ("Share of the inputs of each layer set to zero at random while training (against overfitting). "
                     "Default {default}.", "训练时每层输入随机置零的比例（防止过拟合）。默认 {default}。"),
    "f_a": ("SIF smoothing a", "SIF 平滑系数 a"),
    "help_a": ("Each word weighs a / (a + p(w)), p(w) its share of the word run's corpus: a smaller a gives "
               "frequent words (the, of, 的) less weight. Default {default}.",
               "每个词的权重为 a / (a + p(w))，p(w) 是它在词向量模型语料中的占比：a 越小，高频词（the、of、的）"
               "权重越低。默认 {default}。"),
    "f_remove_component": ("Remove the common component", "去掉共同成分"),
    "help_remove_component": ("Subtract from every document its projection on the documents' first principal "
                              "component (what all of them share, mostly frequent words). Default {default}.",
                              "从每篇文档的向量中减去它在所有文档第一主成分上的投影（所有文档共有的部分，多半来自高频词）。"
                              "默认 {default}。"),
    "f_word_run": ("Word run", "词向量模型"),
    "help_word_run": ("The run of word vectors (Skip-gram, CBOW, GloVe or imported) whose vectors SIF averages. "
                      "Default {default}.", "SIF 要平均其词向量的模型（Skip-gram、CBOW、GloVe 或导入的）。默认 {default}。"),
    "sif_word_run": ("Word vectors to average", "要平均的词向量模型"),
    "sif_word_run_help": ("A Skip-gram, CBOW, GloVe or imported run: each document becomes the weighted average of "
                          "its words' vectors in that run (words the run does not know are skipped).",
                          "一个 Skip-gram、CBOW、GloVe 或导入的模型：每篇文档的向量是它的词在该模型中向量的加权平均"
                          "（模型不认识的词跳过）。"),
    "sif_no_word_run": ("SIF averages the vectors of a word run, and there is none yet: train Skip-gram, CBOW or "
                        "GloVe first (the bundled sentences come with a small word run of their own).",
                        "SIF 要平均一个词向量模型的向量，但现在还没有：请先训练 Skip-gram、CBOW 或 GloVe"
                        "（自带的句子样例带有自己的小词向量模型）。"),
    "f_batch": ("Batch", "批大小"),
    "help_batch": ("Documents per call of the encoder (0: chosen so that progress shows every second). "
                   "Default {default}.", "每次调用编码器处理的文档数（0：自动选择，使进度每秒更新）。默认 {default}。"),
    "f_dbow_words": ("Also train word vectors", "同时训练词向量"),
    "help_dbow_words": ("dbow: train word vectors (Skip-gram) in every epoch too, sharing the output layer; "
                        "slower, and word vectors come out as well. Default {default}.",
                        "dbow：每轮同时训练词向量（Skip-gram），共用输出层；更慢，但也会得到词向量。默认 {default}。"),
    "f_lang": ("Language", "语言"),
    "help_lang": ("How the text is cut into words: auto, en, zh, or pretokenized (split on spaces). "
                  "Default {default}.", "如何把文本切成词：auto、en、zh，或 pretokenized（按空格切分）。默认 {default}。"),
    "help_min_rating": ("Rows rated below this are dropped (empty: keep all rows).",
                        "评分低于此值的行会被去掉（留空：保留全部）。"),
    "data_flagged": ("This data cannot be trained on: {problem} Fix it on the Data page, or choose other data there.",
                     "这些数据无法用于训练：{problem} 请在数据页修正，或在那里选择其他数据。"),
    "f_min_rating": ("Keep ratings ≥", "只保留评分 ≥"),
    "f_x_max": ("Weighting cut-off (x_max)", "加权截断（x_max）"),
    "help_x_max": ("GloVe: word pairs seen at least this often count fully; rarer pairs count less. "
                   "Default {default}.", "GloVe：共现至少这么多次的词对按全权重计算，更少的权重更低。默认 {default}。"),
    "f_alpha": ("Weighting exponent (alpha)", "加权指数（alpha）"),
    "help_alpha": ("GloVe: how fast the weight of rare pairs falls, f(x) = min(1, (x/x_max)^alpha). "
                   "Default {default}.", "GloVe：稀有词对的权重下降多快，f(x) = min(1, (x/x_max)^alpha)。默认 {default}。"),
    "f_vectors": ("Vectors kept", "保留的向量"),
    "help_vectors": ("GloVe: sum keeps word + context vectors (as the paper), word keeps the word vectors only. "
                     "Default {default}.", "GloVe：sum 保留词向量与上下文向量之和（同论文），word 只保留词向量。默认 {default}。"),
    "fixed_by_assignment": ("Fixed by your teacher's assignment.", "由教师布置的作业固定。"),
    "bounded_by_class": ("Your class allows {range}.", "本班允许的范围：{range}。"),
    "assignment": ("Assignment: {title} · {kind} · due {due}", "作业：{title} · {kind} · 截止 {due}"),
    "no_due": ("no due time", "无截止时间"),
    "use_assignment_data": ("Use the assignment's dataset", "使用作业的数据集"),
    "class_closed": ("Your class is closed by your teacher: nothing new can be trained. Your models stay open.",
                     "教师已关闭本班：不能再训练新模型。你的模型仍可打开。"),
}
