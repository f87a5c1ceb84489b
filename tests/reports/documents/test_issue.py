"""Issuing each kind of document: its text, number, layout and fonts, the timeline event, the
stored bytes, and the refusals (stale screen, wrong state, role, scope, accuser's identity)."""

from __future__ import annotations

import hashlib
import re
from typing import Any

import pytest
from docx.oxml.ns import qn
from docx.shared import Pt

from tests.matters.flows import on, refused, walk
from tests.reports.documents.helpers import ISSUE_DAY, all_text, opened, prepared
from xinfang.audit.chain import verify_all
from xinfang.deadlines.services import matter_clocks
from xinfang.matters.errors import Conflict, Forbidden, InvalidState, NotFound
from xinfang.matters.models import Event, EventKind, Matter, MatterType
from xinfang.reports.documents.docx import chinese_date
from xinfang.reports.documents.services import document_issue
from xinfang.reports.models import Document, DocumentKind, DocumentSequence

MATTER_KINDS = [k for k in DocumentKind.values if k != DocumentKind.BULLETIN]
PREFIX = {
    DocumentKind.ACCEPTANCE: "清人社受",
    DocumentKind.FORWARDING: "清信转",
    DocumentKind.NON_ACCEPTANCE: "清人社不受",
    DocumentKind.GUIDANCE: "清人社引",
    DocumentKind.EXTENSION: "清人社延",
    DocumentKind.REPLY: "清人社处",
    DocumentKind.REVIEW: "清政复查",
    DocumentKind.RE_REVIEW: "江政复核",
}
# What each kind must say, besides the petitioner and the matter's number.
SAYS = {
    DocumentKind.ACCEPTANCE: [
        "2026年3月4日依法受理",
        "县人社局负责办理",
        "第二十三条",
        "第三十四条",
    ],
    DocumentKind.FORWARDING: ["2026年3月3日将该事项转送县人社局办理", "第二十二条"],
    DocumentKind.NON_ACCEPTANCE: ["不予受理", "该事项不属于信访事项。"],
    DocumentKind.GUIDANCE: ["仲裁", "县劳动人事争议仲裁委员会", "第三十一条"],
    DocumentKind.EXTENSION: ["延长20日", "需会同住建部门现场核实", "第三十四条"],
    DocumentKind.REPLY: [
        "某公司拖欠工人工资三个月",
        "经调查，已督促支付。",
        "支持。",
        "《劳动合同法》第三十条",
        "清河县人民政府复查",
        "第三十五条",
    ],
    DocumentKind.REVIEW: [
        "复查结论：维持。",
        "维持原处理意见",
        "江州市人民政府请求复核",
        "第三十六条",
    ],
    DocumentKind.RE_REVIEW: ["复核结论：维持。", "不服清河县人民政府", "不再受理"],
}


def issue(w: Any, kind: str) -> tuple[Matter, Document]:
    matter, actor = prepared(w, kind)
    with on(ISSUE_DAY[kind]):
        document = document_issue(
            actor=actor, matter=matter, kind=kind, expected_version=matter.version
        )
    return Matter.objects.get(pk=matter.pk), document


def east_asia(run: Any) -> str | None:
    fonts = run._r.rPr.find(qn("w:rFonts"))
    return fonts.get(qn("w:eastAsia")) if fonts is not None else None


