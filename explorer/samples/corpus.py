"""The bundled bilingual teaching corpus: English and Chinese sentences with planted word categories.

Nothing is downloaded: :func:`generate_corpus` writes natural-looking sentences from templates.
Each category (:data:`CATEGORIES`: animals, fruit, vehicles, colours, jobs, countries, family,
weather, body) has its own sentence templates, so the words of one category share contexts
("the cat chased the dog across the yard", "我家的猫和狗在院子里玩") while all categories share
the filler words (names, times, articles). That is exactly the signal Skip-gram learns from, so a
model trained on it recovers the categories: with default settings "cat" ends closer to "dog"
than to "banana", and 猫 closer to 狗 than to 香蕉.

Chinese sentences are written without spaces, so jieba's segmentation is exercised; the
templates avoid characters that would glue onto a planted word (``洗手``, ``头疼``), so jieba
keeps every planted word whole, with the planted words as user words and (checked by the tests)
without them too.

Size: about 150,000 tokens (half English, half Chinese); every line is unique, so the default
duplicate-line removal keeps them all. Deterministic for each seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

# category -> (English, Chinese) word pairs; English as the tokenizer produces it (lowercase)
CATEGORIES: dict[str, list[tuple[str, str]]] = {
    "animals": [
        ("cat", "猫"), ("dog", "狗"), ("zebra", "斑马"), ("cow", "奶牛"), ("sheep", "绵羊"), ("pig", "猪"),
        ("rabbit", "兔子"), ("tiger", "老虎"), ("lion", "狮子"), ("elephant", "大象"), ("monkey", "猴子"),
        ("fox", "狐狸"), ("duck", "鸭子"), ("panda", "熊猫"), ("squirrel", "松鼠"),
    ],
    "fruit": [
        ("banana", "香蕉"), ("apple", "苹果"), ("kiwi", "猕猴桃"), ("grape", "葡萄"), ("strawberry", "草莓"),
        ("peach", "桃子"), ("cherry", "樱桃"), ("mango", "芒果"), ("pineapple", "菠萝"), ("watermelon", "西瓜"),
        ("lemon", "柠檬"), ("lychee", "荔枝"), ("coconut", "椰子"), ("papaya", "木瓜"),
    ],
    "vehicles": [
        ("car", "汽车"), ("bus", "公交车"), ("train", "火车"), ("bicycle", "自行车"), ("truck", "卡车"),
        ("taxi", "出租车"), ("plane", "飞机"), ("ship", "轮船"), ("motorcycle", "摩托车"), ("subway", "地铁"),
        ("tractor", "拖拉机"), ("helicopter", "直升机"), ("ambulance", "救护车"), ("scooter", "滑板车"),
    ],
    "colours": [
        ("red", "红色"), ("blue", "蓝色"), ("green", "绿色"), ("yellow", "黄色"), ("black", "黑色"),
        ("white", "白色"), ("purple", "紫色"), ("pink", "粉色"), ("brown", "棕色"), ("grey", "灰色"),
        ("orange", "橙色"), ("gold", "金色"), ("silver", "银色"),
    ],
    "jobs": [
        ("teacher", "老师"), ("doctor", "医生"), ("nurse", "护士"), ("farmer", "农民"), ("driver", "司机"),
        ("chef", "厨师"), ("policeman", "警察"), ("lawyer", "律师"), ("engineer", "工程师"), ("pilot", "飞行员"),
        ("firefighter", "消防员"), ("waiter", "服务员"), ("singer", "歌手"), ("painter", "画家"),
        ("scientist", "科学家"), ("writer", "作家"),
    ],
    "countries": [
        ("china", "中国"), ("france", "法国"), ("japan", "日本"), ("germany", "德国"), ("italy", "意大利"),
        ("spain", "西班牙"), ("canada", "加拿大"), ("brazil", "巴西"), ("india", "印度"), ("egypt", "埃及"),
        ("russia", "俄罗斯"), ("mexico", "墨西哥"), ("australia", "澳大利亚"), ("britain", "英国"),
    ],
    "family": [
        ("mother", "妈妈"), ("father", "爸爸"), ("sister", "姐姐"), ("brother", "哥哥"), ("grandmother", "奶奶"),
        ("grandfather", "爷爷"), ("uncle", "叔叔"), ("aunt", "阿姨"), ("son", "儿子"), ("daughter", "女儿"),
        ("wife", "妻子"), ("husband", "丈夫"), ("baby", "宝宝"),
    ],
    "weather": [
        ("rain", "暴雨"), ("snow", "大雪"), ("wind", "大风"), ("fog", "大雾"), ("typhoon", "台风"), ("sunshine", "阳光"),
        ("thunder", "雷声"), ("lightning", "闪电"), ("hail", "冰雹"), ("frost", "霜冻"), ("rainbow", "彩虹"),
        ("clouds", "乌云"),
    ],
    "body": [
        ("head", "脑袋"), ("hand", "手掌"), ("toe", "脚趾"), ("eye", "眼睛"), ("ear", "耳朵"), ("nose", "鼻子"),
        ("mouth", "嘴巴"), ("arm", "胳膊"), ("leg", "大腿"), ("finger", "手指"), ("knee", "膝盖"),
        ("shoulder", "肩膀"), ("tooth", "牙齿"), ("hair", "头发"),
    ],
}

# Templates: {a} and {b} are two different words of the category ({A}/{B}: with "a"/"an"),
# {name} a person's name, {time} a time phrase. English first letter is capitalised on output.
_EN_TEMPLATES: dict[str, list[str]] = {
    "animals": [
        "{time} the {a} chased the {b} across the yard",
        "{name} saw {A} and {B} at the zoo {time}",
        "the {a} was sleeping next to the {b} on the farm",
        "{name} gave some food to the hungry {a}",
        "{A} ran into the forest and the {b} followed it",
        "the little {a} played with the {b} in the garden",
        "{name} has a pet {a} that is afraid of the {b}",
        "the {a} and the {b} drank water from the pond",
        "{time} {name} fed the {a} and the {b}",
        "the wild {a} hid from the {b} in the tall grass",
    ],
    "fruit": [
        "{name} ate a sweet {a} for breakfast {time}",
        "{time} {name} bought {A} and {B} at the market",
        "the {a} tastes sweeter than the {b}",
        "{name} cut the ripe {a} into small pieces",
        "a bowl of fresh {a} and {b} sat on the kitchen table",
        "{name} made juice from {a} and {b}",
        "this {a} is very juicy and the {b} is sour",
        "{name} peeled {A} and shared it with friends",
        "the shop sells {a} and {b} in summer",
        "{time} {name} picked {A} from the tree",
    ],
    "vehicles": [
        "{name} drove the {a} to the city {time}",
        "the {a} is faster than the {b}",
        "{time} we took the {a} to the station",
        "the old {a} broke down on the road",
        "{name} waited for the {a} at the corner",
        "the {a} and the {b} stopped at the crossing",
        "{name} travels to work by {a} {time}",
        "the {a} carried many passengers through the city",
        "a new {a} is more expensive than {B}",
        "{name} heard the noise of the {a} and the {b} outside",
    ],
    "colours": [
        "{name} painted the wall {a}",
        "her new dress is {a} and {b}",
        "the flag is {a} and {b}",
        "{name} likes the colour {a} more than {b}",
        "{time} {name} wore a {a} shirt",
        "mix {a} and {b} paint to get a new colour",
        "the {a} paint is darker than the {b} paint",
        "{name} chose a {a} pencil and a {b} pencil",
        "the door of the house is painted {a}",
        "{time} {name} bought a {a} hat with {b} stripes",
    ],
    "jobs": [
        "{name} wants to be {A} when she grows up",
        "{name} works as {A} in the city",
        "the {a} works hard every day",
        "{name} is {A} and her friend is {B}",
        "{time} the {a} and the {b} went to work early",
        "my neighbour has a job as {A}",
        "being {A} is a hard job",
        "{name} studied for years to become {A}",
        "the {a} earns more money than the {b}",
        "{time} {name} met {A} and {B} at the office",
    ],
    "countries": [
        "{name} travelled to {a} {time}",
        "{a} is a big country",
        "{name} flew from {a} to {b}",
        "the capital of {a} is a beautiful city",
        "people in {a} and {b} speak different languages",
        "{name} wants to visit {a} and {b} next year",
        "{time} {name} sent a letter from {a} to {b}",
        "{a} is a country far away from {b}",
        "the football team of {a} played against {b}",
        "{name} was born in {a} but lives in {b}",
    ],
    "family": [
        "my {a} cooked dinner for the whole family",
        "{name} called her {a} {time}",
        "the {a} and the {b} went shopping together",
        "{name} lives with his {a} and his {b}",
        "my {a} tells me stories every night",
        "{time} {name} visited her {a} and her {b}",
        "the {a} hugged the {b} at the family party",
        "{name} bought a present for his {a}",
        "my {a} and my {b} love each other",
        "{time} the whole family waited for the {a} to come home",
    ],
    "weather": [
        "{time} the {a} was very heavy",
        "the {a} kept us at home all day",
        "{name} watched the {a} from the window",
        "after the {a} came the {b}",
        "there was {a} and {b} in the mountains {time}",
        "the weather report says {a} tomorrow",
        "{time} the {a} and the {b} came from the sea",
        "{name} does not like the cold {a}",
        "the {a} stopped and the {b} began",
        "the villagers were worried about the {a} and the {b}",
    ],
    "body": [
        "{name} hurt his {a} playing football",
        "{name} touched his {a} with his {b}",
        "{time} {name} broke her {a}",
        "she put a bandage on her {a}",
        "{name} pointed to his {a} and his {b}",
        "my {a} feels cold {time}",
        "the {a} and the {b} are parts of the body",
        "{name} has a pain in her {a}",
        "{time} {name} washed his {a} and his {b}",
        "the boy fell and hurt his {a} and his {b}",
    ],
}

_ZH_TEMPLATES: dict[str, list[str]] = {
    "animals": [
        "{time}{name}在动物园看到了{a}和{b}",
        "我家的{a}和{b}在院子里玩",
        "那只{a}追着{b}跑进了森林",
        "{name}每天给{a}喂食",
        "农场里有一只可爱的{a}",
        "{a}和{b}都是{name}喜欢的动物",
        "{time}一只{a}在草地上睡觉",
        "{name}养了一只{a}，它很怕{b}",
        "{a}和{b}在池塘边喝水",
        "{a}在花园里跟{b}一起玩",
    ],
    "fruit": [
        "{name}早餐吃了一个{a}",
        "{time}{name}在市场买了{a}和{b}",
        "这个{a}比{b}更甜",
        "桌子上有一盘新鲜的{a}",
        "{name}用{a}和{b}做了果汁",
        "{name}把{a}切成了小块",
        "这个{a}很多汁，{b}有点酸",
        "{time}{name}从树上摘了一个{a}",
        "夏天商店里卖{a}和{b}",
        "{name}最爱吃{a}，不爱吃{b}",
    ],
    "vehicles": [
        "{name}每天坐着{a}去上班",
        "{a}比{b}快多了",
        "{time}我们坐着{a}去了车站",
        "路上有一辆{a}和一辆{b}",
        "那辆旧{a}在路上坏了",
        "{name}在路口等{a}",
        "{time}{name}开着{a}进城",
        "{a}和{b}在路口停了下来",
        "新的{a}比{b}贵",
        "{name}听见外面{a}和{b}的声音",
    ],
    "colours": [
        "{name}把墙刷成了{a}",
        "她的新裙子是{a}和{b}的",
        "这面旗子是{a}和{b}的",
        "{name}喜欢{a}胜过{b}",
        "{time}{name}穿了一件{a}的衬衫",
        "把{a}和{b}的颜料混在一起",
        "{a}的颜料比{b}的深",
        "{name}选了一支{a}的铅笔和一支{b}的铅笔",
        "这座房子的门被漆成了{a}",
        "{time}{name}买了一顶{a}的帽子，上面有{b}的条纹",
    ],
    "jobs": [
        "{name}长大后想当{a}",
        "{name}是一名{a}",
        "这位{a}每天工作很努力",
        "{time}{a}和{b}很早就去上班了",
        "我的邻居是一位{a}",
        "当{a}是一份辛苦的工作",
        "{name}学习了很多年才成为{a}",
        "{a}比{b}挣钱多",
        "{time}{name}在办公室见到了{a}和{b}",
        "{name}是{a}，她的朋友是{b}",
    ],
    "countries": [
        "{name}{time}去{a}旅行",
        "{a}是一个很大的国家",
        "{name}从{a}飞到了{b}",
        "{a}的首都是一座美丽的城市",
        "{a}和{b}的人说不同的语言",
        "{name}明年想去{a}和{b}看看",
        "{time}{name}从{a}给{b}寄了一封信",
        "{a}离{b}很远",
        "{a}的足球队和{b}比赛",
        "{name}出生在{a}，现在住在{b}",
    ],
    "family": [
        "我的{a}给全家做了晚饭",
        "{name}{time}给{a}打了电话",
        "{a}和{b}一起去买东西",
        "{name}和{a}还有{b}住在一起",
        "{a}每天晚上给我讲故事",
        "{time}{name}去看望了{a}和{b}",
        "在家庭聚会上{a}拥抱了{b}",
        "{name}给{a}买了一份礼物",
        "我的{a}和{b}非常相爱",
        "{time}全家人都在等{a}回家",
    ],
    "weather": [
        "{time}的{a}持续了很久",
        "{a}让我们一整天都待在家里",
        "{name}从窗户看着外面的{a}",
        "{a}过后就是{b}",
        "{time}山里有{a}也有{b}",
        "明天可能会出现{a}",
        "{time}{a}和{b}从海上来了",
        "{name}不喜欢寒冷的{a}",
        "{a}过去了，接着来的是{b}",
        "村民们担心{a}和{b}",
    ],
    "body": [
        "{name}踢球的时候伤了{a}",
        "{name}伸出{a}轻轻地碰了碰{b}",
        "{time}{name}的{a}受伤了",
        "她在{a}上贴了创可贴",
        "{name}指了指自己的{a}和{b}",
        "{time}{name}觉得{a}很冷",
        "{a}和{b}都是身体的一部分",
        "{name}的{a}有点不舒服",
        "{time}{name}用温水清洁了{a}和{b}",
        "那个男孩摔倒了，伤了{a}和{b}",
    ],
}

_EN_NAMES = ["Tom", "Anna", "Lucy", "Jack", "Mary", "Peter", "Emma", "David", "Sara", "Ben", "Alice", "Sam"]
_ZH_NAMES = ["小明", "小红", "小华", "小刚", "小丽", "老王", "小张", "小李", "阿明", "小芳", "小军", "小林"]
_EN_TIMES = ["yesterday", "this morning", "last week", "on sunday", "every day", "in the evening", "today",
             "at noon", "last night", "on monday", "in the afternoon", "last year"]
_ZH_TIMES = ["昨天", "今天早上", "上周", "星期天", "每天", "晚上", "今天", "中午", "昨晚", "星期一", "下午", "去年"]

LINES_PER_CATEGORY = 900  # per language: ~150k tokens in all


@dataclass
class SampleCorpus:
    """A generated corpus with its ground truth.

    lines:  the sentences (English and Chinese, shuffled, all different).
    labels: token (lowercase English, Chinese word) -> category name.
    words:  every planted Chinese word (pass as user words so jieba keeps them whole).
    """

    lines: list[str]
    labels: dict[str, str]
    words: list[str]


def _with_article(word: str) -> str:
    return ("an " if word[0] in "aeiou" else "a ") + word


def _english(template: str, a: str, b: str, rng: random.Random) -> str:
    text = template.format(
        a=a, b=b, A=_with_article(a), B=_with_article(b), name=rng.choice(_EN_NAMES), time=rng.choice(_EN_TIMES)
    )
    return text[0].upper() + text[1:] + "."


def _chinese(template: str, a: str, b: str, rng: random.Random) -> str:
    return template.format(a=a, b=b, name=rng.choice(_ZH_NAMES), time=rng.choice(_ZH_TIMES)) + "。"


def generate_corpus(seed: int = 0) -> SampleCorpus:
    """The bilingual teaching corpus for ``seed`` (same seed, same corpus)."""
    rng = random.Random(seed)
    lines: list[str] = []
    seen: set[str] = set()
    for category, pairs in CATEGORIES.items():
        for lang, templates, make in (("en", _EN_TEMPLATES, _english), ("zh", _ZH_TEMPLATES, _chinese)):
            words = [en if lang == "en" else zh for en, zh in pairs]
            made = 0
            while made < LINES_PER_CATEGORY:
                a, b = rng.sample(words, 2)
                line = make(rng.choice(templates[category]), a, b, rng)
                if line in seen:
                    continue
                seen.add(line)
                lines.append(line)
                made += 1
    rng.shuffle(lines)
    labels = {word: category for category, pairs in CATEGORIES.items() for pair in pairs for word in pair}
    words = [zh for pairs in CATEGORIES.values() for _, zh in pairs]
    return SampleCorpus(lines=lines, labels=labels, words=words)


def write_sample_corpus(out_dir: Path) -> tuple[Path, Path]:
    """Write ``sample_corpus.txt`` (UTF-8, one sentence a line) and ``sample_labels.tsv`` (header
    ``token<TAB>label``) into ``out_dir`` (which must exist); return both paths."""
    sample = generate_corpus()
    out_dir = Path(out_dir)
    corpus_path = out_dir / "sample_corpus.txt"
    labels_path = out_dir / "sample_labels.tsv"
    corpus_path.write_text("\n".join(sample.lines) + "\n", encoding="utf-8")
    rows = ["token\tlabel"] + [f"{token}\t{label}" for token, label in sample.labels.items()]
    labels_path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return corpus_path, labels_path
