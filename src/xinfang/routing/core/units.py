"""Which unit a matter goes to: routing rules over the predicted categories, the statutory
overrides, and the township where the matter arises (no Django).

属地管理、分级负责、谁主管谁负责、归口办理 (arts. 5, 22): a matter goes to the body in charge of its
subject (the routing table, category → unit), at the level where it arises: a matter addressed
to a township, or about a village committee's own decisions, goes to the township government.
Accusations against party members and public officials go to discipline inspection (art. 30).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from xinfang.routing.core import lexicon

DISCIPLINE_CATEGORY = "纪检监察"
# Categories whose own body coordinates rather than enforces: a women's or children's matter
# about a specific wrong (child labour, domestic violence, a court order not carried out, a
# nursery) goes mostly to the body competent for that wrong, which the runner-up categories
# name; the women's federation keeps the rest.
COORDINATING = {"妇女儿童权益": 0.4}


@dataclass(frozen=True)
class UnitInfo:
    key: int | str  # a Unit pk on the server, a unit name in evaluation
    name: str
    kind: str  # a Unit.Kind value
    township: str = ""  # for a township government: the name of its township region


@dataclass(frozen=True)
class Rule:
    unit: int | str
    category: str | None = None
    type: str | None = None  # Chinese type name
    township: str | None = None
    label: str = ""  # how the rule is shown: "routing table row 3", "default rule"

    @property
    def specificity(self) -> int:
        return (4 if self.category else 0) + (2 if self.township else 0) + (1 if self.type else 0)


@dataclass(frozen=True)
class UnitScore:
    unit: int | str
    confidence: float
    rule: str


def default_rules(units: Sequence[UnitInfo]) -> list[Rule]:
    """Category → unit rules from the names of the office's units (lexicon.UNIT_HINTS): what
    the office starts from before it edits its table."""
    rules = []
    for category, hints in lexicon.UNIT_HINTS.items():
        for hint in hints:
            found = [u for u in units if hint in u.name and u.kind != "township"]
            if category == DISCIPLINE_CATEGORY:
                found = [u for u in units if u.kind == "discipline"] or found
            if found:
                rules.append(Rule(unit=found[0].key, category=category, label="默认规则"))
                break
    return rules


# Subjects a township or street government handles itself when they arise there; police,
# discipline, courts, and the professional regulators (health, education, environment, market,
# labour inspection, veterans) are county bodies whatever the place.
LOCAL_CATEGORIES = frozenset(
    {
        "土地与自然资源",
        "城乡建设与住房",
        "农村农业",
        "企业改制与经济管理",
        "民政与社会救助",
        "妇女儿童权益",
        "交通运输",
        "城市管理",
        "政务与其他",
    }
)
_ADDRESSED = re.compile(r"^\W{0,2}(\w{2,6}?)(镇|乡|街道)(人民政府|政府|办事处|街道办)")
_OWN_TOWNSHIP = re.compile(r"(乡|镇)(人民)?政府|街道办")
_ASKED_TOWNSHIP = re.compile(
    r"(向|给|找|到|去|请|要求|希望|恳请)了?(乡|镇|街道)(人民)?(政府|里|上|办)"
)
_ADDRESSED_COUNTY = re.compile(r"^\W{0,2}(\w{0,4}县)?\w{1,8}(局|委|办|院|监委|政府)(领导)?[:：]")


def detect_township(text: str, townships: Sequence[str]) -> str:
    """The township named in the text (first mention), '' when none is. A place named with
    the township's own name (永安工业园, 白沙村, 东关社区) counts when no township is named."""
    best, where = "", len(text) + 1
    shorts = {}
    for name in townships:
        short = re.sub(r"(镇|乡|街道|街道办事处)$", "", name)
        shorts[name] = short
        for variant in {name, short + "镇", short + "乡", short + "街道"}:
            at = text.find(variant)
            if 0 <= at < where:
                best, where = name, at
    if best:
        return best
    for name, short in shorts.items():
        at = text.find(short) if len(short) >= 2 else -1
        if 0 <= at < where:
            best, where = name, at
    return best


