"""Built-in stopword lists (English and Chinese), small on purpose.

Written for this project rather than copied: the lists hold function words only (articles,
pronouns, auxiliaries, prepositions, conjunctions, particles, common adverbs). Content words that
some published lists include (``computer``, ``system``, ``fire``, ``bill`` in scikit-learn's list)
are left out, so removing stopwords never removes a word a class may want to explore.

English words are lowercase, as the English tokenizer produces them (contractions keep their
apostrophe: ``don't``). Chinese words are the forms jieba produces in precise mode.
"""

from __future__ import annotations

ENGLISH: frozenset[str] = frozenset(
    """
    a about above after again against all am an and any are aren't as at be because been before being below
    between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down during each
    few for from further had hadn't has hasn't have haven't having he he'd he'll he's her here here's hers
    herself him himself his how how's i i'd i'll i'm i've if in into is isn't it it's its itself just let's me
    more most mustn't my myself no nor not now of off on once only or other ought our ours ourselves out over
    own same shan't she she'd she'll she's should shouldn't so some such than that that's the their theirs
    them themselves then there there's these they they'd they'll they're they've this those through to too
    under until up very was wasn't we we'd we'll we're we've were weren't what what's when when's where where's
    which while who who's whom why why's will with won't would wouldn't you you'd you'll you're you've your
    yours yourself yourselves also may might must shall s t d ll m re ve
    """.split()
)

CHINESE: frozenset[str] = frozenset(
    """
    的 了 和 是 在 也 就 都 而 及 与 或 着 过 被 把 让 给 对 从 向 于 以 为 之 其 这 那 这个 那个 这些 那些 这样 那样
    我 你 您 他 她 它 我们 你们 他们 她们 它们 自己 咱们 谁 什么 怎么 怎样 哪 哪里 哪儿 哪个 为什么 多少
    吗 呢 吧 啊 呀 哦 嗯 哈 嘛 啦 么 地 得 所 个 些 每 各 该 此 某
    很 太 更 最 又 还 再 才 只 已 已经 曾 将 要 会 能 可 可以 应该 没 没有 不 别 并 却 但 但是 可是 然而 因为 所以
    如果 虽然 而且 或者 还是 并且 于是 然后 而是 就是 只是 不过 如此 因此 以及 以后 之后 之前 以前 时候
    一 一个 一些 一样 一直 一起 上 下 里 中 有 到
    """.split()
)

STOPWORDS: frozenset[str] = ENGLISH | CHINESE
"""Both lists together. The tokenizer removes these for every language: Chinese corpora often
carry English words, and the two lists cannot collide."""
