"""The statistics page: every breakdown counted by hand (see conftest.py's table)."""

from __future__ import annotations

import io
import re
from datetime import UTC
from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.reports.stats.html import body, figure_links, tables
from xinfang.desk.forms import ListFilterForm
from xinfang.desk.selectors import matter_list
from xinfang.matters.models import MatterType
from xinfang.reports.periods import Period
from xinfang.reports.stats.selectors import statistics
from xinfang.routing.models import Cluster, ClusterMember

OCTOBER = {"period": "month", "month": "2026-10"}


def page(user: Any, params: dict[str, str] | None = None, lang: str = "zh-hans") -> Any:
    client = Client()
    client.force_login(user)
    return client.get(reverse("reports:stats"), params or {}, HTTP_ACCEPT_LANGUAGE=lang)


def counts(st: Any, key: str) -> dict[str, tuple[int, int, int | None]]:
    table = next(t for t in st.tables if t.key == key)
    return {
        r.label: (r.current.count, r.previous.count, r.year_ago.count if r.year_ago else None)
        for r in table.rows
    }


def test_every_breakdown_of_october_for_the_county_office(sworld: SimpleNamespace) -> None:
    w = sworld
    st = statistics(w.registrar, Period.month(2026, 10))
    assert (st.total.current.count, st.total.previous.count, st.total.year_ago.count) == (5, 2, 2)
    assert st.total.change == 3 and st.total.pct == 150.0
    by_type = {MatterType(r.key): r.current.count for r in st.tables[1].rows}
    assert by_type == {MatterType.SUGGESTION: 1, MatterType.ACCUSATION: 1, MatterType.REQUEST: 3}
    assert counts(st, "category") == {
        "劳动与社会保障": (3, 1, 1),
        "城乡建设与住房": (1, 1, 1),
        "（未分类）": (1, 0, 0),
    }
    # o1 (a village of 永安镇) counts under 永安镇; o5 was placed at the county itself.
    assert counts(st, "region") == {
        "永安镇": (2, 1, 1),
        "（未填写）": (2, 1, 1),
        "清河县": (1, 0, 0),
    }
    assert counts(st, "lead") == {
        "县人社局": (3, 1, 1),
        "清河县信访局": (1, 1, 1),
        "县纪委监委": (1, 0, 0),
    }
    assert [(r.label, r.current.count, r.year_ago.count) for r in st.tables[-1].rows] == [
        ("2026-10", 5, 2)
    ]
    assert [r.label for r in st.top_categories] == ["劳动与社会保障", "城乡建设与住房"]


def test_channel_breakdown_counts(sworld: SimpleNamespace) -> None:
    st = statistics(sworld.registrar, Period.month(2026, 10))
    by_key = {
        r.key: (r.current.count, r.previous.count, r.year_ago.count) for r in st.tables[0].rows
    }
    assert by_key == {
        "letter": (2, 2, 1),
        "visit": (1, 0, 1),
        "online": (1, 0, 0),
        "phone": (1, 0, 0),
        "fax": (0, 0, 0),
        "transferred": (0, 0, 0),
    }


def test_period_boundaries_are_local_time(sworld: SimpleNamespace) -> None:
    w = sworld
    # o3: 2026-10-31 23:30 in Beijing is 15:30 UTC; n1: 2026-11-01 00:10 is 16:10 UTC on 31 Oct.
    assert w.o3.received_at.astimezone(UTC).day == 31
    assert w.n1.received_at.astimezone(UTC).day == 31
    october = statistics(w.registrar, Period.month(2026, 10))
    november = statistics(w.registrar, Period.month(2026, 11))
    assert october.total.current.count == 5  # o3 in, n1 out
    assert november.total.current.count == 1  # n1
    # o5 at 00:05 on 1 October is October's; s2 at 23:59 on 30 September is September's.
    assert october.total.previous.count == 2


def test_a_department_counts_only_the_matters_it_may_see(sworld: SimpleNamespace) -> None:
    w = sworld
    st = statistics(w.unit_lead, Period.month(2026, 10))
    # o1, o2 (forwarded to it), o5 (its own); not o3 (the bureau's), not o4 (discipline's).
    assert (st.total.current.count, st.total.previous.count, st.total.year_ago.count) == (3, 1, 1)
    assert set(counts(st, "lead")) == {"县人社局"}
    assert statistics(w.outsider, Period.month(2026, 10)).total.current.count == 0


def test_unit_filter_counts_the_matters_that_unit_is_responsible_for(
    sworld: SimpleNamespace,
) -> None:
    st = statistics(sworld.registrar, Period.month(2026, 10), unit=sworld.bureau.pk)
    assert (st.total.current.count, st.total.previous.count, st.total.year_ago.count) == (1, 1, 1)


