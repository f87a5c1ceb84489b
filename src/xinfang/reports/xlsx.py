"""Writing tables to .xlsx, shared by every export (lists, ledgers, metrics, statistics).

A cell that starts like a formula (= + - @, or a tab/carriage return before one) is written as
text with openpyxl's explicit string type: a petitioner's words are never run as a spreadsheet
formula when an office opens the file (CSV/formula injection).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel's limits: a sheet title of 31 characters without []:*?/\ ; 32,767 characters a cell.
_TITLE_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})
CELL_MAX = 32767


@dataclass
class Sheet:
    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence[Any]]
    # Column widths in characters; by default from the headers (CJK counted double).
    widths: Sequence[int] = field(default_factory=list)


def cell_value(value: Any) -> Any:
    """A Python value as openpyxl should store it: aware datetimes in local time without
    tzinfo (Excel has no time zones), Decimals as they are, None as an empty cell."""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None)
    if isinstance(value, (date, int, float, Decimal)) or value is None:
        return value
    return str(value)[:CELL_MAX]


def display_width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def workbook(sheets: Sequence[Sheet]) -> bytes:
    wb = Workbook(write_only=False)
    wb.remove(wb.active)  # type: ignore[arg-type]
    for sheet in sheets:
        ws = wb.create_sheet(sheet.title.translate(_TITLE_FORBIDDEN)[:31] or "Sheet")
        ws.append([str(h) for h in sheet.headers])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in sheet.rows:
            ws.append([cell_value(v) for v in row])
            for cell in ws[ws.max_row]:
                if isinstance(cell.value, str):
                    # Always text, never a formula, whatever the first character.
                    cell.data_type = TYPE_STRING
                elif isinstance(cell.value, datetime):
                    cell.number_format = "yyyy-mm-dd hh:mm"
                elif isinstance(cell.value, date):
                    cell.number_format = "yyyy-mm-dd"
        widths = list(sheet.widths) or [
            min(max(display_width(str(h)) + 2, 10), 60) for h in sheet.headers
        ]
        for index, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(index)].width = width
        ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def xlsx_response(filename: str, sheets: Sequence[Sheet]) -> HttpResponse:
    """The workbook as a download; `filename` may be Chinese (RFC 5987 filename*)."""
    response = HttpResponse(workbook(sheets), content_type=XLSX)
    ascii_name = filename.encode("ascii", "ignore").decode() or "export.xlsx"
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    )
    response["Cache-Control"] = "no-store"
    return response
