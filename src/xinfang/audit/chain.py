"""The tamper-evident timeline: each event's hash covers its content and the previous hash."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from xinfang.matters.models import Event

GENESIS = "0" * 64


def _instant(moment: datetime) -> str:
    # The same instant reads back in UTC from the database: hash the UTC form.
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def event_hash(event: Event) -> str:
    payload = {
        "matter": event.matter_id,
        "seq": event.seq,
        "kind": event.kind,
        "actor": event.actor_id,
        "actor_unit": event.actor_unit_id,
        "occurred_at": _instant(event.occurred_at),
        "recorded_at": _instant(event.recorded_at),
        "from": event.from_state,
        "to": event.to_state,
        "text": event.text,
        "data": event.data,
        "public": event.is_public,
        "prev": event.prev_hash,
    }
    encoded = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(encoded.encode()).hexdigest()


@dataclass(frozen=True)
class Break:
    matter_id: int
    seq: int
    reason: str


def verify_events(
    events: Iterable[Event], heads: Mapping[int, tuple[int, str]] | None = None
) -> list[Break]:
    """Check events ordered by (matter, seq): numbering, links and hashes; and, given each
    matter's stored head (last seq, last hash), that no event is missing at the end."""
    breaks: list[Break] = []
    current: int | None = None
    expected_seq = 1
    prev = GENESIS
    seen: dict[int, tuple[int, str]] = {}
    for event in events:
        if event.matter_id != current:
            current, expected_seq, prev = event.matter_id, 1, GENESIS
        if event.seq != expected_seq:
            breaks.append(Break(event.matter_id, event.seq, f"expected event #{expected_seq}"))
        if event.prev_hash != prev:
            breaks.append(Break(event.matter_id, event.seq, "link to the previous event broken"))
        if event_hash(event) != event.hash:
            breaks.append(Break(event.matter_id, event.seq, "content changed after recording"))
        expected_seq = event.seq + 1
        prev = event.hash
        seen[event.matter_id] = (event.seq, event.hash)
    for matter_id, head in (heads or {}).items():
        if seen.get(matter_id, (0, "")) != head:
            last = seen.get(matter_id, (0, ""))[0]
            breaks.append(
                Break(
                    matter_id,
                    head[0],
                    f"timeline ends at event #{last}, the matter records #{head[0]}",
                )
            )
    return breaks


def verify_all() -> list[Break]:
    from xinfang.matters.models import Event, Matter

    heads = {
        pk: (seq, digest)
        for pk, seq, digest in Matter.objects.values_list(
            "pk", "last_event_seq", "last_event_hash"
        ).iterator(5000)
    }
    return verify_events(Event.objects.order_by("matter_id", "seq").iterator(5000), heads)