def test_no_year_earlier_column_without_data_then(sworld: SimpleNamespace) -> None:
    st = statistics(sworld.registrar, Period.month(2026, 9))  # September 2025: nothing received
    assert not st.has_year_ago and st.total.year_ago is None
    html = page(sworld.registrar, {"period": "month", "month": "2026-09"}).content.decode()
    assert "同期无数据" in html or "no matters recorded then" in html


def test_the_default_is_the_last_full_month(sworld: SimpleNamespace) -> None:
    response = page(sworld.registrar)
    assert response.status_code == 200
    assert response.context["st"].period == Period.month(2026, 10)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"period": "month", "month": "2026-13"}, "Enter the month as year-month"),
        ({"period": "month", "month": "October"}, "Enter the month as year-month"),
        ({"period": "quarter", "year": "2026"}, "Choose the quarter"),
        ({"period": "year", "year": "1850"}, "The year must be between 2000 and 2100"),
        ({"period": "year"}, "Enter the year"),
        (
            {"period": "range", "date_from": "2026-10-31", "date_to": "2026-10-01"},
            "The end date is before the start date",
        ),
        (
            {"period": "range", "date_from": "2010-01-01", "date_to": "2026-10-01"},
            "at most five years",
        ),
        ({"period": "range", "date_from": "2026-10-01"}, "Enter both dates"),
        ({"period": "range", "date_from": "2026-02-30", "date_to": "2026-03-01"}, "valid date"),
        ({"period": "decade"}, "Select a valid choice"),
    ],
)
def test_bad_period_input_is_refused_with_a_clear_message(
    sworld: SimpleNamespace, params: dict[str, str], message: str
) -> None:
    response = page(sworld.registrar, params, lang="en")
    assert response.status_code == 400
    assert message in response.content.decode()
    assert response.context["st"] is None


def test_a_unit_outside_the_scope_is_refused(sworld: SimpleNamespace) -> None:
    response = page(sworld.unit_lead, {**OCTOBER, "unit": str(sworld.bureau.pk)}, lang="en")
    assert response.status_code == 400


def test_quarter_year_and_range_periods(sworld: SimpleNamespace) -> None:
    w = sworld
    q4 = page(w.registrar, {"period": "quarter", "year": "2026", "quarter": "4"}).context["st"]
    assert q4.total.current.count == 6 and q4.total.previous.count == 2  # Q3: s1, s2
    y = page(w.registrar, {"period": "year", "year": "2026"}).context["st"]
    assert (y.total.current.count, y.total.previous.count) == (8, 2)
    r = page(
        w.registrar, {"period": "range", "date_from": "2026-10-01", "date_to": "2026-10-10"}
    ).context["st"]
    # 10 days: o1, o2, o5; the 10 days before (21–30 September): s2.
    assert (r.total.current.count, r.total.previous.count) == (3, 1)


def _desk_count(user: Any, href: str) -> int:
    query = QueryDict(urlsplit(href).query)
    form = ListFilterForm(query, user=user)
    assert form.ignored() == [], (href, form.errors)
    return matter_list(user, form.filters()).count()


FOUND = re.compile(r'<h2 id="found">[^<]*?(\d+)[^<]*</h2>')


def check_drill_downs(user: Any, html: str) -> int:
    """Every figure's link finds exactly the number shown; returns how many were checked."""
    client = Client()
    client.force_login(user)
    links = figure_links(html)
    assert links
    for href, shown in links:
        response = client.get(href)
        assert response.status_code == 200, href
        if href.startswith(reverse("desk:list")):
            assert _desk_count(user, href) == shown, href
        else:
            found = FOUND.search(response.content.decode())
            assert found and int(found.group(1)) == shown, href
    return len(links)


@pytest.mark.parametrize("username", ["registrar", "unit_lead", "gov_lead"])
def test_every_drill_down_finds_exactly_the_number_shown(
    sworld: SimpleNamespace, username: str
) -> None:
    user = getattr(sworld, username)
    html = page(user, OCTOBER).content.decode()
    assert check_drill_downs(user, html) >= 20


def test_drill_downs_prefer_the_desk_list(sworld: SimpleNamespace) -> None:
    html = page(sworld.registrar, OCTOBER).content.decode()
    hrefs = [href for href, _n in figure_links(html)]
    desk = [h for h in hrefs if h.startswith("/matters/")]
    own = [h for h in hrefs if h.startswith(reverse("reports:stats_matters"))]
    assert desk and own
    # What the desk cannot filter goes to the own list: no category, no region, the county.
    for h in own:
        q = parse_qs(urlsplit(h).query)
        assert q.get("category") == ["none"] or q.get("region") or q.get("cluster"), h
    channel = [h for h in desk if "channel=visit" in h and "received_from=2026-10-01" in h]
    assert channel and "received_to=2026-10-31" in channel[0]


