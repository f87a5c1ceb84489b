"""Statistics pages: the period statistics, the art. 41 annual figures, their .xlsx exports and
the drill-down list. Thin: forms check the input, selectors count, charts draw."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from xinfang.matters.models import Channel, EventKind, MatterType, State
from xinfang.org.models import Region, Unit
from xinfang.reports.stats import charts, exports
from xinfang.reports.stats.forms import MAX_YEAR, MIN_YEAR, DrillForm, StatsForm
from xinfang.reports.stats.selectors import Statistics, annual, drill_list, statistics
from xinfang.routing.selectors import cluster_for

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _form(request: HttpRequest) -> StatsForm:
    return StatsForm(request.GET or None, user=_user(request))


def _charts(st: Statistics) -> dict[str, charts.Chart]:
    out = {}
    for table in st.tables:
        if table.monthly:
            items = [(r.label, r.current.count, r.current.href) for r in table.rows]
            compare = (
                [(r.year_ago.count, r.year_ago.href) for r in table.rows if r.year_ago]
                if st.has_year_ago
                else None
            )
            out[table.key] = charts.columns(
                f"chart-{table.key}",
                table.title,
                items,
                compare=compare,
                legend=(st.period.label, st.year_ago.label),
            )
        else:
            items = [(r.label, r.current.count, r.current.href) for r in table.chart_rows]
            out[table.key] = charts.hbars(f"chart-{table.key}", table.title, items)
    return out


@require_GET
@login_required
def stats_page(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    if form.is_bound and not form.is_valid():
        return render(request, "reports/stats/stats.html", {"form": form, "st": None}, status=400)
    period, unit = form.result()
    if not form.is_bound:
        form = StatsForm(initial=form.query(period, unit), user=_user(request))
    st = statistics(_user(request), period, unit)
    query = urlencode(form.query(period, unit))
    drawn = _charts(st)
    for table in st.tables:
        table.chart = drawn[table.key]
    context = {
        "form": form,
        "st": st,
        "query": query,
        "unit_name": Unit.objects.filter(pk=unit).values_list("name", flat=True).first()
        if unit
        else "",
        "annual_url": reverse("reports:annual", args=[period.start.year]),
    }
    return render(request, "reports/stats/stats.html", context)


@require_GET
@login_required
def stats_xlsx(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    if form.is_bound and not form.is_valid():
        return render(request, "reports/stats/stats.html", {"form": form, "st": None}, status=400)
    period, unit = form.result()
    st = statistics(_user(request), period, unit)
    sheets = exports.statistics_sheets(st)
    key = request.GET.get("table", "")
    if key:
        chosen = [s for k, s in sheets if k == key]
        if not chosen:
            raise Http404
        return exports.response(f"statistics-{key}-{period.start.isoformat()}.xlsx", chosen)
    return exports.response(
        f"statistics-{period.start.isoformat()}-{period.end.isoformat()}.xlsx",
        [s for _k, s in sheets],
    )


def _year(value: int) -> int:
    if not MIN_YEAR <= value <= MAX_YEAR:
        raise Http404
    return value


@require_GET
@login_required
def annual_page(request: HttpRequest, year: int) -> HttpResponse:
    if "year" in request.GET:  # the year selector (a GET form, works without JavaScript)
        try:
            chosen = int(request.GET["year"])
        except ValueError:
            chosen = 0
        if MIN_YEAR <= chosen <= MAX_YEAR:
            return redirect("reports:annual", year=chosen)
        problem = _("The year must be between %(lo)d and %(hi)d.") % {
            "lo": MIN_YEAR,
            "hi": MAX_YEAR,
        }
        return render(
            request,
            "reports/stats/annual.html",
            {"a": None, "problem": problem, "year": year},
            status=400,
        )
    a = annual(_user(request), _year(year))
    bodies_chart = charts.hbars(
        "chart-bodies",
        _("Bodies responsible for the most matters"),
        [(f.label, f.count or 0, f.href) for f in a.bodies_responsible],
    )
    category_chart = charts.hbars(
        "chart-domains",
        _("Matters by domain (category)"),
        [(f.label, f.count or 0, f.href) for f in a.by_category[:15]],
    )
    return render(
        request,
        "reports/stats/annual.html",
        {
            "a": a,
            "year": year,
            "bodies_chart": bodies_chart,
            "category_chart": category_chart,
            "stats_url": reverse("reports:stats")
            + "?"
            + urlencode({"period": "year", "year": year}),
        },
    )


@require_GET
@login_required
def annual_xlsx(request: HttpRequest, year: int) -> HttpResponse:
    a = annual(_user(request), _year(year))
    sheets = exports.annual_sheets(a)
    key = request.GET.get("table", "")
    if key:
        chosen = [s for k, s in sheets if k == key]
        if not chosen:
            raise Http404
        return exports.response(f"annual-{year}-{key}.xlsx", chosen)
    return exports.response(f"annual-{year}.xlsx", [s for _k, s in sheets])


PAGE_SIZE = 50


def _describe(user: User, form: DrillForm) -> list[tuple[str, str]]:
    """The figure's conditions in words, for the heading of the list."""
    d = form.cleaned_data
    out = [(_("Period"), f"{d['date_from'].isoformat()} – {d['date_to'].isoformat()}")]
    if d.get("event"):
        out.append((_("Counted by"), str(EventKind(d["event"]).label)))
    else:
        out.append((_("Counted by"), _("date received")))
    if d.get("unit") is not None or d.get("lead") is not None:
        pk: int = d["lead"] if d.get("lead") is not None else d["unit"]
        name = Unit.objects.filter(pk=pk).values_list("name", flat=True).first() or "?"
        out.append((_("Responsible unit"), name))
    if d.get("channel"):
        out.append((_("Channel"), str(Channel(d["channel"]).label)))
    if d.get("type"):
        out.append((_("Type"), str(MatterType(d["type"]).label)))
    if d.get("category"):
        from xinfang.matters.models import Category

        out.append(
            (
                _("Category"),
                _("(no category)")
                if d["category"] == "none"
                else Category.objects.get(pk=int(d["category"])).name,
            )
        )
    if d.get("region"):
        out.append(
            (
                _("Region"),
                _("(no region given)")
                if d["region"] == "none"
                else Region.objects.get(pk=int(d["region"])).name,
            )
        )
    if d.get("accused") is not None:
        name = Unit.objects.filter(pk=d["accused"]).values_list("name", flat=True).first() or "?"
        out.append((_("Unit accused"), name))
    if d.get("cluster") is not None:
        # The problem's name only to whoever may see two of its matters (as on the clusters
        # page): a guessed id tells nothing.
        row = cluster_for(user, d["cluster"])
        out.append((_("Problem (cluster)"), row.cluster.label if row else "—"))
    if d.get("adopted"):
        out.append((_("Suggestions"), _("answered 支持 (adopted)")))
    return out


@require_GET
@login_required
def drill_page(request: HttpRequest) -> HttpResponse:
    form = DrillForm(request.GET)
    if not form.is_valid():
        return render(request, "reports/stats/matters.html", {"form": form}, status=400)
    qs = drill_list(_user(request), form.drill()).order_by("-received_at", "-id")
    rows = qs.values("id", "number", "title", "type", "state", "received_at", "lead_unit__name")
    paginator = Paginator(rows, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    for row in page.object_list:
        row["type_label"] = MatterType(row["type"]).label
        row["state_label"] = State(row["state"]).label
    query = request.GET.copy()
    query.pop("page", None)
    context: dict[str, Any] = {
        "form": form,
        "page": page,
        "count": paginator.count,
        "describe": _describe(_user(request), form),
        "querystring": query.urlencode(),
    }
    return render(request, "reports/stats/matters.html", context)
