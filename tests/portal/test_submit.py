"""Submitting a matter online: what is created, what is refused, and that nothing is created
when it is refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from tests.matters.flows import on
from tests.portal.conftest import (
    EXE_BYTES,
    HTML_BYTES,
    SUBMITTED_ON,
    form_data,
    jpeg_bytes,
    last_matter,
    pdf_bytes,
    png_bytes,
    submit,
    upload,
)
from xinfang.audit.chain import verify_all
from xinfang.deadlines.services import find_drift
from xinfang.matters.models import (
    Attachment,
    Event,
    Matter,
    NumberSequence,
    Petitioner,
)
from xinfang.matters.services._core import keyring
from xinfang.org.models import Unit
from xinfang.portal.services import portal_office


def test_the_form_says_what_happens_next_with_the_configured_day_counts(
    world: Any, client: Client
) -> None:
    response = client.get("/portal/submit/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "15 日内" in page or "15日内" in page or "15 天" in page or "15天" in page
    assert "60" in page and "30" in page
    # Each type with its plain-language explanation.
    for label in ("建议意见", "检举控告", "申诉求决"):
        assert label in page
    assert 'name="csrfmiddlewaretoken"' in page


def test_a_changed_clock_rule_changes_what_the_form_promises(
    world: Any, client: Client, settings: Any
) -> None:
    from xinfang.deadlines.models import ClockRuleSetting
    from xinfang.deadlines.services import invalidate_caches

    ClockRuleSetting.objects.create(key="handling", days=45, day_kind="calendar", office=None)
    invalidate_caches()
    page = client.get("/portal/submit/").content.decode()
    assert "45" in page


def test_submission_registers_an_online_matter_at_the_petition_office(
    world: Any, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    files = [
        upload("现场照片.jpg", jpeg_bytes(), "image/jpeg"),
        upload("欠条.png", png_bytes(), "image/png"),
        upload("合同.pdf", pdf_bytes(), "application/pdf"),
    ]
    with on(SUBMITTED_ON), django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/portal/submit/", form_data(email="zhang@example.org", attachments=files)
        )
    assert response.status_code == 302
    assert response["Location"] == "/portal/receipt/"
    m = last_matter()
    assert (m.channel, m.state, m.office, m.lead_unit) == (
        "online",
        "registered",
        world.bureau,
        world.bureau,
    )
    assert m.number == "清信〔2026〕1号"
    assert len(m.query_code) == 12
    assert m.created_by is None
    # The registered event: actor None (the petitioner), chained, starts the routing clock.
    event = Event.objects.get(matter=m)
    assert (event.kind, event.actor_id, event.actor_unit, event.is_public) == (
        "registered",
        None,
        world.bureau,
        True,
    )
    assert event.data == {"at_office": True, "channel": "online"}
    assert m.due_date is not None and (m.due_date - SUBMITTED_ON).days == 15
    # Sealed as usual: repeat detection by keyed hash works on portal submissions too.
    p = Petitioner.objects.get(matter=m)
    assert p.id_hash == keyring().match_hash("id", "110101197003070012")
    assert p.phone_hash == keyring().match_hash("phone", "13800138000")
    assert "110101197003070012" not in p.id_sealed and p.id_masked.endswith("0012")
    # Attachments stored by checksum with the type found in their content.
    kinds = sorted(Attachment.objects.filter(matter=m).values_list("content_type", flat=True))
    assert kinds == ["application/pdf", "image/jpeg", "image/png"]
    assert all(a.uploaded_by_id is None for a in Attachment.objects.filter(matter=m))
    # `xinfang check` stays clean.
    assert verify_all() == []
    assert find_drift() == []
    # The receipt by e-mail, with the number and the code.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["zhang@example.org"]
    assert m.number in message.subject
    code = "-".join(m.query_code[i : i + 4] for i in (0, 4, 8))
    assert code in message.body and m.number in message.body
    assert code in message.alternatives[0][0]


def test_the_receipt_page_download_and_no_mail_without_an_address(
    world: Any, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        assert submit(client).status_code == 302
    m = last_matter()
    assert mail.outbox == []
    page = client.get("/portal/receipt/").content.decode()
    assert m.number in page
    assert "-".join(m.query_code[i : i + 4] for i in (0, 4, 8)) in page
    download = client.get("/portal/receipt/download/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["Content-Type"] == "text/plain; charset=utf-8"
    text = download.content.decode()
    assert m.number in text and m.query_code[:4] in text
    # Another browser has no receipt: it is sent to the look-up.
    assert Client().get("/portal/receipt/")["Location"] == "/portal/lookup/"


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("photo.jpg", EXE_BYTES, "image/jpeg"),  # an .exe renamed .jpg
        ("scan.pdf", HTML_BYTES, "application/pdf"),  # HTML named .pdf
        ("broken.png", png_bytes()[:40], "image/png"),  # a PNG cut short
        ("fake.pdf", b"%PDF-1.7\nnot really a pdf", "application/pdf"),
    ],
)
def test_a_disguised_or_broken_file_is_refused_and_nothing_is_created(
    world: Any, client: Client, name: str, data: bytes, content_type: str
) -> None:
    response = client.post(
        "/portal/submit/", form_data(attachments=[upload(name, data, content_type)])
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert f"附件“{name}”不是有效的图片（JPEG、PNG）或PDF文件" in page
    assert "请重新选择" in page or "重新选择" in page
    assert Matter.objects.count() == 0
    assert Attachment.objects.count() == 0
    assert NumberSequence.objects.filter(last__gt=0).count() == 0


def test_a_too_large_file_is_refused_and_nothing_is_created(
    world: Any, client: Client, settings: Any
) -> None:
    settings.XINFANG_PORTAL_MAX_FILE_BYTES = 1024 * 1024
    big = png_bytes((1200, 1200)) + b"\0" * (1024 * 1024)
    response = client.post(
        "/portal/submit/", form_data(attachments=[upload("大图.png", big, "image/png")])
    )
    assert response.status_code == 400
    assert "附件“大图.png”太大：每个文件不超过1MB" in response.content.decode()
    assert Matter.objects.count() == 0


def test_too_many_files_are_refused(world: Any, client: Client, settings: Any) -> None:
    settings.XINFANG_PORTAL_MAX_FILES = 2
    files = [upload(f"{i}.png", png_bytes(), "image/png") for i in range(3)]
    response = client.post("/portal/submit/", form_data(attachments=files))
    assert response.status_code == 400
    assert "附件最多2个，本次选择了3个" in response.content.decode()
    assert Matter.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"consent": None}, "This field is required"),
        ({"phone": "", "email": ""}, "请至少留下一种联系方式"),
        ({"id_number": "110101197003070011"}, "身份证"),
        ({"content": "   "}, ""),
        ({"type": "gossip"}, ""),
    ],
)
def test_bad_input_gets_a_clear_message_and_creates_nothing(
    world: Any, client: Client, overrides: dict[str, Any], message: str
) -> None:
    response = client.post(
        "/portal/submit/", form_data(**overrides), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'role="alert"' in page
    if message and message != "This field is required":
        assert message in page
    assert Matter.objects.count() == 0


def test_the_office_comes_from_the_setting_or_is_refused_clearly(
    world: Any, client: Client, settings: Any
) -> None:
    settings.XINFANG_PORTAL_OFFICE = "清人社"
    assert portal_office() == world.dept
    settings.XINFANG_PORTAL_OFFICE = "没有这个"
    response = submit(client)
    assert response.status_code == 409
    assert "网上信访的受理机关（没有这个）没有找到或已停用" in response.content.decode()
    settings.XINFANG_PORTAL_OFFICE = ""
    Unit.objects.filter(kind=Unit.Kind.PETITION_OFFICE).update(kind=Unit.Kind.OTHER)
    page = client.get("/portal/submit/").content.decode()
    assert "网上信访暂未开通" in page
    assert submit(client).status_code == 409
    assert Matter.objects.count() == 0


def test_an_accusation_is_registered_and_its_receipt_masks_the_name(
    world: Any, client: Client
) -> None:
    assert submit(client, type="accusation", name="李四海").status_code == 302
    page = client.get("/portal/receipt/").content.decode()
    assert "李**" in page
    assert "李四海" not in page
    assert "138****8000" in page or "8000" in page
    assert "13800138000" not in page


def test_posting_without_the_csrf_token_is_refused(world: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/portal/submit/", form_data())
    assert response.status_code == 403
    response = client.post("/portal/lookup/", {"number": "x", "code": "y"})
    assert response.status_code == 403
    assert Matter.objects.count() == 0


def test_a_decompression_bomb_is_refused(world: Any, client: Client) -> None:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("1", (9000, 9000)).save(buffer, "PNG")  # 81 million pixels in a few kB
    response = client.post(
        "/portal/submit/",
        form_data(attachments=[upload("bomb.png", buffer.getvalue(), "image/png")]),
    )
    assert response.status_code == 400
    assert "附件“bomb.png”不是有效的图片" in response.content.decode()
    assert Matter.objects.count() == 0


def test_two_top_level_petition_offices_need_the_setting(world: Any, client: Client) -> None:
    from tests.factories import UnitFactory

    UnitFactory(
        name="另一县信访局",
        short_name="另信",
        kind=Unit.Kind.PETITION_OFFICE,
        region=world.county,
    )
    response = submit(client)
    assert response.status_code == 409
    assert "网上信访暂未开通" in response.content.decode()
    assert Matter.objects.count() == 0


def test_the_registered_event_says_the_petitioner_submitted_it(world: Any, client: Client) -> None:
    assert submit(client).status_code == 302
    event = Event.objects.get(matter=last_matter())
    assert event.text == "信访人网上提交，清河县信访局收到"
