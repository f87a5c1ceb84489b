"""The repeat and cluster indexes, kept as matters arrive.

A matter is indexed once, after the transaction that registered it commits (a post_save hook
on Matter queues it with transaction.on_commit: the petitioners are bulk-created after the
matter row, so only at commit is the whole submission there; and a failure here must never undo
a registration). Look-ups first take in any recent matter the hook has not indexed yet
(`catch_up`), so a crashed hook or a registration inside a larger transaction is still found.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Exists, F, Max, OuterRef
from django.utils import timezone

from xinfang.matters.identity import IdentityError, normalize_phone, validate_id_number
from xinfang.matters.models import Category, Matter, MatterType, Petitioner
from xinfang.matters.services import PetitionerInput
from xinfang.matters.services._core import keyring
from xinfang.routing.core import similar
from xinfang.routing.core.classify import KeywordClassifier
from xinfang.routing.core.text import normalize
from xinfang.routing.models import Cluster, ClusterMember, IdentityKey, Indexed, Posting

log = logging.getLogger(__name__)

CLUSTER_WINDOW_DAYS = 365  # a problem raised again after a year starts a new cluster
CANDIDATES = 60  # matters compared per look-up, newest first
MAX_TERMS = 12  # named things of one matter looked up
PER_TERM = 30  # newest matters read per named thing
CATCH_UP_WINDOW = 2000  # newest matter ids checked for a missed index entry
CATCH_UP_BATCH = 100

ID, PHONE, NAME_ADDRESS = "id", "phone", "name_address"
RULES = KeywordClassifier()


def normalize_name(name: str) -> str:
    """A petitioner's name for matching: no spaces, no "等12人" of a collective submission."""
    name = re.sub(r"\s+", "", normalize(name))
    return re.sub(r"等\d*[人名]?$", "", name)


def normalize_address(address: str) -> str:
    return re.sub(r"[^\w]", "", normalize(address))


def name_address_hash(name: str, address: str) -> str:
    return keyring().match_hash(
        NAME_ADDRESS, f"{normalize_name(name)}|{normalize_address(address)}"
    )


def keys_of_input(petitioners: Sequence[PetitionerInput]) -> dict[str, str]:
    """Keyed hash → what it is, for the people of a submission being registered."""
    ring = keyring()
    today = timezone.localdate()
    keys: dict[str, str] = {}
    for given in petitioners:
        # An identifier that is not valid matches nothing: registration refuses it anyway.
        if given.id_number.strip():
            with suppress(IdentityError):
                keys[ring.match_hash(ID, validate_id_number(given.id_number, today=today))] = ID
        if given.phone.strip():
            with suppress(IdentityError):
                keys[ring.match_hash(PHONE, normalize_phone(given.phone))] = PHONE
        if given.name.strip() and given.address.strip():
            keys[name_address_hash(given.name, given.address)] = NAME_ADDRESS
    return keys


def keys_of_rows(rows: Iterable[Petitioner]) -> set[str]:
    keys: set[str] = set()
    for row in rows:
        keys.update(k for k in (row.id_hash, row.phone_hash) if k)
        if row.name and row.address:
            keys.add(name_address_hash(row.name, row.address))
    return keys


@dataclass(frozen=True)
class Indexing:
    matter: Matter
    keys: set[str]
    profile: similar.Profile
    subject: str


def subject_of(matter: Matter) -> str:
    """The matter's category as registered, else as the shipped keyword rules read it."""
    if matter.category_id is not None and matter.category is not None:
        return matter.category.name
    return RULES.predict(matter.title, matter.content).categories[0][0]


def index_matter(matter: Matter) -> ClusterMember | None:
    """Take one matter into the indexes and its cluster. Idempotent."""
    if Indexed.objects.filter(matter=matter).exists():
        return None
    keys = keys_of_rows(Petitioner.objects.filter(matter=matter))
    profile = similar.profile(matter.title, matter.content)
    subject = subject_of(matter)
    try:
        with transaction.atomic():
            Indexed.objects.create(
                matter=matter,
                indexed_at=timezone.now(),
                entities=sorted(profile.things),
                subject=subject,
            )
            IdentityKey.objects.bulk_create(
                [IdentityKey(key=k, matter=matter) for k in sorted(keys)], ignore_conflicts=True
            )
            if not clusterable(matter):
                # An accusation's content is confidential to those it was sent to: it is
                # never put into a cluster, nor found as a candidate for one.
                return None
            day = timezone.localtime(matter.received_at).date()
            Posting.objects.bulk_create(
                [Posting(term=t, matter=matter, received_on=day) for t in similar.terms(profile)],
                ignore_conflicts=True,
            )
            return assign_cluster(Indexing(matter, keys, profile, subject))
    except IntegrityError:
        # Another process indexed it at the same moment: its work stands.
        return None


