"""Concurrent issues and edits on PostgreSQL: numbers stay gap-free, a stale edit is refused."""

from __future__ import annotations

import time
from datetime import date
from typing import Any

import pytest

from tests.matters.concurrently import run_concurrently
from tests.matters.flows import on, walk
from xinfang.matters.errors import Conflict
from xinfang.reports.documents import services
from xinfang.reports.models import Document, DocumentTemplate

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

PAUSE = 0.3


class Broken(Exception):
    pass


def test_numbers_stay_gap_free_when_issues_race_and_one_fails(
    world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    matters = [walk(world, "accepted") for _ in range(3)]
    original = services.docx.render

    def slow_render(letter: Any) -> bytes:
        # After the number was taken, before anything is stored: the other issues wait on the
        # sequence row; the first one fails and must give its number back.
        time.sleep(PAUSE)
        if matters[0].number in "".join(letter.paragraphs):
            raise Broken(letter.number)
        return original(letter)

    monkeypatch.setattr(services.docx, "render", slow_render)
    with on(date(2026, 3, 6)):
        results = run_concurrently(
            3,
            lambda i: services.document_issue(
                actor=world.unit_lead, matter=matters[i], kind="acceptance", expected_version=None
            ),
        )
    assert isinstance(results[0], Broken), results
    numbers = sorted(Document.objects.values_list("number", flat=True))
    assert numbers == ["清人社受〔2026〕1号", "清人社受〔2026〕2号"], numbers


def test_two_template_edits_of_the_same_version_one_gets_a_conflict(
    world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = services.resolve_time

    def slow(*args: Any, **kwargs: Any) -> Any:
        time.sleep(PAUSE)  # between reading the version in use and inserting the next
        return original(*args, **kwargs)

    monkeypatch.setattr(services, "resolve_time", slow)
    editors = [world.unit_lead, world.dept_registrar]
    results = run_concurrently(
        2,
        lambda i: services.template_save(
            actor=editors[i],
            unit=world.dept,
            kind="acceptance",
            expected_version=0,
            issuer_mark="县人社局",
            number_prefix="清人社受",
            title="受理告知书",
            body=f"第{i}人的版本：{{事项编号}}",
            signature="县人社局",
        ),
    )
    kinds = sorted(type(r).__name__ for r in results)
    assert kinds == ["Conflict", "DocumentTemplate"], results
    assert DocumentTemplate.objects.count() == 1
    assert any(isinstance(r, Conflict) and "已被他人修改" in r.message for r in results)
