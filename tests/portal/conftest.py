"""Helpers for the portal tests: real files (PNG, JPEG, PDF) made on the spot, a submission
through the public form, and a portal matter moved along by staff through the services."""

from __future__ import annotations

import io
from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image
from pypdf import PdfWriter

from tests.conftest import VALID_ID
from tests.matters.flows import on
from xinfang.matters import services
from xinfang.matters.models import Decision, Matter, ReviewOutcome

SUBMITTED_ON = date(2026, 3, 2)  # a Monday
FORWARDED_ON = date(2026, 3, 3)
ACCEPTED_ON = date(2026, 3, 4)
OWNERS_ON = date(2026, 3, 5)
REPLIED_ON = date(2026, 3, 16)
REVIEWED_ON = date(2026, 3, 25)

STAFF_NOTE = "内部备注：此人情绪激动，注意口径"


def png_bytes(size: tuple[int, int] = (40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (20, 120, 200)).save(buffer, "JPEG")
    return buffer.getvalue()


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


# A Windows executable's first bytes: what an .exe renamed to .jpg looks like inside.
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
HTML_BYTES = b"<!doctype html><html><body><script>alert(1)</script></body></html>"


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> Any:
    return SimpleUploadedFile(name, data, content_type=content_type)


def form_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "type": "request",
        "title": "工资被拖欠",
        "content": "某公司拖欠工人工资三个月，请求督促支付。",
        "name": "张三",
        "phone": "13800138000",
        "email": "",
        "address": "永安镇",
        "id_number": VALID_ID,
        "consent": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def submit(client: Client, **overrides: Any) -> Any:
    return client.post("/portal/submit/", form_data(**overrides))


def last_matter() -> Matter:
    return Matter.objects.order_by("-pk").first()  # type: ignore[return-value]


def lookup(client: Client, number: str, code: str, **extra: Any) -> Any:
    return client.post("/portal/lookup/", {"number": number, "code": code, **extra})


def advance(w: SimpleNamespace, m: Matter, until: str, *, note: str = "") -> Matter:
    """Staff move a portal matter along through the services, on the default timeline."""
    steps = ["forwarded", "accepted", "in_handling", "replied", "review_requested", "reviewed"]
    last = steps.index(until)
    if last >= 0:
        with on(FORWARDED_ON):
            m = services.matter_forward(matter=m, actor=w.registrar, to_unit=w.dept, note=note)
    if last >= 1:
        with on(ACCEPTED_ON):
            m = services.matter_accept(matter=m, actor=w.unit_lead, note=note)
    if last >= 2:
        with on(OWNERS_ON):
            m = services.matter_assign_owners(
                matter=m, actor=w.unit_lead, leader=w.leader, handler=w.handler
            )
    if last >= 3:
        with on(REPLIED_ON):
            m = services.matter_reply(
                matter=m,
                actor=w.handler,
                text="经调查，已督促该公司于三月底前支付全部工资。",
                decision=Decision.SUPPORT,
                basis="《劳动合同法》第三十条",
            )
    if last >= 4:
        with on(date(2026, 3, 20)):
            m = services.matter_request_review(matter=m, actor=None, reasons="仍未支付")
    if last >= 5:
        with on(REVIEWED_ON):
            m = services.matter_decide_review(
                matter=m, actor=w.gov_lead, outcome=ReviewOutcome.UPHELD, text="维持原处理意见"
            )
    return m


@pytest.fixture
def portal_matter(world: Any, client: Client) -> Matter:
    """A matter submitted on the portal on SUBMITTED_ON, with the client holding it."""
    with on(SUBMITTED_ON):
        response = submit(client)
    assert response.status_code == 302, response.content.decode()[:2000]
    return last_matter()
