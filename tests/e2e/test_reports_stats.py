"""The statistics page in a real browser: a chart with its table, a drill-down to the list."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.conftest import at
from tests.reports.stats.conftest import received
from xinfang.matters.models import Category, Channel, MatterType

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-for-tests"  # tests/factories.py UserFactory
# Nothing scrolls sideways: neither the page nor a table beside its chart.
FITS = """() => document.documentElement.scrollWidth <= window.innerWidth
    && [...document.querySelectorAll('.table-wrap')].every(e => e.scrollWidth <= e.clientWidth)"""


def log_in(page: Any, live_server: Any, username: str) -> None:
    page.goto(live_server.url + "/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


@pytest.fixture
def october(world: SimpleNamespace) -> SimpleNamespace:
    w = world
    labour = Category.objects.create(name="劳动与社会保障", position=1)
    housing = Category.objects.create(name="城乡建设与住房", position=2)
    req = MatterType.REQUEST
    received(w, at(2026, 10, 5), w.dept, category=labour, region=w.township, type=req)
    received(w, at(2026, 10, 9), w.dept, channel=Channel.VISIT, category=labour, type=req)
    received(w, at(2026, 10, 12), w.dept, category=housing, type=req)
    received(w, at(2026, 10, 30), channel=Channel.ONLINE, category=housing, type=req)
    received(w, at(2026, 9, 15), w.dept, category=labour, type=req)
    received(w, at(2025, 10, 15), category=labour, type=req)
    return w


def test_statistics_chart_table_and_drill_down(
    page: Any, live_server: Any, october: SimpleNamespace, screenshot: Any
) -> None:
    log_in(page, live_server, "registrar")
    page.goto(live_server.url + "/reports/?period=month&month=2026-10")
    expect(page.get_by_role("heading", name="统计分析")).to_be_visible()

    chart = page.locator("svg#chart-lead")
    expect(chart).to_have_attribute("role", "img")
    assert "县人社局 3" in (chart.get_attribute("aria-label") or "")
    table = page.locator("table#table-lead")
    row = table.locator("tr", has_text="县人社局")
    expect(row.locator("td").first).to_have_text("3")
    # Nothing scrolls sideways at 1366×768.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot("1-statistics")

    # A bar of the channel chart: the letters of October on the desk's list.
    page.locator("svg#chart-channel a", has_text="来信").click()
    expect(page.get_by_role("heading", name="共2件")).to_be_visible()
    expect(page.locator("tbody tr")).to_have_count(2)
    page.go_back()

    # The department's cell in the table: its three matters.
    row.locator("td a").first.click()
    expect(page.get_by_role("heading", name="共3件")).to_be_visible()
    expect(page.locator("tbody tr")).to_have_count(3)
    screenshot("2-drill-down")

    # A figure the desk cannot filter: the annual figures' replies and accusations use the
    # statistics' own list.
    page.goto(live_server.url + "/reports/annual/2026/")
    expect(page.get_by_text("本系统尚未记录督办情况")).to_be_visible()
    page.locator("table#table-handling tr", has_text="转送事项数").locator("a").click()
    expect(page.get_by_role("heading", name="共4件")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot("3-annual-drill-down")


def test_statistics_read_in_both_languages(
    page: Any, live_server: Any, october: SimpleNamespace, screenshot: Any
) -> None:
    """The year's statistics and the annual figures in Chinese, then in English: the headings,
    the column titles shared with other apps' catalogues, nothing sideways at 1366×768."""
    log_in(page, live_server, "registrar")
    page.goto(live_server.url + "/reports/?period=year&year=2026")
    expect(page.locator("table#table-top_categories th").first).to_have_text("内容分类")
    expect(page.locator("table#table-month")).to_contain_text("2026-10")
    assert page.evaluate(FITS)
    screenshot("1-year-zh")
    page.goto(live_server.url + "/reports/annual/2026/")
    assert page.evaluate(FITS)
    screenshot("2-annual-zh")

    page.get_by_label("语言").select_option("en")
    page.get_by_role("button", name="切换").click()
    expect(page.get_by_role("heading", name="Annual figures 2026")).to_be_visible()
    expect(page.locator("table#table-handling")).to_contain_text("Matters forwarded")
    assert page.evaluate(FITS)
    screenshot("3-annual-en")
    page.goto(live_server.url + "/reports/?period=year&year=2026")
    expect(page.get_by_role("heading", name="By category")).to_be_visible()
    expect(page.locator("table#table-top_categories th").first).to_have_text("Category")
    assert page.evaluate(FITS)
    screenshot("4-year-en")