def test_drill_downs_with_the_unit_filter(sworld: SimpleNamespace) -> None:
    user = sworld.registrar
    html = page(user, {**OCTOBER, "unit": str(sworld.dept.pk)}).content.decode()
    check_drill_downs(user, html)


def _cluster(label: str, matters: list[Any]) -> Cluster:
    now = timezone.now()
    cluster = Cluster.objects.create(label=label, created_at=now, last_at=now)
    for m in matters:
        ClusterMember.objects.create(matter=m, cluster=cluster, score=0.9, joined_at=now)
    return cluster


def test_largest_clusters_of_the_period_never_count_an_accusation(
    sworld: SimpleNamespace,
) -> None:
    w = sworld
    # o4, an accusation, made a member as if reclassified after joining: never counted.
    big = _cluster("宏达机械厂", [w.o1, w.o2, w.o4, w.s1])
    _cluster("幸福小区", [w.o3, w.n1])  # one matter in October: not shown
    st = statistics(w.registrar, Period.month(2026, 10))
    assert [(c.label, c.count) for c in st.clusters] == [("宏达机械厂", 2)]
    html = page(w.registrar, OCTOBER).content.decode()
    assert "宏达机械厂" in html and "幸福小区" not in html
    assert "收受红包" not in html and "举报人" not in html
    client = Client()
    client.force_login(w.registrar)
    drill = client.get(st.clusters[0].href).content.decode()
    assert FOUND.search(drill).group(1) == "2"  # type: ignore[union-attr]
    assert w.o1.number in drill and w.o2.number in drill
    assert w.o4.number not in drill and "收受红包" not in drill
    assert big.pk == st.clusters[0].cluster_id


def test_a_cluster_is_shown_only_when_the_user_may_see_two_of_its_matters(
    sworld: SimpleNamespace,
) -> None:
    w = sworld
    _cluster("宏达机械厂", [w.o1, w.o3])  # the department sees o1 only
    assert statistics(w.registrar, Period.month(2026, 10)).clusters[0].count == 2
    assert statistics(w.unit_lead, Period.month(2026, 10)).clusters == []


def test_accusation_against_a_unit_is_not_counted_for_that_unit(sworld: SimpleNamespace) -> None:
    w = sworld
    # The accused bureau's people: o4 accuses `other`; the outsider works there.
    st = statistics(w.outsider, Period.month(2026, 10))
    assert st.total.current.count == 0


def test_export_of_one_table_equals_the_page(sworld: SimpleNamespace) -> None:
    w = sworld
    html = page(w.registrar, OCTOBER).content.decode()
    shown = tables(html)
    client = Client()
    client.force_login(w.registrar)
    for key in ("channel", "type", "category", "region", "lead", "total", "top_categories"):
        response = client.get(reverse("reports:stats_xlsx"), {**OCTOBER, "table": key})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        wb = load_workbook(io.BytesIO(response.content))
        assert len(wb.sheetnames) == 1
        rows = list(wb.active.iter_rows(values_only=True))
        on_page = body(shown[key])
        assert len(rows) - 1 == len(on_page), key
        for label, cur, prev, change, _pct, ago in rows[1:]:
            cells = on_page[label]
            assert int(cells[0]) == cur and int(cells[1]) == prev, (key, label)
            assert int(re.match(r"[+-]?\d+", cells[2]).group()) == change  # type: ignore[union-attr]
            assert int(cells[3]) == ago


def test_export_of_the_whole_page_has_a_sheet_per_table(sworld: SimpleNamespace) -> None:
    client = Client()
    client.force_login(sworld.registrar)
    response = client.get(reverse("reports:stats_xlsx"), OCTOBER)
    wb = load_workbook(io.BytesIO(response.content))
    assert len(wb.sheetnames) == 9  # total, 5 breakdowns, months, top problems, clusters
    months = list(wb.worksheets[6].iter_rows(values_only=True))
    assert months[1] == ("2026-10", 5, 2)
    assert (
        client.get(reverse("reports:stats_xlsx"), {**OCTOBER, "table": "nope"}).status_code == 404
    )


def test_charts_are_accessible_and_have_their_table(sworld: SimpleNamespace) -> None:
    html = page(sworld.registrar, OCTOBER).content.decode()
    svgs = re.findall(r'<svg id="chart-(\w+)" role="img" aria-label="([^"]+)"', html)
    assert {k for k, _l in svgs} == {"channel", "type", "category", "region", "lead", "month"}
    for key, label in svgs:
        assert f'id="table-{key}"' in html
        assert re.search(r"\d", label)
    assert "按信访形式" in html


