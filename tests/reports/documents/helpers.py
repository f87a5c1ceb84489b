"""Matters brought to the state where each kind of document is issued, and who issues it."""

from __future__ import annotations

import io
from datetime import date
from types import SimpleNamespace
from typing import Any

import docx

from tests.matters.flows import on, walk
from xinfang.matters import services
from xinfang.matters.models import LegalChannel, Matter
from xinfang.reports.documents.services import document_bytes
from xinfang.reports.models import Document, DocumentKind

# The day each document is issued in these tests (working days of 2026).
ISSUE_DAY = {
    DocumentKind.ACCEPTANCE: date(2026, 3, 6),
    DocumentKind.FORWARDING: date(2026, 3, 3),
    DocumentKind.NON_ACCEPTANCE: date(2026, 3, 6),
    DocumentKind.GUIDANCE: date(2026, 3, 6),
    DocumentKind.EXTENSION: date(2026, 3, 11),
    DocumentKind.REPLY: date(2026, 3, 17),
    DocumentKind.REVIEW: date(2026, 3, 26),
    DocumentKind.RE_REVIEW: date(2026, 4, 7),
}


def prepared(w: SimpleNamespace, kind: str, **register: Any) -> tuple[Matter, Any]:
    """A matter where `kind` may be issued now, and a user who may issue it."""
    if kind == DocumentKind.ACCEPTANCE:
        return walk(w, "accepted", **register), w.unit_lead
    if kind == DocumentKind.FORWARDING:
        return walk(w, "forwarded", **register), w.registrar
    if kind == DocumentKind.NON_ACCEPTANCE:
        m = walk(w, "forwarded", **register)
        with on(date(2026, 3, 5)):
            m = services.matter_decline(
                matter=m, actor=w.unit_lead, reason="该事项不属于信访事项。"
            )
        return m, w.unit_lead
    if kind == DocumentKind.GUIDANCE:
        m = walk(w, "forwarded", **register)
        with on(date(2026, 3, 5)):
            m = services.matter_guide(
                matter=m,
                actor=w.unit_lead,
                legal_channel=LegalChannel.ARBITRATION,
                reason="劳动报酬争议可向县劳动人事争议仲裁委员会申请仲裁。",
            )
        return m, w.unit_lead
    if kind == DocumentKind.EXTENSION:
        m = walk(w, "in_handling", **register)
        with on(date(2026, 3, 9)):
            m = services.matter_request_extension(
                matter=m, actor=w.handler, days=20, reason="需会同住建部门现场核实"
            )
        with on(date(2026, 3, 10)):
            m = services.matter_decide_extension(
                matter=m, actor=w.unit_lead, approve=True, note="内部：请抓紧办理，勿外传"
            )
        return m, w.handler
    if kind == DocumentKind.REPLY:
        return walk(w, "replied", **register), w.handler
    if kind == DocumentKind.REVIEW:
        return walk(w, "reviewed", **register), w.gov_lead
    if kind == DocumentKind.RE_REVIEW:
        return walk(w, "re_reviewed", **register), w.city_lead
    raise ValueError(kind)


def opened(document: Document) -> Any:
    return docx.Document(io.BytesIO(document_bytes(document)))


def all_text(d: Any) -> str:
    return "\n".join(p.text for p in d.paragraphs)
