"""Gap-free matter numbers: one sequence per registering office and year."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from django.db import connection

from tests.conftest import at, register
from tests.matters.concurrently import run_concurrently
from tests.matters.flows import on
from xinfang.matters.errors import InvalidInput
from xinfang.matters.models import Matter, NumberSequence
from xinfang.matters.services import PetitionerInput, Upload


@pytest.fixture
def today(db):
    with on(date(2026, 3, 2)):
        yield


def test_numbers_run_on_without_gaps_per_office_and_year(world, today):
    numbers = [register(world).number for _ in range(3)]
    assert numbers == ["清信〔2026〕1号", "清信〔2026〕2号", "清信〔2026〕3号"]
    assert NumberSequence.objects.get(office=world.bureau, year=2026).last == 3


def test_each_office_has_its_own_sequence(world, today):
    register(world)
    register(world)
    m = register(world, actor=world.dept_registrar)
    assert (m.seq, m.number) == (1, "清人社〔2026〕1号")
    assert register(world).seq == 3
    assert set(NumberSequence.objects.values_list("office__short_name", "year", "last")) == {
        ("清信", 2026, 3),
        ("清人社", 2026, 1),
    }


def test_numbering_restarts_with_the_year_the_matter_was_received(world, today):
    old = register(world, received_at=at(2025, 12, 31, 23))
    new = register(world, received_at=at(2026, 1, 2, 9))
    older = register(world, received_at=at(2025, 12, 30, 9))
    assert (old.year, old.seq, old.number) == (2025, 1, "清信〔2025〕1号")
    assert (new.year, new.seq) == (2026, 1)
    assert (older.year, older.seq) == (2025, 2)


def test_the_year_is_the_local_year_not_the_utc_year(world, today):
    # 16:30 UTC on 31 December is 00:30 on 1 January in Beijing.
    m = register(world, received_at=datetime(2025, 12, 31, 16, 30, tzinfo=UTC))
    assert (m.year, m.number) == (2026, "清信〔2026〕1号")


def test_a_refused_registration_does_not_take_a_number(world, today):
    register(world)
    register(world)
    with pytest.raises(InvalidInput):
        register(world, petitioners=[PetitionerInput(name="张三", id_number="123")])
    assert register(world).seq == 3
    assert sorted(Matter.objects.values_list("seq", flat=True)) == [1, 2, 3]


def test_a_registration_failing_after_its_number_was_drawn_gives_the_number_back(
    world, today, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    register(world)
    with pytest.raises(InvalidInput, match="空文件"):
        register(world, attachments=[Upload(name="空.pdf", stream=io.BytesIO(b""))])
    assert NumberSequence.objects.get().last == 1
    assert register(world).seq == 2


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_registrations_at_one_office_get_1_to_20(world):
    """PostgreSQL: the sequence row's lock queues the registrations. SQLite: BEGIN IMMEDIATE
    queues the whole transactions. An in-memory SQLite test database cannot take part: every
    thread's connection would need the shared cache, whose table locks fail at once instead of
    waiting, so there this test needs XINFANG_TEST_SQLITE_NAME (a file database)."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("in-memory SQLite: set XINFANG_TEST_SQLITE_NAME to a file to run this")
    results = run_concurrently(20, lambda i: register(world, title=f"并发登记{i}").seq)
    assert sorted(results) == list(range(1, 21)), results
    assert sorted(Matter.objects.values_list("seq", flat=True)) == list(range(1, 21))
    assert NumberSequence.objects.get().last == 20
