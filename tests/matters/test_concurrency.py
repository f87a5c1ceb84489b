"""Concurrent writers on PostgreSQL: refused, never lost or doubled.

Each race slows the service down right after it has read the matter under its row lock, so that
without the lock both threads would read the same state and both would write: the tests fail if
the lock is missing, instead of passing because the threads happened not to overlap.
"""

from __future__ import annotations

import threading
import time
from datetime import date
from typing import Any

import pytest

from tests.conftest import register
from tests.matters.concurrently import in_thread, run_concurrently
from tests.matters.flows import on, reply, walk
from xinfang.matters import services
from xinfang.matters.errors import Conflict, InvalidState
from xinfang.matters.models import Event, Matter, State
from xinfang.matters.services import _core, handling, routing

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

PAUSE = 0.3


def slow_after_lock(monkeypatch: pytest.MonkeyPatch, module: Any) -> None:
    """Pause every service of `module` between reading the locked row and checking its state."""
    original = module.require_state

    def slow(*args: Any, **kwargs: Any) -> None:
        time.sleep(PAUSE)
        original(*args, **kwargs)

    monkeypatch.setattr(module, "require_state", slow)


def outcomes(results: list[Any]) -> list[str]:
    return sorted(type(r).__name__ if isinstance(r, BaseException) else "ok" for r in results)


def test_two_units_accepting_the_same_matter_at_once_one_wins(world, monkeypatch):
    m = walk(world, "forwarded")
    slow_after_lock(monkeypatch, routing)
    actors = [world.unit_lead, world.dept_registrar]
    with on(date(2026, 3, 4)):
        results = run_concurrently(2, lambda i: services.matter_accept(matter=m, actor=actors[i]))
    assert outcomes(results) == ["InvalidState", "ok"], results
    assert Event.objects.filter(matter=m, kind="accepted").count() == 1
    loser = next(r for r in results if isinstance(r, InvalidState))
    assert "受理" in loser.message
    m = Matter.objects.get(pk=m.pk)
    assert (m.state, m.version) == (State.ACCEPTED, 3)


def test_two_replies_at_once_one_wins(world, monkeypatch):
    m = walk(world, "in_handling")
    slow_after_lock(monkeypatch, handling)
    actors = [world.handler, world.unit_lead]
    with on(date(2026, 3, 16)):
        results = run_concurrently(2, lambda i: reply(world, m, actor=actors[i]))
    assert outcomes(results) == ["InvalidState", "ok"], results
    assert Event.objects.filter(matter=m, kind="replied").count() == 1
    assert Matter.objects.get(pk=m.pk).state == State.REPLIED


def test_two_edits_from_the_same_page_version_one_gets_a_conflict(world, monkeypatch):
    m = walk(world, "registered")
    shown = m.version
    slow_after_lock(monkeypatch, routing)
    targets = [world.dept, world.other]
    with on(date(2026, 3, 3)):
        results = run_concurrently(
            2,
            lambda i: services.matter_forward(
                matter=m, actor=world.registrar, to_unit=targets[i], expected_version=shown
            ),
        )
    assert outcomes(results) == ["Conflict", "ok"], results
    assert Event.objects.filter(matter=m, kind="forwarded").count() == 1
    assert Matter.objects.get(pk=m.pk).version == shown + 1


def test_a_stale_expected_version_gets_a_conflict(world):
    m = walk(world, "forwarded")
    with on(date(2026, 3, 4)):
        services.matter_accept(matter=m, actor=world.unit_lead, expected_version=m.version)
        with pytest.raises(Conflict, match="已被他人更新"):
            services.matter_decline(
                matter=m, actor=world.unit_lead, reason="x", expected_version=m.version
            )
    assert Event.objects.filter(matter=m).count() == 3


def test_a_matter_being_worked_on_does_not_hold_up_registration_at_its_office(world, monkeypatch):
    """The row lock covers the matter only, not the units it points to: locking the office's row
    too would queue every registration (and every step on any matter) of the office behind it."""
    m = walk(world, "forwarded")
    locked, release = threading.Event(), threading.Event()
    original = routing.require_state

    def hold(*args: Any, **kwargs: Any) -> None:
        locked.set()
        release.wait(10)
        original(*args, **kwargs)

    monkeypatch.setattr(routing, "require_state", hold)
    with on(date(2026, 3, 4)):
        holder, held = in_thread(lambda: services.matter_accept(matter=m, actor=world.unit_lead))
        try:
            assert locked.wait(10)
            other, registered = in_thread(lambda: register(world, title="同时登记"))
            other.join(5)
            finished_while_held = not other.is_alive()
        finally:
            release.set()
            holder.join(10)
            other.join(10)
    assert "error" not in held and "error" not in registered, (held, registered)
    assert finished_while_held, "registration waited for the lock on another matter"
    assert registered["result"].office == world.bureau


def test_locking_reads_the_matter_again(world):
    m = walk(world, "forwarded")
    Matter.objects.filter(pk=m.pk).update(title="别人改过")
    from django.db import transaction

    with transaction.atomic():
        assert _core.lock(m, None).title == "别人改过"