def township_score(text: str, township: str) -> float:
    """How much the text says the matter is the township's own business (属地管理)."""
    if not township:
        return 0.0
    score = 0.0
    head = text[:40]
    if _ADDRESSED.search(head) or (_OWN_TOWNSHIP.search(head) and re.search(r"[:：]|领导", head)):
        score += 3.0
    elif _ADDRESSED_COUNTY.search(head):
        score -= 3.0
    if _ASKED_TOWNSHIP.search(text):
        score += 2.0
    seen = set(_TOWNSHIP_WORDS.findall(text))
    return score + sum(lexicon.TOWNSHIP_WORDS[w] for w in seen)


_TOWNSHIP_WORDS = re.compile(
    "|".join(re.escape(w) for w in sorted(lexicon.TOWNSHIP_WORDS, key=len, reverse=True))
)


def resolve(
    *,
    categories: Sequence[tuple[str, float]],
    type_name: str,
    text: str,
    township: str,
    rules: Sequence[Rule],
    units: Sequence[UnitInfo],
    township_threshold: float = 4.0,
) -> list[UnitScore]:
    """The top three units with a confidence and the rule that chose each, best first."""
    by_key = {u.key: u for u in units}
    discipline = next((u for u in units if u.kind == "discipline"), None)
    town = next(
        (u for u in units if township and u.kind == "township" and u.township == township), None
    )
    scores: dict[int | str, float] = {}
    why: dict[int | str, str] = {}

    def add(key: int | str, value: float, reason: str) -> None:
        if key not in by_key:
            return
        scores[key] = scores.get(key, 0.0) + value
        if key not in why or value > 0.3:
            why.setdefault(key, reason)

    categories = _spread_coordinating(categories)
    for category, p in categories:
        if category == DISCIPLINE_CATEGORY and discipline is not None:
            add(
                discipline.key,
                p,
                f"检举控告党员干部和公职人员的问题，交纪检监察机关（第三十条）：{discipline.name}",
            )
            continue
        rule = _best_rule(rules, category=category, type_name=type_name, township=township)
        if rule is None:
            continue
        unit = by_key.get(rule.unit)
        if unit is None:
            continue
        place = f"，{rule.township}" if rule.township else ""
        add(
            rule.unit,
            p,
            f"归口办理（第二十二条）：{category}{place} → {unit.name}（{rule.label}）",
        )
    if town is not None:
        local = township_score(text, township)
        # 属地管理 (art. 5): the township government leads when the matter is its own business,
        # and is always offered as an alternative when the matter arises there.
        top = max(scores.values(), default=0.0)
        leads = (
            local >= township_threshold
            and bool(categories)
            and (categories[0][0] in LOCAL_CATEGORIES)
        )
        value = top + 0.1 if leads else min(0.5, 0.2 + 0.05 * local) * top
        add(town.key, value, f"属地管理（第五条）：事项发生在{township} → {town.name}")
    total = sum(scores.values()) or 1.0
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])[:3]
    return [UnitScore(unit=k, confidence=round(v / total, 4), rule=why[k]) for k, v in ranked]


def _spread_coordinating(categories: Sequence[tuple[str, float]]) -> list[tuple[str, float]]:
    spread: dict[str, float] = {}
    for category, p in categories:
        keep = COORDINATING.get(category)
        others = [(c, q) for c, q in categories if c != category]
        mass = sum(q for _, q in others)
        if keep is None or mass <= 0:
            spread[category] = spread.get(category, 0.0) + p
            continue
        spread[category] = spread.get(category, 0.0) + p * keep
        for c, q in others:
            spread[c] = spread.get(c, 0.0) + p * (1 - keep) * q / mass
    return sorted(spread.items(), key=lambda kv: -kv[1])


def _best_rule(
    rules: Sequence[Rule], *, category: str, type_name: str, township: str
) -> Rule | None:
    matching = [
        r
        for r in rules
        if (r.category in (None, category))
        and (r.type in (None, type_name))
        and (r.township in (None, township))
    ]
    return max(matching, key=lambda r: r.specificity, default=None)