@pytest.mark.parametrize("kind", MATTER_KINDS)
def test_each_kind_is_a_gb9704_letter_with_the_matters_facts(world: Any, kind: str) -> None:
    matter, document = issue(world, kind)
    d = opened(document)
    text = all_text(d)
    day = ISSUE_DAY[kind]
    assert document.number == f"{PREFIX[kind]}〔2026〕1号"
    assert document.number in text
    assert "张三：" in text  # the addressee, with a full-width colon
    assert matter.number in text
    assert chinese_date(day) in text and re.search(r"2026年0", text) is None
    assert f"{day.year}年{day.month}月{day.day}日" == d.paragraphs[-1].text or any(
        p.text == f"{day.year}年{day.month}月{day.day}日" for p in d.paragraphs
    )
    for phrase in SAYS[kind]:
        assert phrase in text, (phrase, text)
    assert "{" not in text  # every placeholder filled
    assert document.text.splitlines()[1] == document.number
    assert "张三" in document.text

    section = d.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = [section.top_margin, section.left_margin, section.right_margin, section.bottom_margin]
    assert [round(m.mm, 1) for m in margins] == [37.0, 28.0, 26.0, 35.0]
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:linePitch")) == "579"  # 225 mm / 22 lines

    by_text = {p.text: p for p in d.paragraphs if p.text}
    mark = d.paragraphs[0]
    assert mark.text == "县人社局" or mark.text == document.unit.name
    assert str(mark.runs[0].font.color.rgb) == "FF0000"
    title = by_text[document.title]
    assert title.runs[0].font.size == Pt(22)
    assert east_asia(title.runs[0]) == "方正小标宋简体"
    assert title.alignment == 1  # centred
    addressee = next(i for i, p in enumerate(d.paragraphs) if p.text == "张三：")
    body = d.paragraphs[addressee + 1]
    assert body.runs[0].font.size == Pt(16)
    assert east_asia(body.runs[0]) == "仿宋_GB2312"
    assert body.paragraph_format.first_line_indent == Pt(32)
    assert body.paragraph_format.line_spacing == Pt(28.95)
    number = by_text[document.number]
    assert number.alignment == 1 and east_asia(number.runs[0]) == "仿宋_GB2312"
    # The red separator line right under the number, as wide as the type area.
    index = next(i for i, p in enumerate(d.paragraphs) if p.text == document.number)
    rule = d.paragraphs[index + 1]._p.pPr.find(qn("w:pBdr")).find(qn("w:top"))
    assert rule.get(qn("w:color")) == "FF0000"
    # 28 characters a line: 3号 condensed by 0.25 pt (15.75 pt x 28 = 441 pt of 442.2 pt).
    spacing = body.runs[0]._r.rPr.find(qn("w:spacing"))
    assert spacing.get(qn("w:val")) == "-5"
    footer = section.footer.paragraphs[0]
    assert footer.text == "— 1 —" and east_asia(footer.runs[0]) == "宋体"
    assert footer.runs[0].font.size == Pt(14)


def test_the_document_goes_on_the_hash_chained_timeline(world: Any) -> None:
    matter, document = issue(world, DocumentKind.ACCEPTANCE)
    event = Event.objects.filter(matter=matter).order_by("seq").last()
    assert event is not None and event.kind == EventKind.DOCUMENT_ISSUED
    assert event.text == f"出具《信访事项受理告知书》{document.number}"
    assert event.data["sha256"] == document.sha256
    assert document.event_id == event.pk
    assert matter.last_event_hash == event.hash
    assert verify_all() == []


def test_the_extension_notice_states_days_reason_and_dates_never_the_approvers_note(
    world: Any,
) -> None:
    matter, document = issue(world, DocumentKind.EXTENSION)
    text = all_text(opened(document))
    handling = [c for c in matter_clocks(matter) if c.rule.key == "handling"][-1]
    assert f"延至{chinese_date(handling.due_on)}" in text
    assert "内部" not in text and "勿外传" not in text


def test_stored_bytes_match_the_checksum(world: Any) -> None:
    _, document = issue(world, DocumentKind.REPLY)
    with document.file.open("rb") as handle:
        content = handle.read()
    assert hashlib.sha256(content).hexdigest() == document.sha256
    assert len(content) == document.size
    assert document.file.name == f"documents/{document.sha256[:2]}/{document.sha256}.docx"


def test_numbers_are_gap_free_per_unit_prefix_and_year(world: Any) -> None:
    matter, actor = prepared(world, DocumentKind.ACCEPTANCE)
    numbers = []
    for day in ("2026-03-06", "2026-03-09"):
        with on(__import__("datetime").date.fromisoformat(day)):
            matter = Matter.objects.get(pk=matter.pk)
            numbers.append(
                document_issue(
                    actor=actor, matter=matter, kind="acceptance", expected_version=matter.version
                ).number
            )
    # A refused issue gives no number away.
    stale = Matter.objects.get(pk=matter.pk)
    with on(__import__("datetime").date(2026, 3, 10)), pytest.raises(Conflict):
        document_issue(
            actor=actor, matter=stale, kind="acceptance", expected_version=stale.version - 1
        )
    other = walk(world, "accepted")
    with on(__import__("datetime").date(2026, 3, 10)):
        numbers.append(
            document_issue(
                actor=actor, matter=other, kind="acceptance", expected_version=other.version
            ).number
        )
    assert numbers == ["清人社受〔2026〕1号", "清人社受〔2026〕2号", "清人社受〔2026〕3号"]
    # A new year starts again at 1.
    with on(__import__("datetime").date(2027, 1, 4)):
        other = Matter.objects.get(pk=other.pk)
        again = document_issue(
            actor=actor, matter=other, kind="acceptance", expected_version=other.version
        )
    assert again.number == "清人社受〔2027〕1号"
    assert Document.objects.filter(matter=matter).count() == 2  # the first one stays
    assert DocumentSequence.objects.get(prefix="清人社受", year=2026).last == 3


def _nothing_stored(before: int) -> None:
    assert Document.objects.count() == before


