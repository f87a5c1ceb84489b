"""Importing a ledger: every bad row found by a dry run, an import that fails changes nothing,
a clean ledger imports with its history, and what is imported reads back the same on export."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import date, datetime
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.conftest import VALID_ID, person, register
from tests.factories import RegionFactory, UnitFactory
from tests.reports.ledger.helpers import HEADERS, read, snapshot, xlsx
from xinfang.matters.models import Category, Event, EventKind, Matter, MatterType, State
from xinfang.org.models import Level, Role, Unit
from xinfang.reports.ledger import columns, importer
from xinfang.reports.ledger.export import COLUMNS, ledger_rows, write_ledger

NOW = datetime(2026, 3, 20, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))

GOOD = [
    "QH-001",
    "2026-03-02",
    "来信",
    "申诉求决",
    "劳动与社会保障",
    "永安镇",
    "工资被拖欠",
    "某公司拖欠工人工资三个月，请求督促支付。",
    "张三",
    "13800138000",
    VALID_ID,
    "永安镇幸福村1号",
    1,
    "县人社局",
    "转送",
]
CLEAN = [
    GOOD,
    [
        "QH-002",
        "2026/3/3 9:30",
        "来访",
        "建议意见",
        "城乡建设与住房",
        "",
        "修路",
        "建议修建通往幸福村的村道。",
        "李四、王五",
        "13900139000、13700137000",
        "",
        "永安镇",
        3,
        "永安镇政府",
        "交办",
    ],
    [
        "QH-003",
        date(2026, 3, 4),
        "电话",
        "检举控告",
        "",
        "",
        "",
        "举报某单位违规发放补贴。",
        "",
        "",
        "",
        "",
        "",
        "",
        "登记",
    ],
]


def _row(**changes: Any) -> list[Any]:
    """GOOD with changes; the content differs from GOOD's (else it is a duplicate of it)."""
    row = list(GOOD)
    row[HEADERS.index("主要内容")] = f"{GOOD[7]}（{changes.get('编号', '')}）"
    for key, value in changes.items():
        row[HEADERS.index(key)] = value
    return row


@pytest.fixture(autouse=True)
def _now() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def ledger_world(world: SimpleNamespace, settings: Any, tmp_path: Any) -> SimpleNamespace:
    settings.MEDIA_ROOT = tmp_path
    for i, name in enumerate(("劳动与社会保障", "城乡建设与住房")):
        Category.objects.get_or_create(name=name, defaults={"position": i})
    return world


def _run(w: SimpleNamespace, data: bytes, *, dry_run: bool, actor: Any = None, office: Any = None):
    table = importer.read_table(data)
    return importer.run_import(
        data=data,
        mapping=columns.propose_mapping(table.headers),
        actor=actor or w.registrar,
        office=office or w.bureau,
        dry_run=dry_run,
    )


def test_a_dry_run_lists_every_bad_row_with_its_column_and_reason(ledger_world):
    w = ledger_world
    rows = [
        GOOD,  # row 2: fine
        _row(编号="B-3", 问题类别="外星事务"),
        _row(编号="B-4", 责任单位="县宇航局"),
        _row(编号="B-5", 属地="火星村"),
        _row(编号="B-6", 来源="飞鸽传书"),
        _row(编号="B-7", 收到日期="2026-02-30"),
        _row(编号="B-8", 主要内容=""),
        _row(编号="B-9", 身份证号="110101197003070011"),
        _row(编号="B-10", 收到日期="2026-12-01"),
        _row(主要内容="另一件事"),  # row 11: QH-001 again
        _row(编号="B-12", 事由="长" * 201),
        _row(编号="B-13", 状态="已办结"),
        _row(编号="B-14", 身份证号=110101197003070012),  # saved as a number: digits lost
    ]
    before = snapshot()
    outcome = _run(w, xlsx(rows), dry_run=True)
    found = {(p.row, p.column.split("（")[0]): p.reason for p in outcome.errors}
    expected = {
        (3, "E"): "外星事务",
        (4, "N"): "县宇航局",
        (5, "F"): "火星村",
        (6, "C"): "飞鸽传书",
        (7, "B"): "2026-02-30",
        (8, "H"): "内容为空",
        (9, "K"): "校验位",
        (10, "B"): "不能晚于今天",
        (11, "A"): "与第2行重复",
        (12, "G"): "200",
        (13, "O"): "已办结",
        (14, "K"): "文本格式",
    }
    for key, fragment in expected.items():
        assert key in found, (key, outcome.errors)
        assert fragment in found[key]
    assert {p.row for p in outcome.errors} == set(range(3, 15))  # row 2 is clean
    assert outcome.errors[0].column == "E（问题类别）"
    assert snapshot() == before
    assert not outcome.imported


