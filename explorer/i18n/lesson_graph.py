"""Lesson page: walks on a graph become sentences (pages/lesson_graph.py)."""

STRINGS: dict[str, tuple[str, str]] = {
    "title": ("From a graph to vectors: walks are sentences", "从图到向量：游走就是句子"),
    "intro": (
        "Zachary's karate club: 34 members, a line for each friendship. The club later split into two factions "
        "(colours). To give every member a vector, we walk at random from friend to friend and write down who we "
        "meet: each walk is a sentence whose words are members. Skip-gram then learns from pairs of members that "
        "appear close together on a walk, exactly as it learns from words that appear close together in a "
        "sentence (DeepWalk, 2014).",
        "扎卡里空手道俱乐部：34 名成员，每条线代表一段友谊。俱乐部后来分裂成两个派系（颜色）。为了给每个成员一个向量，"
        "我们从一个朋友随机走到另一个朋友，并记下遇到的人：每次游走就是一个句子，句子里的“词”是成员。"
        "Skip-gram 随后从游走中相邻出现的成员对中学习，就像从句子中相邻出现的词中学习一样（DeepWalk，2014）。"),
    "start": ("Start at member", "起点成员"),
    "length": ("Walk length", "游走长度"),
    "window": ("Window", "窗口"),
    "walk": ("Walk", "游走方式"),
    "walk_deepwalk": ("DeepWalk: any friend, equally likely", "DeepWalk：等概率走向任一朋友"),
    "walk_node2vec": ("node2vec: biased by p and q", "node2vec：按 p 和 q 调整概率"),
    "p": ("p (return)", "p（返回）"),
    "p_help": ("Small p: often step back to the member we came from.", "p 小：经常退回到刚来的成员。"),
    "q": ("q (in–out)", "q（向内–向外）"),
    "q_help": ("Small q: move away to members two steps from where we came from; large q: stay among common friends.",
               "q 小：走向离来处两步远的成员；q 大：留在共同的朋友之间。"),
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
}
