"""Charts drawn on the server as inline SVG: no script, no library, they print, and each one
sits beside its table (the table is the chart's text equivalent and carries the same links).

The geometry is computed here; templates/reports/stats/_chart.html only writes it out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

WIDTH = 640
LABEL_W = 190  # the label column of a horizontal bar chart
VALUE_W = 60
BAR_H = 18
GAP = 6
LABEL_CHARS = 12  # longer labels are cut in the chart (the table shows them whole)


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class Bar:
    label: str
    short: str
    value: int
    href: str
    x: float
    y: float
    w: float
    h: float
    series: int = 0  # 0: the period; 1: the comparison (a year earlier)
    # Where the label and the value are written.
    tx: float = 0.0
    ty: float = 0.0
    vx: float = 0.0
    vy: float = 0.0


@dataclass
class Chart:
    id: str
    title: str
    summary: str  # the aria-label: title and every value
    width: int
    height: int
    kind: str  # "h" (horizontal bars) or "v" (columns)
    bars: list[Bar] = field(default_factory=list)
    axis_y: float = 0.0
    legend: list[tuple[str, int]] = field(default_factory=list)
    show_values: bool = True


def _summary(title: str, items: list[tuple[str, int]]) -> str:
    return title + ": " + "; ".join(f"{label} {value}" for label, value in items)


def hbars(chart_id: str, title: str, items: list[tuple[str, int, str]]) -> Chart:
    """A bar per item (label, value, link), longest first as given."""
    top = max((v for _l, v, _h in items), default=0) or 1
    area = WIDTH - LABEL_W - VALUE_W
    bars = []
    for i, (label, value, href) in enumerate(items):
        y = i * (BAR_H + GAP) + GAP
        w = round(area * value / top, 1)
        bars.append(
            Bar(
                label,
                _short(label),
                value,
                href,
                LABEL_W,
                y,
                w,
                BAR_H,
                tx=LABEL_W - 6,
                ty=y + 13,
                vx=LABEL_W + w + 4,
                vy=y + 13,
            )
        )
    height = len(items) * (BAR_H + GAP) + GAP
    return Chart(
        id=chart_id,
        title=title,
        summary=_summary(title, [(label, value) for label, value, _h in items]),
        width=WIDTH,
        height=max(height, BAR_H + 2 * GAP),
        kind="h",
        bars=bars,
    )


def columns(
    chart_id: str,
    title: str,
    items: list[tuple[str, int, str]],
    compare: list[tuple[int, str]] | None = None,
    legend: tuple[str, str] = ("", ""),
) -> Chart:
    """A column per month (label, value, link); with `compare`, a second, lighter column
    beside each (the same month a year earlier)."""
    plot_h = 180
    top = max([v for _l, v, _h in items] + [v for v, _h in (compare or [])] + [0]) or 1
    n = max(len(items), 1)
    slot = (WIDTH - 40) / n
    per = 2 if compare is not None else 1
    bar_w = max(min(slot * 0.8 / per, 40), 2)
    bars = []
    for i, (label, value, href) in enumerate(items):
        x0 = 30 + i * slot + (slot - bar_w * per) / 2
        h = round(plot_h * value / top, 1)
        centre = round(x0 + bar_w * per / 2, 1)
        bars.append(
            Bar(
                label,
                label,
                value,
                href,
                round(x0, 1),
                10 + plot_h - h,
                round(bar_w, 1),
                h,
                tx=centre,
                ty=10 + plot_h + 16,
                vx=round(x0 + bar_w / 2, 1),
                vy=10 + plot_h - h - 3,
            )
        )
        if compare is not None:
            value2, href2 = compare[i]
            h2 = round(plot_h * value2 / top, 1)
            bars.append(
                Bar(
                    label,
                    label,
                    value2,
                    href2,
                    round(x0 + bar_w, 1),
                    10 + plot_h - h2,
                    round(bar_w, 1),
                    h2,
                    series=1,
                    vx=round(x0 + bar_w * 1.5, 1),
                    vy=10 + plot_h - h2 - 3,
                )
            )
    summary_items = [(label, value) for label, value, _h in items]
    chart = Chart(
        id=chart_id,
        title=title,
        summary=_summary(title, summary_items),
        width=WIDTH,
        height=plot_h + 50,
        kind="v",
        bars=bars,
        axis_y=10 + plot_h,
    )
    if compare is not None:
        chart.legend = [(legend[0], 0), (legend[1], 1)]
    # Label every month when they fit, else every third (a five-year range has 60).
    step = 1 if n <= 18 else 3
    chart.show_values = n <= 18
    for j, bar in enumerate(b for b in bars if b.series == 0):
        if j % step:
            bar.short = ""
    return chart
