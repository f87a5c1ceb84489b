"""Routing suggestions for the registration and forwarding screens and the API.

The registrar always decides: a suggestion names the statutory type, the subject category and
the responsible unit, each with a confidence and the rule or model that chose it, the top three
best first; it flags a matter that belongs in litigation, arbitration or reconsideration
(诉访分离, arts. 28, 31); and it finds the open matters that a new submission may repeat
(art. 19 ¶3).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef

from xinfang.matters.models import Matter, MatterType, Petitioner
from xinfang.matters.selectors import can_see_identity, visible_matters
from xinfang.matters.services import PetitionerInput
from xinfang.org.models import Level, Region, Unit
from xinfang.routing import store
from xinfang.routing.core import similar
from xinfang.routing.core import units as core_units
from xinfang.routing.core.classify import TYPE_CODES
from xinfang.routing.core.text import normalize
from xinfang.routing.directory import Directory, directory
from xinfang.routing.services import indexing

if TYPE_CHECKING:
    from django.contrib.auth.models import User

MAX_REPEAT_CANDIDATES = 50
MAX_KEY_MATCHES = 500  # index rows read per look-up, newest matters first


@dataclass(frozen=True)
class Choice:
    value: str  # a MatterType value, or a category name
    label: str
    confidence: float


@dataclass(frozen=True)
class UnitChoice:
    unit: Unit
    confidence: float
    rule: str  # why, with the article


@dataclass(frozen=True)
class Suggestion:
    types: list[Choice]
    categories: list[Choice]
    units: list[UnitChoice]
    legal_channel: bool
    legal_channel_reason: str
    source: str  # "rules" or "model v3"


def _township_of(region: Region | None) -> str:
    if region is None:
        return ""
    if region.level == Level.TOWNSHIP:
        return region.name
    if region.level == Level.VILLAGE and region.parent_id:
        parent = region.parent
        return parent.name if parent is not None else ""
    return ""


def suggest(*, title: str, content: str, office: Unit, region: Region | None = None) -> Suggestion:
    classifier = store.classifier_for(office.pk)
    prediction = classifier.predict(title, content)
    found = directory(office)
    text = normalize(f"{title} {content}")
    township = _township_of(region) or core_units.detect_township(text, found.townships)
    learned = getattr(classifier, "unit_rules", None)
    rules = found.rules
    if learned:
        rules = _with_learned(found.rules, learned, found)
    scored = core_units.resolve(
        categories=prediction.categories[:5],
        type_name=prediction.types[0][0],
        text=text,
        township=township,
        rules=rules,
        units=found.units,
    )
    legal_reason = ""
    if prediction.legal_channel:
        legal_reason = (
            f"{prediction.legal_reason}：属于诉讼、仲裁、行政复议等法定途径的，"
            "应引导信访人依法通过法定途径解决（诉访分离，第二十八条、第三十一条）"
        )
    return Suggestion(
        types=[
            Choice(
                value=TYPE_CODES[name],
                label=str(MatterType(TYPE_CODES[name]).label),
                confidence=round(p, 4),
            )
            for name, p in prediction.types[:3]
        ],
        categories=[
            Choice(value=name, label=name, confidence=round(p, 4))
            for name, p in prediction.categories[:3]
        ],
        units=[
            UnitChoice(unit=found.by_pk[int(s.unit)], confidence=s.confidence, rule=s.rule)
            for s in scored
            if int(s.unit) in found.by_pk
        ],
        legal_channel=prediction.legal_channel,
        legal_channel_reason=legal_reason,
        source=classifier.name,
    )


def _with_learned(
    rules: list[core_units.Rule], learned: dict[str, str], found: Directory
) -> list[core_units.Rule]:
    """Category → unit learned from the office's confirmed routings, for the categories its
    routing table does not name (the table always wins over what was learned, and what was
    learned over the defaults by unit name)."""
    by_name = {u.name: u.key for u in found.units}
    table = {r.category for r in rules if r.category and r.label.startswith("路由规则")}
    extra = [
        core_units.Rule(unit=by_name[unit], category=category, label="从本单位已确认的分办中学得")
        for category, unit in learned.items()
        if category not in table and unit in by_name
    ]
    covered = {r.category for r in extra}
    return [r for r in rules if r.category not in covered or r.label.startswith("路由规则")] + extra


def suggest_for_matter(matter: Matter) -> Suggestion:
    return suggest(
        title=matter.title, content=matter.content, office=matter.office, region=matter.region
    )


@dataclass(frozen=True)
class RepeatCandidate:
    matter: Matter
    score: float
    reasons: list[str]


_KEY_REASONS = {
    indexing.ID: "同一身份证号",
    indexing.PHONE: "同一联系电话",
    indexing.NAME_ADDRESS: "姓名和地址相同",
}


def find_repeats(
    *,
    user: User,
    petitioners: Sequence[PetitionerInput],
    title: str,
    content: str,
    exclude: Matter | None = None,
) -> list[RepeatCandidate]:
    """Open matters the user may see, of the same petitioner (keyed hash of the ID number, the
    phone, or the name with the address), whose content is about the same thing; best first."""
    keys = indexing.keys_of_input(petitioners)
    if not keys:
        return []
    indexing.catch_up()
    # Only the open matters the user may see, newest first: a person with many closed or
    # hidden matters must not push the one that counts out of the look-up.
    # (A correlated EXISTS: checked per matching row by primary key, never the whole set of
    # matters the user may see.)
    eligible = Exists(visible_matters(user).open().order_by().filter(pk=OuterRef("matter_id")))
    matched: dict[int, set[str]] = {}
    for key, matter_id in (
        indexing.IdentityKey.objects.filter(eligible, key__in=list(keys))
        .order_by("-matter_id")
        .values_list("key", "matter_id")[:MAX_KEY_MATCHES]
    ):
        matched.setdefault(matter_id, set()).add(keys[key])
    # The petitioner table's own hashes find what the index has not taken in yet.
    hashed = [k for k, kind in keys.items() if kind in (indexing.ID, indexing.PHONE)]
    for field, kind in (("id_hash", indexing.ID), ("phone_hash", indexing.PHONE)):
        if not hashed:
            break
        for matter_id in (
            Petitioner.objects.filter(eligible, **{f"{field}__in": hashed})
            .order_by("-matter_id")
            .values_list("matter_id", flat=True)[:MAX_KEY_MATCHES]
        ):
            matched.setdefault(matter_id, set()).add(kind)
    if exclude is not None:
        matched.pop(exclude.pk, None)
    if not matched:
        return []
    new = similar.profile(title, content)
    subject = store.RULES.predict(title, content).categories[0][0]
    candidates = []
    for matter in (
        visible_matters(user)
        .open()
        .filter(pk__in=list(matched))
        .select_related("office", "lead_unit", "category")
        .order_by("-received_at")[:MAX_REPEAT_CANDIDATES]
    ):
        # Who filed an accusation (检举控告) is confidential (arts. 30, 46): a unit it was
        # forwarded to must not learn, by testing a suspect's ID number, phone or name, whether
        # that person filed it. Only those who may see its petitioners are told of it.
        if matter.type == MatterType.ACCUSATION and not can_see_identity(user, matter):
            continue
        old_subject = (
            matter.category.name
            if matter.category is not None
            else store.RULES.predict(matter.title, matter.content).categories[0][0]
        )
        score, things = similar.repeat_score(
            new,
            similar.profile(matter.title, matter.content),
            new_text=f"{title} {content}",
            same_category=old_subject == subject,
        )
        if score < similar.REPEAT_THRESHOLD:
            continue
        reasons = [_KEY_REASONS[k] for k in sorted(matched[matter.pk])]
        reasons.append(f"内容相近（{score:.2f}）")
        if things:
            reasons.append(f"同涉{things[0]}")
        candidates.append(RepeatCandidate(matter=matter, score=round(score, 4), reasons=reasons))
    candidates.sort(key=lambda c: (-c.score, -c.matter.pk))
    return candidates
