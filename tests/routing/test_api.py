from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from tests.conftest import VALID_ID, register
from xinfang.routing.services.indexing import catch_up


def test_suggest(api: Any, rworld: SimpleNamespace) -> None:
    r = api(rworld.registrar).post(
        "/routing/suggest",
        {"title": "拖欠工资", "content": "老板拖欠我们三个月工资，请求帮助追讨。"},
    )
    assert r.status == 200
    assert r.body["categories"][0]["value"] == "劳动与社会保障"
    assert r.body["units"][0]["unit_id"] == rworld.dept.pk
    assert "第二十二条" in r.body["units"][0]["rule"]
    assert r.body["source"] == "rules" and r.body["legal_channel"] is False


def test_suggest_needs_a_role_in_the_office(api: Any, rworld: SimpleNamespace) -> None:
    r = api(rworld.outsider).post(
        "/routing/suggest", {"content": "拖欠工资", "office_id": rworld.bureau.pk}
    )
    assert r.status == 403
    assert api(rworld.registrar).post("/routing/suggest", {"content": ""}).status == 422


def test_matter_suggestion_is_404_outside_scope(api: Any, rworld: SimpleNamespace) -> None:
    matter = register(rworld)
    ok = api(rworld.registrar).get(f"/routing/matters/{matter.pk}/suggestion")
    assert ok.status == 200 and ok.body["types"][0]["value"] == "request"
    assert api(rworld.outsider).get(f"/routing/matters/{matter.pk}/suggestion").status == 404


def test_repeats(api: Any, rworld: SimpleNamespace) -> None:
    matter = register(rworld, content="宏达机械厂拖欠我三个月工资一万二，老板一直不给。")
    body = {
        "content": "再次反映：宏达机械厂欠我的三个月工钱至今没给，老板说等年底。",
        "petitioners": [{"name": "张三", "id_number": VALID_ID}],
    }
    r = api(rworld.registrar).post("/routing/repeats", body)
    assert r.status == 200 and [c["matter_id"] for c in r.body] == [matter.pk]
    assert "同一身份证号" in r.body[0]["reasons"]
    assert api(rworld.outsider).post("/routing/repeats", body).body == []


def test_clusters(api: Any, rworld: SimpleNamespace) -> None:
    from xinfang.matters.services import PetitionerInput

    for i in range(2):
        register(
            rworld,
            content=["宏达机械厂拖欠工人工资三个月。", "宏达机械厂三个月没发工资，工人讨薪无果。"][
                i
            ],
            petitioners=[PetitionerInput(name=f"工人{i}", phone=f"1390000000{i}")],
        )
    catch_up()
    r = api(rworld.registrar).get("/routing/clusters")
    assert r.status == 200 and r.body[0]["size"] == 2 and r.body[0]["open"] == 2
    one = api(rworld.registrar).get(f"/routing/clusters/{r.body[0]['id']}")
    assert one.status == 200 and one.body["units"] == ["清河县信访局"]
    assert api(rworld.outsider).get(f"/routing/clusters/{r.body[0]['id']}").status == 404
    assert api(rworld.outsider).get("/routing/clusters").body == []
    assert "visible" not in r.body[0]  # one figure: what the caller may see


def test_a_cluster_shows_a_handler_only_what_reached_their_unit(
    api: Any, rworld: SimpleNamespace
) -> None:
    from tests.conftest import at
    from xinfang.matters import services
    from xinfang.matters.services import PetitionerInput

    texts = ["宏达机械厂拖欠工人工资三个月。", "宏达机械厂三个月没发工资，工人讨薪无果。"]
    matters = [
        register(
            rworld,
            content=texts[i % 2],
            received_at=at(2026, 3, 2 + i),
            petitioners=[PetitionerInput(name=f"工人{i}", phone=f"1390000000{i}")],
        )
        for i in range(3)
    ]
    catch_up()
    [whole] = api(rworld.registrar).get("/routing/clusters").body
    assert whole["size"] == 3
    services.matter_forward(matter=matters[0], actor=rworld.registrar, to_unit=rworld.dept)
    assert api(rworld.handler).get("/routing/clusters").body == []
    assert api(rworld.handler).get(f"/routing/clusters/{whole['id']}").status == 404
    services.matter_forward(matter=matters[1], actor=rworld.registrar, to_unit=rworld.dept)
    [seen] = api(rworld.handler).get("/routing/clusters").body
    assert seen["size"] == 2 and seen["last_at"].startswith("2026-03-03")
    assert seen["units"] == ["县人社局"]


