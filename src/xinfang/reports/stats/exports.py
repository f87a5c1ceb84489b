"""The statistics as .xlsx: one sheet per table, the same columns and figures as the page."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext as _

from xinfang.reports.stats.selectors import Annual, Figure, Row, Statistics, Table
from xinfang.reports.xlsx import Sheet, xlsx_response


def comparison_headers(st: Statistics, first: str) -> list[str]:
    headers = [
        first,
        _("This period (%(p)s)") % {"p": st.period.label},
        _("Previous period (%(p)s)") % {"p": st.previous.label},
        _("Difference"),
        _("Change %"),
    ]
    if st.has_year_ago:
        headers.append(_("A year earlier (%(p)s)") % {"p": st.year_ago.label})
    return headers


def comparison_row(st: Statistics, row: Row) -> list[object]:
    out: list[object] = [row.label, row.current.count, row.previous.count, row.change, row.pct]
    if st.has_year_ago:
        out.append(row.year_ago.count if row.year_ago else None)
    return out


def _table_sheet(st: Statistics, table: Table) -> Sheet:
    if table.monthly:
        headers = [_("Month"), _("Matters received")]
        if st.has_year_ago:
            headers.append(_("Same month a year earlier"))
        rows = [
            [
                r.label,
                r.current.count,
                *([r.year_ago.count if r.year_ago else None] if st.has_year_ago else []),
            ]
            for r in table.rows
        ]
        return Sheet(table.title, headers, rows)
    return Sheet(
        table.title,
        comparison_headers(st, table.title),
        [comparison_row(st, r) for r in table.rows],
    )


def statistics_sheets(st: Statistics) -> list[tuple[str, Sheet]]:
    sheets = [
        ("total", Sheet(_("Total"), comparison_headers(st, ""), [comparison_row(st, st.total)])),
    ]
    sheets += [(t.key, _table_sheet(st, t)) for t in st.tables]
    sheets.append(
        (
            "top_categories",
            Sheet(
                _("Most frequent problems"),
                comparison_headers(st, _("Category")),
                [comparison_row(st, r) for r in st.top_categories],
            ),
        )
    )
    sheets.append(
        (
            "clusters",
            Sheet(
                _("Largest clusters"),
                [_("Problem"), _("Category"), _("Matters received in the period")],
                [[c.label, c.category, c.count] for c in st.clusters],
            ),
        )
    )
    return sheets


def _figures(title: str, first: str, figures: list[Figure]) -> Sheet:
    return Sheet(title, [first, _("Matters")], [[f.label, f.count] for f in figures])


def annual_sheets(a: Annual) -> list[tuple[str, Sheet]]:
    handling = Sheet(
        _("Handling"),
        [_("Figure"), _("Matters"), _("Note")],
        [[f.label, f.count, f.note] for f in a.handling],
    )
    return [
        ("received", _figures(_("Matters received"), "", [a.received])),
        ("channel", _figures(_("By channel"), _("Channel"), a.by_channel)),
        ("type", _figures(_("By type"), _("Type"), a.by_type)),
        ("category", _figures(_("Domains"), _("Category"), a.by_category)),
        ("responsible", _figures(_("Bodies responsible"), _("Unit"), a.bodies_responsible)),
        ("accused", _figures(_("Bodies accused"), _("Unit"), a.bodies_accused)),
        ("handling", handling),
    ]


def response(filename: str, sheets: list[Sheet]) -> HttpResponse:
    return xlsx_response(filename, sheets)
