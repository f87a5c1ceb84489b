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
