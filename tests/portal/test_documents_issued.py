"""A document (文书) issued on the staff side appears on the petitioner's timeline in plain
words: which document and which body, never its number, the petitioner's name or the file."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from tests.matters.flows import on, walk
from xinfang.matters.models import MatterType
from xinfang.reports.documents.services import document_issue


def _page(matter: Any, language: str) -> str:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    lookup = client.post("/portal/lookup/", {"number": matter.number, "code": matter.query_code})
    assert lookup.status_code == 302
    response = client.get("/portal/matter/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("language", "says"),
    [
        ("zh-hans", "县人社局向您出具了《信访事项受理告知书》。"),
        (
            "en",
            "县人社局 issued you a written document: Notice of acceptance (信访事项受理告知书).",
        ),
    ],
)
def test_an_issued_notice_is_on_the_public_timeline_without_its_number(
    world: Any, language: str, says: str
) -> None:
    matter = walk(world, "accepted")
    with on(date(2026, 3, 6)):
        document = document_issue(
            actor=world.unit_lead, matter=matter, kind="acceptance", expected_version=None
        )
        page = _page(matter, language)
    timeline = page.split('id="timeline-h"')[1]
    assert says in timeline
    assert document.number not in page
    assert "张三" not in page and "人社局长" not in page  # no petitioner, no staff name


def test_an_accusers_notice_shows_on_their_timeline_naming_no_one(world: Any) -> None:
    matter = walk(world, "forwarded", type=MatterType.ACCUSATION, accused_units=[world.other])
    with on(date(2026, 3, 3)):
        document = document_issue(
            actor=world.registrar, matter=matter, kind="forwarding", expected_version=None
        )
        page = _page(matter, "zh-hans")
    assert "清河县信访局向您出具了《信访事项转送、交办告知书》。" in page
    assert document.number not in page and "张三" not in page and "登记员" not in page