def clusterable(matter: Matter) -> bool:
    """Whether a matter may join a cluster: any but an accusation (检举控告)."""
    return matter.type != MatterType.ACCUSATION


def index_matter_id(pk: int) -> None:
    matter = Matter.objects.filter(pk=pk).first()
    if matter is not None:
        index_matter(matter)


def catch_up() -> int:
    """Index the recent matters the commit hook missed; returns how many."""
    newest = Matter.objects.aggregate(top=Max("pk"))["top"]
    if newest is None:
        return 0
    missing = list(
        Matter.objects.filter(pk__gt=newest - CATCH_UP_WINDOW)
        .filter(~Exists(Indexed.objects.filter(matter=OuterRef("pk"))))
        .order_by("pk")[:CATCH_UP_BATCH]
    )
    for matter in missing:
        try:
            with transaction.atomic():  # a database error must not spoil the caller's
                index_matter(matter)
        except Exception:
            # Indexing helps registrars; it must never stop a registration or a desk page.
            # The matter stays unindexed and the next look-up tries again.
            log.exception("routing index of matter %s failed", matter.pk)
    return len(missing)


def cluster_candidates(item: Indexing) -> list[tuple[float, Matter, set[str]]]:
    """Recent matters of other petitioners that share a named thing, scored, best first."""
    terms = similar.terms(item.profile)
    if not terms:
        return []
    since = timezone.localtime(item.matter.received_at).date() - timedelta(days=CLUSTER_WINDOW_DAYS)
    # One query per term, each reading its newest postings in index order (term,
    # -received_on): a common name shared by thousands of matters costs no more than a rare one.
    ids: list[int] = []
    for term in terms[:MAX_TERMS]:
        ids.extend(
            Posting.objects.filter(term=term, received_on__gte=since)
            .exclude(matter_id=item.matter.pk)
            .order_by("-received_on")
            .values_list("matter_id", flat=True)[:PER_TERM]
        )
    ids = list(dict.fromkeys(ids))[:CANDIDATES]
    if not ids:
        return []
    if item.keys:
        # The same person again is a repeat (art. 19), not another voice on the problem.
        same_person = set(
            IdentityKey.objects.filter(matter_id__in=ids, key__in=item.keys).values_list(
                "matter_id", flat=True
            )
        )
        ids = [i for i in ids if i not in same_person]
    subjects = dict(Indexed.objects.filter(matter_id__in=ids).values_list("matter_id", "subject"))
    scored = []
    others = (
        Matter.objects.filter(pk__in=ids)
        .exclude(type=MatterType.ACCUSATION)
        .only("id", "title", "content", "category_id")
    )
    for other in others:
        score, things = similar.cluster_score(
            item.profile,
            similar.profile(other.title, other.content),
            same_category=subjects.get(other.pk) == item.subject,
        )
        if score >= similar.CLUSTER_THRESHOLD:
            scored.append((score, other, things))
    scored.sort(key=lambda s: (-s[0], s[1].pk))
    return scored


def assign_cluster(item: Indexing) -> ClusterMember | None:
    """Join the best matching cluster, or start one with the best matching loose matter."""
    scored = cluster_candidates(item)
    if not scored:
        return None
    score, other, things = scored[0]
    now = timezone.now()
    member = ClusterMember.objects.filter(matter=other).select_related("cluster").first()
    if member is not None:
        cluster = member.cluster
    else:
        label = max(things, key=len)
        category_id = item.matter.category_id or other.category_id
        if category_id is None:
            category_id = (
                Category.objects.filter(name=item.subject).values_list("pk", flat=True).first()
            )
        cluster = Cluster.objects.create(
            label=label[:100], category_id=category_id, created_at=now, last_at=now
        )
        ClusterMember.objects.create(matter=other, cluster=cluster, score=score, joined_at=now)
    joined = ClusterMember.objects.create(
        matter=item.matter, cluster=cluster, score=score, joined_at=now
    )
    # No stored size: what a user is shown is counted from the members they may see.
    Cluster.objects.filter(pk=cluster.pk).update(last_at=now, version=F("version") + 1)
    return joined


def on_matter_saved(
    sender: type[Matter], instance: Matter, created: bool, **kwargs: object
) -> None:
    if not created or kwargs.get("raw"):
        return
    pk = instance.pk

    def run() -> None:
        try:
            index_matter_id(pk)
        except Exception:
            log.exception("routing index of matter %s failed; catch_up will retry", pk)

    transaction.on_commit(run)
