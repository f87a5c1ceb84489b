"""Measuring routing on labelled petitions (the format of shared/data/petitions-dev.jsonl).

Every figure is computed on items the classifier was not trained on: either a model trained
elsewhere (or the shipped rules), or K-fold cross-validation within the file. Repeat and cluster
detection learn nothing from labels: their thresholds are fixed constants (similar.py), so they
are scored on the whole file.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sklearn.metrics import f1_score
from sklearn.model_selection import KFold, StratifiedKFold

from xinfang.routing.core import similar
from xinfang.routing.core import units as core_units
from xinfang.routing.core.classify import Classifier, KeywordClassifier
from xinfang.routing.core.learn import Example, LearnedClassifier, fingerprint
from xinfang.routing.core.text import normalize


def read_jsonl(path: str | Path) -> list[dict[str, Any]]:
    rows = []
    with Path(path).open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            line = line.strip()
            if not line:
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{number}: not JSON ({exc.msg})") from exc
    for row in rows:
        for field in ("title", "text"):
            row[field] = row.get(field) or ""
    return rows


def examples(rows: Sequence[dict[str, Any]]) -> list[Example]:
    return [
        Example(r["title"], r["text"], r["type"], r["category"], r.get("unit") or "") for r in rows
    ]


def train(rows: Sequence[dict[str, Any]], segmentation: str = "chars") -> LearnedClassifier:
    model = LearnedClassifier(segmentation).fit(examples(rows))
    model.unit_rules = learned_unit_rules(rows)
    return model


def learned_unit_rules(rows: Sequence[dict[str, Any]]) -> dict[str, str]:
    """Category → the unit the office most often confirmed for it. Township governments are
    left to the township rule (属地管理), which depends on where a matter arises."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for r in rows:
        unit = r.get("unit") or ""
        if unit and not _is_township_unit(unit):
            counts[r["category"]][unit] += 1
    learned = {}
    for category, c in counts.items():
        unit, n = c.most_common(1)[0]
        # Only a clear practice becomes a rule: most of the category's matters, at least twice.
        if n >= 2 and n * 2 > sum(c.values()):
            learned[category] = unit
    return learned


def _is_township_unit(name: str) -> bool:
    return name.endswith(("镇政府", "乡政府", "街道办事处", "镇人民政府", "乡人民政府"))


@dataclass
class Directory:
    units: list[core_units.UnitInfo]
    townships: list[str]
    rules: list[core_units.Rule]


def directory_from(
    units: Sequence[core_units.UnitInfo], townships: Sequence[str], rules: Sequence[core_units.Rule]
) -> Directory:
    return Directory(list(units), list(townships), list(rules))


@dataclass(frozen=True)
class Routed:
    types: list[tuple[str, float]]
    categories: list[tuple[str, float]]
    units: list[str]
    legal: bool


def route(classifier: Classifier, d: Directory, title: str, text: str) -> Routed:
    p = classifier.predict(title, text)
    body = normalize(f"{title} {text}")
    township = core_units.detect_township(body, d.townships)
    rules = d.rules
    learned = getattr(classifier, "unit_rules", None)
    if learned:
        by_name = {u.name: u.key for u in d.units}
        extra = [
            core_units.Rule(unit=by_name[u], category=c, label="learned")
            for c, u in learned.items()
            if u in by_name
        ]
        covered = {r.category for r in extra}
        rules = [r for r in rules if r.category not in covered] + extra
    scored = core_units.resolve(
        categories=p.categories[:5],
        type_name=p.types[0][0],
        text=body,
        township=township,
        rules=rules,
        units=d.units,
    )
    names = {u.key: u.name for u in d.units}
    return Routed(p.types, p.categories, [names[s.unit] for s in scored], p.legal_channel)


def _accuracy(truth: Sequence[str], pred: Sequence[str]) -> float:
    return round(sum(t == p for t, p in zip(truth, pred, strict=True)) / max(1, len(truth)), 4)