def test_a_confirmation_becomes_training_data(api: Any, rworld: SimpleNamespace) -> None:
    from xinfang.routing.models import Confirmation
    from xinfang.routing.services.training import confirmed_rows

    matter = register(rworld)
    body = {"type": "request", "category": "劳动与社会保障", "unit_id": rworld.dept.pk}
    assert api(rworld.handler).post(f"/routing/matters/{matter.pk}/confirmation", body).status in (
        403,
        404,
    )
    r = api(rworld.registrar).post(f"/routing/matters/{matter.pk}/confirmation", body)
    assert r.status == 201
    assert Confirmation.objects.get().unit == rworld.dept
    rows = confirmed_rows(rworld.bureau)
    assert rows == [
        {
            "title": matter.title,
            "text": matter.content,
            "type": "申诉求决",
            "category": "劳动与社会保障",
            "unit": "县人社局",
        }
    ]


def test_repeats_need_a_registering_or_routing_role(api: Any, rworld: SimpleNamespace) -> None:
    """Like the desk: only those who register or route matters compare submissions."""
    from tests.matters.flows import walk
    from xinfang.matters.models import MatterType

    accusation = walk(
        rworld,
        "forwarded",
        type=MatterType.ACCUSATION,
        accused_units=[rworld.town],
        content="检举县人社局某科长收受宏达机械厂老板红包两万元，压下工伤认定。",
    )
    body = {
        "content": "再次检举：县人社局那位科长收了宏达机械厂老板两万元红包，工伤认定被压着。",
        "petitioners": [{"name": "张三", "id_number": VALID_ID}],
    }
    r = api(rworld.handler).post("/routing/repeats", body)
    assert r.status == 403 and r.body["code"] == "forbidden"
    # The department's lead routes matters but may not learn who filed the accusation.
    r = api(rworld.unit_lead).post("/routing/repeats", body)
    assert r.status == 200 and r.body == []
    r = api(rworld.registrar).post("/routing/repeats", body)
    assert r.status == 200 and [c["matter_id"] for c in r.body] == [accusation.pk]


def test_training_data_is_only_what_the_office_routed(rworld: SimpleNamespace) -> None:
    """A matter no unit took (not accepted, guided to the legal channel) or kept at the office
    itself teaches nothing about where matters go."""
    from xinfang.matters import services
    from xinfang.routing.services.training import confirmed_rows

    w = rworld
    labour = w.categories["劳动与社会保障"]

    def matter(content: str) -> Any:
        return register(w, category=labour, content=content)

    routed = services.matter_forward(
        matter=matter("宏达机械厂拖欠工资三个月。"), actor=w.registrar, to_unit=w.dept
    )
    declined = services.matter_forward(
        matter=matter("某公司不给缴社保。"), actor=w.registrar, to_unit=w.dept
    )
    services.matter_decline(matter=declined, actor=w.unit_lead, reason="不属于信访事项")
    services.matter_guide(
        matter=matter("劳动仲裁裁决后公司仍不支付。"),
        actor=w.registrar,
        legal_channel="arbitration",
        reason="已经仲裁，请申请强制执行",
    )
    services.matter_accept(matter=matter("信访局自己办理的事项。"), actor=w.registrar)
    rows = confirmed_rows(w.bureau)
    assert [r["text"] for r in rows] == [routed.content]


def test_only_the_office_confirms_its_routings_to_units_it_routes_to(
    api: Any, rworld: SimpleNamespace
) -> None:
    from xinfang.matters import services
    from xinfang.routing.models import Confirmation

    w = rworld
    matter = services.matter_forward(matter=register(w), actor=w.registrar, to_unit=w.dept)
    body = {"type": "request", "category": "劳动与社会保障", "unit_id": w.dept.pk}
    # The department it was sent to routes its own matters, not the office's training data.
    r = api(w.unit_lead).post(f"/routing/matters/{matter.pk}/confirmation", body)
    assert r.status == 403 and r.body["code"] == "forbidden"
    # A unit outside the office's jurisdiction, or the office itself, is not a routing.
    for unit in (w.city, w.bureau):
        r = api(w.registrar).post(
            f"/routing/matters/{matter.pk}/confirmation", {**body, "unit_id": unit.pk}
        )
        assert r.status == 400 and r.body["code"] == "invalid", r.body
    r = api(w.registrar).post(
        f"/routing/matters/{matter.pk}/confirmation", {**body, "suggested_unit_id": w.city.pk}
    )
    assert r.status == 400
    assert not Confirmation.objects.exists()
    assert api(w.registrar).post(f"/routing/matters/{matter.pk}/confirmation", body).status == 201
