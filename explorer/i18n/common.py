"""Strings shared by every page: navigation, language switch, workspace, generic messages."""

STRINGS: dict[str, tuple[str, str]] = {
    "app_title": ("Embedding Explorer", "嵌入向量探索器"),
    "language": ("Language", "语言"),
    "nav_learn": ("Learn", "入门"),
    "nav_data": ("Data", "数据"),
    "nav_train": ("Train", "训练"),
    "nav_explore": ("Explore", "探索"),
    "nav_clusters": ("Clusters", "聚类"),
    "nav_evaluate": ("Evaluate", "评估"),
    "nav_runs": ("Runs", "运行"),
    "workspace": ("Workspace", "工作区"),
    # Streamlit's file uploader shows its own English words (the "Upload" button, "200MB per file", and "Drag and
    # drop a file here" while a file is dragged over it), which no option translates: the caption below each
    # uploader says them once
    "uploader_note": ("Click Upload or drag a file onto the box above; at most {mb} MB a file (the box says {shown}MB).",
                      "上面的上传框里的英文由 Streamlit 显示：按钮“Upload”即上传（选择文件），“{shown}MB per file”是单个文件的上限（这里每个文件最多 "
                      "{mb} MB）；拖着文件经过时显示的“Drag and drop a file here”即把文件拖到这里。"),
    "workspace_help": (
        "Your work lives in this workspace. Bookmark or share the page address to come back to it; "
        "anyone with the link sees the same workspace.",
        "你的数据和模型保存在这个工作区。收藏或分享当前网址即可回到这里；拿到链接的人会看到同一个工作区。",
    ),
    "worker_down": (
        "The background worker is not running; training jobs will wait until it starts.",
        "后台训练进程没有运行；训练任务会排队等待它启动。",
    ),
    "n_points": ("{n} points", "{n} 个点"),
    "no_run": (
        "No trained model yet. Train one on the Train page (the bundled sample takes a few seconds).",
        "还没有训练好的模型。请到“训练”页训练一个（自带样例只需几秒）。",
    ),
    "go_train": ("Go to Train", "去训练"),
    "query_cut": ("A search box takes at most {n} characters; longer text is cut.",
                  "搜索框最多接受 {n} 个字符，更长的内容会被截断。"),
    "job_running": ("Training “{name}” in this workspace: {state}.", "本工作区正在训练“{name}”：{state}。"),
    "follow_job": ("Follow it on Train", "在“训练”页查看进度"),
    "go_data": ("Go to Data", "去选数据"),
    "go_explore": ("Open in Explore", "在“探索”页打开"),
    "run": ("Model", "模型"),
    "run_help": ("A trained model (run) from your workspace or the shared gallery.", "你工作区或班级作品展里训练好的模型。"),
    "gallery": ("gallery", "作品展"),
    "sample_run": ("bundled sample", "自带样例"),
    "kind_skipgram": ("Skip-gram (words)", "Skip-gram（词向量）"),
    "arch_skipgram": ("Skip-gram", "Skip-gram"),
    "arch_cbow": ("CBOW", "CBOW"),
    "loss_negative_sampling": ("negative sampling", "负采样"),
    "loss_softmax": ("full softmax", "完整 softmax"),
    "not_comparable_kind": ("not comparable: {a} and {b} are different kinds of model",
                            "不可比较：{a} 和 {b} 是不同类型的模型"),
    "not_comparable_family": ("their losses are not comparable: {a} against {b} (different objectives)",
                              "它们的损失不可比较：{a} 与 {b}（目标函数不同）"),
    "kind_useritem": ("User–item (recommender)", "用户–物品（推荐）"),
    "kind_imported": ("Imported vectors", "导入的向量"),
    "kind_graph": ("Graph nodes (DeepWalk / node2vec)", "图节点（DeepWalk / node2vec）"),
    "state_queued": ("queued", "排队中"),
    "state_running": ("running", "训练中"),
    "state_done": ("done", "完成"),
    "state_failed": ("failed", "失败"),
    "state_cancelled": ("cancelled", "已取消"),
    "error": ("Error", "错误"),
    "seconds": ("{s:.0f} s", "{s:.0f} 秒"),
}