def _macro_f1(truth: Sequence[str], pred: Sequence[str]) -> float:
    labels = sorted(set(truth))
    return round(float(f1_score(truth, pred, labels=labels, average="macro", zero_division=0)), 4)


def score_routing(rows: Sequence[dict[str, Any]], routed: Sequence[Routed]) -> dict[str, Any]:
    def first(x: Sequence[Any]) -> str:
        return str(x[0][0]) if x and isinstance(x[0], tuple) else (str(x[0]) if x else "")

    t_true = [r["type"] for r in rows]
    t_pred = [first(x.types) for x in routed]
    c_true = [r["category"] for r in rows]
    c_pred = [first(x.categories) for x in routed]
    u_true = [r.get("unit", "") for r in rows]
    u_pred = [x.units[0] if x.units else "" for x in routed]
    top3 = sum(r.get("unit", "") in x.units[:3] for r, x in zip(rows, routed, strict=True))
    c_top3 = sum(
        r["category"] in [c for c, _ in x.categories[:3]] for r, x in zip(rows, routed, strict=True)
    )
    legal_true = [bool(r.get("legal_channel")) for r in rows]
    legal_pred = [x.legal for x in routed]
    tp = sum(t and p for t, p in zip(legal_true, legal_pred, strict=True))
    fp = sum(p and not t for t, p in zip(legal_true, legal_pred, strict=True))
    fn = sum(t and not p for t, p in zip(legal_true, legal_pred, strict=True))
    n = max(1, len(rows))
    return {
        "type": {"accuracy": _accuracy(t_true, t_pred), "macro_f1": _macro_f1(t_true, t_pred)},
        "category": {
            "accuracy": _accuracy(c_true, c_pred),
            "macro_f1": _macro_f1(c_true, c_pred),
            "top3_accuracy": round(c_top3 / n, 4),
        },
        "unit": {
            "accuracy": _accuracy(u_true, u_pred),
            "macro_f1": _macro_f1(u_true, u_pred),
            "top3_accuracy": round(top3 / n, 4),
        },
        "legal_channel": {
            "precision": round(tp / max(1, tp + fp), 4),
            "recall": round(tp / max(1, tp + fn), 4),
            "flagged": tp + fp,
            "labelled": tp + fn,
        },
    }


def _timed(fn: Callable[[], Any], items: int) -> tuple[Any, float]:
    start = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - start
    return result, round(items / elapsed, 1) if elapsed > 0 else float("inf")


def evaluate_classifier(
    rows: Sequence[dict[str, Any]], classifier: Classifier, d: Directory
) -> tuple[dict[str, Any], float]:
    routed, rate = _timed(
        lambda: [route(classifier, d, r["title"], r["text"]) for r in rows], len(rows)
    )
    return score_routing(rows, routed), rate


def cross_validate(
    rows: Sequence[dict[str, Any]], d: Directory, k: int, segmentation: str = "chars", seed: int = 0
) -> tuple[dict[str, Any], float, float]:
    """K folds stratified by category where every category has K items, plain K folds else.
    Each item is scored by a model trained on the other folds only."""
    labels = [r["category"] for r in rows]
    stratify = min(Counter(labels).values()) >= k
    splitter: Any = (
        StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
        if stratify
        else KFold(n_splits=k, shuffle=True, random_state=seed)
    )
    routed: list[Routed | None] = [None] * len(rows)
    train_time = predict_time = 0.0
    for train_idx, test_idx in splitter.split(rows, labels):
        start = time.perf_counter()
        model = train([rows[i] for i in train_idx], segmentation)
        train_time += time.perf_counter() - start
        start = time.perf_counter()
        for i in test_idx:
            routed[i] = route(model, d, rows[i]["title"], rows[i]["text"])
        predict_time += time.perf_counter() - start
    done = [x for x in routed if x is not None]
    figures = score_routing(rows, done)
    figures["folds"] = k
    figures["stratified"] = stratify
    return figures, round(len(rows) / predict_time, 1), round(len(rows) / train_time, 1)


