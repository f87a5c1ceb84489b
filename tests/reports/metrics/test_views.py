"""The metrics page, its drill-down and both exports: login, scope, period errors, .xlsx."""

from __future__ import annotations

import io
from datetime import date
from types import SimpleNamespace

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.reports.metrics.builders import noon, replied, routed
from xinfang.matters import services
from xinfang.matters.models import MatterType

pytestmark = pytest.mark.django_db

URL = reverse("reports:metrics")


def drill(key: str = "timely_acceptance") -> str:
    return reverse("reports:metric-matters", args=[key])


@pytest.fixture
def october(world: SimpleNamespace) -> SimpleNamespace:
    """Two matters registered 5 Oct and forwarded 6 Oct (route clocks on time); the department
    accepts one on 8 Oct (on time) and the other on 30 Oct (acceptance due 21 Oct: 9 days late).
    October, department: timely acceptance 1/2 = 50.0%; bureau: 2/2 = 100.0%; total 3/4."""
    w = world
    w.on_time = routed(w, date(2026, 10, 5), date(2026, 10, 6), title="按期受理的事项")
    services.matter_accept(matter=w.on_time, actor=w.unit_lead, at=noon(date(2026, 10, 8)))
    w.late = routed(w, date(2026, 10, 5), date(2026, 10, 6), title="逾期受理的事项")
    services.matter_accept(matter=w.late, actor=w.unit_lead, at=noon(date(2026, 10, 30)))
    return w


def test_login_is_required(client, october):
    for url in (URL, drill(), reverse("reports:metrics-export")):
        response = client.get(url)
        assert response.status_code == 302
        assert "/login" in response["Location"] or "login" in response["Location"]


def test_only_get(client, october):
    client.force_login(october.registrar)
    assert client.post(URL + "?period=2026-10").status_code == 405


def test_the_table_shows_each_unit_the_total_and_the_previous_period(client, october):
    w = october
    client.force_login(w.registrar)
    response = client.get(URL, {"period": "2026-10"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "2026年10月" in html
    assert "县人社局" in html and "清河县信访局" in html
    assert "50.0%" in html and "1/2" in html  # the department
    assert "75.0%" in html and "3/4" in html  # the total
    # September had nothing: the previous period reads "—", never 0% or 100%.
    assert "上期 —" in html
    # Figures link to their drill-down, for the unit and the period.
    assert f"{drill()}?period=2026-10&amp;unit={w.dept.pk}" in html
    # The definition is on the page, in both languages, with its article.
    assert "第二十二条、第二十三条" in html
    assert "Timely acceptance" in html


def test_the_form_fields_give_the_same_period(client, october):
    client.force_login(october.registrar)
    by_fields = client.get(URL, {"kind": "month", "month": "2026-10"})
    assert by_fields.status_code == 200
    assert "3/4" in by_fields.content.decode()
    quarter = client.get(URL, {"kind": "quarter", "year": "2026", "quarter": "4"})
    assert "2026年第4季度" in quarter.content.decode()
    assert "3/4" in quarter.content.decode()
    ranged = client.get(URL, {"kind": "range", "start": "2026-10-01", "end": "2026-10-07"})
    # 1-7 Oct: nothing decided or due (the route clocks stopped on 6 Oct count: 2/2).
    assert ranged.status_code == 200
    assert "2/2" in ranged.content.decode()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"period": "2026-13"}, "月份应在1到12之间"),
        ({"period": "yesterday"}, "无法识别统计期"),
        ({"kind": "range", "start": "2026-10-31", "end": "2026-10-01"}, "结束日期早于开始日期"),
        ({"kind": "range", "start": "2026-10-01"}, "请填写统计期的起止日期"),
        ({"kind": "month", "month": "2026-1x"}, "无法识别统计期"),
        ({"kind": "quarter", "year": "2026"}, "请选择季度"),
        ({"period": "2000-01-01_2026-12-31"}, "统计期最长五年"),
    ],
)
def test_a_period_that_cannot_be_read_is_a_clear_400(client, october, params, message):
    client.force_login(october.registrar)
    for url in (URL, drill(), reverse("reports:metrics-export")):
        response = client.get(url, params)
        assert response.status_code == 400
        assert message in response.content.decode()


def test_a_unit_outside_the_scope_is_refused(client, october):
    w = october
    client.force_login(w.unit_lead)  # 县人社局 only
    response = client.get(URL, {"period": "2026-10", "unit": w.bureau.pk})
    assert response.status_code == 400
    # ...and the department's own page shows only the department.
    html = client.get(URL, {"period": "2026-10"}).content.decode()
    assert "1/2" in html
    assert "清河县信访局" not in html.split("<table", 1)[1].split("</table>")[0]
    assert "3/4" not in html