def test_a_stale_screen_is_refused_and_nothing_is_stored(world: Any) -> None:
    matter, actor = prepared(world, DocumentKind.ACCEPTANCE)
    with on(ISSUE_DAY["acceptance"]), refused(matter, Conflict, "他人更新"):
        document_issue(
            actor=actor, matter=matter, kind="acceptance", expected_version=matter.version - 1
        )
    _nothing_stored(0)
    assert not DocumentSequence.objects.exists() or DocumentSequence.objects.get().last == 0


def test_a_document_before_its_step_is_refused(world: Any) -> None:
    matter, actor = prepared(world, DocumentKind.ACCEPTANCE)
    for kind in ("reply", "extension", "review", "non_acceptance"):
        with on(ISSUE_DAY["acceptance"]), refused(matter, InvalidState, "不能出具"):
            document_issue(actor=actor, matter=matter, kind=kind, expected_version=matter.version)
    _nothing_stored(0)


def test_another_unit_gets_404_and_read_only_roles_403(world: Any) -> None:
    matter, _ = prepared(world, DocumentKind.ACCEPTANCE)
    with on(ISSUE_DAY["acceptance"]):
        with refused(matter, NotFound):
            document_issue(
                actor=world.outsider, matter=matter, kind="acceptance", expected_version=None
            )
        for reader in (world.auditor, world.supervisor):
            with refused(matter, Forbidden, "权限"):
                document_issue(
                    actor=reader, matter=matter, kind="acceptance", expected_version=None
                )
        # The registering office is not the accepting unit: it may not issue this one.
        with refused(matter, Forbidden, "县人社局"):
            document_issue(
                actor=world.registrar, matter=matter, kind="acceptance", expected_version=None
            )
    _nothing_stored(0)


def test_an_accusers_notice_is_not_issued_by_whoever_may_not_know_the_accuser(
    world: Any,
) -> None:
    matter = walk(world, "forwarded", type=MatterType.ACCUSATION, accused_units=[world.other])
    # The department it was forwarded to may not know who the accuser is.
    with on(ISSUE_DAY["acceptance"]):
        from xinfang.matters import services

        matter = services.matter_accept(matter=matter, actor=world.unit_lead)
        with refused(matter, Forbidden, "保密"):
            document_issue(
                actor=world.unit_lead, matter=matter, kind="acceptance", expected_version=None
            )
    _nothing_stored(0)
    # The registering office knows the accuser: it may tell them it forwarded the accusation.
    forwarded = walk(world, "forwarded", type=MatterType.ACCUSATION, accused_units=[world.other])
    with on(ISSUE_DAY["forwarding"]):
        document = document_issue(
            actor=world.registrar, matter=forwarded, kind="forwarding", expected_version=None
        )
    assert document.number.startswith("清信转")


def test_the_replys_headings_are_heiti_and_its_sentences_fangsong(world: Any) -> None:
    _, document = issue(world, DocumentKind.REPLY)
    d = opened(document)
    heading = next(p for p in d.paragraphs if p.text == "一、信访请求")
    assert east_asia(heading.runs[0]) == "黑体"
    sentence = next(p for p in d.paragraphs if p.text == "经调查，已督促支付。")
    assert east_asia(sentence.runs[0]) == "仿宋_GB2312"


@pytest.mark.parametrize("kind", [DocumentKind.REPLY, DocumentKind.EXTENSION])
def test_only_the_matters_own_handler_issues_its_reply_or_extension(world: Any, kind: str) -> None:
    """As for replying and asking for an extension: another handler of the unit may not."""
    from xinfang.reports.documents.services import issuable_kinds

    matter, handler = prepared(world, kind)
    assert matter.handler_id == handler.pk
    events = list(Event.objects.filter(matter=matter).order_by("seq"))
    assert kind in [s.kind for s in issuable_kinds(handler, matter, events)]
    assert kind not in [s.kind for s in issuable_kinds(world.handler2, matter, events)]
    with on(ISSUE_DAY[kind]), refused(matter, Forbidden, "权限"):
        document_issue(actor=world.handler2, matter=matter, kind=kind, expected_version=None)
    _nothing_stored(0)
    with on(ISSUE_DAY[kind]):
        document_issue(actor=handler, matter=matter, kind=kind, expected_version=None)


def test_the_reply_names_the_review_body_the_lifecycle_would_take(world: Any) -> None:
    """Never a body that is no longer active (nor one the matter accuses): then the letter says
    "上一级机关" instead of naming a body that would refuse the request."""
    from xinfang.org.models import Unit

    Unit.objects.filter(pk=world.gov.pk).update(is_active=False)
    _, document = issue(world, DocumentKind.REPLY)
    text = all_text(opened(document))
    assert "请求上一级机关复查" in text
    assert "清河县人民政府" not in text
