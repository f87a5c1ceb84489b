"""The service-quality metrics in a real browser: choose a month, click a figure through to the
matters behind it, and on to one matter; the 1366×768 screen does not scroll sideways."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.test_desk_walk import log_in
from tests.reports.metrics.builders import noon, routed
from xinfang.matters import services

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def test_a_figure_leads_to_its_matters_and_on_to_a_matter(
    page: Any, live_server: Any, world: Any, screenshot: Any
) -> None:
    w = world
    # October 2026: the department accepts one matter on time (8 Oct, due 21 Oct) and one late
    # (30 Oct): timely acceptance 1/2 = 50.0%.
    on_time = routed(w, date(2026, 10, 5), date(2026, 10, 6), title="按期受理的事项")
    services.matter_accept(matter=on_time, actor=w.unit_lead, at=noon(date(2026, 10, 8)))
    late = routed(w, date(2026, 10, 5), date(2026, 10, 6), title="逾期受理的事项")
    services.matter_accept(matter=late, actor=w.unit_lead, at=noon(date(2026, 10, 30)))

    log_in(page, live_server.url, "registrar")
    page.goto(live_server.url + "/reports/metrics/")
    expect(page.get_by_role("heading", name="服务质量指标", exact=False).first).to_be_visible()
    page.locator("#id_kind").select_option("month")
    page.get_by_label("月份:", exact=True).fill("2026-10")
    page.get_by_role("button", name="查看指标").click()
    expect(page.locator("h1")).to_contain_text("2026年10月")
    table = page.locator("table.metrics")
    expect(table).to_contain_text("县人社局")
    expect(table).to_contain_text("50.0%")
    expect(table).to_contain_text("合计（我的范围）")
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    screenshot("1-table")

    page.get_by_role("link", name="及时受理率，县人社局").click()
    expect(page.locator("h1")).to_contain_text("及时受理率")
    drill = page.locator("table.drill")
    expect(drill).to_contain_text("按期受理的事项")
    expect(drill).to_contain_text("逾期受理的事项")
    expect(drill.locator("tr", has_text="逾期受理的事项")).to_contain_text("2026-10-21")
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    screenshot("2-drill-down")

    page.get_by_role("link", name=late.number).click()
    expect(page.locator("h1")).to_contain_text(late.number)
    screenshot("3-matter")
