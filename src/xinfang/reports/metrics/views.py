"""The metrics pages: the table (units × metrics, with the previous period beside each figure),
the drill-down behind one figure, and both as .xlsx.

Thin views: the form reads the period and unit, `selectors` computes, the template shows.
Everything is limited to the units in the user's scope and the matters the user may see.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from xinfang.matters.models import Matter
from xinfang.org.access import scope_unit_ids
from xinfang.org.models import Unit
from xinfang.reports.metrics import definitions as d
from xinfang.reports.metrics.forms import MetricsForm
from xinfang.reports.metrics.selectors import (
    Item,
    MetricValue,
    collect_items,
    group_by_unit,
    metric_items,
    units_in_order,
    values_of,
)
from xinfang.reports.periods import Period, default_period
from xinfang.reports.xlsx import Sheet, xlsx_response

if TYPE_CHECKING:
    from django.contrib.auth.models import User

PAGE_SIZE = 50


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]  # login_required ran


@dataclass(frozen=True)
class Cell:
    value: MetricValue
    previous: MetricValue
    query: str  # the drill-down's query string
    # Review outcomes: (outcome, count) for upheld, changed and revoked.
    breakdown: tuple[tuple[str, int], ...] = ()

    @property
    def rate_text(self) -> str:
        return percent(self.value)

    @property
    def previous_text(self) -> str:
        return percent(self.previous)


@dataclass(frozen=True)
class Row:
    unit: Unit | None  # None: the scope's total
    cells: list[Cell]


@dataclass(frozen=True)
class Chosen:
    period: Period
    unit: Unit | None
    form: MetricsForm


def _choose(request: HttpRequest) -> Chosen | MetricsForm:
    """The period and unit asked for, or the form with its errors."""
    user = _user(request)
    today = timezone.localdate()
    scope = scope_unit_ids(user)
    form = MetricsForm(request.GET or None, scope=scope, today=today)
    if not request.GET:
        blank = MetricsForm(scope=scope, today=today)
        default = default_period(today)
        blank.initial = blank.initial_for(default)
        return Chosen(default, None, blank)
    if not form.is_valid():
        return form
    period: Period = form.cleaned_data["resolved"]
    unit: Unit | None = form.cleaned_data["unit"]
    display = form
    if not any(request.GET.get(n) for n in ("kind", "month", "year", "start", "end")):
        display = MetricsForm(scope=scope, today=today)
        display.initial = {**display.initial_for(period), "unit": unit.pk if unit else None}
    return Chosen(period, unit, display)


def _query(period: Period, unit_id: int | None) -> str:
    params: dict[str, Any] = {"period": period.token}
    if unit_id is not None:
        params["unit"] = unit_id
    return urlencode(params)


def percent(value: MetricValue | None) -> str:
    """A rate to one decimal; "—" when nothing was counted (never 0% or 100%)."""
    if value is None or value.rate is None:
        return "—"
    return f"{value.rate * 100:.1f}%"


def definitions() -> list[dict[str, Any]]:
    """Each definition in the page's language, and in the other one beneath it."""
    current = translation.get_language() or settings.LANGUAGE_CODE
    other = "en" if current.startswith("zh") else "zh-hans"
    out: list[dict[str, Any]] = []
    for item in d.DEFINITIONS.values():
        with translation.override(other):
            second = (str(item.label), str(item.definition), str(item.article))
        out.append(
            {
                "key": item.key,
                "label": str(item.label),
                "lower_is_better": not item.higher_is_better,
                "definition": str(item.definition),
                "article": str(item.article),
                "other_lang": other,
                "other_label": second[0],
                "other_definition": second[1],
                "other_article": second[2],
            }
        )
    return out


def _rows(user: User, chosen: Chosen) -> tuple[list[Row], Period]:
    period, unit = chosen.period, chosen.unit
    previous = period.previous()
    found = collect_items(user, [period, previous], unit_ids=[unit.pk] if unit else None)
    now, before = group_by_unit(found[period]), group_by_unit(found[previous])

    def row(unit_obj: Unit | None, items: list[Item], prev: list[Item]) -> Row:
        values, prev_values = values_of(items), values_of(prev)
        uid = unit_obj.pk if unit_obj else (unit.pk if unit else None)
        reviews = [i.reason for i in items if i.metric == d.REVIEW_UPHELD]
        outcomes = tuple(
            (str(d.REASONS[r]), reviews.count(r)) for r in ("upheld", "changed", "revoked")
        )
        return Row(
            unit_obj,
            [
                Cell(
                    v,
                    p,
                    _query(period, uid),
                    outcomes if v.key == d.REVIEW_UPHELD and reviews else (),
                )
                for v, p in zip(values, prev_values, strict=True)
            ],
        )

    rows = [row(u, now.get(u.pk, []), before.get(u.pk, [])) for u in units_in_order({*now})]
    if unit is None:
        rows.append(row(None, found[period], found[previous]))
    elif not rows:
        rows.append(row(unit, [], before.get(unit.pk, [])))
    return rows, previous


def _bad_request(request: HttpRequest, form: MetricsForm, template: str) -> HttpResponse:
    context = {"form": form, "definitions": definitions(), "invalid": True}
    return render(request, template, context, status=400)


