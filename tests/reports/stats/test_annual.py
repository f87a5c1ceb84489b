"""The art. 41 annual figures, counted by hand (conftest.py's table plus two walked matters)."""

from __future__ import annotations

import io
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.matters.flows import walk
from tests.reports.stats.html import body, tables
from tests.reports.stats.test_stats import check_drill_downs
from xinfang.matters.models import MatterType
from xinfang.reports.stats.selectors import annual


@pytest.fixture
def yworld(sworld: SimpleNamespace) -> SimpleNamespace:
    w = sworld
    # Both forwarded to the department in March 2026 and replied 支持 there; one is a
    # suggestion (adopted), the other was reviewed.
    w.adopted = walk(w, "replied", type=MatterType.SUGGESTION)
    w.reviewed = walk(w, "reviewed")
    return w


def _figures(figures: list[Any]) -> dict[str, int | None]:
    return {f.key: f.count for f in figures}


def test_annual_figures_for_the_county_office(yworld: SimpleNamespace) -> None:
    w = yworld
    a = annual(w.registrar, 2026)
    # o1–o5, s1, s2, n1 and the two walked matters; not y1, y2 (2025).
    assert a.received.count == 10
    assert _figures(a.by_type) == {"suggestion": 3, "accusation": 1, "request": 6}
    assert _figures(a.by_channel)["letter"] == 7
    assert {f.label: f.count for f in a.by_category} == {
        "劳动与社会保障": 5,
        "城乡建设与住房": 2,
        "（未分类）": 3,
    }
    assert {f.label: f.count for f in a.bodies_responsible} == {
        "县人社局": 6,
        "清河县信访局": 3,
        "县纪委监委": 1,
    }
    assert [(f.label, f.count) for f in a.bodies_accused] == [("县住建局", 1)]
    handling = _figures(a.handling)
    assert handling == {
        "forwarded": 6,  # o1, o2, o4, s1 and the walked two (y1 was forwarded in 2025)
        "assigned": 0,
        "supervision": None,  # not recorded: no number is made up
        "adopted": 1,
        "replied": 2,
        "review_requested": 1,
        "reviewed": 1,
        "re_review_requested": 0,
        "re_reviewed": 0,
    }


def test_the_page_says_supervision_is_not_recorded(yworld: SimpleNamespace) -> None:
    client = Client()
    client.force_login(yworld.registrar)
    html = client.get(reverse("reports:annual", args=[2026])).content.decode()
    assert "本系统尚未记录督办情况" in html


def test_a_department_sees_its_own_figures(yworld: SimpleNamespace) -> None:
    a = annual(yworld.unit_lead, 2026)
    # o1, o2, o5, s1 and the two walked; accusations against it are not counted for it.
    assert a.received.count == 6
    assert a.bodies_accused == []


@pytest.mark.parametrize("username", ["registrar", "unit_lead", "inspector"])
def test_every_annual_drill_down_finds_exactly_the_number_shown(
    yworld: SimpleNamespace, username: str
) -> None:
    user = getattr(yworld, username)
    client = Client()
    client.force_login(user)
    html = client.get(reverse("reports:annual", args=[2026])).content.decode()
    assert check_drill_downs(user, html) >= 5


def test_annual_export_equals_the_page(yworld: SimpleNamespace) -> None:
    client = Client()
    client.force_login(yworld.registrar)
    html = client.get(reverse("reports:annual", args=[2026])).content.decode()
    shown = tables(html)
    response = client.get(reverse("reports:annual_xlsx", args=[2026]))
    wb = load_workbook(io.BytesIO(response.content))
    assert len(wb.sheetnames) == 7
    for key in ("channel", "type", "category", "responsible", "accused", "handling"):
        one = client.get(reverse("reports:annual_xlsx", args=[2026]), {"table": key})
        rows = list(load_workbook(io.BytesIO(one.content)).active.iter_rows(values_only=True))
        on_page = body(shown[key])
        assert len(rows) - 1 == len(on_page), key
        for row in rows[1:]:
            cell = on_page[row[0]][0]
            expected = "—" if row[1] is None else str(row[1])
            assert cell.startswith(expected), (key, row, cell)


def test_year_selector_and_bad_years(yworld: SimpleNamespace) -> None:
    client = Client()
    client.force_login(yworld.registrar)
    url = reverse("reports:annual", args=[2026])
    response = client.get(url, {"year": "2025"})
    assert response.status_code == 302 and response["Location"].endswith("/annual/2025/")
    assert client.get(url, {"year": "abc"}).status_code == 400
    assert client.get(reverse("reports:annual", args=[1800])).status_code == 404


def test_an_accusation_naming_two_units_counts_once_under_each(yworld: SimpleNamespace) -> None:
    """The drill-down list has no DISTINCT: a matter naming two accused units must still be
    listed once under each (one row of the unique (matter, unit) pair), never twice."""
    from tests.conftest import at
    from tests.reports.stats.conftest import received

    w = yworld
    received(
        w,
        at(2026, 6, 1),
        w.discipline,
        type=MatterType.ACCUSATION,
        title="举报两个单位",
        content="举报县住建局和县政府有关人员违规。",
        accused_units=[w.other, w.gov],
    )
    a = annual(w.registrar, 2026)
    assert {f.label: f.count for f in a.bodies_accused} == {"县住建局": 2, w.gov.name: 1}
    client = Client()
    client.force_login(w.registrar)
    html = client.get(reverse("reports:annual", args=[2026])).content.decode()
    assert check_drill_downs(w.registrar, html) >= 5
