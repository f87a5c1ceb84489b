"""The tamper-evident timeline (art. 46): every event hash-chained, nothing hard-deleted."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from django.db.models import ProtectedError

from tests.conftest import register
from tests.matters.flows import on, walk
from xinfang.audit.chain import GENESIS, Break, event_hash, verify_all, verify_events
from xinfang.audit.models import AccessLog
from xinfang.matters import services
from xinfang.matters.models import Event, Matter, Petitioner

pytestmark = pytest.mark.django_db


@pytest.fixture
def timeline(world) -> Matter:
    return walk(world, "re_reviewed")


def events(m: Matter) -> list[Event]:
    return list(Event.objects.filter(matter=m).order_by("seq"))


def test_the_timeline_of_a_whole_lifecycle_verifies(world, timeline):
    other = walk(world, "replied")
    assert verify_all() == []
    chain = events(timeline)
    assert [e.seq for e in chain] == list(range(1, 10))
    assert chain[0].prev_hash == GENESIS
    for before, after in itertools.pairwise(chain):
        assert after.prev_hash == before.hash
    # Each matter has its own chain.
    assert events(other)[0].prev_hash == GENESIS


def test_a_stored_hash_is_recomputed_the_same_from_the_database_row(timeline):
    for event in events(timeline):
        assert event_hash(event) == event.hash


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("text", "答复内容被改写"),
        ("kind", "closed"),
        ("data", {"decision": "reject"}),
        ("is_public", False),
        ("to_state", "closed"),
    ],
)
def test_changing_an_event_with_a_queryset_update_is_detected(timeline, field, value):
    replied = Event.objects.get(matter=timeline, kind="replied")
    Event.objects.filter(pk=replied.pk).update(**{field: value})
    assert verify_all() == [Break(timeline.pk, replied.seq, "content changed after recording")]


def test_backdating_an_event_is_detected(timeline):
    replied = Event.objects.get(matter=timeline, kind="replied")
    Event.objects.filter(pk=replied.pk).update(occurred_at=replied.occurred_at - timedelta(days=1))
    assert [b.seq for b in verify_all()] == [replied.seq]


def test_rewriting_an_event_with_a_fresh_hash_breaks_the_next_link(timeline):
    replied = Event.objects.get(matter=timeline, kind="replied")
    replied.text = "改写并重算哈希"
    replied.hash = event_hash(replied)
    Event.objects.filter(pk=replied.pk).update(text=replied.text, hash=replied.hash)
    assert verify_all() == [
        Break(timeline.pk, replied.seq + 1, "link to the previous event broken")
    ]


def test_removing_an_event_from_the_middle_is_detected(timeline):
    removed = Event.objects.get(matter=timeline, kind="accepted")
    Event.objects.filter(pk=removed.pk).delete()
    breaks = verify_all()
    assert Break(timeline.pk, removed.seq + 1, f"expected event #{removed.seq}") in breaks
    assert Break(timeline.pk, removed.seq + 1, "link to the previous event broken") in breaks


def test_verify_events_checks_any_ordered_run_of_events(timeline):
    chain = events(timeline)
    assert verify_events(chain) == []
    assert verify_events(chain[1:])[0] == Break(timeline.pk, 2, "expected event #1")


# --- nothing is hard-deleted ----------------------------------------------------------------


def test_a_matter_with_a_timeline_cannot_be_deleted(timeline):
    with pytest.raises(ProtectedError):
        timeline.delete()
    with pytest.raises(ProtectedError):
        Matter.objects.filter(pk=timeline.pk).delete()
    assert Matter.objects.filter(pk=timeline.pk).exists()
    assert verify_all() == []


def test_units_and_users_who_acted_on_a_matter_cannot_be_deleted(world, timeline):
    for unit in (world.dept, world.bureau, world.gov, world.city):
        with pytest.raises(ProtectedError):
            unit.delete()
    for user in (world.handler, world.registrar, world.city_lead):
        with pytest.raises(ProtectedError):
            user.delete()
    assert Petitioner.objects.filter(matter=timeline).count() == 1


def test_a_petitioner_whose_details_were_viewed_cannot_be_deleted(world):
    with on(date(2026, 3, 2)):
        m = register(world)
    p = m.petitioners.get()
    services.petitioner_reveal(petitioner=p, actor=world.registrar, field="phone")
    with pytest.raises(ProtectedError):
        p.delete()
    assert AccessLog.objects.get().petitioner == p


def test_cutting_off_the_end_of_a_timeline_is_detected(timeline):
    Event.objects.filter(matter=timeline, kind__in=["re_reviewed"]).delete()
    (brk,) = verify_all()
    assert brk.matter_id == timeline.pk
    assert "timeline ends at event" in brk.reason
