"""Every kind of refusal: a clear Chinese message in JSON, and nothing changed in the database."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from tests.api.conftest import path_of, registration, snapshot
from tests.conftest import VALID_ID, at, register
from xinfang.matters import services
from xinfang.matters.models import Matter


@pytest.fixture(autouse=True)
def _frozen() -> Any:
    with time_machine.travel(at(2026, 3, 4, 10), tick=False):
        yield


@pytest.fixture
def forwarded(world: Any) -> Matter:
    matter = register(world, received_at=at(2026, 3, 2))
    return services.matter_forward(matter=matter, actor=world.registrar, to_unit=world.dept)


def test_a_role_without_the_power_gets_403(world, api, forwarded):
    before = snapshot(forwarded)
    r = api(world.handler).post(f"/matters/{forwarded.pk}/accept", {})
    assert r.status == 403
    assert r.body == {"message": "您在县人社局没有受理的权限。", "code": "forbidden", "field": None}
    assert snapshot(forwarded) == before


def test_a_read_only_role_gets_403(world, api, forwarded):
    before = snapshot(forwarded)
    r = api(world.auditor).post(f"/matters/{forwarded.pk}/decline", {"reason": "无"})
    assert r.status == 403 and r.body["code"] == "forbidden"
    assert snapshot(forwarded) == before


@pytest.mark.parametrize("how", ["id", "number"])
def test_outside_the_scope_everything_is_404(world, api, forwarded, how):
    ref = str(forwarded.pk) if how == "id" else path_of(forwarded).removeprefix("/matters/")
    before = snapshot(forwarded)
    outsider = api(world.outsider)
    not_found = {
        "message": "没有找到该信访事项，或您无权查看。",
        "code": "not_found",
        "field": None,
    }
    read = outsider.get(f"/matters/{ref}")
    act = outsider.post(f"/matters/{ref}/accept", {})
    pid = forwarded.petitioners.get().pk
    reveal = outsider.post(f"/matters/{ref}/petitioners/{pid}/reveal", {"field": "id_number"})
    for r in (read, act, reveal):
        assert (r.status, r.body) == (404, not_found)
    # The same answer as for a matter that does not exist: existence is not revealed.
    missing = outsider.get(f"/matters/{forwarded.pk + 1000}")
    assert (missing.status, missing.body) == (404, not_found)
    assert snapshot(forwarded) == before
    assert outsider.get("/matters").body == {"items": [], "count": 0}


def test_an_action_the_state_does_not_allow_is_409(world, api, forwarded):
    client = api(world.unit_lead)
    assert client.post(f"/matters/{forwarded.pk}/accept", {}).status == 200
    forwarded.refresh_from_db()
    before = snapshot(forwarded)
    r = client.post(f"/matters/{forwarded.pk}/accept", {})
    assert r.status == 409
    assert r.body["code"] == "invalid_state"
    assert r.body["message"].startswith("该事项当前状态为")
    assert r.body["message"].endswith("不能受理。")
    assert snapshot(forwarded) == before


def test_a_stale_version_is_a_409_conflict(world, api, forwarded):
    stale = forwarded.version
    services.matter_accept(matter=forwarded, actor=world.unit_lead)  # someone else, meanwhile
    forwarded.refresh_from_db()
    before = snapshot(forwarded)
    r = api(world.unit_lead).post(
        f"/matters/{forwarded.pk}/decline", {"reason": "不属于受理范围", "version": stale}
    )
    assert r.status == 409
    assert r.body == {
        "message": "该事项已被他人更新，请刷新页面查看最新情况后再操作。",
        "code": "conflict",
        "field": None,
    }
    assert snapshot(forwarded) == before


@pytest.mark.parametrize(
    "action,body",
    [
        ("interest", {"reason": "亲属关系"}),
        ("rating", {"rating": "satisfied"}),
    ],
)
def test_a_stale_version_is_refused_by_the_actions_whose_service_takes_none(
    world, api, forwarded, action, body
):
    before = snapshot(forwarded)
    r = api(world.handler).post(
        f"/matters/{forwarded.pk}/{action}", {**body, "version": forwarded.version - 1}
    )
    assert (r.status, r.body["code"]) == (409, "conflict")
    assert snapshot(forwarded) == before


def _refused_registration(api: Any, world: Any, status: int, **overrides: Any) -> Any:
    before = snapshot()
    r = api(world.registrar).post("/matters", registration(**overrides))
    assert r.status == status, r.body
    assert snapshot() == before  # no matter, no petitioner, no event, no number used up
    return r.body


def test_an_invalid_id_number_is_refused(world, api):
    body = _refused_registration(
        api, world, 400, petitioners=[{"name": "张三", "id_number": VALID_ID[:-1] + "1"}]
    )
    assert body == {
        "message": "第1位信访人（张三）：身份证号码校验位不正确，请核对后重新输入。",
        "code": "invalid",
        "field": "petitioners",
    }


def test_six_representatives_are_refused(world, api):
    people = [{"name": f"代表{i}"} for i in range(1, 7)]
    body = _refused_registration(
        api, world, 400, petitioners=people, is_collective=True, head_count=40
    )
    assert body["field"] == "petitioners"
    assert "代表人数不超过5人" in body["message"]
    assert "本次填写了6人" in body["message"]


def test_empty_content_is_refused(world, api):
    body = _refused_registration(api, world, 400, content="   ")
    assert body == {"message": "请填写信访事项的内容。", "code": "invalid", "field": "content"}


def test_a_received_time_in_the_future_is_refused(world, api):
    tomorrow = (timezone.now() + timedelta(days=1)).isoformat()
    body = _refused_registration(api, world, 400, received_at=tomorrow)
    assert body == {"message": "日期不能晚于当前时间。", "code": "invalid", "field": "received_at"}


def test_a_non_accusation_with_no_petitioner_is_refused(world, api):
    body = _refused_registration(api, world, 400, petitioners=[])
    assert body["field"] == "petitioners"
    assert "检举控告可以匿名" in body["message"]


def test_an_unknown_category_is_refused(world, api):
    body = _refused_registration(api, world, 400, category="不存在的分类")
    assert body == {
        "message": "没有找到内容分类“不存在的分类”。",
        "code": "invalid",
        "field": "category",
    }


def test_an_unknown_channel_is_a_422_in_chinese(world, api):
    body = _refused_registration(api, world, 422, channel="pigeon")
    assert body["code"] == "validation"
    assert body["field"] == "channel"
    assert body["message"].startswith("请求数据有误：信访形式：取值无效，可选：")
    assert "'letter'" in body["message"]


def test_missing_fields_are_named_in_the_422(world, api):
    before = snapshot()
    r = api(world.registrar).post(
        "/matters", {"channel": "letter", "petitioners": [{"phone": "1"}]}
    )
    assert r.status == 422
    fields = {e["field"] for e in r.body["errors"]}
    assert {"received_at", "content", "type", "petitioners.0.name"} <= fields
    assert "第1位信访人的姓名：必须填写" in r.body["message"]
    assert snapshot() == before


def test_a_malformed_datetime_is_a_422(world, api):
    body = _refused_registration(api, world, 422, received_at="昨天上午")
    assert body["field"] == "received_at"
    assert "收到时间：应为日期时间" in body["message"]


def test_a_body_that_is_not_json_is_a_400(world, api):
    before = snapshot()
    r = api(world.registrar).post("/matters", raw="{not json")
    assert r.status == 400
    assert r.body == {"message": "请求体不是有效的JSON。", "code": "bad_json", "field": None}
    assert snapshot() == before


def test_a_bad_unit_in_an_action_names_the_request_field(world, api):
    matter = register(world)
    before = snapshot(matter)
    r = api(world.registrar).post(f"/matters/{matter.pk}/forward", {"to_unit_id": 99999})
    assert (r.status, r.body["field"]) == (400, "to_unit_id")
    assert r.body["message"] == "没有找到ID为99999的单位。"
    r = api(world.registrar).post(f"/matters/{matter.pk}/forward", {"to_unit_id": world.bureau.pk})
    assert (r.status, r.body) == (
        400,
        {"message": "不能转送给本单位。", "code": "invalid", "field": "to_unit_id"},
    )
    assert snapshot(matter) == before


def test_an_extension_over_30_days_is_refused(world, api, forwarded):
    services.matter_accept(matter=forwarded, actor=world.unit_lead)
    matter = services.matter_assign_owners(
        matter=forwarded, actor=world.unit_lead, leader=world.leader, handler=world.handler
    )
    before = snapshot(matter)
    r = api(world.handler).post(
        f"/matters/{matter.pk}/extension-request", {"days": 31, "reason": "复杂"}
    )
    assert r.status == 400
    assert r.body == {
        "message": "延长期限为1至30日（第三十四条）。",
        "code": "invalid",
        "field": "days",
    }
    assert snapshot(matter) == before


def test_an_unexpected_failure_is_a_json_500(world, api, forwarded, monkeypatch):
    def broken(**kwargs: Any) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "matter_accept", broken)
    r = api(world.unit_lead).post(f"/matters/{forwarded.pk}/accept", {})
    assert r.status == 500
    assert r.body == {
        "message": "服务器内部错误，请联系系统管理员。",
        "code": "server_error",
        "field": None,
    }


def test_true_is_not_a_number_of_days(world, api, forwarded):
    services.matter_accept(matter=forwarded, actor=world.unit_lead)
    matter = services.matter_assign_owners(
        matter=forwarded, actor=world.unit_lead, leader=world.leader, handler=world.handler
    )
    before = snapshot(matter)
    r = api(world.handler).post(
        f"/matters/{matter.pk}/extension-request", {"days": True, "reason": "复杂"}
    )
    assert (r.status, r.body["field"]) == (422, "days")
    assert "延长天数：应为整数" in r.body["message"]
    r = api(world.unit_lead).post(f"/matters/{matter.pk}/extension-decision", {"approve": 1})
    assert (r.status, r.body["field"]) == (422, "approve")
    assert snapshot(matter) == before