def test_login_required(client: Client, sworld: SimpleNamespace) -> None:
    for url in (
        reverse("reports:stats"),
        reverse("reports:stats_xlsx"),
        reverse("reports:stats_matters"),
        reverse("reports:annual", args=[2026]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_drill_down_with_bad_parameters_is_refused(sworld: SimpleNamespace) -> None:
    client = Client()
    client.force_login(sworld.registrar)
    url = reverse("reports:stats_matters")
    assert client.get(url, {"from": "2026-10-01"}).status_code == 400
    assert client.get(url, {"from": "x", "to": "2026-10-01"}).status_code == 400
    assert (
        client.get(url, {"from": "2026-10-01", "to": "2026-10-31", "category": "abc"}).status_code
        == 400
    )
    assert client.get(url, {"from": "2026-10-31", "to": "2026-10-01"}).status_code == 400


def test_a_guessed_cluster_id_does_not_tell_the_problem(sworld: SimpleNamespace) -> None:
    w = sworld
    cluster = _cluster("宏达机械厂", [w.o3, w.n1])  # the bureau's: the department sees neither
    client = Client()
    client.force_login(w.unit_lead)
    response = client.get(
        reverse("reports:stats_matters"),
        {"from": "2026-10-01", "to": "2026-11-30", "cluster": str(cluster.pk)},
    )
    html = response.content.decode()
    assert response.status_code == 200 and "宏达机械厂" not in html
    assert FOUND.search(html).group(1) == "0"  # type: ignore[union-attr]


def test_a_figure_above_the_desks_count_cap_opens_the_exact_list(
    sworld: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The desk's list reads "1000+" above its cap: such a figure opens the statistics' own
    list, which shows the exact number (here with the cap lowered to 2)."""
    from xinfang.reports.stats import selectors

    monkeypatch.setattr(selectors, "COUNT_CAP", 2)
    st = statistics(sworld.registrar, Period.month(2026, 10))
    row = next(r for r in st.tables[4].rows if r.label == "县人社局")
    assert row.current.count == 3 and row.current.href.startswith(reverse("reports:stats_matters"))
    assert row.previous.count == 1 and row.previous.href.startswith(reverse("desk:list"))
    html = page(sworld.registrar, OCTOBER).content.decode()
    check_drill_downs(sworld.registrar, html)


def test_pages_answer_get_only(sworld: SimpleNamespace) -> None:
    client = Client()
    client.force_login(sworld.registrar)
    for url in (
        reverse("reports:stats"),
        reverse("reports:stats_xlsx"),
        reverse("reports:stats_matters"),
        reverse("reports:annual", args=[2026]),
        reverse("reports:annual_xlsx", args=[2026]),
    ):
        assert client.post(url).status_code == 405


def test_english_page(sworld: SimpleNamespace) -> None:
    html = page(sworld.registrar, OCTOBER, lang="en").content.decode()
    assert "By channel" in html and "Previous period" in html and "A year earlier" in html


def test_month_buckets_at_local_midnight_and_their_drill_downs(sworld: SimpleNamespace) -> None:
    """The year's months: s2 at 23:59 on 30 September is September's, o5 at 00:05 on 1 October
    and o3 at 23:30 on 31 October are October's, n1 at 00:10 on 1 November is November's; every
    month's link (and every other figure of the year) finds exactly the number shown."""
    w = sworld
    response = page(w.registrar, {"period": "year", "year": "2026"})
    months = {r.label: r.current.count for r in response.context["st"].tables[-1].rows}
    assert [months[f"2026-{m:02d}"] for m in (9, 10, 11, 12)] == [2, 5, 1, 0]
    assert sum(months.values()) == 8
    html = response.content.decode()
    assert body(tables(html)["month"])["2026-10"][0] == "5"
    for user in (w.registrar, w.unit_lead, w.gov_lead):
        check_drill_downs(user, page(user, {"period": "year", "year": "2026"}).content.decode())


def test_a_month_cut_by_the_range_is_compared_with_the_same_days_a_year_earlier(
    sworld: SimpleNamespace,
) -> None:
    """1–10 October 2026 (o1, o2, o5) against 1–10 October 2025: y2 (3 October) only, not y1
    (15 October), in the month's row as in the total."""
    w = sworld
    params = {"period": "range", "date_from": "2026-10-01", "date_to": "2026-10-10"}
    response = page(w.registrar, params)
    st = response.context["st"]
    assert (st.total.current.count, st.total.year_ago.count) == (3, 1)
    (row,) = st.tables[-1].rows
    assert (row.current.count, row.year_ago.count) == (3, 1)
    check_drill_downs(w.registrar, response.content.decode())