@require_GET
@login_required
def metrics(request: HttpRequest) -> HttpResponse:
    chosen = _choose(request)
    if isinstance(chosen, MetricsForm):
        return _bad_request(request, chosen, "reports/metrics/metrics.html")
    rows, previous = _rows(_user(request), chosen)
    context = {
        "form": chosen.form,
        "period": chosen.period,
        "previous": previous,
        "unit": chosen.unit,
        "rows": rows,
        "definitions": definitions(),
        "export_query": _query(chosen.period, chosen.unit.pk if chosen.unit else None),
    }
    return render(request, "reports/metrics/metrics.html", context)


@require_GET
@login_required
def metrics_export(request: HttpRequest) -> HttpResponse:
    chosen = _choose(request)
    if isinstance(chosen, MetricsForm):
        return _bad_request(request, chosen, "reports/metrics/metrics.html")
    rows, _previous = _rows(_user(request), chosen)
    table = []
    for row in rows:
        name = row.unit.name if row.unit else _("合计")
        for cell in row.cells:
            v, p = cell.value, cell.previous
            table.append(
                [
                    name,
                    v.label,
                    v.numerator,
                    v.denominator,
                    v.rate,
                    p.numerator,
                    p.denominator,
                    p.rate,
                ]
            )
    headers = [
        _("单位"),
        _("指标"),
        _("分子"),
        _("分母"),
        _("比率"),
        _("上期分子"),
        _("上期分母"),
        _("上期比率"),
    ]
    defs = [[str(x.label), str(x.definition), str(x.article)] for x in d.DEFINITIONS.values()]
    sheets = [
        Sheet(chosen.period.label, headers, table, widths=[24, 16, 8, 8, 8, 10, 10, 10]),
        Sheet(_("指标定义"), [_("指标"), _("定义"), _("依据")], defs, widths=[16, 100, 40]),
    ]
    filename = _("服务质量指标") + f"-{chosen.period.token}.xlsx"
    return xlsx_response(filename, sheets)


@dataclass(frozen=True)
class Line:
    item: Item
    matter: Matter | None
    unit_name: str
    reason: str
    step: str


def _lines(items: list[Item]) -> list[Line]:
    matters = Matter.objects.filter(pk__in={i.matter_id for i in items}).only(
        "id", "number", "title"
    )
    by_id = {m.pk: m for m in matters}
    units = dict(Unit.objects.filter(pk__in={i.unit_id for i in items}).values_list("id", "name"))
    return [
        Line(
            item,
            by_id.get(item.matter_id),
            units.get(item.unit_id, ""),
            str(d.REASONS.get(item.reason, item.reason)),
            str(d.STEPS.get(item.step, item.step)),
        )
        for item in items
    ]


def _drill(request: HttpRequest, key: str) -> tuple[Chosen, list[Item]] | MetricsForm:
    if key not in d.DEFINITIONS:
        raise Http404
    chosen = _choose(request)
    if isinstance(chosen, MetricsForm):
        return chosen
    return chosen, metric_items(_user(request), key, chosen.period, chosen.unit)


@require_GET
@login_required
def metric_matters(request: HttpRequest, key: str) -> HttpResponse:
    found = _drill(request, key)
    if isinstance(found, MetricsForm):
        return _bad_request(request, found, "reports/metrics/matters.html")
    chosen, items = found
    definition = d.DEFINITIONS[key]
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    lines = _lines(list(page.object_list))
    counted = sum(1 for i in items if i.counted)
    reasons: dict[str, int] = {}
    for i in items:
        reasons[i.reason] = reasons.get(i.reason, 0) + 1
    query = _query(chosen.period, chosen.unit.pk if chosen.unit else None)
    context = {
        "definition": definition,
        "value": values_of(items)[d.KEYS.index(key)],
        "rate_text": percent(values_of(items)[d.KEYS.index(key)]),
        "period": chosen.period,
        "unit": chosen.unit,
        "page": page,
        "lines": lines,
        "counted": counted,
        "rest": len(items) - counted,
        "reasons": [(str(d.REASONS[r]), n) for r, n in reasons.items()],
        "query": query,
    }
    return render(request, "reports/metrics/matters.html", context)


@require_GET
@login_required
def metric_matters_export(request: HttpRequest, key: str) -> HttpResponse:
    found = _drill(request, key)
    if isinstance(found, MetricsForm):
        return _bad_request(request, found, "reports/metrics/matters.html")
    chosen, items = found
    definition = d.DEFINITIONS[key]
    rows = [
        [
            str(definition.counted_label if line.item.counted else definition.rest_label),
            line.reason,
            line.matter.number if line.matter else "",
            line.matter.title if line.matter else "",
            line.unit_name,
            line.step,
            line.item.due_on,
            line.item.done_on,
            line.item.days_late,
        ]
        for line in _lines(items)
    ]
    headers = [
        _("分组"),
        _("情形"),
        _("编号"),
        _("标题"),
        _("单位"),
        _("环节"),
        _("截止日"),
        _("办结日"),
        _("逾期天数"),
    ]
    sheet = Sheet(
        f"{definition.label} {chosen.period.label}",
        headers,
        rows,
        widths=[22, 14, 24, 40, 24, 14, 12, 12, 10],
    )
    filename = f"{definition.label}-{chosen.period.token}.xlsx"
    return xlsx_response(filename, [sheet])
