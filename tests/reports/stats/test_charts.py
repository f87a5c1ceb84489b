"""The SVG charts' geometry and text equivalents (pure Python, no database)."""

from __future__ import annotations

from xinfang.reports.stats import charts


def test_bars_are_proportional_and_the_label_reads_every_value() -> None:
    chart = charts.hbars(
        "c", "按信访形式", [("来信", 8, "/a"), ("来访", 4, "/b"), ("传真", 0, "/c")]
    )
    widths = [b.w for b in chart.bars]
    assert widths[0] == charts.WIDTH - charts.LABEL_W - charts.VALUE_W
    assert widths[1] == widths[0] / 2 and widths[2] == 0
    assert chart.summary == "按信访形式: 来信 8; 来访 4; 传真 0"
    assert [b.href for b in chart.bars] == ["/a", "/b", "/c"]
    assert chart.height == 3 * (charts.BAR_H + charts.GAP) + charts.GAP


def test_long_labels_are_cut_in_the_chart_only() -> None:
    chart = charts.hbars("c", "t", [("清河县人力资源和社会保障局劳动监察大队", 1, "/x")])
    assert chart.bars[0].short.endswith("…") and len(chart.bars[0].short) == charts.LABEL_CHARS
    assert chart.bars[0].label == "清河县人力资源和社会保障局劳动监察大队"


def test_an_empty_chart_still_has_a_size() -> None:
    chart = charts.hbars("c", "t", [])
    assert chart.bars == [] and chart.height > 0


def test_columns_with_a_comparison_series() -> None:
    items = [(f"2026-{m:02d}", m, f"/m{m}") for m in range(1, 13)]
    chart = charts.columns("m", "按月", items, compare=[(1, "/y")] * 12, legend=("2026", "2025"))
    assert len(chart.bars) == 24
    tallest = max(chart.bars, key=lambda b: b.h)
    assert tallest.value == 12 and tallest.y + tallest.h == chart.axis_y
    assert {b.series for b in chart.bars} == {0, 1}
    assert chart.legend == [("2026", 0), ("2025", 1)] and chart.show_values


def test_sixty_months_label_every_third_and_hide_values() -> None:
    items = [(f"m{i}", i, "/") for i in range(60)]
    chart = charts.columns("m", "t", items)
    labelled = [b for b in chart.bars if b.short]
    assert len(labelled) == 20 and not chart.show_values
