"""Values the UI shows that are not sentences: enum choices of the configs, defaults, language codes and the
bundled samples' category and genre names. Keys are ``"<field>=<value>"``; look one up with
:func:`explorer.i18n.value_text`, which returns the value itself when there is no entry (user data, names).

The data never changes: a run trained on the sample keeps ``animals`` in its ``labels.tsv``; only the label the
中文 UI shows is 动物.
"""

STRINGS: dict[str, tuple[str, str]] = {
    # word2vec settings
    "architecture=skipgram": ("Skip-gram", "Skip-gram（跳字模型）"),
    "architecture=cbow": ("CBOW", "CBOW（连续词袋模型）"),
    "arch=skipgram": ("Skip-gram", "Skip-gram（跳字模型）"),  # the config field's own name (Train form)
    "arch=cbow": ("CBOW", "CBOW（连续词袋模型）"),
    "arch=dbow": ("PV-DBOW", "PV-DBOW（分布式词袋）"),
    "arch=dm": ("PV-DM", "PV-DM（分布式记忆）"),
    "loss=negative-sampling": ("negative sampling", "负采样"),
    "loss=softmax": ("full softmax", "完整 softmax"),
    "loss=bce": ("BCE with sampled negatives", "BCE（带负采样）"),
    "loss=bpr": ("BPR pairwise ranking", "BPR 成对排序"),
    "device=auto": ("auto (GPU when there is one)", "自动（有 GPU 就用 GPU）"),
    "device=cpu": ("CPU", "CPU"),
    "device=cuda": ("GPU (CUDA)", "GPU（CUDA）"),
    "negative_sampling=uniform": ("uniform", "均匀"),
    "negative_sampling=popularity": ("by popularity", "按流行度"),
    "walk=deepwalk": ("DeepWalk", "DeepWalk（均匀游走）"),
    "walk=node2vec": ("node2vec", "node2vec（带偏游走）"),
    "encoder=gcn": ("GCN", "GCN（图卷积网络）"),
    "encoder=gat": ("GAT", "GAT（图注意力网络）"),
    "node_ids=auto": ("auto", "自动"),
    "node_ids=yes": ("yes", "是"),
    "node_ids=no": ("no", "否"),
    # the karate club's two factions after the split (lesson step 6)
    "faction=Mr. Hi": ("Mr. Hi", "Hi 先生一派"),
    "faction=Officer": ("Officer", "干事一派"),
    # text pipeline
    "language=auto": ("detect", "自动识别"),
    "language=en": ("English", "英文"),
    "language=zh": ("Chinese", "中文"),
    "language=pretokenized": ("already split by spaces", "已用空格分好词"),
    "lang=auto": ("detect", "自动识别"),  # the config field's own name (Train form: Doc2Vec; Data page: corpora)
    "lang=en": ("English", "英文"),
    "lang=zh": ("Chinese", "中文"),
    "lang=pretokenized": ("already split by spaces", "已用空格分好词"),
    # GloVe: which vectors a run keeps
    "vectors=sum": ("word + context (W + W~)", "词向量 + 上下文向量（W + W~）"),
    "vectors=word": ("word vectors only (W)", "只用词向量（W）"),
    # the user-item kind's field (the key above names the same choice in the run's settings)
    "neg_sampling=uniform": ("uniform", "均匀"),
    "neg_sampling=popularity": ("by popularity", "按流行度"),
    # the sentence encoder
    "encoder=e5": ("E5 (bundled, offline)", "E5（随应用自带，离线）"),
    "encoder=endpoint": ("OpenAI-compatible endpoint (settings)", "OpenAI 兼容的接口（在设置中配置）"),
    "segmenter=jieba": ("jieba", "jieba 分词"),
    "segmenter=thulac": ("THULAC", "THULAC 分词"),
    "normalize=none": ("none", "不处理"),
    "normalize=stem": ("stem", "词干"),
    "normalize=lemma": ("lemma", "词元"),
    # defaults shown in help texts
    "default=None": ("None", "无"),
    "default=True": ("on", "开"),
    "default=False": ("off", "关"),
    # the bundled text sample's categories (explorer/samples/corpus.py)
    "category=animals": ("animals", "动物"),
    "category=fruit": ("fruit", "水果"),
    "category=vehicles": ("vehicles", "交通工具"),
    "category=colours": ("colours", "颜色"),
    "category=jobs": ("jobs", "职业"),
    "category=countries": ("countries", "国家"),
    "category=family": ("family", "家人"),
    "category=weather": ("weather", "天气"),
    "category=body": ("body", "身体"),
    # the bundled sentences' topics (animals and weather above)
    "category=food": ("food", "食物"),
    "category=sport": ("sport", "体育"),
    # the bundled documents' planted topics (explorer/samples/documents.py)
    "category=topic0": ("topic0", "主题 0"),
    "category=topic1": ("topic1", "主题 1"),
    "category=topic2": ("topic2", "主题 2"),
    "category=topic3": ("topic3", "主题 3"),
    # the bundled log's genres (explorer/samples/interactions.py)
    "category=Sci-Fi": ("Sci-Fi", "科幻"),
    "category=Comedy": ("Comedy", "喜剧"),
    "category=Drama": ("Drama", "剧情"),
    "category=Horror": ("Horror", "恐怖"),
    "category=Romance": ("Romance", "爱情"),
    "category=Action": ("Action", "动作"),
    "category=Animation": ("Animation", "动画"),
    "category=Documentary": ("Documentary", "纪录片"),
    "category=item": ("item", "物品"),
    "category=user": ("user", "用户"),
    # a run's key numbers (gallery, teacher's dashboard)
    "key_number=loss": ("loss", "损失"),
    "key_number=seconds": ("seconds", "秒"),
    "key_number=words/s": ("words/s", "词/秒"),
    "key_number=interactions/s": ("interactions/s", "交互/秒"),
    "key_number=steps/s": ("steps/s", "游走步/秒"),
    "key_number=cells/s": ("cells/s", "共现单元/秒"),
    "key_number=documents/s": ("documents/s", "文档/秒"),
    "key_number=nodes/s": ("nodes/s", "节点/秒"),
    "key_number=accuracy": ("accuracy", "准确率"),
    # the sections of the bundled CA8 analogy set (explorer/samples/eval_data)
    "section=geography": ("geography", "地理"),
    "section=nature": ("nature", "自然"),
    "section=history": ("history", "历史"),
    "section=people": ("people", "人物"),
    "section=default": ("default", "默认"),
    # the bundled samples' run names (explorer/jobs/sample_job.py)
    "run_name=bundled sample": ("bundled sample", "自带样例"),  # one word for the samples: 自带样例 (common.sample_run)
    "run_name=bundled sample log": ("bundled sample log", "自带样例日志"),
    "run_name=bundled sample (negative-sampling)": ("bundled sample (negative sampling)", "自带样例（负采样）"),
    "run_name=bundled sample (softmax)": ("bundled sample (full softmax)", "自带样例（完整 softmax）"),
}
