"""Lesson step 3: watch it learn."""

STRINGS: dict[str, tuple[str, str]] = {
    "title": ("Watch the embedding form", "看嵌入向量如何形成"),
    "sample_only": (
        "None of your models kept frames to play, so this step plays the bundled sample's model. To watch your own: "
        "on **Train**, set **Frames to watch it learn** above 0.",
        "你的模型都没有保存可以回放的帧，所以本步回放自带样例的模型。想看你自己的模型学习：在**训练**页面把"
        "“保存的帧数（看模型学习）”设为大于 0。",
    ),
    "intro": (
        "Training starts from tiny random vectors: every word sits near the centre. Each step pulls a word "
        "towards the words around it and pushes it away from random negatives, so groups appear. The frames "
        "below were kept while the model trained. Each frame is **rotated onto the final vectors** (the loss "
        "only sees dot products, so a rotation of the whole space changes nothing) and drawn with the final "
        "PCA map: a point moves only when its vector moves.",
        "训练从很小的随机向量开始：所有词都挤在中心附近。每一步把一个词拉向它周围的词，并把它推离随机抽到的负样本，"
        "于是一组组的词慢慢出现。下面的帧是在训练过程中保存的。每一帧都先**旋转到与最终向量对齐**（损失只看点积，"
        "整个空间一起旋转不改变任何东西），再用最终向量的 PCA 平面来画：只有向量真的变了，点才会移动。",
    ),
    "run": ("Model", "模型"),
    "no_runs": (
        "No model with frames yet. Tick “frames” on the Train page (the bundled sample keeps them).",
        "还没有带帧的模型。在“训练”页设置“帧数”（自带样例默认保存帧）。",
    ),
    "probes": ("Words to follow", "要跟踪的词"),
    "probes_help": ("Highlighted on the map, with their nearest neighbours listed for every frame.",
                    "在图上高亮显示，并列出它们在每一帧的最近邻。"),
    "k": ("Neighbours listed", "列出的近邻数"),
    "play": ("Play", "播放"),
    "pause": ("Pause", "暂停"),
    "frame": ("Frame", "帧"),
    "epoch": ("epoch", "轮次"),
    "loss": ("loss", "损失"),
    "progress": ("progress", "进度"),
    "neighbours": ("nearest neighbours", "最近邻"),
    "how": (
        "Press **Play**, or drag the slider. Colours are the words' categories (the sample's planted ones, or your "
        "labels file; grey without one); red points are the words you "
        "follow, and the list at the bottom right shows their nearest neighbours (cosine, in the full space) in "
        "that frame. The red dot on the loss curve is the current frame.",
        "点 **播放**，或拖动滑块。颜色表示词的类别（样例里预设的类别，或你的标签文件；没有标签时为灰色）；红点是你跟踪的词，右下角列出它们在这一帧的最近邻"
        "（在完整空间里按余弦计算）。损失曲线上的红点表示当前帧。",
    ),
    "rows_limited": (
        "This model has many rows: its frames keep the {n:,} most frequent ones ({why}).",
        "这个模型的行数很多：帧里只保存了最常见的 {n:,} 行（原因：{why}）。",
    ),
    "why_rows": ("a row limit keeps the frames small on disk", "行数上限让帧文件保持较小"),
    "why_bytes": ("a size limit allowed fewer frames than asked", "大小上限只允许比要求更少的帧"),
    "points_shown": ("{m:,} of {n:,} points drawn (labelled words first).", "画出了 {n:,} 个点中的 {m:,} 个（带标签的词优先）。"),
    "live_title": ("Training now", "正在训练"),
    "live_frame": ("{name}: epoch {epoch}, {pct:.0f}% (latest frame, first {m} rows)",
                   "{name}：第 {epoch} 轮，{pct:.0f}%（最新一帧，前 {m} 行）"),
    "check_q": ("In the first frame, how far is “{w}” from its final place compared with the last frame?",
                "在第一帧里，“{w}”离它最终的位置有多远（和最后一帧相比）？"),
    "check_near": ("Already where it ends up", "已经在最终位置"),
    "check_far": ("Near the centre, far from where it ends up", "挤在中心附近，离最终位置很远"),
    "check_why": ("in frame 0 it is {d0:.2f} from its final place; the map is {span:.2f} wide.",
                  "第 0 帧时它离最终位置 {d0:.2f}；整张图宽 {span:.2f}。"),
}
