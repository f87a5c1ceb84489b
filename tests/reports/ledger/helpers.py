"""Ledgers for the tests: a workbook from headers and rows, and a snapshot of what an import
could have changed."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import TYPE_STRING

from xinfang.matters.models import Event, Matter, NumberSequence, Petitioner

HEADERS = [
    "编号",
    "收到日期",
    "来源",
    "类型",
    "问题类别",
    "属地",
    "事由",
    "主要内容",
    "姓名",
    "联系方式",
    "身份证号",
    "住址",
    "人数",
    "责任单位",
    "状态",
]


def xlsx(
    rows: Sequence[Sequence[Any]], headers: Sequence[Any] = HEADERS, title_row: str = ""
) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "台账"
    if title_row:
        ws.append([title_row])
    ws.append(list(headers))
    for row in rows:
        ws.append(list(row))
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = TYPE_STRING  # text, even "=..."
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def read(data: bytes) -> list[list[Any]]:
    ws = load_workbook(io.BytesIO(data)).worksheets[0]
    return [list(r) for r in ws.iter_rows(values_only=True)]


def snapshot() -> dict[str, Any]:
    return {
        "matters": Matter.objects.count(),
        "events": Event.objects.count(),
        "petitioners": Petitioner.objects.count(),
        "numbers": sorted(Matter.objects.values_list("number", flat=True)),
        "sequences": sorted(NumberSequence.objects.values_list("office_id", "year", "last")),
    }
