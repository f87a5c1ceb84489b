"""Importing a ledger in a real browser: a bad row is shown with its reason, the corrected file
dry-runs clean and imports, and the desk list exports what was imported."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.conftest import VALID_ID
from tests.e2e.test_desk_walk import log_in
from tests.reports.ledger.helpers import xlsx
from xinfang.matters.models import Category, Matter

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def _rows(category: str) -> list[list[Any]]:
    day = timezone.localdate() - timedelta(days=3)
    return [
        [
            "E-1",
            day.isoformat(),
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
        ],
        [
            "E-2",
            day.isoformat(),
            "来访",
            "建议意见",
            category,
            "",
            "修路",
            "建议修建通往幸福村的村道。",
            "李四",
            "",
            "",
            "",
            1,
            "",
            "",
        ],
    ]


def test_upload_a_bad_ledger_fix_it_import_and_export(
    page: Any, live_server: Any, world: Any, screenshot: Any, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    Category.objects.get_or_create(name="劳动与社会保障")
    Category.objects.get_or_create(name="城乡建设与住房")
    bad, fixed = tmp_path / "台账-有错.xlsx", tmp_path / "台账-已改.xlsx"
    bad.write_bytes(xlsx(_rows("外星事务")))
    fixed.write_bytes(xlsx(_rows("城乡建设与住房")))

    log_in(page, live_server.url, "registrar")
    page.goto(live_server.url + "/reports/ledger/import/")
    expect(page.get_by_text("导入会记录什么")).to_be_visible()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    screenshot("0-upload")
    page.get_by_label("台账（.xlsx）").set_input_files(str(bad))
    page.get_by_role("button", name="上传并读取各列").click()
    expect(page.get_by_label("问题类别")).to_have_value("4")  # proposed from 问题类别
    expect(page.get_by_label("内容 *")).to_have_value("7")
    page.get_by_role("button", name=re.compile("试导入")).click()
    errors = page.locator("#errors")
    expect(errors).to_contain_text("外星事务")
    expect(errors).to_contain_text("E（问题类别）")
    expect(page.get_by_role("button", name=re.compile("导入全部行"))).to_have_count(0)
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    screenshot("1-bad-row")
    assert Matter.objects.count() == 0

    page.get_by_role("link", name="上传修改后的文件").click()
    page.get_by_label("台账（.xlsx）").set_input_files(str(fixed))
    page.get_by_role("button", name="上传并读取各列").click()
    page.get_by_role("button", name=re.compile("试导入")).click()
    expect(page.locator("#clean")).to_contain_text("试导入通过")
    screenshot("2-dry-run-clean")
    assert Matter.objects.count() == 0
    page.get_by_role("button", name=re.compile("导入全部行")).click()
    expect(page.get_by_role("status")).to_contain_text("已从台账导入2件事项")
    expect(page.locator("#results")).to_contain_text("修路")
    screenshot("3-imported")
    assert Matter.objects.count() == 2

    with page.expect_download() as info:
        page.get_by_role("link", name="导出Excel").click()
    data = Path(info.value.path()).read_bytes()
    rows = list(load_workbook(io.BytesIO(data)).worksheets[0].iter_rows(values_only=True))
    assert rows[0][0] == "编号" and len(rows) == 3
    assert sorted(r[-1] for r in rows[1:]) == ["E-1", "E-2"]
    assert "138****8000" in [r[9] for r in rows[1:]]
