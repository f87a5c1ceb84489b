"""Submitting a matter online: what is created, what is refused, and that nothing is created
when it is refused."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
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
    # The sentences, with the day counts of the default clock rules (15, 15, 60 + 30, 30/30).
    assert "信访机构在15日内把事项转送或交办给负责单位" in page
    assert "负责单位收到后15日内书面告知您是否受理。" in page
    assert "受理后60日内给您书面答复。情况复杂的可以延长一次，最多30日，并告知您延期理由。" in page
    assert "对答复不服的，可以在30日内向上一级机关申请复查；复查机关在30日内作出复查意见。" in page
    assert (
        "对复查意见不服的，可以在30日内申请复核；复核机关在30日内作出复核意见，为最终意见。" in page
    )
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
    assert "受理后45日内给您书面答复。" in page
    assert "受理后60日内" not in page


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


def test_too_many_files_are_refused_before_any_is_opened(world: Any, client: Client) -> None:
    # Six files that are no images at all: had any been opened, the message would say so.
    files = [upload(f"{i}.jpg", EXE_BYTES, "image/jpeg") for i in range(6)]
    response = client.post("/portal/submit/", form_data(attachments=files))
    assert response.status_code == 400
    page = response.content.decode()
    assert "附件最多5个，本次选择了6个。" in page
    assert "不是有效的图片" not in page
    assert Matter.objects.count() == 0


def test_a_too_large_file_is_refused_by_its_size_before_it_is_opened(
    world: Any, client: Client, settings: Any
) -> None:
    settings.XINFANG_PORTAL_MAX_FILE_BYTES = 1024
    files = [
        upload("a.jpg", EXE_BYTES, "image/jpeg"),  # small, not an image: would be refused...
        upload("b.jpg", EXE_BYTES * 10, "image/jpeg"),  # ...but this one is over the size first
    ]
    response = client.post("/portal/submit/", form_data(attachments=files))
    assert response.status_code == 400
    page = response.content.decode()
    assert "附件“b.jpg”太大：每个文件不超过0.00MB。" in page
    assert "不是有效的图片" not in page
    assert Matter.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"consent": None}, "这个字段是必填项。"),
        ({"phone": "", "email": ""}, "请至少留下一种联系方式"),
        ({"id_number": "110101197003070011"}, "身份证"),
        ({"content": "   "}, "这个字段是必填项。"),
        ({"type": "gossip"}, "选择一个有效的选项。 gossip 不在可用的选项中。"),
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


def test_the_receipt_mail_of_an_accusation_masks_the_name(
    world: Any, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client, type="accusation", name="李四海", email="li@example.org")
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    html = message.alternatives[0][0]
    assert "提交人: 李** · 138****8000" in message.body  # the HTML part names nobody
    for text in (message.subject, message.body, html):
        assert "李四海" not in text and "13800138000" not in text


class FailingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages: Any) -> int:
        raise ConnectionRefusedError("the mail server refused the connection")


@pytest.mark.django_db(transaction=True)
def test_a_failing_mail_server_neither_loses_the_receipt_nor_the_matter(
    world: Any, client: Client, settings: Any, caplog: Any
) -> None:
    """Committed for real (on_commit runs inside the request, as in production)."""
    settings.EMAIL_BACKEND = "tests.portal.test_submit.FailingBackend"
    with caplog.at_level(logging.ERROR, logger="xinfang.portal.services"):
        response = submit(client, email="zhang@example.org")
    assert response.status_code == 302
    assert response["Location"] == "/portal/receipt/"
    m = last_matter()
    assert m is not None and m.state == "registered"
    page = client.get("/portal/receipt/").content.decode()
    assert m.number in page
    assert "-".join(m.query_code[i : i + 4] for i in (0, 4, 8)) in page
    failures = [r for r in caplog.records if "could not be sent" in r.getMessage()]
    assert len(failures) == 1
    assert failures[0].exc_info is not None
    assert isinstance(failures[0].exc_info[1], ConnectionRefusedError)


def test_any_failure_of_the_receipt_mail_is_logged_not_raised(world: Any, caplog: Any) -> None:
    from xinfang.portal.services import send_receipt

    with caplog.at_level(logging.ERROR, logger="xinfang.portal.services"):
        assert send_receipt(987654, "zh-hans") is False  # a matter it cannot read
    assert any("could not be sent" in r.getMessage() for r in caplog.records)
    assert mail.outbox == []


def test_the_smtp_connection_waits_ten_seconds_at_most_by_default() -> None:
    from django.core.mail import get_connection

    connection = get_connection("django.core.mail.backends.smtp.EmailBackend")
    assert connection.timeout == 10  # XINFANG_EMAIL_TIMEOUT


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
    assert (
        "附件“bomb.png”的像素太多（超过4000万像素），请缩小后再上传。" in response.content.decode()
    )
    assert Matter.objects.count() == 0


def test_an_image_over_the_pixel_limit_is_refused_before_its_pixels_are_decoded(
    world: Any, client: Client
) -> None:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("1", (8000, 5001)).save(buffer, "PNG")  # 40,008,000 pixels: just over the limit
    response = client.post(
        "/portal/submit/",
        form_data(attachments=[upload("大图.png", buffer.getvalue(), "image/png")]),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "has too many pixels (more than 40 million)" in response.content.decode()
    assert Matter.objects.count() == 0


def test_a_phone_photo_with_an_mpf_header_is_accepted_as_a_jpeg(world: Any, client: Client) -> None:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    first = Image.new("RGB", (64, 48), (20, 120, 200))
    second = Image.new("RGB", (32, 24), (200, 20, 20))  # e.g. a depth map or preview
    first.save(buffer, format="MPO", save_all=True, append_images=[second])
    data = buffer.getvalue()
    with Image.open(io.BytesIO(data)) as opened:
        assert opened.format == "MPO"  # what Pillow says of such a photo
    response = client.post(
        "/portal/submit/", form_data(attachments=[upload("IMG_0001.jpg", data, "image/jpeg")])
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    attachment = Attachment.objects.get(matter=last_matter())
    assert attachment.content_type == "image/jpeg"
    assert attachment.original_name == "IMG_0001.jpg"


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
