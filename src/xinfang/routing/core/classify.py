"""Suggesting type, category and the 诉访分离 flag from a petition's title and text.

Two classifiers behind one interface: KeywordClassifier (the shipped cold-start rules, see
lexicon.py) and LearnedClassifier (scikit-learn, trained on an office's confirmed routings,
with the keyword scores as extra features so that the rules' general knowledge is kept).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from xinfang.routing.core import lexicon
from xinfang.routing.core.text import normalize

# Statutory types by their Chinese names (the labels petitions and data files use) and the
# codes of xinfang.matters.models.MatterType.
TYPE_CODES = {"建议意见": "suggestion", "检举控告": "accusation", "申诉求决": "request"}
TYPE_NAMES = {code: name for name, code in TYPE_CODES.items()}
CATEGORIES: tuple[str, ...] = tuple(lexicon.CATEGORY_WORDS)
DEFAULT_CATEGORY = "政务与其他"

TITLE_WEIGHT = 2.0  # a word in the title says more about the matter than one in the story


@dataclass(frozen=True)
class Prediction:
    """Labels with probabilities, best first."""

    types: list[tuple[str, float]]  # Chinese type names
    categories: list[tuple[str, float]]
    legal_channel: bool
    legal_score: float
    legal_reason: str
    features: dict[str, Any] = field(default_factory=dict, compare=False)


class Classifier(Protocol):
    name: str

    def predict(self, title: str, text: str) -> Prediction: ...


def _matcher(words: dict[str, float]) -> tuple[re.Pattern[str], dict[str, float]]:
    # One alternation, longest words first, so that "拖欠工资" is counted once rather than as
    # both itself and "工资".
    ordered = sorted(words, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in ordered)), words


_CATEGORY_MATCHERS = {c: _matcher(w) for c, w in lexicon.CATEGORY_WORDS.items()}
_ACCUSATION = _matcher(lexicon.ACCUSATION_WORDS)
_SUGGESTION = _matcher(lexicon.SUGGESTION_WORDS)
_REQUEST = _matcher(lexicon.REQUEST_WORDS)
_LEGAL = _matcher(lexicon.LEGAL_CHANNEL_WORDS)


def _score(matcher: tuple[re.Pattern[str], dict[str, float]], title: str, text: str) -> float:
    pattern, weights = matcher
    total = 0.0
    for source, factor in ((title, TITLE_WEIGHT), (text, 1.0)):
        seen: set[str] = set()
        for found in pattern.findall(source):
            # A word repeated adds a little, not its full weight again.
            total += weights[found] * factor * (1.0 if found not in seen else 0.25)
            seen.add(found)
    return total


def _softmax(scores: dict[str, float], temperature: float) -> list[tuple[str, float]]:
    top = max(scores.values())
    exp = {k: math.exp((v - top) / temperature) for k, v in scores.items()}
    total = sum(exp.values())
    return sorted(((k, v / total) for k, v in exp.items()), key=lambda kv: -kv[1])


def keyword_features(title: str, text: str) -> dict[str, float]:
    """The rule scores of one petition (normalised text in, raw weighted counts out)."""
    features = {f"cat:{c}": _score(m, title, text) for c, m in _CATEGORY_MATCHERS.items()}
    features["type:accusation"] = _score(_ACCUSATION, title, text)
    features["type:suggestion"] = _score(_SUGGESTION, title, text)
    features["type:request"] = _score(_REQUEST, title, text)
    features["legal"] = _score(_LEGAL, title, text)
    features["title:accusation"] = float(bool(re.match(r"^\W*(实名)?(举报|检举|控告|揭发)", title)))
    features["title:suggestion"] = float(
        bool(re.match(r"^\W*(关于)?.{0,12}(建议|提议|倡议)", title)) or title.startswith("建议")
    )
    return features


_QUESTION_ABOUT_LAW = re.compile(r"(怎么|如何|能不能|可以|是否)(起诉|打官司|申请仲裁|申请执行)")


def legal_channel(title: str, text: str, score: float) -> tuple[bool, str]:
    """Whether the matter is already before, or decided by, a court or arbitration body, or
    belongs there (诉访分离, arts. 28, 31), and a short reason naming what was found."""
    body = f"{title} {text}"
    flagged = score >= 4.5 or (score >= 3 and not _QUESTION_ABOUT_LAW.search(body))
    if not flagged:
        return False, ""
    for word, reason in lexicon.LEGAL_CHANNEL_REASONS:
        if word in body:
            return True, reason
    return True, "属于诉讼、仲裁或复议程序"


def decide_type(features: dict[str, float]) -> list[tuple[str, float]]:
    acc = features["type:accusation"] + 4.0 * features["title:accusation"]
    sug = features["type:suggestion"] + 4.0 * features["title:suggestion"]
    req = 2.0 + features["type:request"]  # the default: most petitions ask for something
    # An accusation also often "asks" (要求查处); a suggestion rarely asks for oneself.
    scores = {
        "检举控告": acc * 1.1,
        "建议意见": sug * 1.0 - 0.3 * features["type:request"],
        "申诉求决": req,
    }
    return _softmax(scores, temperature=2.0)


class KeywordClassifier:
    """The cold start: weighted vocabulary of the default taxonomy (lexicon.py)."""

    name = "rules"

    def predict(self, title: str, text: str) -> Prediction:
        title, text = normalize(title), normalize(text)
        features = keyword_features(title, text)
        cat_scores = {c: features[f"cat:{c}"] for c in CATEGORIES}
        if max(cat_scores.values()) <= 0:
            cat_scores[DEFAULT_CATEGORY] = 1.0
        categories = _softmax(cat_scores, temperature=2.5)
        legal, reason = legal_channel(title, text, features["legal"])
        return Prediction(
            types=decide_type(features),
            categories=categories,
            legal_channel=legal,
            legal_score=features["legal"],
            legal_reason=reason,
            features=features,
        )


def feature_vector(features: dict[str, float]) -> list[float]:
    """Keyword scores as a dense vector in a fixed order, log-scaled."""
    keys = [f"cat:{c}" for c in CATEGORIES] + [
        "type:accusation",
        "type:suggestion",
        "type:request",
        "title:accusation",
        "title:suggestion",
        "legal",
    ]
    return [math.log1p(features.get(k, 0.0)) for k in keys]


def top(items: Iterable[tuple[str, float]], n: int = 3) -> list[tuple[str, float]]:
    return sorted(items, key=lambda kv: -kv[1])[:n]


def labels_in(rows: Sequence[dict[str, Any]], key: str) -> list[str]:
    return sorted({str(r[key]) for r in rows})
