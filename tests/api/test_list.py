"""GET /matters: the caller's visible matters, nearest due date first, filtered and paged."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine

from tests.conftest import at, register
from xinfang.matters import services


@pytest.fixture
def three(world: Any) -> list[Any]:
    """Registered on different days, so their routing deadlines differ; one accepted."""
    with time_machine.travel(at(2026, 3, 4, 14), tick=False):
        late = register(world, received_at=at(2026, 3, 4), title="三月四日")
        early = register(world, received_at=at(2026, 3, 2), title="三月二日")
        sent = register(world, received_at=at(2026, 3, 3), title="三月三日")
        sent = services.matter_forward(matter=sent, actor=world.registrar, to_unit=world.dept)
        sent = services.matter_accept(matter=sent, actor=world.unit_lead)
        decided = register(world, received_at=at(2026, 3, 1), title="三月一日")
        services.matter_decline(matter=decided, actor=world.registrar, reason="不属于信访事项")
    return [early, late, sent]


def _titles(body: dict[str, Any]) -> list[str]:
    return [m["title"] for m in body["items"]]


def test_the_list_is_ordered_by_due_date_with_no_due_date_last(world, api, three):
    with time_machine.travel(at(2026, 3, 5, 10), tick=False):
        r = api(world.registrar).get("/matters")
    assert r.status == 200
    assert r.body["count"] == 4
    assert _titles(r.body) == ["三月二日", "三月四日", "三月三日", "三月一日"]
    first = r.body["items"][0]
    assert first["due_date"] == "2026-03-17"
    assert first["overdue"] is False
    assert first["office"]["name"] == "清河县信访局"
    assert set(first) >= {"id", "number", "state", "state_label", "version", "lead_unit"}


def test_filters_state_open_and_unit(world, api, three):
    client = api(world.registrar)
    assert _titles(client.get("/matters", state="accepted").body) == ["三月三日"]
    assert client.get("/matters", open="true").body["count"] == 3
    assert _titles(client.get("/matters", open="false").body) == ["三月一日"]
    assert _titles(client.get("/matters", unit_id=world.dept.pk).body) == ["三月三日"]


def test_a_department_sees_only_what_reached_it(world, api, three):
    assert _titles(api(world.handler).get("/matters").body) == ["三月三日"]


def test_overdue_is_computed_from_the_date(world, api, three):
    with time_machine.travel(at(2026, 3, 20, 10), tick=False):
        items = api(world.registrar).get("/matters").body["items"]
    assert items[0]["title"] == "三月二日" and items[0]["overdue"] is True


def test_limit_and_offset(world, api, three):
    client = api(world.registrar)
    page = client.get("/matters", limit=2, offset=1).body
    assert page["count"] == 4
    assert len(page["items"]) == 2
    assert page["items"][0]["title"] == "三月四日"


def test_a_bad_filter_is_a_422_in_chinese(world, api):
    r = api(world.registrar).get("/matters", state="lost", limit=0)
    assert r.status == 422
    fields = {e["field"] for e in r.body["errors"]}
    assert fields == {"state", "limit"}
    assert "每页条数：不能小于1" in r.body["message"]