# --- repeats and clusters --------------------------------------------------------------------


def _person(row: dict[str, Any]) -> str:
    """The identity key in a labelled file. Files carry no ID number or phone: the normalised
    name stands in for the keyed hashes the server uses (ID, phone, name with address)."""
    name = normalize(str(row.get("petitioner") or "")).replace(" ", "")
    name = re.sub(r"等\d*[人名]?$", "", name)
    return "" if name in ANONYMOUS else name


ANONYMOUS = frozenset({"匿名", "无名", "anonymous", "未留名"})


def _in_order(rows: Sequence[dict[str, Any]]) -> list[int]:
    return sorted(range(len(rows)), key=lambda i: (str(rows[i].get("date") or ""), i))


def repeats(rows: Sequence[dict[str, Any]]) -> tuple[dict[str, Any], float]:
    """Each item, in date order, against the earlier items of the same person: the best above
    the threshold is the predicted original. Precision over predicted links, recall over items
    that have an earlier item of their dup_group."""
    start = time.perf_counter()
    profiles = [similar.profile(r["title"], r["text"]) for r in rows]
    rules = KeywordClassifier()
    subject = [rules.predict(r["title"], r["text"]).categories[0][0] for r in rows]
    seen: dict[str, list[int]] = defaultdict(list)
    predicted: dict[int, int] = {}
    for i in _in_order(rows):
        person = _person(rows[i])
        best: tuple[float, int] | None = None
        for j in seen[person] if person else []:
            score, _ = similar.repeat_score(
                profiles[i],
                profiles[j],
                new_text=f"{rows[i]['title']} {rows[i]['text']}",
                same_category=subject[i] == subject[j],
            )
            if score >= similar.REPEAT_THRESHOLD and (best is None or score > best[0]):
                best = (score, j)
        if best is not None:
            predicted[i] = best[1]
        if person:
            seen[person].append(i)
    elapsed = time.perf_counter() - start
    group = [rows[i].get("dup_group") for i in range(len(rows))]
    correct = sum(1 for i, j in predicted.items() if group[i] and group[i] == group[j])
    order = {i: n for n, i in enumerate(_in_order(rows))}
    expected = [
        i
        for i in range(len(rows))
        if group[i] and any(group[j] == group[i] and order[j] < order[i] for j in range(len(rows)))
    ]
    found = sum(1 for i in expected if i in predicted and group[predicted[i]] == group[i])
    return (
        {
            "precision": round(correct / max(1, len(predicted)), 4),
            "recall": round(found / max(1, len(expected)), 4),
            "linked": len(predicted),
            "expected": len(expected),
            "identity_key": "normalised petitioner name (the file has no ID number or phone)",
            "threshold": similar.REPEAT_THRESHOLD,
        },
        round(len(rows) / elapsed, 1) if elapsed else float("inf"),
    )


def _never_clustered(row: dict[str, Any]) -> bool:
    # As on the server (indexing.clusterable): an accusation's content is confidential.
    return bool(row.get("type") == "检举控告")


