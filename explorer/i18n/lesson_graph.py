"""Lesson page: walks on a graph become sentences (pages/lesson_graph.py)."""

STRINGS: dict[str, tuple[str, str]] = {
    "title": ("From a graph to vectors: walks are sentences", "从图到向量：游走就是句子"),
    "intro": (
        "A graph's nodes can get vectors the way words do. Walk at random from node to neighbouring node and write "
        "down the nodes you meet: each walk is a sentence whose words are nodes. Skip-gram then learns from pairs of "
        "nodes that appear close together on a walk, exactly as it learns from words that appear close together in a "
        "sentence (DeepWalk, 2014). Below, the walk runs on the built-in karate club or on a graph that you or your "
        "class trained a model on.",
        "图的节点也能像词一样得到向量。从一个节点随机走到相邻的节点，并记下遇到的节点：每次游走就是一个句子，句子里的“词”"
        "是节点。Skip-gram 随后从游走中相邻出现的节点对中学习，就像从句子中相邻出现的词中学习一样（DeepWalk，2014）。"
        "下面在内置的空手道俱乐部上游走，或在你或班级训练过模型的图上游走。"),
    "karate": ("Zachary's karate club: 34 members, a line for each friendship. The club later split into two "
               "factions (colours).",
               "扎卡里空手道俱乐部：34 名成员，每条线代表一段友谊。俱乐部后来分裂成两个派系（颜色）。"),
    "builtin": ("Karate club (built in)", "空手道俱乐部（内置）"),
    "model_help": ("Walk on the karate club, or on the graph a node-embedding model of yours or of the class was "
                   "trained on.", "在空手道俱乐部上游走，或在你或班级的某个节点嵌入模型所训练的图上游走。"),
    "graph_missing": ("The graph file of {name} is not kept on this server (the bundled sample, or an imported "
                      "model): the walk below runs on the karate club.",
                      "{name} 的图文件不在此服务器上（自带样例或导入的模型）：下面在空手道俱乐部上游走。"),
    "graph_unreadable": ("The graph file of {name} cannot be walked on ({error}): the walk below runs on the karate "
                         "club.",
                         "{name} 的图文件无法用来游走（{error}）：下面在空手道俱乐部上游走。"),
    "own_graph": ("Your graph: {nodes:,} nodes, {edges:,} edges. Start at one of the {shown:,} best-connected nodes.",
                  "你的图：{nodes:,} 个节点，{edges:,} 条边。可从连接最多的 {shown:,} 个节点之一出发。"),
    "part_drawn": ("Drawn: the walk and its neighbours, {shown:,} of {nodes:,} nodes.",
                   "图中只画出游走经过的节点及其邻居：{nodes:,} 个节点中的 {shown:,} 个。"),
    "same_label": ("{share:.0%} of the pairs whose two nodes are labelled join nodes of the same label: where walks "
                   "stay inside a group, Skip-gram pulls its nodes together.",
                   "在两端都有标签的节点对中，{share:.0%} 属于同一标签：游走留在群体内部时，Skip-gram 会把该群体的节点拉近。"),
    "start": ("Start at node", "起点节点"),
    "length": ("Walk length", "游走长度"),
    "window": ("Window", "窗口"),
    "walk": ("Walk", "游走方式"),
    "walk_deepwalk": ("DeepWalk: any neighbour, equally likely", "DeepWalk：等概率走向任一邻居"),
    "walk_node2vec": ("node2vec: biased by p and q", "node2vec：按 p 和 q 调整概率"),
    "p": ("p (return)", "p（返回）"),
    "p_help": ("Small p: often step back to the node we came from.", "p 小：经常退回到刚来的节点。"),
    "q": ("q (in–out)", "q（向内–向外）"),
    "q_help": ("Small q: move away to nodes two steps from where we came from; large q: stay among common neighbours.",
               "q 小：走向离来处两步远的节点；q 大：留在共同的邻居之间。"),
    "seed": ("Another walk", "换一次游走"),
    "sentence": ("The walk, read as a sentence", "把游走读成一个句子"),
    "pairs": ("{n} training pairs (centre, context) within {window} step(s)", "窗口 {window} 步内的 {n} 个训练对（中心, 上下文）"),
    "centre": ("Centre", "中心"),
    "context": ("Context", "上下文"),
    "same": ("{share:.0%} of these pairs join members of the same faction: walks mostly stay inside a group, "
             "so Skip-gram pulls a group's members together.",
             "这些成员对中有 {share:.0%} 属于同一派系：游走大多留在一个群体内部，所以 Skip-gram 会把同一群体的成员拉近。"),
    "next": ("Each pair is one Skip-gram step: the centre's vector moves towards its context's and away from a few "
             "random members. Training walks 10 times from every member, 80 steps each: 27,200 members in walks and "
             "about 300,000 pairs. Train the \"graph\" kind on the karate club, then colour the map by label.",
             "每个成员对就是 Skip-gram 的一步：中心成员的向量靠近上下文成员，远离几个随机成员。训练时从每个成员出发走 10 次、"
             "每次 80 步：游走中共有 27,200 个成员，约 30 万个成员对。在训练页用“图”类型训练空手道俱乐部，再在地图上按标签着色。"),
    "go_data": ("Use the karate club on the Data page", "在数据页使用空手道俱乐部"),
    "mp_title": ("One message-passing step: a graph neural network", "一步消息传递：图神经网络"),
    "mp_intro": (
        "Walks are one way to give members vectors. A graph neural network (GNN) takes another: each layer gives "
        "a member a new vector made from its friends' vectors (the messages), so two members with the same friends "
        "get similar vectors, and a member never seen in training gets one from its friendships. Every member "
        "starts as its own one-hot feature `x_j`; a layer multiplies it by a weight matrix `W` to a vector of 2 "
        "numbers you can read.",
        "游走是给成员向量的一种方法。图神经网络换一种方法：每一层用朋友们的向量（消息）为成员算出新向量，"
        "所以朋友相同的两个成员得到相近的向量，训练时没见过的成员也能从它的友谊关系得到向量。每个成员一开始是自己的"
        "独热特征 `x_j`；一层把它乘以权重矩阵 `W`，得到一个能读出来的 2 维向量。"),
    "mp_node": ("Member whose new vector we compute", "计算新向量的成员"),
    "gcn_title": ("GCN: a normalised sum of the neighbours", "GCN：邻居的归一化求和"),
    "gcn_explain": (
        "GCN adds up the messages `x_j W` of member {node}'s {k} friends and of itself, each scaled by "
        "`c_ij = 1/sqrt(d_i d_j)` where `d` counts friends plus one (the self-loop). A friend with many friends speaks "
        "more quietly. In matrices: `D^-1/2 (A+I) D^-1/2 X W`. The widths of the lines are these coefficients.",
        "GCN 把成员 {node} 的 {k} 个朋友和它自己的消息 `x_j W` 加起来，每条消息乘以 `c_ij = 1/sqrt(d_i d_j)`，"
        "其中 `d` 是朋友数加一（自环）。朋友越多的朋友，说话声音越小。写成矩阵：`D^-1/2 (A+I) D^-1/2 X W`。"
        "线的粗细就是这些系数。"),
    "gcn_fig": ("GCN coefficients 1/√(d_i·d_j) into member {node}", "流入成员 {node} 的 GCN 系数 1/√(d_i·d_j)"),
    "gcn_new": ("New vector of member {node}: ({a:.3f}, {b:.3f}) = the sum of the last column (untrained, seeded `W`).",
                "成员 {node} 的新向量：({a:.3f}, {b:.3f}) = 最后一列之和（未训练、固定种子的 `W`）。"),
    "col_member": ("Member", "成员"),
    "col_degree": ("d_j", "d_j"),
    "col_coef": ("c_ij = 1/√(d_i·d_j)", "c_ij = 1/√(d_i·d_j)"),
    "col_message": ("x_j W", "x_j W"),
    "col_contribution": ("c_ij · x_j W", "c_ij · x_j W"),
    "col_score": ("e_ij", "e_ij"),
    "col_attention": ("attention α", "注意力 α"),
    "col_faction": ("Faction", "派系"),
    "self": ("{node} (self)", "{node}（自己）"),
    "gat_title": ("GAT: attention decides who is heard", "GAT：注意力决定听谁的"),
    "gat_explain": (
        "GAT learns the weights α_ij instead of fixing them: a score `e_ij = LeakyReLU(a·[x_i W, x_j W])` per friend, "
        "then a softmax, so the weights over member {node}'s friends (and itself) sum to 1 (here {total:.3f}). "
        "This head was trained for {steps} seeded steps to tell the two factions apart (it then gets {acc:.0%} of "
        "the members right), so its weights mean something: a member listens most to friends that show its faction.",
        "GAT 不固定权重，而是学习权重 `α_ij`：对每个朋友算一个得分 `e_ij = LeakyReLU(a·[x_i W, x_j W])`，再做 softmax，"
        "所以成员 {node} 的朋友（和它自己）的权重加起来等于 1（这里是 {total:.3f}）。这个注意力头用固定种子训练了 {steps} 步，"
        "学习区分两个派系（训练后认对 {acc:.0%} 的成员），所以它的权重有意义：成员最听那些显示它所属派系的朋友。"),
    "gat_fig": ("GAT attention α into member {node}", "流入成员 {node} 的 GAT 注意力 α"),
    "gat_check": ("The layer's own attention (PyG) agrees with this numpy computation to {diff:.1e}.",
                  "该层自己（PyG）算出的注意力与这里用 `numpy` 算的结果相差不超过 {diff:.1e}。"),
    "mp_check_q": ("Which friend of member {node} gets the largest attention weight from the trained GAT head?",
                   "训练后的 GAT 注意力头给成员 {node} 的哪个朋友最大的注意力权重？"),
    "mp_check_why": ("Member {best}: α = {alpha:.3f}, while GCN gives it the fixed coefficient {coef:.3f}.",
                     "成员 {best}：α = {alpha:.3f}，而 GCN 给它的固定系数是 {coef:.3f}。"),
    "mp_check_alone": ("Member {node} has a single friend; pick another member for the question.",
                       "成员 {node} 只有一个朋友；换一个成员再回答问题。"),
}
