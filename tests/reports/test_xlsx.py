"""The shared .xlsx writer: values keep their types, a petitioner's words never become a
formula, and the download names itself in Chinese."""

import io
from datetime import UTC, date, datetime

from openpyxl import load_workbook

from xinfang.reports.xlsx import Sheet, workbook, xlsx_response


def _read(data: bytes):
    return load_workbook(io.BytesIO(data))


def test_values_keep_their_types_and_text_that_looks_like_a_formula_stays_text(settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    data = workbook(
        [
            Sheet(
                "台账[1]:*?",
                ["编号", "内容", "收到", "日期", "人数"],
                [
                    [
                        "XF-1",
                        '=HYPERLINK("http://x","点我")',
                        datetime(2026, 3, 1, 16, 30, tzinfo=UTC),
                        date(2026, 3, 2),
                        3,
                    ],
                    ["XF-2", "@SUM(1)", None, None, 0],
                    ["XF-3", "-1+2", None, None, 1],
                ],
            )
        ]
    )
    wb = _read(data)
    ws = wb.worksheets[0]
    assert ws.title == "台账_1____"
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("编号", "内容", "收到", "日期", "人数")
    assert rows[1][1] == '=HYPERLINK("http://x","点我")'
    assert ws["B2"].data_type == "s" and ws["B3"].data_type == "s" and ws["B4"].data_type == "s"
    # Local time (UTC+8), without a time zone: 16:30 UTC is 00:30 the next day in Beijing.
    assert rows[1][2] == datetime(2026, 3, 2, 0, 30)
    assert rows[1][3] == datetime(2026, 3, 2, 0, 0)
    assert rows[1][4] == 3 and rows[2][4] == 0
    assert rows[2][2] is None


def test_the_download_names_itself():
    response = xlsx_response("统计 2026.xlsx", [Sheet("a", ["x"], [[1]])])
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    disposition = response["Content-Disposition"]
    assert 'filename=" 2026.xlsx"' in disposition
    assert "filename*=UTF-8''%E7%BB%9F%E8%AE%A1%202026.xlsx" in disposition
    assert _read(response.content).worksheets[0]["A2"].value == 1
