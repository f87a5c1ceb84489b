"""An accuser's identity (arts. 30, 46), and the logged reveal of an unmasked identifier."""

from __future__ import annotations

import io
from typing import Any

import pytest

from tests.api.conftest import snapshot
from tests.conftest import VALID_ID, register
from xinfang.audit.models import AccessLog
from xinfang.matters import services
from xinfang.matters.models import Matter, MatterType
from xinfang.matters.services.petitioners import CONFIDENTIAL

ACCUSER = services.PetitionerInput(
    name="李四", phone="13900139000", id_number=VALID_ID, address="永安镇"
)


def accusation(world: Any, accused: list[Any]) -> Matter:
    return register(
        world,
        type=MatterType.ACCUSATION,
        title="举报违规发放补贴",
        content="举报某单位违规发放补贴。",
        petitioners=[ACCUSER],
        accused_units=accused,
    )


def _petitioner(api: Any, user: Any, matter: Matter) -> dict[str, Any]:
    r = api(user).get(f"/matters/{matter.pk}")
    assert r.status == 200, r.body
    return r.body["petitioners"][0]


def test_an_accusation_is_hidden_from_the_accused_unit(world, api):
    # The county government is accused. Its lead's scope (the government's unit tree) covers
    # the bureau that registered it, yet the matter does not exist for them.
    matter = accusation(world, [world.gov])
    client = api(world.gov_lead)
    pid = matter.petitioners.get().pk
    assert client.get(f"/matters/{matter.pk}").status == 404
    assert (
        client.post(f"/matters/{matter.pk}/petitioners/{pid}/reveal", {"field": "phone"}).status
        == 404
    )
    assert client.get("/matters").body == {"items": [], "count": 0}
    assert AccessLog.objects.count() == 0


def test_the_accusers_identity_is_withheld_from_the_accused_registering_office(world, api):
    # The bureau registers an accusation against itself: it must pass it on, without
    # knowing who accused it.
    matter = accusation(world, [world.bureau])
    seen = _petitioner(api, world.registrar, matter)
    assert seen["confidential"] is True
    assert {seen["name"], seen["phone"], seen["id_number"], seen["address"]} == {CONFIDENTIAL}
    assert "李四" not in str(api(world.registrar).get(f"/matters/{matter.pk}").body)


def test_the_accusers_identity_is_withheld_from_a_plain_department_handler(world, api):
    matter = accusation(world, [world.town])
    matter = services.matter_forward(matter=matter, actor=world.registrar, to_unit=world.dept)
    seen = _petitioner(api, world.handler, matter)
    assert seen["confidential"] is True and seen["name"] == CONFIDENTIAL


def test_an_accusations_attachment_names_and_notes_are_withheld_with_the_identity(world, api):
    matter = accusation(world, [world.town])
    services.attachment_add(
        matter=matter,
        actor=world.registrar,
        upload=services.Upload(name="李四举报信.pdf", stream=io.BytesIO(b"%PDF-1.4 x")),
        note="李四亲笔签名的举报信",
    )
    matter = services.matter_forward(matter=matter, actor=world.registrar, to_unit=world.dept)

    handler = api(world.handler).get(f"/matters/{matter.pk}").body
    assert "李四" not in str(handler)
    assert handler["attachments"][0]["name"] == CONFIDENTIAL
    assert [e["text"] for e in handler["timeline"] if e["kind"] == "attached"] == [CONFIDENTIAL]

    office = api(world.registrar).get(f"/matters/{matter.pk}").body
    assert office["attachments"][0]["name"] == "李四举报信.pdf"
    assert "李四亲笔签名的举报信" in [e["text"] for e in office["timeline"]]


def test_the_registering_office_and_discipline_see_the_accuser_masked(world, api):
    matter = accusation(world, [world.town])
    matter = services.matter_forward(matter=matter, actor=world.registrar, to_unit=world.discipline)
    for user in (world.registrar, world.inspector):
        seen = _petitioner(api, user, matter)
        assert seen["confidential"] is False
        assert seen["name"] == "李四"
        assert seen["id_number"] != VALID_ID and seen["id_number"][:4] == VALID_ID[:4]
        assert seen["phone"] != "13900139000"


def test_a_reveal_returns_the_number_and_writes_the_access_log(world, api):
    matter = register(world)
    petitioner = matter.petitioners.get()
    r = api(world.registrar).post(
        f"/matters/{matter.pk}/petitioners/{petitioner.pk}/reveal",
        {"field": "id_number", "purpose": "核实身份"},
    )
    assert r.status == 200
    assert r.body == {"value": VALID_ID}
    assert r.headers["Cache-Control"] == "no-store"
    log = AccessLog.objects.get()
    assert (log.user, log.matter, log.petitioner, log.field, log.purpose) == (
        world.registrar,
        matter,
        petitioner,
        "id_number",
        "核实身份",
    )

    phone = api(world.registrar).post(
        f"/matters/{matter.pk}/petitioners/{petitioner.pk}/reveal", {"field": "phone"}
    )
    assert phone.body == {"value": "13800138000"}
    assert AccessLog.objects.count() == 2


def test_a_reveal_is_refused_on_get(world, api):
    matter = register(world)
    pid = matter.petitioners.get().pk
    r = api(world.registrar).get(f"/matters/{matter.pk}/petitioners/{pid}/reveal", field="phone")
    assert r.status == 405
    assert AccessLog.objects.count() == 0


def test_an_accusers_identity_cannot_be_revealed_to_the_accused(world, api):
    matter = accusation(world, [world.bureau])
    pid = matter.petitioners.get().pk
    before = snapshot(matter)
    r = api(world.registrar).post(
        f"/matters/{matter.pk}/petitioners/{pid}/reveal", {"field": "id_number"}
    )
    assert r.status == 403
    assert r.body["message"] == (
        "检举控告人的身份信息只对登记机关和纪检监察机关可见，"
        "且不向被检举控告单位的人员披露（第四十六条）。"
    )
    assert snapshot(matter) == before


@pytest.mark.parametrize("field,status", [("address", 422), ("phone", 400)])
def test_a_reveal_of_something_else_or_missing_is_refused(world, api, field, status):
    matter = register(world, petitioners=[services.PetitionerInput(name="王五")])
    pid = matter.petitioners.get().pk
    r = api(world.registrar).post(
        f"/matters/{matter.pk}/petitioners/{pid}/reveal", {"field": field}
    )
    assert r.status == status
    assert r.body["field"] == "field"
    assert AccessLog.objects.count() == 0


def test_a_petitioner_of_another_matter_is_404(world, api):
    first, second = register(world), register(world)
    pid = second.petitioners.get().pk
    r = api(world.registrar).post(
        f"/matters/{first.pk}/petitioners/{pid}/reveal", {"field": "phone"}
    )
    assert r.status == 404
    assert AccessLog.objects.count() == 0
