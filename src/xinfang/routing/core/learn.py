"""The classifier that learns from an office's confirmed routings (scikit-learn, no Django).

TF-IDF over character 1–3-grams of the normalised title and text (Chinese needs no word list
this way; `segmentation="jieba"` uses jieba words and word pairs instead, for comparison), plus
the keyword-rule scores of lexicon.py as extra features, into a logistic regression per task.
The final probabilities blend the regression with the keyword rules' own, so that a category the
office has seen few examples of is still recognised by its vocabulary.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier

from xinfang.routing.core.classify import (
    KeywordClassifier,
    Prediction,
    decide_type,
    feature_vector,
    keyword_features,
    legal_channel,
)
from xinfang.routing.core.text import normalize

KEYWORD_FEATURE_SCALE = 1.0
RULE_BLEND = 0.5
REGULARISATION_C = 10.0  # weight of the keyword rules' log-probabilities in the final blend


@dataclass(frozen=True)
class Example:
    title: str
    text: str
    type: str  # Chinese type name
    category: str
    unit: str = ""  # the unit's name, when known


def fingerprint(text: str) -> str:
    """An item's identity for "was this trained on?": its normalised content without white
    space. Not the title: a title written (or generated) differently must not hide that the
    petition is the same."""
    return hashlib.sha1(re.sub(r"\s+", "", normalize(text)).encode()).hexdigest()[:16]


def _document(title: str, text: str) -> str:
    return f"{title}。{title}。{text}"


def _jieba_tokens(doc: str) -> list[str]:
    import jieba

    words = [w for w in jieba.lcut(doc) if w.strip() and not _is_punct(w)]
    return words + [f"{a}_{b}" for a, b in pairwise(words)]


def _is_punct(word: str) -> bool:
    return all(not ch.isalnum() for ch in word)


def _vectorizer(segmentation: str) -> TfidfVectorizer:
    if segmentation == "jieba":
        return TfidfVectorizer(
            tokenizer=_jieba_tokens, token_pattern=None, lowercase=False, sublinear_tf=True
        )
    return TfidfVectorizer(
        analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=1, max_features=200_000
    )


class LearnedClassifier:
    name = "model"

    def __init__(self, segmentation: str = "chars") -> None:
        self.segmentation = segmentation
        self.vectorizer = _vectorizer(segmentation)
        self.category_model: OneVsRestClassifier | None = None
        self.type_model: OneVsRestClassifier | None = None
        self.unit_rules: dict[str, str] = {}
        self.rules = KeywordClassifier()
        self.meta: dict[str, Any] = {}

    def _features(self, docs: list[str], kw: list[dict[str, float]], fit: bool = False) -> Any:
        text = self.vectorizer.fit_transform(docs) if fit else self.vectorizer.transform(docs)
        dense = np.array([feature_vector(f) for f in kw]) * KEYWORD_FEATURE_SCALE
        return sparse.hstack([text, sparse.csr_matrix(dense)]).tocsr()

    def fit(self, examples: Sequence[Example]) -> LearnedClassifier:
        titles = [normalize(e.title) for e in examples]
        texts = [normalize(e.text) for e in examples]
        docs = [_document(t, x) for t, x in zip(titles, texts, strict=True)]
        kw = [keyword_features(t, x) for t, x in zip(titles, texts, strict=True)]
        X = self._features(docs, kw, fit=True)
        self.category_model = _regression()
        self.category_model.fit(X, [e.category for e in examples])
        types = [e.type for e in examples]
        if len(set(types)) > 1:
            self.type_model = _regression()
            self.type_model.fit(X, types)
        self.meta = {
            "items": len(examples),
            "segmentation": self.segmentation,
            # Fingerprints of what it learned from: evaluation leaves these items out.
            "trained_on": {fingerprint(e.text) for e in examples},
        }
        return self

    def predict(self, title: str, text: str) -> Prediction:
        title, text = normalize(title), normalize(text)
        kw = keyword_features(title, text)
        X = self._features([_document(title, text)], [kw])
        assert self.category_model is not None
        rule = self.rules.predict(title, text)
        categories = _blend(self.category_model, X, rule.categories)
        if self.type_model is not None:
            types = _blend(self.type_model, X, decide_type(kw))
        else:
            types = decide_type(kw)
        legal, reason = legal_channel(title, text, kw["legal"])
        features: dict[str, Any] = dict(kw)
        return Prediction(
            types=types,
            categories=categories,
            legal_channel=legal,
            legal_score=kw["legal"],
            legal_reason=reason,
            features=features,
        )


def _regression() -> OneVsRestClassifier:
    # liblinear, one class against the rest: a fraction of a second on a few thousand short
    # texts, where the multinomial lbfgs fit took tens of seconds.
    return OneVsRestClassifier(
        LogisticRegression(C=REGULARISATION_C, solver="liblinear", max_iter=1000)
    )


def _blend(
    model: OneVsRestClassifier, X: Any, rule: list[tuple[str, float]]
) -> list[tuple[str, float]]:
    learned = dict(zip(model.classes_, model.predict_proba(X)[0], strict=True))
    prior = dict(rule)
    labels = set(learned) | set(prior)
    logits = {
        label: (1 - RULE_BLEND) * math.log(learned.get(label, 0.0) + 1e-4)
        + RULE_BLEND * math.log(prior.get(label, 0.0) + 1e-4)
        for label in labels
    }
    top = max(logits.values())
    exp = {k: math.exp(v - top) for k, v in logits.items()}
    total = sum(exp.values())
    return sorted(((k, v / total) for k, v in exp.items()), key=lambda kv: -kv[1])
