"""The session the README shows with curl: register a letter, accept it, read its clocks."""

from __future__ import annotations

from urllib.parse import quote

import time_machine

from tests.api.conftest import registration
from tests.conftest import at
from xinfang.deadlines.services import matter_clocks
from xinfang.matters.models import Matter


def test_register_accept_and_read_the_clocks(world, api):
    client = api(world.registrar)
    with time_machine.travel(at(2026, 3, 2, 10), tick=False):
        created = client.post("/matters", registration())
        assert created.status == 201, created.body
        matter = created.body
        assert matter["number"] == "清信〔2026〕1号"
        assert matter["state"] == "registered"
        assert matter["office"]["name"] == "清河县信访局"
        assert matter["petitioners"][0]["name"] == "张三"
        assert matter["petitioners"][0]["id_number"] != "110101197003070012"  # masked
        route = next(c for c in matter["clocks"] if c["key"] == "route")
        assert route == {
            **route,
            "label": "转送交办期限",
            "started_on": "2026-03-02",
            "due_on": "2026-03-17",
            "days_left": 15,
            "running": True,
            "overdue": False,
            "is_window": False,
        }
        assert "第二十二条" in route["article"]

        accepted = client.post(f"/matters/{matter['id']}/accept", {"version": matter["version"]})
        assert accepted.status == 200, accepted.body
        assert accepted.body["state"] == "accepted"
        assert accepted.body["version"] == matter["version"] + 1

    with time_machine.travel(at(2026, 3, 12, 10), tick=False):
        # By number, URL-encoded: 清信〔2026〕1号 → %E6%B8%85%E4%BF%A1%E3%80%942026...
        read = client.get("/matters/" + quote("清信〔2026〕1号"))
        assert read.status == 200, read.body
    clocks = {c["key"]: c for c in read.body["clocks"]}
    assert clocks["route"]["running"] is False
    assert clocks["route"]["stopped_on"] == "2026-03-02"
    assert clocks["route"]["days_left"] is None
    handling = clocks["handling"]
    expected = next(c for c in matter_clocks(Matter.objects.get()) if c.key == "handling")
    assert handling["running"] is True
    assert handling["started_on"] == "2026-03-02"
    assert handling["due_on"] == expected.due_on.isoformat()
    assert handling["days_left"] == (expected.due_on - at(2026, 3, 12).date()).days
    assert "第三十四条" in handling["article"]
    assert read.body["due_date"] == expected.due_on.isoformat()
    assert [(e["seq"], e["kind"], e["actor"], e["unit"]) for e in read.body["timeline"]] == [
        (1, "registered", "登记员", "清河县信访局"),
        (2, "accepted", "登记员", "清河县信访局"),
    ]
    assert read.body["timeline"][0]["at"].startswith("2026-03-02T09:30:00+08:00")


def test_the_id_and_the_encoded_number_reach_the_same_matter(world, api):
    client = api(world.registrar)
    created = client.post("/matters", registration()).body
    by_id = client.get(f"/matters/{created['id']}")
    by_number = client.get("/matters/" + quote(created["number"]))
    assert by_id.status == by_number.status == 200
    assert by_id.body == by_number.body


def test_an_unknown_number_is_a_json_404(world, api):
    r = api(world.registrar).get("/matters/" + quote("清信〔2026〕999号"))
    assert r.status == 404
    assert r.body == {
        "message": "没有找到该信访事项，或您无权查看。",
        "code": "not_found",
        "field": None,
    }


def test_chinese_comes_back_as_characters_in_utf8(world, api):
    client = api(world.registrar).client
    response = client.post("/api/v1/matters", registration(), content_type="application/json")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "清信〔2026〕1号".encode() in response.content
    assert b"\\u" not in response.content