def test_a_region_name_two_places_share_needs_its_code(ledger_world):
    w = ledger_world
    other_town = RegionFactory(
        code="990102002", name="平安镇", level=Level.TOWNSHIP, parent=w.county
    )
    for parent, code in ((w.township, "990102001201"), (other_town, "990102002201")):
        RegionFactory(code=code, name="幸福村", level=Level.VILLAGE, parent=parent)
    outcome = _run(
        w, xlsx([_row(属地="幸福村"), _row(编号="R-3", 属地="990102002201")]), dry_run=True
    )
    assert [(p.row, p.column) for p in outcome.errors] == [(2, "F（属地）")]
    assert "区划代码" in outcome.errors[0].reason


def test_an_import_with_a_bad_row_changes_nothing_and_gives_no_number_away(ledger_world):
    w = ledger_world
    before = snapshot()
    outcome = _run(w, xlsx([*CLEAN, _row(编号="B-5", 属地="火星村")]), dry_run=False)
    assert [p.row for p in outcome.errors] == [5]
    assert not outcome.committed
    assert snapshot() == before
    # The number sequence was not advanced: the next registration is number 1.
    assert register(w).number == "清信〔2026〕1号"


def test_a_clean_ledger_imports_every_row_with_registration_and_routing(ledger_world):
    w = ledger_world
    data = xlsx(CLEAN)
    dry = _run(w, data, dry_run=True)
    assert dry.clean and dry.rows == 3 and Matter.objects.count() == 0
    outcome = _run(w, data, dry_run=False)
    assert outcome.committed
    assert outcome.imported == ["清信〔2026〕1号", "清信〔2026〕2号", "清信〔2026〕3号"]
    first, second, third = Matter.objects.order_by("seq")
    sha = hashlib.sha256(data).hexdigest()[:12]

    assert first.source_reference == "QH-001"
    assert first.state == State.FORWARDED and first.lead_unit == w.dept
    assert first.category.name == "劳动与社会保障" and first.region == w.township
    registered = first.events.get(seq=1)
    assert registered.kind == EventKind.REGISTERED and registered.actor == w.registrar
    assert f"导入自台账{sha}，第2行，原编号QH-001" in registered.text
    assert registered.occurred_at.date() == date(2026, 3, 2)
    forwarded = first.events.get(seq=2)
    assert forwarded.kind == EventKind.FORWARDED and forwarded.occurred_at == first.received_at
    assert first.due_date is not None  # the acceptance clock runs from the forwarding
    assert first.petitioners.get().id_masked == "1101**********0012"

    assert second.state == State.ASSIGNED and second.lead_unit == w.town
    assert second.head_count == 3 and second.is_collective
    assert [p.name for p in second.petitioners.all()] == ["李四", "王五"]
    assert second.received_at.astimezone(NOW.tzinfo).strftime("%H:%M") == "09:30"
    assert second.events.get(seq=2).kind == EventKind.ASSIGNED

    assert third.type == MatterType.ACCUSATION and third.state == State.REGISTERED
    assert third.lead_unit == w.bureau and not third.petitioners.exists()
    assert third.title == "举报某单位违规发放补贴。"  # the service's default title
    # Importing the same ledger again is refused, and so is another file with its numbers.
    again = _run(w, data, dry_run=True)
    assert [p.row for p in again.errors] == [1] and "已经导入过" in again.errors[0].reason
    edited = xlsx([[*row[:7], f"{row[7]}（补）", *row[8:]] for row in CLEAN])
    again = _run(w, edited, dry_run=True)
    assert {p.row for p in again.errors} == {2, 3, 4}
    assert "已登记为清信〔2026〕1号" in again.errors[0].reason


def test_text_that_looks_like_a_formula_stays_text_both_ways(ledger_world):
    w = ledger_world
    formula = '=HYPERLINK("http://example.invalid","点我")'
    outcome = _run(w, xlsx([_row(事由="@SUM(1)", 主要内容=formula)]), dry_run=False)
    assert outcome.committed
    matter = Matter.objects.get()
    assert matter.content == formula and matter.title == "@SUM(1)"
    handle = write_ledger(ledger_rows(w.registrar, Matter.objects.all()), title="台账")
    from openpyxl import load_workbook

    ws = load_workbook(handle).worksheets[0]
    title_cell, content_cell = ws.cell(row=2, column=7), ws.cell(row=2, column=8)
    assert (title_cell.value, title_cell.data_type) == ("@SUM(1)", "s")
    assert (content_cell.value, content_cell.data_type) == (formula, "s")


