"""Content similarity between petitions: for repeats (the same person raising the same matter
again, art. 19 ¶3) and clusters (different people, one underlying problem, art. 24). No Django.

Two signals: the named things a petition is about (a company, a housing compound, a factory, a
road, a village, a school...) and the overlap of its character bigrams, with the bigrams that
every petition uses ("反映", "要求", "领导"...) left out.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from xinfang.routing.core.text import normalize

# Suffixes that end the name of a thing a problem is about. Longest first.
_THING_SUFFIXES = (
    "有限责任公司",
    "股份有限公司",
    "有限公司",
    "专业合作社",
    "合作社",
    "公司",
    "集团",
    "工厂",
    "厂",
    "小区",
    "花园",
    "家园",
    "名邸",
    "名苑",
    "苑",
    "公寓",
    "大厦",
    "广场",
    "商场",
    "市场",
    "夜市",
    "工业园",
    "产业园",
    "园区",
    "物流园",
    "大道",
    "大街",
    "路",
    "街",
    "巷",
    "村",
    "社区",
    "小学",
    "中学",
    "幼儿园",
    "学校",
    "医院",
    "卫生院",
    "诊所",
    "养老院",
    "敬老院",
    "工地",
    "项目",
    "矿",
    "砂场",
    "采石场",
    "水库",
    "河",
    "桥",
    "中心",
    "酒店",
    "ktv",
    "超市",
    "健身",
)
# Words that end a run before a name starts: the name is what follows them.
_BREAK = re.compile(
    r"(?:在|到|的|是|与|及|跟|给|向|对|从|把|被|让|去|来|为|由|于|县|镇|乡|街道|我们|我|你们|他们|"
    r"反映|举报|投诉|关于|位于|原|该|这个|那个|这家|那家|一家|一个|新开的|附近|门口|旁边|对面|"
    r"了|也|都|就|还|说|称|问|查|请|住|离|距|因|像|比如|年|月|日|全|整个|要么|恢复|建议|公开|"
    r"隔壁|邀请|表示|生效|裁定|动员|变成|管理|偏远|各|每|个|些|里|上|下)"
)
# After a one-character suffix, these characters mean the suffix was the start of another word
# (村民, 村委, 厂长, 街道, 路灯...), not the end of a name.
_NOT_AFTER = {
    "村": set("民委干支会集务医里组长口头子级级规庄"),
    "街": set("道坊头面边"),
    "厂": set("子房长里区家方领"),
    "路": set("费过线灯面口况段基边"),
    "河": set("道边水堤滩"),
    "桥": set("梁面头"),
    "矿": set("山区产石井"),
    "苑": set(),
    "巷": set("子口"),
}
_SUFFIX_RE = re.compile("|".join(re.escape(s) for s in _THING_SUFFIXES))
_GENERIC = {
    "公司",
    "工厂",
    "小区",
    "社区",
    "学校",
    "医院",
    "村",
    "路",
    "街",
    "市场",
    "项目",
    "中心",
    "本村",
    "我村",
    "该村",
    "全村",
    "村里",
    "邻村",
    "隔壁村",
    "本小区",
    "该公司",
    "这条路",
    "马路",
    "道路",
    "公路",
    "小学",
    "中学",
    "厂",
    "本厂",
    "工地",
    "园区",
    "工业园",
    "超市",
    "农村",
    "乡村",
    "城乡",
    "新农村",
    "山村",
    "在村",
    "回村",
    "出村",
    "进村",
    "到村",
    "各村",
    "下乡",
    "工业园区",
    "该厂",
    "这个厂",
    "幼儿园",
    "卫生院",
    "养老院",
    "敬老院",
    "诊所",
    "水泥路",
    "通村路",
    "村村",
    "网",
    "桥",
    "河",
    "矿",
    "集团",
    "健身",
    "花园",
    "家园",
}


def entities(text: str) -> list[str]:
    """Names of things in the text: up to six characters before a thing suffix, cut at the
    last function word, e.g. "永鑫化工有限公司" → "永鑫化工有限公司", "永鑫化工"."""
    text = normalize(text)
    found: list[str] = []
    for match in _SUFFIX_RE.finditer(text):
        start = match.start()
        after = text[match.end() : match.end() + 1]
        if after and after in _NOT_AFTER.get(match.group(0), ()):
            continue
        head = text[max(0, start - 8) : start]
        head = re.split(r"[^\w]", head)[-1]  # not across punctuation
        parts = _BREAK.split(head)
        head = parts[-1] if parts else head
        head = re.sub(r"^[\d一二三四五六七八九十几]+[号组栋楼层]?", "", head)
        if len(head) < 2:
            continue
        name = head + match.group(0)
        if name in _GENERIC or head in _GENERIC:
            continue
        found.append(name)
        if match.group(0) in _COMPANY_TAILS:
            found.append(head)  # "永鑫化工" also names "永鑫化工有限公司"
    return list(dict.fromkeys(found))


_COMPANY_TAILS = {
    "有限责任公司",
    "股份有限公司",
    "有限公司",
    "公司",
    "集团",
    "专业合作社",
    "合作社",
}

# Bigrams of petition language in general: they say nothing about what a petition is about.
_COMMON = set(
    [
        "反映",
        "要求",
        "请求",
        "希望",
        "领导",
        "政府",
        "问题",
        "情况",
        "有关",
        "部门",
        "相关",
        "处理",
        "解决",
        "我们",
        "你们",
        "他们",
        "我家",
        "自己",
        "一个",
        "没有",
        "不是",
        "就是",
        "现在",
        "今年",
        "去年",
        "已经",
        "还是",
        "可是",
        "但是",
        "因为",
        "所以",
        "如果",
        "这个",
        "那个",
        "什么",
        "怎么",
        "多次",
        "一直",
        "至今",
        "答复",
        "说法",
        "来访",
        "来电",
        "来信",
        "称其",
        "其家",
        "村民",
        "群众",
        "反应",
        "工作",
        "人员",
        "时间",
        "目前",
        "一下",
        "一些",
        "知道",
        "告诉",
        "说是",
        "以后",
        "之后",
        "当时",
        "后来",
        "结果",
        "根本",
        "不给",
        "不管",
        "给我",
        "我们的",
        "关于",
        "信访",
        "事情",
        "事项",
        "具体",
        "实际",
        "同志",
        "您好",
        "你好",
        "谢谢",
        "感谢",
        "尽快",
        "及时",
        "真的",
        "到底",
        "为什么",
        "怎么办",
        "可以",
        "能否",
        "问问",
        "没人",
        "没有",
        "的人",
        "的事",
        "的话",
        "了一",
        "一次",
        "两次",
        "几次",
        "上次",
        "这次",
        "一年",
        "多年",
        "个月",
        "一天",
        "天天",
        "每天",
    ]
)


def _bigrams(text: str) -> Counter[str]:
    grams: Counter[str] = Counter()
    for run in re.findall(r"\w+", text):
        for i in range(len(run) - 1):
            gram = run[i : i + 2]
            if gram not in _COMMON and not gram.isdigit():
                grams[gram] += 1
    return grams


@dataclass(frozen=True)
class Profile:
    """What similarity needs of one petition, computed once."""

    grams: dict[str, float]  # bigram → weight, L2-normalised
    things: frozenset[str]


def profile(title: str, text: str) -> Profile:
    body = normalize(f"{title} {title} {text}")
    counts = _bigrams(body)
    weights = {g: 1.0 + math.log(c) for g, c in counts.items()}
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    return Profile(
        grams={g: w / norm for g, w in weights.items()},
        things=frozenset(entities(f"{title} {text}")),
    )


def cosine(a: Profile, b: Profile) -> float:
    if len(a.grams) > len(b.grams):
        a, b = b, a
    return sum(w * b.grams.get(g, 0.0) for g, w in a.grams.items())


def shared_things(a: Profile, b: Profile) -> set[str]:
    shared = set(a.things & b.things)
    # A name contained in the other's ("永鑫化工" in "清河县永鑫化工有限公司") counts too.
    for x in a.things - shared:
        for y in b.things:
            if len(x) >= 3 and len(y) >= 3 and (x in y or y in x):
                shared.add(x if len(x) <= len(y) else y)
    return shared


def term_hash(term: str) -> int:
    """A stable 63-bit hash of a term, for the postings index (fits a signed BIGINT)."""
    return int.from_bytes(hashlib.blake2b(term.encode(), digest_size=8).digest(), "big") >> 1


def terms(p: Profile) -> list[int]:
    return sorted({term_hash(t) for t in p.things})


_REPEAT_CUE = re.compile(
    r"再次|又一次|第[二三四五六七八九十\d]+次|多次反映|上次|之前反映|曾[经]?[写来打反]|补充|仍然|还是没|至今没|至今未"
)


def repeat_score(
    new: Profile, old: Profile, *, new_text: str = "", same_category: bool = False
) -> tuple[float, list[str]]:
    """How surely `new` raises the same matter as `old` (same petitioner assumed): content
    overlap, the same named things, the same subject, and words that say "again"."""
    sim = cosine(new, old)
    things = shared_things(new, old)
    score = sim + (0.15 if things else 0.0) + (0.1 if same_category else 0.0)
    if new_text and _REPEAT_CUE.search(normalize(new_text)):
        score += 0.1
    reasons = []
    if things:
        reasons.append("、".join(sorted(things)[:3]))
    return score, reasons


def cluster_score(
    new: Profile, old: Profile, *, same_category: bool = True
) -> tuple[float, set[str]]:
    """How surely two petitions of different people are about one underlying problem: they
    name the same thing, say similar things, and are about the same subject."""
    things = shared_things(new, old)
    if not things:
        return 0.0, things
    sim = cosine(new, old)
    specific = max(len(t) for t in things)
    score = sim + 0.05 * min(specific, 6) + 0.05 * (len(things) - 1)
    return score + (0.05 if same_category else -0.2), things


REPEAT_THRESHOLD = 0.22
CLUSTER_THRESHOLD = 0.45


def best(items: Iterable[tuple[float, object]]) -> tuple[float, object] | None:
    return max(items, key=lambda kv: kv[0], default=None)