def clusters(rows: Sequence[dict[str, Any]]) -> tuple[dict[str, Any], float]:
    """Incremental clustering in date order, as the server does it: each item joins the cluster
    of the best scoring earlier item of another person that shares a named thing, or stays
    alone; accusations are left out, as the server never clusters them. Purity: share of
    clustered items whose cluster's majority label they carry (an unlabelled item is its own
    label); completeness: share of labelled items in the predicted cluster holding most of
    their label."""
    start = time.perf_counter()
    profiles = [similar.profile(r["title"], r["text"]) for r in rows]
    rules = KeywordClassifier()
    subject = [rules.predict(r["title"], r["text"]).categories[0][0] for r in rows]
    postings: dict[str, list[int]] = defaultdict(list)
    assigned: dict[int, int] = {}
    next_cluster = 0
    for i in _in_order(rows):
        if _never_clustered(rows[i]):
            continue
        candidates: list[int] = []
        for term in profiles[i].things:
            candidates.extend(postings[term])
        best: tuple[float, int] | None = None
        for j in dict.fromkeys(candidates):
            if _person(rows[i]) and _person(rows[j]) == _person(rows[i]):
                continue
            score, _ = similar.cluster_score(
                profiles[i], profiles[j], same_category=subject[i] == subject[j]
            )
            if score >= similar.CLUSTER_THRESHOLD and (best is None or score > best[0]):
                best = (score, j)
        if best is not None:
            j = best[1]
            if j not in assigned:
                assigned[j] = next_cluster
                next_cluster += 1
            assigned[i] = assigned[j]
        for term in profiles[i].things:
            postings[term].append(i)
    elapsed = time.perf_counter() - start
    label = [rows[i].get("cluster") or f"_single_{i}" for i in range(len(rows))]
    members: dict[int, list[int]] = defaultdict(list)
    for i, c in assigned.items():
        members[c].append(i)
    clustered = sum(len(m) for m in members.values())
    majority = sum(Counter(label[i] for i in m).most_common(1)[0][1] for m in members.values())
    true_groups: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        if r.get("cluster") and not _never_clustered(r):
            true_groups[r["cluster"]].append(i)
    labelled = sum(len(g) for g in true_groups.values())
    held = 0
    for g in true_groups.values():
        counts = Counter(assigned[i] for i in g if i in assigned)
        held += max(counts.values()) if counts else 1
    return (
        {
            "purity": round(majority / clustered, 4) if clustered else 1.0,
            "completeness": round(held / labelled, 4) if labelled else 1.0,
            "clusters": len(members),
            "clustered_items": clustered,
            "accusations_left_out": sum(1 for r in rows if _never_clustered(r)),
            "labelled_clusters": len(true_groups),
            "threshold": similar.CLUSTER_THRESHOLD,
        },
        round(len(rows) / elapsed, 1) if elapsed else float("inf"),
    )


def _not_trained_on(
    rows: Sequence[dict[str, Any]], classifier: Classifier, result: dict[str, Any]
) -> list[dict[str, Any]]:
    """The rows the classifier did not learn from (by normalised content, whatever their
    title); how many were left out goes into the result."""
    seen = getattr(classifier, "meta", {}).get("trained_on", set())
    scored = [r for r in rows if fingerprint(r["text"]) not in seen]
    if len(scored) < len(rows):
        result["left_out_as_trained_on"] = len(rows) - len(scored)
    if not scored:
        raise ValueError("every item of the file is one the model was trained on")
    return scored


def evaluate(
    rows: Sequence[dict[str, Any]],
    d: Directory,
    *,
    classifier: Classifier | None = None,
    train_rows: Sequence[dict[str, Any]] | None = None,
    cv: int | None = None,
    segmentation: str = "chars",
) -> dict[str, Any]:
    result: dict[str, Any] = {"items": len(rows)}
    throughput: dict[str, Any] = {}
    if cv:
        figures, rate, train_rate = cross_validate(rows, d, cv, segmentation)
        result["mode"] = f"{cv}-fold cross-validation ({segmentation})"
        throughput["train_items_per_s"] = train_rate
    elif train_rows is not None:
        start = time.perf_counter()
        model = train(train_rows, segmentation)
        throughput["train_items_per_s"] = round(len(train_rows) / (time.perf_counter() - start), 1)
        result["mode"] = f"trained on {len(train_rows)} other items ({segmentation})"
        figures, rate = evaluate_classifier(_not_trained_on(rows, model, result), model, d)
    else:
        classifier = classifier or KeywordClassifier()
        result["mode"] = f"as the server would now: {classifier.name}"
        figures, rate = evaluate_classifier(
            _not_trained_on(rows, classifier, result), classifier, d
        )
    result.update(figures)
    throughput["routing_items_per_s"] = rate
    result["repeats"], throughput["repeats_items_per_s"] = repeats(rows)
    result["clusters"], throughput["clusters_items_per_s"] = clusters(rows)
    result["throughput"] = throughput
    return result