def test_round_trip_export_reads_back_the_imported_values_and_imports_clean_elsewhere(
    ledger_world, client
):
    w = ledger_world
    assert _run(w, xlsx(CLEAN), dry_run=False).committed
    client.force_login(w.registrar)
    response = client.get("/reports/ledger/export/", {"sort": "received"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    data = b"".join(response.streaming_content)
    rows = read(data)
    headers, body = rows[0], rows[1:]
    assert headers == [
        "编号",
        "收到日期",
        "信访形式",
        "类型",
        "问题类别",
        "地区",
        "标题",
        "内容",
        "信访人",
        "电话",
        "身份证号",
        "地址",
        "集体",
        "人数",
        "责任单位",
        "状态",
        "办理期限",
        "是否超期",
        "处理意见",
        "评价",
        "原编号",
    ]
    assert len(headers) == len(COLUMNS)
    col = {h: i for i, h in enumerate(headers)}
    first, second, _third = body
    assert [r[col["原编号"]] for r in body] == ["QH-001", "QH-002", "QH-003"]
    assert first[col["收到日期"]].date() == date(2026, 3, 2)
    assert second[col["收到日期"]] == datetime(2026, 3, 3, 9, 30)
    assert [r[col["信访形式"]] for r in body] == ["来信", "来访", "电话"]
    assert [r[col["类型"]] for r in body] == ["申诉求决", "建议意见", "检举控告"]
    assert first[col["问题类别"]] == "劳动与社会保障" and first[col["地区"]] == "永安镇"
    assert first[col["标题"]] == "工资被拖欠"
    assert first[col["内容"]] == GOOD[7]
    assert second[col["信访人"]] == "李四、王五"
    assert first[col["电话"]] == "138****8000"  # masked, as on the desk
    assert first[col["身份证号"]] == "1101**********0012"
    assert first[col["地址"]] == "永安镇幸福村1号"
    assert second[col["人数"]] == 3 and second[col["集体"]] == "是"
    assert [r[col["责任单位"]] for r in body] == ["县人社局", "永安镇政府", "清河县信访局"]
    assert [r[col["状态"]] for r in body] == ["已转送", "已交办", "已登记"]
    assert VALID_ID not in data.decode("latin-1") and "13800138000" not in str(rows)

    # Another office imports that export: a clean dry run (the masked values left out).
    office2 = UnitFactory(
        name="清河县第二信访办",
        short_name="清信二",
        kind=Unit.Kind.PETITION_OFFICE,
        region=w.county,
        parent=w.gov,
    )
    registrar2 = person("registrar2", office2, Role.REGISTRAR)
    outcome = _run(w, data, dry_run=True, actor=registrar2, office=office2)
    assert outcome.clean, outcome.errors
    assert outcome.rows == 3 and outcome.masked_rows == 2


def test_rows_that_may_repeat_a_matter_in_handling_are_flagged_not_refused(ledger_world):
    w = ledger_world
    existing = register(
        w,
        title="工资被拖欠",
        content=GOOD[7],
        received_at=datetime(2026, 3, 1, 9, tzinfo=NOW.tzinfo),
    )
    from xinfang.matters.services import matter_accept, matter_forward

    existing = matter_forward(matter=existing, actor=w.registrar, to_unit=w.dept)
    matter_accept(matter=existing, actor=w.unit_lead)
    outcome = _run(w, xlsx([GOOD]), dry_run=True)
    assert outcome.clean
    assert [p.row for p in outcome.warnings] == [2]
    assert existing.number in outcome.warnings[0].reason


def test_importing_needs_the_right_to_register_at_the_office(ledger_world):
    w = ledger_world
    from xinfang.matters.errors import Forbidden

    for user in (w.auditor, w.supervisor, w.handler, w.dept_registrar):
        with pytest.raises(Forbidden):
            _run(w, xlsx(CLEAN), dry_run=True, actor=user)
    assert Event.objects.count() == 0


def test_the_reasons_speak_the_users_language(ledger_world):
    from django.utils import translation

    w = ledger_world
    with translation.override("en"):
        outcome = _run(
            w, xlsx([_row(编号="X-1", 问题类别="外星事务", 状态="已办结")]), dry_run=True
        )
    reasons = [p.reason for p in outcome.errors]
    assert "Category “外星事务” is not in this system's taxonomy." in reasons
    assert any(r.startswith("State “已办结” cannot be imported") for r in reasons)
