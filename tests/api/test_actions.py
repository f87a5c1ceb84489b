"""Every lifecycle action through the API, on its happy path, with the state it leads to."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine

from tests.api.conftest import ApiClient, registration
from tests.conftest import at
from xinfang.matters.models import Category, CoHandling, Evaluation, Interest, Matter


@pytest.fixture(autouse=True)
def _frozen() -> Any:
    with time_machine.travel(at(2026, 3, 4, 10), tick=False):
        yield


def _register(client: ApiClient, **overrides: Any) -> dict[str, Any]:
    r = client.post("/matters", registration(**overrides))
    assert r.status == 201, r.body
    return r.body


def _do(client: ApiClient, matter: dict[str, Any], action: str, **body: Any) -> dict[str, Any]:
    """POST the action with the version just read; return the new detail."""
    r = client.post(f"/matters/{matter['id']}/{action}", {"version": matter["version"], **body})
    assert r.status == 200, (action, r.body)
    assert r.body["version"] > matter["version"]
    return r.body


def _in_handling(w: Any, api: Any) -> dict[str, Any]:
    m = _register(api(w.registrar))
    m = _do(api(w.registrar), m, "forward", to_unit_id=w.dept.pk)
    m = _do(api(w.unit_lead), m, "accept")
    return _do(api(w.unit_lead), m, "owners", leader_id=w.leader.pk, handler_id=w.handler.pk)


def test_forward_assign_and_object(world, api):
    w = world
    m = _register(api(w.registrar))
    m = _do(api(w.registrar), m, "forward", to_unit_id=w.dept.pk, note="请依法处理")
    assert (m["state"], m["lead_unit"]["name"]) == ("forwarded", "县人社局")
    assert m["timeline"][-1]["text"] == "请依法处理"

    m = _do(api(w.unit_lead), m, "object", reason="属于住建部门职责")
    assert (m["state"], m["lead_unit"]["name"]) == ("registered", "清河县信访局")

    m = _do(api(w.registrar), m, "assign", to_unit_id=w.other.pk)
    assert (m["state"], m["lead_unit"]["name"]) == ("assigned", "县住建局")
    assert [e["kind"] for e in m["timeline"]] == ["registered", "forwarded", "objected", "assigned"]


def test_classify(world, api):
    Category.objects.create(name="劳动与社会保障")
    m = _register(api(world.registrar), type="suggestion")
    m = _do(
        api(world.registrar),
        m,
        "classify",
        type="request",
        category="劳动与社会保障",
        region=world.township.code,
    )
    assert (m["state"], m["type"]) == ("registered", "request")
    assert m["category"]["name"] == "劳动与社会保障"
    assert m["timeline"][-1]["kind"] == "classified"

    r = api(world.registrar).post(f"/matters/{m['id']}/classify", {"category": "没有这个"})
    assert (r.status, r.body["field"]) == (400, "category")


def test_accept_simplified(world, api):
    m = _register(api(world.registrar))
    m = _do(api(world.registrar), m, "accept", simplified=True)
    assert m["state"] == "accepted" and m["simplified"] is True
    assert "simplified" in {c["key"] for c in m["clocks"] if c["running"]}


def test_decline(world, api):
    m = _register(api(world.registrar))
    m = _do(api(world.registrar), m, "decline", reason="不属于信访事项")
    assert m["state"] == "not_accepted"
    assert m["timeline"][-1]["text"] == "不属于信访事项"


def test_guide_to_the_legal_channel(world, api):
    m = _register(api(world.registrar))
    m = _do(
        api(world.registrar),
        m,
        "guide",
        legal_channel="arbitration",
        reason="属于劳动争议，请向劳动人事争议仲裁委员会申请仲裁",
    )
    assert (m["state"], m["legal_channel"]) == ("guided", "arbitration")


def test_owners_co_units_and_interest(world, api):
    w = world
    m = _in_handling(w, api)
    assert m["state"] == "in_handling"
    assert m["leader"] == {"id": w.leader.pk, "name": "分管领导"}
    assert m["handler"] == {"id": w.handler.pk, "name": "承办人"}

    m = _do(api(w.unit_lead), m, "co-units", unit_ids=[w.other.pk])
    assert m["co_units"] == [{"id": w.other.pk, "name": "县住建局"}]
    assert CoHandling.objects.filter(unit=w.other).count() == 1

    m = _do(api(w.handler), m, "interest", reason="信访人是本人亲属")
    assert m["handler"] is None and m["state"] == "accepted"
    assert Interest.objects.filter(user=w.handler).exists()


def test_extension_request_and_decision(world, api):
    w = world
    m = _in_handling(w, api)
    m = _do(api(w.handler), m, "extension-request", days=30, reason="需要调查取证")
    assert m["extension_days"] == 0
    m = _do(api(w.unit_lead), m, "extension-decision", approve=True)
    assert m["extension_days"] == 30
    handling = next(c for c in m["clocks"] if c["key"] == "handling")
    assert handling["extra_days"] == 30


def test_reply_then_close_when_the_review_window_has_passed(world, api):
    w = world
    m = _in_handling(w, api)
    m = _do(
        api(w.handler),
        m,
        "reply",
        text="已督促公司支付拖欠工资",
        decision="support",
        basis="《劳动合同法》第三十条",
    )
    assert (m["state"], m["decision"]) == ("replied", "support")
    window = next(c for c in m["clocks"] if c["key"] == "review_request")
    assert window["is_window"] is True and window["running"] is True

    with time_machine.travel(at(2026, 4, 10, 10), tick=False):
        m = _do(api(w.registrar), m, "close", note="复查申请期限已过，办结")
    assert m["state"] == "closed" and m["is_open"] is False


def test_rating_then_close(world, api):
    w = world
    m = _in_handling(w, api)
    m = _do(
        api(w.handler),
        m,
        "reply",
        text="已督促公司支付拖欠工资",
        decision="support",
        basis="《劳动合同法》第三十条",
    )
    m = _do(api(w.registrar), m, "rating", rating="satisfied", comment="工资已到账")
    assert m["evaluation"]["rating"] == "satisfied"
    assert Evaluation.objects.get().comment == "工资已到账"

    m = _do(api(w.registrar), m, "close", note="信访人满意，办结")
    assert m["state"] == "closed"


def test_review_re_review_hearing_and_the_final_close(world, api):
    w = world
    m = _in_handling(w, api)
    m = _do(api(w.handler), m, "reply", text="不予支持", decision="reject", basis="相关规定")
    m = _do(api(w.registrar), m, "review-request", reasons="对答复不服")
    assert (m["state"], m["review_unit"]["name"]) == ("review_requested", "清河县人民政府")

    m = _do(api(w.gov_lead), m, "review-decision", outcome="upheld", text="维持原处理意见")
    assert m["state"] == "reviewed"

    m = _do(api(w.registrar), m, "re-review-request", reasons="仍然不服")
    assert (m["state"], m["re_review_unit"]["name"]) == ("re_review_requested", "江州市人民政府")

    m = _do(api(w.city_lead), m, "hearing", start="2026-03-04", end="2026-03-04", note="公开听证")
    re_review = next(c for c in m["clocks"] if c["key"] == "re_review")
    assert re_review["extra_days"] == 1  # the hearing day is not counted

    m = _do(api(w.city_lead), m, "re-review-decision", outcome="upheld", text="维持")
    assert (m["state"], m["is_final"]) == ("re_reviewed", True)

    m = _do(api(w.registrar), m, "close")
    assert m["state"] == "closed"


def test_link_a_repeat_to_the_matter_in_handling(world, api):
    w = world
    original = _in_handling(w, api)
    repeat = _register(api(w.registrar), content="还是拖欠工资的事，再次反映。")
    m = _do(api(w.registrar), repeat, "link-repeat", original=original["number"])
    assert m["state"] == "linked"
    assert m["repeat_of"] == {"id": original["id"], "number": original["number"]}
    assert Matter.objects.get(pk=original["id"]).events.last().kind == "note"


def test_link_repeat_also_takes_the_original_id(world, api):
    w = world
    original = _in_handling(w, api)
    repeat = _register(api(w.registrar))
    m = _do(api(w.registrar), repeat, "link-repeat", original=str(original["id"]))
    assert m["repeat_of"]["id"] == original["id"]


def test_an_action_without_a_version_still_works(world, api):
    m = _register(api(world.registrar))
    r = api(world.registrar).post(f"/matters/{m['id']}/accept", {})
    assert r.status == 200 and r.body["state"] == "accepted"


def test_a_step_recorded_after_the_fact_keeps_its_time(world, api):
    m = _register(api(world.registrar), received_at="2026-03-02T09:00:00+08:00")
    m = _do(api(world.registrar), m, "accept", at="2026-03-03T15:00:00+08:00")
    assert m["timeline"][-1]["at"].startswith("2026-03-03T15:00:00+08:00")
    assert next(c for c in m["clocks"] if c["key"] == "handling")["started_on"] == "2026-03-03"


def test_actions_are_post_only(world, api):
    m = _register(api(world.registrar))
    assert api(world.registrar).get(f"/matters/{m['id']}/accept").status == 405
