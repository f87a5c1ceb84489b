"""Issuing a notice from the matter page in a real browser, and downloading it: the file is the
stored one, a GB/T 9704 letter naming the petitioner."""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path
from typing import Any

import docx
import pytest
from playwright.sync_api import expect

from tests.e2e.test_desk_walk import log_in
from tests.matters.flows import walk
from xinfang.reports.models import Document

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_issue_a_notice_from_the_matter_page_and_download_it(
    page: Any, live_server: Any, world: Any, screenshot: Any, tmp_path: Path
) -> None:
    matter = walk(world, "accepted")
    log_in(page, live_server.url, "unit_lead")
    page.goto(live_server.url + f"/matters/{matter.pk}/")
    panel = page.locator("#documents")
    expect(panel.get_by_role("heading", name="文书")).to_be_visible()
    expect(panel).to_contain_text("尚未出具文书。")
    panel.get_by_role("button", name="出具受理告知书").click()

    document = Document.objects.get(matter=matter)
    expect(page.get_by_role("status")).to_contain_text(
        f"已出具《信访事项受理告知书》{document.number}"
    )
    expect(panel.get_by_role("link", name=document.number)).to_be_visible()
    expect(page.locator(".timeline")).to_contain_text(
        f"出具《信访事项受理告知书》{document.number}"
    )
    expect(panel.locator("thead")).to_contain_text("文号")
    expect(panel.locator("thead")).not_to_contain_text("编号")
    panel.scroll_into_view_if_needed()
    screenshot("1-issued")

    with page.expect_download() as info:
        panel.get_by_role("link", name=document.number).click()
    download = info.value
    assert re.search(r"\.docx$", download.suggested_filename)
    saved = tmp_path / "notice.docx"
    download.save_as(saved)
    content = saved.read_bytes()
    assert hashlib.sha256(content).hexdigest() == document.sha256
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)
    assert "张三：" in text and matter.number in text and document.number in text

    # The same panel in English.
    page.get_by_label("语言").select_option("en")
    page.get_by_role("button", name="切换").click()
    panel = page.locator("#documents")
    expect(panel.get_by_role("heading", name="Documents")).to_be_visible()
    expect(panel.locator("thead")).to_contain_text("Document number")
    expect(panel.locator("thead")).to_contain_text("Issuing unit and person")
    panel.scroll_into_view_if_needed()
    screenshot("2-in-english")


def test_the_template_editor_previews_and_saves(
    page: Any, live_server: Any, world: Any, screenshot: Any
) -> None:
    log_in(page, live_server.url, "unit_lead")
    page.goto(live_server.url + "/reports/documents/templates/?kind=extension")
    expect(page.get_by_role("heading", name="文书模板")).to_be_visible()
    expect(page.locator(".doc-preview")).to_contain_text("延长30日")
    screenshot("1-editor")
    body = page.get_by_label("正文")
    body.fill(body.input_value() + "\n联系人：{经办人}")
    page.get_by_role("button", name="保存为新版本").click()
    expect(page.get_by_role("alert")).to_contain_text("不认识的占位符：{经办人}")
    body = page.get_by_label("正文")
    body.fill(body.input_value().replace("\n联系人：{经办人}", "\n如有疑问，请与{发文单位}联系。"))
    page.get_by_role("button", name="预览").click()
    expect(page.locator(".doc-preview")).to_contain_text("如有疑问，请与县人社局联系。")
    page.get_by_role("button", name="保存为新版本").click()
    expect(page.get_by_role("status")).to_contain_text("已保存为第1版")
    expect(page.get_by_text("正在使用第1版")).to_be_visible()
    screenshot("2-saved")


def test_the_bulletins_page_issues_a_bulletin(
    page: Any, live_server: Any, world: Any, screenshot: Any
) -> None:
    walk(world, "replied")
    log_in(page, live_server.url, "registrar")
    page.goto(live_server.url + "/reports/documents/bulletins/")
    expect(page.get_by_role("heading", name="月度通报")).to_be_visible()
    page.get_by_label("月份").fill("2026-03")
    page.get_by_role("button", name="出具通报").click()
    document = Document.objects.get(kind="bulletin")
    expect(page.get_by_role("status")).to_contain_text(document.number)
    expect(page.get_by_role("link", name=document.number)).to_be_visible()
    screenshot("1-issued")