def test_the_drill_down_lists_the_matters_behind_the_figure(client, october):
    w = october
    client.force_login(w.registrar)
    response = client.get(drill(), {"period": "2026-10", "unit": w.dept.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert "按期受理的事项" in html and "逾期受理的事项" in html
    assert reverse("desk:matter", args=[w.on_time.pk]) in html
    assert reverse("desk:matter", args=[w.late.pk]) in html
    assert "2026-10-21" in html and "2026-10-30" in html  # due, done
    assert ">9<" in html  # days late
    # Petitioners are never named here.
    assert "张三" not in html
    # The bureau's own figure: its two route clocks, both on time.
    html = client.get(drill(), {"period": "2026-10", "unit": w.bureau.pk}).content.decode()
    assert "按期决定: 2" in html.replace("</strong>", "")
    assert client.get(drill("no_such_metric"), {"period": "2026-10"}).status_code == 404


def test_the_drill_down_pages(client, world):
    w = world
    for _ in range(52):
        routed(w, date(2026, 10, 5), date(2026, 10, 6))
    client.force_login(w.registrar)
    first = client.get(drill(), {"period": "2026-10", "unit": w.bureau.pk}).content.decode()
    assert first.count('class="counted"') == 50
    assert "page=2" in first
    second = client.get(drill(), {"period": "2026-10", "unit": w.bureau.pk, "page": 2})
    assert second.content.decode().count('class="counted"') == 2


def test_an_accusations_petitioner_is_never_shown(client, world):
    w = world
    routed(
        w,
        date(2026, 10, 5),
        date(2026, 10, 6),
        type=MatterType.ACCUSATION,
        title="举报某单位",
        petitioners=[services.PetitionerInput(name="李举报", address="永安镇")],
    )
    client.force_login(w.registrar)
    html = client.get(drill(), {"period": "2026-10"}).content.decode()
    assert "举报某单位" in html
    assert "李举报" not in html


def test_the_table_exports_to_xlsx(client, october):
    client.force_login(october.registrar)
    response = client.get(reverse("reports:metrics-export"), {"period": "2026-10"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    rows = [tuple(c.value for c in row) for row in sheet.iter_rows()]
    assert rows[0][:5] == ("单位", "指标", "分子", "分母", "比率")
    assert ("县人社局", "及时受理率", 1, 2, 0.5, 0, 0, None) in rows
    assert ("合计", "及时受理率", 3, 4, 0.75, 0, 0, None) in rows
    # Nothing replied: the rate cell is empty, not 0.
    assert ("合计", "按期答复率", 0, 0, None, 0, 0, None) in rows
    assert book.worksheets[1].cell(2, 3).value == "《信访工作条例》第二十二条、第二十三条"


def test_the_drill_down_exports_to_xlsx(client, october):
    w = october
    client.force_login(w.registrar)
    response = client.get(
        reverse("reports:metric-matters-export", args=["timely_acceptance"]),
        {"period": "2026-10", "unit": w.dept.pk},
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = [tuple(c.value for c in row) for row in sheet.iter_rows(min_row=2)]
    assert len(rows) == 2
    late = next(r for r in rows if r[3] == "逾期受理的事项")
    assert late[0] == "逾期决定或届满未决定" and late[1] == "逾期办结"
    assert late[6].date() == date(2026, 10, 21) and late[7].date() == date(2026, 10, 30)
    assert late[8] == 9


def test_without_a_choice_the_last_full_month_is_shown(client, october):
    client.force_login(october.registrar)
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["period"].kind == "month"
    assert response.context["period"].end < date.today().replace(day=1)


def test_in_english_with_the_chinese_definition_beside_it(client, october):
    client.force_login(october.registrar)
    html = client.get(URL, {"period": "2026-10"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Service-quality metrics" in html
    assert "2026-10" in html  # the period's label
    assert (
        "Timely acceptance" in html and "Regulations on Letters and Visits Work, arts. 22" in html
    )
    assert 'lang="zh-hans"' in html and "及时受理率" in html
    assert "prev. —" in html


def test_review_outcomes_are_shown_by_outcome(client, world):
    w = world
    for outcome, decided in (("upheld", 5), ("changed", 8), ("revoked", 9), ("upheld", 12)):
        m = replied(w, date(2026, 9, 1))
        m = services.matter_request_review(
            matter=m, actor=w.registrar, reasons="不服", at=noon(date(2026, 9, 10))
        )
        services.matter_decide_review(
            matter=m,
            actor=w.gov_lead,
            outcome=outcome,
            text="复查意见",
            at=noon(date(2026, 10, decided)),
        )
    client.force_login(w.registrar)
    html = client.get(URL, {"period": "2026-10"}).content.decode()
    # Two of four upheld: 50.0%, and the split beneath.
    assert "维持 2 · 变更 1 · 撤销 1" in html
    assert "2/4" in html
