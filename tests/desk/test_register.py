"""The registration form: every channel, a collective visit, attachments, the repeat warning."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.conftest import VALID_ID
from tests.matters.flows import walk
from xinfang.matters.models import Channel, Matter, State

URL = reverse("desk:register")


def form_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "channel": Channel.LETTER,
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "type": "request",
        "title": "工资被拖欠",
        "content": "某公司拖欠工人工资三个月，请求督促支付。",
        "head_count": "",
        "p-TOTAL_FORMS": "5",
        "p-INITIAL_FORMS": "0",
        "p-MIN_NUM_FORMS": "0",
        "p-MAX_NUM_FORMS": "5",
        "p-0-name": "张三",
        "p-0-phone": "13800138000",
        "p-0-id_number": VALID_ID,
        "p-0-address": "永安镇",
    }
    data.update(overrides)
    return data


def test_the_form_offers_every_channel_and_five_representatives(client: Any, world: Any) -> None:
    client.force_login(world.registrar)
    body = client.get(URL).content.decode()
    for label in ("来信", "来访", "网上信访", "电话", "传真", "上级转来"):
        assert f">{label}<" in body
    assert 'name="p-4-name"' in body and 'name="p-5-name"' not in body
    assert 'type="hidden" name="office"' in body  # one registering unit: no choice to make


def test_a_letter_with_a_scanned_attachment_is_registered(client: Any, world: Any) -> None:
    client.force_login(world.registrar)
    scan = SimpleUploadedFile("来信.pdf", b"%PDF-1.4 letter", content_type="application/pdf")
    photo = SimpleUploadedFile("照片.jpg", b"\xff\xd8\xff photo", content_type="image/jpeg")
    response = client.post(
        URL, {**form_data(), "office": world.bureau.pk, "attachments": [scan, photo]}
    )
    assert response.status_code == 302
    m = Matter.objects.get()
    assert response["Location"] == reverse("desk:matter", kwargs={"pk": m.pk})
    assert m.channel == Channel.LETTER and m.state == State.REGISTERED
    assert sorted(a.original_name for a in m.attachments.all()) == ["来信.pdf", "照片.jpg"]


def test_a_collective_visit_with_five_representatives(client: Any, world: Any) -> None:
    client.force_login(world.registrar)
    people = {}
    for i in range(1, 5):
        people[f"p-{i}-name"] = f"代表{i}"
        people[f"p-{i}-phone"] = f"1390013900{i}"
    data = form_data(channel=Channel.VISIT, is_collective="on", head_count="30", **people)
    response = client.post(URL, {**data, "office": world.bureau.pk})
    assert response.status_code == 302
    m = Matter.objects.get()
    assert m.is_collective and m.head_count == 30 and m.petitioners.count() == 5
    assert all(p.is_representative for p in m.petitioners.all())


def test_a_sixth_representative_is_refused(client: Any, world: Any) -> None:
    client.force_login(world.registrar)
    data = form_data(**{"p-TOTAL_FORMS": "6", "p-5-name": "第六人"})
    response = client.post(URL, {**data, "office": world.bureau.pk})
    assert response.status_code == 400
    assert not Matter.objects.exists()


def test_a_transfer_from_above_needs_its_reference(client: Any, world: Any) -> None:
    client.force_login(world.registrar)
    data = form_data(channel=Channel.TRANSFERRED)
    response = client.post(URL, {**data, "office": world.bureau.pk})
    assert response.status_code == 400
    assert "上级转来的事项请填写转来机关的文号或编号。" in response.content.decode()
    assert not Matter.objects.exists()
    data["source_reference"] = "江信转〔2026〕8号"
    assert client.post(URL, {**data, "office": world.bureau.pk}).status_code == 302
    assert Matter.objects.get().source_reference == "江信转〔2026〕8号"


def test_missing_content_is_400_and_keeps_what_was_typed(client: Any, world: Any) -> None:
    client.force_login(world.registrar)
    response = client.post(URL, {**form_data(content=""), "office": world.bureau.pk})
    assert response.status_code == 400
    body = response.content.decode()
    assert "请修改标出的内容。" in body and 'value="张三"' in body
    assert not Matter.objects.exists()


def test_a_phone_call_needs_no_title(client: Any, world: Any) -> None:
    client.force_login(world.registrar)
    data = form_data(channel=Channel.PHONE, title="")
    assert client.post(URL, {**data, "office": world.bureau.pk}).status_code == 302
    assert Matter.objects.get().title == "某公司拖欠工人工资三个月，请求督促支付。"


def test_the_repeat_rule_warns_before_saving_and_offers_to_link(client: Any, world: Any) -> None:
    original = walk(world, "accepted")  # 张三, same ID number, same wages matter, in handling
    client.force_login(world.registrar)
    data = {**form_data(), "office": world.bureau.pk}
    response = client.post(URL, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "该信访人可能已有正在办理的事项" in body
    assert original.number in body and "同一身份证号" in body
    assert Matter.objects.count() == 1  # nothing saved yet

    response = client.post(URL, {**data, "repeat_decision": f"link:{original.pk}"})
    assert response.status_code == 302
    new = Matter.objects.exclude(pk=original.pk).get()
    assert new.state == State.LINKED and new.repeat_of_id == original.pk


def test_register_anyway_after_the_warning(client: Any, world: Any) -> None:
    walk(world, "accepted")
    client.force_login(world.registrar)
    response = client.post(
        URL, {**form_data(), "office": world.bureau.pk, "repeat_decision": "new"}
    )
    assert response.status_code == 302
    assert Matter.objects.filter(state=State.REGISTERED).count() == 1


def test_the_suggestion_fills_type_and_category_but_saves_nothing(client: Any, world: Any) -> None:
    client.force_login(world.registrar)
    data = form_data(type="")
    response = client.post(URL, {**data, "office": world.bureau.pk, "suggest": "1"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "仅供参考，由您决定。" in body
    assert 'value="张三"' in body and "某公司拖欠工人工资三个月" in body
    assert not Matter.objects.exists()
